"""Highlights per language: a page and its translations are one Highlight row, shown in
the network page's language where the member translated the page, else in the original's
language and marked as such.

Translations are made as members make them (wagtail-localize, or Wagtail's
copy_for_translation, which builds the same page structure), in real member schemas; the
pipeline runs in-process here (tests/test_highlights_worker.py has the Celery worker).
"""

import uuid
from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation
from django_tenants.utils import schema_context
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from sites.highlights.models import Highlight
from sites.highlights.services import member_content_sync, member_content_sync_page
from sites.members.models import MemberNewsPage
from tests.conftest import HostClient
from tests.factories import (
    HighlightIndexPageFactory,
    MemberEventPageFactory,
    MemberNewsPageFactory,
    member_event_index,
    member_news_index,
    network_home,
    translation_publish,
)
from tests.test_highlights_network import soup_of

# --- Helpers ----------------------------------------------------------------------------


def _news(member, title: str, slug: str, teaser: str = "Jetzt anmelden.") -> MemberNewsPage:
    """A published, proposing German news page below alpha's (or beta's) "Aktuelles"."""
    with schema_context(member.schema):
        index = member_news_index()
        return MemberNewsPageFactory(
            parent=index, title=title, slug=slug, teaser=teaser, propose_highlight=True
        )


def _translate(member, page, title: str, teaser: str = "", language: str = "en"):
    """The member's translation of ``page``, published (parents are copied as aliases)."""
    with schema_context(member.schema):
        return translation_publish(page, language, title=title, teaser=teaser)


def _unpublish(member, page) -> None:
    with schema_context(member.schema):
        Page.objects.get(pk=page.pk).specific.unpublish()


def _row(member) -> Highlight:
    return Highlight.objects.get(member=member.member)


def _approve(*rows) -> None:
    Highlight.objects.filter(pk__in=[row.pk for row in rows]).update(state="approved")


# --- One row per translation group --------------------------------------------------------


def test_a_page_and_its_translation_make_one_row_describing_the_german_original(alpha):
    german = _news(alpha, "Ausbildungsmesse im Rathaus", "messe", "Vierzig Betriebe.")
    english = _translate(alpha, german, "Training fair at the town hall", "Forty companies.")
    assert english.translation_key == german.translation_key and english.propose_highlight

    report = member_content_sync([alpha.member])
    assert report.highlights.counts == (
        1,
        0,
        0,
    )
    row = _row(alpha)
    assert (row.translation_key, row.source_page_id, row.locale, row.title, row.teaser) == (
        german.translation_key,
        german.pk,
        "de",
        "Ausbildungsmesse im Rathaus",
        "Vierzig Betriebe.",
    )
    assert row.url == "http://alpha.localhost/de/aktuelles/messe/"
    assert row.translations == {
        "en": {
            "title": "Training fair at the town hall",
            "teaser": "Forty companies.",
            "url": "http://alpha.localhost/en/aktuelles/messe/",
        }
    }
    # The per-page pipeline syncs the same group to the same row: nothing to change.
    report = member_content_sync_page(alpha.schema, english.translation_key)
    assert report.highlights.counts == (
        0,
        0,
        0,
    )


def test_a_translation_made_with_wagtail_localize_joins_its_group(alpha):
    german = _news(alpha, "Girls' Day", "girls-day")
    with schema_context(alpha.schema):
        source, _created = TranslationSource.get_or_create_from_instance(german)
        # publish=True would publish after the commit, which a test transaction never has
        english, _created = source.create_or_update_translation(
            Locale.objects.get(language_code="en"),
            publish=False,
            copy_parent_pages=True,
            fallback=True,
        )
        english.get_latest_revision().publish()
        english = MemberNewsPage.objects.get(pk=english.pk)
        assert english.live and english.propose_highlight
    member_content_sync_page(alpha.schema, german.translation_key)
    row = _row(alpha)
    assert row.source_page_id == german.pk
    assert row.translations["en"]["url"] == "http://alpha.localhost/en/aktuelles/girls-day/"


def test_aliases_are_neither_translations_nor_highlights_of_their_own(alpha):
    """wagtail-localize's placeholder for an untranslated page is a live alias in the other
    locale showing the German text; an alias in the same locale is a second address."""
    german = _news(alpha, "Ferienjobs", "ferienjobs")
    with schema_context(alpha.schema):
        english_alias = german.copy_for_translation(
            Locale.objects.get(language_code="en"), copy_parents=True, alias=True
        )
        second_address = german.create_alias(update_slug="ferienjobs-sommer")
        assert english_alias.live and english_alias.propose_highlight
        assert second_address.live and second_address.translation_key != german.translation_key
    member_content_sync([alpha.member])
    assert list(Highlight.objects.values_list("source_page_id", "translations")) == [
        (german.pk, {})
    ]


