"""Texts and structure of the demo network.

The German texts are the five seed pages of the Arbeitsgemeinschaft Weinheimer Initiative
(press release, working-group meeting in Kiel, video conference, news from Kreis
Offenbach, profile of Herten), word for word; only runs of blanks are collapsed and
bullets became real lists. A page's teaser is shown as its lead, so where the teaser is
the seed's first sentence or paragraph, the body starts after it. Short texts for index
and contact pages and the profiles of Kiel and Kreis Offenbach are our own, as are the
English versions of some pages (the network's home, Über uns, Mitglieder and Aus den
Mitgliedern; Herten's home and profile; Kreis Offenbach's home, news index and news). So
are the registration forms of the Kiel meeting and the video conference: their seed dates
lie in the past, so the demo moves both into the coming weeks when it creates them (same
weekday and local times, texts unchanged), and a visitor can register.

Nothing here touches the database: ``sites.demo.builder`` reads these objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

# A link target in a paragraph that stands for the generated press-release document.
PRESS_DOCUMENT_LINK = "document:press-release"


# --- Building blocks ---------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: str = "h2"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; ``links`` turns the first occurrence of each text into a link."""

    text: str
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BulletList:
    """A sentence that introduces a list, and the list items."""

    intro: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class AgendaItem:
    title: str
    description: str = ""
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class AgendaDay:
    title: str
    items: tuple[AgendaItem, ...]
    date: date | None = None


@dataclass(frozen=True)
class Agenda:
    title: str
    days: tuple[AgendaDay, ...]


@dataclass(frozen=True)
class Contact:
    name: str = ""
    role: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class Banner:
    """A generated banner image; ``description`` is its alternative text."""

    title: str
    description: str
    filename: str
    motif: str  # "anniversary", "town_hall" or "pithead"
    caption: str
    colour: str


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class IndexPage:
    title: str
    slug: str
    intro: str = ""


@dataclass(frozen=True)
class NewsItem:
    title: str
    slug: str
    date: date
    teaser: str
    body: tuple = ()
    banner: Banner | None = None


@dataclass(frozen=True)
class RegistrationForm:
    """The registration form an event page offers (``RegistrationSettings``' fields)."""

    registration_open: bool = True
    registration_deadline: datetime | None = None  # empty: until the event starts
    waiting_list: bool = True
    ask_organisation: bool = False
    ask_role: bool = False
    ask_remarks: bool = False
    question_1: str = ""
    question_2: str = ""
    question_3: str = ""
    access_info: str = ""
    access_for_confirmed_only: bool = True
    reminder_days: int | None = None


@dataclass(frozen=True)
class EventItem:
    """An event; ``weeks_ahead``: when the demo is built, the event moves to at least that
    many weeks ahead (:func:`in_coming_weeks`), so that visitors can register for it."""

    title: str
    slug: str
    start: datetime
    end: datetime | None
    teaser: str
    body: tuple = ()
    venue_name: str = ""
    venue_address: str = ""
    online: bool = False
    organiser: Contact = field(default_factory=Contact)
    seats: int | None = None
    registration: tuple[Paragraph, ...] = ()
    banner: Banner | None = None
    registration_form: RegistrationForm | None = None
    weeks_ahead: int | None = None


def in_coming_weeks(event: EventItem, today: date) -> EventItem:
    """``event`` moved to the first day at least ``event.weeks_ahead`` weeks after
    ``today`` that has the seed's weekday, at the seed's local times (Europe/Berlin, so
    also across a change to or from summer time) and over as many days; the days of its
    programme move along. Its texts stay as the seed wrote them. An event that has not
    started by ``today`` (or has no ``weeks_ahead``) stays where it is."""
    start = event.start.astimezone(BERLIN)
    if event.weeks_ahead is None or start.date() > today:
        return event
    earliest = today + timedelta(weeks=event.weeks_ahead)
    day = earliest + timedelta(days=(start.weekday() - earliest.weekday()) % 7)
    shift = day - start.date()

    def moved(moment: datetime) -> datetime:
        local = moment.astimezone(BERLIN)
        return datetime.combine(local.date() + shift, local.time(), tzinfo=BERLIN)

    def moved_block(block):
        if not isinstance(block, Agenda):
            return block
        days = tuple(
            replace(agenda_day, date=agenda_day.date + shift) if agenda_day.date else agenda_day
            for agenda_day in block.days
        )
        return replace(block, days=days)

    return replace(
        event,
        start=moved(event.start),
        end=moved(event.end) if event.end else None,
        body=tuple(moved_block(block) for block in event.body),
    )


@dataclass(frozen=True)
class Profile:
    title: str
    slug: str
    lead: str
    body: tuple
    facts: tuple[Fact, ...]
    contact: Contact
    further_links: tuple[Link, ...]
    # where the member sits on the network's member map (degrees, WGS 84)
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class ContactPage:
    title: str
    slug: str
    lead: str
    contact: Contact = field(default_factory=Contact)
    body: tuple = ()


@dataclass(frozen=True)
class MemberContent:
    """What one demo member's microsite gets beyond its home page."""

    news_index: IndexPage
    event_index: IndexPage
    contact_page: ContactPage
    home_lead: str = ""
    home_banner: Banner | None = None
    profile: Profile | None = None
    news: tuple[NewsItem, ...] = ()
    events: tuple[EventItem, ...] = ()
    # English versions (see "English versions" below): of the home page, and of other
    # pages by their German slug. Without an English home the microsite stays German.
    home_english: Mapping[str, str] | None = None
    english: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


# --- The network's mission (the header above every seed page) ------------------------

NETWORK_FULL_NAME = "Arbeitsgemeinschaft Weinheimer Initiative"
MISSION_LEAD = (
    "Die Arbeitsgemeinschaft Weinheimer Initiative ist ein Zusammenschluss von über 20 "
    "Städten und Landkreisen und zahlreichen weiteren Akteuren."
)
MISSION_BODY = (
    Paragraph(
        "Sie steht für Konzept und Praxis Kommunaler Koordinierung bei der Gestaltung der "
        "Übergänge Schule – Arbeitswelt „vor Ort“."
    ),
    BulletList(
        intro="Die Arbeitsgemeinschaft sieht für sich zwei zentrale, miteinander eng "
        "verbundene Aufgaben:",
        items=(
            "sich „anwaltschaftlich“ für die Anerkennung von Kommunaler Koordinierung und "
            "gute und förderliche Rahmenbedingungen einzusetzen,",
            "und die fortlaufende Verbesserung der lokalen Praxis zu unterstützen.",
        ),
    ),
)

ABOUT_PAGE = IndexPage(title="Über uns", slug="ueber-uns", intro=MISSION_LEAD)
DIRECTORY_PAGE = IndexPage(
    title="Mitglieder",
    slug="mitglieder",
    intro=f"{MISSION_LEAD} Hier stellen sich die Mitglieder mit ihren Ansprechpersonen vor.",
)
HIGHLIGHT_PAGE = IndexPage(
    title="Aus den Mitgliedern",
    slug="aus-den-mitgliedern",
    intro="Nachrichten und Termine, die unsere Mitglieder vorschlagen und die Redaktion "
    "ausgewählt hat.",
)
PRESS_INDEX = IndexPage(
    title="Presse",
    slug="presse",
    intro="Presseinformationen der Arbeitsgemeinschaft Weinheimer Initiative, auch zum "
    "Herunterladen.",
)
NETWORK_EVENT_INDEX = IndexPage(
    title="Veranstaltungen",
    slug="veranstaltungen",
    intro="Jahresforen, Facharbeitsgruppen und Videokonferenzen der Arbeitsgemeinschaft.",
)


