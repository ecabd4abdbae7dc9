"""The search engine: queries over the network search index (``SearchEntry``) in PostgreSQL.

Everything a search page or the suggestion endpoint needs is here: ``search`` (results,
snippets, facets) and ``suggest`` (title suggestions). Both read the public table only, so
one query covers the network and every member; a microsite passes its member's id and
sees nothing of any other site. Archived members' rows are never returned, even before
the indexing pipeline has removed them.

How a query is answered:

1. The query's words are folded and stemmed in each text search configuration the index
   uses (``SEARCH_CONFIGS``: german, english, simple for other languages), by the same
   SQL function ``search_fold`` that built the stored vectors (migration 0002), so that
   "Uebergang", "Ubergang" and "Übergang" are one word and "Ausbildungen" is "ausbild".
2. Typos: a word that is not among the index's words (``SearchWord``, refreshed by
   ``search_words_refresh``) is widened to its most similar index words by trigram
   similarity (pg_trgm): "jugnd" | "jugend". The word itself stays in, so a page indexed
   since the last refresh is still found by its new words.
3. Rows match when all words match, each row with the query of its own language's
   configuration: one tsquery (``_match_sql``; the configurations' markers where their
   queries differ) answered by the GIN index on ``search`` (title A, teaser B, body and
   documents C), never by a sequential scan (``SEARCH_SETTINGS``). The matching rows are
   read once, narrow (migration 0003), into ``matched``, each ranked by ``ts_rank`` over
   ``search_head`` (title A, teaser B only: title matches above teaser matches above
   body-only matches), then by date and by time of indexing.
4. Facets (member, type, language, year) are counted over the whole matching set, each
   with the other facets' filters applied but not its own, so the visitor sees what
   choosing another value would give. Results keep the page's language unless the
   ``language`` filter says otherwise (``"all"``: every language). Facets and the page
   of results come from one statement (``_answer``).
5. Snippets, for the page's rows only: ``ts_headline`` marks the matches in the folded
   text; the marked words are carried over to the original text word by word (folding
   keeps the words), which is escaped and given ``<mark>`` around the original spelling.

Switching to OpenSearch/Elasticsearch: the index rows are plain text fields, and this
module is the only reader. A network that outgrows PostgreSQL would configure a Wagtail
search backend (``WAGTAILSEARCH_BACKENDS["network"] = {"BACKEND":
"wagtail.search.backends.elasticsearch8", ...}``), make ``SearchEntry`` an
``index.Indexed`` model with ``search_fields`` (title boosted, teaser, body, documents;
``FilterField`` for member, language, page_type, date) and a German analyzer with the
same folding (``asciifolding`` plus a ``mapping`` char filter for ae/oe/ue), index the
rows where ``sites.search.indexing`` writes them, and reimplement ``search`` and
``suggest`` here on ``backend.search(...)`` / ``autocomplete`` with the same signatures
and result types; the pages and the endpoint would not change.
"""

from __future__ import annotations

import difflib
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.apps import apps
from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sites.search.models import DEFAULT_CONFIG, SEARCH_CONFIGS, SearchEntry, SearchWord
from tenants.models import Member

ALL = "all"  # member_id: the whole network (network site and every active member)
NETWORK = "network"  # the member facet's value for the network site's own pages (reserved slug)
Scope = int | None | Literal["all"]
FACETS = ("member", "type", "language", "year")

MAX_WORDS = 10  # words of a query that are searched
CORRECTIONS = 3  # similar index words a word matching nothing is widened to
MIN_CORRECTED_LENGTH = 4  # shorter words are too short for trigram similarity
SNIPPET_WORDS = 30
SNIPPET_SOURCE_CHARS = 20_000  # text searched for the snippet, from the start
SUGGESTIONS = 8
MIN_SUGGEST_LENGTH = 2
START, STOP = "\ue000", "\ue001"  # private-use characters: never words, never in text

WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    member_name: str | None  # None: a page of the network site
    member_slug: str | None
    page_type: str  # model label, "app.model"
    language: str
    date: datetime | None
    snippet: SafeString  # escaped text with <mark> around the matched words
    rank: float


@dataclass(frozen=True)
class FacetValue:
    value: str | int  # member slug (NETWORK for the network), page type, language, year
    label: str | None  # member name, page type's verbose name, None for the network
    count: int
    selected: bool


