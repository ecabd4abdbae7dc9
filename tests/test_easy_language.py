"""Leichte Sprache: the header links every site's overview in Leichte Sprache, and a page
with a version in Leichte Sprache offers it in the language switcher, which leads back.

The last tests work on committed data (the shared caches and the page cache are neither
read nor written inside a transaction): pages in alpha and beta made once for them and
removed at the module's end.
"""

import factory
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import querydict_from_html

from sites.legal.models import EasyLanguagePage
from tests.conftest import HostClient
from tests.factories import (
    MemberNewsIndexPageFactory,
    MemberNewsPageFactory,
    PageFactory,
    member_home,
    member_news_index,
    translation_publish,
)

OVERVIEW = "/de/leichte-sprache/"
NEWS = "/de/aktuelles/sommerferien/"  # the ``news`` fixture
VERSION = "/de/leichte-sprache/ferien/"  # its version, where a test makes one


class EasyLanguagePageFactory(PageFactory):
    class Meta:
        model = EasyLanguagePage

    title = factory.Sequence(lambda n: f"Leicht gesagt {n}")
    slug = factory.Sequence(lambda n: f"leicht-{n}")


def overview() -> EasyLanguagePage:
    """The current schema's overview in Leichte Sprache, below its German home."""
    return EasyLanguagePage.objects.child_of(member_home()).get(explains__isnull=True)


def easy_version(page: Page, slug: str = "ferien", **fields) -> EasyLanguagePage:
    """``page`` in Leichte Sprache, below the overview; published unless ``publish=False``."""
    return EasyLanguagePageFactory(parent=overview(), explains=page, slug=slug, **fields)


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def switcher(page: BeautifulSoup) -> list[tuple[str, str | None, str | None]]:
    """The switcher's entries: (name, link or None for the page shown, lang)."""
    nav = page.find("nav", class_="language-switcher")
    if nav is None:
        return []
    entries = []
    for item in nav.find_all("li"):
        link = item.find("a")
        if link is not None:
            assert link["hreflang"] == link["lang"]
            entries.append((link.get_text(strip=True), link["href"], link["lang"]))
        else:
            current = item.find(attrs={"aria-current": "true"})
            entries.append((current.get_text(strip=True), None, current["lang"]))
    return entries


def header_link(page: BeautifulSoup):
    return page.find("header").find("a", class_="easy-language-link")


@pytest.fixture
def news(alpha) -> Page:
    with schema_context(alpha.schema):
        return MemberNewsPageFactory(
            parent=member_news_index(), title="Sommerferien", slug="sommerferien"
        )


# --- The header ---------------------------------------------------------------------------


def test_every_page_of_a_member_links_the_overview_in_german(alpha, news):
    with schema_context(alpha.schema):
        translation_publish(member_home(), "en", title="City of Alpha", slug="start-en")
        english = translation_publish(news, "en", title="Summer holidays", slug="summer")
        urls = ["/de/", NEWS, "/en/", english.url, "/de/impressum/", OVERVIEW]
    client = alpha.client()
    for url in urls:
        page = soup(client.get(url))
        link = header_link(page)
        assert link is not None, url
        assert (link["href"], link["lang"]) == (OVERVIEW, "de"), url
        assert link.get_text(strip=True) == "Leichte Sprache", url
        assert link.get("aria-current") == ("page" if url == OVERVIEW else None), url
    assert soup(client.get("/en/")).html["lang"] == "en"


def test_the_network_links_its_own_overview(network_client):
    link = header_link(soup(network_client.get("/de/")))
    assert (link["href"], link["lang"]) == (OVERVIEW, "de")


def test_a_site_without_an_overview_has_no_link(alpha):
    with schema_context(alpha.schema):
        overview().unpublish()
    assert header_link(soup(alpha.client().get("/de/"))) is None


# --- The switcher -------------------------------------------------------------------------


def test_a_page_offers_its_version_in_leichte_sprache_which_leads_back(alpha, news):
    with schema_context(alpha.schema):
        assert easy_version(news, title="Ferien in Leichter Sprache").url == VERSION
    client = alpha.client()

    page = soup(client.get(NEWS))
    assert switcher(page) == [
        ("Deutsch", None, "de"),
        ("Leichte Sprache", VERSION, "de"),
    ]
    # a kind of German, not a language: no hreflang alternates for a German-only page
    assert not page.find_all("link", hreflang=True)

    easy = soup(client.get(VERSION))
    assert easy.html["lang"] == "de"
    assert switcher(easy) == [
        ("Alltagssprache", NEWS, "de"),
        ("Leichte Sprache", None, "de"),
    ]
    note = easy.main.find(class_="easy-language-original")
    assert note.get_text(" ", strip=True) == "Diese Seite in Alltagssprache: Sommerferien"
    assert note.find("a")["href"] == NEWS
    # the header's link is the overview's, not the version's
    assert header_link(easy)["href"] == OVERVIEW and not header_link(easy).get("aria-current")