# --- Seed 000: press release (network site) ------------------------------------------

PRESS_RELEASE_DOCUMENT_TITLE = "Presseinformation: Bildungsaktive Kommunen: gemeinsam besser"
PRESS_RELEASE_DOCUMENT_FILENAME = "presseinformation-2018-11-25.docx"

PRESS_RELEASE = NewsItem(
    title="Bildungsaktive Kommunen: gemeinsam besser",
    slug="bildungsaktive-kommunen-gemeinsam-besser",
    date=date(2018, 11, 25),
    teaser="Seit 10 Jahren: die Arbeitsgemeinschaft Weinheimer Initiative",
    body=(
        Heading("Gelingende Bildungsbiografien: ein wichtiges Handlungsfeld auch für Kommunen"),
        Paragraph(
            "Die Berufsnot der Jugendlichen um das Jahr 2000 war Grund und Motiv: Auf Einladung "
            "der Freudenberg Stiftung fanden sich engagierte Fachleute, aber vor allem "
            "Vertreterinnen und Vertreter von Kommunen zusammen. Ihre Überzeugung: auch „vor "
            "Ort“ kann und muss dazu beigetragen werden, erfolgreiche Übergänge in Ausbildung "
            "und Beruf und gelingende Bildungsbiografien möglich zu machen und niemanden "
            "zurückzulassen."
        ),
        Heading("Kommunale Koordinierung und Lokale Verantwortungsgemeinschaft"),
        Paragraph(
            "Das Konzept, das damals entstand, nämlich „Kommunale Koordinierung und Lokale "
            "Verantwortungsgemeinschaft“, wurde in den folgenden Jahren breit aufgenommen und "
            "hat eine erhebliche Wirksamkeit entfaltet; es ist zum Merkmal bildungsaktiver "
            "Kommunen geworden. 2007/2008 entstand mit der „Weinheimer Erklärung“ die "
            "Arbeitsgemeinschaft, die nach dem Ort ihres Entstehens benannt wurde."
        ),
        Heading("Eine Arbeitsgemeinschaft bildungsaktiver Kommunen"),
        Paragraph(
            "Mit dem ersten Jahresforum 2008 in Dortmund trat dann die Arbeitsgemeinschaft an "
            "die Öffentlichkeit. Später wurde ein Verein Träger der Arbeitsgemeinschaft. Die "
            "Besonderheit: Die mitarbeitenden Städte und Kreise finanzieren nach Einwohnerzahl "
            "ihre Arbeitsgemeinschaft weitgehend selbst. Mit 17 mitarbeitenden Kommunen ist "
            "dies kein großer Kreis, aber mit erheblicher Wirkung. Die Mischung macht’s: mit "
            "Großstädten, mittleren und kleineren Städten und Kreisen sind alle Kommunaltypen "
            "vertreten. Zehn Jahre – das ist für Arbeitsgemeinschaften auch keine "
            "Selbstverständlichkeit."
        ),
        Heading("Zehn lebendige Jahre"),
        Paragraph(
            "Ein Grund für ihre anhaltende Lebendigkeit ist ihre Arbeitsweise, die auf „früh "
            "erkennen, besser werden“ ausgerichtet ist, also auf Weiterentwicklung angesichts "
            "sich ständig verändernder Rahmenbedingungen und Herausforderungen. Hierfür gibt es "
            "verschiedene Formate, die sich ergänzen, neben kollegialer Beratung sind dies vor "
            "allem Klausuren, Facharbeitsgruppen, Fachtage und Jahresforen. Die Themen dieser "
            "Veranstaltungen zeigen den „roten Faden“ der Weiterentwicklung von Kommunaler "
            "Koordinierung."
        ),
        Heading("Jahresforum zum „Zehnten“ am 29./30.November 2018 in Dortmund"),
        Paragraph(
            "Das 9. Jahresforum findet nun am 29./30.11.2018 in Dortmund statt, am Ort des 1. "
            "Jahresforums. Die Stadt Dortmund war Gründungsmitglied der Arbeitsgemeinschaft. "
            "Ihre frühzeitige und vorbildliche lokale Praxis zur Förderung gelingender "
            "Übergänge von der Schule in die Arbeitswelt war ein wichtiger Impuls für die "
            "Arbeitsgemeinschaft, ebenso wie das frühzeitige Augenmerk auf Quartiersentwicklung."
        ),
        Paragraph(
            "Die Arbeitsgemeinschaft ist also mit dem diesjährigen Schwerpunktthema „Gutes "
            "Aufwachsen im Quartier“ in Dortmund an einem guten Ort. Am Abend geht es dann "
            "anlässlich der „Zehn Jahre Arbeitsgemeinschaft“ um Rückblick und Ausblick. Ein "
            "neues Faltblatt informiert kurz und bündig über die Arbeitsgemeinschaft. "
            "Vielfältige Informationen und auch das Programm des Jahresforums 2018 finden sich "
            "auf der Homepage www.kommunale-koordinierung.de.",
            links=(("www.kommunale-koordinierung.de", "https://www.kommunale-koordinierung.de/"),),
        ),
        # The seed names no person; w.kruse@ is Dr. Wilfried Kruse (see seed 002).
        Paragraph("Für Rückfragen und weitere Auskünfte:"),
        Contact(
            name="Dr. Wilfried Kruse",
            role="Pressekontakt",
            organisation=NETWORK_FULL_NAME,
            email="w.kruse@weinheimer-initiative.de",
        ),
        # The seed says "(Word-docx, ca. 110 Kb)"; our generated file is much smaller.
        Paragraph(
            "Sie können die Presseinformation auch hier (Word-docx) herunterladen.",
            links=(("hier", PRESS_DOCUMENT_LINK),),
        ),
    ),
    banner=Banner(
        title="Zehn Jahre Arbeitsgemeinschaft (Grafik)",
        description="Grafik: zehn farbige Kreise in einer Reihe für zehn Jahre "
        "Arbeitsgemeinschaft Weinheimer Initiative, darüber der Schriftzug „10 Jahre“.",
        filename="zehn-jahre-arbeitsgemeinschaft.png",
        motif="anniversary",
        caption="10 Jahre",
        colour="#005a8c",
    ),
)


def press_release_document_lines() -> list[tuple[str, str]]:
    """Lines of the downloadable .docx as (style, text); style is "title", "subtitle",
    "heading" or "text". The sentence that links to the document itself is left out."""
    lines = [
        ("subtitle", "Presseinformation (Stand 25.11.2018)"),
        ("title", PRESS_RELEASE.title),
        ("subtitle", PRESS_RELEASE.teaser),
    ]
    for block in PRESS_RELEASE.body:
        if isinstance(block, Heading):
            lines.append(("heading", block.text))
        elif isinstance(block, Paragraph) and PRESS_DOCUMENT_LINK not in dict(block.links).values():
            lines.append(("text", block.text))
        elif isinstance(block, Contact):
            lines.append(("text", f"{block.name}, {block.email}"))
    return lines


