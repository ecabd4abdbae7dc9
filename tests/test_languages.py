"""Languages: German-first sites translated with wagtail-localize, served under /de/, /en/, …

A coordinator translates through wagtail-localize's admin views, as in the browser: submit
a page for translation, fill in its strings, publish. The translation is served under its
language prefix on the member's own host only; the switcher and hreflang links lead to the
same page in the other language; each member enables its own further languages.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django_tenants.utils import schema_context
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from sites.members.models import MemberHomePage, ProfilePage
from tests.factories import MemberNewsIndexPageFactory, ProfilePageFactory, member_home

ENGLISH = {
    "Stadt Alpha": "City of Alpha",
    "Kurzportrait": "Profile",
    "kurzportrait": "profile",
    "Alpha gestaltet Übergänge.": "Alpha shapes transitions.",
    "Einwohner": "Inhabitants",
    "62.000": "62,000",
}


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def profile(alpha):
    """A published German profile page in alpha (the template has only the home page)."""
    with schema_context(alpha.schema):
        return ProfilePageFactory(
            parent=member_home(),
            lead="Alpha gestaltet Übergänge.",
            facts=[("fact", {"label": "Einwohner", "value": "62.000"})],
        )


def translate_in_admin(
    client, on_commit, schema: str, page: Page, language: str, texts: dict
) -> Page:
    """Submit ``page`` for translation, fill in its strings and publish it, all through
    wagtail-localize's admin views; returns the translated page."""
    with schema_context(schema):
        locale = Locale.objects.get(language_code=language)
    response = client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [locale.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(schema):
        translation = Translation.objects.get(
            source__object_id=page.translation_key, target_locale=locale
        )
        segments = list(
            StringSegment.objects.filter(source=translation.source).select_related("string")
        )
        target = page.get_translation(locale)
    for segment in segments:
        value = texts.get(segment.string.data)
        if value is not None:
            url = f"/admin/localize/translate/{translation.pk}/strings/{segment.pk}/edit/"
            # The editor's React app PUTs each string as multipart form data.
            body = encode_multipart(BOUNDARY, {"value": value})
            assert client.put(url, body, content_type=MULTIPART_CONTENT).status_code == 201
    # wagtail-localize publishes when the request's transaction commits; tests run in one.
    with on_commit(execute=True):
        response = client.post(f"/admin/pages/{target.pk}/edit/", {"action": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(schema):
        return Page.objects.get(pk=target.pk).specific


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def english_profile(alpha, profile, on_commit):
    """The profile and the home page of alpha, translated into English by the coordinator."""
    client = alpha.logged_in_client()
    with schema_context(alpha.schema):
        home = MemberHomePage.objects.get(locale__language_code="de")
    translate_in_admin(client, on_commit, alpha.schema, home, "en", ENGLISH)
    return translate_in_admin(client, on_commit, alpha.schema, profile, "en", ENGLISH)


def test_translated_page_is_served_under_en_on_its_members_host_only(alpha, beta, english_profile):
    assert english_profile.live and english_profile.title == "Profile"
    assert english_profile.url_path.endswith("/profile/")

    page = soup(alpha.client().get("/en/profile/"))
    assert page.find("h1").get_text(strip=True) == "Profile"
    assert "Alpha shapes transitions." in page.get_text()
    assert page.html["lang"] == "en" and page.html["dir"] == "ltr"
    assert page.find(class_="site-name").get_text(strip=True) == "City of Alpha"
    # The German original is still there, in German.
    german = soup(alpha.client().get("/de/kurzportrait/"))
    assert german.html["lang"] == "de"
    assert german.find(class_="site-name").get_text(strip=True) == "Stadt Alpha"
    assert "Alpha gestaltet Übergänge." in german.get_text()

    assert beta.client().get("/en/profile/").status_code == 404
    assert beta.client().get("/en/").status_code == 404, "beta has no English home"
    assert alpha.client().get("/de/profile/").status_code == 404, "an English slug in German"


def test_switcher_and_hreflang_lead_to_the_same_page_in_the_other_language(alpha, english_profile):
    client = alpha.client()
    german = soup(client.get("/de/kurzportrait/"))
    switcher = german.find("nav", class_="language-switcher")
    current = switcher.find(attrs={"aria-current": "true"})
    assert current.get_text(strip=True) == "Deutsch" and current.name != "a"
    english_link = switcher.find("a", hreflang="en")
    assert english_link["href"] == "/en/profile/" and english_link["lang"] == "en"
    assert english_link.get_text(strip=True) == "English"

    english = soup(client.get(english_link["href"]))
    back = english.find("nav", class_="language-switcher").find("a", hreflang="de")
    assert back["href"] == "/de/kurzportrait/"

    alternates = {
        link["hreflang"]: link["href"]
        for link in german.find_all("link", rel="alternate")
        if link.get("hreflang")
    }
    assert alternates == {
        "de": "http://alpha.localhost/de/kurzportrait/",
        "en": "http://alpha.localhost/en/profile/",
        "x-default": "http://alpha.localhost/de/kurzportrait/",
    }
    assert alternates == {
        link["hreflang"]: link["href"]
        for link in english.find_all("link", rel="alternate")
        if link.get("hreflang")
    }


def test_switcher_offers_only_languages_the_page_exists_in(alpha, english_profile):
    with schema_context(alpha.schema):
        ProfilePageFactory(parent=member_home(), title="Nur Deutsch", slug="nur-deutsch")
    page = soup(alpha.client().get("/de/nur-deutsch/"))
    assert page.find("nav", class_="language-switcher") is None
    assert not page.find_all("link", hreflang=True)


def test_unpublished_translation_leaves_the_switcher(alpha, english_profile):
    with schema_context(alpha.schema):
        english_profile.unpublish()
    page = soup(alpha.client().get("/de/kurzportrait/"))
    assert page.find("nav", class_="language-switcher") is None
    assert alpha.client().get("/en/profile/").status_code == 404


def test_root_and_unprefixed_addresses_lead_to_a_language(alpha, english_profile, beta):
    client = alpha.client()
    assert client.get("/")["Location"] == "/de/"
    assert client.get("/", headers={"accept-language": "en-GB,en;q=0.8"})["Location"] == "/en/"
    # beta has no English home: an English visitor gets the German one.
    english_visitor = beta.client().get("/", headers={"accept-language": "en"})
    assert english_visitor["Location"] == "/de/"
    # Old links without a language lead to the German page, keeping the query string.
    response = client.get("/kurzportrait/?ref=alt")
    assert response.status_code == 302 and response["Location"] == "/de/kurzportrait/?ref=alt"
    assert client.get("/gibt-es-nicht/", follow=True).status_code == 404


def test_sitemap_lists_every_language(alpha, english_profile):
    locations = re.findall(
        r"<loc>([^<]+)</loc>", alpha.client().get("/sitemap.xml").content.decode()
    )
    assert "http://alpha.localhost/de/kurzportrait/" in locations
    assert "http://alpha.localhost/en/profile/" in locations
    assert "http://alpha.localhost/en/" in locations


def test_coordinator_edits_the_english_site_after_translating_the_home(alpha, english_profile):
    client = alpha.logged_in_client()
    with schema_context(alpha.schema):
        english_home = english_profile.get_parent()
    assert english_home.depth == 2
    # Editing the translated home and adding a page below it needs page permissions there.
    assert client.get(f"/admin/pages/{english_home.pk}/edit/").status_code == 200
    add = f"/admin/pages/add/members/memberstandardpage/{english_home.pk}/"
    assert client.get(add).status_code == 200


def enable_language(client, language: str):
    response = client.post("/admin/locales/new/", {"language_code": language})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_enabling_turkish_in_one_member_changes_no_other(alpha, beta):
    alpha_admin = alpha.logged_in_client()
    assert "/admin/locales/" in alpha_admin.get("/admin/").content.decode(), "menu item"
    enable_language(alpha_admin, "tr")
    with schema_context(alpha.schema):
        assert Locale.objects.filter(language_code="tr").exists()
    with schema_context(beta.schema):
        assert not Locale.objects.filter(language_code="tr").exists()
        assert sorted(Locale.objects.values_list("language_code", flat=True)) == ["de", "en"]
    # beta's own admin still offers Turkish as a language to add.
    form = beta.logged_in_client().get("/admin/locales/new/").content.decode()
    assert 'value="tr"' in form
    assert beta.client().get("/tr/").status_code == 404


def test_arabic_pages_are_right_to_left(alpha, profile, on_commit):
    client = alpha.logged_in_client()
    enable_language(client, "ar")
    with schema_context(alpha.schema):
        home = MemberHomePage.objects.get(locale__language_code="de")
    arabic = {"Stadt Alpha": "مدينة ألفا", "Kurzportrait": "نبذة", "kurzportrait": "nabdha"}
    translate_in_admin(client, on_commit, alpha.schema, home, "ar", arabic)
    page = translate_in_admin(client, on_commit, alpha.schema, profile, "ar", arabic)

    doc = soup(alpha.client().get(page.url))
    assert page.url == "/ar/nabdha/"
    assert doc.html["lang"] == "ar" and doc.html["dir"] == "rtl"
    assert doc.find("h1").get_text(strip=True) == "نبذة"
    # The editor's preview of the Arabic page is right to left as well.
    preview = client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert 'dir="rtl"' in preview.content.decode()
    german = soup(alpha.client().get("/de/kurzportrait/"))
    assert german.html["dir"] == "ltr"
    assert german.find("nav", class_="language-switcher").find("a", hreflang="ar")["lang"] == "ar"


def put_string(client, translation, segment_text: str, value: str):
    segment = StringSegment.objects.get(source=translation.source, string__data=segment_text)
    url = f"/admin/localize/translate/{translation.pk}/strings/{segment.pk}/edit/"
    body = encode_multipart(BOUNDARY, {"value": value})
    assert client.put(url, body, content_type=MULTIPART_CONTENT).status_code in (200, 201)


def test_translation_is_updated_after_the_source_changes(alpha, english_profile, on_commit):
    client = alpha.logged_in_client()
    with schema_context(alpha.schema):
        german = ProfilePage.objects.get(locale__language_code="de", slug="kurzportrait")
        german.lead = "Alpha gestaltet Übergänge gemeinsam."
        german.save_revision().publish()
        source = TranslationSource.objects.get(object_id=german.translation_key)
    update_form = client.get(f"/admin/localize/update/{source.pk}/").content.decode()
    assert "use_machine_translation" not in update_form, "machine translation is off"
    with on_commit(execute=True):
        response = client.post(f"/admin/localize/update/{source.pk}/", {})
    assert response.status_code == 302
    with schema_context(alpha.schema):
        translation = Translation.objects.get(source=source, target_locale=english_profile.locale)
        put_string(client, translation, "Alpha gestaltet Übergänge gemeinsam.", "Together.")
    with on_commit(execute=True):
        client.post(f"/admin/pages/{english_profile.pk}/edit/", {"action": "publish"})
    english = soup(alpha.client().get("/en/profile/")).get_text()
    assert "Together." in english and "Alpha shapes transitions." not in english


def test_a_subtree_is_submitted_for_translation_at_once(beta):
    with schema_context(beta.schema):
        home = member_home()
        MemberNewsIndexPageFactory(parent=home)
        english = Locale.objects.get(language_code="en")
    response = beta.logged_in_client().post(
        f"/admin/localize/submit/page/{home.pk}/",
        {"locales": [english.pk], "include_subtree": "on"},
    )
    assert response.status_code == 302
    with schema_context(beta.schema):
        translated = Page.objects.filter(locale=english).order_by("depth")
        assert translated[0].title == "Kreis Beta"
        # the legal pages and the Leichte-Sprache overview every site has go along
        assert {page.title for page in translated[1:]} == {
            "Aktuelles",
            "Impressum",
            "Datenschutzerklärung",
            "Erklärung zur Barrierefreiheit",
            "Leichte Sprache",
        }
        assert not any(page.live for page in translated), "drafts until the editor publishes"
    assert beta.client().get("/en/").status_code == 404


def test_translating_in_one_member_touches_no_other(alpha, beta, english_profile):
    """wagtail-localize's sources, strings and translations live in the member's schema;
    its jobs run inline in the request's schema (WAGTAILLOCALIZE_JOBS)."""
    with schema_context(alpha.schema):
        assert TranslationSource.objects.count() == 2
        assert Translation.objects.count() == 2
    with schema_context(beta.schema):
        assert TranslationSource.objects.count() == 0
        assert Translation.objects.count() == 0
        assert StringSegment.objects.count() == 0
        assert not Page.objects.filter(locale__language_code="en").exists()
    with schema_context("public"):
        assert TranslationSource.objects.count() == 0
