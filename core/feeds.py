"""RSS and iCalendar feeds of the site the request's host belongs to.

Every query runs in the request's schema and below that schema's Wagtail Site, so a
member's host can only ever publish that member's news and events; the network host
publishes press releases and network events. Which page types are "news" and "events"
the site's home page type says (``HomePageBase.news_model`` / ``event_model``): all
sites share one URL layout. Feeds carry the
language in their URL like pages do (``/en/feeds/news.rss``) and list the pages of that
language; event times are Europe/Berlin, whole-day events are dates, and a recurring
event carries its rule (RRULE).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from icalendar.prop import vInline
from wagtail.models import Site

from core import pagecache, recurrence
from core.languages import site_homes
from core.models import not_over_at

BERLIN = ZoneInfo("Europe/Berlin")
NEWS_LIMIT = 50
# Past events stay in the calendar this long, so a subscriber's calendar keeps the
# events they just attended instead of having them vanish the moment they end.
RECENT_EVENTS = timedelta(days=90)
REPETITIONS_COVERED = timedelta(days=3653)  # ten years of a recurring event's time zone
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


def site_for(request) -> Site:
    """The Wagtail Site of this host in this schema (a member schema has exactly one)."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404(_("Diese Website ist nicht eingerichtet."))
    return site


def language_home(site: Site):
    """The site's home page in the URL's language; a language it is not published in is a 404."""
    home = site_homes(site).get(get_language())
    if home is None:
        raise Http404(_("Diese Website gibt es nicht in dieser Sprache."))
    return home


def site_pages(request, kind: str):
    """Live, publicly visible pages of the site's news or events (``kind``) below its
    home page in the URL's language."""
    site = site_for(request)
    home = language_home(site)
    model = home.news_model if kind == "news" else home.event_model
    return site, home, model.objects.descendant_of(home).live().public()


# --- RSS ------------------------------------------------------------------------------


@dataclass
class FeedContext:
    site: Site
    items: list
    link: str
    for_network: bool = False
    url: str = ""  # the feed's own address, set by SiteFeed.get_feed


class SiteFeed(Feed):
    """An RSS 2.0 feed of one site, the one of the request's host.

    One instance serves every host, so nothing request-specific is stored on it;
    ``get_object`` hands a :class:`FeedContext` to the other hooks instead. The feed's
    language is the URL's (Django's default for ``Feed.language``). Item GUIDs are no
    links: they stay the same when an editor changes a slug, so readers do not see an
    item twice.
    """

    def get_feed(self, obj, request):
        """The feed's own address (``atom:link rel="self"``) comes from the Site like
        every other URL in it; Django would take the request's Host header and scheme."""
        obj.url = obj.site.root_url + request.path
        return super().get_feed(obj, request)

    def feed_url(self, obj):
        return obj.url

    def link(self, obj):
        return obj.link

    def items(self, obj):
        return obj.items

    def item_description(self, item):
        return item.teaser

    def item_guid_is_permalink(self, item):
        return False


class NewsFeed(SiteFeed):
    """The current site's news (press releases on the network host)."""

    def get_object(self, request, *args, **kwargs):
        site, home, pages = site_pages(request, "news")
        pages = pages.defer_streamfields().order_by("-date", "-first_published_at")
        items = list(pages[:NEWS_LIMIT])
        for page in items:
            # resolved once here with the request's cached site root paths
            page.feed_link = page.get_full_url(request)
            # stable when an editor changes the slug, so readers do not see the item twice
            page.feed_guid = f"news-{page.pk}@{site.hostname}"
        link = home.get_full_url(request)
        return FeedContext(site=site, items=items, link=link, for_network=home.for_network)

    def title(self, obj):
        return obj.site.site_name

    def description(self, obj):
        if obj.for_network:
            return _("Pressemitteilungen – %(site)s") % {"site": obj.site.site_name}
        return _("Nachrichten – %(site)s") % {"site": obj.site.site_name}

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.feed_link

    def item_pubdate(self, item):
        # A news page has a date, not a time: the item appeared at the start of that day.
        return datetime.combine(item.date, time.min, tzinfo=BERLIN)

    def item_guid(self, item):
        return item.feed_guid


