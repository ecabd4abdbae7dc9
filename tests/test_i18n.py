"""English interface texts: the catalog is complete, `compile_translations` builds it without
GNU gettext, and each request gets German or English from its Accept-Language header.

Our source texts are German; locale/en/LC_MESSAGES/django.po translates them. The .mo
file is git-ignored, so this module compiles it first, as `make run`/`make test` do.
After changing texts, update the catalog from the repository root (needs GNU gettext) and
translate what is new: `manage.py makemessages -l en --ignore=.venv --ignore=.data
--ignore=bench --ignore=tests --no-location` (settings core.settings.dev).
"""

import gettext
import io
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation
from django_tenants.utils import schema_context
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Site

from core.blocks import LinkBlock
from core.management.commands.compile_translations import load_catalog
from core.models import SiteSettings
from sites.members.models import MemberEventIndexPage, MemberEventPage, MemberHomePage
from tenants.models import Member

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


@pytest.fixture
def event(alpha):
    """A published event with 25 places and a one-day agenda on alpha's microsite."""
    agenda = {
        "title": "",
        "days": [
            {
                "date": "2030-03-05",
                "title": "Auftakt",
                "items": [{"start": "09:00", "end": "10:30", "title": "Begrüßung"}],
            }
        ],
    }
    with schema_context(alpha.schema):
        home = Site.objects.get(is_default_site=True).root_page.specific
        index = home.add_child(instance=MemberEventIndexPage(title="Termine", slug="termine"))
        index.save_revision().publish()
        page = index.add_child(
            instance=MemberEventPage(
                title="Fachtag",
                slug="fachtag",
                start=datetime(2030, 3, 5, 8, 0, tzinfo=UTC),
                venue_name="Bürgerhaus Alpha",
                seats=25,
                registration="<p>Per E-Mail.</p>",
                body=json.dumps([{"type": "agenda", "value": agenda}]),
            )
        )
        page.save_revision().publish()
    return page


@pytest.mark.parametrize(
    ("language", "skip_link", "sections"),
    [
        ("en", "Skip to content", ["Latest news", "Events"]),
        ("de", "Zum Inhalt springen", ["Aktuelles", "Termine"]),
        ("en-GB,en;q=0.9,de;q=0.5", "Skip to content", ["Latest news", "Events"]),
    ],
)
def test_member_home_speaks_the_language_the_browser_asks_for(alpha, language, skip_link, sections):
    doc = soup(alpha.client().get("/", headers={"accept-language": language}))
    assert doc.html["lang"] == language[:2]
    first_link = doc.body.find("a")
    assert first_link["href"] == "#main"
    assert text(first_link) == skip_link
    assert [text(h) for h in doc.select("section.home-section > h2")] == sections


def test_member_home_is_german_when_the_browser_asks_for_nothing(alpha):
    doc = soup(alpha.client().get("/"))
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
    alpha, event, language, expected
):
    doc = soup(alpha.client().get("/termine/fachtag/", headers={"accept-language": language}))
    facts = doc.find("dl", class_="event-facts")
    assert [text(dt) for dt in facts.find_all("dt")] == expected["facts"]
    assert expected["seats"] in text(facts)
    assert text(doc.find("section", class_="registration").h2) == expected["registration"]
    agenda = doc.find("div", class_="agenda")
    assert [text(th) for th in agenda.thead.find_all("th")] == expected["agenda"]
    assert text(doc.find("p", class_="calendar-link")) == expected["calendar"]


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
