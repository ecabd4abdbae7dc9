"""English interface texts and formats: the catalog is complete, `compile_translations` builds
it without GNU gettext, a page's texts, dates and times are in the page's language, and the
admin speaks the editor's language.

Our source texts are German; locale/en/LC_MESSAGES/django.po translates them. The .mo
file is git-ignored, so this module compiles it first, as `make run`/`make test` do.
After changing texts, update the catalog from the repository root (needs GNU gettext) and
translate what is new: `manage.py makemessages -l en --ignore=.venv --ignore=.data
--ignore=bench --ignore=tests --ignore=node_modules --no-location` (settings
core.settings.dev).
"""

import gettext
import html
import io
import json
import re
import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import feedparser
import polib
import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_tenants.utils import schema_context
from icalendar import Calendar
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Page
from wagtail.users.models import UserProfile

from core.blocks import LinkBlock
from core.management.commands.compile_translations import load_catalog
from core.models import SiteSettings
from sites.members.models import (
    MemberEventPage,
    MemberHomePage,
)
from tenants.models import Member
from tests.factories import (
    MemberEventPageFactory,
    MemberNewsPageFactory,
    member_event_index,
    member_news_index,
    translation_publish,
)

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module", autouse=True)
def compiled():
    """Build the .mo files, then make Django reload catalogs it may have cached without them
    (changing LOCALE_PATHS, even to the same value, resets Django's translation caches)."""
    output = io.StringIO()
    call_command("compile_translations", stdout=output)
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        yield output.getvalue()


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


# --- The catalog ---------------------------------------------------------------------


def test_catalog_translates_every_entry_and_has_nothing_fuzzy():
    po = polib.pofile(str(CATALOG))
    assert po.metadata["Language"] == "en"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert not po.metadata_is_fuzzy
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()]
    assert po.fuzzy_entries() == []
    assert [e.msgid for e in po if e.obsolete] == []
    load_catalog(CATALOG)  # what the command checks too: placeholders kept, no duplicates


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge")),
    reason="makemessages needs GNU gettext (only for extracting strings, not for running)",
)
def test_catalog_covers_every_translatable_string_of_the_source(tmp_path, settings, monkeypatch):
    """Extract the strings of our code again (as the README's makemessages call does) into
    a copy of the catalog: no string of the source may come out untranslated."""
    # makemessages writes into every `locale` folder it finds below the working directory
    # and into ./locale; a tree of links to our code keeps the repository's catalog as it is.
    source = tmp_path / "source"
    source.mkdir()
    skipped = {"bench", "tests", "locale", "backups", "test-artifacts"}
    for entry in Path(settings.BASE_DIR).iterdir():
        if entry.name in skipped or entry.name.startswith(".") or entry.suffix == ".egg-info":
            continue
        (source / entry.name).symlink_to(entry)
    copy = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOG, copy)
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    monkeypatch.chdir(source)
    call_command(
        "makemessages",
        locale=["en"],
        ignore_patterns=["locale"],
        no_location=True,
        symlinks=True,
        verbosity=0,
    )

    extracted = polib.pofile(str(copy))
    assert len(extracted) > 100, "makemessages found (almost) no strings"
    missing = [e.msgid for e in extracted.untranslated_entries() + extracted.fuzzy_entries()]
    assert not missing, "untranslated strings in the source; run makemessages (see the " + (
        "module docstring) and translate: " + " | ".join(missing)
    )


# --- Pages of a member ---------------------------------------------------------------
# A page's language is its locale's: English pages are translations below the English
# home (as wagtail-localize makes them) and their URLs start with /en/.


def translate(member, page, title: str):
    """The member's English translation of ``page``, published (missing parents become
    aliases of the German ones)."""
    with schema_context(member.schema):
        return translation_publish(page, "en", title=title)


def url_of(member, page) -> str:
    with schema_context(member.schema):
        return Page.objects.get(pk=page.pk).url


def reads(node) -> str:
    """The text as it reads: unlike ``text``, no spaces are added between tags."""
    return re.sub(r"\s+", " ", node.get_text()).strip()


def when(doc) -> str:
    return reads(doc.find("dl", class_="event-facts").find("dd"))


@pytest.fixture
def english_home(alpha):
    with schema_context(alpha.schema):
        home = MemberHomePage.objects.get(locale__language_code="de")
    return translate(alpha, home, "City of Alpha")


