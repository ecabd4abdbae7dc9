"""Plone site exports, built on disk when a test needs them.

The Plone importer reads the two export formats Plone sites produce: plone.exportimport
(Plone 6.1+, a folder of one ``data.json`` per item with the blobs beside it) and
collective.exportimport (one JSON array, blobs inline as base64 or as paths into a copy of the
ZODB blobstorage). Both builders write the same small German site, so a test can compare what
either format imports. Nothing binary is committed: the PNGs, the PDF and the .docx are made here.
"""

import base64
import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from sites.demo.builder import docx_bytes as demo_docx_bytes

SITE_TITLE = "Arbeitsgemeinschaft Weinheimer Initiative"
SITE_ROOT_UID = "plone_site_root"
COLLECTIVE_PORTAL_URL = "http://localhost:8080/Plone"
MISSING_UID = "0000000000000000000000000000dead"

UIDS: dict[str, str] = {
    "de": "79efe3b7dc134b20bf540acd7222b948",
    "en": "cd76eb5c1e204501a74cbac9bd81486e",
    "about": "387168dc22c64902a16c727d842a9014",
    "about_page": "b1172377a22447338773f1845132b2e9",
    "herten": "8f21c06a2625429ebfc541d9f0905aaa",
    "report_file": "5bbde7448a954593b9c5713a56158286",
    "partner_link": "90f93a68f1b34ffdb618387ce3c8cff7",
    "internal": "a3f78ab3ceb24dddbb3de42149eb8c99",
    "presse": "22d6c9f42fb64c8fa10eceab33707adf",
    "press_release": "6fb4384faba44da4af8a8f746593d8ec",
    "press_docx": "235ebcf5542f41fb8d64c2115256153d",
    "aktuelles": "ee7a0e3dad9945c8a3e7fefc117147a3",
    "offenbach_news": "3fe979ab85e940b084fac1ed6588f67a",
    "offenbach_image": "fd7bd9837b764a88942a04e84c0badab",
    "untitled_image": "40b12f5f617541f59cc7d8727105563c",
    "termine": "d1da563044ec49acb02cb20408596d6c",
    "kiel_event": "4057b193261b4c6daf25fd4f3953b55f",
    "jour_fixe": "31c32da24ec14b05b3914306b2d63773",
    "whole_day_event": "d4e7fc9f6553461a879be73a15499971",
    "aktuelles_collection": "7132ad4e00f04c84a3260d932aa51d9d",
    "en_about": "bfef8b9ca0204359b84df6392c703507",
    "en_herten": "24467c6501fe4fb18752db8862e9841e",
}

BAD_UIDS: dict[str, str] = {
    "missing_blob": "899c021469a846d088e213c6570a217e",
    "unreadable_blob": "13dd977b39f644aa865eab58faa43157",
    "unknown_type": "952a70b949234dfa9af5f95bd40d44f6",
    "bad_date": "5a9936c6ffe947af92b51d9baa95a254",
    "broken_json": "3f4a41badaab48a79131a4289a092ef8",
}

# Translation groups (canonical German item, English translation).
TRANSLATIONS = [("de", "en"), ("about", "en_about"), ("herten", "en_herten")]

REDIRECTS = {
    "/de/ueber-uns/alt-herten": "/de/ueber-uns/herten",
    "/presse/10-jahre": "/de/presse/10-jahre-weinheimer-initiative",
}

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Generated binaries --------------------------------------------------------------------------


def png_bytes(width=40, height=30, colour=(200, 30, 30)) -> bytes:
    """A small solid PNG, made at build time so that no binary file is committed."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes(text) -> bytes:
    """A minimal but valid Word document holding ``text`` (one paragraph per line)."""
    return demo_docx_bytes(("text", line) for line in text.splitlines())


def _pdf_bytes(text: str) -> bytes:
    """A one-page PDF with a correct cross-reference table (ASCII text only)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# The site ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Blob:
    field: str
    filename: str
    content_type: str
    data: bytes
    width: int | None = None
    height: int | None = None


NETWORK_INTRO = (
    "Die Arbeitsgemeinschaft Weinheimer Initiative ist ein Zusammenschluss von über 20 Städten "
    "und Landkreisen und zahlreichen weiteren Akteuren. Sie steht für Konzept und Praxis "
    "Kommunaler Koordinierung bei der Gestaltung der Übergänge Schule – Arbeitswelt „vor Ort“."
)

ABOUT_HTML = (
    f"<p>{NETWORK_INTRO}</p>"
    "<p>Die Arbeitsgemeinschaft sieht für sich zwei zentrale, miteinander eng verbundene "
    "Aufgaben: sich „anwaltschaftlich“ für die Anerkennung von Kommunaler Koordinierung und "
    "gute und förderliche Rahmenbedingungen einzusetzen, und die fortlaufende Verbesserung der "
    "lokalen Praxis zu unterstützen.</p>"
)

