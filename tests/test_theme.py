"""The public theme: landmarks, navigation, per-site look, dates and content blocks.

Pages are created in a member's own schema and requested through that member's host,
exactly as a visitor would see them.
"""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context
from wagtail.models import Site

from core.models import SiteSettings
from core.theme import LIGHTEST_SURFACE, contrast
from sites.highlights.models import DirectoryEntry
from sites.members.models import MemberEventIndexPage
from sites.network.models import MemberDirectoryPage
from tests.factories import (
    DocumentFactory,
    ImageFactory,
    MemberDirectoryPageFactory,
    MemberEventIndexPageFactory,
    MemberEventPageFactory,
    MemberNewsIndexPageFactory,
    MemberNewsPageFactory,
    MemberStandardPageFactory,
    member_event_index,
    member_home,
    member_news_index,
    network_home,
)

UTC = ZoneInfo("UTC")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(node) -> str:
    """Visible text, whitespace (no-break spaces too) collapsed, and no spaces around an
    en dash: get_text puts them between "<time>9:00</time>–<time>" that shows none."""
    return re.sub(r"\s+", " ", node.get_text(" ")).replace(" –", "–").replace("– ", "–")


def assert_page_frame(response, title):
    """Skip link first, the four landmarks, and exactly one h1 with the page title."""
    assert response.status_code == 200
    doc = soup(response)
    first_link = doc.body.find("a")
    assert first_link["href"] == "#main"
    assert "Zum Inhalt springen" in first_link.get_text()
    assert doc.find("main", id="main") is not None
    assert doc.find("header", role="banner") is not None
    assert doc.find("footer", role="contentinfo") is not None
    assert doc.find("nav", attrs={"aria-label": "Hauptnavigation"}) is not None
    assert doc.html["lang"] == "de"
    assert [h.get_text() for h in doc.find_all("h1")] == [title]
    assert re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1) == title
    levels = [int(h.name[1]) for h in doc.find_all(re.compile(r"^h[1-6]$"))]
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}: {levels}"
    return doc


@pytest.fixture
def event(alpha):
    """An event on 5 March 2030, stored in UTC, with venue, seats and a one-day agenda."""
    agenda = {
        "title": "Programm",
        "days": [
            {
                "date": "2030-03-05",
                "title": "Auftakt",
                "items": [
                    {"start": "09:00", "end": "10:30", "title": "Begrüßung", "description": ""},
                    {"start": "10:30", "end": None, "title": "Werkstatt", "description": ""},
                ],
            }
        ],
    }
    with schema_context(alpha.schema):
        return MemberEventPageFactory(
            parent=MemberEventIndexPageFactory(parent=member_home(), show_in_menus=True),
            title="Fachtag Übergang Schule–Beruf",
            slug="fachtag",
            start=datetime(2030, 3, 5, 8, 0, tzinfo=UTC),
            end=datetime(2030, 3, 5, 15, 30, tzinfo=UTC),
            venue_name="Bürgerhaus Alpha",
            venue_address="Marktplatz 3\n12345 Alpha",
            organiser_name="Koordinierungsstelle",
            organiser_email="koordination@alpha.example",
            organiser_phone="02366 303-0",
            seats=25,
            registration="<p>Bitte bis 1. März anmelden.</p>",
            body=json.dumps([{"type": "agenda", "value": agenda}]),
        )


def test_member_home_has_skip_link_landmarks_and_one_h1(alpha, event):
    response = alpha.client().get("/de/")
    doc = assert_page_frame(response, "Stadt Alpha")
    upcoming = doc.find("section", attrs={"aria-labelledby": "home-events"})
    assert upcoming.find("h3").find("a", href="/de/termine/fachtag/")
    assert text(doc.find(class_="site-brand")).strip() == "Stadt Alpha"
    assert doc.find("h2", string="Aktuelles") and doc.find("h2", string="Termine")


