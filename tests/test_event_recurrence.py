"""Whole-day and recurring events (imported from the old Plone sites): a whole-day event
shows only its days and is a DATE event in the .ics; a recurring one says how it repeats
in the page's language and carries its RRULE into the .ics; a rule that is none is
refused in German when the page is saved."""

import io
import re
from datetime import UTC, date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation
from django_tenants.utils import schema_context
from icalendar import Calendar
from icalendar.prop import vRecur
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html

from core.recurrence import describe
from sites.members.models import MemberEventPage, MemberHomePage
from tests.factories import MemberEventPageFactory, member_event_index, translation_publish

BERLIN = ZoneInfo("Europe/Berlin")
MONTHLY = "FREQ=MONTHLY;BYDAY=1WE;COUNT=10"
INVALID_SOMETIMES = (
    "„FREQ=SOMETIMES“ ist keine gültige Wiederholungsregel. Erwartet wird eine "
    "iCalendar-Regel (RRULE) wie „FREQ=WEEKLY;BYDAY=MO“ (jeden Montag)."
)


@pytest.fixture(scope="module", autouse=True)
def compiled():
    """The English catalog compiled (the .mo file is git-ignored), as in test_i18n."""
    call_command("compile_translations", stdout=io.StringIO())
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        yield


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def reads(node) -> str:
    """The text as it reads (no spaces added between tags)."""
    return re.sub(r"\s+", " ", node.get_text()).strip()


def facts(doc) -> dict[str, str]:
    """The event page's facts, "Wann" → "12. Juni 2030"."""
    box = doc.find("dl", class_="event-facts")
    return {reads(div.dt): reads(div.dd) for div in box.find_all("div", recursive=False)}


def event(alpha, slug: str, **fields) -> MemberEventPage:
    fields.setdefault("start", datetime(2030, 6, 12, 18, 0, tzinfo=BERLIN))
    with schema_context(alpha.schema):
        return MemberEventPageFactory(
            parent=member_event_index(), title=f"Termin {slug}", slug=slug, **fields
        )


def url_of(alpha, page) -> str:
    with schema_context(alpha.schema):
        return Page.objects.get(pk=page.pk).url


def english(alpha, page, title: str):
    """``page`` translated into English below an English home page, published."""
    with schema_context(alpha.schema):
        home = MemberHomePage.objects.get(locale__language_code="de")
        translation_publish(home, "en", title="City of Alpha")
        return translation_publish(page, "en", title=title)