@dataclass
class SearchResults:
    query: str
    results: list[Result]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# --- Query words -------------------------------------------------------------------------


def query_words(query: str) -> list[str]:
    """The words of what the visitor typed (letters and digits; at most MAX_WORDS)."""
    return [word[:100] for word in WORD.findall(query)][:MAX_WORDS]


def _configs() -> list[str]:
    return [*dict.fromkeys(SEARCH_CONFIGS.values()), DEFAULT_CONFIG]


def _tsquery_term(lexemes: list[str]) -> str:
    quoted = ["'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes]
    return quoted[0] if len(quoted) == 1 else "(" + " | ".join(quoted) + ")"


def trigrams_available() -> bool:
    """Whether the database has pg_trgm (PostgreSQL's contrib). The embedded development
    server has no contrib: there the index words that share the first letter and about
    the length are compared in Python (difflib) instead, the same idea on fewer words."""
    database = connection.settings_dict["NAME"]
    if database not in _TRIGRAMS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
            _TRIGRAMS[database] = cursor.fetchone()[0]
    return _TRIGRAMS[database]


_TRIGRAMS: dict[str, bool] = {}  # per database name, for the life of the process
FALLBACK_CANDIDATES = 500  # words with the same first letter, about the same length
FALLBACK_CUTOFF = 0.75  # difflib's ratio: "jugnd" / "jugend" is 0.91


def _similar_words_sql() -> str:
    """The condition on SearchWord ``w`` for the words that may be meant by ``x.lexeme``,
    best first."""
    if trigrams_available():
        return (
            "w.config = x.config AND w.word %% x.lexeme "
            "ORDER BY similarity(w.word, x.lexeme) DESC, w.documents DESC, w.word"
        )
    return (
        "w.config = x.config AND left(w.word, 1) = left(x.lexeme, 1) "
        "AND abs(length(w.word) - length(x.lexeme)) <= 2 ORDER BY w.documents DESC, w.word"
    )


def query_tsqueries(words: list[str]) -> dict[str, str | None]:
    """Per text search configuration, the tsquery (text) of ``words``: all words must
    match; a word that is not an index word may be any of its most similar index words.
    None: nothing left to search for in that configuration (only stop words)."""
    if not words:
        return dict.fromkeys(_configs())
    sql = f"""
        WITH lexemes AS (
            SELECT c.config, q.ord, l.lexeme
            FROM unnest(%s::text[]) WITH ORDINALITY AS q(word, ord)
            CROSS JOIN unnest(%s::text[]) AS c(config)
            CROSS JOIN LATERAL unnest(
                to_tsvector(c.config::regconfig, search_fold(c.config::regconfig, q.word))
            ) AS l
        )
        SELECT x.config, x.ord, x.lexeme,
            CASE WHEN length(x.lexeme) < %s OR x.lexeme ~ '[0-9]' OR EXISTS (
                SELECT 1 FROM {SearchWord._meta.db_table} w
                WHERE w.config = x.config AND w.word = x.lexeme
            ) THEN '{{}}'::text[] ELSE ARRAY(
                SELECT w.word FROM {SearchWord._meta.db_table} w
                WHERE {_similar_words_sql()}
                LIMIT %s
            ) END
        FROM lexemes x
        ORDER BY x.config, x.ord
    """  # noqa: S608 (table name from _meta, values as parameters; so throughout)
    limit = CORRECTIONS if trigrams_available() else FALLBACK_CANDIDATES
    with connection.cursor() as cursor:
        cursor.execute(sql, [words, _configs(), MIN_CORRECTED_LENGTH, limit])
        rows = cursor.fetchall()
    terms: dict[str, list[str]] = {config: [] for config in _configs()}
    for config, _ord, lexeme, similar in rows:
        if not trigrams_available():
            similar = difflib.get_close_matches(lexeme, similar, CORRECTIONS, FALLBACK_CUTOFF)
        terms[config].append(_tsquery_term([lexeme, *[w for w in similar if w != lexeme]]))
    return {config: " & ".join(parts) if parts else None for config, parts in terms.items()}


# --- SQL pieces --------------------------------------------------------------------------


def _language_groups() -> list[tuple[str, list[str], bool]]:
    """(configuration, language codes, whether the codes are excluded): the rows each
    configuration's query applies to."""
    groups: dict[str, list[str]] = {}
    for code, config in SEARCH_CONFIGS.items():
        groups.setdefault(config, []).append(code)
    return [(config, codes, False) for config, codes in groups.items()] + [
        (DEFAULT_CONFIG, list(SEARCH_CONFIGS), True)
    ]


def _language_condition(codes: list[str], excluded: bool) -> tuple[str, list]:
    return ("NOT " if excluded else "") + "(e.language = ANY(%s))", [codes]


def _marker(config: str) -> str:
    """The lexeme every document vector of ``config`` carries (migration 0003)."""
    return "§" + config


def _match_sql(tsqueries: dict[str, str | None]) -> tuple[str, list]:
    """Rows matching the query of their own language's configuration, as one tsquery
    that the GIN index on ``search`` answers whole: where the configurations make the
    same query of the words (as for most German nouns) that query; else one part per
    configuration, each asking for its marker."""
    queries = {config: tsquery for config, tsquery in tsqueries.items() if tsquery is not None}
    if not queries:
        return "FALSE", []
    if len(set(queries.values())) == 1 and len(queries) == len(tsqueries):
        return "e.search @@ %s::tsquery", [next(iter(queries.values()))]
    parts = [
        f"({_tsquery_term([_marker(config)])} & ({tsquery}))" for config, tsquery in queries.items()
    ]
    return "e.search @@ %s::tsquery", [" | ".join(parts)]


def _row_case_sql(values: dict[str, object], cast: str) -> tuple[str, list]:
    """A CASE giving each row the value of its language's configuration."""
    whens, params = [], []
    for config, codes, excluded in _language_groups():
        language_sql, language_params = _language_condition(codes, excluded)
        whens.append(f"WHEN {language_sql} THEN %s::{cast}")
        params += [*language_params, values.get(config)]
    return "CASE " + " ".join(whens) + " END", params


def _scope_sql(member_id: Scope) -> tuple[str, list]:
    """The sites searched, always without archived (or system) members' rows."""
    active_ids = Member.objects.active().order_by().values("pk")
    active, active_params = active_ids.query.sql_with_params()
    sql = f"(e.member_id IS NULL OR e.member_id IN ({active}))"
    params = list(active_params)
    if member_id is None:
        sql += " AND e.member_id IS NULL"
    elif member_id != ALL:
        sql += " AND e.member_id = %s"
        params.append(int(member_id))
    return sql, params


def _matched_sql(member_id: Scope, tsqueries: dict[str, str | None]) -> tuple[str, list]:
    """``WITH matched``: the rows in scope that match, narrow (what the facets, the
    filters and the ranking read), each with its rank: ``ts_rank`` over ``search_head``
    (title A, teaser B; a body-only match ranks 0). The queries below read it as ``e``."""
    scope, scope_params = _scope_sql(member_id)
    match, match_params = _match_sql(tsqueries)
    row_query = _row_case_sql(tsqueries, "tsquery")
    sql = f"""
        WITH matched AS MATERIALIZED (
            SELECT e.id, e.member_id, e.page_type, e.language, e.year, e.date, e.indexed_at,
                ts_rank(e.search_head, {row_query[0]}) AS rank
            FROM {SearchEntry._meta.db_table} e
            WHERE {scope} AND {match}
        )
    """  # noqa: S608
    return sql, [*row_query[1], *scope_params, *match_params]


def _filter_sql(filters: dict, language: str) -> dict[str, tuple[str, list]]:
    """One condition on ``matched`` per facet (TRUE when the facet is not filtered).
    The language is the page's language unless ``filters["language"]`` names another
    ("all": any)."""
    conditions = {
        "member": (
            f"e.member_id = (SELECT id FROM {Member._meta.db_table} WHERE slug = %s)",  # noqa: S608
            [str(filters.get("member") or "")],
        ),
        "type": ("e.page_type = %s", [str(filters.get("type") or "")]),
        "language": ("e.language = %s", [str(filters.get("language") or language)]),
    }
    conditions = {
        name: condition
        for name, condition in conditions.items()
        if condition[1][0] and condition[1][0] != ALL
    }
    if filters.get("member") == NETWORK:
        conditions["member"] = ("e.member_id IS NULL", [])
    year = str(filters.get("year") or "")
    if year.isdigit():
        conditions["year"] = ("e.year = %s", [int(year)])
    return {name: conditions.get(name, ("TRUE", [])) for name in FACETS}


def _all_of(conditions: list[tuple[str, list]]) -> tuple[str, list]:
    return (
        "(" + " AND ".join(sql for sql, _ in conditions) + ")",
        [param for _, params in conditions for param in params],
    )


# --- Facets ------------------------------------------------------------------------------


def page_type_label(label: str) -> str:
    """The page type's name ("Nachricht") for its model label; an unknown label as is."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


# GROUPING()'s bits of each facet's grouping set, left to right: member_id, page_type,
# language, year (1: not grouped by it). All ones: the total.
GROUPING_SETS = {0b0111: "member", 0b1011: "type", 0b1101: "language", 0b1110: "year"}
GROUPED_BY_NOTHING = 0b1111
# The column of each facet's value in those rows.
FACET_COLUMNS = {
    "member": "member_key",
    "type": "page_type",
    "language": "language",
    "year": "year",
}


def _facet_rows_sql(filters: dict[str, tuple[str, list]]) -> tuple[str, list]:
    """Counts per facet value over ``matched`` (each facet filtered by the others, not
    by itself, so that the visitor sees what choosing another value gives) and the
    total of rows matching every filter, in one pass (GROUPING SETS)."""
    counts, params = [], []
    for name in FACETS:
        others = _all_of([condition for other, condition in filters.items() if other != name])
        counts.append(f"count(*) FILTER (WHERE {others[0]}) AS count_{name}")
        params += others[1]
    everything = _all_of(list(filters.values()))
    sql = f"""
        SELECT GROUPING(e.member_id, e.page_type, e.language, e.year) AS grouping,
            e.member_id, e.page_type, e.language, e.year,
            {", ".join(counts)}, count(*) FILTER (WHERE {everything[0]}) AS total
        FROM matched e
        GROUP BY GROUPING SETS ((e.member_id), (e.page_type), (e.language), (e.year), ())
    """  # noqa: S608
    return sql, [*params, *everything[1]]


def _facets(rows: list[dict], selected: dict) -> tuple[dict[str, list[FacetValue]], int]:
    """The facets' values with counts, and the total, from the rows of _facet_rows_sql."""
    facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
    total = 0
    for row in rows:
        if row["grouping"] == GROUPED_BY_NOTHING:
            total = row["total"]
            continue
        name = GROUPING_SETS[row["grouping"]]
        count = row[f"count_{name}"]
        value = row[FACET_COLUMNS[name]]
        is_selected = str(selected.get(name) or "") == str(value)
        if value is None or (count == 0 and not is_selected):
            continue  # rows without a date have no year
        label = None  # the language and the year are their own labels
        if name == "member":
            label = row["member_name"]
        elif name == "type":
            label = page_type_label(value)
        facets[name].append(FacetValue(value, label, count, is_selected))
    for name, values in facets.items():
        if name == "year":
            values.sort(key=lambda v: -int(v.value))
        else:
            values.sort(key=lambda v: (-v.count, str(v.label or v.value)))
    return facets, total


# --- Snippets ----------------------------------------------------------------------------


def _marked_words(marked: str) -> list[bool]:
    """For each word of the headline's folded text: whether ts_headline marked it."""
    flags = []
    for number, part in enumerate(re.split(f"[{START}{STOP}]", marked)):
        flags += [number % 2 == 1] * len(WORD.findall(part))
    return flags


def snippet_html(text: str, marked_folded: str | None) -> SafeString:
    """About SNIPPET_WORDS words of ``text`` around its densest matches, escaped, the
    matched words in ``<mark>``. ``marked_folded`` is the folded text with ts_headline's
    marks; folding keeps the words, so the n-th word of both is the same word (if not,
    as with a letter whose lower case is two characters, nothing is marked)."""
    words = list(WORD.finditer(text))
    if not words:
        return mark_safe("")
    flags = _marked_words(marked_folded or "")
    if len(flags) != len(words):
        flags = [False] * len(words)
    # The window of SNIPPET_WORDS words with the most marks, beginning a few words
    # before its first mark.
    sums = [0]
    for flag in flags:
        sums.append(sums[-1] + flag)

    def marks_from(first: int) -> tuple[int, int]:
        return sums[min(first + SNIPPET_WORDS, len(flags))] - sums[first], -first

    start = max(range(max(1, len(words) - SNIPPET_WORDS + 1)), key=marks_from)
    if sums[-1]:
        start = max(0, flags.index(True, start) - 4)
    end = min(len(words), start + SNIPPET_WORDS)
    parts = ["…" if start else ""]
    position = words[start].start()
    for word, flag in zip(words[start:end], flags[start:end], strict=True):
        parts.append(escape(text[position : word.start()]))
        parts.append(f"<mark>{escape(word.group())}</mark>" if flag else escape(word.group()))
        position = word.end()
    parts.append(" …" if end < len(words) else escape(text[position:].rstrip()))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)


