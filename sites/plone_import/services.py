"""Importing a Plone export into one site: the network's or a member's.

``plone_import`` is the one entry (the command and the network admin's task call it).
It works inside the target site's schema only: pages, images, documents and redirects
of the network land in the public schema, a member's in its own schema and media
folder; the run's history row is the one write to the public schema.

How Plone maps onto our page types (README, "Leaving Plone"):

- Folder, LIF and Document become standard pages (a folder's default page gives it its
  content); a folder holding only news items (or only events) stands for the site's news
  (events) overview, and so does a collection whose query selects news or events.
- News items become news pages in the language's news overview, events event pages in
  its events overview (both created when the site has none), wherever they were in
  Plone; the old addresses redirect to them.
- Files become documents and images images, in the collection "Plone-Import"; links
  become a link list on their folder's page and redirect to their target.
- Language root folders stand for the site's home in that language; translations of one
  another share their translation key.

Each item is one transaction: an item that cannot be read, has a missing file, an
unknown type or a malformed date is reported with its path and skipped, and nothing of
it stays. Every imported object remembers its Plone UID and a checksum of its data
(``PloneObject``), so a second run updates what changed and counts the rest as
unchanged, and a run that was interrupted continues where it stopped.
"""

import hashlib
import json
import logging
import re
import shutil
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from django_tenants.utils import schema_context
from modelsearch import index as search_index
from modelsearch import signal_handlers as search_signal_handlers
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Locale,
    Page,
    PageViewRestriction,
    ReferenceIndex,
    Revision,
    Site,
)
from wagtail.search.backends import get_search_backend
from wagtail.signal_handlers import disable_reference_index_auto_update

from core import pagecache
from core.models import HomePageBase, StandardPageBase
from core.schemas import is_public_schema
from core.tasks import sends_held, task_send
from sites.plone_import.convert import HtmlConverter, Links, Target, links_complete, plain_text
from sites.plone_import.models import ImportRun, PloneObject
from sites.plone_import.report import CREATED, UNCHANGED, UPDATED, ImportReport, Note
from sites.plone_import.sources import Item, Source, SourceError, open_source
from sites.search import tasks as search_tasks
from tenants.models import Member

logger = logging.getLogger(__name__)

BERLIN = ZoneInfo("Europe/Berlin")
NETWORK = "network"
COLLECTION_NAME = "Plone-Import"
REVIEW_TAG = "Alternativtext prüfen"
FOLDER_TYPES = {"Folder", "LIF", "FormFolder"}
DOCUMENT_TYPES = {"Document"}
NEWS_TYPES = {"News Item"}
EVENT_TYPES = {"Event"}
FILE_TYPES = {"File"}
IMAGE_TYPES = {"Image"}
LINK_TYPES = {"Link"}
COLLECTION_TYPES = {"Collection", "Topic"}
LANGUAGE_ROOT_TYPES = {"LRF"}
PAGE_TYPES = FOLDER_TYPES | DOCUMENT_TYPES | NEWS_TYPES | EVENT_TYPES | COLLECTION_TYPES
KNOWN_TYPES = PAGE_TYPES | FILE_TYPES | IMAGE_TYPES | LINK_TYPES | LANGUAGE_ROOT_TYPES
PUBLISHED_STATES = {"published", "external", "visible"}
# What an item becomes by its type (folders are decided by their contents).
ROLES = {
    **dict.fromkeys(COLLECTION_TYPES, "collection"),
    **dict.fromkeys(NEWS_TYPES, "news"),
    **dict.fromkeys(EVENT_TYPES, "event"),
    **dict.fromkeys(DOCUMENT_TYPES, "page"),
    **dict.fromkeys(FILE_TYPES, "document"),
    **dict.fromkeys(IMAGE_TYPES, "image"),
    **dict.fromkeys(LINK_TYPES, "link"),
}


class ImportRefused(Exception):
    """The import cannot start (unknown site, missing page, unreadable export)."""


class ItemError(Exception):
    """This item cannot be imported; the message names why."""


@dataclass
class SiteTypes:
    """The page types of the target site for each role."""

    home: type[Page]
    standard: type[Page]
    news: type[Page]
    news_index: type[Page]
    event: type[Page]
    event_index: type[Page]

    @classmethod
    def of(cls, *, network: bool) -> "SiteTypes":
        home = HomePageBase.of_site(network=network)
        allowed = home.allowed_subpage_models()
        standard = next(m for m in allowed if issubclass(m, StandardPageBase))
        news_index = next(m for m in allowed if home.news_model in m.allowed_subpage_models())
        event_index = next(m for m in allowed if home.event_model in m.allowed_subpage_models())
        return cls(home, standard, home.news_model, news_index, home.event_model, event_index)


@dataclass
class Options:
    language: str = "de"
    under: str = ""
    dry_run: bool = False
    private_as_members_only: bool = False
    started_by: str = ""


@dataclass
class Plan:
    """What each item becomes, decided before anything is written."""

    role: dict[str, str] = field(default_factory=dict)  # uid -> page/news/event/…
    default_page_of: dict[str, str] = field(default_factory=dict)  # page uid -> folder uid


