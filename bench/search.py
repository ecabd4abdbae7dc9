"""The network search at scale: 200 members x 100 pages, index build, queries, publishing.

One run on this machine, against the configured PostgreSQL and Redis servers:

- its own database ``<db>_bench_search`` (``setup_platform``; ``--pages`` pages put into the
  member template once with Wagtail's ``add_child``: half news, a quarter events, a quarter
  standard pages; ``--members`` members cloned from it by ``tenants.services.member_create``;
  then every member's pages get their own German text in four UPDATE statements per
  member: titles, teasers and StreamField bodies (headings and paragraphs) recombined from
  the seed texts of ``sites.demo.content`` with the member's town, dates 2015-2026), its own
  Redis database (``--redis-db``, default 14: cache and Celery broker) and media folder.
  Building is not timed.
- (1) ``index_rebuild()`` over every site, timed (target <= 60 s), with the rows written
  and the index's word count.
- gunicorn with 2 sync workers (``DEBUG`` off, ``PAGE_CACHE_SECONDS=0``: every request
  runs the search) and a real Celery worker (``--concurrency``), started after the index
  tasks the build queued (one per new member) are dropped: the index is whole, and the
  queries must not share the CPU with a worker redoing it.
- (2) ``--queries`` mixed queries on the network host, one after the other, each on a fresh
  TCP connection: ``/de/suche/?q=…``, some with ``&member=<slug>``, ``&type=<page type>``,
  ``&year=<year>`` or ``&page=2``: common words, umlaut spellings, typos, phrases, rare
  words, town names, a word found nowhere. p50/p95/max per kind and overall (target
  p95 <= 50 ms); the same queries are then timed in-process on ``engine.search`` (no
  HTTP) to tell the engine's share.
- (3) ``--suggestions`` prefixes (2-7 letters) at ``/de/suche/vorschlag/?q=…`` (target
  p95 <= 30 ms), and in-process on ``engine.suggest``.
- (4) ``--publishes`` new news pages, each in a random member, published through Wagtail
  (``save_revision().publish()`` in the member's schema); latency = from the publish's
  commit until ``engine.search`` for the page's unique word finds it (polled every 10 ms)
  (target p95 <= 2 s).

If the search page does not answer 200, (2) and (3) are measured in-process only and
say so ("in-process, not HTTP"). All traffic goes to 127.0.0.1. Stops by itself and
cleans up, also on failure, Ctrl-C and SIGTERM: server and worker (their process groups),
the database, the Redis database and the temporary folder. A second run is refused while
one is running (the Redis database names its owner).

Usage: .venv/bin/python bench/search.py [--members 200] [--pages 100] [--queries 300]
       [--suggestions 200] [--publishes 30] [--concurrency 1] [--redis-db 14]
       [--keep-database]
"""

import argparse
import os
import random
import signal
import statistics
import string
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from _search_corpus import member_names, page_text, seeds
from _setup import (
    BASE_DIR,
    _admin_sql,
    bench_database,
    free_port,
    redis_claim,
    redis_release,
    redis_url_with_db,
)
from registration import Process, gunicorn, leftovers_remove, percentile, say
from serve import http_get

REDIS_MARKER = "kn-bench-search:owner"  # says a Redis database is this benchmark's
TARGETS = {"index": 60.0, "query": 0.050, "suggest": 0.030, "publish": 2.0}  # seconds
SEARCH_PATH, SUGGEST_PATH = "/de/suche/", "/de/suche/vorschlag/"
PAGE_TYPES = {
    "news": "members.membernewspage",
    "event": "members.membereventpage",
    "standard": "members.memberstandardpage",
}