# --- Search ------------------------------------------------------------------------------


def search(
    query: str,
    *,
    language: str,
    member_id: Scope,
    filters: dict | None = None,
    page: int = 1,
    per_page: int = 10,
) -> SearchResults:
    """One page of results for ``query`` with facets.

    ``language``: the language of the page searching (the results' language unless
    ``filters["language"]`` names another or ``"all"``). ``member_id``: a member's id
    (its microsite: nothing of another site), None (the network site's own pages) or
    ``ALL`` (the network and every active member). ``filters``: ``member`` (a slug or
    ``NETWORK``), ``type`` (page type label), ``language``, ``year``. A page past the
    last is the last. Reads the public schema's index from any schema (through the
    search_path)."""
    filters = filters or {}
    tsqueries = query_tsqueries(query_words(query))
    if all(value is None for value in tsqueries.values()):
        return SearchResults(query=query, results=[], total=0, page=1, per_page=per_page)
    facet_rows, result_rows = _answer(
        _matched_sql(member_id, tsqueries),
        _filter_sql(filters, language),
        tsqueries,
        offset=(max(1, int(page)) - 1) * per_page,
        per_page=per_page,
    )
    facets, total = _facets(facet_rows, filters)
    return SearchResults(
        query=query,
        results=[_result(row) for row in result_rows],
        total=total,
        page=max(1, min(int(page), math.ceil(total / per_page))),
        per_page=per_page,
        facets=facets,
    )