def test_event_page_shows_german_berlin_time_venue_seats_and_agenda(alpha, event):
    response = alpha.client().get("/de/termine/fachtag/")
    doc = assert_page_frame(response, "Fachtag Übergang Schule–Beruf")
    facts = text(doc.find("dl", class_="event-facts"))
    # 08:00 UTC is 09:00 in Berlin (CET) in March.
    assert "5. März 2030, 09:00–16:30 Uhr" in facts
    assert "Bürgerhaus Alpha, Marktplatz 3 12345 Alpha" in facts
    assert "Begrenzte Teilnehmerzahl: 25 Plätze" in facts
    assert doc.find("a", href="mailto:koordination@alpha.example")
    assert doc.find("a", href="tel:023663030")
    assert doc.find("h2", string="Anmeldung")
    assert "Bitte bis 1. März anmelden." in text(doc.find("section", class_="registration"))

    agenda = doc.find("div", class_="agenda")
    assert agenda.find("h2").get_text() == "Programm"
    assert agenda.find("h3").get_text() == "Dienstag, 5. März 2030: Auftakt"
    rows = [[text(cell).strip() for cell in row.find_all(["th", "td"])] for row in agenda("tr")]
    assert rows == [
        ["Zeit", "Programmpunkt"],
        ["09:00–10:30 Uhr", "Begrüßung"],
        ["10:30 Uhr", "Werkstatt"],
    ]


def test_online_event_says_online_and_links_the_access(alpha):
    with schema_context(alpha.schema):
        MemberEventPageFactory(
            parent=member_event_index(),
            title="Webinar",
            slug="webinar",
            start=datetime(2030, 6, 1, 12, 0, tzinfo=UTC),
            online=True,
            online_url="https://meet.example/raum",
        )
    doc = soup(alpha.client().get("/de/termine/webinar/"))
    facts = text(doc.find("dl", class_="event-facts"))
    assert "Wo Online" in facts
    # Summer time: 12:00 UTC is 14:00 in Berlin.
    assert "1. Juni 2030, 14:00 Uhr" in facts
    assert doc.find("a", href="https://meet.example/raum")
    assert "Begrenzte Teilnehmerzahl" not in facts


def test_main_navigation_lists_menu_children_and_marks_the_current_page(alpha):
    with schema_context(alpha.schema):
        start = member_home()
        about = MemberStandardPageFactory(
            parent=start, title="Über uns", slug="ueber-uns", show_in_menus=True
        )
        MemberNewsIndexPageFactory(parent=start, show_in_menus=True)
        MemberStandardPageFactory(parent=start, title="Versteckt", slug="versteckt")
        MemberStandardPageFactory(
            parent=start, title="Entwurf", slug="entwurf", show_in_menus=True, publish=False
        )
        MemberStandardPageFactory(parent=about, title="Team", slug="team")

    def nav_links(path):
        nav = soup(alpha.client().get(path)).find("nav", attrs={"aria-label": "Hauptnavigation"})
        return [(a.get_text(), a["href"], a.get("aria-current")) for a in nav("a")]

    assert nav_links("/de/") == [
        ("Über uns", "/de/ueber-uns/", None),
        ("Aktuelles", "/de/aktuelles/", None),
    ]
    assert nav_links("/de/ueber-uns/") == [
        ("Über uns", "/de/ueber-uns/", "page"),
        ("Aktuelles", "/de/aktuelles/", None),
    ]
    # Deeper pages mark their section, and get breadcrumbs back up.
    assert nav_links("/de/ueber-uns/team/")[0] == ("Über uns", "/de/ueber-uns/", "true")
    crumbs = soup(alpha.client().get("/de/ueber-uns/team/")).find(
        "nav", attrs={"aria-label": "Sie sind hier"}
    )
    assert [text(li).strip() for li in crumbs("li")] == ["Stadt Alpha", "Über uns", "Team"]