# --- Seed 002: video conference (network site) ---------------------------------------

VIDEO_CONFERENCE = EventItem(
    title="Vorschau und Anmeldung zur 4. Videokonferenz am 21.9.2020, 14-16 Uhr: Proaktives "
    "und Präventives Handeln – aber wie?",
    slug="videokonferenz-2020-09-21",
    start=datetime(2020, 9, 21, 14, 0, tzinfo=BERLIN),
    end=datetime(2020, 9, 21, 16, 0, tzinfo=BERLIN),
    teaser="Wir setzen unsere Serie von Videokonferenzen zu „Corona-Krise und "
    "Berufsausbildung“ am 21. September fort und rücken die lokal-kommunales "
    "Handlungsoptionen ins Zentrum: Proaktives und Präventives Handeln – aber wie?",
    online=True,
    # "Die Anzahl der Teilnehmer*innen ist beschränkt": the seed gives no number.
    seats=30,
    organiser=Contact(name="Dr. Wilfried Kruse", email="w.kruse@weinheimer-initiative.de"),
    body=(
        Paragraph(
            "Ausgangspunkt ist, dass sich u.a. in den vorherigen Videokonferenzen aktuell in "
            "Hinblick auf eine negative Betroffenheit durch die Corona-Krise ein sehr "
            "differenziertes Bild gezeigt hat. Es kann aber sein, dass sich (weitere) "
            "Schwierigkeiten und Verwerfungen erst noch verzögert im Zeitablauf einstellen, "
            "zumal die Corona-Krise keineswegs vorbei ist. Besonderes Augenmerk muss dabei auf "
            "jene Gruppen von jungen Leuten gerichtet werden, von denen wir wissen, dass die "
            "aufgrund komplexer Problemlagen besonders gefährdet sind."
        ),
        Paragraph(
            "Im Verlaufe unserer Videokonferenzen wurde von nahezu allen Standorten über "
            "proaktives Handeln berichtet, also über Maßnahmen, die darauf ausgerichtet waren, "
            "gemeinschaftlich Aufmerksamkeit zu erzeugen, für Ausbildung zu mobilisieren, "
            "Beratungen auch unter Corona-Bedingungen aufrecht zu erhalten, usw. Kommunale "
            "Koordinierung hat gerade in der Corona-Krise eine weitere Bewährungsprobe "
            "bestanden. Vor diesem Hintergrund kann der Blick nun stärker auf präventive "
            "Maßnahmen gerichtet werden."
        ),
        Paragraph(
            "Zu Beginn der VK wird Dr. Tobias Maier vom Bundesinstitut für Berufsbildung einen "
            "Überblick zur Datenlage zum Thema geben und einen Blick auf mögliche weitere "
            "Entwicklungen werfen. Danach wird aus Kassel ausführlich der kommunale Umgang mit "
            "der Corona-Krise und ihren Folgen dargestellt, ergänzt um kürzere Berichte aus "
            "Weinheim und Freiburg im Breisgau. Ein zweiter Hauptteil soll gemeinsam klären "
            "helfen, wie eine präventive Strategie aussehen könnte. Wie schon in den "
            "vorangehenden VKs wird Dr. Wilfried Kruse die Konferenz einleiten und Heiner "
            "Bernhard, Sprecher der Arbeitsgemeinschaft, sie mit einem Ausblick abschließen. "
            "Auch diese Konferenz wird von Ragna Melzer moderiert."
        ),
        # The programme of the paragraph above, as a schedule (our summary of it).
        Agenda(
            title="Programm",
            days=(
                AgendaDay(
                    title="Videokonferenz, 14–16 Uhr (Moderation: Ragna Melzer)",
                    date=date(2020, 9, 21),
                    items=(
                        AgendaItem("Einleitung: Dr. Wilfried Kruse", start=time(14, 0)),
                        AgendaItem(
                            "Überblick zur Datenlage: Dr. Tobias Maier, Bundesinstitut für "
                            "Berufsbildung"
                        ),
                        AgendaItem(
                            "Der kommunale Umgang mit der Corona-Krise und ihren Folgen: Kassel",
                            "<p>ergänzt um kürzere Berichte aus Weinheim und Freiburg im "
                            "Breisgau</p>",
                        ),
                        AgendaItem(
                            "Zweiter Hauptteil: Wie könnte eine präventive Strategie aussehen?"
                        ),
                        AgendaItem("Ausblick: Heiner Bernhard, Sprecher der Arbeitsgemeinschaft"),
                    ),
                ),
            ),
        ),
    ),
    registration=(
        Paragraph(
            "Die Anzahl der Teilnehmer*innen ist beschränkt. Anmeldungen werden erbeten an: "
            "w.Kruse@weinheimer-initiative.de.",
            links=(
                ("w.Kruse@weinheimer-initiative.de", "mailto:w.kruse@weinheimer-initiative.de"),
            ),
        ),
        Paragraph(
            "Mit der Bestätigung der Anmeldung folgt die Übersendung der endgültigen "
            "Tagesordnung und der Zugangsdaten."
        ),
    ),
    # Our own: the demo's registration form. The access data are made up (an .example
    # address): they go only to confirmed participants, never onto the page.
    registration_form=RegistrationForm(
        ask_organisation=True,
        access_info="Zugangsdaten zur 4. Videokonferenz (Demo – kein echter Konferenzraum):\n"
        "Link: https://videokonferenz.example/weinheimer-initiative/vk-4\n"
        "Kenncode: 2109 2020",
        access_for_confirmed_only=True,
        reminder_days=1,
    ),
    weeks_ahead=5,
)


# --- Seed 001: working-group meeting in Kiel (Kiel's microsite) -----------------------

