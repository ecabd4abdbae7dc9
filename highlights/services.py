"""Bring member proposals into the public Highlight table.

One code path serves both the per-page pipeline (a Celery task after each publish,
unpublish, move or delete) and the periodic reconciliation: a set-based query reads the
proposals of many member schemas at once (``UNION ALL``, 50 schemas a statement, names
quoted), and one ``INSERT … ON CONFLICT`` writes them. Reads member schemas, writes the
public schema; never switches the connection's schema. Running it twice changes nothing.

Curation state is the editors': an update keeps ``state`` and marks approved or featured
rows ``changed_since_approval`` when their content changed.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import quote_schema_name
from psycopg2.extras import execute_values

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


def _proposals_sql(schema: str, page_id: int | None) -> str:
    s = quote_schema_name(schema)
    page_filter = " AND p.id = %s" if page_id is not None else ""
    parts = []
    for kind, table, teaser, image, event in _SOURCES:
        parts.append(
            f"SELECT %s, p.id, '{kind}', p.title, {teaser}, p.url_path, l.language_code, "  # noqa: S608
            f"p.last_published_at, img.file, img.description, {event} "
            f"FROM {s}.{table} x JOIN {s}.wagtailcore_page p ON p.id = x.page_ptr_id "
            f"JOIN {s}.wagtailcore_locale l ON l.id = p.locale_id "
            f"LEFT JOIN {s}.wagtailimages_image img ON img.id = {image} "
            f"WHERE x.propose_highlight AND p.live{page_filter} AND NOT EXISTS ("
            f"SELECT 1 FROM {s}.wagtailcore_pageviewrestriction r "
            f"JOIN {s}.wagtailcore_page rp ON rp.id = r.page_id WHERE p.path LIKE rp.path || '%%')"
        )
    return " UNION ALL ".join(parts)


def _read_proposals(members: list[Member], page_id: int | None) -> list[tuple]:
    params, statements = [], []
    for member in members:
        statements.append(_proposals_sql(member.schema_name, page_id))
        per_source = [member.schema_name] + ([page_id] if page_id is not None else [])
        params += per_source * len(_SOURCES)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        return cursor.fetchall()


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


def _page_url(member: Member, url_path: str) -> str:
    """The page on the member's own host: url_path without the home page's segment."""
    relative = "/".join(url_path.strip("/").split("/")[1:])
    return f"{member.url}{relative}/" if relative else member.url


def _rows(members_by_schema: dict[str, Member], proposals: list[tuple]) -> list[tuple]:
    rows = []
    for (
        schema,
        page_id,
        kind,
        title,
        teaser,
        url_path,
        locale,
        published,
        image,
        alt,
        start,
        end,
    ) in proposals:
        member = members_by_schema[schema]
        rows.append(
            (
                member.pk, page_id, locale, kind, title[:255], teaser or "",
                _page_url(member, url_path), _public_image(schema, image), (alt or "")[:255],
                start, end, published,
            )
        )  # fmt: skip
    return rows


_UPSERT = """
    INSERT INTO highlights_highlight AS h (
        member_id, source_page_id, locale, page_type, title, teaser, url, image_url, image_alt,
        event_start, event_end, last_published_at,
        state, changed_since_approval, sort_order, created, updated
    ) VALUES %s
    ON CONFLICT (member_id, source_page_id) DO UPDATE SET
        locale = EXCLUDED.locale, page_type = EXCLUDED.page_type, title = EXCLUDED.title,
        teaser = EXCLUDED.teaser, url = EXCLUDED.url, image_url = EXCLUDED.image_url,
        image_alt = EXCLUDED.image_alt, event_start = EXCLUDED.event_start,
        event_end = EXCLUDED.event_end, last_published_at = EXCLUDED.last_published_at,
        changed_since_approval = h.changed_since_approval OR h.state IN ('approved', 'featured'),
        updated = now()
    WHERE (h.locale, h.page_type, h.title, h.teaser, h.url, h.image_url, h.image_alt,
           h.event_start, h.event_end, h.last_published_at)
      IS DISTINCT FROM (EXCLUDED.locale, EXCLUDED.page_type, EXCLUDED.title, EXCLUDED.teaser,
           EXCLUDED.url, EXCLUDED.image_url, EXCLUDED.image_alt, EXCLUDED.event_start,
           EXCLUDED.event_end, EXCLUDED.last_published_at)
    RETURNING (xmax = 0)
"""
_ROW_TEMPLATE = (
    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'proposed', false, 0, now(), now())"
)


def _write(
    report: SyncReport, members: list[Member], rows: list[tuple], page_id: int | None
) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if rows:
            inserted = execute_values(cursor, _UPSERT, rows, template=_ROW_TEMPLATE, fetch=True)
            created = sum(1 for (is_new,) in inserted if is_new)
            report.created += created
            report.updated += len(inserted) - created
        only_page = " AND source_page_id = %s" if page_id is not None else ""
        cursor.execute(
            f"DELETE FROM highlights_highlight WHERE member_id = ANY(%s){only_page} "  # noqa: S608
            "AND (member_id, source_page_id) NOT IN "
            "(SELECT * FROM unnest(%s::bigint[], %s::bigint[]))",
            [
                [m.pk for m in members],
                *([page_id] if page_id is not None else []),
                [row[0] for row in rows],
                [row[1] for row in rows],
            ],
        )
        report.removed += cursor.rowcount


def _sync_chunk(report: SyncReport, members: list[Member], page_id: int | None) -> None:
    """Read and write one chunk; a failing chunk is retried schema by schema."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Parallel plans cost 3-6x more than they save on these small UNION ALL reads.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            proposals = _read_proposals(members, page_id)
    except Exception:
        if len(members) == 1:
            logger.exception("Highlights: schema %s is broken, skipped", members[0].schema_name)
            report.skipped.append(members[0].slug)
            return
        for member in members:
            _sync_chunk(report, [member], page_id)
        return
    rows = _rows({m.schema_name: m for m in members}, proposals)
    _write(report, members, rows, page_id)
    report.members += len(members)


def highlights_sync(
    members: list[Member] | None = None, *, page_id: int | None = None, chunk: int = CHUNK
) -> SyncReport:
    """Make the Highlight rows of ``members`` (default: all active members) match their
    published proposals; with ``page_id`` only that page of the one member given."""
    connection.set_schema_to_public()
    if members is None:
        members = list(Member.objects.active().prefetch_related("domains").order_by("schema_name"))
    report = SyncReport()
    for start in range(0, len(members), chunk):
        _sync_chunk(report, members[start : start + chunk], page_id)
    return report


def member_for_schema(schema_name: str) -> Member:
    member = (
        Member.objects.members().prefetch_related("domains").filter(schema_name=schema_name).first()
    )
    if member is None:
        raise UnknownSchema(f"Kein Mitglied mit dem Schema „{schema_name}“.")
    return member


def highlight_sync_page(schema_name: str, page_id: int) -> SyncReport:
    """The pipeline's unit of work: one page of one member, after its transaction committed."""
    return highlights_sync([member_for_schema(schema_name)], page_id=page_id)
