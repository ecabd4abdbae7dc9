"""The curation admin in Wagtail's menus, bulk action bar and dashboard; the
coordinator's desk on a member admin's dashboard."""

from wagtail import hooks

from sites.highlights.desk import desk_panels
from sites.highlights.models import Highlight
from sites.highlights.views import (
    BULK_ACTIONS,
    HighlightViewSet,
    WaitingHighlightsPanel,
    curation_policy,
)


@hooks.register("register_admin_viewset")
def register_highlight_viewset():
    return HighlightViewSet("highlights")


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("construct_homepage_panels")
def add_waiting_highlights_panel(request, panels):
    """The number of waiting proposals and changes, for those who curate (network admin only)."""
    if curation_policy().user_has_any_permission(request.user, ["change", "view"]):
        waiting = Highlight.objects.waiting().count()
        panels.append(WaitingHighlightsPanel(waiting, Highlight.objects.changes_waiting().count()))


@hooks.register("construct_homepage_panels")
def add_coordinator_desk(request, panels):
    """The member's site and its proposals to the network (member admins only)."""
    panels.extend(desk_panels(request))