HERTEN_HTML = (
    "<h2>Herten setzt auf Bildung und neue Arbeitsplätze</h2>"
    "<p>Herten war bis in die 1990er Jahre noch die größte Steinkohlebergbaustadt in Europa "
    "und wurde in den Folgejahren hart durch den wirtschaftlichen Strukturwandel getroffen. "
    "Aufgrund des Bergbaurückzugs fielen <strong>15.000 der insgesamt 26.000 "
    "Arbeitsplätze</strong> in der heute rund 62.000 Einwohner zählenden Mittelstadt weg.</p>"
    f'<p><img src="resolveuid/{UIDS["offenbach_image"]}/@@images/image/preview" alt=""></p>'
    "<h2>Bildungskette</h2>"
    "<p>Seit 2009 werden im Projekt „Ein Quadratkilometer Bildung“ rund um die Süder "
    "Grundschule Kinder gefördert und Eltern gestärkt. Zum Alltagsgeschäft gehören:</p>"
    "<ul>"
    "<li>aufsuchende Elternarbeit bereits nach der Geburt</li>"
    "<li>Familienzentren in allen Stadtteilen</li>"
    "<li>Sprachförderung in den KiTas und Ganztag in allen Grundschulen</li>"
    "<li>MINT-Profilklassen in den weiterführenden Schulen</li>"
    "</ul>"
    "<h2>Lokales Übergangsmanagement</h2>"
    "<p>Seit dem Jahr 2007 ist die Stadt Herten Mitglied der Weinheimer Initiative. Im lokalen "
    "Übergangsmanagement sitzen regelmäßig alle Akteure an einem Tisch, die im Übergang aktiv "
    "sind; ihre Erfahrungen bringt die Stadt auch in die "
    f'<a href="resolveuid/{UIDS["kiel_event"]}">Fachgruppe in Kiel</a> ein.</p>'
    "<h2>Kontakt</h2>"
    "<p>Stadt Herten<br>Beschäftigungsförderung und Kindertageseinrichtungen<br>"
    "Delia Temmler<br>45699 Herten<br>Telefon 02366 - 303 544<br>"
    'E-Mail: <a href="mailto:d.temmler@herten.de">d.temmler@herten.de</a><br>'
    '<a href="https://www.herten.de/">www.herten.de</a></p>'
)

HERTEN_EN_HTML = (
    "<h2>Herten invests in education and new jobs</h2>"
    "<p>Until the 1990s Herten was the largest coal-mining town in Europe. When the mines "
    "closed, <strong>15,000 of its 26,000 jobs</strong> were lost.</p>"
    "<ul><li>family centres in every district</li><li>all-day primary schools</li>"
    "<li>STEM classes in secondary schools</li></ul>"
    "<p>Contact: Delia Temmler, phone +49 2366 303 544, "
    '<a href="mailto:d.temmler@herten.de">d.temmler@herten.de</a>, '
    '<a href="https://www.herten.de/">www.herten.de</a></p>'
)

PRESS_HTML = (
    "<p><strong>Bildungsaktive Kommunen: gemeinsam besser</strong></p>"
    "<h2>Gelingende Bildungsbiografien: ein wichtiges Handlungsfeld auch für Kommunen</h2>"
    "<p>Die Berufsnot der Jugendlichen um das Jahr 2000 war Grund und Motiv: Auf Einladung der "
    "Freudenberg Stiftung fanden sich engagierte Fachleute, aber vor allem Vertreterinnen und "
    "Vertreter von Kommunen zusammen. Ihre Überzeugung: auch „vor Ort“ kann und muss dazu "
    "beigetragen werden, gelingende Bildungsbiografien möglich zu machen.</p>"
    "<h2>Eine Arbeitsgemeinschaft bildungsaktiver Kommunen</h2>"
    "<p>Mit dem ersten Jahresforum 2008 in Dortmund trat die Arbeitsgemeinschaft an die "
    "Öffentlichkeit. Die Mischung macht’s: mit Großstädten, mittleren und kleineren Städten "
    "und Kreisen sind alle Kommunaltypen vertreten.</p>"
    "<p>Für Rückfragen und weitere Auskünfte: "
    '<a href="mailto:w.kruse@weinheimer-initiative.de">w.kruse@weinheimer-initiative.de</a></p>'
    "<p>Sie können die Presseinformation auch "
    f'<a href="resolveuid/{UIDS["press_docx"]}">hier (Word-docx)</a> herunterladen. '
    f'Das alte <a href="resolveuid/{MISSING_UID}">Faltblatt von 2008</a> ist nicht mehr '
    "verfügbar.</p>"
)

PRESS_DOCX_TEXT = (
    "Presseinformation\n"
    "Bildungsaktive Kommunen: gemeinsam besser\n"
    "Seit 10 Jahren: die Arbeitsgemeinschaft Weinheimer Initiative\n"
    "Für Rückfragen: w.kruse@weinheimer-initiative.de"
)

OFFENBACH_HTML = (
    "<p>Seit 2012 wird im Kreis Offenbach das Netzwerk „Jugend in Beruf“ im Rahmen der "
    "kommunalen Koordination umgesetzt. Die beteiligten Institutionen sehen sich in der "
    "<strong>gemeinsamen Verantwortung</strong>, den Übergang von der schulischen zur "
    "beruflichen Bildung gelingend zu gestalten.</p>"
    "<h2>Struktur des Netzwerkes</h2>"
    "<ul><li>Steuerungsgruppe (Leitungsebene)</li>"
    "<li>Koordinierungsgruppe (mittleres Management)</li>"
    "<li>Regionalgruppen in den Kreisregionen West, Mitte und Ost</li></ul>"
    "<p>Der Kreis Offenbach finanziert drei Vollzeitstellen, die bei drei kreiseigenen "
    "Kommunen angesiedelt werden. Weitere Informationen: "
    '<a href="https://www.kreis-offenbach.de/berufswegebegleitung">'
    "www.kreis-offenbach.de/berufswegebegleitung</a></p>"
)

