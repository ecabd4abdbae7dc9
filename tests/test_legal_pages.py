"""Imprint, privacy policy, accessibility statement and Leichte Sprache on every site.

Every site has them from the start (new members are cloned with them), in every
language it is published in, linked from the footer of every public page; they show
what the site's settings say, and the admin dashboard warns while anything is missing.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page, Site

from core.models import SiteSettings
from sites.legal.models import (
    AccessibilityStatementPage,
    EasyLanguagePage,
    ImprintPage,
    PrivacyPage,
)
from sites.legal.services import legal_pages_ensure
from sites.search.indexing import site_index
from sites.search.models import SearchEntry
from tenants.services import member_create, member_sites_content_sync
from tests.conftest import HostClient
from tests.factories import (
    MemberEventPageFactory,
    MemberNewsPageFactory,
    member_event_index,
    member_home,
    member_news_index,
    network_home,
    translation_publish,
)

LEGAL_MODELS = [ImprintPage, PrivacyPage, AccessibilityStatementPage]
FOOTER_LINKS = ["Impressum", "Datenschutz", "Barrierefreiheit"]


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def footer_links(response) -> dict[str, str]:
    """The footer's service links: text -> href."""
    nav = soup(response).find("footer").find("nav")
    return {a.get_text(strip=True): a["href"] for a in nav.find_all("a")}


def settings_fill(**values) -> None:
    """Save the current schema's site settings with ``values``."""
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(site_settings, name, value)
    site_settings.save()


COMPLETE_SETTINGS = {
    "controller": "Stadt Alpha\nRathausplatz 1\n12345 Alpha",
    "representative": "Bürgermeisterin Maria Muster",
    "contact_email": "koordination@alpha.example",
    "contact_phone": "02366 303-0",
    "data_protection_contact": "Datenschutz der Stadt Alpha, datenschutz@alpha.example",
}


def test_a_new_member_has_the_legal_pages_in_german_linked_from_every_page(platform, db):
    member_create(name="Stadt Omega", slug="omega", domain="omega.localhost")
    with schema_context("omega"):
        home = member_home()
        for model in LEGAL_MODELS:
            pages = model.objects.child_of(home)
            assert pages.count() == 1 and pages.get().live, model.__name__
        overview = EasyLanguagePage.objects.child_of(home).get()
        assert overview.live and overview.explains is None
        news = MemberNewsPageFactory(parent=member_news_index(), title="Ausbildungsmesse")
        event = MemberEventPageFactory(parent=member_event_index(), title="Elternabend")
        urls = ["/de/", news.url, event.url, *(m.objects.get().url for m in LEGAL_MODELS)]

    client = HostClient("omega.localhost")
    for url in urls:
        links = footer_links(client.get(url))
        assert links["Impressum"] == "/de/impressum/", url
        assert links["Datenschutz"] == "/de/datenschutz/", url
        assert links["Barrierefreiheit"] == "/de/barrierefreiheit/", url
    imprint = soup(client.get("/de/impressum/"))
    assert imprint.h1.get_text() == "Impressum"
    assert "Stadt Omega" in imprint.main.get_text()  # the site's name until settings say more
    assert '<html lang="de"' in client.get("/de/leichte-sprache/").content.decode()


def test_the_network_has_them_too(network_client):
    links = footer_links(network_client.get("/de/"))
    assert [links[name] for name in FOOTER_LINKS] == [
        "/de/impressum/",
        "/de/datenschutz/",
        "/de/barrierefreiheit/",
    ]
    with schema_context("public"):
        home = network_home()
        assert all(m.objects.child_of(home).get().live for m in LEGAL_MODELS)