KIEL_MEETING = EventItem(
    title="Kurzprofil und Ankündigung der ersten Sitzung",
    slug="facharbeitsgruppe-kiel-januar-2014",
    start=datetime(2014, 1, 27, 14, 0, tzinfo=BERLIN),
    end=datetime(2014, 1, 28, 13, 0, tzinfo=BERLIN),
    teaser="Die bisherige Facharbeitsgruppe zur Zusammenarbeit mit der Agentur für Arbeit und "
    "den Jobcentern soll unter besonderer Berücksichtigung von Erfahrungen und Planungen zu "
    "lokalen Arbeitsbündnissen fortgeführt werden.",
    venue_name="Neues Rathaus Kiel",
    venue_address="Andreas-Gayk-Straße 31\n24103 Kiel",
    organiser=Contact(name="Peter Dohse", email="peter.dohse@kiel.de"),
    # "Der Teilnehmerkreis ist begrenzt": the seed gives no number.
    seats=25,
    body=(
        Paragraph(
            "Dies soll stärker als bisher mit der Frage verknüpft werden: Wie macht man die "
            "Kommunale Koordinierung vor Ort gut? Nach mehreren Jahren der Aufbauarbeit steht "
            "nun vor allem Konsolidierung an und damit eine neue Phase der internen "
            "Organisationsentwicklung auf der Tagesordnung. Zugleich nehmen Arbeitsbündnisse "
            "und Jugendberufsagenturen an Gestalt an."
        ),
        Paragraph(
            "Eine Aufgabe der Facharbeitsgruppe ist es, das auf dem Jahresforum in Freiburg "
            "vorgestellte vorläufige „Positionspapier“ zu überprüfen und weiterzuentwickeln."
        ),
        Agenda(
            title="Grober Ablaufplan",
            days=(
                AgendaDay(
                    title="1. Tag (nachmittags)",
                    date=date(2014, 1, 27),
                    items=(
                        AgendaItem(
                            "Hauptthema: Aufgaben, Strukturen und Entwicklungsstand von "
                            "Arbeitsbündnissen und Jugendberufsagenturen",
                            "<p>Einleitend wird das Vorläufige Positionspapier vom März 2013 "
                            "vorgestellt und an die vorangehenden Facharbeitsgruppen erinnert. "
                            "Eine knappe Präsentation des Arbeitsbündnisses Kiel und einer "
                            "Stadtteil-Jugendberufsagentur in Hamburg öffnen zu einer "
                            "Erfahrungsaustauschrunde, an deren Ende offene Fragen und "
                            "weiterführende Aspekte festgehalten werden.</p>",
                            start=time(14, 0),
                        ),
                    ),
                ),
                AgendaDay(
                    title="2. Tag (vormittags, bis 13 Uhr)",
                    date=date(2014, 1, 28),
                    items=(
                        AgendaItem(
                            "Hauptthema: Zum Verhältnis von Kommunaler Koordinierung und "
                            "Arbeitsbündnissen/Jugendberufsagenturen",
                            "<p>Ausgangspunkt des 2. Tages ist die Kommunale Koordinierung und "
                            "ihr Zugang zur Frage der rechtskreisübergreifenden Zusammenarbeit, "
                            "insbesondere im Feld des SGB II. Dies eröffnet den "
                            "Erfahrungsaustausch. Ergänzt wird die „lokale Perspektive“ um eine "
                            "Skizze der Tendenzen, wie sie sich zum Thema auf Länder- und "
                            "Bundesebene zeigen. Schließlich soll erneut auf das "
                            "Positionspapier eingegangen werden; die Frage nach weiterem "
                            "Klärungs- und Vertiefungsbedarf leitet zur 2. "
                            "Facharbeitsgruppensitzung dieser Periode über, die noch vor dem "
                            "Jahresforum 2014, das am 8./9.Mai sein wird, stattfinden "
                            "soll.</p>",
                        ),
                    ),
                ),
            ),
        ),
        Paragraph(
            "Die Sitzung der Facharbeitsgruppe findet statt von Montag, den 27. Januar 2014, "
            "14 Uhr bis Dienstag, den 28. Januar 2014, 13 Uhr."
        ),
        Paragraph(
            "Die Federführung liegt bei Peter Dohse von der Koordinierung der Landeshauptstadt "
            "Kiel. Der Teilnehmerkreis ist begrenzt."
        ),
        Heading("Übernachtung"),
        Paragraph(
            "Im Hotel „Berliner Hof“, Ringstr. 6, 24103 Kiel, Telefon 0431 66340 (unmittelbare "
            "Bahnhofsnähe) sind bis zum 3.1.2014 Zimmer für die Nacht vom 27. auf 28.1.2014 "
            "für € 70 unter dem Stichwort „Weinheimer Initiative“ vorreserviert (Selbstzahler)."
        ),
    ),
    registration=(
        Paragraph(
            "Kontakt bei Interesse und Fragen: Peter Dohse, peter.dohse@kiel.de",
            links=(("peter.dohse@kiel.de", "mailto:peter.dohse@kiel.de"),),
        ),
    ),
    banner=Banner(
        title="Facharbeitsgruppe im Neuen Rathaus Kiel (Grafik)",
        description="Grafik: stilisiertes rotes Rathaus mit hohem Turm vor dunkelblauem Himmel, "
        "daneben der Schriftzug „Facharbeitsgruppe Kiel“.",
        filename="facharbeitsgruppe-kiel.png",
        motif="town_hall",
        caption="Facharbeitsgruppe Kiel",
        colour="#1f4e79",
    ),
    # Our own: the demo's registration form, with the seed's hotel contingent as a question.
    registration_form=RegistrationForm(
        waiting_list=True,
        ask_organisation=True,
        ask_role=True,
        question_1="Benötigen Sie ein Zimmer aus dem Kontingent im Hotel „Berliner Hof“ "
        "(Nacht vom ersten auf den zweiten Sitzungstag, Selbstzahler)?",
        reminder_days=3,
    ),
    weeks_ahead=3,
)


# --- Seed 003: news from Kreis Offenbach (its microsite) -------------------------------

OFFENBACH_NEWS = NewsItem(
    title="Netzwerk „Jugend in Beruf“ entwickelt",
    slug="netzwerk-jugend-in-beruf-entwickelt",
    date=date(2013, 6, 20),
    teaser="Seit 2012 wird im Kreis Offenbach das Netzwerk „Jugend in Beruf“ im Rahmen der "
    "kommunalen Koordination umgesetzt.",
    body=(
        BulletList(
            intro="Das Netzwerk setzt sich zusammen aus den wichtigsten Arbeitsmarktakteuren wie:",
            items=(
                "Kreis Offenbach",
                "Pro Arbeit Kreis Offenbach – (AöR)",
                "Agentur für Arbeit Offenbach / Frankfurt",
                "Staatliches Schulamt für den Landkreis Offenbach und die Stadt Offenbach am Main",
                "Industrie- und Handelskammer Offenbach am Main",
                "Handwerkskammer Frankfurt-Rhein-Main",
                "Kreishandwerkerschaft Offenbach am Main",
                "sowie kreisangehörige Städte und Gemeinden und freie Träger der "
                "Jugendberufshilfe.",
            ),
        ),
        Paragraph(
            "Die beteiligten Institutionen sehen sich in der gemeinsamen Verantwortung, den "
            "Übergang von Jugendlichen und jungen Menschen von der schulischen zur beruflichen "
            "Bildung gelingend zu gestalten."
        ),
        Paragraph(
            "Die Struktur des Netzwerkes umfasst eine entscheidungsfähige Steuerungsgruppe "
            "(Leitungsebene), eine Koordinierungsgruppe (mittleres Management), sowie "
            "mindestens je eine Regionalgruppe in den Kreisregionen West, Mitte und Ost "
            "(operative Ebene). Die beteiligten Institutionen stellen soweit möglich geeignete "
            "Mitarbeiterinnen und Mitarbeiter bereit, um in den Gremien konkrete Projekte zu "
            "entwickeln und auf den Weg zu bringen."
        ),
        Paragraph(
            "In den vergangenen 18 Monaten wurde das Netzwerk erfolgreich installiert. Der "
            "Prozess wurde extern von der ISS Beratungs- und Entwicklungs GmbH in Frankfurt "
            "moderiert."
        ),
        Paragraph(
            "Am 01.10.2013 findet nun eine Zwischenbilanz des Netzwerkes statt, um die "
            "vergangenen 1,5 Jahre zu reflektieren und gemeinsam Schritte für die weitere "
            "Zusammenarbeit zu entwickeln."
        ),
        Paragraph(
            "In einer Kreisausschusssitzung vom Juli 2013 wurde beschlossen, dass ab 01.01.2014 "
            "die Koordinierung und Umsetzung der Regionalgruppen des Netzwerkes „Jugend in "
            "Beruf“ in kommunale Verantwortung zu übergeben."
        ),
        Paragraph(
            "Der Kreis Offenbach finanziert drei Vollzeitstellen, die bei drei kreiseigenen "
            "Kommunen angesiedelt werden. Es werden Fachkräfte eingestellt, die neben ihrer "
            "pädagogischen Arbeit mit benachteiligten Jugendlichen im Übergang Schule- Beruf "
            "die Regionalgruppen koordinieren und moderieren. Dies ist eine wichtige "
            "Weichenstellung, um die kommunale Verantwortung zu stärken und das Netzwerk "
            "weiterhin erfolgreich fortzuführen."
        ),
        Paragraph(
            "Weitere Informationen dazu finden Sie unter: "
            "www.kreis-offenbach.de/berufswegebegleitung",
            links=(
                (
                    "www.kreis-offenbach.de/berufswegebegleitung",
                    "https://www.kreis-offenbach.de/berufswegebegleitung",
                ),
            ),
        ),
    ),
)


