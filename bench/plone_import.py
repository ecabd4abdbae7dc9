"""The Plone import at scale: 2,000 items with 200 images into one member, items per second
and peak memory.

One run on this machine, against the configured PostgreSQL and Redis servers:

- its own database ``<db>_bench_plone`` (``setup_platform``, one member created by
  ``tenants.services.member_create``), its own Redis database (``--redis-db``, default
  15: the product's cache and Celery broker; the search reindex the import queues at its
  end stays there, no worker runs it) and a temporary folder for the export and the
  media files.
- A plone.exportimport export written into the folder (not timed): ``--items`` content
  items, of which ``--images`` Images (real PNGs up to 1600x1200, gradients, shapes and
  noise, a few hundred KB to 1.5 MB each), about 1 % Folders (news and events folders,
  nested page folders, a third of them with a default page), 30 % News Items with
  ``effective`` dates, 12 % Events with start, end and location, 3 % Files (small PDFs),
  2 % Links and the rest Documents. The German texts are sentences of the demo seed
  pages (``sites.demo.content``) recombined with town names, and link to other items
  (``resolveuid/<uid>``), embed images (``<img src="resolveuid/<uid>/@@images/image/
  preview">``), and now and then name an item that is not in the export. Seeded: every
  run writes the same export.
- (1) The import, as an operator runs it: ``manage.py import_plone <folder> --site
  <slug> --report <file> --verbosity 0`` in a process of its own (``DEBUG`` off), timed
  on the wall clock from start to exit. Items per second = items the report counts as
  created / seconds (target >= 40/s). A folder's default page is imported with its
  folder and not counted by the report.
- (2) The import process's peak resident memory: ``ru_maxrss`` of
  ``getrusage(RUSAGE_CHILDREN)`` in a small launcher process whose one child is the
  import (target <= 500 MB: blobs are streamed, never all in memory).
- The same import run a second time: its seconds, and whether the report counts
  everything as unchanged (idempotence at scale; informational).

``--profile FILE`` runs the first import under cProfile (``python -m cProfile -o FILE``)
and prints its top functions by cumulative time; the timings then include the
profiler's overhead. Stops by itself and cleans up, also on failure, Ctrl-C and SIGTERM:
the import process (its process group), the database (unless ``--keep-database``), the
Redis database and the temporary folder. A second run is refused while one is running
(the Redis database names its owner).

Usage: .venv/bin/python bench/plone_import.py [--items 2000] [--images 200]
       [--redis-db 15] [--keep-database] [--profile FILE]
       (about a minute of setup and export, then the two imports)
"""

import argparse
import html
import io
import json
import os
import pstats
import random
import re
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _search_corpus import EVENT_WORDS, TOPICS, TOWNS, VENUES, seeds
from _setup import (
    BASE_DIR,
    _admin_sql,
    bench_database,
    redis_claim,
    redis_release,
    redis_url_with_db,
)
from registration import Process, leftovers_remove, say

VENV_PYTHON = BASE_DIR / ".venv" / "bin" / "python"
REDIS_MARKER = "kn-bench-plone:owner"  # says a Redis database is this benchmark's
MEMBER_SLUG = "plone-bench"
MEMBER_HOST = f"{MEMBER_SLUG}.bench.localhost"
TARGET_RATE = 40.0  # items per second, at least
TARGET_MEMORY_MB = 500.0  # peak resident memory of the import process, at most
SITE_ROOT_UID = "plone_site_root"
SEED = 2024

