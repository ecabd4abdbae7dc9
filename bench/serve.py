"""Serving speed side by side: the product against a plain ``wagtail start`` project.

One run on this machine, same virtualenv, same PostgreSQL server, same Redis server:

- *plain Wagtail*: ``wagtail start`` in a temporary folder, its home page carrying the text
  of Herten's profile (``sites.demo.content.HERTEN_PROFILE``) in a rich-text field, its own
  database on the same server, persistent connections (``CONN_MAX_AGE``), ``DEBUG`` off;
- *plain Wagtail with Django's per-site cache*: the same project and database with
  ``UpdateCacheMiddleware`` / ``FetchFromCacheMiddleware`` and Django's Redis cache backend
  on its own Redis database (the product's page cache will live in Redis too);
- *the product*: the demo network (``seed_demo``) in a fresh bench database,
  ``core.settings.dev`` with ``DEBUG`` off; Herten's profile, Herten's home, the network
  home and the member directory, uncached and cached.

Each is served by gunicorn with 2 sync workers. Requests are sequential, each on a fresh
TCP connection, with no cookies (an anonymous visitor); every view is warmed first, then
timed in ``--rounds`` rounds that alternate between all views (the order rotates each
round) so a busy moment of the shared machine hits all of them alike. Printed per view:
p50, p95, req/s of that one sequential client, the ratios against both plain projects, and
SQL queries and Redis round trips (commands) of one steady-state view, counted in-process
by ``bench/_serve_probe.py``. Then ``--members`` members in all are made (clones of the
member template, which gets a profile page first so every clone feeds the directory), the
product is restarted, and everything is measured again.

The page cache: the product has one when its settings define ``PAGE_CACHE_SECONDS``. Then
the "cached" rows are served with the settings as they are and the "uncached" rows by a
second product server with ``PAGE_CACHE_SECONDS = 0``; until then the cached rows say
"n/a: no page cache yet".

Cleans up after itself, also on failure, Ctrl-C and SIGTERM: servers, the temporary
folder, both databases, and its two Redis databases (``--redis-db``, default 11, for the
product's cache and broker, and the one after for the plain per-site cache; it refuses
databases holding keys that are not its own, or that another run is using).

Targets (issue 12): cached member page and network home p50 <= 1.0x plain Wagtail with
per-site cache, 0 SQL; uncached Herten profile <= 1.3x plain Wagtail, Herten home <= 1.5x,
network home <= 1.8x; with 200 members each p50 within 10% of the 3-member figure.
Usage: .venv/bin/python bench/serve.py [--members 200] [--requests 200] [--rounds 3] [--quick]
(about 5 minutes; ``--quick``: 10 members, 20 requests a view and round, about 1.5 minutes)
"""

import argparse
import http.client
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from _setup import (
    BASE_DIR,
    _admin_sql,
    bench_database,
    free_port,
    redis_claim,
    redis_release,
    redis_url_with_db,
    setup_django,
)

VENV_BIN = BASE_DIR / ".venv" / "bin"
PROBE = Path(__file__).resolve().parent / "_serve_probe.py"
PLAIN_PROJECT = "plainsite"
PROFILE_MARK = "Steinkohlebergbaustadt"  # a word of Herten's profile: both pages must show it
REDIS_MARKER = "kn-bench-serve:owner"  # says a Redis database is this benchmark's
NO_PAGE_CACHE = "n/a: no page cache yet"
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


# --- Redis databases of our own -----------------------------------------------------------


# --- Servers -----------------------------------------------------------------------------