def test_publishing_the_site_in_english_brings_english_legal_pages(alpha):
    with schema_context(alpha.schema):
        english_home = translation_publish(member_home(), "en", title="City of Alpha")
        english = {m: m.objects.child_of(english_home).get() for m in LEGAL_MODELS}
        german = {m: m.objects.child_of(member_home()).get() for m in LEGAL_MODELS}
        for model in LEGAL_MODELS:
            assert english[model].live
            assert english[model].translation_key == german[model].translation_key
        assert english[ImprintPage].title == "Legal notice"
        assert english[ImprintPage].slug == "legal-notice"
        assert not EasyLanguagePage.objects.child_of(english_home).exists()  # German only

    client = alpha.client()
    links = footer_links(client.get("/en/"))
    assert links["Legal notice"] == english[ImprintPage].url == "/en/legal-notice/"
    assert links["Privacy policy"] == english[PrivacyPage].url
    assert links["Accessibility"] == english[AccessibilityStatementPage].url
    statement = soup(client.get(english[AccessibilityStatementPage].url))
    assert statement.find("html")["lang"] == "en"
    headings = [h.get_text(strip=True) for h in statement.main.find_all("h2")]
    assert "Conciliation procedure" in headings
    switcher = statement.find("nav", class_="language-switcher")
    assert switcher.find("a", hreflang="de")["href"] == "/de/barrierefreiheit/"


def test_the_pages_show_what_the_sites_settings_say(alpha, beta):
    with schema_context(alpha.schema):
        settings_fill(**COMPLETE_SETTINGS, supervisory_authority="Kreis Recklinghausen")
    client = alpha.client()
    imprint = soup(client.get("/de/impressum/")).main
    text = imprint.get_text(" ", strip=True)
    assert "Rathausplatz 1" in text and "Bürgermeisterin Maria Muster" in text
    assert "Kreis Recklinghausen" in text
    assert imprint.find("a", href="mailto:koordination@alpha.example")
    assert imprint.find("a", href="tel:023663030")
    privacy = soup(client.get("/de/datenschutz/")).main.get_text(" ", strip=True)
    assert "datenschutz@alpha.example" in privacy
    assert "30 Tage nach ihrem Ende" in privacy  # the registrations' retention setting
    # another member's pages show nothing of alpha's
    beta_imprint = soup(beta.client().get("/de/impressum/")).main.get_text(" ", strip=True)
    assert "Rathausplatz 1" not in beta_imprint and "Kreis Beta" in beta_imprint


def test_the_statement_follows_the_bitv_model(alpha):
    with schema_context(alpha.schema):
        statement = AccessibilityStatementPage.objects.get()
        statement.conformance = AccessibilityStatementPage.Conformance.PARTIAL
        statement.non_accessible_content = "<p>Ältere PDF-Dokumente sind nicht barrierefrei.</p>"
        statement.prepared_on = datetime.date(2026, 11, 30)
        statement.reviewed_on = datetime.date(2026, 12, 4)
        statement.save_revision().publish()
    main = soup(alpha.client().get("/de/barrierefreiheit/")).main
    headings = [h.get_text(strip=True) for h in main.find_all("h2")]
    assert headings[:5] == [
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Barriere melden: Feedback und Kontakt",
        "Schlichtungsverfahren",
    ]
    text = main.get_text(" ", strip=True)
    assert "teilweise mit den Anforderungen der BITV 2.0 vereinbar" in text
    assert "Ältere PDF-Dokumente" in text
    assert "am 30. November 2026 erstellt" in text and "am 4. Dezember 2026" in text
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz" in text


def test_at_most_one_of_each_per_language(alpha):
    with schema_context(alpha.schema):
        home = member_home()
        for model in LEGAL_MODELS:
            assert not model.can_create_at(home), model.__name__
        ImprintPage.objects.child_of(home).get().delete()
        assert ImprintPage.can_create_at(home)
    client = alpha.logged_in_client()
    with schema_context(alpha.schema):
        home_id = member_home().pk
    response = client.get(f"/admin/pages/add/legal/privacypage/{home_id}/")
    assert response.status_code in (302, 403)