def test_each_member_gets_its_own_accent_logo_and_footer(alpha, beta):
    with schema_context(alpha.schema):
        logo = ImageFactory(title="Wappen", description="Wappen von Alpha")
        settings = SiteSettings.for_site(Site.objects.get())
        settings.accent_colour = "#1d6b2f"
        settings.logo = logo
        settings.footer_contact = "Rathausplatz 1\n12345 Alpha"
        settings.save()
    with schema_context(beta.schema):
        settings = SiteSettings.for_site(Site.objects.get())
        settings.accent_colour = "#8a1538"
        settings.save()

    alpha_page = alpha.client().get("/de/").content.decode()
    beta_page = beta.client().get("/de/").content.decode()
    assert "--accent: #1d6b2f;" in alpha_page
    assert "--accent: #8a1538;" in beta_page
    assert "#1d6b2f" not in beta_page

    header = soup(alpha.client().get("/de/")).find("header")
    img = header.find("img", class_="site-logo")
    assert img["alt"] == "Stadt Alpha"
    assert img["src"].startswith("/media/alpha/") and int(img["width"]) > 0
    assert soup(beta.client().get("/de/")).find("header").find("img") is None

    footer = soup(alpha.client().get("/de/")).find("footer")
    assert "Rathausplatz 1<br/>12345 Alpha" in str(footer.find(class_="footer-contact"))
    assert soup(beta.client().get("/de/")).find("footer").find(class_="footer-contact") is None


def test_too_light_accent_is_darkened_until_links_are_readable(alpha):
    with schema_context(alpha.schema):
        settings = SiteSettings.for_site(Site.objects.get())
        settings.accent_colour = "#ffcc00"
        settings.save()
    page = alpha.client().get("/de/").content.decode()
    accent = re.search(r"--accent: (#[0-9a-f]{6});", page).group(1)
    assert accent != "#ffcc00"
    assert contrast(accent, "#ffffff") >= 4.5
    assert contrast(accent, LIGHTEST_SURFACE) >= 4.5


def test_news_page_shows_date_image_and_attachment_with_type_and_size(alpha):
    with schema_context(alpha.schema):
        pdf = DocumentFactory(
            title="Flyer Ausbildungsmesse", file__data=b"%PDF" * 512, file__filename="flyer.pdf"
        )
        MemberNewsPageFactory(
            parent=MemberNewsIndexPageFactory(parent=member_home(), show_in_menus=True),
            title="Ausbildungsmesse war ein Erfolg",
            slug="messe",
            date=datetime(2030, 10, 3).date(),
            teaser="Über 500 Jugendliche kamen.",
            image=ImageFactory(title="Messe", description="Jugendliche an einem Stand"),
            attachments=json.dumps([{"type": "document", "value": pdf.pk}]),
        )
        doc_url = pdf.url

    response = alpha.client().get("/de/aktuelles/messe/")
    doc = assert_page_frame(response, "Ausbildungsmesse war ein Erfolg")
    assert text(doc.find("p", class_="meta")).strip() == "3. Oktober 2030"
    img = doc.find("figure", class_="page-image").find("img")
    assert img["alt"] == "Jugendliche an einem Stand" and int(img["width"]) > 0
    link = doc.find("section", class_="attachments").find("a", href=doc_url)
    assert text(link).strip() == "Flyer Ausbildungsmesse (PDF, 2,0 KB)"

    listing = soup(alpha.client().get("/de/aktuelles/"))
    assert listing.find("h2").find("a", href="/de/aktuelles/messe/")
    assert "Über 500 Jugendliche kamen." in text(listing.find("main"))


def test_news_index_paginates_with_zurueck_and_weiter(alpha):
    with schema_context(alpha.schema):
        index = member_news_index()
        for day in range(1, 12):
            MemberNewsPageFactory(
                parent=index,
                title=f"Meldung {day}",
                slug=f"m{day}",
                date=datetime(2030, 1, day).date(),
            )

    first = soup(alpha.client().get("/de/aktuelles/"))
    pager = first.find("nav", class_="pagination")
    assert pager["aria-label"]
    assert [a.get_text() for a in pager("a")] == ["Weiter"]
    assert "Seite 1 von 2" in text(pager)
    assert first.find("h2").get_text() == "Meldung 11"  # newest first

    second = soup(alpha.client().get("/de/aktuelles/" + pager.find("a")["href"]))
    assert [a.get_text() for a in second.find("nav", class_="pagination")("a")] == ["Zurück"]
    assert [h.get_text() for h in second.find("main")("h2")] == ["Meldung 1"]