# --- Seed 004: profile of Herten (its microsite; feeds the member directory) ----------

HERTEN_CONTACT = Contact(
    name="Delia Temmler",
    role="Beschäftigungsförderung und Kindertageseinrichtungen",
    organisation="Stadt Herten",
    phone="02366 - 303 544",
    email="d.temmler@herten.de",
    address="Stadt Herten\n45699 Herten",
)

HERTEN_PROFILE = Profile(
    title="Kurzportrait",
    slug="kurzportrait",
    lead="Herten setzt auf Bildung und neue Arbeitsplätze.",
    body=(
        Paragraph(
            "Herten war bis in die 1990er Jahren noch die größte Steinkohlebergbaustadt in "
            "Europa und wurde in den Folgejahren hart durch den wirtschaftlichen Strukturwandel "
            "getroffen. Aufgrund des Bergbaurückzugs fielen 15.000 der insgesamt 26.000 "
            "Arbeitsplätze in der heute rund 62.000 Einwohner zählenden kreisangehörigen "
            "Mittelstadt weg."
        ),
        Paragraph(
            "Eine Vielzahl von wirtschaftspolitischen Maßnahmen helfen dabei den Strukturwandel "
            "zu bewältigen. Neben dem Ausbau der Gesundheitsberufe sorgen neue "
            "Betriebsansiedlungen in zukunftsträchtigen Bereichen für neues wirtschaftliches "
            "Leben."
        ),
        Heading("Neue Arbeitsplätze"),
        Paragraph(
            "Allein in den letzten vier Jahren ist die Zahl der Arbeitsplätze um 12 Prozent "
            "angestiegen. Herten hat sich mittlerweile zum Kompetenzzentrum für Wasserstoff- "
            "und Brennstoffzellentechnologie entwickelt. Ziel der Wirtschaftsförderung ist es "
            "ist bis zum Jahr 2020 in der Stadt 20.000 sozialversicherungspflichtige "
            "Arbeitsplätze anbieten zu können darunter 1.000 Arbeitsplätze im Bereich "
            "„Erneuerbare Energien“."
        ),
        Paragraph(
            "Um die sozialen, schulischen und beruflichen Chancen der nachwachsenden Generation "
            "zu verbessern wurde gemeinsam mit vielen Beteiligten eine Bildungskette aufgebaut, "
            "die dem Einzelnen ein lebenslanges Lernen ermöglicht. Die Vernetzung von "
            "schulischer und außerschulischer Bildung soll darüber hinaus die Entfaltung von "
            "geistigen, kulturellen und sozialen Kompetenzen unterstützen."
        ),
        Heading("Bildungskette"),
        Paragraph(
            "Seit 2009 werden in dem Projekt Ein Quadratkilometer Bildung rund um die Süder "
            "Grundschule Kinder gefördert und Eltern gestärkt. Der erfolgreich gestartete Ein "
            "Quadrat Kilometer Bildung erfährt gegenwärtig einen Transfer in andere Stadtteile."
        ),
        Paragraph(
            "Die Förderung des Kindes bereits nach der Geburt mit der Elternberatung durch die "
            "aufsuchende Elternarbeit, Familienzentren in allen Stadtteilen, Sprachförderung in "
            "den KiTas, Ganztagsbetrieb in allen Grundschulen oder naturwissenschaftlich-"
            "technische MINT-Profilklassen in den weiterführenden Schulen, Wirtschaft und "
            "Schule als Partner und die Kooperation mit dem zdi-Netzwerk in Marl (Zukunft durch "
            "Innovation) gehören in Herten mittlerweile zum Alltagsgeschäft."
        ),
        Paragraph(
            "Seit dem Jahr 2007 ist die Stadt Herten Mitglied der Weinheimer Initiative. Herten "
            "hat die lokale Verantwortung für Bildung und Ausbildung ernst genommen. Anlass "
            "waren die hohe Jugendarbeitslosigkeit, zu wenige Ausbildungsplätze und viele "
            "sogenannte Warteschleifen im Anschluss an eine Schulausbildung."
        ),
        Heading("Lokales Übergangsmanagement"),
        Paragraph(
            "Mit der Fragestellung: Was benötigt ein Hertener Schüler oder eine Hertener "
            "Schülerin um einen optimalen Übergang von der Schule in den Beruf zu absolvieren, "
            "organisierte die Kommunale Koordinierung 2007 ein erstes Arbeitstreffen von "
            "Fachleuten. Daraus entstand das lokale Übergangsmanagement der Stadt Herten. Hier "
            "sitzen regelmäßig alle beteiligten Akteure an einem Tisch, die im Übergang aktiv "
            "sind."
        ),
        Paragraph(
            "Daraus resultieren gemeinsam konzipierte Bildungsbausteine wie der "
            "Ausbildungsführer, die Berufsorientierungsberatung für Eltern und das Haus der "
            "Berufsvorbereitung. Letzteres hat das Ziel, die teilnehmenden Schülerinnen und "
            "Schüler ab Klasse 9 zu qualifizieren und erfolgreich in betriebliche Ausbildungen "
            "zu vermitteln."
        ),
    ),
    facts=(
        Fact("Einwohner", "rund 62.000"),
        Fact("Gemeindetyp", "kreisangehörige Mittelstadt"),
        Fact("Mitglied der Weinheimer Initiative seit", "2007"),
        Fact("Arbeitsplätze", "+ 12 Prozent in den letzten vier Jahren"),
        Fact("Schwerpunkt", "Kompetenzzentrum für Wasserstoff- und Brennstoffzellentechnologie"),
    ),
    contact=HERTEN_CONTACT,
    # The seed names the links but not their addresses; all lead to the city's website.
    further_links=(
        Link("Entwicklungskonzept Herten 2020", "https://www.herten.de/"),
        Link("Ausbildungsfuehrer „Da geht was“", "https://www.herten.de/"),
        Link("Haus der Berufsvorbereitung", "https://www.herten.de/"),
    ),
    latitude=Decimal("51.5958"),  # Herten, town hall
    longitude=Decimal("7.1408"),
)


# --- Profiles of Kiel and Kreis Offenbach (our own short texts; they place both members
# on the directory's map) -----------------------------------------------------------------