# --- iCalendar ------------------------------------------------------------------------


def event_location(page) -> str:
    """Venue name and address on one line; "Online" for online (or hybrid) events."""
    address = ", ".join(line.strip() for line in page.venue_address.splitlines() if line.strip())
    parts = [part for part in (page.venue_name.strip(), address) if part]
    if page.online:
        parts.append(_("Online"))
    return ", ".join(parts)


def event_times(page) -> tuple:
    """DTSTART and DTEND of an event: Berlin date-times, or the dates of a whole-day event
    (RFC 5545 3.6.1: DATE values, the end exclusive, so one day ends the day after)."""
    start = timezone.localtime(page.start, BERLIN)
    end = timezone.localtime(page.end, BERLIN) if page.end else None
    if not page.whole_day:
        return start, end
    last_day = max(end.date(), start.date()) if end else start.date()
    return start.date(), last_day + timedelta(days=1)


def calendar_event(page, site: Site, request) -> Event:
    """One VEVENT; its UID stays the same for as long as the page exists on this host."""
    changed = page.last_published_at or page.latest_revision_created_at or timezone.now()
    start, end = event_times(page)
    event = Event.new(
        uid=f"event-{page.pk}@{site.hostname}",
        summary=page.title,
        start=start,
        end=end,
        location=event_location(page) or None,
        description=page.teaser or None,
        url=page.get_full_url(request),
        stamp=changed.astimezone(ZoneInfo("UTC")),
        last_modified=changed.astimezone(ZoneInfo("UTC")),
    )
    rule = recurrence.calendar_rule(page.recurrence, whole_day=page.whole_day)
    if rule:
        # as stored (vInline): icalendar's vRecur would sort the parts of the rule anew
        event.add("RRULE", vInline(rule))
    return event


def _covered_until(page) -> date:
    """The last day the calendar's VTIMEZONE must cover for ``page``: its end; for a
    recurring event its UNTIL, at most ten years after its start (without UNTIL, ten
    years: the repetitions themselves are not computed)."""
    last = page.end_or_start.date()
    if not page.recurrence or page.whole_day:  # whole-day events name no time zone
        return last
    horizon = (page.start + REPETITIONS_COVERED).date()
    return max(last, min(recurrence.last_day(page.recurrence) or horizon, horizon))


def calendar_of(site: Site, events, request) -> Calendar:
    events = list(events)
    calendar = Calendar.new(
        prodid=f"-//Kommunalnetz//{site.hostname}//DE",
        uid=f"calendar@{site.hostname}",
        name=site.site_name,
        method="PUBLISH",
        calscale="GREGORIAN",
        subcomponents=[calendar_event(page, site, request) for page in events],
    )
    if events:
        # RFC 5545 wants a VTIMEZONE for every TZID used; some clients ignore TZID
        # otherwise. Its transitions are limited to the years the events span.
        year = timedelta(days=366)
        calendar.add_missing_timezones(
            first_date=min(page.start for page in events).date() - year,
            last_date=max(_covered_until(page) for page in events) + year,
        )
    return calendar


def events_calendar(request):
    """Upcoming events and those of the last three months, soonest first, as one calendar."""
    site, _home, events = site_pages(request, "events")
    cutoff = timezone.now() - RECENT_EVENTS
    events = list(events.filter(not_over_at(cutoff)).defer_streamfields().order_by("start"))
    # the first of them leaves the calendar three months after it is over
    leaves = min((page.end_or_start + RECENT_EVENTS for page in events), default=None)
    pagecache.content_changes_at(request, leaves)
    return HttpResponse(calendar_of(site, events, request).to_ical(), ICAL_CONTENT_TYPE)


def event_calendar(request, page_id: int):
    """One event as a download; any other id, or another site's event, is a 404."""
    site, _home, events = site_pages(request, "events")
    page = get_object_or_404(events, pk=page_id)
    response = HttpResponse(calendar_of(site, [page], request).to_ical(), ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{page.slug}.ics")
    return response