def target_schema(site: str) -> str:
    """The schema that ``site`` ("network" or a member's slug) keeps its data in."""
    if site == NETWORK:
        return "public"
    with schema_context("public"):
        member = Member.objects.filter(slug=site).first()
    if member is None:
        raise ImportRefused(
            f"Kein Mitglied mit dem Kürzel „{site}“. Mögliche Werte: network oder ein "
            "Kürzel aus `manage.py list_members`."
        )
    if not member.is_active:
        raise ImportRefused(f"„{member.name}“ ist archiviert; bitte erst wieder aktivieren.")
    return member.schema_name


def plone_import(
    *,
    site: str,
    location: Path,
    blobs: Path | None = None,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
    run_id: int | None = None,
) -> ImportReport:
    """Import the export at ``location`` into ``site``; the report says what happened.

    Switches to the site's schema itself; writes the run's history in the public schema
    (``run_id``: a run the admin created and watches).
    """
    options = options or Options()
    schema = target_schema(site)
    try:
        source = open_source(location, blobs=blobs)
    except SourceError as error:
        raise ImportRefused(str(error)) from error
    report = ImportReport(site=site, source=location.name, format=source.format_name)
    report.dry_run = options.dry_run
    with source:
        if not options.dry_run:
            run_id = _run_start(run_id, site, location.name, options, len(source.items))
        try:
            with schema_context(schema), bulk_work():
                importer = Importer(source, report, options, progress, run_id)
                importer.run()
        except BaseException:
            if run_id:
                run_update(run_id, state=ImportRun.State.FAILED, report=report.as_dict())
            raise
    if run_id:
        state = ImportRun.State.DONE if report.ok else ImportRun.State.DONE_WITH_SKIPS
        run_update(run_id, state=state, report=report.as_dict(), finished_at=timezone.now())
    if not options.dry_run:
        report.page_ids = sorted(importer.touched_pages)
        task_send(search_tasks.index_site, schema, healed_by="search.reconcile")
    return report


@contextmanager
def bulk_work():
    """What every saved page, image and document would start one by one is held back:
    Celery sends, page cache purges, Wagtail's reference index and its admin search
    index. ``Importer.index`` does it once for the whole run."""
    handler = search_signal_handlers.post_save_signal_handler
    indexed = [
        model
        for model in search_index.get_indexed_models()
        if post_save.disconnect(handler, sender=model)
    ]
    with connection.cursor() as cursor:
        # Thousands of small commits (one per item, so that a stopped run can resume):
        # PostgreSQL need not wait for each on the disk. A server crash may lose the last
        # moment's items, never half of one; the next run imports them again.
        cursor.execute("SET synchronous_commit TO off")
    try:
        with sends_held(), pagecache.purges_held(), disable_reference_index_auto_update():
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
        for model in indexed:
            post_save.connect(handler, sender=model)


def admin_indexes_update(schema: str, page_ids: list[int]) -> None:
    """Wagtail's admin search and reference index (where images and documents are used)
    for these pages of ``schema``, and its images and documents: what ``bulk_work`` held
    back, in bulk. Switches to ``schema`` itself."""
    with schema_context(schema):
        backend = get_search_backend()
        by_model: dict[type, list] = {}
        for page in Page.objects.filter(pk__in=page_ids).specific():
            by_model.setdefault(type(page), []).append(page)
            ReferenceIndex.create_or_update_for_object(page)
        for model in (get_image_model(), get_document_model()):
            by_model[model] = list(model.objects.filter(collection__name=COLLECTION_NAME))
        for model, objects in by_model.items():
            if objects:
                backend.add_bulk(model, objects)


def _run_start(run_id, site, source_name, options, total) -> int:
    with schema_context("public"):
        if run_id:
            ImportRun.objects.filter(pk=run_id).update(state=ImportRun.State.RUNNING, total=total)
            return run_id
        run = ImportRun.objects.create(
            site=site,
            source_name=source_name,
            started_by=options.started_by,
            state=ImportRun.State.RUNNING,
            total=total,
        )
        return run.pk


def run_update(run_id: int, **fields) -> None:
    with schema_context("public"):
        ImportRun.objects.filter(pk=run_id).update(**fields)


# --- dates -----------------------------------------------------------------------------


def parse_datetime(value) -> datetime | None:
    """An ISO date from Plone; naive ones are Berlin time. Malformed: ItemError."""
    if value in (None, "", "None"):
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as error:
        raise ItemError(f"Datum nicht lesbar: „{value}“") from error
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=BERLIN)
    return moment


# --- the importer ----------------------------------------------------------------------