def test_translation_changes_update_the_row_and_keep_its_curation(alpha, settings):
    """With the network trusting members' edits; the review of changes:
    tests/test_highlights_review.py."""
    settings.HIGHLIGHTS_TRUST_MEMBER_EDITS = True
    german = _news(alpha, "Praktikumsbörse", "boerse")
    english = _translate(alpha, german, "Internship fair")
    member_content_sync([alpha.member])
    row = _row(alpha)
    Highlight.objects.filter(pk=row.pk).update(state="featured", sort_order=3)
    key = german.translation_key

    with schema_context(alpha.schema):
        english.title = "Internship exchange"
        english.save_revision().publish()
    assert member_content_sync_page(alpha.schema, key).highlights.updated == 1
    changed = _row(alpha)
    assert changed.translations["en"]["title"] == "Internship exchange"
    assert (changed.pk, changed.state, changed.sort_order, changed.changed_since_approval) == (
        row.pk,
        "featured",
        3,
        True,
    )

    _unpublish(alpha, english)
    assert member_content_sync_page(alpha.schema, key).highlights.updated == 1
    assert (_row(alpha).translations, _row(alpha).state) == ({}, "featured")

    _translate(alpha, german, "Internship exchange", language="tr")  # Turkish this time
    with schema_context(alpha.schema):
        english.save_revision().publish()
    member_content_sync_page(alpha.schema, key)
    assert set(_row(alpha).translations) == {"en", "tr"}

    with schema_context(alpha.schema):
        Page.objects.get(pk=english.pk).delete()
    assert member_content_sync_page(alpha.schema, key).highlights.updated == 1
    assert set(_row(alpha).translations) == {"tr"}
    assert (_row(alpha).pk, _row(alpha).state) == (row.pk, "featured")


def test_without_a_live_german_page_the_oldest_translation_is_the_original(alpha, settings):
    settings.HIGHLIGHTS_TRUST_MEMBER_EDITS = True  # the new original goes live at once
    german = _news(alpha, "Elterncafé", "elterncafe")
    english = _translate(alpha, german, "Parents' café")
    turkish = _translate(alpha, german, "Veli kafesi", language="tr")
    member_content_sync([alpha.member])
    _approve(_row(alpha))

    _unpublish(alpha, german)
    member_content_sync_page(alpha.schema, german.translation_key)
    row = _row(alpha)
    assert (row.source_page_id, row.locale, row.title, row.state) == (
        english.pk,
        "en",
        "Parents' café",
        "approved",
    )
    assert row.url == "http://alpha.localhost/en/aktuelles/elterncafe/"
    assert list(row.translations) == ["tr"]
    assert row.translations["tr"]["url"] == f"http://alpha.localhost/tr/aktuelles/{turkish.slug}/"

    with schema_context(alpha.schema):
        german.save_revision().publish()
    member_content_sync_page(alpha.schema, german.translation_key)
    row = _row(alpha)
    assert (row.source_page_id, row.locale, sorted(row.translations)) == (
        german.pk,
        "de",
        ["en", "tr"],
    )

    for page in (german, english, turkish):
        _unpublish(alpha, page)
    assert member_content_sync_page(alpha.schema, german.translation_key).highlights.removed == 1
    assert not Highlight.objects.present().exists()


def test_translations_in_one_member_never_alter_another_members_rows(alpha, beta):
    """Members cloned from one template share translation keys of the template's pages;
    the group is (member, translation_key), never the key alone."""
    alpha_page = _news(alpha, "Messe in Alpha", "messe")
    beta_page = _news(beta, "Messe in Beta", "messe")
    with schema_context(beta.schema):
        MemberNewsPage.objects.filter(pk=beta_page.pk).update(
            translation_key=alpha_page.translation_key
        )
    member_content_sync()
    beta_row = _row(beta)
    _translate(alpha, alpha_page, "Fair in Alpha")

    member_content_sync_page(alpha.schema, alpha_page.translation_key)
    member_content_sync_page(beta.schema, alpha_page.translation_key)
    member_content_sync()
    assert list(_row(alpha).translations) == ["en"]
    unchanged = _row(beta)
    assert (unchanged.title, unchanged.translations, unchanged.updated) == (
        "Messe in Beta",
        {},
        beta_row.updated,
    )
    assert unchanged.url == "http://beta.localhost/de/aktuelles/messe/"


