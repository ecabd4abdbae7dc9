"""German text for bench/search.py: the demo seed texts (``sites.demo.content``) cut into
titles, headings and sentences, and recombined into many different pages.

Every page is drawn from a ``random.Random`` seeded by its member and number, so a run
builds the same network every time.
"""

import random
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

# Member names: towns and counties of the kind that work in the network, and kinds.
TOWNS = (
    "Herten", "Kiel", "Offenbach", "Dortmund", "Weinheim", "Mannheim", "Heidelberg",
    "Freiburg", "Nürnberg", "Würzburg", "Göttingen", "Lübeck", "Münster", "Bielefeld",
    "Paderborn", "Gelsenkirchen", "Bochum", "Essen", "Duisburg", "Düsseldorf", "Köln",
    "Bonn", "Koblenz", "Mainz", "Wiesbaden", "Darmstadt", "Kassel", "Fulda", "Erfurt",
    "Jena", "Leipzig", "Dresden", "Chemnitz", "Halle", "Magdeburg", "Potsdam", "Rostock",
    "Schwerin", "Hamburg", "Bremen", "Oldenburg", "Osnabrück", "Hannover", "Braunschweig",
    "Wolfsburg", "Ulm", "Augsburg", "Regensburg", "Passau", "Konstanz",
)  # fmt: skip
KINDS = (("Stadt", "city", ""), ("Kreis", "county", "kreis-"), ("Landkreis", "county", "lk-"),
         ("Region", "other", "region-"))  # fmt: skip
EVENT_WORDS = ("Fachtag", "Jahresforum", "Netzwerktreffen", "Klausur", "Arbeitstreffen",
               "Elternabend", "Ausbildungsmesse", "Werkstattgespräch", "Zwischenbilanz",
               "Videokonferenz", "Sitzung der Steuerungsgruppe")  # fmt: skip
TOPICS = ("Berufsorientierung an Schulen", "Elternarbeit im Quartier", "Praktikumsbörse",
          "Ausbildungsplätze im Handwerk", "Jugendberufsagentur", "Bildungsmonitoring",
          "Schulsozialarbeit", "Einstiegsqualifizierung", "Sprachförderung in den Kitas",
          "Kooperation mit Betrieben", "Übergangsmanagement", "Ganztagsschule",
          "Berufswegeplanung", "Potenzialanalyse", "Zukunftstag für Mädchen und Jungen",
          "Fachkräftesicherung", "Lokale Bildungslandschaft", "Mentoringprogramm")  # fmt: skip
VENUES = ("Rathaus", "Kreishaus", "Berufskolleg", "Volkshochschule", "Bürgerzentrum",
          "Jugendzentrum", "Stadtbibliothek", "Handwerkskammer")  # fmt: skip


def member_names(count: int) -> list[tuple[str, str, str]]:
    """(name, slug, kind) of ``count`` members, all different."""
    names = []
    for number in range(count):
        town = TOWNS[number % len(TOWNS)]
        label, kind, prefix = KINDS[(number // len(TOWNS)) % len(KINDS)]
        round_ = number // (len(TOWNS) * len(KINDS))
        slug = prefix + _slug(town) + (f"-{round_ + 1}" if round_ else "")
        names.append((f"{label} {town}" + (f" {round_ + 1}" if round_ else ""), slug, kind))
    return names


def _slug(text: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.lower().replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass(frozen=True)
class Seeds:
    titles: tuple[str, ...]  # page titles and headings of the seed pages
    sentences: tuple[str, ...]  # their paragraphs and list items, sentence by sentence


def seeds() -> Seeds:
    """Every German title, heading, teaser and sentence of the demo content."""
    from sites.demo import content

    titles, sentences = [], []

    def split(text: str) -> None:
        for sentence in re.split(r"(?<=[.!?“])\s+(?=[A-ZÄÖÜ])", " ".join(text.split())):
            if len(sentence) > 25:
                sentences.append(sentence)

    def visit(value) -> None:
        if isinstance(value, content.Heading):
            titles.append(value.text)
        elif isinstance(value, content.Paragraph):
            split(value.text)
        elif isinstance(value, content.BulletList):
            split(value.intro)
            for item in value.items:
                split(item)
        elif isinstance(value, content.NewsItem | content.EventItem | content.Profile):
            titles.append(value.title)
            split(getattr(value, "teaser", "") or getattr(value, "lead", ""))
            for block in value.body:
                visit(block)
        elif isinstance(value, content.Agenda):
            for day in value.days:
                titles.extend(item.title for item in day.items if len(item.title) > 12)
        elif isinstance(value, content.IndexPage | content.ContactPage):
            split(getattr(value, "intro", "") or getattr(value, "lead", ""))
        elif isinstance(value, tuple):
            for item in value:
                visit(item)

    for name, value in vars(content).items():
        if not name.endswith("_EN") and name.isupper():
            visit(value)
    for member_content in content.MEMBER_CONTENT.values():
        for item in (*member_content.news, *member_content.events):
            visit(item)
    return Seeds(tuple(dict.fromkeys(titles)), tuple(dict.fromkeys(sentences)))


@dataclass
class PageText:
    kind: str  # "news", "event" or "standard"
    title: str
    slug: str
    teaser: str
    body: list  # StreamField JSON: headings and paragraphs
    day: datetime  # news date, event start, or publication of a standard page
    venue: str


def _paragraph(rnd: random.Random, sentences: tuple[str, ...], town: str) -> str:
    chosen = rnd.sample(sentences, rnd.randint(2, 4))
    if rnd.random() < 0.3:
        chosen.append(f"Mehr dazu erfahren Sie bei der Koordinierungsstelle in {town}.")
    return "<p>" + " ".join(chosen).replace("&", "&amp;").replace("<", "&lt;") + "</p>"


def page_text(seed: Seeds, member_number: int, page_number: int, kind: str, town: str):
    """The text of one page: a seed title varied, a teaser, two to four sections."""
    rnd = random.Random(f"{member_number}/{page_number}")
    year = rnd.randint(2015, 2026)
    base = rnd.choice(seed.titles) if rnd.random() < 0.6 else rnd.choice(TOPICS)
    if kind == "event":
        title = rnd.choice((f"{rnd.choice(EVENT_WORDS)} {year}: {base}",
                            f"{rnd.choice(EVENT_WORDS)} in {town}", base))  # fmt: skip
    else:
        title = rnd.choice((base, f"{base} in {town}", f"{base} ({year})"))
    body = []
    for _section in range(rnd.randint(2, 4)):
        body.append({"type": "heading", "value": {"text": rnd.choice(seed.titles),
                     "level": "h2"}, "id": str(uuid.UUID(int=rnd.getrandbits(128)))})  # fmt: skip
        for _paragraph_number in range(rnd.randint(1, 2)):
            body.append({"type": "paragraph", "value": _paragraph(rnd, seed.sentences, town),
                         "id": str(uuid.UUID(int=rnd.getrandbits(128)))})  # fmt: skip
    day = datetime.combine(
        date(year, 1, 1) + timedelta(days=rnd.randint(0, 364)),
        datetime.min.time().replace(hour=rnd.choice((9, 10, 14, 18))),
        tzinfo=BERLIN,
    )
    return PageText(
        kind=kind,
        title=title[:250],
        slug=f"{_slug(title)[:60].strip('-')}-{page_number}",
        teaser=rnd.choice(seed.sentences),
        body=body,
        day=day,
        venue=f"{rnd.choice(VENUES)} {town}",
    )
