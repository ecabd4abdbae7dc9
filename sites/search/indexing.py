"""Filling the network search index from the pages of every site.

A site's pages are read in the site's own schema, where Wagtail computes their URLs and
turns their fields into text (``search_fields``: StreamField blocks and rich text by
their own ``get_searchable_content``); the rows go to the public ``SearchEntry`` table.
Only what a visitor can see is indexed: live pages without a view restriction on them
or above them, no aliases (wagtail-localize's untranslated placeholders), below a Site.
Any page type of either kind of site takes part; none has to declare anything.

Functions that visit a site switch to its schema themselves and return to public.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.utils.html import strip_tags
from django_tenants.utils import schema_context
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, Site, get_page_models
from wagtail.search import index

from sites.search.engine import search_words_refresh
from sites.search.models import SearchEntry, SearchWord
from tenants.models import Member

logger = logging.getLogger(__name__)
BERLIN = ZoneInfo("Europe/Berlin")
TEASER_FIELDS = ("teaser", "lead")  # the first non-empty is the result's teaser
DATE_FIELDS = ("date", "start")  # news date, event start; else the last publication


class UnknownSite(ValueError):
    """A schema that is neither the network's nor an active member's."""


@dataclass
class IndexReport:
    """What one run did: rows written and rows removed, per schema."""

    written: int = 0
    removed: int = 0

    def add(self, other: IndexReport) -> None:
        self.written += other.written
        self.removed += other.removed

    def __str__(self):
        return f"{self.written} indexed, {self.removed} removed"


# --- Text of a page ----------------------------------------------------------------------


def _field_text(page, field_name: str) -> str:
    """A field as plain text, the way Wagtail's own search would index it."""
    field = page._meta.get_field(field_name)
    value = getattr(page, field_name)
    if value in (None, ""):
        return ""
    if isinstance(field, StreamField | RichTextField):
        parts = field.get_searchable_content(value)
    else:
        parts = [strip_tags(str(value))]
    return " ".join(" ".join(str(part).split()) for part in parts if part)


def _searched_fields(page) -> list[str]:
    """The page's own searchable fields (its ``search_fields``), without the title."""
    names = []
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != "title":
            try:
                page._meta.get_field(field.field_name)
            except FieldDoesNotExist:
                continue  # a method or property: not text of the page
            names.append(field.field_name)
    return names


def _documents_in(value) -> Iterable:
    """Documents chosen anywhere in a StreamField value (lists and structs included)."""
    if isinstance(value, get_document_model()):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _documents_in(child.value)
    elif isinstance(value, ListValue | list | tuple):
        for item in value:
            yield from _documents_in(item)
    elif isinstance(value, StructValue):
        for item in value.values():
            yield from _documents_in(item)


def page_documents(page) -> list[str]:
    """Titles of the documents attached to the page or listed in its content."""
    titles = []
    for field in page._meta.concrete_fields:
        if isinstance(field, StreamField):
            titles.extend(doc.title for doc in _documents_in(getattr(page, field.name)))
    return list(dict.fromkeys(titles))


def _page_date(page) -> datetime | None:
    for name in DATE_FIELDS:
        value = getattr(page, name, None)
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime.combine(value, time.min, tzinfo=BERLIN)
    return page.last_published_at or page.first_published_at


def page_entry(page, *, member: Member | None, schema_name: str) -> SearchEntry:
    """The index row of ``page`` (its specific instance, in its own schema)."""
    fields = _searched_fields(page)
    teaser_field = next((name for name in TEASER_FIELDS if _has_text(page, name)), None)
    body = [_field_text(page, name) for name in fields if name != teaser_field]
    return SearchEntry(
        member=member,
        schema_name=schema_name,
        page_id=page.pk,
        translation_key=page.translation_key,
        language=page.locale.language_code,
        page_type=page.specific_class._meta.label_lower,
        title=page.title[:255],
        teaser=_field_text(page, teaser_field) if teaser_field else "",
        body=" ".join(part for part in body if part),
        documents=" ".join(page_documents(page)),
        url=page.full_url,
        date=_page_date(page),
    )


def _has_text(page, name: str) -> bool:
    try:
        page._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(str(getattr(page, name) or "").strip())


# --- Which pages -------------------------------------------------------------------------


def _unsearched_type_ids() -> list[int]:
    """Content types of page types that say ``in_network_search = False`` (every site's
    imprint and privacy policy would otherwise crowd out real answers)."""
    models = [model for model in get_page_models() if not getattr(model, "in_network_search", True)]
    if not models:
        return []
    return [
        content_type.pk for content_type in ContentType.objects.get_for_models(*models).values()
    ]


def visible_pages(translation_key: uuid.UUID | None = None):
    """The current schema's pages a visitor can see and the search lists, as their
    specific types."""
    pages = Page.objects.live().public().filter(depth__gt=1, alias_of__isnull=True)
    pages = pages.exclude(content_type_id__in=_unsearched_type_ids())
    if translation_key is not None:
        pages = pages.filter(translation_key=translation_key)
    return pages.specific()