KIEL_HTML = (
    "<p>Die bisherige Facharbeitsgruppe zur Zusammenarbeit mit der Agentur für Arbeit und den "
    "Jobcentern wird unter besonderer Berücksichtigung von Erfahrungen mit lokalen "
    "Arbeitsbündnissen fortgeführt. Eine Aufgabe ist es, das in Freiburg vorgestellte "
    "vorläufige „Positionspapier“ zu überprüfen und weiterzuentwickeln.</p>"
    "<h3>1. Tag (23.01.2014): Arbeitsbündnisse und Jugendberufsagenturen</h3>"
    "<ul>"
    "<li>10:00 Uhr – Begrüßung und Vorstellung des Positionspapiers vom März 2013</li>"
    "<li>11:00 Uhr – Arbeitsbündnis Kiel und eine Stadtteil-Jugendberufsagentur in Hamburg</li>"
    "<li>14:00 Uhr – Erfahrungsaustausch: offene Fragen und weiterführende Aspekte</li>"
    "</ul>"
    "<h3>2. Tag (24.01.2014): Kommunale Koordinierung und Arbeitsbündnisse</h3>"
    "<ul>"
    "<li>09:00 Uhr – Rechtskreisübergreifende Zusammenarbeit im Feld des SGB II</li>"
    "<li>10:30 Uhr – Tendenzen auf Länder- und Bundesebene</li>"
    "<li>12:00 Uhr – Positionspapier: Klärungs- und Vertiefungsbedarf</li>"
    "</ul>"
    "<p>Im Hotel „Berliner Hof“, Ringstr. 6, 24103 Kiel, sind Zimmer für € 70 unter dem "
    "Stichwort „Weinheimer Initiative“ vorreserviert (Selbstzahler). Der Teilnehmerkreis ist "
    "begrenzt.</p>"
)

# Volto blocks of the Offenbach news item (plone.exportimport only).
_P_NODES = [
    {
        "type": "p",
        "children": [
            {"text": "Im Kreis Offenbach arbeitet das Netzwerk „Jugend in Beruf“. "},
            {"type": "strong", "children": [{"text": "Gemeinsame Verantwortung"}]},
            {"text": " für den Übergang von der Schule in den Beruf."},
        ],
    }
]
_H2_NODES = [{"type": "h2", "children": [{"text": "Struktur des Netzwerkes"}]}]
_UL_NODES = [
    {
        "type": "ul",
        "children": [
            {"type": "li", "children": [{"text": "Steuerungsgruppe (Leitungsebene)"}]},
            {"type": "li", "children": [{"text": "Koordinierungsgruppe (mittleres Management)"}]},
            {"type": "li", "children": [{"text": "Regionalgruppen West, Mitte und Ost"}]},
        ],
    }
]
_LINK_NODES = [
    {
        "type": "p",
        "children": [
            {"text": "Ein ähnliches Übergangsmanagement gibt es in "},
            {
                "type": "link",
                "data": {"url": f"../resolveuid/{UIDS['herten']}"},
                "children": [{"text": "Herten"}],
            },
            {"text": "."},
        ],
    }
]


def _node_text(node: dict) -> str:
    if "text" in node:
        return node["text"]
    separator = " " if node.get("type") in ("ul", "ol") else ""
    return separator.join(_node_text(child) for child in node.get("children", []))


def _plaintext(nodes: list) -> str:
    """The text of slate nodes, as Volto stores it beside them in ``plaintext``."""
    return " ".join(_node_text(node) for node in nodes)


def _slate(nodes: list) -> dict:
    return {"@type": "slate", "value": nodes, "plaintext": _plaintext(nodes)}