KIEL_CONTACT = Contact(
    name="Peter Dohse",
    role="Koordinierung der Landeshauptstadt Kiel",
    email="peter.dohse@kiel.de",
)

KIEL_PROFILE = Profile(
    title="Kurzportrait",
    slug="kurzportrait",
    lead="Die Landeshauptstadt Kiel koordiniert den Weg junger Menschen von der Schule in "
    "Ausbildung und Arbeit.",
    body=(),
    facts=(),
    contact=KIEL_CONTACT,
    further_links=(),
    latitude=Decimal("54.3242"),  # Kiel, town hall
    longitude=Decimal("10.1336"),
)

OFFENBACH_PROFILE = Profile(
    title="Kurzportrait",
    slug="kurzportrait",
    lead="Kommunale Koordination im Kreis Offenbach: Netzwerk „Jugend in Beruf“.",
    body=(),
    facts=(),
    contact=Contact(),
    further_links=(),
    latitude=Decimal("50.0086"),  # Dietzenbach, the county town
    longitude=Decimal("8.7783"),
)


# --- English versions ------------------------------------------------------------------
#
# What a translator types into wagtail-localize for the pages that get an English version:
# for every German string of the page, its English text. The keys are the strings as
# wagtail-localize cuts the page up: title, slug, each text field, and rich text one
# paragraph, heading or list item at a time, with links as <a id="a1">…</a>. When a German
# text above changes, its key here must change with it; the builder refuses to publish an
# English page that would keep a German string. Names, addresses, telephone numbers and
# e-mail addresses stay as they are; German names of institutions get an English gloss.


def _unchanged(*texts: str) -> dict[str, str]:
    """Strings that read the same in English (names, numbers, addresses)."""
    return {text: text for text in texts}


MISSION_LEAD_EN = (
    "The Arbeitsgemeinschaft Weinheimer Initiative is an alliance of more than 20 cities and "
    "counties and many other partners."
)

NETWORK_HOME_EN = {
    # The home page's title is the network's name (NETWORK_NAME); another name stays as it is.
    "Kommunale Koordinierung": "Municipal Coordination",
    "start": "home",
    MISSION_LEAD: MISSION_LEAD_EN,
}

ABOUT_PAGE_EN = {
    "Über uns": "About us",
    "ueber-uns": "about-us",
    MISSION_LEAD: MISSION_LEAD_EN,
    "Sie steht für Konzept und Praxis Kommunaler Koordinierung bei der Gestaltung der "
    "Übergänge Schule – Arbeitswelt „vor Ort“.": "It stands for the concept and practice of "
    "municipal coordination in shaping young people’s transitions from school to working "
    "life “on the ground”.",
    "Die Arbeitsgemeinschaft sieht für sich zwei zentrale, miteinander eng verbundene "
    "Aufgaben:": "The working group has set itself two central, closely linked tasks:",
    "sich „anwaltschaftlich“ für die Anerkennung von Kommunaler Koordinierung und gute und "
    "förderliche Rahmenbedingungen einzusetzen,": "to act as an advocate for the recognition "
    "of municipal coordination and for good, supportive conditions,",
    "und die fortlaufende Verbesserung der lokalen Praxis zu unterstützen.": "and to support "
    "the continuous improvement of local practice.",
}

DIRECTORY_PAGE_EN = {
    "Mitglieder": "Members",
    "mitglieder": "members",
    f"{MISSION_LEAD} Hier stellen sich die Mitglieder mit ihren Ansprechpersonen vor.": (
        f"{MISSION_LEAD_EN} Here our members introduce themselves and their contact persons."
    ),
}

HIGHLIGHT_PAGE_EN = {
    "Aus den Mitgliedern": "From the members",
    "aus-den-mitgliedern": "from-the-members",
    "Nachrichten und Termine, die unsere Mitglieder vorschlagen und die Redaktion "
    "ausgewählt hat.": "News and events proposed by our members and selected by the "
    "editorial team.",
}

HERTEN_HOME_EN = {
    # The home page's title is the member's name; another name stays as it is.
    "Stadt Herten": "City of Herten",
    "start": "home",
    "Herten setzt auf Bildung und neue Arbeitsplätze.": "Herten is investing in education "
    "and new jobs.",
}