def test_event_index_switches_between_upcoming_and_past(alpha, event):
    with schema_context(alpha.schema):
        MemberEventPageFactory(
            parent=MemberEventIndexPage.objects.get(),
            title="Rückblick 2020",
            slug="rueckblick",
            start=datetime(2020, 5, 4, 8, 0, tzinfo=UTC),
            venue_name="Rathaus",
        )
    upcoming = soup(alpha.client().get("/de/termine/"))
    assert [h.get_text() for h in upcoming.find("main")("h2")] == [event.title]
    assert "5. März 2030, 09:00–16:30 Uhr" in text(upcoming.find("main"))
    past_link = upcoming.find("a", string="Vergangene Termine anzeigen")
    past = soup(alpha.client().get(past_link["href"]))
    assert [h.get_text() for h in past.find("main")("h2")] == ["Rückblick 2020"]
    assert past.find("a", string="Kommende Termine anzeigen")["href"] == "/de/termine/"


def test_unknown_path_on_a_member_gets_the_themed_404(alpha):
    with schema_context(alpha.schema):
        MemberStandardPageFactory(
            parent=member_home(), title="Über uns", slug="ueber-uns", show_in_menus=True
        )
    response = alpha.client().get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    doc = soup(response)
    assert doc.body.find("a")["href"] == "#main"
    assert doc.find("main", id="main").find("h1").get_text() == "Seite nicht gefunden"
    assert doc.find("main").find("a", string="Zur Startseite")["href"] == "/de/"
    assert text(doc.find(class_="site-brand")).strip() == "Stadt Alpha"
    nav = doc.find("nav", attrs={"aria-label": "Hauptnavigation"})
    assert [(a.get_text(), a.get("aria-current")) for a in nav("a")] == [("Über uns", None)]
    assert doc.title.get_text() == "Seite nicht gefunden – Stadt Alpha"


def test_member_directory_shows_cards_with_and_without_profile(network_client, alpha, beta):
    DirectoryEntry.objects.create(
        member=beta.member,
        lead="Der Kreis Beta koordiniert zehn Gemeinden.",
        facts=[{"label": "Einwohner", "value": "300.000"}],
        contact_name="Erika Muster",
        contact_role="Koordinatorin",
        contact_phone="+49 6074 8180",
        contact_email="erika@beta.example",
    )
    with schema_context("public"):
        MemberDirectoryPageFactory(parent=network_home(), show_in_menus=True)

    doc = assert_page_frame(network_client.get("/de/mitglieder/"), "Mitglieder")
    assert doc.find("a", attrs={"aria-current": "page"}, href="/de/mitglieder/")
    cards = {card.find("h2").get_text(): card for card in doc.find_all("article", class_="card")}
    assert {"Stadt Alpha", "Kreis Beta"} <= set(cards)
    beta_card = cards["Kreis Beta"]
    assert text(beta_card.find(class_="meta")) == beta.member.get_kind_display()
    assert beta_card.find("a", href="http://beta.localhost/")
    assert beta_card.find("h3").get_text() == "Erika Muster"
    assert beta_card.find("a", href="tel:+4960748180")
    assert "Einwohner 300.000" in text(beta_card.find("dl", class_="facts"))
    alpha_card = cards["Stadt Alpha"]
    assert alpha_card.find("a", href="http://alpha.localhost/")
    assert alpha_card.find("h3") is None