OFFENBACH_BLOCKS = {
    "8a46225e-dcf8-4d2c-8fc3-30d0d46aec7c": {"@type": "title"},
    "2c323be6-a7ec-477e-b98c-6b92921adecd": _slate(_P_NODES),
    "394d4e4b-e84a-4ac3-807f-e35d8d641c3d": _slate(_H2_NODES),
    "be1f6ced-0f1c-468b-abed-1745633bfa73": _slate(_UL_NODES),
    "563acf22-9d30-4ad7-91ca-741ce0221c29": {
        "@type": "image",
        "url": f"../resolveuid/{UIDS['offenbach_image']}",
        "alt": "Teilnehmende des Netzwerktreffens in Dietzenbach",
        "size": "l",
        "align": "center",
        "image_field": "image",
    },
    "540aa567-57e9-442a-9497-9eb17d0746e9": _slate(_LINK_NODES),
    "35f9bf88-5fee-4107-9e5e-44e895d914fa": {
        "@type": "teaser",
        "href": [
            {
                "@id": "/de/termine/facharbeitsgruppe-kiel",
                "@type": "Event",
                "UID": UIDS["kiel_event"],
                "title": "Facharbeitsgruppe in Kiel",
                "description": "Erste Sitzung der Facharbeitsgruppe im Neuen Rathaus Kiel",
            }
        ],
        "title": "Facharbeitsgruppe in Kiel",
        "description": "Arbeitsbündnisse und Jugendberufsagenturen: erste Sitzung in Kiel.",
        "styles": {"align": "left"},
    },
    "64d9b48a-b706-42b7-94de-9db76129cdfb": {
        "@type": "listing",
        "querystring": {
            "query": [
                {
                    "i": "portal_type",
                    "o": "plone.app.querystring.operation.selection.any",
                    "v": ["News Item"],
                }
            ],
            "sort_on": "effective",
            "sort_order": "descending",
            "b_size": "3",
        },
        "variation": "summary",
    },
    "8970b1c4-03ba-4588-aa86-1d79536622ed": {
        "@type": "maps",
        "url": (
            "https://www.openstreetmap.org/export/embed.html"
            "?bbox=8.7800%2C49.9900%2C8.8300%2C50.0300&layer=mapnik"
        ),
        "title": "Dietzenbach",
        "align": "full",
    },
}
OFFENBACH_BLOCKS_LAYOUT = {
    "items": [
        "8a46225e-dcf8-4d2c-8fc3-30d0d46aec7c",
        "2c323be6-a7ec-477e-b98c-6b92921adecd",
        "394d4e4b-e84a-4ac3-807f-e35d8d641c3d",
        "be1f6ced-0f1c-468b-abed-1745633bfa73",
        "563acf22-9d30-4ad7-91ca-741ce0221c29",
        "540aa567-57e9-442a-9497-9eb17d0746e9",
        "35f9bf88-5fee-4107-9e5e-44e895d914fa",
        "64d9b48a-b706-42b7-94de-9db76129cdfb",
        "8970b1c4-03ba-4588-aa86-1d79536622ed",
    ]
}

FOLDERISH = {"Plone Site", "LRF", "Folder"}

LAYOUTS = {
    "LRF": "listing_view",
    "Folder": "listing_view",
    "Document": "document_view",
    "News Item": "newsitem_view",
    "Event": "event_view",
    "File": "file_view",
    "Image": "image_view",
    "Link": "link_redirect_view",
    "Collection": "summary_view",
}


def _html(data: str) -> dict:
    return {"content-type": "text/html", "data": data, "encoding": "utf-8"}


def _item(
    name: str,
    type_: str,
    path: str,
    title: str,
    *,
    uid: str | None = None,
    description: str = "",
    created: str = "2019-05-06T09:00:00+02:00",
    modified: str | None = None,
    effective: str | None = "",
    review_state: str = "published",
    language: str | None = None,
    subjects: tuple[str, ...] = (),
    creators: tuple[str, ...] = ("redaktion",),
    exclude_from_nav: bool = False,
    blobs: tuple[_Blob, ...] = (),
    **fields,
) -> dict:
    """One content item in a format-neutral shape; the builders turn it into JSON."""
    return {
        "name": name,
        "uid": uid or UIDS[name],
        "@type": type_,
        "path": path,
        "id": path.rsplit("/", 1)[-1],
        "title": title,
        "description": description,
        "created": created,
        "modified": modified or created,
        "effective": created if effective == "" else effective,
        "review_state": review_state,
        "language": language or path.split("/")[1],
        "subjects": list(subjects),
        "creators": list(creators),
        "exclude_from_nav": exclude_from_nav,
        "blobs": blobs,
        "fields": fields,
    }