class Importer:
    """One run in the current (target) schema."""

    def __init__(self, source: Source, report: ImportReport, options: Options, progress, run_id):
        self.source = source
        self.report = report
        self.options = options
        self.progress = progress
        self.run_id = run_id
        self.items = source.by_uid()
        self.types = SiteTypes.of(network=is_public_schema(connection.schema_name))
        self.known = {o.uid: o for o in PloneObject.objects.all()}
        self.uid_by_path = {item.path: item.uid for item in source.items}
        self.translation_group = {}
        for group in source.translation_groups:
            for uid in group:
                self.translation_group[uid] = group
        self.waiting: set[str] = set()  # pages whose links wait for later items
        self.sibling_slugs: dict[int, set[str]] = {}
        self.tails: dict[str, list] = {}  # blocks after a page's text (links, event URL)
        self.touched_pages: set[int] = set()  # created or changed: indexed at the end
        self.pages: dict[int, Page | None] = {}
        self.unrevised: set[int] = set()  # new pages: their revisions come at the end
        self.overviews: dict[tuple, Page] = {}
        self.existing: dict[type, set[int]] | None = None  # ids per model, for _still_there
        self.convert_again: set[str] = set()  # waiting pages with a waiting block
        self.checksums: dict[str, str] = {}  # of waiting pages, stored once they are complete
        self.targets: dict[str, Target | None] = {}
        self.done = 0

    # --- the run

    def run(self) -> None:
        self.site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if self.site is None:
            raise ImportRefused("Diese Website hat noch keine Startseite.")
        self.home = self.site.root_page
        if not Locale.objects.filter(language_code=self.options.language).exists():
            raise ImportRefused(f"Diese Website hat keine Sprache „{self.options.language}“.")
        self.under = self._under_page()
        self.plan = self._plan()
        for broken in self.source.broken:
            self.report.skip(broken.path, "?", broken.message)
        if not self.options.dry_run:
            self.collection = self._collection()
        files_first = sorted(
            self.source.items, key=lambda i: 0 if i.type in FILE_TYPES | IMAGE_TYPES else 1
        )
        for item in files_first:
            self._one(item)
        if not self.options.dry_run:
            self._finish_pages()
            self._redirects()
            pagecache.purge_site()
        if self.run_id:
            run_update(self.run_id, done=self.done)

    def _tick(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, len(self.source.items))
        if self.run_id and self.done % 25 == 0:
            run_update(self.run_id, done=self.done)

    def _under_page(self) -> Page:
        if not self.options.under:
            return self.home
        path = "/" + self.options.under.strip("/") + "/"
        page = Page.objects.filter(url_path=self.home.url_path + path.lstrip("/")).first()
        if page is None:
            raise ImportRefused(
                f"Keine Seite unter „{self.options.under}“ auf dieser Website; bitte den Pfad "
                "einer Inhaltsseite angeben, z. B. --under /ueber-uns/archiv"
            )
        if self.types.standard not in page.specific_class.allowed_subpage_models():
            raise ImportRefused(
                f"Unter „{page.title}“ können keine Inhaltsseiten liegen; bitte eine "
                "Inhaltsseite oder die Startseite wählen."
            )
        return page

    # --- planning

    def _plan(self) -> Plan:
        plan = Plan()
        for folder_uid, page_uid in self.source.default_pages.items():
            page = self.items.get(page_uid)
            if page is not None and page.type in DOCUMENT_TYPES | COLLECTION_TYPES:
                plan.default_page_of[page_uid] = folder_uid
        for item in self.source.items:
            plan.role[item.uid] = self._role(item)
        return plan

    def _role(self, item: Item) -> str:
        if item.type in LANGUAGE_ROOT_TYPES:
            return "language"
        if item.type in FOLDER_TYPES:
            pages = [c for c in item.children if c.type in PAGE_TYPES | LINK_TYPES]
            if pages and all(c.type in NEWS_TYPES for c in pages):
                return "news_index"
            if (
                pages
                and all(c.type in EVENT_TYPES | COLLECTION_TYPES for c in pages)
                and any(c.type in EVENT_TYPES for c in pages)
            ):
                return "event_index"
            return "page"
        return ROLES.get(item.type, "unknown")

    # --- one item

    def _one(self, item: Item) -> None:
        try:
            if self.plan.role[item.uid] == "unknown":
                raise ItemError(f"Unbekannter Plone-Typ „{item.type}“")
            if item.uid in self.plan.default_page_of:
                self._tick()
                return  # imported with its folder
            data = self.source.load(item)
            checksum = self._checksum(item, data)
            known = self.known.get(item.uid)
            if known and known.checksum == checksum and self._still_there(known):
                self.report.count(item.type, UNCHANGED)
            elif self.options.dry_run:
                self._check(item, data)
                self.report.count(item.type, UPDATED if known else CREATED)
            else:
                with transaction.atomic():
                    outcome = self._write(item, data, checksum, known)
                self.report.count(item.type, outcome)
        except (ItemError, SourceError) as error:
            self.report.skip(item.path, item.type, str(error))
        except (ValidationError, ValueError, OSError) as error:
            logger.warning("Plone import: %s skipped", item.path, exc_info=True)
            self.report.skip(item.path, item.type, _error_text(error))
        self._tick()

    def _checksum(self, item: Item, data: dict) -> str:
        """Of the item's data, and of its default page's for a folder."""
        parts = [data]
        content_item = self._content_item(item)
        if content_item is not item:
            parts.append(self.source.load(content_item))
        text = json.dumps(parts, sort_keys=True, default=str)
        text = re.sub(r'"inline_file": "[^"]*"', "", text)
        return hashlib.sha256(text.encode()).hexdigest()

    def _still_there(self, known: PloneObject) -> bool:
        """Whether what the item became still exists (nobody deleted it since)."""
        if self.existing is None:  # read once per run, three queries
            self.existing = {
                model: set(model.objects.values_list("pk", flat=True))
                for model in (Page, get_document_model(), get_image_model())
            }
        model = {
            PloneObject.Kind.PAGE: Page,
            PloneObject.Kind.INDEX: Page,
            PloneObject.Kind.DOCUMENT: get_document_model(),
            PloneObject.Kind.IMAGE: get_image_model(),
        }.get(known.kind)
        return model is None or known.object_id in self.existing[model]

    def _check(self, item: Item, data: dict) -> None:
        """What a write would refuse, found without writing (the dry run)."""
        for name in ("effective", "expires", "start", "end"):
            parse_datetime(data.get(name))
        role = self.plan.role[item.uid]
        if role in ("document", "image"):
            value = data.get("file" if role == "document" else "image")
            if not isinstance(value, dict):
                raise ItemError("ohne Datei exportiert")
            self.source.blob(item, value).open().close()

    def _write(self, item: Item, data: dict, checksum: str, known: PloneObject | None) -> str:
        role = self.plan.role[item.uid]
        handler = {
            "document": self._document,
            "image": self._image,
            "link": self._link,
            "language": self._language_root,
            "news_index": self._index,
            "event_index": self._index,
            "collection": self._collection_item,
        }.get(role, self._page)
        kind, object_id = handler(item, data, known)
        if item.uid in self.waiting:
            self.checksums[item.uid], checksum = checksum, ""  # complete at the end of the run
        self._remember(item.uid, kind, object_id, item.path, item.type, checksum)
        for page_uid, folder_uid in self.plan.default_page_of.items():
            if folder_uid == item.uid:
                page_item = self.items[page_uid]
                self._remember(page_uid, kind, object_id, page_item.path, page_item.type, checksum)
        return UPDATED if known else CREATED

    def _remember(self, uid, kind, object_id, plone_path, plone_type, checksum) -> None:
        """What ``uid`` became, in one statement (insert or update)."""
        known = PloneObject(
            uid=uid,
            kind=kind,
            object_id=object_id,
            plone_path=plone_path,
            plone_type=plone_type,
            checksum=checksum,
        )
        PloneObject.objects.bulk_create(
            [known],
            update_conflicts=True,
            unique_fields=["uid"],
            update_fields=[
                "kind",
                "object_id",
                "plone_path",
                "plone_type",
                "checksum",
                "imported_at",
            ],
        )
        self.known[uid] = known
        self.targets.pop(uid, None)

    # --- files and images

    def _collection(self) -> Collection:
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=COLLECTION_NAME).first()
        return existing or root.add_child(name=COLLECTION_NAME)

    def _document(self, item: Item, data: dict, known: PloneObject | None):
        value = data.get("file")
        if not isinstance(value, dict):
            raise ItemError("Datei ohne Inhalt exportiert")
        blob = self.source.blob(item, value)
        model = get_document_model()
        document = model.objects.filter(pk=known.object_id).first() if known else None
        document = document or model(collection=self.collection)
        document.title = data.get("title") or blob.filename
        with blob.open() as stream:
            document.file.save(blob.filename, File(stream, name=blob.filename), save=False)
            document._set_document_file_metadata()
        document.save()
        return PloneObject.Kind.DOCUMENT, document.pk

    def _image(self, item: Item, data: dict, known: PloneObject | None):
        value = data.get("image")
        if not isinstance(value, dict):
            raise ItemError("Bild ohne Inhalt exportiert")
        image = self._store_image(
            item, value, data.get("title") or "", data.get("description") or "", known
        )
        return PloneObject.Kind.IMAGE, image.pk

    def _store_image(self, item, value, title, description, known):
        blob = self.source.blob(item, value)
        model = get_image_model()
        image = model.objects.filter(pk=known.object_id).first() if known else None
        image = image or model(collection=self.collection)
        image.title = (title or blob.filename)[:255]
        image.description = (description or title or "").strip()[:255]
        with blob.open() as stream:
            image.file.save(blob.filename, File(stream, name=blob.filename), save=False)
            try:
                image._set_image_file_metadata()
            except Exception as error:  # Willow raises its own types for broken images
                raise ItemError(f"„{blob.filename}“ ist kein lesbares Bild") from error
        image.save()
        if not (description or "").strip():
            image.tags.add(REVIEW_TAG)
            self.report.review.append(
                Note(item.path, item.type, "Alternativtext fehlt; vorläufig der Titel")
            )
        return image

    # --- pages

    def _page(self, item: Item, data: dict, known: PloneObject | None):
        role = self.plan.role[item.uid]
        model = {"news": self.types.news, "event": self.types.event}.get(role, self.types.standard)
        parent = self._parent_for(item, role)
        fields = self._fields(item, data, role)
        page = self._save_page(item, data, model, parent, fields, known)
        return PloneObject.Kind.PAGE, page.pk

    def _collection_item(self, item: Item, data: dict, known: PloneObject | None):
        selected = _collection_types(data)
        if selected and selected <= NEWS_TYPES:
            return self._index(item, data, known, role="news_index")
        if selected and selected <= EVENT_TYPES:
            return self._index(item, data, known, role="event_index")
        self.report.lost.append(Note(item.path, item.type, "Abfrage der Sammlung nicht übernommen"))
        return self._page(item, data, known)

    def _index(self, item: Item, data: dict, known: PloneObject | None, role: str = ""):
        """A Plone folder or collection that stands for the news (events) overview."""
        role = role or self.plan.role[item.uid]
        model = self.types.news_index if role == "news_index" else self.types.event_index
        home = self._home_for(item)
        index = model.objects.child_of(home).first()
        if index is None:
            index = model(title=data.get("title") or item.title, slug=item.id, locale=home.locale)
            home.add_child(instance=index)
            index.save_revision().publish()
        return PloneObject.Kind.INDEX, index.pk

    def _language_root(self, item: Item, data: dict, known: PloneObject | None):
        return PloneObject.Kind.INDEX, self._top_for(item).pk

    def _link(self, item: Item, data: dict, known: PloneObject | None):
        url = (data.get("remoteUrl") or "").strip()
        if not url:
            raise ItemError("Link ohne Adresse")
        return PloneObject.Kind.LINK, None

    # --- where pages go

    def _language_of(self, item: Item) -> str:
        node = item
        while node is not None:
            if node.language:
                return node.language
            node = self.items.get(node.parent_uid)
        return self.options.language

    def _home_for(self, item: Item) -> Page:
        language = self._language_of(item)
        if language == self.options.language:
            return self.home
        locale = Locale.objects.filter(language_code=language).first()
        home = self.home.get_translation_or_none(locale) if locale else None
        if home is None:
            raise ItemError(f"Die Sprache „{language}“ ist auf dieser Website nicht eingerichtet")
        return home

    def _top_for(self, item: Item) -> Page:
        """Where the top pages of the item's language go: --under, or the home."""
        home = self._home_for(item)
        if self._language_of(item) == self.options.language:
            return self.under
        if self.under.pk != self.home.pk:
            translated = self.under.get_translation_or_none(home.locale)
            return translated or home
        return home

    def _parent_for(self, item: Item, role: str) -> Page:
        if role in ("news", "event"):
            index_model = self.types.news_index if role == "news" else self.types.event_index
            parent = self._page_of(item.parent_uid)
            if parent is not None and isinstance(parent.specific, index_model):
                return parent
            return self._overview(item, index_model)
        node = self.items.get(item.parent_uid)
        while node is not None:
            parent = self._page_of(node.uid)
            if (
                parent is not None
                and self.types.standard in parent.specific_class.allowed_subpage_models()
            ):
                return parent
            if self.plan.role.get(node.uid) == "language":
                break
            node = self.items.get(node.parent_uid)
        return self._top_for(item)

    def _page_of(self, uid: str | None) -> Page | None:
        known = self.known.get(uid) if uid else None
        if known is None or known.kind not in (PloneObject.Kind.PAGE, PloneObject.Kind.INDEX):
            return None
        return self._page_by_id(known.object_id)

    def _page_by_id(self, page_id: int) -> Page | None:
        """Pages as parents and link targets: read once per run (with their locale)."""
        if page_id not in self.pages:
            self.pages[page_id] = Page.objects.filter(pk=page_id).select_related("locale").first()
        return self.pages[page_id]

    def _overview(self, item: Item, index_model) -> Page:
        """The language's news (events) overview: found or made once per run."""
        home = self._home_for(item)
        key = (index_model, home.pk)
        if key not in self.overviews:
            index = index_model.objects.child_of(home).first()
            if index is None:
                title = "Aktuelles" if index_model is self.types.news_index else "Termine"
                index = index_model(title=title, slug=slugify(title), locale=home.locale)
                home.add_child(instance=index)
                index.save_revision().publish()
            self.overviews[key] = index
        return self.overviews[key]

    # --- page fields

    def _fields(self, item: Item, data: dict, role: str) -> dict:
        content_item = self._content_item(item)
        content = data if content_item is item else self.source.load(content_item)
        description = plain_text(data.get("description") or content.get("description") or "")
        converted = self._convert(item, content)
        fields = {"title": (data.get("title") or item.id)[:255], "body": converted.blocks}
        if role == "news":
            moment = parse_datetime(data.get("effective")) or parse_datetime(data.get("created"))
            fields["date"] = timezone.localtime(moment or timezone.now(), BERLIN).date()
            fields["teaser"] = description
            fields["image"] = self._lead_image(item, data)
            fields["image_caption"] = (data.get("image_caption") or "")[:250]
        elif role == "event":
            fields.update(self._event_fields(item, data, description))
        else:
            fields["lead"] = description
        fields["search_description"] = description[:1000] if description else ""
        return fields

    def _convert(self, item: Item, data: dict, notes: bool = True):
        converter = HtmlConverter(self._links())
        blocks = data.get("blocks")
        layout = (data.get("blocks_layout") or {}).get("items") or []
        text = data.get("text")
        if isinstance(blocks, dict) and layout:
            converted = converter.convert_blocks(blocks, layout)
        elif isinstance(text, dict):
            converted = converter.convert_html(text.get("data") or "")
        else:
            converted = converter.convert_html(text if isinstance(text, str) else "")
        if notes:
            for lost in converted.lost:
                self.report.lost.append(Note(item.path, item.type, lost))
            for link in dict.fromkeys(converted.unresolved):
                self.report.unresolved.append(Note(item.path, item.type, link))
        if converted.waiting:
            self.waiting.add(item.uid)
            if converted.convert_again:
                self.convert_again.add(item.uid)
        return converted

    def _links(self) -> Links:
        return Links(self._target, self._pending, self.uid_by_path.get, self.source.site_url)

    def _target(self, uid: str) -> Target | None:
        """What a link to ``uid`` points at now (looked up once per run)."""
        if uid not in self.targets:
            self.targets[uid] = self._target_lookup(uid)
        return self.targets[uid]

    def _target_lookup(self, uid: str) -> Target | None:
        known = self.known.get(uid)
        if known is None:
            return None
        if known.kind in (PloneObject.Kind.PAGE, PloneObject.Kind.INDEX):
            # a link needs the id only; chooser blocks store the pk of this stand-in
            return Target("page", known.object_id, instance=Page(pk=known.object_id))
        if known.kind == PloneObject.Kind.DOCUMENT:
            document = get_document_model().objects.filter(pk=known.object_id).first()
            return Target("document", known.object_id, url=document.url if document else "")
        if known.kind == PloneObject.Kind.IMAGE:
            image = get_image_model().objects.filter(pk=known.object_id).first()
            if image is None:
                return None
            return Target(
                "image", image.pk, url=image.file.url, alt=image.description, instance=image
            )
        if known.kind == PloneObject.Kind.LINK:
            data = self.source.load(self.items[uid]) if uid in self.items else {}
            return Target("url", url=data.get("remoteUrl") or "")
        return None

    def _pending(self, uid: str) -> bool:
        return uid in self.items and uid not in self.known

    def _link_list(self, item: Item) -> list:
        """The Link items of a folder, as a link list on its page."""
        links = []
        for child in item.children:
            if child.type in LINK_TYPES:
                url = (self.source.load(child).get("remoteUrl") or "").strip()
                if url.startswith(("http://", "https://", "mailto:")):
                    links.append({"label": child.title or url, "page": None, "url": url})
        return [("links", {"title": "", "links": links})] if links else []

    def _lead_image(self, item: Item, data: dict):
        value = data.get("image")
        if not isinstance(value, dict):
            return None
        title = data.get("image_caption") or data.get("title") or ""
        known = self.known.get(f"{item.uid}#image")
        image = self._store_image(item, value, title, data.get("image_caption") or "", known)
        self._remember_image(item, image)
        return image

    def _remember_image(self, item: Item, image) -> None:
        uid, path = f"{item.uid}#image", f"{item.path}/@@images/image"
        self._remember(uid, PloneObject.Kind.IMAGE, image.pk, path, "Image", "")

    def _event_fields(self, item: Item, data: dict, description: str) -> dict:
        start = parse_datetime(data.get("start"))
        if start is None:
            raise ItemError("Termin ohne Beginn")
        end = parse_datetime(data.get("end"))
        whole_day = bool(data.get("whole_day"))
        if data.get("open_end"):
            end = None
        if whole_day:
            start = datetime.combine(timezone.localtime(start, BERLIN).date(), time(0), BERLIN)
            if end is not None:
                end = datetime.combine(timezone.localtime(end, BERLIN).date(), time(23, 59), BERLIN)
        if end is not None and end < start:
            end = None
        venue, address = _venue_and_address((data.get("location") or "").strip())
        if not venue:
            venue = "Ort siehe Beschreibung"
            self.report.review.append(Note(item.path, item.type, "Termin ohne Ort"))
        fields = {
            "start": start,
            "end": end,
            "teaser": description,
            "venue_name": venue.strip()[:200],
            "venue_address": address.strip(),
            "organiser_name": (data.get("contact_name") or "")[:200],
            "organiser_email": _email(data.get("contact_email")),
            "organiser_phone": (data.get("contact_phone") or "")[:50],
            "image": self._lead_image(item, data),
        }
        if data.get("contact_email") and not fields["organiser_email"]:
            self.report.review.append(
                Note(item.path, item.type, f"E-Mail „{data['contact_email']}“ ungültig")
            )
        fields["whole_day"] = whole_day
        fields["recurrence"] = _rrule_line((data.get("recurrence") or "").strip())
        event_url = (data.get("event_url") or "").strip()
        if event_url.startswith(("http://", "https://")):
            fields["event_link"] = event_url
        return fields

    def _save_page(self, item, data, model, parent, fields, known) -> Page:
        """Create (or update) the page in the state Plone gave it.

        A new page is written once with its revision (no publish round: the import
        sends no publish signals, it indexes and purges the site at its end); a page
        imported before goes through Wagtail's revision and publish as an edit would.
        """
        tail = self._link_list(item)
        event_link = fields.pop("event_link", "")
        if event_link:
            link = {"label": "Weitere Informationen", "page": None, "url": event_link}
            tail.append(("links", {"title": "", "links": [link]}))
        fields["body"] = [*fields["body"], *tail]
        self.tails[item.uid] = tail
        page = None
        if known and known.object_id:
            page = Page.objects.filter(pk=known.object_id).first()
            page = page.specific if page else None
            if page is not None and not isinstance(page, model):
                page = None
        live, go_live, expire = self._state(item, data)
        if page is None:
            page = model(locale=parent.locale, slug=self._slug(parent, item.id))
            key = self._translation_key(item, parent.locale)
            if key:
                page.translation_key = key
            for name, value in fields.items():
                setattr(page, name, value)
            self._create_page(parent, page, data, live, go_live, expire)
        else:
            for name, value in fields.items():
                setattr(page, name, value)
            page.go_live_at, page.expire_at = go_live, expire
            revision = page.save_revision(log_action=False, clean=True)
            if live:
                revision.publish(log_action=False)
            elif page.live:
                page.unpublish(log_action=False)
        if live and self._members_only(data):
            PageViewRestriction.objects.get_or_create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )
        self.touched_pages.add(page.pk)
        return page

    def _create_page(self, parent, page, data, live, go_live, expire) -> None:
        """Insert ``page`` (validated by Wagtail's save) live, scheduled or as a draft.

        Its revision is written with all others at the end of the run (``_revisions``),
        when the links to pages imported after it are set; a page scheduled for a later
        date gets its revision now (Wagtail's scheduler publishes that revision).
        """
        published = parse_datetime(data.get("effective")) or parse_datetime(data.get("created"))
        page.go_live_at, page.expire_at = go_live, expire
        page.live = live and go_live is None
        page.has_unpublished_changes = not page.live
        page._is_site_root = False  # Wagtail's answer without its query on every save
        if page.live:
            page.first_published_at = min(published or timezone.now(), timezone.now())
            modified = parse_datetime(data.get("modified")) or page.first_published_at
            page.last_published_at = min(modified, timezone.now())
        parent.add_child(instance=page)
        if live and go_live is not None:
            page.save_revision(log_action=False, clean=False, approved_go_live_at=go_live)
        else:
            self.unrevised.add(page.pk)

    def _state(self, item: Item, data: dict) -> tuple[bool, datetime | None, datetime | None]:
        state = data.get("review_state") or "published"
        go_live = parse_datetime(data.get("effective"))
        expire = parse_datetime(data.get("expires"))
        now = timezone.now()
        if go_live is not None and go_live <= now:
            go_live = None
        live = state in PUBLISHED_STATES or self._members_only(data)
        if expire is not None and expire <= now:
            self.report.review.append(Note(item.path, item.type, "abgelaufen: als Entwurf"))
            return False, go_live, None
        return live, go_live, expire

    def _members_only(self, data: dict) -> bool:
        state = data.get("review_state") or "published"
        return self.options.private_as_members_only and state in ("private", "internally_published")

    def _slug(self, parent: Page, plone_id: str) -> str:
        """Plone's id as a slug, free among the parent's children (read once per parent)."""
        base = slugify(plone_id.rsplit(".", 1)[0] if plone_id.endswith(".html") else plone_id)
        base = (base or "seite")[:200]
        siblings = self.sibling_slugs.get(parent.pk)
        if siblings is None:
            siblings = set(parent.get_children().values_list("slug", flat=True))
            self.sibling_slugs[parent.pk] = siblings
        slug, number = base, 2
        while slug in siblings:
            slug, number = f"{base}-{number}", number + 1
        siblings.add(slug)
        return slug

    def _translation_key(self, item: Item, locale) -> uuid.UUID | None:
        """The key of an imported translation of ``item`` in another language."""
        for uid in self.translation_group.get(item.uid, ()):
            other = self._page_of(uid)
            if other is not None and other.locale_id != locale.pk:
                taken = Page.objects.filter(translation_key=other.translation_key, locale=locale)
                if not taken.exists():
                    return other.translation_key
        return None

    # --- the end of a run

    def _finish_pages(self) -> None:
        """The end of the pages' import, in bulk: links to pages imported after the page
        are set (``waiting``), each new page gets its revision (as if saved in the
        editor: its history and the editor start from it), and the checksums of the
        completed pages are stored (until then a rerun imports them again)."""
        again = sorted(uid for uid in self.waiting if uid in self.convert_again)
        for uid in again:  # a waiting teaser or image: the text converted anew (rare)
            page = self._page_by_id(self.known[uid].object_id).specific
            content = self.source.load(self._content_item(self.items[uid]))
            page.body = (
                self._convert(self.items[uid], content, notes=False).blocks + self.tails[uid]
            )
            page.save(update_fields=["body"], clean=False)
        waiting_ids = {
            self.known[uid].object_id: uid
            for uid in self.waiting
            if uid not in self.convert_again and uid in self.known
        }
        ids = self.unrevised | set(waiting_ids)
        if not ids:
            return
        now = timezone.now()
        changed_bodies: dict[type, list] = {}
        revisions, pages = [], []
        for page in Page.objects.filter(pk__in=ids).specific():
            uid = waiting_ids.get(page.pk)
            if uid is not None:
                page.body = json.dumps(self._complete_links(self.items[uid], page))
                changed_bodies.setdefault(type(page), []).append(page)
            if page.pk not in self.unrevised:
                continue
            revision = Revision(
                content_type_id=page.content_type_id,
                base_content_type=page.get_base_content_type(),
                object_id=str(page.pk),
                content=page.serializable_data(),
                object_str=str(page)[:255],
                created_at=now,
            )
            revisions.append(revision)
            pages.append(page)
        with transaction.atomic():
            for model, changed in changed_bodies.items():
                model.objects.bulk_update(changed, ["body"], batch_size=200)
            Revision.objects.bulk_create(revisions, batch_size=200)
            for page, revision in zip(pages, revisions, strict=True):
                page.latest_revision, page.latest_revision_created_at = revision, now
                page.draft_title = page.title
                if page.live:
                    page.live_revision = revision
            fields = ["latest_revision", "latest_revision_created_at", "draft_title"]
            Page.objects.bulk_update(pages, fields, batch_size=200)
            live = [page for page in pages if page.live]
            Page.objects.bulk_update(live, ["live_revision"], batch_size=200)
            for uid in self.waiting:
                if uid in self.checksums and uid in self.known:
                    known = self.known[uid]
                    self._remember(
                        uid, known.kind, known.object_id, known.plone_path,
                        known.plone_type, self.checksums[uid],
                    )  # fmt: skip
        self.unrevised.clear()

    def _complete_links(self, item: Item, page) -> list[dict]:
        blocks = list(page.body.raw_data)
        for block in blocks:
            if block["type"] == "paragraph":
                block["value"], missing = links_complete(block["value"], self._target)
                for link in missing:
                    self.report.unresolved.append(Note(item.path, item.type, link))
        return blocks

    def _content_item(self, item: Item) -> Item:
        """The item whose text a page shows: a folder's default page, else the item."""
        default_of = self.plan.default_page_of
        return next((self.items[p] for p, f in default_of.items() if f == item.uid), item)

    def _redirects(self) -> None:
        """Every old address, and the entries of redirects.json, to the new page: one
        transaction, written in bulk (thousands of addresses), the site's cached pages
        purged once."""
        old_to_uid = {}
        for uid in self.known:
            item = self.items.get(uid)
            if item is not None:
                old_to_uid[item.path] = uid
        for old, new in self.source.redirects.items():
            uid = self.uid_by_path.get("/" + new.strip("/"))
            if uid:
                old_to_uid.setdefault("/" + old.strip("/"), uid)
        pages = Page.objects.in_bulk(
            known.object_id
            for known in self.known.values()
            if known.kind in (PloneObject.Kind.PAGE, PloneObject.Kind.INDEX)
        )
        wanted: dict[str, tuple[int | None, str]] = {}
        for old_path, uid in old_to_uid.items():
            target = self._redirect_target(uid, pages)
            if target is None:
                continue
            paths = [old_path]
            if self.items[uid].type in FILE_TYPES:
                paths += [f"{old_path}/@@download/file", f"{old_path}/at_download/file"]
            for path in paths:
                normalised = Redirect.normalise_path(path)
                page_id, link = target
                if page_id and normalised == Redirect.normalise_path(pages[page_id].url or ""):
                    continue  # the page answers there itself
                wanted[normalised] = target
        with transaction.atomic():
            existing = {
                redirect.old_path: redirect
                for redirect in Redirect.objects.filter(site=self.site, old_path__in=wanted)
            }
            new, changed = [], []
            for old_path, (page_id, link) in wanted.items():
                redirect = existing.get(old_path)
                if redirect is None:
                    redirect = Redirect(site=self.site, old_path=old_path, is_permanent=True)
                    new.append(redirect)
                elif (redirect.redirect_page_id, redirect.redirect_link) == (page_id, link):
                    continue
                else:
                    changed.append(redirect)
                redirect.redirect_page_id, redirect.redirect_link = page_id, link
                redirect.is_permanent = True
            Redirect.objects.bulk_create(new)
            fields = ["redirect_page", "redirect_link", "is_permanent"]
            Redirect.objects.bulk_update(changed, fields)
            if new or changed:
                pagecache.purge_site()  # bulk writes send no signals
        self.report.redirects = len(new) + len(changed)

    def _redirect_target(self, uid: str, pages: dict) -> tuple[int | None, str] | None:
        known = self.known.get(uid)
        if known.kind in (PloneObject.Kind.PAGE, PloneObject.Kind.INDEX):
            return (known.object_id, "") if known.object_id in pages else None
        target = self._target(uid)
        return (None, target.url) if target is not None and target.url else None


