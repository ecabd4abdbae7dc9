"""The network calendar: the network's events page lists the network's own events and the
members' approved event highlights in one list by date, filterable by organiser and
month, and the same list as an iCal feed (``/de/feeds/calendar.ics``, network host only).

Highlight rows are written directly (the copy pipeline has its own tests); the last test
works on committed data to see the page cache purged by curation.
"""

import time
from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify
from django_tenants.utils import schema_context
from icalendar import Calendar
from wagtail.models import Page

from sites.highlights.models import Highlight
from sites.highlights.services import highlight_curate
from sites.network.models import NetworkEventIndexPage
from tenants.models import Member
from tests.conftest import NETWORK_HOST, HostClient
from tests.factories import (
    HighlightFactory,
    NetworkEventIndexPageFactory,
    NetworkEventPageFactory,
    network_home,
    translation_publish,
)

CALENDAR = "/de/feeds/calendar.ics"


def days(number: float) -> datetime:
    return timezone.now() + timedelta(days=number)


def member_event(member, title: str, start: datetime, **fields) -> Highlight:
    return HighlightFactory(
        member=member.member, title=title, page_type="event", event_start=start, **fields
    )


def event_index() -> NetworkEventIndexPage:
    with schema_context("public"):
        return NetworkEventIndexPageFactory(parent=network_home())


def network_event(index, title: str, start: datetime, **fields):
    with schema_context("public"):
        return NetworkEventPageFactory(
            parent=index, title=title, slug=slugify(title), start=start, **fields
        )


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(soup: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select(".teaser-list .teaser-title")]


def result_count(soup: BeautifulSoup) -> str:
    return soup.find(class_="result-count").get_text(" ", strip=True)


def month_of(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")


@pytest.fixture
def calendar(alpha, beta):
    """The network's events page with two network events and the members' events: shown,
    hidden by curation or by the member's state, and one that is over."""
    index = event_index()
    network_event(index, "Netzwerktreffen", days(5), venue_name="Rathaus Weinheim")
    network_event(index, "Jahresforum", days(40), online=True)
    network_event(index, "Vergangene Netzwerkkonferenz", days(-20))
    member_event(alpha, "Alpha-Fachtag", days(2), state="featured", teaser="Für Lehrkräfte")
    member_event(beta, "Beta-Messe", days(10), event_end=days(10.2))
    member_event(alpha, "Alpha-Sprechstunde", days(41))
    member_event(alpha, "Vergangener Alpha-Termin", days(-30))
    member_event(alpha, "Nur vorgeschlagen", days(3), state="proposed")
    member_event(alpha, "Abgelehnt", days(4), state="rejected")
    member_event(alpha, "Zurückgezogen", days(6), withdrawn_at=days(-1))
    HighlightFactory(member=alpha.member, title="Eine Nachricht, kein Termin")
    return index


def test_the_events_page_lists_network_and_member_events_in_one_list_by_date(
    network_client, calendar, alpha
):
    soup = soup_of(network_client.get(calendar.url))

    assert titles(soup) == [
        "Alpha-Fachtag",
        "Netzwerktreffen",
        "Beta-Messe",
        "Jahresforum",
        "Alpha-Sprechstunde",
    ]
    assert "5 Termine" in result_count(soup)
    items = soup.select(".teaser-list > li")
    organisers = [item.find(class_="organiser").get_text(strip=True) for item in items]
    network = "Veranstalter: Kommunale Koordinierung"
    assert organisers == [
        "Veranstalter: Stadt Alpha",
        network,
        "Veranstalter: Kreis Beta",
        network,
        "Veranstalter: Stadt Alpha",
    ]
    fachtag, treffen = items[0], items[1]
    assert fachtag.find("a")["href"].startswith("http://alpha.localhost/de/")
    assert "Für Lehrkräfte" in fachtag.get_text()
    assert treffen.find("a")["href"] == "/de/veranstaltungen/netzwerktreffen/"
    assert "Rathaus Weinheim" in treffen.get_text()
    assert fachtag.find("time")["datetime"].startswith(
        timezone.localtime(days(2)).date().isoformat()
    )
    feed_link = soup.find("a", href=CALENDAR)
    assert feed_link is not None and "iCal" in feed_link.get_text()


def test_past_events_of_both_kinds_on_request(network_client, calendar):
    soup = soup_of(network_client.get(calendar.url, {"past": "1"}))
    assert titles(soup) == ["Vergangene Netzwerkkonferenz", "Vergangener Alpha-Termin"]
    assert soup.find("input", attrs={"type": "hidden", "name": "past"})["value"] == "1"


def test_filters_by_organiser_and_month_with_labelled_fields(network_client, calendar):
    soup = soup_of(network_client.get(calendar.url))
    form = soup.find("form", class_="filter-form")
    assert form["method"] == "get" and form.find("button", type="submit")
    for name in ("member", "month"):
        field = form.find("select", attrs={"name": name})
        assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True)
    options = [o["value"] for o in form.find("select", attrs={"name": "member"})("option")]
    assert options == ["", "network", "beta", "alpha"]  # all, network, members by name
    months = [o["value"] for o in form.find("select", attrs={"name": "month"})("option")]
    expected_months = sorted({month_of(days(n)) for n in (2, 5, 10, 40, 41)})
    assert months == ["", *expected_months]

    network_only = soup_of(network_client.get(calendar.url, {"member": "network"}))
    assert titles(network_only) == ["Netzwerktreffen", "Jahresforum"]
    assert "2 Termine" in result_count(network_only)
    alpha_only = soup_of(network_client.get(calendar.url, {"member": "alpha"}))
    assert titles(alpha_only) == ["Alpha-Fachtag", "Alpha-Sprechstunde"]

    month = month_of(days(40))
    in_month = soup_of(network_client.get(calendar.url, {"month": month}))
    expected = [
        title
        for title, offset in (
            ("Alpha-Fachtag", 2),
            ("Netzwerktreffen", 5),
            ("Beta-Messe", 10),
            ("Jahresforum", 40),
            ("Alpha-Sprechstunde", 41),
        )
        if month_of(days(offset)) == month
    ]
    assert titles(in_month) == expected
    both = soup_of(network_client.get(calendar.url, {"month": month, "member": "alpha"}))
    assert titles(both) == [title for title in expected if title.startswith("Alpha")]