def ics_text(response) -> str:
    """The calendar file as text, long lines unfolded (RFC 5545 3.1)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content.decode().replace("\r\n ", "")


# --- The event page -------------------------------------------------------------------


def test_recurring_event_page_says_how_it_repeats_in_german_and_english(alpha):
    german = event(alpha, "stammtisch", recurrence=MONTHLY, online=True)
    english_page = english(alpha, german, "Regulars' table")

    german_facts = facts(soup(alpha.client().get(url_of(alpha, german))))
    english_facts = facts(soup(alpha.client().get(url_of(alpha, english_page))))

    assert german_facts["Wiederholung"] == "Monatlich am ersten Mittwoch, 10 Termine"
    assert german_facts["Wann"] == "12. Juni 2030, 18:00 Uhr"
    assert english_facts["Recurrence"] == "Monthly on the first Wednesday, 10 times"


def test_event_without_rule_shows_no_recurrence(alpha):
    page = event(alpha, "einmalig", online=True)

    assert "Wiederholung" not in facts(soup(alpha.client().get(url_of(alpha, page))))


@pytest.mark.parametrize(
    ("start", "end", "german", "english_when"),
    [
        (datetime(2030, 6, 12), None, "12. Juni 2030", "12 June 2030"),
        (datetime(2030, 6, 12), datetime(2030, 6, 12, 23, 59), "12. Juni 2030", "12 June 2030"),
        (
            datetime(2030, 6, 12),
            datetime(2030, 6, 13, 23, 59),
            "12.–13. Juni 2030",
            "12–13 June 2030",
        ),
        (
            datetime(2030, 6, 30),
            datetime(2030, 7, 1, 23, 59),
            "30. Juni – 1. Juli 2030",
            "30 June – 1 July 2030",
        ),
    ],
    ids=["one day", "one day with end", "same month", "two months"],
)
def test_whole_day_event_shows_its_days_without_times(alpha, start, end, german, english_when):
    page = event(
        alpha,
        "aktionstage",
        start=start.replace(tzinfo=BERLIN),
        end=end.replace(tzinfo=BERLIN) if end else None,
        whole_day=True,
    )
    english_page = english(alpha, page, "Action days")

    german_doc = soup(alpha.client().get(url_of(alpha, page)))
    english_doc = soup(alpha.client().get(url_of(alpha, english_page)))

    assert facts(german_doc)["Wann"] == german
    assert facts(english_doc)["When"] == english_when
    times = german_doc.find("dl", class_="event-facts").find_all("time")
    assert times[0]["datetime"] == start.date().isoformat()
    # the list of events shows the same days, no time
    with schema_context(alpha.schema):
        index_url = page.get_parent().url
    teaser = soup(alpha.client().get(index_url)).find("article", class_="event-teaser")
    meta = reads(teaser.find("p", class_="meta"))
    assert meta.startswith(german)
    assert "Uhr" not in meta and ":" not in meta


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["12. Juni 2030", "12.–13. Juni 2030", "30. Juni – 1. Juli 2030"]),
        ("en", ["12 June 2030", "12–13 June 2030", "30 June – 1 July 2030"]),
    ],
)
def test_whole_day_dates_read_as_in_the_language(language, expected):
    def when(first: date, last: date) -> str:
        whole_day = SimpleNamespace(
            whole_day=True,
            start=datetime(first.year, first.month, first.day, tzinfo=BERLIN),
            end=datetime(last.year, last.month, last.day, 23, 59, tzinfo=BERLIN),
        )
        html = render_to_string("components/event_when.html", {"event": whole_day})
        return reads(BeautifulSoup(html, "html.parser"))

    with translation.override(language):
        shown = [
            when(date(2030, 6, 12), date(2030, 6, 12)),
            when(date(2030, 6, 12), date(2030, 6, 13)),
            when(date(2030, 6, 30), date(2030, 7, 1)),
        ]
    assert shown == expected


def test_whole_day_dates_across_years_and_in_untranslated_languages_are_written_in_full():
    new_year = SimpleNamespace(
        whole_day=True,
        start=datetime(2030, 12, 31, tzinfo=BERLIN),
        end=datetime(2031, 1, 1, 23, 59, tzinfo=BERLIN),
    )
    two_days = SimpleNamespace(
        whole_day=True,
        start=datetime(2030, 6, 12, tzinfo=BERLIN),
        end=datetime(2030, 6, 13, tzinfo=BERLIN),
    )

    def when(language, event) -> str:
        with translation.override(language):
            html = render_to_string("components/event_when.html", {"event": event})
        return reads(BeautifulSoup(html, "html.parser"))

    assert when("de", new_year) == "31. Dezember 2030 – 1. Januar 2031"
    # Ukrainian: Django's format of its locale for both days, no German "12.–"
    assert when("uk", two_days) == "12 червня 2030 р. – 13 червня 2030 р."


# --- The calendar files ----------------------------------------------------------------


def test_event_ics_carries_the_rule_as_stored(alpha):
    page = event(alpha, "monatstreffen", recurrence=MONTHLY, online=True)

    single = ics_text(alpha.client().get(f"/de/feeds/events/{page.pk}.ics"))
    calendar = ics_text(alpha.client().get("/de/feeds/events.ics"))

    assert f"RRULE:{MONTHLY}\r\n" in single
    assert "DTSTART;TZID=Europe/Berlin:20300612T180000" in single
    assert f"RRULE:{MONTHLY}\r\n" in calendar
    # calendar programs read it back as the same rule
    (vevent,) = Calendar.from_ical(single).walk("VEVENT")
    assert vevent["RRULE"] == vRecur({"FREQ": "MONTHLY", "BYDAY": "1WE", "COUNT": 10})


def test_until_in_the_ics_has_the_value_type_of_the_start(alpha):
    """RFC 5545: UNTIL is a date for a whole-day event, a UTC time otherwise; an imported
    date means "up to and including that day" in Berlin."""
    rule = "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20340630"
    timed = event(alpha, "sprechstunde", recurrence=rule, online=True)
    whole_day = event(
        alpha,
        "projektwoche",
        start=datetime(2030, 6, 13, tzinfo=BERLIN),
        recurrence=rule,
        whole_day=True,
        online=True,
    )

    timed_ics = ics_text(alpha.client().get(f"/de/feeds/events/{timed.pk}.ics"))
    whole_day_ics = ics_text(alpha.client().get(f"/de/feeds/events/{whole_day.pk}.ics"))

    assert "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20340630T215959Z\r\n" in timed_ics
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20340630\r\n" in whole_day_ics
    # the time zone definition reaches the summer time of the last repetitions
    (zone,) = Calendar.from_ical(timed_ics).walk("VTIMEZONE")
    assert "20340326T" in zone.to_ical().decode().replace("\r\n ", "")  # CET → CEST


def test_whole_day_event_is_a_date_event_in_the_ics(alpha):
    page = event(
        alpha,
        "ferienspiele",
        start=datetime(2030, 6, 12, tzinfo=BERLIN),
        end=datetime(2030, 6, 13, 23, 59, tzinfo=BERLIN),
        whole_day=True,
    )

    text = ics_text(alpha.client().get(f"/de/feeds/events/{page.pk}.ics"))

    assert "DTSTART;VALUE=DATE:20300612\r\n" in text
    # the end of DATE events is exclusive: the day after the last
    assert "DTEND;VALUE=DATE:20300614\r\n" in text
    assert "TZID" not in text
    (vevent,) = Calendar.from_ical(text).walk("VEVENT")
    assert vevent.decoded("DTSTART") == date(2030, 6, 12)


def test_one_whole_day_without_end_lasts_that_day_in_the_calendar(alpha):
    page = event(
        alpha, "tag-der-offenen-tuer", start=datetime(2030, 6, 12, tzinfo=BERLIN), whole_day=True
    )

    text = ics_text(alpha.client().get("/de/feeds/events.ics"))

    assert f"event-{page.pk}@alpha.localhost" in text
    assert "DTSTART;VALUE=DATE:20300612\r\n" in text
    assert "DTEND;VALUE=DATE:20300613\r\n" in text


# --- Saving: the editor's rule ---------------------------------------------------------


def test_clean_refuses_a_rule_that_is_none_in_german(alpha):
    page = event(alpha, "unklar", online=True)
    with schema_context(alpha.schema):
        page.recurrence = "FREQ=SOMETIMES"
        with pytest.raises(ValidationError) as refused:
            page.clean()

    assert refused.value.message_dict == {"recurrence": [INVALID_SOMETIMES]}


def test_clean_strips_the_prefix_and_still_refuses_an_event_without_venue(alpha):
    page = event(alpha, "ortlos", online=True)
    with schema_context(alpha.schema):
        page.recurrence = " rrule:FREQ=WEEKLY; BYDAY=MO "
        page.clean()
        assert page.recurrence == "FREQ=WEEKLY;BYDAY=MO"

        page.online = False
        page.recurrence = "COUNT=3;FREQ=DAILY;UNTIL=20300701"
        with pytest.raises(ValidationError) as refused:
            page.clean()

    assert refused.value.message_dict == {
        "venue_name": ["Bitte einen Ort angeben oder „Online“ wählen."],
        "recurrence": [
            "Eine Wiederholung endet entweder nach einer Anzahl von Terminen (COUNT) oder "
            "an einem Datum (UNTIL), nicht beides."
        ],
    }


def _add_form(client, parent) -> tuple[str, dict]:
    add_url = f"/admin/pages/add/members/membereventpage/{parent.pk}/"
    form = client.get(add_url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    for stream in ("body", "attachments", "highlight_teaser"):
        data.setdefault(f"{stream}-count", "0")
    return add_url, data


def test_coordinator_saves_an_imported_rule_and_is_told_when_it_is_none(alpha):
    client = alpha.logged_in_client()
    with schema_context(alpha.schema):
        parent = member_event_index()
    add_url, data = _add_form(client, parent)
    fields = {
        "title": "Elterncafé",
        "slug": "elterncafe",
        "start": "2030-06-12 00:00",
        "end": "2030-06-12 23:59",
        "whole_day": "on",
        "venue_name": "Familienzentrum",
        "action-publish": "action-publish",
    }

    data.update(nested_form_data({**fields, "recurrence": "FREQ=SOMETIMES"}))
    refused = client.post(add_url, data)
    data.update(nested_form_data({**fields, "recurrence": "RRULE:" + MONTHLY}))
    saved = client.post(add_url, data)

    assert refused.status_code == 200
    assert INVALID_SOMETIMES in reads(BeautifulSoup(refused.content.decode(), "html.parser"))
    assert saved.status_code == 302
    with schema_context(alpha.schema):
        page = MemberEventPage.objects.get(slug="elterncafe")
        assert (page.recurrence, page.whole_day, page.live) == (MONTHLY, True, True)
        url = page.url
    assert facts(soup(alpha.client().get(url)))["Wann"] == "12. Juni 2030"


# --- The words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "german", "english_words"),
    [
        (
            MONTHLY,
            "Monatlich am ersten Mittwoch, 10 Termine",
            "Monthly on the first Wednesday, 10 times",
        ),
        (
            "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20270630",
            "Wöchentlich montags und donnerstags bis 30.06.2027",
            "Weekly on Mondays and Thursdays until 30 June 2027",
        ),
        # a UTC end (23:59:59 in Berlin) is still that Berlin day
        (
            "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20270630T215959Z",
            "Wöchentlich montags und donnerstags bis 30.06.2027",
            "Weekly on Mondays and Thursdays until 30 June 2027",
        ),
        ("FREQ=DAILY", "Täglich", "Daily"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "Alle 2 Wochen dienstags", "Every 2 weeks on Tuesdays"),
        ("FREQ=YEARLY", "Jährlich", "Yearly"),
        ("FREQ=YEARLY;INTERVAL=3;COUNT=1", "Alle 3 Jahre, 1 Termin", "Every 3 years, once"),
        ("FREQ=DAILY;INTERVAL=2", "Alle 2 Tage", "Every 2 days"),
        ("FREQ=MONTHLY;INTERVAL=6", "Alle 6 Monate", "Every 6 months"),
        (
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "Wöchentlich montags bis freitags",
            "Weekly on Monday to Friday",
        ),
        (
            "FREQ=MONTHLY;BYDAY=-1FR",
            "Monatlich am letzten Freitag",
            "Monthly on the last Friday",
        ),
        (
            "FREQ=MONTHLY;BYDAY=2MO,4MO",
            "Monatlich am zweiten Montag und vierten Montag",
            "Monthly on the second Monday and fourth Monday",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=1,22,-1",
            "Monatlich am 1., 22. und letzten Tag",
            "Monthly on the 1st, 22nd and last day",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=13", "Monatlich am 13.", "Monthly on the 13th"),
        # what the words do not cover is shown as the rule itself
        ("FREQ=HOURLY", "Wiederholt sich (Regel: FREQ=HOURLY)", "Repeats (rule: FREQ=HOURLY)"),
        (
            "FREQ=YEARLY;BYMONTH=5;BYDAY=1MO",
            "Wiederholt sich (Regel: FREQ=YEARLY;BYMONTH=5;BYDAY=1MO)",
            "Repeats (rule: FREQ=YEARLY;BYMONTH=5;BYDAY=1MO)",
        ),
        (
            "FREQ=MONTHLY;BYDAY=5SU",
            "Wiederholt sich (Regel: FREQ=MONTHLY;BYDAY=5SU)",
            "Repeats (rule: FREQ=MONTHLY;BYDAY=5SU)",
        ),
        ("kaputt", "Wiederholt sich (Regel: kaputt)", "Repeats (rule: kaputt)"),
        ("", "", ""),
    ],
)
def test_describe_puts_the_rule_into_words(rule, german, english_words):
    with translation.override("de"):
        assert describe(rule) == german
    with translation.override("en"):
        assert describe(rule) == english_words


def test_describe_in_a_language_the_catalog_does_not_translate_is_german():
    with translation.override("tr"):
        assert describe("FREQ=WEEKLY;BYDAY=TU") == "Wöchentlich dienstags"


def test_whole_day_dates_in_the_page_use_berlin_days():
    """A whole-day event stored at midnight Berlin (22:00 UTC the day before) is on the
    Berlin day."""
    stored = SimpleNamespace(
        whole_day=True, start=datetime(2030, 6, 11, 22, 0, tzinfo=UTC), end=None
    )
    with translation.override("de"):
        html = render_to_string("components/event_when.html", {"event": stored})
    assert reads(BeautifulSoup(html, "html.parser")) == "12. Juni 2030"
    assert BeautifulSoup(html, "html.parser").time["datetime"] == "2030-06-12"