def http_get(port: int, host: str, path: str) -> tuple[int, bytes, float]:
    """One anonymous GET on a fresh TCP connection: status, body, seconds."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, body, time.perf_counter() - started


@dataclass
class Server:
    """gunicorn, 2 sync workers, on a free port; its output goes to a log file."""

    name: str
    wsgi: str
    cwd: Path
    env: dict
    log: Path
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self, probe_host: str) -> None:
        self.port = free_port()
        command = [
            str(VENV_BIN / "gunicorn"), self.wsgi,
            "--workers", "2", "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}",
            "--log-level", "warning",
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own server command
                command,
                cwd=self.cwd,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the bench, which stops it in order
            )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn ended\n{self.log_tail()}")
            try:
                http_get(self.port, probe_host, "/")
                return
            except OSError:
                if time.monotonic() > deadline:
                    message = f"{self.name}: no answer in 60 s\n{self.log_tail()}"
                    raise RuntimeError(message) from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])


# --- The plain Wagtail project ----------------------------------------------------------


def profile_html() -> tuple[str, str]:
    """Title and rich text of Herten's profile: lead, body, facts, contact, links."""
    from sites.demo import content as c

    profile = c.HERTEN_PROFILE
    parts = [f"<p>{escape(profile.lead)}</p>"]
    for block in profile.body:
        if isinstance(block, c.Heading):
            parts.append(f"<{block.level}>{escape(block.text)}</{block.level}>")
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    facts = "".join(f"<li>{escape(f.label)}: {escape(f.value)}</li>" for f in profile.facts)
    parts.append(f"<h2>Zahlen und Fakten</h2><ul>{facts}</ul>")
    contact = profile.contact
    lines = [contact.name, contact.role, contact.organisation, *contact.address.split("\n")]
    lines += [contact.phone, contact.email]
    parts.append("<h2>Kontakt</h2><p>" + "<br/>".join(escape(x) for x in lines if x) + "</p>")
    links = "".join(
        f'<li><a href="{escape(link.url)}">{escape(link.label)}</a></li>'
        for link in profile.further_links
    )
    parts.append(f"<h2>Weitere Informationen</h2><ul>{links}</ul>")
    return profile.title, "".join(parts)


PLAIN_MODELS = """from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    body = RichTextField(blank=True)
"""

PLAIN_TEMPLATE = """{% extends "base.html" %}
{% load wagtailcore_tags %}
{% block body_class %}template-homepage{% endblock %}
{% block content %}<h1>{{ page.title }}</h1>{{ page.body|richtext }}{% endblock %}
"""

PLAIN_CONTENT = """import json
from pathlib import Path

from home.models import HomePage

page = HomePage.objects.get(depth=2)
page.title, page.body = json.loads(Path("page.json").read_text())
page.save_revision().publish()
"""


def plain_settings(database: dict, cache_url: str) -> dict[str, str]:
    """Settings modules of the plain project: as generated, with our database; and the
    same with Django's per-site cache."""
    common = f"""from .production import *  # noqa: F403

SECRET_KEY = "bench-only-not-secret"
ALLOWED_HOSTS = ["*"]
DATABASES = {{"default": {database!r}}}
# No collectstatic in the bench: static URLs need no manifest (the product has none either).
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
"""
    cached = f"""from .bench import *  # noqa: F403

CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": {cache_url!r}}}}}
CACHE_MIDDLEWARE_SECONDS = 600
MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    *MIDDLEWARE,  # noqa: F405
    "django.middleware.cache.FetchFromCacheMiddleware",
]
"""
    return {"bench": common, "bench_cached": cached}