@pytest.mark.parametrize("params", [{"member": "gibtsnicht"}, {"month": "2019-13"}])
def test_an_unknown_filter_value_is_reported_not_guessed(network_client, calendar, params):
    soup = soup_of(network_client.get(calendar.url, params))
    (name,) = params
    select = soup.find("select", attrs={"name": name})
    error = soup.find(id=select["aria-describedby"])
    assert error["class"] == ["field-error"] and error.get_text(strip=True)
    assert "5 Termine" in result_count(soup)  # the other filters still apply: none


def test_an_archived_members_events_leave_the_calendar(network_client, calendar, beta):
    Member.objects.filter(pk=beta.member.pk).update(state=Member.State.ARCHIVED)
    soup = soup_of(network_client.get(calendar.url))
    assert "Beta-Messe" not in titles(soup)
    options = [o["value"] for o in soup.find("select", attrs={"name": "member"})("option")]
    assert "beta" not in options
    assert b"Beta-Messe" not in network_client.get(CALENDAR).content


def test_the_list_is_paginated(network_client, alpha):
    index = event_index()
    for number in range(12):
        member_event(alpha, f"Termin {number:02}", days(number + 1))
    soup = soup_of(network_client.get(index.url))
    assert titles(soup) == [f"Termin {number:02}" for number in range(10)]
    assert "12 Termine" in result_count(soup)
    second = soup_of(network_client.get(index.url + soup.find("a", rel="next")["href"]))
    assert titles(second) == ["Termin 10", "Termin 11"]


def test_english_visitors_get_the_members_english_version(network_client, alpha):
    index = event_index()
    member_event(
        alpha,
        "Ausbildungsbörse",
        days(8),
        translations={
            "en": {
                "title": "Apprenticeship fair",
                "teaser": "",
                "url": "http://alpha.localhost/en/fair/",
            }
        },
    )
    member_event(alpha, "Nur auf Deutsch", days(9))
    with schema_context("public"):
        translation_publish(network_home(), "en", title="Network", slug="start-en")
        english = translation_publish(index, "en", title="Events", slug="events")

    soup = soup_of(network_client.get(english.url))
    assert titles(soup) == ["Apprenticeship fair", "Nur auf Deutsch(in German)"]
    fair, german = soup.select(".teaser-list .teaser-title a")
    assert (fair["href"], fair["lang"]) == ("http://alpha.localhost/en/fair/", "en")
    assert german["lang"] == "de"
    summaries = [
        str(event["SUMMARY"])
        for event in Calendar.from_ical(network_client.get("/en/feeds/calendar.ics").content).walk(
            "VEVENT"
        )
    ]
    assert summaries == ["Apprenticeship fair", "Nur auf Deutsch (in German)"]


# --- iCal ---------------------------------------------------------------------------------