@pytest.fixture
def event(alpha):
    """A published event on 5 March 2030, 09:00–16:30 in Berlin, with 25 places and a
    one-day agenda, on alpha's microsite."""
    agenda = {
        "title": "",
        "days": [
            {
                "date": "2030-03-05",
                "title": "Auftakt",
                "items": [
                    {"start": "09:00", "end": "10:30", "title": "Begrüßung"},
                    {"start": "10:30", "end": None, "title": "Werkstatt"},
                ],
            }
        ],
    }
    with schema_context(alpha.schema):
        return MemberEventPageFactory(
            parent=member_event_index(),
            title="Fachtag",
            slug="fachtag",
            start=datetime(2030, 3, 5, 8, 0, tzinfo=UTC),
            end=datetime(2030, 3, 5, 15, 30, tzinfo=UTC),
            venue_name="Bürgerhaus Alpha",
            seats=25,
            registration="<p>Per E-Mail.</p>",
            body=json.dumps([{"type": "agenda", "value": agenda}]),
        )


@pytest.fixture
def english_event(alpha, english_home, event):
    return translate(alpha, event, "Conference")


@pytest.fixture
def news(alpha):
    with schema_context(alpha.schema):
        return MemberNewsPageFactory(
            parent=member_news_index(), title="Neues", slug="neues", date=date(2030, 3, 5)
        )


@pytest.mark.parametrize(
    ("language", "skip_link", "sections"),
    [
        ("en", "Skip to content", ["Latest news", "Events"]),
        ("de", "Zum Inhalt springen", ["Aktuelles", "Termine"]),
        ("en-GB,en;q=0.9,de;q=0.5", "Skip to content", ["Latest news", "Events"]),
    ],
)
def test_member_home_speaks_the_language_the_browser_asks_for(
    alpha, english_home, language, skip_link, sections
):
    response = alpha.client().get("/", headers={"accept-language": language}, follow=True)
    doc = soup(response)
    assert response.redirect_chain[-1][0].endswith(f"/{language[:2]}/")
    assert doc.html["lang"] == language[:2]
    first_link = doc.body.find("a")
    assert first_link["href"] == "#main"
    assert text(first_link) == skip_link
    assert [text(h) for h in doc.select("section.home-section > h2")] == sections


def test_member_home_is_german_when_the_browser_asks_for_nothing(alpha, english_home):
    doc = soup(alpha.client().get("/", follow=True))
    assert text(doc.body.find("a")) == "Zum Inhalt springen"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "facts": ["When", "Where", "Participation"],
                "seats": "Limited to 25 participants",
                "registration": "Registration",
                "agenda": ["Time", "Agenda item"],
                "calendar": "Add this event to your calendar (.ics)",
            },
        ),
        (
            "de",
            {
                "facts": ["Wann", "Wo", "Teilnahme"],
                "seats": "Begrenzte Teilnehmerzahl: 25 Plätze",
                "registration": "Anmeldung",
                "agenda": ["Zeit", "Programmpunkt"],
                "calendar": "Termin in den Kalender übernehmen (.ics)",
            },
        ),
    ],
)
def test_event_page_headings_blocks_and_plurals_follow_the_language(
    alpha, event, english_event, language, expected
):
    page = english_event if language == "en" else event
    doc = soup(alpha.client().get(url_of(alpha, page)))
    facts = doc.find("dl", class_="event-facts")
    assert [text(dt) for dt in facts.find_all("dt")] == expected["facts"]
    assert expected["seats"] in text(facts)
    assert text(doc.find("section", class_="registration").h2) == expected["registration"]
    agenda = doc.find("div", class_="agenda")
    assert [text(th) for th in agenda.thead.find_all("th")] == expected["agenda"]
    assert text(doc.find("p", class_="calendar-link")) == expected["calendar"]


def test_event_page_dates_and_times_read_as_in_the_pages_language(alpha, event, english_event):
    german = soup(alpha.client().get(url_of(alpha, event)))
    english = soup(alpha.client().get(url_of(alpha, english_event)))

    assert when(german) == "5. März 2030, 09:00–16:30 Uhr"
    assert when(english) == "5 March 2030, 09:00 – 16:30"
    # the machine-readable times are the same, in Berlin time
    for doc in (german, english):
        times = doc.find("dl", class_="event-facts").find_all("time")
        assert [t["datetime"] for t in times] == [
            "2030-03-05T09:00:00+01:00",
            "2030-03-05T16:30:00+01:00",
        ]

    def agenda(doc):
        block = doc.find("div", class_="agenda")
        return reads(block.find("h2")), [reads(th) for th in block.tbody("th")]

    assert agenda(german) == ("Dienstag, 5. März 2030: Auftakt", ["09:00–10:30 Uhr", "10:30 Uhr"])
    assert agenda(english) == ("Tuesday 5 March 2030: Auftakt", ["09:00 – 10:30", "10:30"])
    assert "Uhr" not in english.main.get_text()
    assert "März" not in english.main.get_text()


