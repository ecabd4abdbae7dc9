"""The coordinator's desk: what a member's admin dashboard shows of the member's site and
of its proposals to the network.

Two panels, added by ``construct_homepage_panels`` in a member's admin only: a welcome
with the member's name, its site and quick actions, and "Netzwerk-Highlights", the
member's proposals with their state on the network and the editors' message.

Schema boundaries: the panels run in the member's schema. Highlight rows live in the
public schema and are reached through the search path, so every query here is filtered
to ``member=`` the request's member: isolation is the product's promise. The network's
address is computed in the public schema (``network_list_url`` switches there itself);
page links of the member's own pages are computed in its schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Site
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.schemas import is_public_schema
from sites.highlights.models import Highlight
from sites.members.models import ProfilePage
from tenants.models import Member

State = Highlight.State
DESK_LIMIT = 20
# The network page that lists the shown highlights, filterable by member (its type lives
# in a higher layer, so it is named by its content type here).
NETWORK_LIST_TYPE = ("network", "highlightindexpage")


def desk_member(request) -> Member | None:
    """The member whose admin this is; None in the network admin."""
    if is_public_schema(connection.schema_name):
        return None
    member = getattr(request, "tenant", None)
    return member if isinstance(member, Member) else None


def may_edit_pages(user) -> bool:
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


# --- What the desk says about one proposal ----------------------------------------------


def desk_state(row: Highlight) -> tuple[str, str]:
    """(words, kind) of a row's state as its member sees it; kind is "shown", "waiting",
    "action" (the member is asked to act) or "off"."""
    if row.is_withdrawn:
        return _("zurückgezogen"), "off"
    if row.state == State.REJECTED:
        return _("abgelehnt"), "off"
    if row.pending:
        return _("Änderung wartet auf Prüfung"), "waiting"
    if row.change_requested:
        return _("Änderung erbeten"), "action"
    if row.state == State.PROPOSED:
        return _("wartet auf Prüfung"), "waiting"
    if row.state == State.FEATURED:
        return _("hervorgehoben"), "shown"
    return _("freigegeben"), "shown"


@dataclass
class DeskRow:
    highlight: Highlight
    state: str
    kind: str
    edit_url: str | None  # the member's page in its own admin, where it still exists
    network_url: str | None  # where the network shows it, for shown rows

    @property
    def is_shown(self) -> bool:
        return self.network_url is not None


def desk_highlights(member: Member, limit: int = DESK_LIMIT) -> tuple[list[Highlight], int]:
    """The newest ``limit`` highlight rows of ``member`` and how many it has in all.
    Reads the public table through the member schema's search path."""
    rows = Highlight.objects.filter(member=member)
    newest = rows.order_by(F("last_published_at").desc(nulls_last=True), "-pk")
    return list(newest[:limit]), rows.count()


def network_list_url(member: Member) -> str:
    """The network's "Aus den Mitgliedern" page filtered to ``member`` (the network home
    where that page does not exist). Computed in the public schema."""
    app_label, model = NETWORK_LIST_TYPE
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        page = (
            Page.objects.live()
            .public()
            .filter(
                content_type__app_label=app_label,
                content_type__model=model,
                locale__language_code=settings.LANGUAGE_CODE,
            )
            .first()
        )
        url = page.get_full_url() if page is not None else None
        if url is None:
            site = Site.objects.filter(is_default_site=True).first()
            return site.root_url + "/" if site else settings.WAGTAILADMIN_BASE_URL
    return f"{url}?{urlencode({'member': member.slug})}"


def desk_rows(member: Member, highlights: list[Highlight]) -> list[DeskRow]:
    """The desk's rows: state in words and links. Rows shown on the network link there;
    rows whose page still exists in the member's schema link to its editor."""
    existing = set(
        Page.objects.filter(pk__in=[row.source_page_id for row in highlights]).values_list(
            "pk", flat=True
        )
    )
    shown = {
        row.pk
        for row in highlights
        if row.state in Highlight.SHOWN_STATES and not row.is_withdrawn and member.is_active
    }
    list_url = network_list_url(member) if shown else None
    rows = []
    for row in highlights:
        words, kind = desk_state(row)
        edit_url = (
            reverse("wagtailadmin_pages:edit", args=[row.source_page_id])
            if row.source_page_id in existing
            else None
        )
        rows.append(DeskRow(row, words, kind, edit_url, list_url if row.pk in shown else None))
    return rows


# --- Quick actions ----------------------------------------------------------------------


@dataclass
class QuickAction:
    label: str
    url: str
    icon: str


def _add_under_index(home: Page, model, user, label, icon) -> QuickAction | None:
    """Quick action "new …": a ``model`` page below the first index of ``home`` for it."""
    if model is None:
        return None
    index = Page.objects.child_of(home).type(*model.allowed_parent_page_models()).first()
    if index is None or not index.permissions_for_user(user).can_add_subpage():
        return None
    meta = model._meta
    return QuickAction(
        label,
        reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, index.pk]),
        icon,
    )


def quick_actions(request) -> list[QuickAction]:
    """New news, new event, edit the profile: those the site has and the user may do."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    home = site.root_page.specific
    user = request.user
    actions = [
        _add_under_index(
            home, getattr(home, "news_model", None), user, _("Neue Nachricht"), "doc-full"
        ),
        _add_under_index(
            home, getattr(home, "event_model", None), user, _("Neue Veranstaltung"), "date"
        ),
    ]
    profile = ProfilePage.objects.child_of(home).first()
    if profile is not None and profile.permissions_for_user(user).can_edit():
        edit_url = reverse("wagtailadmin_pages:edit", args=[profile.pk])
        actions.append(QuickAction(_("Kurzportrait bearbeiten"), edit_url, "user"))
    return [action for action in actions if action is not None]


# --- The panels -------------------------------------------------------------------------


class DeskWelcomePanel(Component):
    """The member's name, its site's address and the quick actions."""

    name = "desk_welcome"
    template_name = "highlights/desk/welcome_panel.html"
    order = 50

    def __init__(self, request, member: Member):
        self.request = request
        self.member = member

    def get_context_data(self, parent_context=None):
        return {
            "member": self.member,
            "site_url": self.member.url,
            "actions": quick_actions(self.request),
        }


class DeskHighlightsPanel(Component):
    """The member's proposals to the network: state, the editors' message, links."""

    name = "desk_highlights"
    template_name = "highlights/desk/highlights_panel.html"
    order = 60

    def __init__(self, member: Member, limit: int = DESK_LIMIT):
        self.member = member
        self.limit = limit

    @cached_property
    def _highlights(self) -> tuple[list[Highlight], int]:
        return desk_highlights(self.member, self.limit)

    def get_context_data(self, parent_context=None):
        highlights, total = self._highlights
        return {
            "rows": desk_rows(self.member, highlights),
            "total": total,
            "limit": self.limit,
        }


def desk_panels(request) -> list[Component]:
    """The desk's panels for this request: none in the network admin or for users who
    may not edit pages."""
    member = desk_member(request)
    if member is None or not may_edit_pages(request.user):
        return []
    return [DeskWelcomePanel(request, member), DeskHighlightsPanel(member)]