def test_the_calendar_feed_lists_both_kinds_with_stable_uids(network_client, calendar, alpha):
    response = network_client.get(CALENDAR)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = Calendar.from_ical(response.content)
    events = parsed.walk("VEVENT")
    summaries = [str(event["SUMMARY"]) for event in events]
    # the last three months too, like every site's events.ics: subscribers keep them
    assert summaries == [
        "Vergangener Alpha-Termin",
        "Vergangene Netzwerkkonferenz",
        "Alpha-Fachtag",
        "Netzwerktreffen",
        "Beta-Messe",
        "Jahresforum",
        "Alpha-Sprechstunde",
    ]
    by_summary = {str(event["SUMMARY"]): event for event in events}
    fachtag = Highlight.objects.get(title="Alpha-Fachtag")
    assert str(by_summary["Alpha-Fachtag"]["UID"]) == f"highlight-{fachtag.pk}@localhost"
    assert str(by_summary["Alpha-Fachtag"]["URL"]) == fachtag.url
    assert "Stadt Alpha" in str(by_summary["Alpha-Fachtag"]["DESCRIPTION"])
    treffen = Page.objects.get(slug="netzwerktreffen")
    assert str(by_summary["Netzwerktreffen"]["UID"]) == f"event-{treffen.pk}@localhost"
    assert by_summary["Beta-Messe"].decoded("DTEND") > by_summary["Beta-Messe"].decoded("DTSTART")
    assert str(by_summary["Beta-Messe"]["DTSTART"].params["TZID"]) == "Europe/Berlin"
    assert parsed.walk("VTIMEZONE"), "a VTIMEZONE for Europe/Berlin"
    assert str(parsed["UID"]) == "network-calendar@localhost"
    for hidden in ("Nur vorgeschlagen", "Abgelehnt", "Zurückgezogen", "Eine Nachricht"):
        assert hidden.encode() not in response.content


def test_the_calendar_feed_exists_on_the_network_host_only(alpha):
    member_event(alpha, "Nur im Netzwerk", days(3))
    response = alpha.client().get(CALENDAR)
    assert response.status_code == 404
    assert b"Nur im Netzwerk" not in response.content


def test_the_calendar_feed_without_events_is_an_empty_calendar(network_client):
    parsed = Calendar.from_ical(network_client.get(CALENDAR).content)
    assert parsed.walk("VEVENT") == []


# --- The page cache --------------------------------------------------------------------------


def view(path: str):
    response = HostClient(NETWORK_HOST).get(path)
    response.text = response.content.decode()
    return response


def cached(path: str):
    view(path)
    response = view(path)
    assert response["X-Cache"] == "hit", f"{path} was not cached"
    return response


def test_curation_and_network_events_reach_the_cached_calendar_at_once(
    refuse_a_non_test_database, platform, committed
):
    """Committed data: the page cache keeps nothing inside a transaction."""
    alpha = platform["alpha"]
    with schema_context("public"):
        index = NetworkEventIndexPageFactory(parent=network_home())
    highlight = member_event(alpha, "Alpha-Tag der offenen Tür", days(9), state="proposed")
    event = None
    try:
        for path in (index.url, CALENDAR):
            assert "Alpha-Tag der offenen Tür" not in cached(path).text
        highlight_curate([highlight], state=Highlight.State.APPROVED)
        for path in (index.url, CALENDAR):
            assert "Alpha-Tag der offenen Tür" in view(path).text, path
        cached(CALENDAR)

        event = network_event(index, "Neues Netzwerktreffen", days(12))
        connection.set_schema_to_public()
        for path in (index.url, CALENDAR):
            assert "Neues Netzwerktreffen" in view(path).text, path

        highlight_curate([highlight], state=Highlight.State.REJECTED)
        for path in (index.url, CALENDAR):
            assert "Alpha-Tag der offenen Tür" not in view(path).text, path
    finally:
        connection.set_schema_to_public()
        Highlight.objects.filter(pk=highlight.pk).delete()
        if event is not None:
            Page.objects.get(pk=event.pk).delete()
        Page.objects.get(pk=index.pk).delete()


def test_the_cached_page_expires_when_its_first_event_is_over(
    refuse_a_non_test_database, platform, committed
):
    alpha = platform["alpha"]
    soon = timezone.now() + timedelta(seconds=3)
    with schema_context("public"):
        index = NetworkEventIndexPageFactory(parent=network_home())
    highlight = member_event(
        alpha, "Gleich vorbei", soon - timedelta(hours=1), event_end=soon, state="approved"
    )
    try:
        assert "Gleich vorbei" in cached(index.url).text
        time.sleep(4)
        assert "Gleich vorbei" not in view(index.url).text
    finally:
        connection.set_schema_to_public()
        Highlight.objects.filter(pk=highlight.pk).delete()
        Page.objects.get(pk=index.pk).delete()