# --- The upgrade: existing rows keep their curation --------------------------------------


def test_the_migration_merges_rows_of_one_group_and_keeps_curation(alpha):
    """Rows made before groups existed (one per page, URLs without a language) become one
    row per group; the next sync then finds nothing to change."""
    german = _news(alpha, "Bewerbungstraining", "training", "Mit Mappe.")
    english = _translate(alpha, german, "Application training", "Bring your CV.")
    gone = _news(alpha, "Gelöscht", "geloescht")
    with schema_context(alpha.schema):
        Page.objects.get(pk=gone.pk).delete()

    connection.set_schema_to_public()
    executor = MigrationExecutor(connection)
    executor.migrate([("highlights", "0001_initial")])
    old = executor.loader.project_state([("highlights", "0001_initial")]).apps
    OldHighlight = old.get_model("highlights", "Highlight")
    with schema_context(alpha.schema):
        pages = {p.pk: p for p in MemberNewsPage.objects.filter(pk__in=[german.pk, english.pk])}

    def old_row(page_id, locale, title, teaser, path, state, **curation):
        return OldHighlight.objects.create(
            member_id=alpha.member.pk,
            source_page_id=page_id,
            locale=locale,
            page_type="news",
            title=title,
            teaser=teaser,
            url=f"http://alpha.localhost/{path}",
            last_published_at=pages[page_id].last_published_at if page_id in pages else None,
            state=state,
            **curation,
        )

    old_row(german.pk, "de", "Bewerbungstraining", "Mit Mappe.", "aktuelles/training/", "proposed")
    old_row(
        english.pk, "en", "Application training", "Bring your CV.", "aktuelles/training/",
        "featured", sort_order=2,
    )  # fmt: skip
    old_row(gone.pk, "de", "Gelöscht", "", "aktuelles/geloescht/", "approved")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events for ALTER

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("highlights"))

    row = _row(alpha)
    assert (row.translation_key, row.source_page_id, row.locale, row.title) == (
        german.translation_key,
        german.pk,
        "de",
        "Bewerbungstraining",
    )
    assert (row.state, row.sort_order, row.changed_since_approval) == ("featured", 2, False)
    assert row.url == "http://alpha.localhost/de/aktuelles/training/"
    assert row.translations == {
        "en": {
            "title": "Application training",
            "teaser": "Bring your CV.",
            "url": "http://alpha.localhost/en/aktuelles/training/",
        }
    }
    report = member_content_sync([alpha.member])
    assert report.highlights.counts == (
        0,
        0,
        0,
    )
    assert _row(alpha).changed_since_approval is False


# --- Display ---------------------------------------------------------------------------


def _shown(**fields) -> Highlight:
    values = {
        "locale": "de",
        "title": "Ausbildungsmesse",
        "teaser": "Vierzig Betriebe.",
        "url": "http://alpha.localhost/de/aktuelles/messe/",
        "translations": {
            "en": {
                "title": "Training fair",
                "teaser": "",
                "url": "http://alpha.localhost/en/news/fair/",
            }
        },
        **fields,
    }
    return Highlight(**values)


def test_localize_takes_the_translation_or_names_the_originals_language():
    english = _shown().localize("en")
    assert (english.title, english.teaser, english.url, english.shown_language) == (
        "Training fair",
        "",  # the member left the translation's teaser empty: no German text under it
        "http://alpha.localhost/en/news/fair/",
        "en",
    )
    assert english.language_note is None

    german = _shown().localize("de")
    assert (german.title, german.shown_language, german.language_note) == (
        "Ausbildungsmesse",
        "de",
        None,
    )

    with translation.override("en"):
        untranslated = _shown(translations={}).localize()  # the active language
        assert (untranslated.title, untranslated.shown_language) == ("Ausbildungsmesse", "de")
        assert untranslated.language_note == translation.gettext("auf Deutsch")
    assert _shown().localize("tr").language_note == "auf Deutsch"
    assert _shown(locale="en", translations={}).localize("de").language_note == "auf Englisch"


def test_a_localized_row_cannot_be_saved(alpha):
    row = _shown(member=alpha.member, translation_key=uuid.uuid4(), source_page_id=1)
    row.save()
    row.localize("en")
    with pytest.raises(ValueError, match="localized"):
        row.save()
    assert Highlight.objects.get(pk=row.pk).title == "Ausbildungsmesse"


# --- The network site in English ---------------------------------------------------------


def _network_translation(page):
    """The network's English version of ``page``, published (its parent is translated)."""
    with schema_context("public"):
        return translation_publish(page, "en")