def test_setup_platform_gives_sites_without_them_their_pages_and_keeps_edited_ones(alpha):
    with schema_context(alpha.schema):
        home = member_home()
        PrivacyPage.objects.child_of(home).get().delete()
        imprint = ImprintPage.objects.child_of(home).get()
        imprint.title = "Impressum der Stadt Alpha"
        imprint.save_revision().publish()
    member_sites_content_sync()
    with schema_context(alpha.schema):
        assert PrivacyPage.objects.child_of(home).get().live
        assert ImprintPage.objects.child_of(home).get().title == "Impressum der Stadt Alpha"
        assert legal_pages_ensure(network=False) == []  # nothing left to create


def warnings(client) -> list[tuple[str, str]]:
    """The dashboard's warning about the legal pages: (text, link) per problem."""
    page = soup(client.get("/admin/"))
    panel = page.find(attrs={"data-legal-problems": True})
    if panel is None:
        return []
    return [(a.get_text(strip=True), a["href"]) for a in panel.find_all("a")]


def test_the_dashboard_warns_until_the_legal_pages_are_complete(alpha, beta):
    client = alpha.logged_in_client()
    problems = warnings(client)
    texts = " ".join(text for text, _link in problems)
    assert "Die verantwortliche Stelle fehlt" in texts
    assert "Die E-Mail-Adresse der Website fehlt" in texts
    assert "Impressum enthält noch Stellen mit „[Bitte ergänzen“" in texts
    assert "Erklärung zur Barrierefreiheit: das Datum der Erstellung fehlt" in texts
    with schema_context(alpha.schema):
        own_pages = {f"/admin/pages/{pk}/edit/" for pk in Page.objects.values_list("pk", flat=True)}
    page_links = {link for _text, link in problems if "/admin/pages/" in link}
    assert page_links and page_links <= own_pages

    with schema_context(alpha.schema):
        settings_fill(**COMPLETE_SETTINGS)
        for page in [
            *(m.objects.get() for m in LEGAL_MODELS),
            EasyLanguagePage.objects.get(),
        ]:
            page.body = []
            if isinstance(page, AccessibilityStatementPage):
                page.non_accessible_content = "<p>Ältere PDF-Dokumente.</p>"
                page.enforcement = "<p>Ombudsstelle des Landes.</p>"
                page.prepared_on = timezone.localdate()
            page.save_revision().publish()
    assert warnings(client) == []
    assert warnings(beta.logged_in_client())  # beta has done nothing yet


def test_a_missing_page_is_named_with_a_link_to_create_it(alpha):
    with schema_context(alpha.schema):
        home = member_home()
        PrivacyPage.objects.child_of(home).get().delete()
    problems = dict(warnings(alpha.logged_in_client()))
    assert problems["Datenschutzerklärung fehlt."] == (
        f"/admin/pages/add/legal/privacypage/{home.pk}/"
    )


def test_registration_form_links_the_privacy_page(alpha):
    with schema_context(alpha.schema):
        event = MemberEventPageFactory(
            parent=member_event_index(), title="Elternabend", registration_open=True
        )
        url = event.url
    page = soup(alpha.client().get(url))
    notice = page.find(class_="privacy-notice")
    assert notice.find("a", href="/de/datenschutz/").get_text() == "Datenschutzerklärung"


@pytest.mark.parametrize("model", LEGAL_MODELS)
def test_legal_pages_are_not_in_the_menu(alpha, model):
    with schema_context(alpha.schema):
        assert not model.objects.get().show_in_menus
    nav = soup(alpha.client().get("/de/")).find("nav", class_="main-nav")
    assert nav is None or "Impressum" not in nav.get_text()


def test_the_search_lists_none_of_the_pages_every_site_has(alpha):
    site_index(alpha.schema)
    types = set(
        SearchEntry.objects.filter(schema_name=alpha.schema).values_list("page_type", flat=True)
    )
    assert "members.memberhomepage" in types
    assert not types & {
        "legal.imprintpage",
        "legal.privacypage",
        "legal.accessibilitystatementpage",
        "legal.easylanguagepage",
    }