# Sections of a municipal Plone site: the page folders' titles, in this order.
SECTIONS = (
    "Themen", "Projekte", "Über uns", "Service", "Mediathek", "Übergang Schule–Beruf",
    "Berufsorientierung", "Elternarbeit", "Jugendberufsagentur", "Bildungsmonitoring",
    "Downloads", "Fachgruppen", "Kooperationen", "Veröffentlichungen", "Fotogalerie",
    "Archiv", "Netzwerk", "Partner", "Dokumentationen", "Arbeitshilfen",
)  # fmt: skip
IMAGE_SIZES = (
    (480, 360),
    (640, 480),
    (800, 600),
    (1024, 768),
    (1280, 960),
    (1600, 1200),
    (1200, 1600),
    (1600, 900),
)
STREETS = (
    "Marktplatz 1",
    "Kurt-Schumacher-Straße 2",
    "Bahnhofstraße 14",
    "Am Rathaus 3",
    "Schulstraße 22",
    "Hauptstraße 8",
)
PERSONS = (
    "Delia Temmler",
    "Peter Dohse",
    "Anna Schulte",
    "Mehmet Yilmaz",
    "Jana Krüger",
    "Thomas Becker",
    "Sabine Wolff",
)
LAYOUTS = {
    "Folder": "listing_view",
    "Document": "document_view",
    "News Item": "newsitem_view",
    "Event": "event_view",
    "File": "file_view",
    "Image": "image_view",
    "Link": "link_redirect_view",
}


# --- The export (not timed) --------------------------------------------------------------


@dataclass
class Node:
    """One content item of the generated Plone site."""

    uid: str
    type: str
    id: str
    title: str
    parent: "Node | None"
    children: list["Node"] = field(default_factory=list)

    @property
    def path(self) -> str:
        return (self.parent.path if self.parent else "") + "/" + self.id


