"""Bring member proposals into the public Highlight table.

One code path serves both the per-page pipeline (a Celery task after each publish,
unpublish, move or delete, for the page's translation group) and the periodic
reconciliation: a set-based query reads the proposals of many member schemas at once
(``UNION ALL``, 50 schemas a statement, names quoted), Python groups them by translation
group (a page and its wagtail-localize translations share ``translation_key``), and one
``INSERT … ON CONFLICT (member_id, translation_key)`` writes one row per group. Reads
member schemas, writes the public schema; never switches the connection's schema.
Running it twice changes nothing.

A group's row describes its original: the page in ``settings.LANGUAGE_CODE`` if that one
is live and proposed, else the group's lowest page id. The group's other live proposed
pages go into ``translations`` (title, teaser and URL per language code). Aliases are no
proposals: an alias in another locale is wagtail-localize's untranslated placeholder (the
source's text under another language's URL), one in the same locale a second address.

Curation state is the editors': an update keeps ``state`` and marks approved or featured
rows ``changed_since_approval`` when their content or one of their translations changed.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import quote_schema_name
from psycopg2.extras import Json, execute_values

from tenants.models import Member

logger = logging.getLogger(__name__)

CHUNK = 50
HIGHLIGHT_MEDIA = "highlights"

# (page type, specific table, teaser expression, image expression, event columns)
_SOURCES = [
    ("news", "members_membernewspage", "COALESCE(NULLIF(x.highlight_teaser, ''), x.teaser)",
     "COALESCE(x.highlight_image_id, x.image_id)", "NULL::timestamptz, NULL::timestamptz"),
    ("event", "members_membereventpage", "COALESCE(NULLIF(x.highlight_teaser, ''), x.teaser)",
     "COALESCE(x.highlight_image_id, x.image_id)", 'x.start, x."end"'),
    ("profile", "members_profilepage", "COALESCE(NULLIF(x.highlight_teaser, ''), x.lead)",
     "x.highlight_image_id", "NULL::timestamptz, NULL::timestamptz"),
]  # fmt: skip


class UnknownSchema(ValueError):
    """A task named a schema that is no (active) member: refuse instead of guessing."""


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    members: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self):
        text = (
            f"{self.members} Mitglieder: {self.created} neu, {self.updated} geändert, "
            f"{self.removed} entfernt"
        )
        if self.skipped:
            text += f"; übersprungen (Schema defekt): {', '.join(self.skipped)}"
        return text


# One proposed page as _proposals_sql selects it.
Proposal = namedtuple(
    "Proposal",
    "schema page_id translation_key kind title teaser url_path language published image alt "
    "start end",
)


def _proposals_sql(schema: str, one_group: bool) -> str:
    s = quote_schema_name(schema)
    group_filter = " AND p.translation_key = %s::uuid" if one_group else ""
    parts = []
    for kind, table, teaser, image, event in _SOURCES:
        parts.append(
            f"SELECT %s, p.id, p.translation_key, '{kind}', p.title, {teaser}, p.url_path, "  # noqa: S608
            f"l.language_code, p.last_published_at, img.file, img.description, {event} "
            f"FROM {s}.{table} x JOIN {s}.wagtailcore_page p ON p.id = x.page_ptr_id "
            f"JOIN {s}.wagtailcore_locale l ON l.id = p.locale_id "
            f"LEFT JOIN {s}.wagtailimages_image img ON img.id = {image} "
            f"WHERE x.propose_highlight AND p.live AND p.alias_of_id IS NULL{group_filter} "
            "AND NOT EXISTS ("
            f"SELECT 1 FROM {s}.wagtailcore_pageviewrestriction r "
            f"JOIN {s}.wagtailcore_page rp ON rp.id = r.page_id WHERE p.path LIKE rp.path || '%%')"
        )
    return " UNION ALL ".join(parts)


def _read_proposals(members: list[Member], translation_key: str | None) -> list[Proposal]:
    params, statements = [], []
    for member in members:
        statements.append(_proposals_sql(member.schema_name, translation_key is not None))
        per_source = [member.schema_name] + ([translation_key] if translation_key else [])
        params += per_source * len(_SOURCES)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        return [Proposal._make(row) for row in cursor.fetchall()]


def _public_image(schema: str, stored_name: str | None) -> str:
    """Link the member's original image into public media so the network host serves it."""
    if not stored_name:
        return ""
    source = Path(settings.MEDIA_ROOT) / schema / stored_name
    relative = PurePosixPath(
        settings.PUBLIC_SCHEMA_NAME, HIGHLIGHT_MEDIA, schema, PurePosixPath(stored_name).name
    )
    target = Path(settings.MEDIA_ROOT) / relative
    if not target.exists() and source.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
    return f"{settings.MEDIA_URL}{relative}" if target.exists() else ""


def _page_url(member: Member, url_path: str, language: str) -> str:
    """The page on the member's own host, below its language's prefix: url_path without
    the segment of the home page (each language has its own home)."""
    relative = "/".join(url_path.strip("/").split("/")[1:])
    return f"{member.url}{language}/{relative}/" if relative else f"{member.url}{language}/"


def _original(pages: list[Proposal]) -> Proposal:
    """The page a group's row describes: the default language's, else the lowest id."""
    return min(pages, key=lambda p: (p.language != settings.LANGUAGE_CODE, p.page_id))