# (kind, query): what visitors type. Town names are added from the members built.
QUERIES = {
    "common": ["Übergang", "Ausbildung", "Jugendliche", "Schule", "Beruf", "Kommunen",
               "Netzwerk", "Bildung", "Arbeitsgemeinschaft", "Koordinierung"],
    "folded": ["Uebergang", "Ubergang", "Ausbildungen", "Bildungsketten", "Uebergaenge",
               "Schueler", "Foerderung", "Jahresforen"],
    "typo": ["Jugnd", "Ausbilung", "Koordinirung", "Übergnag", "Netzwek", "Bildungskete"],
    "phrase": ["Kommunale Koordinierung", "Übergang Schule Beruf", "Jahresforum Dortmund",
               "Lokale Verantwortungsgemeinschaft", "Haus der Berufsvorbereitung",
               "Jugend in Beruf Netzwerk"],
    "rare": ["Wasserstoff", "Brennstoffzellentechnologie", "Quadratkilometer",
             "Freudenberg Stiftung", "Steinkohlebergbaustadt", "Videokonferenz"],
    "none": ["Xylophonorchester", "Quantenchromodynamik"],
}  # fmt: skip
PREFIXES = ["Üb", "Ueb", "Aus", "Ausb", "Ausbild", "Jug", "Jugend", "Net", "Netzw", "Kom",
            "Kommun", "Bild", "Bildungs", "Jahres", "Jahresf", "Fach", "Facht", "Her", "Herte",
            "Dort", "Wass", "Str", "Struktur", "Lok", "Lokales", "Ko", "Zw", "Zehn"]  # fmt: skip


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


# --- Building the network (not timed) ---------------------------------------------------


@dataclass
class TemplatePage:
    id: int
    kind: str
    parent_url_path: str


def template_pages_create(count: int) -> list[TemplatePage]:
    """``count`` live pages in the member template (placeholders; every clone rewrites
    them): half news, a quarter events, the rest standard pages."""
    from datetime import UTC, datetime

    from django.conf import settings
    from django_tenants.utils import schema_context

    from sites.members.models import (
        MemberEventIndexPage,
        MemberEventPage,
        MemberHomePage,
        MemberNewsIndexPage,
        MemberNewsPage,
        MemberStandardPage,
    )

    now = datetime.now(UTC)
    published = {"live": True, "first_published_at": now, "last_published_at": now}
    pages = []
    with schema_context(settings.MEMBER_TEMPLATE_SCHEMA):
        home = MemberHomePage.objects.get(locale__language_code="de")
        news = home.add_child(
            instance=MemberNewsIndexPage(title="Aktuelles", slug="aktuelles", **published)
        )
        events = home.add_child(
            instance=MemberEventIndexPage(title="Termine", slug="termine", **published)
        )
        for number in range(count):
            slug = f"seite-{number}"
            if number % 4 in (0, 2):
                parent, kind = news, "news"
                page = MemberNewsPage(title=slug, slug=slug, **published)
            elif number % 4 == 1:
                parent, kind = events, "event"
                page = MemberEventPage(
                    title=slug, slug=slug, start=now, venue_name="Rathaus", **published
                )
            else:
                parent, kind = home, "standard"
                page = MemberStandardPage(title=slug, slug=slug, **published)
            parent.add_child(instance=page)
            pages.append(TemplatePage(page.pk, kind, parent.url_path))
    return pages


def members_create(count: int) -> list:
    from tenants.services import member_create

    members = []
    for number, (name, slug, kind) in enumerate(member_names(count)):
        created = member_create(name=name, slug=slug, kind=kind, domain=f"{slug}.bench.localhost")
        members.append(created.member)
        if (number + 1) % 25 == 0 or number + 1 == count:
            say(f"  {number + 1}/{count} members cloned")
    return members