# For the statements of one search: the planner reads the index table through bitmap
# scans only, so the match comes from the GIN index (for a common word it would scan
# the table, or walk the member index, and test every row's full vector, which it must
# de-toast: ten times the cost, which the planner does not count); no JIT compilation
# (the cost the planner sees then calls for it; compiling takes longer than the query);
# the matching rows are held in memory, not spilled to disk.
SEARCH_SETTINGS = {
    "enable_seqscan": "off",
    "enable_indexscan": "off",
    "jit": "off",
    "work_mem": "32MB",
}


@contextmanager
def _search_settings():
    """A transaction with SEARCH_SETTINGS, restored when the block ends (or by the
    rollback of a failed one). One round trip each way."""
    names = list(SEARCH_SETTINGS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(s.name, s.value, true) FROM unnest(%s::text[], %s::text[]) "
            "AS s(name, value)",
            [names, list(SEARCH_SETTINGS.values())],
        )
        yield cursor
        cursor.execute(
            "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)",
            [names],
        )


RESULT_ORDER = "rank DESC, date DESC NULLS LAST, indexed_at DESC, id DESC"


def _answer(matched, filters, tsqueries, *, offset: int, per_page: int) -> tuple[list, list]:
    """Facet rows and one page of result rows, in one statement over one match.

    The matching rows (``matched``, through the GIN index) are read once; only the
    page's rows are read in full, with their member and their text, and only they get
    ``ts_headline`` (snippet). An offset past the last row is the last page's."""
    facet_rows = _facet_rows_sql(filters)
    filtered = _all_of(list(filters.values()))
    row_query = _row_case_sql(tsqueries, "tsquery")
    row_config = _row_case_sql({config: config for config in _configs()}, "regconfig")
    members = Member._meta.db_table
    sql = f"""
        {matched[0]},
        facet_rows AS ({facet_rows[0]}),
        page_rows AS (
            SELECT e.id, e.rank
            FROM matched e
            WHERE {filtered[0]}
            ORDER BY {RESULT_ORDER}
            LIMIT %s
            OFFSET least(%s, greatest(0,
                ((SELECT total FROM facet_rows WHERE grouping = {GROUPED_BY_NOTHING}) - 1)
                / %s * %s))
        ),
        result_rows AS (
            SELECT e.id, e.title, e.url, m.name AS member_name, m.slug AS member_slug,
                e.page_type, e.language, e.date, e.indexed_at, p.rank, t.text,
                ts_headline(t.config, search_fold(t.config, t.text), t.query,
                    'HighlightAll=true, StartSel={START}, StopSel={STOP}') AS headline
            FROM page_rows p
            JOIN {SearchEntry._meta.db_table} e ON e.id = p.id
            LEFT JOIN {members} m ON m.id = e.member_id
            CROSS JOIN LATERAL (
                SELECT left(concat_ws(' ', nullif(e.teaser, ''), nullif(e.body, ''),
                    nullif(e.documents, '')), %s) AS text,
                    {row_config[0]} AS config, {row_query[0]} AS query
                OFFSET 0
            ) AS t
        )
        SELECT
            (SELECT json_agg(f) FROM (
                SELECT facet_rows.*, coalesce(m.slug, %s) AS member_key, m.name AS member_name
                FROM facet_rows LEFT JOIN {members} m ON m.id = facet_rows.member_id
            ) AS f),
            (SELECT json_agg(r ORDER BY {RESULT_ORDER}) FROM result_rows r)
    """  # noqa: S608
    params = [
        *matched[1],
        *facet_rows[1],
        *filtered[1],
        per_page,
        offset,
        per_page,
        per_page,
        SNIPPET_SOURCE_CHARS,
        *row_config[1],
        *row_query[1],
        NETWORK,
    ]
    with _search_settings() as cursor:
        cursor.execute(sql, params)
        facets, results = cursor.fetchone()
    return facets or [], results or []