def _site_items() -> list[dict]:
    """The exported site, each container before its children, siblings in their order."""
    image = _Blob("image", "netzwerktreffen.png", "image/png", png_bytes(), 40, 30)
    untitled = _Blob(
        "image",
        "foto-ohne-beschreibung.png",
        "image/png",
        png_bytes(64, 48, (30, 90, 160)),
        64,
        48,
    )
    report = _Blob(
        "file",
        "jahresbericht-2023.pdf",
        "application/pdf",
        _pdf_bytes("Jahresbericht 2023 der Arbeitsgemeinschaft Weinheimer Initiative"),
    )
    docx = _Blob("file", "pressemitteilung.docx", DOCX_TYPE, docx_bytes(PRESS_DOCX_TEXT))
    topics = ("Übergang Schule–Beruf", "Kommunale Koordinierung")
    return [
        _item("de", "LRF", "/de", "Deutsch", created="2018-01-10T08:00:00+01:00"),
        _item("en", "LRF", "/en", "English", created="2018-01-10T08:00:00+01:00"),
        _item(
            "about",
            "Folder",
            "/de/ueber-uns",
            "Über uns",
            description="Wer wir sind: die Arbeitsgemeinschaft Weinheimer Initiative.",
            created="2018-01-10T08:05:00+01:00",
        ),
        _item(
            "about_page",
            "Document",
            "/de/ueber-uns/startseite-ueber-uns",
            "Die Arbeitsgemeinschaft",
            description="Ein Zusammenschluss von über 20 Städten und Landkreisen.",
            created="2018-01-10T08:10:00+01:00",
            modified="2023-09-01T11:20:00+02:00",
            subjects=topics,
            text=_html(ABOUT_HTML),
        ),
        _item(
            "report_file",
            "File",
            "/de/ueber-uns/jahresbericht-2023.pdf",
            "Jahresbericht 2023",
            description="Tätigkeitsbericht der Arbeitsgemeinschaft für das Jahr 2023 (PDF).",
            created="2024-03-15T10:00:00+01:00",
            blobs=(report,),
        ),
        _item(
            "herten",
            "Document",
            "/de/ueber-uns/herten",
            "Herten",
            description="Kurzportrait: Herten setzt auf Bildung und neue Arbeitsplätze.",
            created="2019-02-11T14:00:00+01:00",
            modified="2022-07-05T09:30:00+02:00",
            subjects=("Herten", "Kurzportrait"),
            text=_html(HERTEN_HTML),
        ),
        _item(
            "partner_link",
            "Link",
            "/de/ueber-uns/weinheimer-initiative",
            "Website der Weinheimer Initiative",
            description="Die Arbeitsgemeinschaft im Netz.",
            created="2019-02-11T15:00:00+01:00",
            remoteUrl="https://www.weinheimer-initiative.de/",
        ),
        _item(
            "internal",
            "Document",
            "/de/ueber-uns/intern",
            "Interne Notizen zur Klausur",
            description="Nur für die Geschäftsstelle.",
            created="2024-01-08T16:00:00+01:00",
            effective=None,
            review_state="private",
            exclude_from_nav=True,
            text=_html("<p>Raumbuchung für die Klausur im Mai noch klären.</p>"),
        ),
        _item(
            "presse",
            "Folder",
            "/de/presse",
            "Presse",
            description="Presseinformationen der Arbeitsgemeinschaft.",
            created="2017-10-01T09:00:00+02:00",
        ),
        _item(
            "press_release",
            "News Item",
            "/de/presse/10-jahre-weinheimer-initiative",
            "Seit 10 Jahren: die Arbeitsgemeinschaft Weinheimer Initiative",
            description="Bildungsaktive Kommunen: gemeinsam besser.",
            created="2017-10-11T16:45:00+02:00",
            modified="2018-11-25T10:00:00+01:00",
            effective="2017-10-12T09:00:00",
            subjects=("Presse", *topics),
            creators=("redaktion", "presse"),
            text=_html(PRESS_HTML),
        ),
        _item(
            "press_docx",
            "File",
            "/de/presse/pressemitteilung.docx",
            "Presseinformation „10 Jahre Weinheimer Initiative“",
            description="Die Presseinformation zum Herunterladen (Word-docx).",
            created="2017-10-11T16:50:00+02:00",
            blobs=(docx,),
        ),
        _item(
            "aktuelles",
            "Folder",
            "/de/aktuelles",
            "Aktuelles",
            description="Nachrichten aus den mitarbeitenden Kommunen.",
            created="2018-01-10T08:20:00+01:00",
        ),
        _item(
            "offenbach_news",
            "News Item",
            "/de/aktuelles/jugend-in-beruf",
            "Netzwerk „Jugend in Beruf“ entwickelt",
            description="Kreis Offenbach: Arbeitsmarktakteure gestalten gemeinsam den Übergang.",
            created="2021-03-03T17:00:00+01:00",
            modified="2021-03-04T10:35:00+01:00",
            effective="2021-03-04T10:30:00+01:00",
            subjects=("Kreis Offenbach", *topics),
            blobs=(image,),
            text=_html(OFFENBACH_HTML),
            image_caption="Netzwerktreffen in Dietzenbach",
        ),
        _item(
            "offenbach_image",
            "Image",
            "/de/aktuelles/netzwerktreffen.png",
            "Netzwerktreffen in Dietzenbach",
            description="Teilnehmende des Netzwerktreffens in Dietzenbach",
            created="2021-03-03T16:55:00+01:00",
            blobs=(image,),
        ),
        _item(
            "untitled_image",
            "Image",
            "/de/aktuelles/foto-ohne-beschreibung.png",
            "foto-ohne-beschreibung.png",
            created="2021-03-03T16:58:00+01:00",
            blobs=(untitled,),
        ),
        _item(
            "termine",
            "Folder",
            "/de/termine",
            "Termine",
            description="Sitzungen, Fachtage und Jahresforen.",
            created="2013-12-01T09:00:00+01:00",
        ),
        _item(
            "kiel_event",
            "Event",
            "/de/termine/facharbeitsgruppe-kiel",
            "Facharbeitsgruppe in Kiel",
            description="Kurzprofil und Ankündigung der ersten Sitzung der Facharbeitsgruppe.",
            created="2013-12-17T11:00:00+01:00",
            effective="2013-12-17T12:00:00+01:00",
            subjects=("Facharbeitsgruppe",),
            text=_html(KIEL_HTML),
            start="2014-01-23T10:00:00+01:00",
            end="2014-01-24T13:00:00+01:00",
            whole_day=False,
            open_end=False,
            recurrence=None,
            location="Neues Rathaus Kiel, Andreas-Gayk-Straße 31, 24103 Kiel",
            attendees=[],
            contact_name="Peter Dohse",
            contact_email="peter.dohse@kiel.de",
            contact_phone="0431 901-0",
            event_url="https://www.kommunale-koordinierung.de/",
        ),
        _item(
            "jour_fixe",
            "Event",
            "/de/termine/jour-fixe",
            "Jour fixe der Koordinierungsstellen",
            description="Monatlicher Austausch, jeweils am ersten Mittwoch.",
            created="2024-01-15T09:00:00+01:00",
            text=_html("<p>Kurzer Austausch über aktuelle Vorhaben in den Kommunen.</p>"),
            start="2024-02-07T14:00:00",
            end="2024-02-07T15:30:00",
            whole_day=False,
            open_end=False,
            recurrence="RRULE:FREQ=MONTHLY;BYDAY=1WE;COUNT=10",
            location="Videokonferenz",
            attendees=[],
            contact_name="",
            contact_email="",
            contact_phone="",
            event_url=None,
        ),
        _item(
            "whole_day_event",
            "Event",
            "/de/termine/fachtag",
            "Fachtag „Gutes Aufwachsen im Quartier“",
            description="Ein Tag zu Übergängen, Quartiersentwicklung und Bildungsketten.",
            created="2025-01-20T10:00:00+01:00",
            text=_html("<p>Ganztägig im Glashaus Herten, Ende offen.</p>"),
            start="2025-06-12T00:00:00+02:00",
            end="2025-06-12T23:59:59+02:00",
            whole_day=True,
            open_end=True,
            recurrence=None,
            location="Herten, Glashaus",
            attendees=[],
            contact_name="Delia Temmler",
            contact_email="d.temmler@herten.de",
            contact_phone="02366 - 303 544",
            event_url=None,
        ),
        _item(
            "aktuelles_collection",
            "Collection",
            "/de/termine/alle-termine",
            "Alle Termine",
            description="Alle Veranstaltungen, nach Beginn sortiert.",
            created="2014-01-02T09:00:00+01:00",
            query=[
                {
                    "i": "portal_type",
                    "o": "plone.app.querystring.operation.selection.any",
                    "v": ["Event"],
                }
            ],
            sort_on="start",
            sort_reversed=False,
            limit=1000,
            item_count=30,
            customViewFields=["Title", "start", "end", "location"],
            text=None,
        ),
        _item(
            "en_about",
            "Folder",
            "/en/about-us",
            "About us",
            description="Who we are: the Weinheim Initiative working group.",
            created="2018-02-01T08:00:00+01:00",
        ),
        _item(
            "en_herten",
            "Document",
            "/en/about-us/herten",
            "Herten",
            description="Profile: Herten invests in education and new jobs.",
            created="2019-03-01T10:00:00+01:00",
            subjects=("Herten",),
            text=_html(HERTEN_EN_HTML),
        ),
    ]