def plain_project_create(folder: Path, database_url: str, cache_url: str) -> None:
    """``wagtail start``, a body field on its home page, migrated, Herten's text published."""
    import environ

    database = environ.Env.db_url_config(database_url)
    database.update(ENGINE="django.db.backends.postgresql", CONN_MAX_AGE=60)
    database["CONN_HEALTH_CHECKS"] = True
    env = plain_env(folder, "bench")
    folder.mkdir()
    subprocess.run(  # noqa: S603 - Wagtail's own project generator
        [str(VENV_BIN / "wagtail"), "start", PLAIN_PROJECT, str(folder)],
        env={k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (folder / "home" / "models.py").write_text(PLAIN_MODELS)
    (folder / "home" / "templates" / "home" / "home_page.html").write_text(PLAIN_TEMPLATE)
    for module, text in plain_settings(database, cache_url).items():
        (folder / PLAIN_PROJECT / "settings" / f"{module}.py").write_text(text)
    (folder / "page.json").write_text(json.dumps(profile_html()))
    (folder / "bench_content.py").write_text(PLAIN_CONTENT)
    manage = [str(VENV_BIN / "python"), "manage.py"]
    for command in (["makemigrations", "home"], ["migrate"]):
        subprocess.run(  # noqa: S603 - the generated project's manage.py
            manage + [*command, "--verbosity", "0"], cwd=folder, env=env, check=True
        )
    subprocess.run(  # noqa: S603
        manage + ["shell", "--command", "exec(open('bench_content.py').read())"],
        cwd=folder,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def plain_env(folder: Path, module: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": f"{PLAIN_PROJECT}.settings.{module}",
        "PYTHONPATH": str(folder),
        "PYTHONUNBUFFERED": "1",
    }


def product_env(folder: Path, module: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "DEBUG": "false",
        "PYTHONPATH": os.pathsep.join([str(folder), str(BASE_DIR)]),
        "PYTHONUNBUFFERED": "1",
    }


# --- The product ------------------------------------------------------------------------


def demo_network() -> None:
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def template_profile_add() -> None:
    """A published profile in the member template: every clone then has one."""
    from django.conf import settings
    from django_tenants.utils import schema_context
    from wagtail.rich_text import RichText

    from sites.demo import content as c
    from sites.members.models import MemberHomePage, ProfilePage

    profile = c.HERTEN_PROFILE
    with schema_context(settings.MEMBER_TEMPLATE_SCHEMA):
        home = MemberHomePage.objects.get()
        page = home.add_child(
            instance=ProfilePage(
                title=profile.title,
                slug=profile.slug,
                lead=profile.lead,
                body=[("paragraph", RichText(f"<p>{escape(profile.body[0].text)}</p>"))],
                facts=[("fact", {"label": f.label, "value": f.value}) for f in profile.facts],
            )
        )
        page.save_revision().publish()  # the template is a system schema: nothing is sent


def members_grow(total: int) -> int:
    """Clone members until there are ``total``; their profiles reach the directory."""
    from sites.highlights.services import member_content_sync
    from tenants.models import Member
    from tenants.services import member_create

    existing = Member.objects.members().count()
    if total <= existing:
        return existing
    template_profile_add()
    for number in range(total - existing):
        member_create(
            name=f"Bench-Gemeinde {number:03d}",
            slug=f"sv-{number}",
            domain=f"sv-{number}.bench.localhost",
        )
        if (number + 1) % 25 == 0:
            say(f"  {existing + number + 1}/{total} members")
    member_content_sync()
    database_settle()
    return Member.objects.members().count()


def database_settle(longest: float = 300) -> None:
    """Wait until PostgreSQL's autovacuum has finished with the new schemas: on two cores
    its workers would otherwise take CPU from the servers measured next (plain Wagtail's
    figures moved by 10-20% without it)."""
    from django.db import connection

    started = time.monotonic()
    quiet_since = None
    while time.monotonic() - started < longest:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
            )
            busy = cursor.fetchone()[0]
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= 5:
            say(f"  database settled after {now - started:.0f} s")
            return
        time.sleep(1)
    say(f"  autovacuum still busy after {longest:.0f} s; measuring anyway")


# --- Measuring --------------------------------------------------------------------------


@dataclass
class View:
    label: str
    server: Server | None  # None: not measurable (reason in ``missing``)
    host: str
    path: str
    missing: str = ""
    seconds: list[float] = field(default_factory=list)
    size: int = 0
    counts: dict = field(default_factory=dict)

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000

    @property
    def per_second(self) -> float:
        return len(self.seconds) / sum(self.seconds)


def fetch_ok(view: View) -> tuple[bytes, float]:
    status, body, seconds = http_get(view.server.port, view.host, view.path)
    if status != 200:
        raise RuntimeError(f"{view.label}: http://{view.host}{view.path} answered {status}")
    return body, seconds


def probe(views: list[View], env: dict, cwd: Path) -> None:
    """SQL and Redis per view, counted in a process of that view's project."""
    spec = json.dumps([[v.label, v.host, v.path] for v in views])
    done = subprocess.run(  # noqa: S603 - our own probe script
        [str(VENV_BIN / "python"), str(PROBE), spec],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("PROBE ")]
    if done.returncode or not lines:
        raise RuntimeError(f"probe failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    results = json.loads(lines[-1].removeprefix("PROBE "))
    for view in views:
        view.counts = results[view.label]


def measure(views: list[View], requests: int, rounds: int) -> None:
    live = [view for view in views if view.server is not None]
    for view in live:
        body = b""
        for _ in range(10):  # both workers: connections, caches, templates
            body, _seconds = fetch_ok(view)
        view.size = len(body)
        if view.label.startswith(("plain", "Herten profile")) and PROFILE_MARK not in body.decode():
            raise RuntimeError(f"{view.label}: the page does not show Herten's profile text")
    for number in range(rounds):
        shift = number % len(live)
        for view in live[shift:] + live[:shift]:
            for _ in range(requests):
                view.seconds.append(fetch_ok(view)[1])
        say(f"  round {number + 1}/{rounds} done")


# --- Report -----------------------------------------------------------------------------


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x"


def counts_text(counts: dict) -> tuple[str, str]:
    if not counts:
        return "", ""
    sql = str(counts["sql"])
    redis = f"{counts['redis_round_trips']} ({counts['redis_commands']})"
    if counts["status"] != 200:
        sql += f" (HTTP {counts['status']})"
    if "runs" in counts:
        sql += " (varied: " + "/".join(str(run["sql"]) for run in counts["runs"]) + ")"
    return sql, redis


def table(title: str, views: list[View], first: int = 0, before: dict | None = None) -> str:
    plain, cached = views[0], views[1]
    head = (
        "| page | p50 ms | p95 ms | req/s | vs plain Wagtail | "
        f"vs plain Wagtail + per-site cache ({cached.p50:.1f} ms) | SQL | Redis round trips "
        "(commands) | bytes |"
    )
    columns = head.count("|") - 1
    if before:
        head += f" p50 vs {first} members |"
        columns += 1
    lines = [f"**{title}**", "", head, "|" + "---|" * columns]
    for view in views:
        if view.server is None:
            cells = [view.label, view.missing] + [""] * (columns - 2)
        else:
            sql, redis = counts_text(view.counts)
            cells = [
                view.label,
                f"{view.p50:.1f}",
                f"{view.p95:.1f}",
                f"{view.per_second:.0f}",
                ratio(view.p50, plain.p50),
                ratio(view.p50, cached.p50),
                sql,
                redis,
                str(view.size),
            ]
            if before:
                old = before.get(view.label)
                cells.append(ratio(view.p50, old.p50) if old and old.seconds else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def warnings(title: str, views: list[View]) -> list[str]:
    """What makes a row mean something else than its label says."""
    found = []
    for view in views:
        sql, cached = view.counts.get("sql"), view.label.endswith("(cached)")
        page_cache = view.counts.get("page_cache")
        if cached and (sql or page_cache != "hit"):
            found.append(
                f"warning ({title}): {view.label} made {sql} SQL queries, page cache "
                f"{page_cache}: not served from the page cache"
            )
        if not cached and page_cache == "hit":
            found.append(f"warning ({title}): {view.label} came from the page cache")
    return found


def targets(small: list[View], large: list[View], totals: tuple[int, int]) -> list[str]:
    by_label = {v.label: v for v in small}
    plain, cached = by_label["plain Wagtail"], by_label["plain Wagtail + per-site cache"]
    verdicts = []

    def check(text: str, ok: bool | str) -> None:
        verdict = ok if isinstance(ok, str) else "met" if ok else "MISSED"
        verdicts.append(f"- {text}: {verdict}")

    for label in ("Herten profile (cached)", "Herten home (cached)", "network home (cached)"):
        view = by_label[label]
        if view.server is None:
            check(f"{label} <= 1.0x plain + per-site cache, 0 SQL", view.missing)
        else:
            ok = view.p50 <= cached.p50 and view.counts.get("sql") == 0
            check(f"{label} {ratio(view.p50, cached.p50)}, {view.counts.get('sql')} SQL", ok)
    for label, limit in (("Herten profile", 1.3), ("Herten home", 1.5), ("network home", 1.8)):
        view = by_label[label]
        check(f"{label} {ratio(view.p50, plain.p50)} <= {limit}x plain Wagtail",
              view.p50 <= limit * plain.p50)  # fmt: skip
    for old, new in zip(small, large, strict=True):
        if old.label.startswith("plain") or new.server is None:
            continue
        change = ratio(new.p50, old.p50)
        check(f"{new.label} at {totals[1]} members {change} of {totals[0]} (<= 1.10x)",
              new.p50 <= 1.10 * old.p50)  # fmt: skip
    # Nothing changed for plain Wagtail between the two runs: its change is the noise.
    drift = ratio(large[0].p50, small[0].p50)
    verdicts.append(f"- (plain Wagtail itself, unchanged, measured {drift} of its first run)")
    return verdicts


# --- Run --------------------------------------------------------------------------------


def views_for(servers: dict[str, Server], network: str, herten: str) -> list[View]:
    product = [
        ("Herten profile", herten, "/de/kurzportrait/"),
        ("Herten home", herten, "/de/"),
        ("network home", network, "/de/"),
        ("member directory", network, "/de/mitglieder/"),
    ]
    views = [
        View("plain Wagtail", servers["plain"], "localhost", "/"),
        View("plain Wagtail + per-site cache", servers["plain_cached"], "localhost", "/"),
    ]
    views += [View(label, servers["uncached"], host, path) for label, host, path in product]
    cached = servers.get("cached")
    views += [
        View(f"{label} (cached)", cached, host, path, "" if cached else NO_PAGE_CACHE)
        for label, host, path in product
    ]
    return views


def phase(title: str, servers, network: str, herten: str, args) -> list[View]:
    say(f"{title}: warming up, then {args.rounds} rounds of {args.requests} requests a view")
    views = views_for(servers, network, herten)
    measure(views, args.requests, args.rounds)
    say(f"{title}: counting SQL queries and Redis round trips per view")
    for server in servers.values():
        mine = [view for view in views if view.server is server]
        if mine:
            probe(mine, server.env, server.cwd)
    return views


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=200, help="members in the big run")
    parser.add_argument("--requests", type=int, default=200, help="per view and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--redis-db", type=int, default=11, help="this and the next one")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10 members, 20 requests")
    args = parser.parse_args()
    if args.quick:
        args.members, args.requests = 10, 20
    if args.requests < 1 or args.rounds < 1 or args.members < 3:
        parser.error("--requests and --rounds must be at least 1, --members at least 3")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below

    from core.localservices import ensure_local_services

    ensure_local_services()
    redis_url = redis_url_with_db(os.environ["REDIS_URL"], args.redis_db)
    plain_cache_url = redis_url_with_db(os.environ["REDIS_URL"], args.redis_db + 1)
    os.environ["REDIS_URL"] = redis_url  # the product's cache and broker: ours alone
    url, name = bench_database()
    parts = urlsplit(url)
    plain_url = parts._replace(path=f"/{name}_plain").geturl()
    servers: dict[str, Server] = {}
    claimed = []
    try:  # first, so that a second run stops here and leaves the first one's things alone
        for each in (redis_url, plain_cache_url):
            redis_claim(each, REDIS_MARKER, "bench/serve.py")
            claimed.append(each)
    except BaseException:
        for each in claimed:
            redis_release(each, REDIS_MARKER)
        raise
    folder = Path(tempfile.mkdtemp(prefix="kn-bench-serve-"))
    try:
        setup_django()
        from django.conf import settings

        from tenants.models import Member

        say("Building the demo network (seed_demo) …")
        demo_network()
        network = settings.NETWORK_HOSTS[0]
        herten = Member.objects.get(slug="herten").domains.get(is_primary=True).domain
        say(f"Building a plain Wagtail project in {folder} …")
        _admin_sql(
            plain_url,
            f'DROP DATABASE IF EXISTS "{name}_plain" WITH (FORCE)',
            f'CREATE DATABASE "{name}_plain"',
        )
        plain_project_create(folder / "plain", plain_url, plain_cache_url)

        page_cache = hasattr(settings, "PAGE_CACHE_SECONDS")
        servers.update(servers_start(folder, page_cache, network))
        first_total = Member.objects.members().count()
        small = phase(f"{first_total} members", servers, network, herten, args)

        say(f"Cloning members up to {args.members} …")
        total = members_grow(args.members)
        for key in ("uncached", "cached"):
            if key in servers:
                servers[key].stop()
                servers[key].start(network)
        large = phase(f"{total} members", servers, network, herten, args)

        report(small, large, (first_total, total), args, page_cache)
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        for each in claimed:
            redis_release(each, REDIS_MARKER)
        database_drop(url, name)
        database_drop(plain_url, f"{name}_plain")
        say("Cleaned up: servers stopped, temporary folder, databases and Redis dbs removed")


def servers_start(folder: Path, page_cache: bool, network: str) -> dict[str, Server]:
    """gunicorn for the plain project (with and without per-site cache) and the product
    (with its page cache switched off, and as configured when it has one)."""
    plain = folder / "plain"
    specs = {
        "plain": (f"{PLAIN_PROJECT}.wsgi", plain, plain_env(plain, "bench")),
        "plain_cached": (f"{PLAIN_PROJECT}.wsgi", plain, plain_env(plain, "bench_cached")),
        "uncached": ("core.wsgi", BASE_DIR, product_env(folder, "core.settings.dev")),
    }
    if page_cache:
        (folder / "bench_uncached.py").write_text(
            "from core.settings.dev import *  # noqa: F403\n\nPAGE_CACHE_SECONDS = 0\n"
        )
        specs["uncached"] = ("core.wsgi", BASE_DIR, product_env(folder, "bench_uncached"))
        specs["cached"] = ("core.wsgi", BASE_DIR, product_env(folder, "core.settings.dev"))
    servers = {}
    try:
        for key, (wsgi, cwd, env) in specs.items():
            servers[key] = Server(key, wsgi, cwd, env, folder / f"{key}.log")
            servers[key].start(network)
    except BaseException:
        for server in servers.values():
            server.stop()
        raise
    say(
        "Serving with gunicorn (2 sync workers each): "
        + ", ".join(f"{key} :{server.port}" for key, server in servers.items())
        + ("" if page_cache else f"; product: {NO_PAGE_CACHE}")
    )
    return servers


def database_drop(url: str, name: str) -> None:
    from django.apps import apps

    if apps.ready:
        from django.db import connections

        connections.close_all()
    _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(BASE_DIR / ".data" / "bench-media", ignore_errors=True)


def report(small: list[View], large: list[View], totals: tuple[int, int], args, page_cache):
    first, total = totals
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print()
    print(
        f"## bench/serve.py: {args.rounds} alternating rounds x {args.requests} requests a view; "
        "gunicorn, 2 sync workers each; one sequential client, a fresh TCP connection per "
        "request, no cookies; same PostgreSQL and Redis server; plain per-site cache: "
        f"Django's Redis backend; product page cache: {'on' if page_cache else 'none yet'}; "
        f"load average at the end: {load}"
    )
    print()
    print(table(f"{first} members", small))
    print()
    print(table(f"{total} members", large, first, {v.label: v for v in small}))
    print()
    print(
        "SQL: queries of one steady-state view (after two warm-ups), in-process. Redis: round "
        "trips (commands) of the same view; a pipeline or MGET is one round trip. req/s: "
        "of the one sequential client (1 / mean latency)."
    )
    for line in warnings(f"{first} members", small) + warnings(f"{total} members", large):
        print(line)
    print()
    print("**Targets (issue 12)**")
    print()
    print("\n".join(targets(small, large, totals)))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted")
