"""RSS, iCalendar and sitemap: each host publishes its own site's content and no other's."""

from datetime import date, datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import feedparser
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from sites.members.models import MemberHomePage
from tests.factories import (
    MemberEventPageFactory,
    MemberNewsPageFactory,
    NetworkEventIndexPageFactory,
    NetworkEventPageFactory,
    PressIndexPageFactory,
    PressReleasePageFactory,
    member_event_index,
    member_news_index,
    network_home,
)

BERLIN = ZoneInfo("Europe/Berlin")
UMLAUT_TITLE = "Übergänge gestalten: Größere Ausbildungsbörse für Jugendliche"


def member_news(schema, title, *, day, teaser="", live=True):
    with schema_context(schema):
        index = member_news_index()
        return MemberNewsPageFactory(
            parent=index, title=title, date=day, teaser=teaser, publish=live
        )


def member_event(schema, title, start, **fields):
    with schema_context(schema):
        index = member_event_index()
        return MemberEventPageFactory(parent=index, title=title, start=start, **fields)


def ical(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def sitemap_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own server's answer
    return [loc.text for loc in root.iterfind(".//s:loc", ns)]


def test_feed_urls_have_the_names_templates_use():
    assert reverse("feeds:news") == "/de/feeds/news.rss"
    assert reverse("feeds:events") == "/de/feeds/events.ics"
    assert reverse("feeds:event", args=[7]) == "/de/feeds/events/7.ics"


def test_member_rss_lists_only_that_members_live_news_newest_first(alpha, beta):
    older = member_news(alpha.schema, "Berufsorientierung startet", day=date(2025, 3, 1))
    newer = member_news(
        alpha.schema, UMLAUT_TITLE, day=date(2025, 9, 15), teaser="Straße frei für Bewerbungen"
    )
    member_news(alpha.schema, "Entwurf, noch geheim", day=date(2025, 10, 1), live=False)
    member_news(beta.schema, "Nachricht aus Beta", day=date(2025, 9, 20))

    response = alpha.client().get("/de/feeds/news.rss")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Stadt Alpha"
    assert feed.feed.link == "http://alpha.localhost/de/"
    assert [entry.title for entry in feed.entries] == [UMLAUT_TITLE, older.title]
    first = feed.entries[0]
    assert first.link == f"http://alpha.localhost/de/aktuelles/{newer.slug}/"
    assert first.summary == "Straße frei für Bewerbungen"
    assert first.id == f"news-{newer.pk}@alpha.localhost"
    published = datetime(*first.published_parsed[:6], tzinfo=ZoneInfo("UTC"))
    assert published.astimezone(BERLIN) == datetime(2025, 9, 15, tzinfo=BERLIN)
    assert all(entry.link.startswith("http://alpha.localhost/") for entry in feed.entries)

    beta_feed = feedparser.parse(beta.client().get("/de/feeds/news.rss").content)
    assert beta_feed.feed.title == "Kreis Beta"
    assert [entry.title for entry in beta_feed.entries] == ["Nachricht aus Beta"]
    assert beta_feed.entries[0].link.startswith("http://beta.localhost/")


def test_rss_leaves_out_pages_behind_a_password(alpha):
    member_news(alpha.schema, "Öffentlich", day=date(2025, 5, 1))
    hidden = member_news(alpha.schema, "Nur für Partner", day=date(2025, 5, 2))
    with schema_context(alpha.schema):
        PageViewRestriction.objects.create(
            page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )

    feed = feedparser.parse(alpha.client().get("/de/feeds/news.rss").content)

    assert [entry.title for entry in feed.entries] == ["Öffentlich"]


def test_rss_stops_at_fifty_items(alpha):
    start = date(2024, 1, 1)
    for n in range(52):
        member_news(alpha.schema, f"Meldung {n}", day=start + timedelta(days=n))

    feed = feedparser.parse(alpha.client().get("/de/feeds/news.rss").content)

    assert len(feed.entries) == 50
    assert feed.entries[0].title == "Meldung 51"


def test_network_rss_lists_press_releases_only(network_client, alpha):
    member_news(alpha.schema, "Nachricht aus Alpha", day=date(2025, 9, 20))
    with schema_context("public"):
        index = PressIndexPageFactory(parent=network_home())
        release = PressReleasePageFactory(
            parent=index, title="Netzwerk wächst", slug="netzwerk-waechst"
        )

    feed = feedparser.parse(network_client.get("/de/feeds/news.rss").content)

    assert feed.feed.title == "Kommunale Koordinierung"
    assert [entry.title for entry in feed.entries] == ["Netzwerk wächst"]
    assert feed.entries[0].link == f"http://localhost/de/presse/{release.slug}/"


def test_calendar_has_a_members_events_in_berlin_time(alpha, beta):
    start = datetime(2030, 6, 12, 14, 0, tzinfo=BERLIN)
    event = member_event(
        alpha.schema,
        UMLAUT_TITLE,
        start,
        end=start + timedelta(hours=3),
        venue_name="Bürgerhaus Süd",
        venue_address="Königstraße 5\n45699 Herten",
        teaser="Betriebe stellen sich vor – für Schülerinnen und Schüler.",
    )
    member_event(
        alpha.schema, "Sprechstunde", datetime(2030, 1, 8, 9, 30, tzinfo=BERLIN), online=True
    )
    member_event(
        beta.schema, "Beta-Termin", datetime(2030, 6, 1, 10, 0, tzinfo=BERLIN), online=True
    )

    response = alpha.client().get("/de/feeds/events.ics")

    # raw bytes are UTF-8 (long lines are folded with CRLF + space, RFC 5545)
    assert UMLAUT_TITLE in response.content.decode("utf-8").replace("\r\n ", "")
    calendar = ical(response)
    assert calendar["X-WR-CALNAME"] == "Stadt Alpha"
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Sprechstunde", UMLAUT_TITLE]
    fair = events[1]
    assert str(fair["UID"]) == f"event-{event.pk}@alpha.localhost"
    assert fair["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert fair.decoded("DTSTART").astimezone(BERLIN).replace(tzinfo=None) == datetime(
        2030, 6, 12, 14, 0
    )
    assert fair.decoded("DTEND").astimezone(BERLIN).hour == 17
    assert str(fair["LOCATION"]) == "Bürgerhaus Süd, Königstraße 5, 45699 Herten"
    assert str(fair["DESCRIPTION"]) == "Betriebe stellen sich vor – für Schülerinnen und Schüler."
    assert str(fair["URL"]) == f"http://alpha.localhost/de/termine/{event.slug}/"
    assert str(events[0]["LOCATION"]) == "Online"
    # winter time: 09:30 local is 08:30 UTC
    assert events[0].decoded("DTSTART").astimezone(ZoneInfo("UTC")).hour == 8
    assert {tz["TZID"] for tz in calendar.walk("VTIMEZONE")} == {"Europe/Berlin"}


def test_calendar_keeps_recent_events_and_drops_old_ones(alpha):
    now = timezone.now()
    member_event(alpha.schema, "Gestern", now - timedelta(days=1), online=True)
    member_event(alpha.schema, "Vor einem Jahr", now - timedelta(days=365), online=True)
    member_event(alpha.schema, "Morgen", now + timedelta(days=1), online=True)

    calendar = ical(alpha.client().get("/de/feeds/events.ics"))

    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Gestern", "Morgen"]


def test_single_event_download_is_one_event_of_this_host(network_client, alpha, beta):
    event = member_event(
        alpha.schema,
        "Elternabend Übergang Schule–Beruf",
        datetime(2030, 11, 3, 18, 0, tzinfo=BERLIN),
        venue_name="Rathaus",
    )
    member_event(
        alpha.schema, "Anderer Termin", datetime(2030, 11, 4, 18, 0, tzinfo=BERLIN), online=True
    )

    response = alpha.client().get(f"/de/feeds/events/{event.pk}.ics")

    calendar = ical(response)
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{event.slug}.ics" in response["Content-Disposition"]
    (only,) = calendar.walk("VEVENT")
    assert str(only["SUMMARY"]) == "Elternabend Übergang Schule–Beruf"
    assert only.decoded("DTSTART").astimezone(BERLIN).hour == 18
    assert str(only["LOCATION"]) == "Rathaus"

    # beta has no event with this id: its host must not hand out alpha's
    assert beta.client().get(f"/de/feeds/events/{event.pk}.ics").status_code == 404
    assert network_client.get(f"/de/feeds/events/{event.pk}.ics").status_code == 404
    with schema_context(alpha.schema):
        home_id = MemberHomePage.objects.get().pk
    assert alpha.client().get(f"/de/feeds/events/{home_id}.ics").status_code == 404


def test_network_calendar_has_network_events_only(network_client, alpha):
    member_event(
        alpha.schema, "Alpha-Termin", datetime(2030, 5, 5, 10, 0, tzinfo=BERLIN), online=True
    )
    with schema_context("public"):
        event = NetworkEventPageFactory(
            parent=NetworkEventIndexPageFactory(parent=network_home()),
            title="Jahrestreffen",
            slug="jahrestreffen",
            start=datetime(2030, 5, 6, 10, 0, tzinfo=BERLIN),
            online=True,
        )

    calendar = ical(network_client.get("/de/feeds/events.ics"))

    (only,) = calendar.walk("VEVENT")
    assert str(only["SUMMARY"]) == "Jahrestreffen"
    assert str(only["UID"]) == f"event-{event.pk}@localhost"
    assert str(only["URL"]) == "http://localhost/de/veranstaltungen/jahrestreffen/"


def test_sitemaps_list_only_their_own_host(network_client, alpha, beta):
    news = member_news(alpha.schema, "Für die Sitemap", day=date(2025, 6, 1))
    member_news(beta.schema, "Beta-Nachricht", day=date(2025, 6, 1))

    alpha_locs = sitemap_locations(alpha.client())
    beta_locs = sitemap_locations(beta.client())
    network_locs = sitemap_locations(network_client)

    assert f"http://alpha.localhost/de/aktuelles/{news.slug}/" in alpha_locs
    assert all(loc.startswith("http://alpha.localhost/") for loc in alpha_locs)
    assert beta_locs and all(loc.startswith("http://beta.localhost/") for loc in beta_locs)
    assert network_locs and all(loc.startswith("http://localhost/") for loc in network_locs)