HERTEN_PROFILE_EN = {
    "Kurzportrait": "Profile",
    "kurzportrait": "profile",
    "Herten setzt auf Bildung und neue Arbeitsplätze.": "Herten is investing in education "
    "and new jobs.",
    "Herten war bis in die 1990er Jahren noch die größte Steinkohlebergbaustadt in Europa und "
    "wurde in den Folgejahren hart durch den wirtschaftlichen Strukturwandel getroffen. "
    "Aufgrund des Bergbaurückzugs fielen 15.000 der insgesamt 26.000 Arbeitsplätze in der "
    "heute rund 62.000 Einwohner zählenden kreisangehörigen Mittelstadt weg.": "Until the "
    "1990s, Herten was the largest hard-coal mining town in Europe, and in the years that "
    "followed it was hit hard by economic structural change. As mining withdrew, 15,000 of "
    "the 26,000 jobs disappeared from this medium-sized town, which today has around 62,000 "
    "inhabitants and is part of Recklinghausen County.",
    "Eine Vielzahl von wirtschaftspolitischen Maßnahmen helfen dabei den Strukturwandel zu "
    "bewältigen. Neben dem Ausbau der Gesundheitsberufe sorgen neue Betriebsansiedlungen in "
    "zukunftsträchtigen Bereichen für neues wirtschaftliches Leben.": "A wide range of "
    "economic policy measures is helping the town to cope with this change. Alongside the "
    "expansion of the health professions, new businesses in sectors with a future are "
    "bringing new economic life.",
    "Neue Arbeitsplätze": "New jobs",
    "Allein in den letzten vier Jahren ist die Zahl der Arbeitsplätze um 12 Prozent "
    "angestiegen. Herten hat sich mittlerweile zum Kompetenzzentrum für Wasserstoff- und "
    "Brennstoffzellentechnologie entwickelt. Ziel der Wirtschaftsförderung ist es ist bis zum "
    "Jahr 2020 in der Stadt 20.000 sozialversicherungspflichtige Arbeitsplätze anbieten zu "
    "können darunter 1.000 Arbeitsplätze im Bereich „Erneuerbare Energien“.": "In the last "
    "four years alone, the number of jobs has risen by 12 per cent. Herten has since become a "
    "centre of expertise for hydrogen and fuel cell technology. The town’s economic "
    "development agency aims to offer 20,000 jobs with social insurance in Herten by 2020, "
    "1,000 of them in “renewable energies”.",
    "Um die sozialen, schulischen und beruflichen Chancen der nachwachsenden Generation zu "
    "verbessern wurde gemeinsam mit vielen Beteiligten eine Bildungskette aufgebaut, die dem "
    "Einzelnen ein lebenslanges Lernen ermöglicht. Die Vernetzung von schulischer und "
    "außerschulischer Bildung soll darüber hinaus die Entfaltung von geistigen, kulturellen "
    "und sozialen Kompetenzen unterstützen.": "To improve the social, educational and "
    "career prospects of the next generation, the town and many partners have built an "
    "education chain that makes lifelong learning possible for everyone. Linking education "
    "in and out of school is also meant to help young people develop their intellectual, "
    "cultural and social skills.",
    "Bildungskette": "Education chain",
    "Seit 2009 werden in dem Projekt Ein Quadratkilometer Bildung rund um die Süder "
    "Grundschule Kinder gefördert und Eltern gestärkt. Der erfolgreich gestartete Ein "
    "Quadrat Kilometer Bildung erfährt gegenwärtig einen Transfer in andere "
    "Stadtteile.": "Since 2009, the project Ein Quadratkilometer Bildung (“one square "
    "kilometre of education”) has been supporting children and strengthening parents around "
    "the Süder primary school. After its successful start, the project is now being carried "
    "over to other parts of the town.",
    "Die Förderung des Kindes bereits nach der Geburt mit der Elternberatung durch die "
    "aufsuchende Elternarbeit, Familienzentren in allen Stadtteilen, Sprachförderung in den "
    "KiTas, Ganztagsbetrieb in allen Grundschulen oder naturwissenschaftlich-technische "
    "MINT-Profilklassen in den weiterführenden Schulen, Wirtschaft und Schule als Partner und "
    "die Kooperation mit dem zdi-Netzwerk in Marl (Zukunft durch Innovation) gehören in Herten "
    "mittlerweile zum Alltagsgeschäft.": "Support for children from birth, with advice for "
    "parents through home visits, family centres in every part of town, language support in "
    "the day-care centres, all-day schooling in every primary school, science and technology "
    "(STEM) classes in the secondary schools, business and schools as partners, and "
    "cooperation with the zdi network in Marl (Zukunft durch Innovation, “future through "
    "innovation”): in Herten, all of this is now part of everyday work.",
    "Seit dem Jahr 2007 ist die Stadt Herten Mitglied der Weinheimer Initiative. Herten hat "
    "die lokale Verantwortung für Bildung und Ausbildung ernst genommen. Anlass waren die "
    "hohe Jugendarbeitslosigkeit, zu wenige Ausbildungsplätze und viele sogenannte "
    "Warteschleifen im Anschluss an eine Schulausbildung.": "The City of Herten has been a "
    "member of the Weinheimer Initiative since 2007. Herten has taken its local "
    "responsibility for education and vocational training seriously, prompted by high youth "
    "unemployment, too few apprenticeships and the many young people left in holding "
    "patterns after leaving school.",
    "Lokales Übergangsmanagement": "Local transition management",
    "Mit der Fragestellung: Was benötigt ein Hertener Schüler oder eine Hertener Schülerin um "
    "einen optimalen Übergang von der Schule in den Beruf zu absolvieren, organisierte die "
    "Kommunale Koordinierung 2007 ein erstes Arbeitstreffen von Fachleuten. Daraus entstand "
    "das lokale Übergangsmanagement der Stadt Herten. Hier sitzen regelmäßig alle beteiligten "
    "Akteure an einem Tisch, die im Übergang aktiv sind.": "In 2007, municipal coordination "
    "brought experts together for a first working meeting on one question: what does a pupil "
    "in Herten need to make the best possible move from school into work? This grew into the "
    "City of Herten’s local transition management, where everyone active in the transition "
    "regularly sits around one table.",
    "Daraus resultieren gemeinsam konzipierte Bildungsbausteine wie der Ausbildungsführer, "
    "die Berufsorientierungsberatung für Eltern und das Haus der Berufsvorbereitung. "
    "Letzteres hat das Ziel, die teilnehmenden Schülerinnen und Schüler ab Klasse 9 zu "
    "qualifizieren und erfolgreich in betriebliche Ausbildungen zu vermitteln.": "Out of "
    "this came jointly designed building blocks such as the apprenticeship guide, career "
    "guidance for parents and the Haus der Berufsvorbereitung (“house of vocational "
    "preparation”), which prepares pupils from year 9 onwards and helps them into "
    "apprenticeships with local employers.",
    "Einwohner": "Inhabitants",
    "rund 62.000": "around 62,000",
    "Gemeindetyp": "Type of municipality",
    "kreisangehörige Mittelstadt": "medium-sized town within a county",
    "Mitglied der Weinheimer Initiative seit": "Member of the Weinheimer Initiative since",
    "Arbeitsplätze": "Jobs",
    "+ 12 Prozent in den letzten vier Jahren": "+12 per cent in the last four years",
    "Schwerpunkt": "Focus",
    "Kompetenzzentrum für Wasserstoff- und Brennstoffzellentechnologie": "Centre of expertise "
    "for hydrogen and fuel cell technology",
    "Entwicklungskonzept Herten 2020": "Herten 2020 development plan",
    "Ausbildungsfuehrer „Da geht was“": "Apprenticeship guide “Da geht was”",
    "Haus der Berufsvorbereitung": "Haus der Berufsvorbereitung (house of vocational preparation)",
    "Beschäftigungsförderung und Kindertageseinrichtungen": "Employment promotion and "
    "day-care centres",
    # The contact's address: wagtail-localize writes its line break as <br/>.
    **_unchanged("Delia Temmler", "02366 - 303 544", "Stadt Herten<br/>45699 Herten", "2007"),
}

OFFENBACH_HOME_EN = {
    # The home page's title is the member's name; another name stays as it is.
    "Kreis Offenbach": "Offenbach County",
    "start": "home",
}

OFFENBACH_NEWS_INDEX_EN = {
    "Aktuelles": "News",
    "aktuelles": "news",
    "Nachrichten aus der Kommunalen Koordinierung: Kreis Offenbach.": "News from municipal "
    "coordination in Offenbach County.",
}

