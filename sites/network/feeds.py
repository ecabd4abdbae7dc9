"""The network host's feeds of what the members contribute: RSS of the approved and
featured highlights, and the network calendar (iCal: the network's events and the
members' event highlights in one calendar).

A member's host answers 404: its feeds are its own news and events (core.feeds), and
the highlights table (public schema) must not be readable through a member's host.

The feed is in the URL's language (``/en/feeds/…``): items the member translated come in
that language; the others in their original, with "(auf Deutsch)" after the title, since
RSS has no language per item.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Event

from core import pagecache
from core.feeds import (
    BERLIN,
    ICAL_CONTENT_TYPE,
    RECENT_EVENTS,
    FeedContext,
    SiteFeed,
    calendar_event,
    calendar_of,
    site_for,
    site_pages,
)
from core.languages import site_homes
from core.models import not_over_at
from core.schemas import is_public_schema
from sites.highlights.models import Highlight
from sites.highlights.selectors import events_not_over, feed_items
from sites.network.models import HighlightIndexPage, calendar_entries, network_name


def _network_only() -> None:
    if not is_public_schema(connection.schema_name):
        raise Http404(_("Diesen Feed gibt es nur auf der Netzwerk-Website."))


class HighlightFeed(SiteFeed):
    """Highlights in the active language (``language`` is left unset)."""

    def get_object(self, request, *args, **kwargs):
        _network_only()
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


# --- The network calendar ---------------------------------------------------------------


def highlight_calendar_event(row: Highlight, site) -> Event:
    """A member's event highlight as a VEVENT, like ``core.feeds.calendar_event`` makes one
    of an event page: its UID names the row, so it stays the same while the row lives;
    the link leads to the member's page, the description names the member."""
    changed = row.last_published_at or row.updated
    title = f"{row.title} ({row.language_note})" if row.language_note else row.title
    organiser = _("Veranstalter: %(name)s") % {"name": row.member.name}
    return Event.new(
        uid=f"highlight-{row.pk}@{site.hostname}",
        summary=title,
        start=timezone.localtime(row.event_start, BERLIN),
        end=timezone.localtime(row.event_end, BERLIN) if row.event_end else None,
        description="\n\n".join(part for part in (row.teaser, organiser) if part),
        url=row.url,
        stamp=changed.astimezone(ZoneInfo("UTC")),
        last_modified=changed.astimezone(ZoneInfo("UTC")),
    )


def network_calendar(request):
    """The network calendar as one iCal file: the network's events in the URL's language
    and the members' shown event highlights (localized), upcoming and those of the last
    three months, soonest first. Network host only."""
    _network_only()
    site, _home, pages = site_pages(request, "events")
    cutoff = timezone.now() - RECENT_EVENTS
    pages = pages.filter(not_over_at(cutoff)).defer_streamfields()
    entries = calendar_entries(pages, events_not_over(cutoff), network_name(site), request)
    calendar = calendar_of(site, [], request)  # the calendar's own properties
    calendar.uid = f"network-calendar@{site.hostname}"
    calendar.calendar_name = _("Termine – %(name)s") % {"name": site.site_name}
    for entry in entries:
        if entry.page is not None:
            calendar.add_component(calendar_event(entry.page, site, request))
        else:
            calendar.add_component(highlight_calendar_event(entry.highlight, site))
    if entries:
        year = timedelta(days=366)  # VTIMEZONE for the years the events span (core.feeds)
        calendar.add_missing_timezones(
            first_date=entries[0].start.date() - year,
            last_date=max(entry.end_or_start for entry in entries).date() + year,
        )
    # the first of them leaves the calendar three months after it is over
    leaves = min((entry.end_or_start + RECENT_EVENTS for entry in entries), default=None)
    pagecache.content_changes_at(request, leaves)
    return HttpResponse(calendar.to_ical(), ICAL_CONTENT_TYPE)
