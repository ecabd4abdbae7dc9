"""Copies of member content in the public schema, and the central editors' curation.

**The copy pipeline.** Member pages offer content to the network
(``sites.members.offers``): proposed highlights, and the profile for the member
directory. Each kind is a *channel* with a public table, and every channel is copied
the same way:

1. A page is published, unpublished, moved or deleted in a member's schema (or one of
   its images changes): ``signals`` captures the schema and the page's translation
   group and, after the transaction commits, sends a Celery task naming both
   (``tasks.sync_page``; ``tasks.sync_member`` for images).
2. The task calls :func:`member_content_sync_page`: set-based SQL reads what the member
   offers (``sources``), and one upsert and one delete per channel make the public rows
   equal to it. Page URLs are computed by Wagtail in the member's schema; images get a
   teaser-sized public copy (``images``), and copies no row names any more are removed.
3. Celery beat runs :func:`member_content_sync` over all active members every
   ``HIGHLIGHTS_RECONCILE_SECONDS``: the same reads and writes, 50 schemas a statement,
   which heals whatever a lost task missed. A broken member schema is logged and
   skipped; the others are synced.

Running any of it twice changes nothing. Reads member schemas, writes the public schema.

**Highlights** get one row per translation group (a page and its wagtail-localize
translations, same ``translation_key``). The row describes the group's original: the
page in ``settings.LANGUAGE_CODE`` if that one is proposed, else the group's lowest page
id; the others go into ``translations`` (title, teaser and URL per language). The
curation state is the editors': an update keeps it and marks approved or featured rows
``changed_since_approval`` when what the member wrote changed. **Directory entries**:
one row per member, from its live, public profile in ``settings.LANGUAGE_CODE``.

**Curation** (:func:`highlight_curate`) is the one way state, order and the reviewed flag
change: the admin's bulk actions and edit form and the demo builder call it.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from psycopg2 import sql
from psycopg2.extras import Json, execute_values
from wagtail.log_actions import log
from wagtail.models import Page, Site

from core import pagecache
from sites.highlights import sources
from sites.highlights.images import highlight_copies_sweep, highlight_copy_ensure
from sites.highlights.models import DirectoryEntry, Highlight
from sites.members.offers import DIRECTORY_OFFER
from tenants.models import MEMBERS_TOPIC, Member

logger = logging.getLogger(__name__)

CHUNK = 50
HIGHLIGHTS = "highlights"
DIRECTORY = "directory"
CHANNELS = (HIGHLIGHTS, DIRECTORY)
# Page cache topic (core.pagecache) of the network pages that show highlights.
HIGHLIGHTS_TOPIC = "highlights"
# What a change of each channel shows on: the directory shows the members' profiles.
CHANNEL_TOPICS = {HIGHLIGHTS: HIGHLIGHTS_TOPIC, DIRECTORY: MEMBERS_TOPIC}


class UnknownSchema(ValueError):
    """A task named a schema that is no member: refuse instead of guessing."""


@dataclass
class ChannelReport:
    """Rows created, updated and removed from the network (a highlight is withdrawn, a
    directory entry deleted); ``purged``: withdrawn highlights deleted after their time."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    purged: int = 0

    @property
    def counts(self) -> tuple[int, int, int]:
        """(created, updated, removed)"""
        return (self.created, self.updated, self.removed)

    def add(self, other: ChannelReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.removed += other.removed
        self.purged += other.purged

    def __str__(self):
        text = f"{self.created} neu, {self.updated} geändert, {self.removed} entfernt"
        return text + (f", {self.purged} endgültig gelöscht" if self.purged else "")


CHANNEL_LABELS = {HIGHLIGHTS: "Highlights", DIRECTORY: "Verzeichnis"}


@dataclass
class SyncReport:
    """What one sync changed, per channel, and which members it skipped (broken schema or
    rows the public tables refuse; the log says why)."""

    channels: dict[str, ChannelReport]
    members: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def highlights(self) -> ChannelReport:
        return self.channels[HIGHLIGHTS]

    @property
    def directory(self) -> ChannelReport:
        return self.channels[DIRECTORY]

    def __str__(self):
        parts = "; ".join(f"{CHANNEL_LABELS[name]} {c}" for name, c in self.channels.items())
        text = f"{self.members} Mitglieder – {parts}"
        if self.skipped:
            text += f"; übersprungen (Fehler, siehe Log): {', '.join(self.skipped)}"
        return text


# --- Shared by the channels --------------------------------------------------------------


def _full_urls(schema: str, pages: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Public URL of each page (``(id, url_path)`` pairs, as read) by id, as Wagtail
    computes it in the member's schema: its Site's host and port, the language prefix
    of the home it hangs below.

    The schema's site root paths come from Wagtail's cache, so this costs no query once
    they are cached; the pages themselves are not loaded again.
    """
    urls, stand_in = {}, None
    with schema_context(schema):
        for page_id, url_path in pages:
            if stand_in is None:
                # One page object stands in for all: Wagtail's URL needs only the url_path,
                # and building a model instance per row would cost more than the URLs.
                stand_in = Page(id=page_id)
                stand_in._wagtail_cached_site_root_paths = Site.get_site_root_paths()
            stand_in.id, stand_in.url_path = page_id, url_path
            urls[page_id] = stand_in.get_full_url() or ""
    return urls


def _upserted(report: ChannelReport, inserted: list[tuple[bool]]) -> None:
    created = sum(1 for (is_new,) in inserted if is_new)
    report.created += created
    report.updated += len(inserted) - created


# --- Highlights ---------------------------------------------------------------------------

# The columns that say what the member wrote; a change to one of them is a change an
# editor must review. The image copy is ours (its size may change), its source is theirs.
_MEMBER_CONTENT = (
    "source_page_id", "locale", "page_type", "title", "teaser", "image_source",
    "image_alt", "event_start", "event_end", "translations",
)  # fmt: skip
# What the network keeps showing while a member's change waits for review.
_HELD = (*_MEMBER_CONTENT, "image")
# Where the page is and when it was published always go live: a held address would be
# a dead link after a move.
_ALWAYS_LIVE = ("url", "last_published_at")

# An update *holds* when the row is shown, the network does not trust members' edits and
# what the member wrote changed: the shown columns stay, the new content waits in
# ``pending``. Otherwise the new content goes live (and a waiting change is dropped).
# A withdrawn row that is offered again comes back with its curation.
_HIGHLIGHT_UPSERT = sql.SQL(
    """
    INSERT INTO highlights_highlight AS h (
        member_id, translation_key, source_page_id, locale, page_type, title, teaser, url,
        image_source, image, image_alt, event_start, event_end, last_published_at,
        translations, state, changed_since_approval, pending, withdrawn_at, sort_order,
        created, updated
    ) VALUES %s
    ON CONFLICT (member_id, translation_key) DO UPDATE SET
        {kept_or_new}, url = EXCLUDED.url, last_published_at = EXCLUDED.last_published_at,
        pending = CASE WHEN {hold} THEN {new_pending} END,
        changed_since_approval = {hold} OR (
            {trust} AND (h.changed_since_approval OR (h.state = ANY({shown}) AND {changed}))
        ),
        withdrawn_at = NULL,
        updated = now()
    WHERE h.withdrawn_at IS NOT NULL OR ({live}) IS DISTINCT FROM ({excluded_live}) OR CASE
        WHEN {hold} THEN h.pending IS DISTINCT FROM {new_pending}
        ELSE h.pending IS NOT NULL OR ({held}) IS DISTINCT FROM ({excluded_held})
    END
    RETURNING (xmax = 0)
    """
)
_HIGHLIGHT_ROW = sql.SQL(
    "(%s, %s::uuid, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, "
    "{proposed}, false, NULL, NULL, 0, now(), now())"
)


def _columns(alias: str, names: Iterable[str]) -> sql.Composed:
    return sql.SQL(", ").join(sql.Identifier(alias, name) for name in names)


def _highlight_upsert_sql(cursor) -> tuple[str, str]:
    """The upsert and its row template, with states and the trust setting as quoted values."""
    shown = sql.Literal([str(state) for state in Highlight.SHOWN_STATES])
    trust = sql.Literal(bool(settings.HIGHLIGHTS_TRUST_MEMBER_EDITS))
    changed = sql.SQL("({}) IS DISTINCT FROM ({})").format(
        _columns("h", _MEMBER_CONTENT), _columns("excluded", _MEMBER_CONTENT)
    )
    hold = sql.SQL("(h.state = ANY({shown}) AND NOT {trust} AND {changed})").format(
        shown=shown, trust=trust, changed=changed
    )
    upsert = _HIGHLIGHT_UPSERT.format(
        kept_or_new=sql.SQL(", ").join(
            sql.SQL("{name} = CASE WHEN {hold} THEN {kept} ELSE {new} END").format(
                name=sql.Identifier(name),
                hold=hold,
                kept=sql.Identifier("h", name),
                new=sql.Identifier("excluded", name),
            )
            for name in _HELD
        ),
        hold=hold,
        new_pending=sql.SQL("jsonb_build_object({})").format(
            sql.SQL(", ").join(
                sql.SQL("{}, {}").format(sql.Literal(name), sql.Identifier("excluded", name))
                for name in _HELD
            )
        ),
        trust=trust,
        shown=shown,
        changed=changed,
        held=_columns("h", _HELD),
        excluded_held=_columns("excluded", _HELD),
        live=_columns("h", _ALWAYS_LIVE),
        excluded_live=_columns("excluded", _ALWAYS_LIVE),
    )
    row = _HIGHLIGHT_ROW.format(proposed=sql.Literal(str(Highlight.State.PROPOSED)))
    return upsert.as_string(cursor.connection), row.as_string(cursor.connection)


def _original(pages: list[sources.Proposal]) -> sources.Proposal:
    """The page a group's row describes: the default language's, else the lowest id."""
    return min(pages, key=lambda p: (p.language != settings.LANGUAGE_CODE, p.page_id))


def _highlight_rows(members: list[Member], proposals: list) -> list[tuple]:
    """One row per translation group, in the column order of the upsert."""
    by_schema = {m.schema_name: m for m in members}
    groups, images, pages_of = defaultdict(list), {}, defaultdict(list)
    for proposal, image in proposals:
        groups[(proposal.schema, proposal.translation_key)].append(proposal)
        images[(proposal.schema, proposal.page_id)] = image
        pages_of[proposal.schema].append((proposal.page_id, proposal.url_path))
    urls = {schema: _full_urls(schema, pages) for schema, pages in pages_of.items()}
    rows = []
    for (schema, translation_key), pages in groups.items():
        page = _original(pages)
        url_of = urls[schema]
        translations = {
            other.language: {
                "title": other.title[:255],
                "teaser": other.teaser or "",
                "url": url_of[other.page_id],
            }
            for other in pages
            if other is not page
        }
        image = images[(schema, page.page_id)]
        rows.append(
            (
                by_schema[schema].pk, str(translation_key), page.page_id, page.language,
                page.kind, page.title[:255], page.teaser or "", url_of[page.page_id],
                image.file if image else "", highlight_copy_ensure(schema, image),
                ((image.description if image else "") or "")[:255], page.start, page.end,
                page.published, Json(translations),
            )
        )  # fmt: skip
    return rows


def _highlights_write(
    report: ChannelReport, members: list[Member], proposals: list, translation_key: str | None
) -> None:
    rows = _highlight_rows(members, proposals)
    with transaction.atomic(), connection.cursor() as cursor:
        if rows:
            upsert, template = _highlight_upsert_sql(cursor)
            _upserted(report, execute_values(cursor, upsert, rows, template=template, fetch=True))
        # Rows whose source left are withdrawn, not deleted: their curation stays.
        only_group = " AND translation_key = %s::uuid" if translation_key else ""
        cursor.execute(
            "UPDATE highlights_highlight SET withdrawn_at = now(), updated = now() "  # noqa: S608
            f"WHERE member_id = ANY(%s){only_group} AND withdrawn_at IS NULL "
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
    # Copies no row names any more (changed or deleted images) go too.
    transaction.on_commit(partial(highlight_copies_sweep, [m.schema_name for m in members]))


# --- Directory ----------------------------------------------------------------------------


def _directory_upsert_sql(cursor) -> tuple[str, str, list[str]]:
    """Upsert and row template of directory entries, and the entry fields copied from
    the profile (the member side's ``DIRECTORY_OFFER`` names them)."""
    copied = [entry for entry, _source in DIRECTORY_OFFER.fields]
    columns = [DirectoryEntry._meta.get_field(name).column for name in [*copied, "facts"]]
    columns.append(DirectoryEntry._meta.get_field("profile_url").column)

    def joined(alias: str):
        return sql.SQL(", ").join(sql.Identifier(alias, column) for column in columns)

    upsert = sql.SQL(
        "INSERT INTO highlights_directoryentry AS d (member_id, {columns}, updated) VALUES %s "
        "ON CONFLICT (member_id) DO UPDATE SET ({columns}, updated) = ({excluded}, now()) "
        "WHERE ({current}) IS DISTINCT FROM ({excluded}) RETURNING (xmax = 0)"
    ).format(
        columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
        excluded=joined("excluded"),
        current=joined("d"),
    )
    row = f"(%s, {', '.join(['%s'] * len(copied))}, %s::jsonb, %s, now())"
    return upsert.as_string(cursor.connection), row, copied


def _facts(stream) -> list[dict]:
    """Label and value of each fact of a profile's facts StreamField (stored JSON)."""
    blocks = json.loads(stream) if isinstance(stream, str) else stream or []
    return [
        {"label": block["value"].get("label", ""), "value": block["value"].get("value", "")}
        for block in blocks
        if isinstance(block.get("value"), dict)
    ]


def _directory_write(
    report: ChannelReport, members: list[Member], profiles: list, translation_key: str | None
) -> None:
    """A member's entry is its whole profile, so a page's group key does not narrow it."""
    by_schema = {m.schema_name: m for m in members}
    with transaction.atomic(), connection.cursor() as cursor:
        upsert, template, copied = _directory_upsert_sql(cursor)
        # an empty profile field: NULL where the entry's column allows it (coordinates)
        empty = {name: None if DirectoryEntry._meta.get_field(name).null else "" for name in copied}
        rows = []
        for profile in profiles:
            url = _full_urls(profile.schema, [(profile.page_id, profile.url_path)])[profile.page_id]
            fields = [
                empty[name] if profile.fields[name] is None else profile.fields[name]
                for name in copied
            ]
            rows.append((by_schema[profile.schema].pk, *fields, Json(_facts(profile.facts)), url))
        if rows:
            _upserted(report, execute_values(cursor, upsert, rows, template=template, fetch=True))
        cursor.execute(
            "DELETE FROM highlights_directoryentry WHERE member_id = ANY(%s) "
            "AND NOT member_id = ANY(%s)",
            [[m.pk for m in members], [row[0] for row in rows]],
        )
        report.removed += cursor.rowcount


# --- The sync -----------------------------------------------------------------------------

_READERS = {
    HIGHLIGHTS: sources.highlight_proposals,
    DIRECTORY: lambda schemas, translation_key: sources.directory_profiles(schemas),
}
_WRITERS = {HIGHLIGHTS: _highlights_write, DIRECTORY: _directory_write}


def _sync_chunk(report: SyncReport, members: list[Member], translation_key: str | None) -> None:
    """Read and write one chunk in one transaction. A chunk that fails (a broken schema,
    or a row the public table refuses, such as a URL longer than its column) is retried
    member by member, so one member's bad data never stops the others."""
    schemas = [m.schema_name for m in members]
    done = {name: ChannelReport() for name in report.channels}
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Parallel plans cost 3-6x more than they save on these small UNION ALL reads.
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            offered = {name: _READERS[name](schemas, translation_key) for name in done}
            for name, channel in done.items():
                _WRITERS[name](channel, members, offered[name], translation_key)
                if any(channel.counts):
                    pagecache.purge_topic(CHANNEL_TOPICS[name])
    except Exception:
        if len(members) > 1:
            for member in members:
                _sync_chunk(report, [member], translation_key)
            return
        logger.exception(
            "Member content: schema %s skipped (broken schema or bad data); "
            "the other members are synced",
            schemas[0],
        )
        report.skipped.append(members[0].slug)
        highlight_copies_sweep(schemas)  # copies made for the rows that were not written
        return
    for name, channel in done.items():
        report.channels[name].add(channel)
    report.members += len(members)


def _withdrawn_purge(report: SyncReport, members: list[Member]) -> None:
    """Delete the highlights withdrawn longer than ``HIGHLIGHTS_WITHDRAWN_KEEP_DAYS`` ago."""
    cutoff = timezone.now() - timedelta(days=settings.HIGHLIGHTS_WITHDRAWN_KEEP_DAYS)
    expired = Highlight.objects.filter(member__in=members, withdrawn_at__lt=cutoff)
    deleted = expired.delete()[0]
    if deleted:
        pagecache.purge_topic(HIGHLIGHTS_TOPIC)
    report.highlights.purged += deleted


def member_content_sync(
    members: list[Member] | None = None,
    *,
    translation_key: uuid.UUID | str | None = None,
    channels: Iterable[str] = CHANNELS,
    chunk: int = CHUNK,
) -> SyncReport:
    """Make the public copies of ``members`` (default: all active members) match what
    they offer: highlights and directory entries, or the ``channels`` named. With
    ``translation_key``, highlights of that translation group of the one member given."""
    connection.set_schema_to_public()
    if members is None:
        members = list(Member.objects.active().order_by("schema_name"))
    key = str(uuid.UUID(str(translation_key))) if translation_key is not None else None
    report = SyncReport(channels={name: ChannelReport() for name in channels})
    for start in range(0, len(members), chunk):
        _sync_chunk(report, members[start : start + chunk], key)
    if key is None and HIGHLIGHTS in report.channels:
        _withdrawn_purge(report, members)
    return report


def member_for_schema(schema_name: str) -> Member:
    member = Member.objects.members().filter(schema_name=schema_name).first()
    if member is None:
        raise UnknownSchema(f"Kein Mitglied mit dem Schema „{schema_name}“.")
    return member


def member_content_sync_page(
    schema_name: str, translation_key: uuid.UUID | str, channels: Iterable[str] = CHANNELS
) -> SyncReport:
    """The pipeline's unit of work: the translation group of one page of one member, after
    its transaction committed. The group is named by its key because a deleted page can
    no longer be looked up. An unknown schema raises UnknownSchema, a malformed key
    ValueError, both before anything is read or written."""
    member = member_for_schema(schema_name)
    key = uuid.UUID(str(translation_key))
    return member_content_sync([member], translation_key=key, channels=channels)


def member_content_sync_member(schema_name: str, channels: Iterable[str] = CHANNELS) -> SyncReport:
    """Everything one member offers (after one of its images changed, say)."""
    return member_content_sync([member_for_schema(schema_name)], channels=channels)


# --- Curation ----------------------------------------------------------------------------


def highlight_curate(
    highlights: Iterable[Highlight],
    *,
    state: str,
    sort_order: int | None = None,
    note: str | None = None,
    user=None,
) -> int:
    """Set the curation state of ``highlights``, in one transaction; returns how many.

    Approving or featuring a row means an editor has looked at its current content, so
    its "changed since approval" flag is cleared, except where a member's change still
    waits (only :func:`highlight_change_accept` takes that). Rows that become featured go
    to the end of the featured order, in the order given, unless ``sort_order`` is given
    (the edit form's explicit position). Each row gets a log entry naming ``user``.

    ``note`` is the editors' message to the member (the edit form's field; "" removes
    it); it is dated when its text changes. Without one (bulk actions), a row whose
    state changes loses its old note: a note explains the decision it came with.
    """
    if state not in Highlight.State.values:
        raise ValueError(_("Unbekannter Status „%(state)s“.") % {"state": state})
    rows = list(highlights)
    selected = Highlight.objects.filter(pk__in=[row.pk for row in rows])
    now = timezone.now()
    changes = {"state": state, "updated": now}
    with transaction.atomic():
        if sort_order is not None:
            changes["sort_order"] = sort_order
        elif state == Highlight.State.FEATURED:
            _append_to_featured_order([row for row in rows if row.state != state])
        if note is None:
            selected.exclude(state=state).update(editor_note="", editor_note_at=None)
        else:
            note = note.strip()
            selected.exclude(editor_note=note).update(
                editor_note=note, editor_note_at=now if note else None
            )
        count = selected.update(**changes)
        if state in Highlight.SHOWN_STATES:
            selected.filter(pending__isnull=True).update(changed_since_approval=False)
        pagecache.purge_topic(HIGHLIGHTS_TOPIC)
        for row in rows:
            log(instance=row, action="wagtail.edit", user=user)
    return count


def highlight_change_accept(highlights: Iterable[Highlight], *, user=None) -> int:
    """Put the members' waiting changes of ``highlights`` on the network; returns how
    many rows had one. Each gets a log entry naming ``user``."""
    accepted, schemas = 0, set()
    with transaction.atomic():
        waiting = Highlight.objects.select_for_update().filter(
            pk__in=[row.pk for row in highlights], pending__isnull=False
        )
        for row in waiting.select_related("member"):
            changed = [*row.pending, "pending", "changed_since_approval", "updated"]
            row.pending_apply()
            row.pending, row.changed_since_approval = None, False
            row.save(update_fields=changed)
            log(instance=row, action="wagtail.edit", user=user)
            accepted += 1
            schemas.add(row.member.schema_name)
        if accepted:
            pagecache.purge_topic(HIGHLIGHTS_TOPIC)
        # The copy of the image shown until now may be named by no row any more.
        transaction.on_commit(partial(highlight_copies_sweep, sorted(schemas)))
    return accepted


def _append_to_featured_order(rows: list[Highlight]) -> None:
    featured = Highlight.objects.filter(state=Highlight.State.FEATURED)
    last = featured.aggregate(last=Max("sort_order"))["last"] or 0
    for position, row in enumerate(rows, start=1):
        Highlight.objects.filter(pk=row.pk).update(sort_order=last + position)