def _result(row: dict) -> Result:
    return Result(
        title=row["title"],
        url=row["url"],
        member_name=row["member_name"],
        member_slug=row["member_slug"],
        page_type=row["page_type"],
        language=row["language"],
        date=datetime.fromisoformat(row["date"]) if row["date"] else None,
        snippet=snippet_html(row["text"] or "", row["headline"]),
        rank=row["rank"],
    )


# --- Suggestions -------------------------------------------------------------------------


def suggest(prefix: str, *, language: str, member_id: Scope) -> list[str]:
    """Up to SUGGESTIONS titles (of the given language, within the scope of ``search``)
    containing the typed text, folded: titles starting with it first, then by where it
    occurs, then the most recent. Served by the title indexes: a prefix index for one
    or two characters, a trigram index from three."""
    typed = " ".join(query_words(prefix))
    if len(typed) < MIN_SUGGEST_LENGTH:
        return []
    config = SEARCH_CONFIGS.get(language, DEFAULT_CONFIG)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_fold(%s::regconfig, %s)", [config, typed])
        folded = cursor.fetchone()[0]
    pattern = f"{folded}%" if len(folded) < 3 else f"%{folded}%"
    scope = _scope_sql(member_id)
    sql = f"""
        SELECT e.title
        FROM {SearchEntry._meta.db_table} e
        WHERE {scope[0]} AND e.language = %s AND e.title_folded LIKE %s
        GROUP BY e.title
        ORDER BY min(strpos(e.title_folded, %s)), max(e.date) DESC NULLS LAST, e.title
        LIMIT %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope[1], language, pattern, folded, SUGGESTIONS])
        return [title for (title,) in cursor.fetchall()]


# --- The word table ----------------------------------------------------------------------


def search_words_refresh() -> int:
    """Rebuild ``SearchWord`` from the lexemes of the stored vectors of active sites'
    rows, per configuration, in one INSERT … SELECT; returns the number of words.
    Readers see the old words until the transaction commits. Public schema."""
    scope, scope_params = _scope_sql(ALL)
    config, config_params = _row_case_sql({name: name for name in _configs()}, "text")
    table = SearchWord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"""
            INSERT INTO {table} (config, word, documents)
            SELECT {config}, l.lexeme, count(*)
            FROM {SearchEntry._meta.db_table} e CROSS JOIN LATERAL unnest(e.search) AS l
            WHERE {scope} AND length(l.lexeme) BETWEEN %s AND 100
                AND l.lexeme !~ '[0-9§]'
            GROUP BY 1, 2
            """,  # noqa: S608
            [*config_params, *scope_params, MIN_CORRECTED_LENGTH],
        )
        return cursor.rowcount