def test_translations_of_the_page_offer_the_version_too(alpha, news):
    with schema_context(alpha.schema):
        translation_publish(member_home(), "en", title="City of Alpha", slug="start-en")
        english = translation_publish(news, "en", title="Summer holidays", slug="summer")
        easy_version(news)
        english_url = english.url
    page = soup(alpha.client().get(english_url))
    assert switcher(page) == [
        ("Deutsch", NEWS, "de"),
        ("English", None, "en"),
        ("Leichte Sprache", VERSION, "de"),
    ]
    alternates = {link["hreflang"] for link in page.find_all("link", hreflang=True)}
    assert alternates == {"de", "en", "x-default"}


def test_the_overview_and_pages_without_a_version_show_no_switcher(alpha, news):
    client = alpha.client()
    assert switcher(soup(client.get(NEWS))) == []
    assert switcher(soup(client.get(OVERVIEW))) == []
    assert soup(client.get(OVERVIEW)).main.find(class_="easy-language-original") is None


def test_a_draft_or_private_version_is_not_offered(alpha, news):
    with schema_context(alpha.schema):
        draft = easy_version(news, publish=False)
    client = alpha.client()
    assert switcher(soup(client.get(NEWS))) == []

    with schema_context(alpha.schema):
        draft.save_revision().publish()
        PageViewRestriction.objects.create(
            page=draft, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    assert switcher(soup(client.get(NEWS))) == []


def test_a_version_of_an_unpublished_or_private_page_leads_nowhere(alpha, news):
    with schema_context(alpha.schema):
        easy_version(news)
        news.unpublish()
    page = soup(alpha.client().get(VERSION))
    assert switcher(page) == []
    assert page.main.find(class_="easy-language-original") is None

    with schema_context(alpha.schema):
        news.save_revision().publish()
        PageViewRestriction.objects.create(
            page=news, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    assert switcher(soup(alpha.client().get(VERSION))) == []


# --- Where pages in Leichte Sprache may go --------------------------------------------------


def refusal(action) -> dict[str, list[str]]:
    """The messages by field of the ValidationError that ``action`` raises; what it wrote
    before (treebeard counts the child first) is rolled back."""
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        action()
    return refused.value.message_dict


def add(parent: Page, **fields):
    """Add a (live) page in Leichte Sprache below ``parent``: saving it checks it."""
    return lambda: parent.add_child(instance=EasyLanguagePage(title="Neu", slug="neu", **fields))


def test_a_home_has_one_overview_and_versions_of_pages_go_below_it(alpha, news):
    with schema_context(alpha.schema):
        home = member_home()
        assert refusal(add(home))["__all__"] == [
            "Unter dieser Startseite gibt es schon eine Übersicht in Leichter Sprache. "
            "Weitere Seiten in Leichter Sprache gehören unter diese Übersicht."
        ]
        assert refusal(add(home, explains=news))["explains"] == [
            "Eine Seite in Leichter Sprache, die eine andere Seite erklärt, gehört unter die "
            "Übersicht in Leichter Sprache, nicht direkt unter die Startseite."
        ]
        assert EasyLanguagePage.objects.child_of(home).count() == 1
        # below the overview, and below another page in Leichte Sprache
        version = easy_version(news)
        more = EasyLanguagePageFactory(parent=version, title="Noch mehr erklärt")
        assert version.live and more.live
        # moves follow the same rules
        assert not version.can_move_to(home)
        assert not more.can_move_to(home)
        assert more.can_move_to(overview())


def test_explains_names_one_page_in_everyday_language(alpha, news):
    with schema_context(alpha.schema):
        version = easy_version(news, title="Ferien leicht")
        version.explains = version
        assert refusal(version.full_clean)["explains"] == [
            "Eine Seite kann nicht sich selbst erklären."
        ]
        version.explains = overview()
        assert refusal(version.full_clean)["explains"] == [
            "Bitte eine Seite in Alltagssprache wählen, keine Seite in Leichter Sprache."
        ]
        assert refusal(add(overview(), explains=news))["explains"] == [
            "Die Seite „Sommerferien“ hat schon eine Seite in Leichter Sprache: „Ferien leicht“."
        ]


def test_the_admin_refuses_a_second_overview_and_adds_a_version_below_it(alpha, news):
    client = alpha.logged_in_client()
    with schema_context(alpha.schema):
        home, overview_id = member_home(), overview().pk

    def add(parent_id: int, title: str, slug: str, **fields):
        url = f"/admin/pages/add/legal/easylanguagepage/{parent_id}/"
        form = client.get(url)
        assert form.status_code == 200
        data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
        data.update({"title": title, "slug": slug, "body-count": "0", **fields})
        data["action-publish"] = "action-publish"
        return client.post(url, data)

    refused = add(home.pk, "Zweite Übersicht", "zweite")
    assert refused.status_code == 200
    assert "Unter dieser Startseite gibt es schon eine Übersicht" in refused.content.decode()
    refused = add(home.pk, "Ferien", "ferien-start", explains=str(news.pk))
    assert "nicht direkt unter die Startseite" in refused.content.decode()

    assert add(overview_id, "Ferien", "ferien", explains=str(news.pk)).status_code == 302
    with schema_context(alpha.schema):
        version = EasyLanguagePage.objects.get(slug="ferien")
        assert version.live and version.explains_id == news.pk
    assert ("Leichte Sprache", VERSION, "de") in switcher(soup(alpha.client().get(NEWS)))


# --- Shared caches, page cache and isolation (committed data) -------------------------------


def view(host: str, path: str):
    """One anonymous view (a new client: no cookies)."""
    response = HostClient(host).get(path)
    response.page = BeautifulSoup(response.content.decode(), "html.parser")
    return response


def cached(host: str, path: str):
    view(host, path)
    response = view(host, path)
    assert response["X-Cache"] == "hit", f"{host}{path} was not cached"
    return response


@pytest.fixture(scope="module")
def committed_news(refuse_a_non_test_database, platform, django_db_blocker):
    """A news index with a news page "Sommerferien" in alpha and in beta, committed; beta's
    page has a version in Leichte Sprache. Yields {schema: news page}."""
    made, news = {}, {}
    with django_db_blocker.unblock():
        for fixture in (platform["alpha"], platform["beta"]):
            with schema_context(fixture.schema):
                index = MemberNewsIndexPageFactory(
                    parent=member_home(), title="Ferienzeit", slug="ferienzeit"
                )
                made[fixture.schema] = [index.pk]
                news[fixture.schema] = MemberNewsPageFactory(
                    parent=index, title="Sommerferien", slug="sommerferien"
                )
        with schema_context(platform["beta"].schema):
            beta_version = easy_version(news[platform["beta"].schema], slug="ferien-beta")
            made[platform["beta"].schema].append(beta_version.pk)
        connection.set_schema_to_public()
    yield news
    with django_db_blocker.unblock():
        for schema, ids in made.items():
            with schema_context(schema):
                for page in Page.objects.filter(pk__in=ids):
                    page.delete()
        connection.set_schema_to_public()


@pytest.fixture
def alpha_and_beta(platform, committed_news, committed):
    """alpha and beta without the per-test transaction (``alpha`` and ``beta`` have one)."""
    return platform["alpha"], platform["beta"]


def test_alpha_never_offers_betas_versions(alpha_and_beta):
    alpha, beta = alpha_and_beta
    path = "/de/ferienzeit/sommerferien/"
    for _ in range(2):  # cold and warm shared caches, in either order
        assert ("Leichte Sprache", "/de/leichte-sprache/ferien-beta/", "de") in switcher(
            view(beta.host, path).page
        )
        alpha_page = view(alpha.host, path).page
        assert switcher(alpha_page) == []
        assert "ferien-beta" not in str(alpha_page)
    assert view(alpha.host, "/de/leichte-sprache/ferien-beta/").status_code == 404


def test_publishing_a_version_makes_the_cached_page_offer_it(alpha_and_beta, committed_news):
    alpha, _beta = alpha_and_beta
    path = "/de/ferienzeit/sommerferien/"
    news = committed_news[alpha.schema]
    assert switcher(cached(alpha.host, path).page) == []
    with schema_context(alpha.schema):
        version = easy_version(news, title="Ferien leicht", slug="ferien-alpha")
    version_path = "/de/leichte-sprache/ferien-alpha/"
    try:
        shown = view(alpha.host, path)
        assert shown["X-Cache"] != "hit"
        assert ("Leichte Sprache", version_path, "de") in switcher(shown.page)

        # the version's note names the page: a new title shows there at once
        assert "Sommerferien" in cached(alpha.host, version_path).page.main.get_text()
        with schema_context(alpha.schema):
            news.title = "Große Ferien"
            news.save_revision().publish()
        note = view(alpha.host, version_path).page.main.find(class_="easy-language-original")
        assert note.get_text(" ", strip=True) == "Diese Seite in Alltagssprache: Große Ferien"

        cached(alpha.host, path)
        with schema_context(alpha.schema):
            version.unpublish()
        assert switcher(view(alpha.host, path).page) == []
    finally:
        with schema_context(alpha.schema):
            Page.objects.get(pk=version.pk).delete()
            news.title = "Sommerferien"
            news.save_revision().publish()
