"""``manage.py seed_demo`` builds the demo network from the five seed pages.

Each seed page is served on its own site with its German text intact (umlauts, „…“,
dashes, lists); some pages also in English, translated with wagtail-localize; running the
command again changes nothing.
"""

import io
import re
import zipfile
from datetime import date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Revision
from wagtail_localize.models import StringTranslation, Translation

from sites.demo import content
from sites.highlights.models import DirectoryEntry
from sites.members.models import MemberEventPage
from sites.network.models import MembersAreaPage, NetworkEventPage
from tenants.models import Member
from tests.conftest import NETWORK_HOST, HostClient
from tests.factories import MemberFactory

DEMO_SCHEMAS = ["public", "herten", "kiel", "kreis_offenbach"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PRESS_RELEASE = "/de/presse/bildungsaktive-kommunen-gemeinsam-besser/"
KIEL_MEETING = "/de/termine/facharbeitsgruppe-kiel-januar-2014/"
VIDEO_CONFERENCE = "/de/veranstaltungen/videokonferenz-2020-09-21/"
OFFENBACH_NEWS_EN = "/en/news/jugend-in-beruf-network-set-up/"


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(platform, db) -> str:
    return seed_demo()


def html_of(host: str, path: str) -> str:
    response = HostClient(host).get(path)
    assert response.status_code == 200, f"{host}{path}: {response.status_code}"
    return response.content.decode()


def soup_of(host: str, path: str) -> BeautifulSoup:
    return BeautifulSoup(html_of(host, path), "html.parser")


def main_text(page: BeautifulSoup) -> str:
    return " ".join(page.find("main").get_text(" ", strip=True).split())


def section(html: str, start: str, end: str) -> str:
    """The part of ``html`` from ``start`` to the next ``end``."""
    assert start in html, start
    return html.split(start, 1)[1].split(end, 1)[0]


def content_counts() -> dict:
    counts = {}
    for schema in DEMO_SCHEMAS:
        with schema_context(schema):
            counts[schema] = {
                "pages": Page.objects.count(),
                "images": get_image_model().objects.count(),
                "documents": get_document_model().objects.count(),
                "revisions": Revision.objects.count(),
                "translations": Translation.objects.count(),
                "translated strings": StringTranslation.objects.count(),
            }
    with schema_context("public"):
        counts["directory"] = DirectoryEntry.objects.count()
        counts["members"] = Member.objects.members().count()
    return counts


def test_running_it_twice_changes_nothing(demo):
    first = content_counts()

    output = seed_demo()

    assert content_counts() == first
    assert "Angelegt" not in output
    assert "Übersetzung" not in output
    assert "Übersetzung „Profile“ (en)" in demo  # the first run made them
    assert "Inhalte Stadt Herten: vollständig" in output
    assert "koordination@herten.example / herten-demo-2026" in output  # the login table stays
    # the first run did build the demo: home, Aktuelles, Termine, Kontakt and more
    assert first["herten"]["pages"] >= 6
    assert first["public"]["documents"] == 2  # the press release's and the minutes'
    assert "mitglied@herten.example / mitglied-herten-2026" in output
    assert [first[s]["translations"] for s in DEMO_SCHEMAS] == [4, 2, 0, 3]
    assert {first[s]["images"] for s in ("public", "herten", "kiel")} == {1}


def test_an_existing_member_is_completed_not_duplicated(platform, db):
    MemberFactory(name="Stadt Herten", slug="herten")
    with schema_context("herten"):
        pages_before = Page.objects.count()

    output = seed_demo()

    assert "Angelegt: Stadt Herten" not in output
    assert "Angelegt: Landeshauptstadt Kiel" in output
    assert Member.objects.filter(name="Stadt Herten").count() == 1
    with schema_context("herten"):
        assert Page.objects.count() > pages_before
    assert "Delia Temmler" in html_of("herten.localhost", "/de/kurzportrait/")


def test_press_release_on_the_network_site_with_word_download(demo):
    html = html_of(NETWORK_HOST, PRESS_RELEASE)

    assert "<h1>Bildungsaktive Kommunen: gemeinsam besser</h1>" in html
    assert "Seit 10 Jahren: die Arbeitsgemeinschaft Weinheimer Initiative" in html
    assert re.search(
        r"<h2[^>]*>Kommunale Koordinierung und Lokale Verantwortungsgemeinschaft</h2>", html
    )
    assert re.search(
        r"<h2[^>]*>Jahresforum zum „Zehnten“ am 29./30.November 2018 in Dortmund</h2>", html
    )
    assert "Die Mischung macht’s: mit Großstädten, mittleren und kleineren Städten" in html
    assert (
        "Zehn Jahre – das ist für Arbeitsgemeinschaften auch keine Selbstverständlichkeit." in html
    )
    assert "mit der „Weinheimer Erklärung“ die Arbeitsgemeinschaft" in html
    assert 'href="https://www.kommunale-koordinierung.de/"' in html
    press_contact = section(html, "Für Rückfragen und weitere Auskünfte:", "</article>")
    assert "Dr. Wilfried Kruse" in press_contact
    assert 'href="mailto:w.kruse@weinheimer-initiative.de"' in press_contact
    assert 'alt="Grafik: zehn farbige Kreise in einer Reihe' in html

    downloads = set(re.findall(r'href="(/documents/[^"]+\.docx)"', html))
    assert len(downloads) == 1  # the link in the text and the download list: one file
    response = HostClient(NETWORK_HOST).get(downloads.pop())
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as docx:
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(docx.namelist())
        text = docx.read("word/document.xml").decode()
    assert "Bildungsaktive Kommunen: gemeinsam besser" in text
    assert "2007/2008 entstand mit der „Weinheimer Erklärung“ die Arbeitsgemeinschaft" in text


def test_video_conference_on_the_network_site(demo):
    html = html_of(NETWORK_HOST, VIDEO_CONFERENCE)

    assert "Proaktives und Präventives Handeln – aber wie?" in html
    assert "Serie von Videokonferenzen zu „Corona-Krise und Berufsausbildung“" in html
    assert "Dr. Tobias Maier vom Bundesinstitut für Berufsbildung" in html
    assert "Auch diese Konferenz wird von Ragna Melzer moderiert." in html
    registration = section(html, 'id="registration"', "</section>")
    assert "Die Anzahl der Teilnehmer*innen ist beschränkt." in registration
    assert 'href="mailto:w.kruse@weinheimer-initiative.de"' in registration
    assert "Mit der Bestätigung der Anmeldung folgt die Übersendung der endgültigen" in registration


def test_kiel_meeting_on_kiels_microsite_only(demo):
    html = html_of("kiel.localhost", KIEL_MEETING)

    assert "<h1>Kurzprofil und Ankündigung der ersten Sitzung</h1>" in html
    assert "Neues Rathaus Kiel" in html
    assert "Andreas-Gayk-Straße 31" in html
    assert "Peter Dohse" in html
    assert 'href="mailto:peter.dohse@kiel.de"' in html
    assert "das auf dem Jahresforum in Freiburg vorgestellte vorläufige „Positionspapier“" in html
    agenda = section(html, "Grober Ablaufplan", "Die Sitzung der Facharbeitsgruppe findet statt")
    assert "Aufgaben, Strukturen und Entwicklungsstand von Arbeitsbündnissen" in html
    assert "Ergänzt wird die „lokale Perspektive“ um eine Skizze der Tendenzen" in agenda
    assert "14:00" in agenda and "2. Tag (vormittags, bis 13 Uhr)" in agenda
    assert "•" not in html
    assert "Im Hotel „Berliner Hof“, Ringstr. 6, 24103 Kiel" in html
    assert "für € 70 unter dem Stichwort „Weinheimer Initiative“ vorreserviert" in html
    assert 'alt="Grafik: stilisiertes rotes Rathaus mit hohem Turm' in html

    assert HostClient("herten.localhost").get(KIEL_MEETING).status_code == 404
    assert HostClient(NETWORK_HOST).get(KIEL_MEETING).status_code == 404


def demo_events() -> tuple[MemberEventPage, NetworkEventPage]:
    with schema_context("kiel"):
        kiel = MemberEventPage.objects.get(slug=content.KIEL_MEETING.slug)
    with schema_context("public"):
        video = NetworkEventPage.objects.get(slug=content.VIDEO_CONFERENCE.slug)
    return kiel, video


def test_kiel_meeting_and_video_conference_open_for_registration_in_the_coming_weeks(demo):
    kiel, video = demo_events()
    today = timezone.localdate()
    for page, seed in ((kiel, content.KIEL_MEETING), (video, content.VIDEO_CONFERENCE)):
        start, end = timezone.localtime(page.start), timezone.localtime(page.end)
        assert today + timedelta(weeks=3) <= start.date() <= today + timedelta(weeks=7)
        assert start.weekday() == seed.start.weekday() == 0  # both seeds: a Monday
        assert (start.time(), end.time()) == (seed.start.time(), seed.end.time())
        assert end.date() - start.date() == seed.end.date() - seed.start.date()
        assert page.title == seed.title and page.teaser == seed.teaser  # the seed's texts
        assert page.registration_open and page.registration_deadline is None
    assert kiel.start != video.start
    assert (kiel.seats, kiel.waiting_list, kiel.ask_organisation, kiel.ask_role) == (
        25,
        True,
        True,
        True,
    )
    assert "Hotel" in kiel.question_1 and "Kontingent" in kiel.question_1
    assert kiel.reminder_days == 3
    assert video.online and video.online_url == ""
    assert video.access_for_confirmed_only
    assert "Kenncode" in video.access_info and "videokonferenz.example/" in video.access_info

    kiel_html = html_of("kiel.localhost", KIEL_MEETING)
    agenda = section(kiel_html, "Grober Ablaufplan", "Die Sitzung der Facharbeitsgruppe")
    with translation.override("de"):
        first_day = date_format(timezone.localtime(kiel.start).date(), "j. F Y")
    assert first_day in agenda and "27. Januar 2014" not in agenda  # the days move along
    assert "Montag, den 27. Januar 2014, 14 Uhr" in kiel_html  # the seed's text stays
    video_html = html_of(NETWORK_HOST, VIDEO_CONFERENCE)
    assert "videokonferenz.example" not in video_html  # access data only after confirming
    assert "Kenncode" not in video_html


def test_the_network_calendar_lists_the_video_conference_and_kiels_meeting(demo):
    kiel, video = demo_events()
    calendar = soup_of(NETWORK_HOST, "/de/veranstaltungen/")
    items = calendar.select(".teaser-list > li")
    listed = {item.find(class_="teaser-title").get_text(strip=True): item for item in items}
    assert set(listed) == {content.KIEL_MEETING.title, content.VIDEO_CONFERENCE.title}
    assert "Landeshauptstadt Kiel" in listed[content.KIEL_MEETING.title].get_text()
    when = listed[content.KIEL_MEETING.title].find("time")["datetime"]
    assert when.startswith(timezone.localtime(kiel.start).date().isoformat())


def test_the_demo_events_move_to_the_same_weekday_and_local_times_weeks_ahead():
    moved = content.in_coming_weeks(content.KIEL_MEETING, date(2026, 6, 10))  # a Wednesday

    berlin = content.BERLIN
    assert moved.start == datetime(2026, 7, 6, 14, 0, tzinfo=berlin)  # Monday, summer time
    assert moved.end == datetime(2026, 7, 7, 13, 0, tzinfo=berlin)
    (agenda,) = [block for block in moved.body if isinstance(block, content.Agenda)]
    assert [day.date for day in agenda.days] == [date(2026, 7, 6), date(2026, 7, 7)]
    assert moved.title == content.KIEL_MEETING.title and moved.slug == content.KIEL_MEETING.slug
    # a Monday at least three weeks ahead: from a Monday exactly three weeks
    assert content.in_coming_weeks(content.KIEL_MEETING, date(2026, 6, 15)).start.date() == (
        date(2026, 7, 6)
    )
    # an event still ahead stays where it is
    assert content.in_coming_weeks(moved, date(2026, 6, 10)) == moved
    assert content.in_coming_weeks(content.KIEL_MEETING, date(2013, 12, 1)).start == (
        content.KIEL_MEETING.start
    )


def test_kreis_offenbach_news_with_its_list_of_partners(demo):
    html = html_of(
        "kreis-offenbach.localhost", "/de/aktuelles/netzwerk-jugend-in-beruf-entwickelt/"
    )

    assert "<h1>Netzwerk „Jugend in Beruf“ entwickelt</h1>" in html
    assert "Das Netzwerk setzt sich zusammen aus den wichtigsten Arbeitsmarktakteuren wie:" in html
    assert "<li>Pro Arbeit Kreis Offenbach – (AöR)</li>" in html
    assert "<li>Handwerkskammer Frankfurt-Rhein-Main</li>" in html
    assert "Regionalgruppe in den Kreisregionen West, Mitte und Ost (operative Ebene)" in html
    assert 'href="https://www.kreis-offenbach.de/berufswegebegleitung"' in html

    listing = html_of("kreis-offenbach.localhost", "/de/aktuelles/")
    assert "Netzwerk „Jugend in Beruf“ entwickelt" in listing


def test_herten_profile_fills_the_network_member_directory(demo):
    html = html_of("herten.localhost", "/de/kurzportrait/")

    assert "Herten setzt auf Bildung und neue Arbeitsplätze." in html
    assert "die größte Steinkohlebergbaustadt in Europa" in html
    assert re.search(r"<h2[^>]*>Lokales Übergangsmanagement</h2>", html)
    assert "1.000 Arbeitsplätze im Bereich „Erneuerbare Energien“" in html
    assert "rund 62.000" in html
    assert "Delia Temmler" in html
    assert "Beschäftigungsförderung und Kindertageseinrichtungen" in html
    assert "02366 - 303 544" in html
    assert 'href="mailto:d.temmler@herten.de"' in html
    links = section(html, 'id="further-links"', "</section>")
    assert links.count("<li>") == 3
    assert "Ausbildungsfuehrer „Da geht was“" in links

    home = html_of("herten.localhost", "/de/")
    assert 'alt="Grafik: stilisierter Förderturm und ein Windrad' in home

    directory = html_of(NETWORK_HOST, "/de/mitglieder/")
    herten = section(directory, "<h2>Stadt Herten</h2>", "</article>")
    assert "Delia Temmler" in herten
    assert "Beschäftigungsförderung und Kindertageseinrichtungen" in herten
    assert "http://herten.localhost/de/kurzportrait/" in herten


def test_network_and_microsites_have_their_sections_in_the_menu(demo):
    network = html_of(NETWORK_HOST, "/de/")
    nav = section(network, 'class="main-nav"', "</nav>")
    for path in ("/de/ueber-uns/", "/de/presse/", "/de/veranstaltungen/", "/de/mitglieder/"):
        assert f'href="{path}"' in nav

    about = html_of(NETWORK_HOST, "/de/ueber-uns/")
    assert "<li>sich „anwaltschaftlich“ für die Anerkennung von Kommunaler Koordinierung" in about
    assert "Übergänge Schule – Arbeitswelt „vor Ort“." in about

    for host in ("herten.localhost", "kiel.localhost", "kreis-offenbach.localhost"):
        nav = section(html_of(host, "/de/"), 'class="main-nav"', "</nav>")
        for path in ("/de/aktuelles/", "/de/termine/", "/de/kontakt/"):
            assert f'href="{path}"' in nav, (host, path)
            html_of(host, path)
    assert "Peter Dohse" in html_of("kiel.localhost", "/de/kontakt/")


def test_demo_proposals_reach_the_network_and_kiel_is_featured(demo):
    from sites.highlights.models import Highlight

    states = dict(Highlight.objects.values_list("member__slug", "state"))
    assert states == {"kiel": "featured", "kreis-offenbach": "proposed"}
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert dict(Highlight.objects.values_list("member__slug", "state")) == states
    assert Highlight.objects.count() == 2


def test_network_highlights_page_shows_kiels_featured_meeting(demo):
    response = HostClient(NETWORK_HOST).get("/de/aus-den-mitgliedern/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Landeshauptstadt Kiel" in html
    assert "Kreis Offenbach" not in html  # still waiting for the editors


def test_herten_profile_in_english_and_the_switcher_between_them(demo):
    german = soup_of("herten.localhost", "/de/kurzportrait/")
    english_link = german.find("nav", class_="language-switcher").find("a", hreflang="en")
    assert english_link["href"] == "/en/profile/"

    english = soup_of("herten.localhost", english_link["href"])
    assert english.html["lang"] == "en"
    assert english.find("h1").get_text(strip=True) == "Profile"
    text = main_text(english)
    assert "Herten is investing in education and new jobs." in text
    assert "Until the 1990s, Herten was the largest hard-coal mining town in Europe" in text
    assert english.find("h2", string="Local transition management")
    assert "Inhabitants" in text and "around 62,000" in text
    # names, telephone numbers and e-mail addresses stay as they are; no German is left
    assert "Delia Temmler" in text and "02366 - 303 544" in text
    assert english.find("a", href="mailto:d.temmler@herten.de")
    assert "Herten setzt auf" not in text and "Arbeitsplätze" not in text
    home = soup_of("herten.localhost", "/en/")
    assert home.find("h1").get_text(strip=True) == "City of Herten"
    assert home.find("a", href="/en/profile/"), "the English menu leads to the profile"


def test_network_site_in_english_with_its_member_directory(demo):
    home = soup_of(NETWORK_HOST, "/en/")
    assert home.html["lang"] == "en"
    assert home.find("h1").get_text(strip=True) == "Municipal Coordination"
    assert "is an alliance of more than 20 cities and counties" in main_text(home)
    nav = home.find("nav", class_="main-nav")
    menu = {link["href"] for link in nav.find_all("a")}
    assert {"/en/about-us/", "/en/members/", "/en/from-the-members/"} <= menu

    directory = soup_of(NETWORK_HOST, "/en/members/")
    assert directory.find("h1").get_text(strip=True) == "Members"
    assert directory.find("h2", string="Stadt Herten")
    assert "Here our members introduce themselves" in main_text(directory)

    about = main_text(soup_of(NETWORK_HOST, "/en/about-us/"))
    assert "to act as an advocate for the recognition of municipal coordination" in about
    highlights = soup_of(NETWORK_HOST, "/en/from-the-members/")
    assert "Landeshauptstadt Kiel" in main_text(highlights)  # the featured meeting


def test_kreis_offenbach_news_in_english(demo):
    news = soup_of("kreis-offenbach.localhost", OFFENBACH_NEWS_EN)
    assert news.html["lang"] == "en"
    assert news.find("h1").get_text(strip=True) == "“Jugend in Beruf” network set up"
    text = main_text(news)
    assert "The network brings together the key players in the labour market" in text
    assert "Pro Arbeit Kreis Offenbach – (AöR)" in text
    link = news.find("a", href="https://www.kreis-offenbach.de/berufswegebegleitung")
    assert link.get_text() == "www.kreis-offenbach.de/berufswegebegleitung"
    assert "Weitere Informationen" not in text

    listing = soup_of("kreis-offenbach.localhost", "/en/news/")
    assert listing.find("a", href=OFFENBACH_NEWS_EN)
    german = soup_of(
        "kreis-offenbach.localhost", "/de/aktuelles/netzwerk-jugend-in-beruf-entwickelt/"
    )
    assert german.find("a", hreflang="en")["href"] == OFFENBACH_NEWS_EN


def test_a_german_text_without_english_stops_the_demo_with_its_name(platform, db, monkeypatch):
    english = dict(content.HIGHLIGHT_PAGE_EN)
    del english["aus-den-mitgliedern"]
    monkeypatch.setattr(content, "HIGHLIGHT_PAGE_EN", english)

    with pytest.raises(CommandError, match="kein englischer Text für „aus-den-mitgliedern“"):
        seed_demo()
    with schema_context("public"):
        assert not Page.objects.filter(locale__language_code="en").exists()


def test_the_members_area_with_its_minutes_and_a_herten_staff_login(demo):
    with schema_context("public"):
        area = MembersAreaPage.objects.get(slug="mitgliederbereich")
        restriction = PageViewRestriction.objects.get(page=area)
        assert [group.name for group in restriction.groups.all()] == ["Mitglieder"]
        minutes = get_document_model().objects.get(title="Protokoll Arbeitstreffen Kiel (intern)")
        assert minutes.collection.name == "Mitgliederbereich"
        assert minutes.collection.get_view_restrictions().exists()
    anonymous = HostClient(NETWORK_HOST)
    assert anonymous.get("/de/mitgliederbereich/").status_code == 302
    assert anonymous.get(minutes.url).status_code == 302

    member = HostClient(NETWORK_HOST)
    login = {"username": "mitglied@herten.example", "password": "mitglied-herten-2026"}
    assert member.post("/de/login/", login)["Location"] == "/de/mitgliederbereich/"
    page = member.get("/de/mitgliederbereich/protokoll-arbeitstreffen-kiel/").content.decode()
    assert "Protokoll des Arbeitstreffens in Kiel" in page
    assert minutes.url in page
    assert "Stadt Herten" in page  # the person's member, beside their name