OFFENBACH_NEWS_EN = {
    "Netzwerk „Jugend in Beruf“ entwickelt": "“Jugend in Beruf” network set up",
    "netzwerk-jugend-in-beruf-entwickelt": "jugend-in-beruf-network-set-up",
    "Seit 2012 wird im Kreis Offenbach das Netzwerk „Jugend in Beruf“ im Rahmen der "
    "kommunalen Koordination umgesetzt.": "Since 2012, Offenbach County has been building "
    "the “Jugend in Beruf” (“youth in work”) network as part of its municipal coordination.",
    "Das Netzwerk setzt sich zusammen aus den wichtigsten Arbeitsmarktakteuren "
    "wie:": "The network brings together the key players in the labour market, such as:",
    "Kreis Offenbach": "Offenbach County",
    "Agentur für Arbeit Offenbach / Frankfurt": "Agentur für Arbeit Offenbach / Frankfurt "
    "(Federal Employment Agency)",
    "Staatliches Schulamt für den Landkreis Offenbach und die Stadt Offenbach am "
    "Main": "Staatliches Schulamt (state education authority) for Offenbach County and the "
    "city of Offenbach am Main",
    "Industrie- und Handelskammer Offenbach am Main": "Industrie- und Handelskammer "
    "Offenbach am Main (chamber of industry and commerce)",
    "Handwerkskammer Frankfurt-Rhein-Main": "Handwerkskammer Frankfurt-Rhein-Main (chamber "
    "of skilled crafts)",
    "Kreishandwerkerschaft Offenbach am Main": "Kreishandwerkerschaft Offenbach am Main "
    "(county crafts association)",
    "sowie kreisangehörige Städte und Gemeinden und freie Träger der "
    "Jugendberufshilfe.": "as well as the county’s towns and municipalities and independent "
    "providers of vocational support for young people.",
    "Die beteiligten Institutionen sehen sich in der gemeinsamen Verantwortung, den Übergang "
    "von Jugendlichen und jungen Menschen von der schulischen zur beruflichen Bildung "
    "gelingend zu gestalten.": "The institutions involved share the responsibility for "
    "making the transition of teenagers and young adults from school to vocational training "
    "a success.",
    "Die Struktur des Netzwerkes umfasst eine entscheidungsfähige Steuerungsgruppe "
    "(Leitungsebene), eine Koordinierungsgruppe (mittleres Management), sowie mindestens je "
    "eine Regionalgruppe in den Kreisregionen West, Mitte und Ost (operative Ebene). Die "
    "beteiligten Institutionen stellen soweit möglich geeignete Mitarbeiterinnen und "
    "Mitarbeiter bereit, um in den Gremien konkrete Projekte zu entwickeln und auf den Weg "
    "zu bringen.": "The network consists of a steering group that can take decisions "
    "(management level), a coordination group (middle management) and at least one regional "
    "group in each of the county’s western, central and eastern regions (operational "
    "level). As far as they can, the institutions involved provide suitable staff to develop "
    "concrete projects in these groups and get them started.",
    "In den vergangenen 18 Monaten wurde das Netzwerk erfolgreich installiert. Der Prozess "
    "wurde extern von der ISS Beratungs- und Entwicklungs GmbH in Frankfurt "
    "moderiert.": "Over the past 18 months the network has been successfully set up. The "
    "process was facilitated externally by ISS Beratungs- und Entwicklungs GmbH in Frankfurt.",
    "Am 01.10.2013 findet nun eine Zwischenbilanz des Netzwerkes statt, um die vergangenen "
    "1,5 Jahre zu reflektieren und gemeinsam Schritte für die weitere Zusammenarbeit zu "
    "entwickeln.": "On 1 October 2013 the network will take stock, looking back on the past "
    "year and a half and working out the next steps of its cooperation together.",
    "In einer Kreisausschusssitzung vom Juli 2013 wurde beschlossen, dass ab 01.01.2014 die "
    "Koordinierung und Umsetzung der Regionalgruppen des Netzwerkes „Jugend in Beruf“ in "
    "kommunale Verantwortung zu übergeben.": "In July 2013 the county executive committee "
    "decided to hand over the coordination and running of the regional groups of the "
    "“Jugend in Beruf” network to the municipalities from 1 January 2014.",
    "Der Kreis Offenbach finanziert drei Vollzeitstellen, die bei drei kreiseigenen "
    "Kommunen angesiedelt werden. Es werden Fachkräfte eingestellt, die neben ihrer "
    "pädagogischen Arbeit mit benachteiligten Jugendlichen im Übergang Schule- Beruf die "
    "Regionalgruppen koordinieren und moderieren. Dies ist eine wichtige Weichenstellung, um "
    "die kommunale Verantwortung zu stärken und das Netzwerk weiterhin erfolgreich "
    "fortzuführen.": "Offenbach County is funding three full-time posts based in three of "
    "its municipalities. The specialists who fill them will coordinate and facilitate the "
    "regional groups alongside their educational work with disadvantaged young people "
    "moving from school to work. This is an important step towards strengthening municipal "
    "responsibility and keeping the network going successfully.",
    'Weitere Informationen dazu finden Sie unter: <a id="a1">'
    "www.kreis-offenbach.de/berufswegebegleitung</a>": 'Further information: <a id="a1">'
    "www.kreis-offenbach.de/berufswegebegleitung</a>",
    **_unchanged("Pro Arbeit Kreis Offenbach – (AöR)"),
}


# --- Per member ----------------------------------------------------------------------


def _news_index(name: str) -> IndexPage:
    return IndexPage(
        title="Aktuelles",
        slug="aktuelles",
        intro=f"Nachrichten aus der Kommunalen Koordinierung: {name}.",
    )


def _event_index(name: str) -> IndexPage:
    return IndexPage(
        title="Termine",
        slug="termine",
        intro=f"Sitzungen, Fachtage und Veranstaltungen: {name}.",
    )


MEMBER_CONTENT = {
    "herten": MemberContent(
        news_index=_news_index("Stadt Herten"),
        event_index=_event_index("Stadt Herten"),
        contact_page=ContactPage(
            title="Kontakt",
            slug="kontakt",
            lead="Ihre Ansprechperson für den Übergang von der Schule in den Beruf in Herten.",
            contact=HERTEN_CONTACT,
            body=(
                Paragraph("www.herten.de", links=(("www.herten.de", "https://www.herten.de/"),)),
            ),
        ),
        home_lead="Herten setzt auf Bildung und neue Arbeitsplätze.",
        home_banner=Banner(
            title="Herten im Strukturwandel (Grafik)",
            description="Grafik: stilisierter Förderturm und ein Windrad auf grünen Hügeln "
            "unter gelber Sonne, daneben der Schriftzug „Herten“.",
            filename="herten-strukturwandel.png",
            motif="pithead",
            caption="Herten",
            colour="#2e7d32",
        ),
        profile=HERTEN_PROFILE,
        home_english=HERTEN_HOME_EN,
        english={HERTEN_PROFILE.slug: HERTEN_PROFILE_EN},
    ),
    "kiel": MemberContent(
        news_index=_news_index("Landeshauptstadt Kiel"),
        event_index=_event_index("Landeshauptstadt Kiel"),
        contact_page=ContactPage(
            title="Kontakt",
            slug="kontakt",
            lead="Die Koordinierung der Landeshauptstadt Kiel beantwortet Ihre Fragen.",
            contact=KIEL_CONTACT,
        ),
        profile=KIEL_PROFILE,
        events=(KIEL_MEETING,),
    ),
    "kreis-offenbach": MemberContent(
        news_index=_news_index("Kreis Offenbach"),
        event_index=_event_index("Kreis Offenbach"),
        contact_page=ContactPage(
            title="Kontakt",
            slug="kontakt",
            lead="Kommunale Koordination im Kreis Offenbach: Netzwerk „Jugend in Beruf“.",
            body=(
                Paragraph(
                    "Weitere Informationen dazu finden Sie unter: "
                    "www.kreis-offenbach.de/berufswegebegleitung",
                    links=(
                        (
                            "www.kreis-offenbach.de/berufswegebegleitung",
                            "https://www.kreis-offenbach.de/berufswegebegleitung",
                        ),
                    ),
                ),
            ),
        ),
        profile=OFFENBACH_PROFILE,
        news=(OFFENBACH_NEWS,),
        home_english=OFFENBACH_HOME_EN,
        english={"aktuelles": OFFENBACH_NEWS_INDEX_EN, OFFENBACH_NEWS.slug: OFFENBACH_NEWS_EN},
    ),
}


def member_content(slug: str, name: str) -> MemberContent:
    """The demo content of a member; members outside the demo get the empty sections."""
    return MEMBER_CONTENT.get(
        slug,
        MemberContent(
            news_index=_news_index(name),
            event_index=_event_index(name),
            contact_page=ContactPage(title="Kontakt", slug="kontakt", lead=""),
        ),
    )