def _site_entries(member: Member | None, schema_name: str, pages) -> list[SearchEntry]:
    """The rows of ``pages`` (of the current schema). The schema's locales and its sites'
    root paths (for the pages' addresses) are read once, not once per page: the specific
    pages come from one query per type, without the base query's joins."""
    locales = dict(Locale.objects.values_list("pk", "language_code"))
    root_paths = Site.get_site_root_paths()
    entries = []
    for page in pages:
        page.locale = Locale(pk=page.locale_id, language_code=locales[page.locale_id])
        page._wagtail_cached_site_root_paths = root_paths  # where Wagtail caches them
        try:
            entry = page_entry(page, member=member, schema_name=schema_name)
        except Exception:
            logger.exception("Search index: page %s of %s skipped", page.pk, schema_name)
            continue
        if entry.url:  # None: the page is below no Site (nothing a visitor reaches)
            entries.append(entry)
    return entries


# --- Writing -----------------------------------------------------------------------------

UPDATED_FIELDS = [
    "member",
    "translation_key",
    "language",
    "page_type",
    "title",
    "teaser",
    "body",
    "documents",
    "url",
    "date",
    "indexed_at",
]


def _write(schema_name: str, entries: list[SearchEntry], scope: dict) -> IndexReport:
    """Replace the rows of ``schema_name`` within ``scope`` (all, or one translation
    group) by ``entries``, in the public schema, in one transaction."""
    with schema_context(settings.PUBLIC_SCHEMA_NAME), transaction.atomic():
        stale = SearchEntry.objects.filter(schema_name=schema_name, **scope).exclude(
            page_id__in=[entry.page_id for entry in entries]
        )
        removed = stale.delete()[0]
        SearchEntry.objects.bulk_create(
            entries,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["schema_name", "page_id"],
            update_fields=UPDATED_FIELDS,
        )
    return IndexReport(written=len(entries), removed=removed)


def site_member(schema_name: str) -> Member | None:
    """The active member of ``schema_name``; None for the network. Anything else (the
    template, an archived or unknown member) is refused."""
    if schema_name == settings.PUBLIC_SCHEMA_NAME:
        return None
    member = Member.objects.active().filter(schema_name=schema_name).first()
    if member is None:
        raise UnknownSite(f"Keine aktive Website mit dem Schema „{schema_name}“.")
    return member


def site_index(schema_name: str) -> IndexReport:
    """Index every visible page of one site afresh; its rows of pages that are gone,
    private, unpublished or moved out of the site are removed."""
    member = site_member(schema_name)
    with schema_context(schema_name):
        entries = _site_entries(member, schema_name, visible_pages())
    return _write(schema_name, entries, {})


def page_group_index(schema_name: str, translation_key: uuid.UUID | str) -> IndexReport:
    """Index one page and its translations (one translation group) of one site, as they
    are now: a deleted, unpublished or private page leaves the index at once."""
    member = site_member(schema_name)
    key = uuid.UUID(str(translation_key))
    with schema_context(schema_name):
        entries = _site_entries(member, schema_name, visible_pages(key))
    return _write(schema_name, entries, {"translation_key": key})


def site_unindex(schema_name: str) -> int:
    """Remove a site's rows (an archived or deleted member)."""
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        return SearchEntry.objects.filter(schema_name=schema_name).delete()[0]


def index_sites(member_slug: str | None = None) -> list[str]:
    """The schemas a full rebuild visits: the network and every active member, or the
    one member named."""
    if member_slug is not None:
        member = Member.objects.active().filter(slug=member_slug).first()
        if member is None:
            raise UnknownSite(f"Kein aktives Mitglied „{member_slug}“.")
        return [member.schema_name]
    schemas = Member.objects.active().order_by("schema_name").values_list("schema_name", flat=True)
    return [settings.PUBLIC_SCHEMA_NAME, *schemas]


def index_rebuild(
    member_slug: str | None = None, *, done: Callable[[str, IndexReport], None] = lambda *a: None
) -> IndexReport:
    """Rebuild the index of every site (or one member); rows of archived or deleted
    members are removed, and the index's word list is made anew. ``done`` is called
    after each site (progress)."""
    connection.set_schema_to_public()
    report = IndexReport()
    for schema_name in index_sites(member_slug):
        try:
            site_report = site_index(schema_name)
        except Exception:
            logger.exception("Search index: schema %s skipped", schema_name)
            site_report = IndexReport()
        report.add(site_report)
        done(schema_name, site_report)
    if member_slug is None:
        active = {settings.PUBLIC_SCHEMA_NAME, *index_sites()}
        with schema_context(settings.PUBLIC_SCHEMA_NAME):
            gone = SearchEntry.objects.exclude(schema_name__in=active)
            report.removed += gone.delete()[0]
    search_words_refresh()  # the words typos are matched against
    with schema_context(settings.PUBLIC_SCHEMA_NAME), connection.cursor() as cursor:
        # fresh statistics for the planner: after a rebuild it would plan on none
        cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}, {SearchWord._meta.db_table}")
    return report