def test_event_lists_show_times_in_the_pages_language(alpha, event, english_event, english_home):
    with schema_context(alpha.schema):
        english_index = english_event.get_parent()
    for url, expected in [
        (url_of(alpha, event.get_parent()), "5. März 2030, 09:00–16:30 Uhr"),
        (url_of(alpha, english_index), "5 March 2030, 09:00 – 16:30"),
        (url_of(alpha, english_home), "5 March 2030, 09:00 – 16:30"),
    ]:
        teaser = soup(alpha.client().get(url)).find("article", class_="event-teaser")
        assert reads(teaser.find("p", class_="meta")).startswith(expected), url


def test_news_date_reads_as_in_the_pages_language(alpha, english_home, news):
    english = translate(alpha, news, "News")
    for page, expected in [(news, "5. März 2030"), (english, "5 March 2030")]:
        article = soup(alpha.client().get(url_of(alpha, page))).find("article")
        meta = article.find("p", class_="meta")
        assert text(meta) == expected
        assert meta.time["datetime"] == "2030-03-05"
        with schema_context(alpha.schema):
            index = Page.objects.get(pk=page.pk).get_parent()
        listing = soup(alpha.client().get(url_of(alpha, index))).find("article", class_="teaser")
        assert text(listing.find("p", class_="meta")) == expected


def localized_url(name: str, language: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_feeds_list_the_pages_of_their_language(alpha, english_home, news, english_event):
    english_news = translate(alpha, news, "News")
    client = alpha.client()

    german = feedparser.parse(client.get(localized_url("feeds:news", "de")).content)
    english = feedparser.parse(client.get(localized_url("feeds:news", "en")).content)

    assert (german.feed.language, [e.title for e in german.entries]) == ("de", ["Neues"])
    assert (english.feed.language, [e.title for e in english.entries]) == ("en", ["News"])
    assert english.feed.description == "News – Stadt Alpha"
    assert english.entries[0].link == f"http://{alpha.host}{url_of(alpha, english_news)}"
    # the English event page's calendar link gives the English event, in Berlin time
    calendar = client.get(localized_url("feeds:event", "en", english_event.pk))
    assert calendar.status_code == 200
    (vevent,) = Calendar.from_ical(calendar.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Conference"
    assert vevent.decoded("DTSTART").isoformat() == "2030-03-05T09:00:00+01:00"
    # a language the site is not published in has no feeds
    assert client.get(localized_url("feeds:news", "tr")).status_code == 404


def test_server_error_page_speaks_the_active_language():
    with translation.override("en"):
        page = BeautifulSoup(render_to_string("500.html"), "html.parser")
    assert page.html["lang"] == "en"
    assert text(page.h1) == "Something went wrong"
    with translation.override("ar"):
        assert BeautifulSoup(render_to_string("500.html"), "html.parser").html["dir"] == "rtl"


# --- Formats of each language --------------------------------------------------------

WHEN = Template(
    "{% load format_tags %}{% event_when start end %}|{% event_when start other_day %}|"
    "{% event_when start %}|{% time_span first last %}|{% time_span first %}|"
    "{{ start|local_date }}|{{ start|local_day }}"
)
BERLIN_TIMES = {
    "start": datetime(2030, 3, 5, 9, 0, tzinfo=UTC),  # 10:00 in Berlin
    "end": datetime(2030, 3, 5, 11, 0, tzinfo=UTC),
    "other_day": datetime(2030, 3, 6, 11, 0, tzinfo=UTC),
    "first": time(9, 0),
    "last": time(10, 30),
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            [
                "5. März 2030, 10:00–12:00 Uhr",
                "5. März 2030, 10:00 Uhr bis 6. März 2030, 12:00 Uhr",
                "5. März 2030, 10:00 Uhr",
                "09:00–10:30 Uhr",
                "09:00 Uhr",
                "5. März 2030",
                "Dienstag, 5. März 2030",
            ],
        ),
        (
            "en",
            [
                "5 March 2030, 10:00 – 12:00",
                "5 March 2030, 10:00 – 6 March 2030, 12:00",
                "5 March 2030, 10:00",
                "09:00 – 10:30",
                "09:00",
                "5 March 2030",
                "Tuesday 5 March 2030",
            ],
        ),
        # languages the catalog does not translate get Django's formats of their locale
        # and ranges without words (no German "Uhr" next to Ukrainian month names)
        (
            "uk",
            [
                "05 березня 2030 р. 10:00 – 12:00",
                "05 березня 2030 р. 10:00 – 06 березня 2030 р. 12:00",
                "05 березня 2030 р. 10:00",
                "09:00 – 10:30",
                "09:00",
                "05 березня 2030 р.",
                "05 березня 2030 р.",
            ],
        ),
        (
            "tr",
            [
                "05 Mart 2030 10:00 – 12:00",
                "05 Mart 2030 10:00 – 06 Mart 2030 12:00",
                "05 Mart 2030 10:00",
                "09:00 – 10:30",
                "09:00",
                "05 Mart 2030",
                "05 Mart 2030",
            ],
        ),
        (
            "ar",
            [
                "5 مارس، 2030 10:00 ص – 12:00 م",
                "5 مارس، 2030 10:00 ص – 6 مارس، 2030 12:00 م",
                "5 مارس، 2030 10:00 ص",
                "9:00 ص – 10:30 ص",
                "9:00 ص",
                "5 مارس، 2030",
                "5 مارس، 2030",
            ],
        ),
    ],
)
def test_dates_and_times_follow_the_active_language(language, expected):
    with translation.override(language):
        rendered = WHEN.render(Context(BERLIN_TIMES))
    shown = [BeautifulSoup(part, "html.parser").get_text() for part in rendered.split("|")]
    assert shown == expected
    assert "Uhr" not in rendered or language == "de"