# Default pages of folders: folder name -> page name.
DEFAULT_PAGES = {"about": "about_page"}


def _positions(items: list[dict]) -> dict[str, int]:
    """Position of each item among its siblings, in the order ``items`` lists them."""
    counters: dict[str, int] = {}
    positions = {}
    for item in items:
        parent = item["path"].rsplit("/", 1)[0]
        positions[item["uid"]] = counters.get(parent, 0)
        counters[parent] = positions[item["uid"]] + 1
    return positions


def _workflow_history(item: dict) -> dict:
    actor = item["creators"][0] if item["creators"] else "admin"
    history = [
        {
            "action": None,
            "actor": actor,
            "comments": "",
            "review_state": "private",
            "time": item["created"],
        }
    ]
    if item["review_state"] == "published":
        history.append(
            {
                "action": "publish",
                "actor": actor,
                "comments": "",
                "review_state": "published",
                "time": item["effective"] or item["created"],
            }
        )
    return {"simple_publication_workflow": history}


def _common(item: dict) -> dict:
    """The fields plone.restapi serializes for every content item."""
    return {
        "@type": item["@type"],
        "UID": item["uid"],
        "id": item["id"],
        "title": item["title"],
        "description": item["description"],
        "review_state": item["review_state"],
        "is_folderish": item["@type"] in FOLDERISH,
        "layout": LAYOUTS.get(item["@type"], "view"),
        "language": item["language"],
        "created": item["created"],
        "modified": item["modified"],
        "effective": item["effective"],
        "expires": None,
        "subjects": item["subjects"],
        "creators": item["creators"],
        "contributors": [],
        "rights": "",
        "exclude_from_nav": item["exclude_from_nav"],
        "allow_discussion": False,
    }


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# plone.exportimport --------------------------------------------------------------------------


def _site_root_data() -> dict:
    return {
        "@id": "/",
        "@type": "Plone Site",
        "UID": SITE_ROOT_UID,
        "id": "Plone",
        "title": SITE_TITLE,
        "description": NETWORK_INTRO,
        "is_folderish": True,
        "language": "de",
        "layout": "listing_view",
        "review_state": None,
        "parent": {},
        "exportimport.constrains": {},
        "exportimport.conversation": [],
        "workflow_history": {},
    }