def slug(text: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.lower().replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-") or "objekt"


def counts(items: int, images: int) -> dict[str, int]:
    """How many of each Plone type an export of ``items`` items holds."""
    made = {
        "Folder": max(6, items // 100),
        "Image": images,
        "File": max(2, items * 3 // 100),
        "Link": max(2, items * 2 // 100),
        "Event": items * 12 // 100,
        "News Item": items * 30 // 100,
    }
    made["Document"] = items - sum(made.values())
    return made


class SiteBuilder:
    """The tree of a Plone site of ``items`` items, then its export on disk."""

    def __init__(self, items: int, images: int):
        self.rnd = random.Random(SEED)
        self.seeds = seeds()
        self.counts = counts(items, images)
        self.roots: list[Node] = []
        self.by_type: dict[str, list[Node]] = {}
        self.default_pages: dict[str, Node] = {}  # folder uid -> its default page
        self.missing_uid = self._uid()  # linked to now and then, exported never
        self.blob_bytes = 0

    def _uid(self) -> str:
        return f"{self.rnd.getrandbits(128):032x}"

    def _add(self, type_: str, title: str, parent: Node | None, id_: str = "") -> Node:
        siblings = parent.children if parent else self.roots
        base = id_ or slug(title)
        taken = {node.id for node in siblings}
        id_, number = base, 2
        while id_ in taken:
            stem, dot, ext = base.rpartition(".") if "." in base else (base, "", "")
            id_ = f"{stem}-{number}{dot}{ext}"
            number += 1
        node = Node(self._uid(), type_, id_, title, parent)
        siblings.append(node)
        self.by_type.setdefault(type_, []).append(node)
        return node

    def _title(self) -> str:
        rnd = self.rnd
        base = rnd.choice(self.seeds.titles) if rnd.random() < 0.6 else rnd.choice(TOPICS)
        return rnd.choice(
            (base, f"{base} in {rnd.choice(TOWNS)}", f"{base} ({rnd.randint(2010, 2025)})")
        )

    def tree(self) -> None:
        """Folders first (news, events, page sections, nested), then the other items."""
        rnd = self.rnd
        news_folder = self._add("Folder", "Aktuelles", None)
        events_folder = self._add("Folder", "Termine", None)
        pages: list[Node] = []
        for number in range(self.counts["Folder"] - 2):
            title = SECTIONS[number % len(SECTIONS)]
            if number >= len(SECTIONS):
                title = f"{title} {number // len(SECTIONS) + 1}"
            top = number < 5
            parent = None if top else rnd.choice([p for p in pages if p.path.count("/") < 3])
            pages.append(self._add("Folder", title, parent))
        media = [p for p in pages if p.title.startswith(("Mediathek", "Fotogalerie"))] or pages
        for _ in range(self.counts["Document"]):
            parent = rnd.choice(pages) if rnd.random() < 0.95 else None  # a few at the top
            self._add("Document", self._title(), parent)
        for _ in range(self.counts["News Item"]):
            self._add(
                "News Item",
                self._title(),
                news_folder if rnd.random() < 0.85 else rnd.choice(pages),
            )
        for _ in range(self.counts["Event"]):
            word, town = rnd.choice(EVENT_WORDS), rnd.choice(TOWNS)
            title = rnd.choice(
                (f"{word} in {town}", f"{word} {rnd.randint(2012, 2026)}: {rnd.choice(TOPICS)}")
            )
            self._add("Event", title, events_folder if rnd.random() < 0.9 else rnd.choice(pages))
        for _ in range(self.counts["File"]):
            title = f"{self._title()} (PDF)"
            self._add("File", title, rnd.choice(pages), id_=f"{slug(title)}.pdf")
        for number in range(self.counts["Image"]):
            title = f"{rnd.choice(EVENT_WORDS)} in {rnd.choice(TOWNS)} {number + 1}"
            parent = rnd.choice(media) if rnd.random() < 0.6 else rnd.choice(pages)
            self._add("Image", title, parent, id_=f"{slug(title)}.png")
        for _ in range(self.counts["Link"]):
            town = rnd.choice(TOWNS)
            self._add("Link", f"Website der Stadt {town}", rnd.choice(pages))
        for folder in pages[::3]:
            documents = [c for c in folder.children if c.type == "Document"]
            if documents:
                page = documents[0]
                folder.children.remove(page)
                folder.children.insert(0, page)
                self.default_pages[folder.uid] = page

    # --- text

    def _sentences(self, count: int, town: str) -> str:
        chosen = self.rnd.sample(self.seeds.sentences, count)
        if self.rnd.random() < 0.3:
            chosen.append(f"Mehr dazu erfahren Sie bei der Koordinierungsstelle in {town}.")
        return html.escape(" ".join(chosen), quote=False)

    def _link(self) -> str:
        rnd = self.rnd
        roll = rnd.random()
        if roll < 0.02:
            return f'<a href="resolveuid/{self.missing_uid}">das alte Faltblatt</a>'
        if roll < 0.15:
            town = slug(rnd.choice(TOWNS))
            return f'<a href="https://www.{town}.de/bildung">www.{town}.de</a>'
        if roll < 0.2:
            return '<a href="mailto:info@kommune.example">info@kommune.example</a>'
        target = rnd.choice(self.by_type[rnd.choice(("Document", "News Item", "Event", "File"))])
        return f'<a href="resolveuid/{target.uid}">{html.escape(target.title, quote=False)}</a>'

    def text(self, node: Node) -> str:
        """HTML as Plone's TinyMCE writes it: sections with headings, paragraphs with
        links to other items, lists, now and then an image of the site."""
        rnd = self.rnd
        town = rnd.choice(TOWNS)
        parts = [f"<p>{self._sentences(rnd.randint(1, 2), town)}</p>"]
        for _section in range(rnd.randint(2, 4)):
            heading = html.escape(rnd.choice(self.seeds.titles), quote=False)
            parts.append(f"<h2>{heading}</h2>")
            for _paragraph in range(rnd.randint(1, 2)):
                text = self._sentences(rnd.randint(2, 4), town)
                if rnd.random() < 0.5:
                    text += f" Siehe auch {self._link()}."
                if rnd.random() < 0.2:
                    text = f"<strong>{text}</strong>"
                parts.append(f"<p>{text}</p>")
            if rnd.random() < 0.25:
                entries = rnd.sample(TOPICS, rnd.randint(3, 5))
                parts.append("<ul>" + "".join(f"<li>{e}</li>" for e in entries) + "</ul>")
            if rnd.random() < 0.2 and self.by_type.get("Image"):
                image = rnd.choice(self.by_type["Image"])
                alt = html.escape(image.title)
                parts.append(
                    f'<p><img class="image-richtext image-inline" alt="{alt}" '
                    f'src="resolveuid/{image.uid}/@@images/image/preview"></p>'
                )
        return "".join(parts)

    # --- data.json

    def _moment(self, first: int = 2010, last: int = 2025) -> datetime:
        rnd = self.rnd
        day = date(rnd.randint(first, last), 1, 1) + timedelta(days=rnd.randint(0, 364))
        hour = rnd.choice((8, 9, 10, 11, 14, 15, 16))
        return datetime(day.year, day.month, day.day, hour, rnd.randrange(60), tzinfo=UTC)

    def _parent_ref(self, node: Node) -> dict:
        parent = node.parent
        if parent is None:
            return {
                "@id": "/",
                "@type": "Plone Site",
                "UID": SITE_ROOT_UID,
                "title": "Kommunale Koordinierung",
                "review_state": None,
            }
        return {
            "@id": parent.path,
            "@type": parent.type,
            "UID": parent.uid,
            "title": parent.title,
            "description": "",
            "review_state": "published",
        }

    def data(self, node: Node) -> dict:
        rnd = self.rnd
        created = self._moment()
        state = "private" if rnd.random() < 0.06 else "published"
        effective = created + timedelta(hours=rnd.randint(0, 48))
        data = {
            "@id": node.path,
            "@type": node.type,
            "UID": node.uid,
            "id": node.id,
            "title": node.title,
            "description": rnd.choice(self.seeds.sentences) if rnd.random() < 0.8 else "",
            "review_state": state,
            "is_folderish": node.type == "Folder",
            "layout": LAYOUTS[node.type],
            "language": "de",
            "created": created.isoformat(),
            "modified": (created + timedelta(days=rnd.randint(0, 400))).isoformat(),
            "effective": effective.isoformat() if state == "published" else None,
            "expires": None,
            "subjects": rnd.sample(TOPICS, rnd.randint(0, 3)),
            "creators": ["redaktion"],
            "contributors": [],
            "rights": "",
            "exclude_from_nav": False,
            "allow_discussion": False,
            "parent": self._parent_ref(node),
        }
        if node.type in ("Document", "News Item", "Event"):
            data["text"] = {
                "content-type": "text/html",
                "data": self.text(node),
                "encoding": "utf-8",
            }
        if node.type == "Event":
            data.update(self._event(node))
        elif node.type == "Link":
            town = slug(node.title.rsplit(" ", 1)[-1])
            data["remoteUrl"] = f"https://www.{town}.de/"
        elif node.type == "Image":  # the description is the alternative text
            data["description"] = f"Foto: {node.title}" if rnd.random() < 0.8 else ""
        data["exportimport.constrains"] = {}
        data["exportimport.conversation"] = []
        history = [
            {
                "action": None,
                "actor": "redaktion",
                "comments": "",
                "review_state": "private",
                "time": created.isoformat(),
            }
        ]
        if state == "published":
            history.append(
                {
                    "action": "publish",
                    "actor": "redaktion",
                    "comments": "",
                    "review_state": "published",
                    "time": effective.isoformat(),
                }
            )
        data["workflow_history"] = {"simple_publication_workflow": history}
        return data

    def _event(self, node: Node) -> dict:
        rnd = self.rnd
        start = self._moment(2012, 2026).replace(minute=rnd.choice((0, 30)))
        whole_day = rnd.random() < 0.1
        town, venue = rnd.choice(TOWNS), rnd.choice(VENUES)
        location = rnd.choice(
            (
                f"{venue} {town}, {rnd.choice(STREETS)}, {rnd.randint(10000, 99999)} {town}",
                f"{venue} {town}\n{rnd.choice(STREETS)}\n{rnd.randint(10000, 99999)} {town}",
                "Videokonferenz",
                f"{venue} {town}",
            )
        )
        person = rnd.choice(PERSONS)
        return {
            "start": start.isoformat(),
            "end": (start + timedelta(hours=rnd.randint(1, 8))).isoformat(),
            "whole_day": whole_day,
            "open_end": False,
            "recurrence": None,
            "location": location,
            "attendees": [],
            "contact_name": person,
            "contact_email": f"{slug(person).replace('-', '.')}@{slug(town)}.de",
            "contact_phone": f"0{rnd.randint(200, 9999)} {rnd.randint(100, 99999)}",
            "event_url": f"https://www.{slug(town)}.de/termine" if rnd.random() < 0.3 else None,
        }

    # --- blobs

    def png(self, path: Path) -> tuple[int, int]:
        """A real photo-sized PNG: a gradient between two colours, shapes, noise."""
        from PIL import Image, ImageChops, ImageDraw

        rnd = self.rnd
        width, height = rnd.choice(IMAGE_SIZES)
        colours = [tuple(rnd.randrange(256) for _ in range(3)) for _ in range(2)]
        gradient = Image.linear_gradient("L")  # top to bottom, or left to right
        if rnd.random() < 0.5:
            gradient = gradient.transpose(Image.Transpose.ROTATE_90)
        gradient = gradient.resize((width, height))
        picture = Image.composite(
            Image.new("RGB", (width, height), colours[0]),
            Image.new("RGB", (width, height), colours[1]),
            gradient,
        )
        draw = ImageDraw.Draw(picture)
        for _ in range(rnd.randint(3, 8)):
            x, y, r = rnd.randrange(width), rnd.randrange(height), rnd.randint(20, width // 4)
            colour = tuple(rnd.randrange(256) for _ in range(3))
            if rnd.random() < 0.5:
                draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
            else:
                draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
        noise = Image.effect_noise((width // 3, height // 3), rnd.uniform(2, 6))
        noise = noise.resize((width, height))
        picture = ImageChops.add(picture, Image.merge("RGB", (noise, noise, noise)), 1.0, -128)
        path.parent.mkdir(parents=True, exist_ok=True)
        picture.save(path, format="PNG", compress_level=1)
        return width, height

    def blob_value(
        self, node: Node, field_name: str, filename: str, content_type: str, path: Path, **extra
    ) -> dict:
        size = path.stat().st_size
        self.blob_bytes += size
        return {
            "blob_path": f"{node.uid}/{field_name}/{filename}",
            "content-type": content_type,
            "filename": filename,
            "size": size,
            **extra,
        }

    # --- on disk

    def write(self, root: Path) -> None:
        """The plone.exportimport layout: content/__metadata__.json, content/<uid>/data.json
        with blobs beside it, translations.json, redirects.json."""
        content = root / "content"
        write_json(
            content / SITE_ROOT_UID / "data.json",
            {
                "@id": "/",
                "@type": "Plone Site",
                "UID": SITE_ROOT_UID,
                "id": "Plone",
                "title": "Kommunale Koordinierung",
                "is_folderish": True,
                "language": "de",
                "parent": {},
                "review_state": None,
            },
        )
        data_files, blob_files, ordering = [f"{SITE_ROOT_UID}/data.json"], [], {}
        for node in self.walk(self.roots):
            siblings = node.parent.children if node.parent else self.roots
            ordering[node.uid] = siblings.index(node)
            data = self.data(node)
            if node.type == "Image":
                path = content / node.uid / "image" / node.id
                width, height = self.png(path)
                data["image"] = self.blob_value(
                    node, "image", node.id, "image/png", path, width=width, height=height
                )
                blob_files.append(f"{node.uid}/image/{node.id}")
            elif node.type == "File":
                path = content / node.uid / "file" / node.id
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(pdf_bytes(node.title))
                data["file"] = self.blob_value(node, "file", node.id, "application/pdf", path)
                blob_files.append(f"{node.uid}/file/{node.id}")
            write_json(content / node.uid / "data.json", data)
            data_files.append(f"{node.uid}/data.json")
        write_json(
            content / "__metadata__.json",
            {
                "__version__": "1.0.0",
                "_blob_files_": blob_files,
                "_data_files_": data_files,
                "default_page": {
                    folder: {"default_page": page.id, "default_page_uuid": page.uid}
                    for folder, page in self.default_pages.items()
                },
                "local_roles": {},
                "ordering": ordering,
                "relations": [],
            },
        )
        write_json(root / "translations.json", [])
        write_json(root / "redirects.json", {})

    def walk(self, nodes: list[Node]):
        for node in nodes:
            yield node
            yield from self.walk(node.children)


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def pdf_bytes(title: str) -> bytes:
    """A one-page PDF naming ``title`` (ASCII), with a correct cross-reference table."""
    text = slug(title).replace("-", " ").encode("ascii")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def export_build(root: Path, items: int, images: int) -> SiteBuilder:
    builder = SiteBuilder(items, images)
    builder.tree()
    builder.write(root)
    return builder


# --- The member --------------------------------------------------------------------------


def member_create() -> str:
    """``setup_platform`` and the member the export goes into: its schema."""
    from django.core.management import call_command

    from tenants.services import member_create as create

    call_command("setup_platform", verbosity=0)
    created = create(name="Bench-Gemeinde Plone-Import", slug=MEMBER_SLUG, domain=MEMBER_HOST)
    return created.member.schema_name


def member_holds(schema: str) -> str:
    """What the member's site holds now, and the size of its media folder."""
    from django.conf import settings
    from django.db import connection
    from django_tenants.utils import schema_context
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    with schema_context(schema):
        held = (
            f"{Page.objects.filter(depth__gt=1).count()} pages "
            f"({Page.objects.filter(depth__gt=1, live=True).count()} live), "
            f"{get_image_model().objects.count()} images, "
            f"{get_document_model().objects.count()} documents, "
            f"{Redirect.objects.count()} redirects"
        )
    connection.set_schema_to_public()
    media = Path(settings.MEDIA_ROOT) / schema
    size = sum(path.stat().st_size for path in media.rglob("*") if path.is_file())
    return f"{held}; media folder {size / 1e6:.0f} MB"


def run_seconds() -> str:
    """How long the last ImportRun took from its start to its end (inside the command)."""
    from django.db import connection

    from sites.plone_import.models import ImportRun

    connection.set_schema_to_public()
    run = ImportRun.objects.order_by("-pk").first()
    if run is None or run.finished_at is None:
        return "no finished ImportRun"
    return f"{(run.finished_at - run.started_at).total_seconds():.1f} s from ImportRun start to end"


# --- The import, as an operator runs it ----------------------------------------------------


@dataclass
class Result:
    seconds: float
    peak_mb: float
    exit_code: int
    report: dict

    @property
    def totals(self) -> dict[str, int]:
        return self.report.get("totals", {})


# Starts the import and writes its peak RSS (KiB) to argv[1]. A process measured from
# here directly would report at least this process's own size: Linux counts the memory
# of the process that forks it (the exec'd copy) into its ru_maxrss. This small launcher
# has one child, so RUSAGE_CHILDREN after the wait is the import's figure alone.
LAUNCHER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w") as out:
    out.write(str(peak))
sys.exit(code)
"""


def import_run(export: Path, folder: Path, label: str, profile: Path | None) -> Result:
    """``manage.py import_plone`` in a process group of its own; wall clock and peak RSS."""
    report, peak = folder / f"report-{label}.json", folder / f"peak-{label}.txt"
    command = [str(VENV_PYTHON)]
    if profile is not None:
        command += ["-m", "cProfile", "-o", str(profile)]
    command += [
        "manage.py", "import_plone", str(export),
        "--site", MEMBER_SLUG, "--report", str(report), "--verbosity", "0",
    ]  # fmt: skip
    launcher = [str(VENV_PYTHON), "-c", LAUNCHER, str(peak), *command]
    process = Process(
        f"import_plone ({label})", launcher, dict(os.environ), folder / f"{label}.log"
    )
    started = time.monotonic()
    process.start()
    try:
        exit_code = process.process.wait()
    except BaseException:  # Ctrl-C, SIGTERM: the import stops too
        process.stop()
        raise
    seconds = time.monotonic() - started
    if not report.exists() or not peak.exists():
        raise RuntimeError(
            f"{process.name} ended with {exit_code}, no report:\n{process.log_tail()}"
        )
    peak_mb = int(peak.read_text()) * 1024 / 1e6  # KiB on Linux
    return Result(seconds, peak_mb, exit_code, json.loads(report.read_text()))


def admin_indexes_time(schema: str) -> tuple[float, int]:
    """Seconds of ``admin_indexes_update`` over the member's pages below its home."""
    from django_tenants.utils import schema_context
    from wagtail.models import Page

    from sites.plone_import.services import admin_indexes_update

    with schema_context(schema):
        ids = list(Page.objects.filter(depth__gt=2).values_list("pk", flat=True))
    started = time.monotonic()
    admin_indexes_update(schema, ids)
    return time.monotonic() - started, len(ids)


def outcome(result: Result) -> str:
    totals = result.totals
    shown = ", ".join(
        f"{totals.get(k, 0)} {k}" for k in ("created", "updated", "unchanged", "skipped")
    )
    report = result.report
    return (
        f"{shown}; {report.get('redirects', 0)} redirects, "
        f"{len(report.get('unresolved_links', []))} unresolved links, "
        f"{len(report.get('lost', []))} lost, {len(report.get('review', []))} to review"
    )


def skipped_show(result: Result) -> None:
    for note in result.report.get("skipped", [])[:5]:
        print(f"      skipped {note['path']} ({note['type']}): {note['message']}")


def profile_show(profile: Path) -> None:
    say(f"cProfile of the first import: {profile}; top 30 by cumulative time:")
    stats = pstats.Stats(str(profile))
    stats.sort_stats("cumulative").print_stats(30)


# --- Report ------------------------------------------------------------------------------


def verdict(name: str, passed: bool, shown: str, target: str, detail: str = "") -> bool:
    print(f"{'PASS' if passed else 'FAIL'}  {name}: {shown} (target {target}){detail}")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=2000, help="content items in the export")
    parser.add_argument("--images", type=int, default=200, help="of them Images (PNG files)")
    parser.add_argument("--redis-db", type=int, default=15, help="cache and broker db")
    parser.add_argument(
        "--keep-database", action="store_true", help="leave the database for inspection"
    )
    parser.add_argument(
        "--profile", type=Path, metavar="FILE", help="run the first import under cProfile"
    )
    args = parser.parse_args()
    if args.items < 100 or args.items > 100_000:
        parser.error("--items: between 100 and 100000")
    if args.images < 0 or counts(args.items, args.images)["Document"] < args.items // 100:
        parser.error("--images: too many for --items (keep about a quarter or less)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below

    url, name = bench_database("_bench_plone")
    redis_url = redis_url_with_db(os.environ["REDIS_URL"], args.redis_db)
    # first: a second run stops here and leaves the first one alone
    redis_claim(redis_url, REDIS_MARKER, "bench/plone_import.py")
    folder = Path(tempfile.mkdtemp(prefix="kn-bench-plone-"))
    export = folder / "export"
    profile = args.profile.resolve() if args.profile else None
    try:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="core.settings.dev",
            DEBUG="false",
            PYTHONUNBUFFERED="1",
            DATABASE_URL=url,
            REDIS_URL=redis_url,
            MEDIA_ROOT=str(folder / "media"),
        )
        say(f"Database {name}, Redis {redis_url}, folder {folder}")
        _admin_sql(
            url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
        )
        import django

        django.setup()
        say("Setting up the platform and one member …")
        schema = member_create()
        say(f"    member {MEMBER_SLUG} (schema {schema})")

        made = counts(args.items, args.images)
        say(f"Writing the export: {args.items} items (not timed) …")
        started = time.monotonic()
        builder = export_build(export, args.items, args.images)
        generated = time.monotonic() - started
        size = sum(path.stat().st_size for path in export.rglob("*") if path.is_file())
        say(
            f"    {generated:.1f} s: "
            + ", ".join(f"{n} {t}" for t, n in made.items())
            + f"; {len(builder.default_pages)} default pages; blobs "
            f"{builder.blob_bytes / 1e6:.0f} MB, export {size / 1e6:.0f} MB"
        )

        say("(1) manage.py import_plone, first run …")
        first = import_run(export, folder, "first", profile)
        rate = first.totals.get("created", 0) / first.seconds
        say(f"    {first.seconds:.1f} s ({run_seconds()}), exit code {first.exit_code}")
        say(f"    {outcome(first)}")
        skipped_show(first)
        say(f"    {rate:.1f} items/s, peak memory {first.peak_mb:.0f} MB")
        say(f"    the member holds: {member_holds(schema)}")
        if profile is not None:
            profile_show(profile)
        say("    Wagtail's admin search and reference index of the imported pages (the task")
        say("    the command leaves to the Celery worker, run here in-process) …")
        indexes_seconds, indexed = admin_indexes_time(schema)
        say(f"    {indexes_seconds:.1f} s for {indexed} pages")

        say("(2) manage.py import_plone, the same export again …")
        second = import_run(export, folder, "second", None)
        say(f"    {second.seconds:.1f} s ({run_seconds()}), exit code {second.exit_code}")
        say(f"    {outcome(second)}; peak memory {second.peak_mb:.0f} MB")
        skipped_show(second)
    finally:
        redis_release(redis_url, REDIS_MARKER)
        leftovers_remove(url, name, folder, keep_database=args.keep_database)
        say("Cleaned up: database, Redis db, folder")

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\n## bench/plone_import.py: {args.items} items ({args.images} images, "
        f"{builder.blob_bytes / 1e6:.0f} MB of blobs) into one member, "
        f"{os.cpu_count()} CPUs, load average at the end: {load}"
        + (" (first run under cProfile)" if profile else "")
    )
    created = first.totals.get("created", 0)
    passed = [
        verdict(
            "(1) import speed",
            rate >= TARGET_RATE,
            f"{rate:.1f} items/s",
            f">= {TARGET_RATE:.0f}/s",
            f"; {first.seconds:.1f} s wall clock for {outcome(first)}",
        ),
        verdict(
            "(2) peak memory of the import process",
            first.peak_mb <= TARGET_MEMORY_MB,
            f"{first.peak_mb:.0f} MB",
            f"<= {TARGET_MEMORY_MB:.0f} MB",
            f"; second run {second.peak_mb:.0f} MB",
        ),
    ]
    print(
        f"info  Wagtail's admin indexes after the import (Celery task): {indexes_seconds:.1f} s;"
        f" import and indexes together {created / (first.seconds + indexes_seconds):.1f} items/s"
    )
    unchanged = second.totals.get("unchanged", 0)
    others = sum(second.totals.get(k, 0) for k in ("created", "updated", "skipped"))
    same = unchanged == created + first.totals.get("updated", 0) and not others
    print(
        f"info  second run: {second.seconds:.1f} s, "
        + (f"all {unchanged} unchanged" if same else f"NOT all unchanged: {outcome(second)}")
    )
    return 0 if all(passed) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted")