def test_event_time_elements_are_in_berlin_time_and_days_are_berlin_days():
    """22:30–00:00 UTC is 23:30–01:00 in Berlin: two days there, though one in UTC."""
    late = {"start": datetime(2030, 3, 5, 22, 30, tzinfo=UTC)}
    late["end"] = late["start"] + timedelta(minutes=90)
    with translation.override("de"):
        rendered = Template("{% load format_tags %}{% event_when start end %}").render(
            Context(late)
        )
    doc = BeautifulSoup(rendered, "html.parser")
    assert doc.get_text() == "5. März 2030, 23:30 Uhr bis 6. März 2030, 01:00 Uhr"
    assert [t["datetime"] for t in doc("time")] == [
        "2030-03-05T23:30:00+01:00",
        "2030-03-06T01:00:00+01:00",
    ]


def test_a_translation_with_markup_characters_is_escaped(settings, tmp_path):
    """The phrases are translations: they are escaped before the <time> elements go in."""
    write_catalog(
        tmp_path,
        "en",
        GOOD
        + '\nmsgctxt "Zeitangabe"\nmsgid "%(time)s Uhr"\nmsgstr "<b>%(time)s</b> & more"\n'
        + '\nmsgctxt "Datumsformat"\nmsgid "j. F Y"\nmsgstr "j F Y"\n',
    )
    settings.LOCALE_PATHS = [tmp_path]
    call_command("compile_translations", stdout=io.StringIO())
    settings.LOCALE_PATHS = [tmp_path]
    with translation.override("en"):
        rendered = Template("{% load format_tags %}{% time_span first %}").render(
            Context(BERLIN_TIMES)
        )
    assert rendered == '&lt;b&gt;<time datetime="09:00">09:00</time>&lt;/b&gt; &amp; more'


# --- Texts in Python code ------------------------------------------------------------


def test_model_and_field_names_are_english_under_english():
    with translation.override("en"):
        assert str(MemberHomePage._meta.verbose_name) == "Member home page"
        assert str(MemberEventPage._meta.verbose_name) == "Event"
        assert str(MemberEventPage._meta.get_field("venue_name").verbose_name) == "Venue"
        assert str(SiteSettings._meta.verbose_name) == "Website settings"
        assert str(Member._meta.verbose_name_plural) == "Members"
        assert str(Member._meta.get_field("slug").verbose_name) == "Slug"
        assert str(Member.Kind.COUNTY.label) == "County"
    with translation.override("de"):
        assert str(MemberHomePage._meta.verbose_name) == "Startseite Mitglied"
        assert str(Member.Kind.COUNTY.label) == "Kreis"