def _relative_parent(item: dict, by_path: dict[str, dict]) -> dict:
    parent_path = item["path"].rsplit("/", 1)[0]
    if not parent_path:
        return {
            "@id": "/",
            "@type": "Plone Site",
            "UID": SITE_ROOT_UID,
            "title": SITE_TITLE,
            "description": NETWORK_INTRO,
            "review_state": None,
        }
    parent = by_path[parent_path]
    return {
        "@id": parent["path"],
        "@type": parent["@type"],
        "UID": parent["uid"],
        "title": parent["title"],
        "description": parent["description"],
        "review_state": parent["review_state"],
    }


def _exportimport_data(item: dict, by_path: dict[str, dict]) -> dict:
    """data.json of one item; its blobs are referenced by a path below ``content/``."""
    data = {"@id": item["path"], **_common(item), "parent": _relative_parent(item, by_path)}
    data.update(item["fields"])
    if item["name"] == "offenbach_news":
        data.pop("text", None)
        data["blocks"] = OFFENBACH_BLOCKS
        data["blocks_layout"] = OFFENBACH_BLOCKS_LAYOUT
    for blob in item["blobs"]:
        data[blob.field] = _exportimport_blob(item["uid"], blob)
    data["exportimport.constrains"] = {}
    data["exportimport.conversation"] = []
    data["workflow_history"] = _workflow_history(item)
    return data


def _exportimport_blob(uid: str, blob: _Blob) -> dict:
    value = {
        "blob_path": f"{uid}/{blob.field}/{blob.filename}",
        "content-type": blob.content_type,
        "filename": blob.filename,
        "size": len(blob.data),
    }
    if blob.width is not None:
        value.update(width=blob.width, height=blob.height)
    return value


def _write_exportimport_tree(
    root: Path,
    items: list[dict],
    *,
    default_pages: dict[str, str],
    translations: list[tuple[str, str]],
    redirects: dict[str, str],
) -> dict:
    """Write the folder layout of plone.exportimport; returns the ``__metadata__`` dict."""
    content = root / "content"
    by_path = {item["path"]: item for item in items}
    by_name = {item["name"]: item for item in items}
    _write_json(content / SITE_ROOT_UID / "data.json", _site_root_data())
    data_files = [f"{SITE_ROOT_UID}/data.json"]
    blob_files = []
    for item in sorted(items, key=lambda item: item["path"]):
        uid = item["uid"]
        _write_json(content / uid / "data.json", _exportimport_data(item, by_path))
        data_files.append(f"{uid}/data.json")
        for blob in item["blobs"]:
            relative = f"{uid}/{blob.field}/{blob.filename}"
            (content / relative).parent.mkdir(parents=True, exist_ok=True)
            (content / relative).write_bytes(blob.data)
            blob_files.append(relative)
    metadata = {
        "__version__": "1.0.0",
        "_blob_files_": blob_files,
        "_data_files_": data_files,
        "default_page": {
            by_name[folder]["uid"]: {
                "default_page": by_name[page]["id"],
                "default_page_uuid": by_name[page]["uid"],
            }
            for folder, page in default_pages.items()
        },
        "local_roles": {},
        "ordering": _positions(items),
        "relations": [],
    }
    _write_json(content / "__metadata__.json", metadata)
    _write_json(
        root / "translations.json",
        [
            {
                "canonical": by_name[canonical]["uid"],
                "translations": {by_name[other]["language"]: by_name[other]["uid"]},
            }
            for canonical, other in translations
        ],
    )
    _write_json(root / "redirects.json", redirects)
    _write_json(root / "relations.json", [])
    return metadata


