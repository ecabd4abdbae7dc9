"""RSS of the members' approved and featured highlights, on the network host only.

A member's host answers 404: its feeds are its own news and events (core.feeds), and
the highlights table (public schema) must not be readable through a member's host.

The feed is in the URL's language (``/en/feeds/…``): items the member translated come in
that language; the others in their original, with "(auf Deutsch)" after the title, since
RSS has no language per item.
"""

from django.db import connection
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.feeds import FeedContext, SiteFeed, site_for
from core.languages import site_homes
from core.schemas import is_public_schema
from sites.highlights.selectors import feed_items
from sites.network.models import HighlightIndexPage


class HighlightFeed(SiteFeed):
    """Highlights in the active language (``language`` is left unset)."""

    def get_object(self, request, *args, **kwargs):
        if not is_public_schema(connection.schema_name):
            raise Http404(_("Diesen Feed gibt es nur auf der Netzwerk-Website."))
        site = site_for(request)
        return FeedContext(site=site, items=feed_items(), link=_index_url(site, request))

    def title(self, obj):
        return _("Aus den Mitgliedern – %(site)s") % {"site": obj.site.site_name}

    def description(self, obj):
        return _("Beiträge der Mitglieder, ausgewählt von der Redaktion – %(site)s") % {
            "site": obj.site.site_name
        }

    def item_title(self, item):
        if item.language_note:
            return f"{item.title} ({item.language_note})"
        return item.title

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.member.name

    def item_categories(self, item):
        return [item.get_page_type_display()]

    def item_pubdate(self, item):
        return item.last_published_at or item.created

    def item_guid(self, item):
        # the member and its page, so a row the pipeline re-creates keeps its identity
        return f"highlight-{item.member.slug}-{item.source_page_id}"


def _index_url(site, request) -> str:
    """The page "Aus den Mitgliedern" in the active language if the site has it there,
    else the German one, else the home page."""
    home = site_homes(site).get(get_language(), site.root_page)
    pages = HighlightIndexPage.objects.live().public()
    index = pages.descendant_of(home).first() or pages.descendant_of(site.root_page).first()
    return (index or home).get_full_url(request)