def _collection_types(data: dict) -> set[str]:
    for criterion in data.get("query") or []:
        if isinstance(criterion, dict) and criterion.get("i") == "portal_type":
            values = criterion.get("v")
            return set(values if isinstance(values, list) else [values])
    return set()


def _venue_and_address(location: str) -> tuple[str, str]:
    """Plone keeps one location text: "Neues Rathaus Kiel, Andreas-Gayk-Straße 31, 24103
    Kiel" is venue "Neues Rathaus Kiel" at that address."""
    venue, newline, address = location.partition("\n")
    if not newline and re.search(r"\b\d{5}\b", location) and ", " in location:
        venue, _comma, address = location.partition(", ")
    return venue.strip(), address.strip()


def _email(value) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _rrule_line(recurrence: str) -> str:
    for line in recurrence.splitlines():
        if line.upper().startswith("RRULE:"):
            return line[6:].strip()
    return recurrence.strip()


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return str(error)


def report_write(report: ImportReport, path: Path) -> None:
    path.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))


# --- imports started in the network admin (``uploads.import_run_start``) ----------------


def import_run_execute(run_id: int) -> None:
    """Run a queued import (the Celery task) with Wagtail's indexes after it; its upload
    is removed afterwards."""
    with schema_context("public"):
        run = ImportRun.objects.filter(pk=run_id, state=ImportRun.State.QUEUED).first()
    if run is None:
        return  # ran already (a task delivered twice) or was removed
    upload = Path(run.upload)
    try:
        options = Options(**run.options)
        report = plone_import(site=run.site, location=upload, options=options, run_id=run.pk)
        admin_indexes_update(target_schema(run.site), report.page_ids)
    except ImportRefused as error:
        run_update(
            run.pk, state=ImportRun.State.FAILED, finished_at=timezone.now(),
            report={"error": str(error)},
        )  # fmt: skip
    finally:
        shutil.rmtree(upload.parent, ignore_errors=True)
        run_update(run.pk, upload="")