def test_body_blocks_render_with_alt_text_headings_and_links(alpha):
    with schema_context(alpha.schema):
        picture = ImageFactory(title="Werkstatt", description="Beschreibung im Archiv")
        leaflet = DocumentFactory(
            title="Leitfaden", file__data=b"x" * 100, file__filename="leitfaden.docx"
        )
        target = MemberStandardPageFactory(parent=member_home(), title="Angebote", slug="angebote")
        body = [
            {"type": "heading", "value": {"text": "Unsere Arbeit", "level": "h2"}},
            {"type": "heading", "value": {"text": "Vor Ort", "level": "h3"}},
            {"type": "paragraph", "value": "<p>Wir <b>begleiten</b> Jugendliche.</p>"},
            {
                "type": "image",
                "value": {
                    "image": picture.pk,
                    "alt_text": "Zwei Auszubildende an der Drehbank",
                    "caption": "Werkstatttag 2030",
                },
            },
            {
                "type": "quote",
                "value": {"text": "Kein Abschluss ohne Anschluss.", "attribution": "Leitbild"},
            },
            {"type": "documents", "value": {"title": "Material", "documents": [leaflet.pk]}},
            {
                "type": "links",
                "value": {
                    "title": "Mehr",
                    "links": [{"label": "Unsere Angebote", "page": target.pk, "url": ""}],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "title": "Mitmachen",
                    "text": "Werden Sie Partnerbetrieb.",
                    "link": {
                        "label": "Jetzt melden",
                        "page": None,
                        "url": "https://alpha.example/",
                    },
                },
            },
            {
                "type": "contact",
                "value": {"name": "Ada Lovelace", "role": "Beratung", "phone": "0151 2345678"},
            },
        ]
        MemberStandardPageFactory(
            parent=member_home(),
            title="Über uns",
            slug="ueber-uns",
            show_in_menus=True,
            body=json.dumps(body),
        )

    doc = assert_page_frame(alpha.client().get("/de/ueber-uns/"), "Über uns")
    main = doc.find("main")
    assert [(h.name, h.get_text()) for h in main(["h2", "h3"])] == [
        ("h2", "Unsere Arbeit"),
        ("h3", "Vor Ort"),
        ("h2", "Material"),
        ("h2", "Mehr"),
        ("h2", "Mitmachen"),
        ("h2", "Ada Lovelace"),
    ]
    assert main.find("b", string="begleiten")
    figure = main.find("figure", class_="figure-image")
    img = figure.find("img")
    assert img["alt"] == "Zwei Auszubildende an der Drehbank"
    assert int(img["width"]) > 0 and "srcset" in img.attrs
    assert figure.find("figcaption").get_text() == "Werkstatttag 2030"
    assert text(main.find("blockquote")).strip() == "Kein Abschluss ohne Anschluss."
    assert text(main.find("a", href=leaflet.url)).strip() == "Leitfaden (DOCX, 100 Bytes)"
    assert main.find("a", href="/de/angebote/").get_text() == "Unsere Angebote"
    assert main.find("a", href="https://alpha.example/").get_text() == "Jetzt melden"
    assert main.find("a", href="tel:01512345678").get_text() == "0151 2345678"


def test_member_directory_shows_one_page_of_members_at_a_time(
    network_client, alpha, beta, monkeypatch
):
    """With many members the directory pages, so it costs the same with 3 or 200."""
    monkeypatch.setattr(MemberDirectoryPage, "PAGE_SIZE", 1)
    with schema_context("public"):
        MemberDirectoryPageFactory(parent=network_home())

    def names(query=""):
        doc = soup(network_client.get(f"/de/mitglieder/{query}"))
        return [h2.get_text() for h2 in doc.find("main")("h2")], doc

    first, doc = names()
    nav = doc.find("nav", class_="pagination")
    assert first == ["Kreis Beta"]  # by name
    assert "Seite 1 von 2" in text(nav)
    assert "2 Mitglieder, nach Namen geordnet" in text(doc.find("main"))
    assert names(nav.find("a", rel="next")["href"])[0] == ["Stadt Alpha"]
    assert names("?page=99")[0] == ["Stadt Alpha"]  # past the end: the last page