def build_exportimport(folder: Path, *, zipped: bool = False) -> Path:
    """plone.exportimport (Plone 6.1+) export: returns the folder (or the .zip path when zipped)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    options = {"default_pages": DEFAULT_PAGES, "translations": TRANSLATIONS, "redirects": REDIRECTS}
    if not zipped:
        _write_exportimport_tree(folder, _site_items(), **options)
        return folder
    target = folder / "export.zip"
    with tempfile.TemporaryDirectory() as staging:
        root = Path(staging)
        _write_exportimport_tree(root, _site_items(), **options)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(root).as_posix())
    return target


# collective.exportimport ---------------------------------------------------------------------


def _absolute_parent(item: dict, by_path: dict[str, dict]) -> dict:
    parent_path = item["path"].rsplit("/", 1)[0]
    if not parent_path:
        # The Plone 5 site root is no content item: it has no UID.
        return {
            "@id": COLLECTIVE_PORTAL_URL,
            "@type": "Plone Site",
            "title": SITE_TITLE,
            "description": NETWORK_INTRO,
        }
    parent = by_path[parent_path]
    return {
        "@id": COLLECTIVE_PORTAL_URL + parent["path"],
        "@type": parent["@type"],
        "UID": parent["uid"],
        "title": parent["title"],
        "description": parent["description"],
        "review_state": parent["review_state"],
    }


def _zodb_blob_path(oid: int, uid: str, field: str) -> str:
    """A path in the bushy layout of a ZODB blobstorage: one folder per oid byte."""
    folders = "/".join(f"0x{byte:02x}" for byte in oid.to_bytes(8, "big"))
    tid = hashlib.sha256(f"{uid}/{field}".encode()).hexdigest()[:16]
    return f"{folders}/0x{tid}.blob"


def build_collective(folder: Path, *, inline_blobs: bool = True) -> tuple[Path, Path | None]:
    """collective.exportimport export: returns (json file, blobstorage folder or None when blobs
    are inline base64)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    items = _site_items()
    by_path = {item["path"]: item for item in items}
    by_name = {item["name"]: item for item in items}
    blobstorage = None if inline_blobs else folder / "blobstorage"
    oid = 0x5A10
    exported = []
    for item in sorted(items, key=lambda item: item["path"]):
        data = {
            "@id": COLLECTIVE_PORTAL_URL + item["path"],
            **_common(item),
            "parent": _absolute_parent(item, by_path),
        }
        data.update(item["fields"])
        for blob in item["blobs"]:
            value = {"filename": blob.filename, "content-type": blob.content_type}
            if blobstorage is None:
                value.update(data=base64.b64encode(blob.data).decode("ascii"), encoding="base64")
            else:
                oid += 1
                blob_path = _zodb_blob_path(oid, item["uid"], blob.field)
                (blobstorage / blob_path).parent.mkdir(parents=True, exist_ok=True)
                (blobstorage / blob_path).write_bytes(blob.data)
                value.update(blob_path=blob_path, size=len(blob.data))
                if blob.width is not None:
                    value.update(width=blob.width, height=blob.height)
            data[blob.field] = value
        exported.append(data)
    json_file = folder / "Plone.json"
    _write_json(json_file, exported)
    _write_json(
        folder / "ordering.json",
        [{"uuid": uid, "order": order} for uid, order in _positions(items).items()],
    )
    _write_json(
        folder / "defaultpages.json",
        [
            {"uuid": by_name[folder_name]["uid"], "default_page": by_name[page]["id"]}
            for folder_name, page in DEFAULT_PAGES.items()
        ],
    )
    _write_json(
        folder / "translations.json",
        [
            {
                by_name[name]["language"]: COLLECTIVE_PORTAL_URL + by_name[name]["path"]
                for name in group
            }
            for group in TRANSLATIONS
        ],
    )
    _write_json(
        folder / "redirects.json",
        {f"/Plone{old}": f"/Plone{new}" for old, new in REDIRECTS.items()},
    )
    return json_file, blobstorage


# Broken input --------------------------------------------------------------------------------


def bad_items_export(folder: Path) -> Path:
    """A plone.exportimport folder with a few good items and one of each kind of bad input,
    so that a test can check the importer reports each and still imports the rest."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    good = {"de", "aktuelles", "offenbach_news", "offenbach_image"}
    items = [item for item in _site_items() if item["name"] in good]
    pdf = _pdf_bytes("unlesbar")
    items += [
        _item(
            "missing_blob",
            "Image",
            "/de/aktuelles/kaputt-bild-fehlt.png",
            "Bild ohne Datei",
            uid=BAD_UIDS["missing_blob"],
            description="Die Bilddatei fehlt im Export.",
            blobs=(_Blob("image", "bild-fehlt.png", "image/png", png_bytes(), 40, 30),),
        ),
        _item(
            "unreadable_blob",
            "File",
            "/de/aktuelles/kaputt-unlesbar.pdf",
            "Unlesbare Datei",
            uid=BAD_UIDS["unreadable_blob"],
            blobs=(_Blob("file", "unlesbar.pdf", "application/pdf", pdf),),
        ),
        _item(
            "unknown_type",
            "PloneGazette",
            "/de/aktuelles/kaputt-newsletter-2009",
            "Newsletter Dezember 2009",
            uid=BAD_UIDS["unknown_type"],
            created="2009-12-01T09:00:00+01:00",
            text=_html("<p>Ein Newsletter aus einem längst entfernten Add-on.</p>"),
        ),
        _item(
            "bad_date",
            "News Item",
            "/de/aktuelles/kaputt-falsches-datum",
            "Meldung mit falschem Datum",
            uid=BAD_UIDS["bad_date"],
            effective="31.02.2020",
            text=_html("<p>Das Veröffentlichungsdatum dieser Meldung gibt es nicht.</p>"),
        ),
    ]
    metadata = _write_exportimport_tree(
        folder, items, default_pages={}, translations=[], redirects={}
    )
    content = folder / "content"
    # The image's blob was never written; the file's blob is a directory, so open() fails.
    missing = content / BAD_UIDS["missing_blob"] / "image" / "bild-fehlt.png"
    missing.unlink()
    unreadable = content / BAD_UIDS["unreadable_blob"] / "file" / "unlesbar.pdf"
    unreadable.unlink()
    unreadable.mkdir()
    # A data.json cut off in the middle.
    broken_uid = BAD_UIDS["broken_json"]
    (content / broken_uid).mkdir()
    (content / broken_uid / "data.json").write_text(
        '{"@id": "/de/aktuelles/kaputt-json", "@type": "Document", "UID": "'
        + broken_uid
        + '", "title": "Abgeschnittene Seite", "text": {"data": "<p>Hier bricht',
        encoding="utf-8",
    )
    metadata["_data_files_"].append(f"{broken_uid}/data.json")
    siblings = [item for item in items if item["path"].startswith("/de/aktuelles/")]
    metadata["ordering"][broken_uid] = len(siblings)
    _write_json(content / "__metadata__.json", metadata)
    return folder