def member_texts_write(member, number: int, pages: list[TemplatePage], seed) -> None:
    """Give one member's (cloned) pages their own text: one UPDATE per table."""
    import json
    from datetime import timedelta

    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    town = member.name.split(" ", 1)[1]
    texts = [page_text(seed, number, n, page.kind, town) for n, page in enumerate(pages)]
    ids = [page.id for page in pages]

    def of(kind: str) -> tuple[list, list]:
        chosen = [
            (page.id, text) for page, text in zip(pages, texts, strict=True) if page.kind == kind
        ]
        return [i for i, _ in chosen], [text for _, text in chosen]

    with schema_context(member.schema_name), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            UPDATE wagtailcore_page p SET title = v.title, draft_title = v.title,
                slug = v.slug, url_path = v.url_path, first_published_at = v.day,
                last_published_at = v.day
            FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[], %s::timestamptz[])
                AS v(id, title, slug, url_path, day)
            WHERE p.id = v.id
            """,
            [
                ids,
                [t.title for t in texts],
                [t.slug for t in texts],
                [page.parent_url_path + t.slug + "/" for page, t in zip(pages, texts, strict=True)],
                [t.day for t in texts],
            ],
        )
        news_ids, news = of("news")
        cur.execute(
            """
            UPDATE members_membernewspage n SET date = v.day, teaser = v.teaser,
                body = v.body::jsonb
            FROM unnest(%s::int[], %s::date[], %s::text[], %s::text[]) AS v(id, day, teaser, body)
            WHERE n.page_ptr_id = v.id
            """,
            [
                news_ids,
                [t.day.date() for t in news],
                [t.teaser for t in news],
                [json.dumps(t.body) for t in news],
            ],
        )
        event_ids, events = of("event")
        cur.execute(
            """
            UPDATE members_membereventpage e SET start = v.day, "end" = v.day_end,
                teaser = v.teaser, venue_name = v.venue, body = v.body::jsonb
            FROM unnest(%s::int[], %s::timestamptz[], %s::timestamptz[], %s::text[],
                %s::text[], %s::text[]) AS v(id, day, day_end, teaser, venue, body)
            WHERE e.page_ptr_id = v.id
            """,
            [
                event_ids,
                [t.day for t in events],
                [t.day + timedelta(hours=3) for t in events],
                [t.teaser for t in events],
                [t.venue for t in events],
                [json.dumps(t.body) for t in events],
            ],
        )
        standard_ids, standard = of("standard")
        cur.execute(
            """
            UPDATE members_memberstandardpage s SET lead = v.lead, body = v.body::jsonb
            FROM unnest(%s::int[], %s::text[], %s::text[]) AS v(id, lead, body)
            WHERE s.page_ptr_id = v.id
            """,
            [standard_ids, [t.teaser for t in standard], [json.dumps(t.body) for t in standard]],
        )


def network_build(args) -> list:
    from django.core.management import call_command

    call_command("setup_platform", verbosity=0)
    started = time.monotonic()
    pages = template_pages_create(args.pages)
    say(f"  {args.pages} pages in the member template ({time.monotonic() - started:.1f} s)")
    members = members_create(args.members)
    seed = seeds()
    started = time.monotonic()
    for number, member in enumerate(members):
        member_texts_write(member, number, pages, seed)
    say(
        f"  texts written: {args.members} x {args.pages} pages from {len(seed.titles)} seed "
        f"titles and {len(seed.sentences)} seed sentences ({time.monotonic() - started:.1f} s)"
    )
    return members


# --- (1) Index build ----------------------------------------------------------------------


def index_build() -> tuple[float, str]:
    from django.db import connection

    from sites.search.indexing import index_rebuild
    from sites.search.models import SearchEntry, SearchWord

    connection.set_schema_to_public()
    started = time.perf_counter()
    report = index_rebuild()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size(%s))", [SearchEntry._meta.db_table]
        )
        size = cursor.fetchone()[0]
    detail = (
        f"{report}; {SearchEntry.objects.count()} rows, {SearchWord.objects.count()} index "
        f"words, table with indexes {size}"
    )
    return seconds, detail


# --- Requests ---------------------------------------------------------------------------


def http_wait(server: Process, port: int, host: str, path: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if not server.alive():
            raise RuntimeError(f"gunicorn ended:\n{server.log_tail()}")
        try:
            if http_get(port, host, path)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn: no 200 for {path} in {timeout:.0f} s")
        time.sleep(0.2)


@dataclass
class Query:
    kind: str
    q: str
    filters: dict = field(default_factory=dict)

    def path(self, base: str = SEARCH_PATH) -> str:
        return f"{base}?{urlencode({'q': self.q, **self.filters})}"

    @property
    def label(self) -> str:
        return self.kind + ("+filter" if set(self.filters) - {"page"} else "")


def queries_make(count: int, members: list) -> list[Query]:
    """``count`` queries: kinds in turn, about half with a facet filter or a second page."""
    rnd = random.Random(14)
    pool = {**QUERIES, "town": [m.name.split(" ", 1)[1] for m in members[:20]]}
    kinds = list(pool)
    made = []
    for number in range(count):
        kind = kinds[number % len(kinds)]
        query = Query(kind, rnd.choice(pool[kind]))
        roll = rnd.random()
        if roll < 0.2:
            query.filters["member"] = rnd.choice(members).slug
        elif roll < 0.32:
            query.filters["type"] = rnd.choice(list(PAGE_TYPES.values()))
        elif roll < 0.44:
            query.filters["year"] = rnd.randint(2015, 2026)
        elif roll < 0.5:
            query.filters.update(type=PAGE_TYPES["news"], year=rnd.randint(2015, 2026))
        elif roll < 0.55:
            query.filters["page"] = 2
        made.append(query)
    return made


def engine_search(query: Query):
    from sites.search.engine import ALL, search

    filters = {k: v for k, v in query.filters.items() if k != "page"}
    return search(
        query.q, language="de", member_id=ALL, filters=filters, page=query.filters.get("page", 1)
    )


def engine_suggest(prefix: str):
    from sites.search.engine import ALL, suggest

    return suggest(prefix, language="de", member_id=ALL)


def timed_in_process(call, items) -> tuple[list[float], list]:
    seconds, answers = [], []
    for item in items:
        started = time.perf_counter()
        answers.append(call(item))
        seconds.append(time.perf_counter() - started)
    return seconds, answers


def timed_http(port: int, host: str, paths: list[str]) -> tuple[list[float], list[str]]:
    seconds, failures = [], []
    for path in paths:
        status, _content, elapsed = http_get(port, host, path)
        seconds.append(elapsed)
        if status != 200:
            failures.append(f"{status} {path}")
    return seconds, failures


# --- (4) Publish to findable ------------------------------------------------------------


def publish_latency(members: list, count: int, timeout: float = 15.0) -> list[tuple[float, float]]:
    """(seconds the publish took, seconds from its commit until the engine finds the page)
    for one warm-up and ``count`` new news pages in random members; the warm-up is not
    returned."""
    from datetime import date

    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    from sites.members.models import MemberNewsIndexPage, MemberNewsPage
    from sites.search.engine import ALL, search

    rnd = random.Random(15)

    def publish_one(member) -> tuple[float, float]:
        word = "Pruefmarke" + "".join(rnd.choices(string.ascii_lowercase, k=10))
        committed_at = []
        with schema_context(member.schema_name):
            index = MemberNewsIndexPage.objects.get(slug="aktuelles")
            page = index.add_child(
                instance=MemberNewsPage(
                    title=f"Neu: Ausbildungsbörse {word}",
                    slug=word.lower(),
                    live=False,
                    date=date.today(),
                    teaser="Betriebe aus der Region stellen Berufe vor.",
                )
            )
            started = time.perf_counter()
            with transaction.atomic():
                # registered before the publish's own callbacks, so it runs first at commit
                transaction.on_commit(lambda: committed_at.append(time.perf_counter()))
                page.save_revision().publish()
            publish_seconds = time.perf_counter() - started
        connection.set_schema_to_public()
        deadline = time.monotonic() + timeout
        while not search(word, language="de", member_id=ALL).total:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{member.slug}: {word} not found after {timeout:.0f} s")
            time.sleep(0.01)
        return publish_seconds, time.perf_counter() - committed_at[0]

    warm = publish_one(rnd.choice(members))
    say(f"  warm-up publish (the worker's first task): findable after {warm[1]:.2f} s")
    return [publish_one(rnd.choice(members)) for _ in range(count)]


# --- Report ------------------------------------------------------------------------------


def stats(values: list[float]) -> str:
    return (
        f"n={len(values)} p50 {ms(statistics.median(values))} ms, "
        f"p95 {ms(percentile(values, 0.95))} ms, max {ms(max(values))} ms"
    )


def by_kind(queries: list[Query], seconds: list[float], totals: list[int]) -> None:
    """Timings per kind of query, slowest first, with the mean number of matches."""
    groups: dict[str, list[tuple[float, int]]] = {}
    for query, value, total in zip(queries, seconds, totals, strict=True):
        groups.setdefault(query.label, []).append((value, total))
    for label in sorted(groups, key=lambda g: -percentile([v for v, _ in groups[g]], 0.95)):
        values = [value for value, _ in groups[label]]
        hits = statistics.mean(total for _, total in groups[label])
        print(f"      {label:<14} {stats(values)}; {hits:.0f} results on average")


def verdict(name: str, value: float, target: float, unit: str, detail: str = "") -> bool:
    passed = value <= target
    shown = f"{value:.1f} s" if unit == "s" else f"{ms(value)} ms"
    limit = f"{target:.0f} s" if unit == "s" else f"{ms(target)} ms"
    print(f"{'PASS' if passed else 'FAIL'}  {name}: {shown} (target <= {limit}){detail}")
    return passed


# --- Run ---------------------------------------------------------------------------------


def bench_environment(database_url: str, redis_url: str, folder: Path) -> dict[str, str]:
    """What this process, gunicorn and the worker run with (DEBUG off, as in production)."""
    return {
        "DJANGO_SETTINGS_MODULE": "core.settings.dev",
        "DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(folder / "media"),
    }


def servers_start(folder: Path, concurrency: int) -> tuple[Process, Process, int]:
    port = free_port()
    env = {**os.environ, "PAGE_CACHE_SECONDS": "0"}
    server = gunicorn(env, folder / "gunicorn.log", port)
    worker = Process("celery worker", [
        str(BASE_DIR / ".venv" / "bin" / "celery"), "-A", "core", "worker",
        "--concurrency", str(concurrency), "--loglevel", "INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--hostname", f"kn-bench-search-{os.getpid()}@%h",
    ], env, folder / "worker.log")  # fmt: skip
    return server, worker, port


def main() -> int:  # noqa: PLR0915 - one run, phase after phase
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--pages", type=int, default=100, help="pages per member")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--suggestions", type=int, default=200)
    parser.add_argument("--publishes", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=1, help="Celery worker processes")
    parser.add_argument("--redis-db", type=int, default=14, help="cache and broker db")
    parser.add_argument(
        "--keep-database", action="store_true", help="leave the database for inspection"
    )
    args = parser.parse_args()
    if min(args.members, args.pages, args.queries, args.suggestions, args.publishes) < 1:
        parser.error("all counts must be at least 1")
    if args.members > 1000 or args.pages > 1000:
        parser.error("at most 1000 members and 1000 pages per member")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below

    url, name = bench_database("_bench_search")
    redis_url = redis_url_with_db(os.environ["REDIS_URL"], args.redis_db)
    # first: a second run stops here and leaves the first one alone
    redis_claim(redis_url, REDIS_MARKER, "bench/search.py")
    folder = Path(tempfile.mkdtemp(prefix="kn-bench-search-"))
    processes: list[Process] = []
    results = []
    try:
        os.environ.update(bench_environment(url, redis_url, folder))
        say(f"Database {name}, Redis {redis_url}, folder {folder}")
        _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin_sql(url, f'CREATE DATABASE "{name}"')
        import django

        django.setup()
        from django.conf import settings

        host = settings.NETWORK_HOSTS[0]
        say(f"Building {args.members} members x {args.pages} pages (not timed) …")
        members = network_build(args)

        say("(1) index_rebuild() over every site …")
        seconds, detail = index_build()
        say(f"    {seconds:.1f} s: {detail}")
        results.append(
            ("(1) index build, index_rebuild()", seconds, TARGETS["index"], "s", f"; {detail}")
        )

        # Building queued an index task per new member (the index is whole now, and
        # the queries must not share the CPU with a worker working through them).
        from core.celery import app as celery_app

        say(f"    {celery_app.control.purge()} queued index tasks of the build dropped")
        server, worker, port = servers_start(folder, args.concurrency)
        processes += [server, worker]
        server.start()
        worker.start()
        worker.wait_for_log("ready.", timeout=120)
        http_wait(server, port, host, "/de/")
        over_http = http_get(port, host, f"{SEARCH_PATH}?q=Test")[0] == 200
        say(
            f"gunicorn (2 sync workers) on 127.0.0.1:{port}, Celery worker ready; search page "
            f"{SEARCH_PATH}: {'200' if over_http else 'not answering 200: in-process only'}"
        )

        queries = queries_make(args.queries, members)
        rnd = random.Random(16)
        prefixes = [rnd.choice(PREFIXES) for _ in range(args.suggestions)]
        timed_in_process(engine_search, queries[:20])  # warm-up
        engine_queries, answers = timed_in_process(engine_search, queries)
        totals = [answer.total for answer in answers]
        engine_suggestions, _ = timed_in_process(engine_suggest, prefixes)
        say(f"(2) engine.search in-process (not HTTP): {stats(engine_queries)}")
        by_kind(queries, engine_queries, totals)
        say(f"(3) engine.suggest in-process (not HTTP): {stats(engine_suggestions)}")
        query_label = suggest_label = "in-process, not HTTP"
        query_seconds, suggest_seconds = engine_queries, engine_suggestions
        if over_http:
            query_label = f"HTTP {host}{SEARCH_PATH}, fresh TCP connection each"
            timed_http(port, host, [q.path() for q in queries[:20]])  # warm-up: both workers
            query_seconds, failures = timed_http(port, host, [q.path() for q in queries])
            say(f"(2) {query_label}: {stats(query_seconds)}; non-200: {len(failures)}")
            by_kind(queries, query_seconds, totals)
            for failure in failures[:5]:
                print(f"      {failure}")
            suggest_label = f"HTTP {host}{SUGGEST_PATH}"
            paths = [f"{SUGGEST_PATH}?{urlencode({'q': p})}" for p in prefixes]
            suggest_seconds, failures = timed_http(port, host, paths)
            say(f"(3) {suggest_label}: {stats(suggest_seconds)}; non-200: {len(failures)}")
            for failure in failures[:5]:
                print(f"      {failure}")
        results.append(
            (
                f"(2) query p95 ({query_label})",
                percentile(query_seconds, 0.95),
                TARGETS["query"],
                "ms",
                f"; {stats(query_seconds)}",
            )
        )
        results.append(
            (
                f"(3) suggestion p95 ({suggest_label})",
                percentile(suggest_seconds, 0.95),
                TARGETS["suggest"],
                "ms",
                f"; {stats(suggest_seconds)}",
            )
        )

        say(f"(4) publishing {args.publishes} new pages in random members …")
        timings = publish_latency(members, args.publishes)
        latencies = [latency for _publish, latency in timings]
        say(f"    publish() itself: {stats([publish for publish, _ in timings])}")
        detail = (
            f"; p50 {statistics.median(latencies):.2f} s, "
            f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s"
        )
        results.append(
            (
                "(4) publish-to-findable p95",
                percentile(latencies, 0.95),
                TARGETS["publish"],
                "s",
                detail,
            )
        )
    except BaseException:
        for process in processes:
            if process.log.exists():
                print(f"--- {process.name} log (last lines) ---\n{process.log_tail()}")
        raise
    finally:
        for process in reversed(processes):
            process.stop()
        redis_release(redis_url, REDIS_MARKER)
        leftovers_remove(url, name, folder, keep_database=args.keep_database)
        say("Cleaned up: server and worker stopped, Redis db, folder")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\n## bench/search.py: {args.members} members x {args.pages} pages, "
        f"{os.cpu_count()} CPUs, load average at the end: {load}"
    )
    passed = [verdict(*result) for result in results]
    return 0 if all(passed) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted")