@pytest.fixture
def english_network(alpha):
    """Network home and "Aus den Mitgliedern" in German and English; in alpha an approved
    news page with an English translation and an approved event without one."""
    with schema_context("public"):
        home = network_home()
        index = HighlightIndexPageFactory(parent=home)
    english_home = _network_translation(home)
    english_index = _network_translation(index)

    german = _news(alpha, "Ausbildungsmesse im Rathaus", "messe", "Vierzig Betriebe.")
    _translate(alpha, german, "Training fair at the town hall", "Forty companies.")
    with schema_context(alpha.schema):
        MemberEventPageFactory(
            parent=member_event_index(),
            title="Elternabend Berufswahl",
            slug="elternabend",
            start=timezone.now() + timedelta(days=14),
            venue_name="Aula",
            propose_highlight=True,
        )
    member_content_sync([alpha.member])
    Highlight.objects.filter(page_type="news").update(state="featured")
    Highlight.objects.filter(page_type="event").update(state="approved")
    return {"home": english_home, "index": english_index, "german_index": index}


def _teasers(soup, selector: str) -> list[tuple[str, str, str, str | None]]:
    """(title, href, lang of the title, language note) of each highlight under selector."""
    items = []
    for heading in soup.select(f"{selector} .teaser-title"):
        link, note = heading.a, heading.find(class_="language-note")
        items.append((link.get_text(strip=True), link["href"], link["lang"], note and note.text))
    return items


def _in_german() -> str:
    with translation.override("en"):
        return f"({translation.gettext('auf Deutsch')})"


def test_english_network_home_shows_translations_and_marks_german_originals(
    network_client, english_network
):
    soup = soup_of(network_client.get("/en/"))
    assert soup.html["lang"] == "en"
    assert _teasers(soup, "section[aria-labelledby=home-highlights]") == [
        (
            "Training fair at the town hall",
            "http://alpha.localhost/en/aktuelles/messe/",
            "en",
            None,
        ),
        (
            "Elternabend Berufswahl",
            "http://alpha.localhost/de/termine/elternabend/",
            "de",
            _in_german(),
        ),
    ]
    featured = soup.select_one("section[aria-labelledby=home-highlights] article")
    assert featured.find("p", lang="en").get_text() == "Forty companies."
    assert _teasers(soup, "section[aria-labelledby=home-member-events]") == [
        (
            "Elternabend Berufswahl",
            "http://alpha.localhost/de/termine/elternabend/",
            "de",
            _in_german(),
        )
    ]
    # Both links lead to the member's pages in those languages.
    member_site = HostClient("alpha.localhost")
    for path in ("/en/aktuelles/messe/", "/de/termine/elternabend/"):
        response = member_site.get(path)
        assert response.status_code == 200, path
        assert soup_of(response).html["lang"] == path[1:3]


def test_german_network_home_shows_the_originals_unmarked(network_client, english_network):
    soup = soup_of(network_client.get("/de/"))
    assert _teasers(soup, "section[aria-labelledby=home-highlights]") == [
        ("Ausbildungsmesse im Rathaus", "http://alpha.localhost/de/aktuelles/messe/", "de", None),
        ("Elternabend Berufswahl", "http://alpha.localhost/de/termine/elternabend/", "de", None),
    ]
    assert soup.find(class_="language-note") is None


def test_english_highlight_index_and_feed_are_localized_too(network_client, english_network):
    soup = soup_of(network_client.get(english_network["index"].url))
    assert sorted(_teasers(soup, ".teaser-list")) == [
        (
            "Elternabend Berufswahl",
            "http://alpha.localhost/de/termine/elternabend/",
            "de",
            _in_german(),
        ),
        (
            "Training fair at the town hall",
            "http://alpha.localhost/en/aktuelles/messe/",
            "en",
            None,
        ),
    ]

    response = network_client.get("/en/feeds/highlights.rss")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.feed.language == "en"
    assert feed.feed.link == english_network["index"].full_url
    assert sorted((entry.title, entry.link) for entry in feed.entries) == [
        (
            f"Elternabend Berufswahl {_in_german()}",
            "http://alpha.localhost/de/termine/elternabend/",
        ),
        ("Training fair at the town hall", "http://alpha.localhost/en/aktuelles/messe/"),
    ]
    german = feedparser.parse(network_client.get("/de/feeds/highlights.rss").content)
    assert german.feed.link == english_network["german_index"].full_url
    assert sorted(entry.title for entry in german.entries) == [
        "Ausbildungsmesse im Rathaus",
        "Elternabend Berufswahl",
    ]