def test_block_validation_message_is_english_under_english():
    block = LinkBlock()
    with translation.override("en"), pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({"label": "Mehr", "page": None, "url": ""}))
    with translation.override("en"):
        messages = ValidationError(caught.value.block_errors["url"]).messages
    assert messages == ["Please choose either a page or a web address."]


def test_app_names_are_english_under_english():
    labels = ["core", "tenants", "highlights", "members", "network"]
    with translation.override("en"):
        assert [str(apps.get_app_config(label).verbose_name) for label in labels] == [
            "Core",
            "Members",
            "Highlights",
            "Member websites",
            "Network website",
        ]
    with translation.override("de"):
        assert [str(apps.get_app_config(label).verbose_name) for label in labels] == [
            "Kern",
            "Mitglieder",
            "Highlights",
            "Mitglieder-Websites",
            "Netzwerk-Website",
        ]


def prefer_language(schema: str, user, language: str) -> None:
    """What an editor sets under Account → Preferred language."""
    with schema_context(schema):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()


@pytest.mark.parametrize(("language", "title"), [("en", "Agenda"), ("de", "Programm")])
def test_new_agenda_is_titled_in_the_editors_language(alpha, language, title):
    with schema_context(alpha.schema):
        index = member_event_index()
        prefer_language(
            alpha.schema, get_user_model().objects.get(email=alpha.coordinator), language
        )

    response = alpha.logged_in_client().get(f"/admin/pages/add/members/membereventpage/{index.pk}/")

    assert response.status_code == 200
    # the body's block definitions (JSON in an attribute) carry each block's default value
    assert f'"agenda": {{"title": "{title}", "days"' in html.unescape(response.content.decode())


def menu_labels(doc) -> dict[str, str]:
    """Name → label of the admin's main menu items (the sidebar is rendered from JSON)."""
    props = json.loads(doc.find("script", id="wagtail-sidebar-props").string)
    labels = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("name"), str) and isinstance(node.get("label"), str):
                labels[node["name"]] = node["label"]
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                walk(child)

    walk(props)
    return labels


@pytest.mark.parametrize(
    ("language", "menu", "columns"),
    [
        ("en", "Members", ["Name", "Slug", "Type", "Status", "Domain", "Created"]),
        ("de", "Mitglieder", ["Name", "Kürzel", "Art", "Status", "Domain", "Angelegt"]),
    ],
)
def test_member_admin_speaks_the_editors_language(
    editor_client, central_editor, alpha, language, menu, columns
):
    prefer_language("public", central_editor, language)

    doc = soup(editor_client.get("/admin/members/"))

    assert menu_labels(doc)["members"] == menu
    assert [text(th) for th in doc.select("table.listing thead th")] == columns
    assert doc.html["lang"] == language


# --- compile_translations ------------------------------------------------------------

GOOD = r"""msgid ""
msgstr ""
"Language: en\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Zum Inhalt springen"
msgstr "Skip to content"

#, python-format
msgid "Seite %(number)s von %(total)s"
msgstr "Page %(number)s of %(total)s"

#, python-format
msgid "%(seats)s Platz"
msgid_plural "%(seats)s Plätze"
msgstr[0] "%(seats)s place"
msgstr[1] "%(seats)s places"

#, fuzzy
msgid "Termine"
msgstr "Appointments"

msgid "Zurück"
msgstr ""
"""


def write_catalog(root: Path, language: str, content: str) -> Path:
    path = root / language / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_compiled_english_catalog_is_reported_and_readable(compiled):
    assert re.search(r"locale/en/LC_MESSAGES/django\.po → django\.mo: \d+ übersetzt", compiled)
    with CATALOG.with_suffix(".mo").open("rb") as file:
        mo = gettext.GNUTranslations(file)
    assert mo.gettext("Zum Inhalt springen") == "Skip to content"
    plural = (
        "Begrenzte Teilnehmerzahl: %(seats)s Platz",
        "Begrenzte Teilnehmerzahl: %(seats)s Plätze",
    )
    assert mo.ngettext(*plural, 1) == "Limited to %(seats)s participant"
    assert mo.ngettext(*plural, 3) == "Limited to %(seats)s participants"


