"""Latency and SQL queries per page view of a member's microsite.

Builds one member with a news index, 10 news pages (with an image) and a profile page,
then (a) counts the SQL queries of one uncached page view in-process (after warming each
URL, so Wagtail's Site root paths and image renditions are cached as in production), and
(b) times sequential requests against gunicorn (2 workers) and prints p50/p95.

Target (issue): at most 10 SQL queries per uncached page view.
Usage: .venv/bin/python bench/render.py [--requests 200] [--verbose]
"""

import argparse
import logging
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

from _setup import BASE_DIR, drop_database, setup_django

QUERY_TARGET = 10
SLUG = "benchrender"  # own schema name, so its cache keys never meet development data
DOMAIN = "benchrender.bench.localhost"
NEWS_COUNT = 10


def content_create() -> dict[str, str]:
    """The member and its published pages; returns label -> path."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import schema_context
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.rich_text import RichText

    from sites.members.models import (
        MemberHomePage,
        MemberNewsIndexPage,
        MemberNewsPage,
        ProfilePage,
    )
    from tenants.services import member_create

    member = member_create(name="Stadt Benchheim", slug=SLUG, domain=DOMAIN).member

    def publish(page):
        page.save_revision().publish()
        return page

    paragraph = RichText("<p>Schule, Ausbildung und Beruf: Wege für alle Jugendlichen.</p>")
    with schema_context(member.schema_name):
        image = Image.objects.create(
            title="Ausbildungsmesse",
            description="Jugendliche an einem Messestand",
            file=SimpleUploadedFile("messe.png", get_test_image_file().file.getvalue()),
        )
        home = MemberHomePage.objects.get()
        home.lead = "Kommunale Koordinierung in Benchheim."
        home.body = [("paragraph", paragraph)]
        publish(home)
        index = publish(
            home.add_child(instance=MemberNewsIndexPage(title="Aktuelles", slug="aktuelles"))
        )
        for number in range(1, NEWS_COUNT + 1):
            publish(
                index.add_child(
                    instance=MemberNewsPage(
                        title=f"Nachricht {number}",
                        slug=f"nachricht-{number}",
                        teaser="Neues aus dem Übergang Schule–Beruf.",
                        image=image,
                        body=[
                            ("heading", {"text": "Worum es geht", "level": "h2"}),
                            ("paragraph", paragraph),
                        ],
                    )
                )
            )
        publish(
            home.add_child(
                instance=ProfilePage(
                    title="Kurzportrait",
                    slug="kurzportrait",
                    lead="Benchheim liegt am Fluss.",
                    body=[("paragraph", paragraph)],
                    facts=[
                        ("fact", {"label": "Einwohner", "value": "62.000"}),
                        ("fact", {"label": "Schulen", "value": "18"}),
                    ],
                    contact_name="Erika Muster",
                    contact_email="erika@benchheim.example",
                )
            )
        )
    return {
        "home": "/de/",
        "news index": "/de/aktuelles/",
        "news page": f"/de/aktuelles/nachricht-{NEWS_COUNT}/",
        "profile": "/de/kurzportrait/",
    }


def cache_forget_schema(schema: str) -> None:
    """Remove this benchmark's cache entries (keys start with the schema name)."""
    from django.core.cache import cache

    client = cache.client.get_client(write=True)  # django-redis
    keys = list(client.scan_iter(match=f"{schema}:*"))
    if keys:
        client.delete(*keys)


def queries_per_view(paths: dict[str, str], verbose: bool) -> dict[str, int]:
    """Steady-state query count per page; pages that do not answer 200 are left out."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=DOMAIN, raise_request_exception=False)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # errors are printed below
    counts = {}
    print("\nSQL queries per uncached page view (in-process, after warming each URL):")
    for label, path in paths.items():
        warm = [client.get(path) for _ in range(2)]  # caches, templates
        if warm[-1].status_code != 200:
            error = warm[-1].exc_info[1] if warm[-1].exc_info else ""
            print(f"  {label:<11} {path:<28} HTTP {warm[-1].status_code}: not measured {error!r}")
            continue
        runs = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            runs.append([query["sql"] for query in captured.captured_queries])
        queries = runs[-1]
        counts[label] = len(queries)
        sets = sum(sql.startswith("SET search_path") for sql in queries)
        stable = "" if len({len(r) for r in runs}) == 1 else f" (runs: {[len(r) for r in runs]})"
        print(
            f"  {label:<11} {path:<28} {len(queries):>3} queries{stable}"
            f" (of which {sets} SET search_path)"
        )
        if verbose:
            for number, sql in enumerate(queries, 1):
                print(f"      {number:>2}. {sql}")
    return counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": DOMAIN})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local server
        response.read()
        return response.status


def gunicorn_start(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
        "core.wsgi",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)  # noqa: S603
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn ended with exit code {process.returncode}")
        try:
            get(port, "/de/")
            return process
        except urllib.error.HTTPError:  # answers, if not with 200
            return process
        except (OSError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s") from None
            time.sleep(0.2)


def gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latencies(paths: dict[str, str], requests: int) -> None:
    port = free_port()
    print(f"\nLatency over HTTP: gunicorn, 2 workers, 127.0.0.1:{port}, Host: {DOMAIN}")
    print(f"  settings {os.environ['DJANGO_SETTINGS_MODULE']}, {requests} sequential requests")
    process = gunicorn_start(port)
    try:
        for label, path in paths.items():
            for _ in range(10):  # both workers: connections, caches, templates
                get(port, path)
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                status = get(port, path)
                times.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
            ordered = sorted(times)
            print(
                f"  {label:<11} {path:<28} p50 {statistics.median(ordered):6.1f} ms"
                f"   p95 {percentile(ordered, 0.95):6.1f} ms   max {ordered[-1]:6.1f} ms"
            )
    finally:
        gunicorn_stop(process)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--verbose", action="store_true", help="list the queries of each view")
    args = parser.parse_args()
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    url = setup_django()
    try:
        cache_forget_schema(SLUG)
        paths = content_create()
        print(f"Member {DOMAIN}: home, news index, {NEWS_COUNT} news pages, profile (published)")
        counts = queries_per_view(paths, args.verbose)
        latencies({label: paths[label] for label in counts}, args.requests)
        over = [f"{label} {n}" for label, n in counts.items() if n > QUERY_TARGET]
        missing = [label for label in paths if label not in counts]
        verdict = "met" if counts and not over and not missing else "MISSED"
        print(f"\ntarget <= {QUERY_TARGET} SQL queries per uncached page view: {verdict}", end="")
        print(f"; over: {', '.join(over)}" if over else "", end="")
        print(f"; not measured (no 200): {', '.join(missing)}" if missing else "")
    finally:
        try:
            cache_forget_schema(SLUG)
        finally:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