def _rows(members_by_schema: dict[str, Member], proposals: list[Proposal]) -> list[tuple]:
    """One row per translation group, in the column order of _UPSERT."""
    groups = defaultdict(list)
    for proposal in proposals:
        groups[(proposal.schema, proposal.translation_key)].append(proposal)
    rows = []
    for (schema, translation_key), pages in groups.items():
        member = members_by_schema[schema]
        page = _original(pages)
        translations = {
            other.language: {
                "title": other.title[:255],
                "teaser": other.teaser or "",
                "url": _page_url(member, other.url_path, other.language),
            }
            for other in pages
            if other is not page
        }
        url = _page_url(member, page.url_path, page.language)
        rows.append(
            (
                member.pk, str(translation_key), page.page_id, page.language, page.kind,
                page.title[:255], page.teaser or "", url, _public_image(schema, page.image),
                (page.alt or "")[:255], page.start, page.end, page.published, Json(translations),
            )
        )  # fmt: skip
    return rows


_UPSERT = """
    INSERT INTO highlights_highlight AS h (
        member_id, translation_key, source_page_id, locale, page_type, title, teaser, url,
        image_url, image_alt, event_start, event_end, last_published_at, translations,
        state, changed_since_approval, sort_order, created, updated
    ) VALUES %s
    ON CONFLICT (member_id, translation_key) DO UPDATE SET
        source_page_id = EXCLUDED.source_page_id, locale = EXCLUDED.locale,
        page_type = EXCLUDED.page_type, title = EXCLUDED.title, teaser = EXCLUDED.teaser,
        url = EXCLUDED.url, image_url = EXCLUDED.image_url, image_alt = EXCLUDED.image_alt,
        event_start = EXCLUDED.event_start, event_end = EXCLUDED.event_end,
        last_published_at = EXCLUDED.last_published_at, translations = EXCLUDED.translations,
        changed_since_approval = h.changed_since_approval OR h.state IN ('approved', 'featured'),
        updated = now()
    WHERE (h.source_page_id, h.locale, h.page_type, h.title, h.teaser, h.url, h.image_url,
           h.image_alt, h.event_start, h.event_end, h.last_published_at, h.translations)
      IS DISTINCT FROM (EXCLUDED.source_page_id, EXCLUDED.locale, EXCLUDED.page_type,
           EXCLUDED.title, EXCLUDED.teaser, EXCLUDED.url, EXCLUDED.image_url,
           EXCLUDED.image_alt, EXCLUDED.event_start, EXCLUDED.event_end,
           EXCLUDED.last_published_at, EXCLUDED.translations)
    RETURNING (xmax = 0)
"""
_ROW_TEMPLATE = (
    "(%s, %s::uuid, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, "
    "'proposed', false, 0, now(), now())"
)


def _write(
    report: SyncReport, members: list[Member], rows: list[tuple], translation_key: str | None
) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if rows:
            inserted = execute_values(cursor, _UPSERT, rows, template=_ROW_TEMPLATE, fetch=True)
            created = sum(1 for (is_new,) in inserted if is_new)
            report.created += created
            report.updated += len(inserted) - created
        only_group = " AND translation_key = %s::uuid" if translation_key else ""
        cursor.execute(
            f"DELETE FROM highlights_highlight WHERE member_id = ANY(%s){only_group} "  # noqa: S608
            "AND (member_id, translation_key) NOT IN "
            "(SELECT * FROM unnest(%s::bigint[], %s::uuid[]))",
            [
                [m.pk for m in members],
                *([translation_key] if translation_key else []),
                [row[0] for row in rows],
                [row[1] for row in rows],
            ],
        )
        report.removed += cursor.rowcount


def _sync_chunk(report: SyncReport, members: list[Member], translation_key: str | None) -> None:
    """Read and write one chunk; a failing chunk is retried schema by schema."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Parallel plans cost 3-6x more than they save on these small UNION ALL reads.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            proposals = _read_proposals(members, translation_key)
    except Exception:
        if len(members) == 1:
            logger.exception("Highlights: schema %s is broken, skipped", members[0].schema_name)
            report.skipped.append(members[0].slug)
            return
        for member in members:
            _sync_chunk(report, [member], translation_key)
        return
    rows = _rows({m.schema_name: m for m in members}, proposals)
    _write(report, members, rows, translation_key)
    report.members += len(members)


def highlights_sync(
    members: list[Member] | None = None,
    *,
    translation_key: uuid.UUID | str | None = None,
    chunk: int = CHUNK,
) -> SyncReport:
    """Make the Highlight rows of ``members`` (default: all active members) match their
    published proposals; with ``translation_key`` only that translation group of the one
    member given (a page and its translations)."""
    connection.set_schema_to_public()
    if members is None:
        members = list(Member.objects.active().prefetch_related("domains").order_by("schema_name"))
    key = str(uuid.UUID(str(translation_key))) if translation_key is not None else None
    report = SyncReport()
    for start in range(0, len(members), chunk):
        _sync_chunk(report, members[start : start + chunk], key)
    return report


def member_for_schema(schema_name: str) -> Member:
    member = (
        Member.objects.members().prefetch_related("domains").filter(schema_name=schema_name).first()
    )
    if member is None:
        raise UnknownSchema(f"Kein Mitglied mit dem Schema „{schema_name}“.")
    return member


def highlight_sync_page(schema_name: str, translation_key: uuid.UUID | str) -> SyncReport:
    """The pipeline's unit of work: the translation group of one page of one member, after
    its transaction committed. The group is named by its key because a deleted page can
    no longer be looked up. An unknown schema raises UnknownSchema, a malformed key
    ValueError, both before anything is read or written."""
    member = member_for_schema(schema_name)
    return highlights_sync([member], translation_key=uuid.UUID(str(translation_key)))