def test_compiles_translated_entries_and_leaves_out_fuzzy_and_empty_ones(tmp_path, settings):
    po = write_catalog(tmp_path, "en", GOOD)
    settings.LOCALE_PATHS = [tmp_path]
    output = io.StringIO()
    call_command("compile_translations", stdout=output)

    assert output.getvalue().splitlines() == [
        f"{po} → django.mo: 3 übersetzt, ausgelassen: 1 unübersetzt, 1 fuzzy"
    ]
    with po.with_suffix(".mo").open("rb") as file:
        mo = gettext.GNUTranslations(file)
    assert mo.gettext("Zum Inhalt springen") == "Skip to content"
    assert mo.ngettext("%(seats)s Platz", "%(seats)s Plätze", 2) == "%(seats)s places"
    assert mo.gettext("Termine") == "Termine"  # fuzzy: the source text stays
    assert mo.gettext("Zurück") == "Zurück"
    assert mo.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"

    again = io.StringIO()
    call_command("compile_translations", stdout=again)
    assert again.getvalue().strip().endswith("(unverändert)")


def test_django_uses_a_catalog_compiled_by_the_command(tmp_path, settings):
    write_catalog(tmp_path, "en", GOOD.replace("Skip to content", "Jump to the content"))
    settings.LOCALE_PATHS = [tmp_path]
    call_command("compile_translations", stdout=io.StringIO())
    settings.LOCALE_PATHS = [tmp_path]  # reload the catalogs now that the .mo exists
    with translation.override("en"):
        assert translation.gettext("Zum Inhalt springen") == "Jump to the content"


BROKEN = {  # name: (content, line of the faulty entry, what the message says)
    "stray line": (
        GOOD.replace('msgstr "Skip to content"', 'msgstr "Skip to content"\nxyz'),
        9,
        "Syntaxfehler: 'xyz'",
    ),
    "unterminated string": (
        GOOD.replace('"Skip to content"', '"Skip to content'),
        8,
        "Syntaxfehler: 'msgstr \"Skip to content'",
    ),
    "missing msgid": (GOOD.replace('msgid "Zum Inhalt springen"\n', ""), 7, "Syntaxfehler."),
    "placeholder renamed": (
        GOOD.replace("of %(total)s", "of %(all)s"),
        10,
        "passen nicht: es fehlt %(total)s; unbekannt ist %(all)s.",
    ),
    "placeholder unknown in a plural": (
        GOOD.replace('"%(seats)s places"', '"%(n)s places"'),
        14,
        "passen nicht: unbekannt ist %(n)s.",
    ),
    "duplicate": (
        GOOD + '\nmsgid "Zum Inhalt springen"\nmsgstr "Skip"\n',
        27,
        "„Zum Inhalt springen“ steht doppelt im Katalog (zuerst in Zeile 7).",
    ),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_catalog_is_refused_with_one_line_and_nothing_is_written(tmp_path, settings, name):
    content, line, reason = BROKEN[name]
    good = write_catalog(tmp_path, "de", GOOD)
    broken = write_catalog(tmp_path, "en", content)
    settings.LOCALE_PATHS = [tmp_path]

    with pytest.raises(CommandError) as caught:
        call_command("compile_translations", stdout=io.StringIO())

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"Übersetzungen nicht kompiliert: {broken}:{line}: ")
    assert message.endswith(reason)
    assert not broken.with_suffix(".mo").exists()
    assert not good.with_suffix(".mo").exists(), "a broken catalog must stop the whole build"


def test_invalid_encoding_is_refused_with_one_line(tmp_path, settings):
    path = write_catalog(tmp_path, "en", "")
    path.write_bytes(GOOD.encode("latin-1"))  # declares UTF-8, but "ü" is one Latin-1 byte
    settings.LOCALE_PATHS = [tmp_path]
    with pytest.raises(CommandError, match=r"^[^\n]*kein gültiger UTF-8-Text[^\n]*$"):
        call_command("compile_translations", stdout=io.StringIO())


def test_without_catalogs_the_command_says_so(tmp_path, settings):
    settings.LOCALE_PATHS = [tmp_path]
    output = io.StringIO()
    call_command("compile_translations", stdout=output)
    assert output.getvalue().startswith("Keine .po-Dateien unter")


def test_provisioning_errors_follow_the_ui_language():
    from tenants.validation import ProvisioningError, validate_member_slug

    with translation.override("en"), pytest.raises(ProvisioningError) as english:
        validate_member_slug("public")
    assert str(english.value) == "The slug “public” is reserved; please choose another one."
    with translation.override("de"), pytest.raises(ProvisioningError) as german:
        validate_member_slug("public")
    assert str(german.value) == "Das Kürzel „public“ ist reserviert; bitte ein anderes wählen."
