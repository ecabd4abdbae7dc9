"""The highlight pipeline at network scale: 200 members x 20 proposed news pages.

Prints (a) the full reconciliation (``member_content_sync()``, 50 schemas a statement) from an
empty Highlight table and again with nothing to change, with the row count after each;
(b) the same with ``chunk=1`` (one schema a statement, a stand-in for per-member tasks);
(c) publish-to-visible latency through a real Celery worker: the time from a republish's
commit until its Highlight row carries the new ``last_published_at``.

Setup: the 20 pages are published once in the member template, so every member cloned
from it (``tenants.services.member_create``) starts with the same 20 live, proposing pages
in its own schema. The worker gets its own queue on the configured broker, so no other
worker (development, other runs) takes its tasks.

Targets (issue): (a) <= 5 s, equal row counts; (c) p95 <= 2 s.
Usage: .venv/bin/python bench/highlights.py [--members 200] [--pages 20] [--publishes 30]
"""

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from _setup import BASE_DIR, describe, drop_database, setup_django

SYNC_TARGET_SECONDS = 5.0
LATENCY_TARGET_SECONDS = 2.0
TOKEN = f"kn-hbench-{os.getpid()}"  # queue and worker name: nobody else's


def template_pages_create(count: int) -> None:
    """``count`` published, proposing news pages in the member template (cloned from then on)."""
    from django.conf import settings
    from django_tenants.utils import schema_context

    from sites.members.models import MemberHomePage, MemberNewsIndexPage, MemberNewsPage

    with schema_context(settings.MEMBER_TEMPLATE_SCHEMA):
        home = MemberHomePage.objects.get()
        index = home.add_child(instance=MemberNewsIndexPage(title="Aktuelles", slug="aktuelles"))
        for i in range(count):
            page = index.add_child(
                instance=MemberNewsPage(
                    title=f"Ausbildungsmesse {i + 1}",
                    slug=f"messe-{i + 1}",
                    teaser="Betriebe aus der Region stellen ihre Ausbildungsberufe vor.",
                    propose_highlight=True,
                    live=False,
                )
            )
            page.save_revision().publish()  # the template is a system schema: nothing is sent


def members_create(count: int) -> list:
    from tenants.services import member_create

    members = []
    for i in range(count):
        members.append(
            member_create(
                name=f"Bench-Gemeinde {i}", slug=f"hb-{i}", domain=f"hb-{i}.bench.localhost"
            ).member
        )
        if (i + 1) % 25 == 0:
            print(f"  {i + 1}/{count} members cloned", flush=True)
    return members


def timed_sync(**kwargs) -> tuple[float, object, int]:
    from sites.highlights.models import Highlight
    from sites.highlights.services import member_content_sync

    started = time.perf_counter()
    report = member_content_sync(**kwargs)
    seconds = time.perf_counter() - started
    return seconds, report, Highlight.objects.count()


def reconciliation(label: str, chunk: int, expected_rows: int) -> float:
    from sites.highlights.models import Highlight

    Highlight.objects.all().delete()
    first, report, rows_first = timed_sync(chunk=chunk)
    print(f"{label}: from an empty table {first:.3f} s ({report}); rows: {rows_first}")
    repeats = []
    for _ in range(3):
        seconds, report, rows_again = timed_sync(chunk=chunk)
        repeats.append(seconds)
        print(f"{label}: nothing to change {seconds:.3f} s ({report}); rows: {rows_again}")
        assert rows_again == rows_first, "a second run changed the row count"
    assert rows_first == expected_rows, f"expected {expected_rows} rows, found {rows_first}"
    return max(first, *repeats)


class Worker:
    """``celery -A core worker`` on the bench database, consuming only our own queue."""

    def __init__(self, log: Path):
        self.log = log
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "core.settings.dev"}
        self.out = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own worker command
            [
                str(BASE_DIR / ".venv" / "bin" / "celery"),
                "-A", "core", "worker",
                "--concurrency", "1",
                "--loglevel", "INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--queues", TOKEN,
                "--hostname", f"{TOKEN}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not re.search(r"@\S+ ready\.", self.log.read_text(errors="replace")):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{self.log.read_text()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.out.close()


def broker_cleanup() -> None:
    """Remove our queue and the bindings our worker registered; nothing else."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        client.delete(TOKEN)
        for key in client.scan_iter(match="_kombu.binding*"):
            if TOKEN.encode() in key:
                client.delete(key)
                continue
            if client.type(key) != b"set":
                continue
            stale = [m for m in client.sscan_iter(key) if TOKEN.encode() in m]
            if stale:
                client.srem(key, *stale)
    finally:
        client.close()


def publish_latency(members: list, count: int, timeout: float = 10.0) -> list[float]:
    """Republish one page of ``count`` members, one after the other; seconds from each
    commit until the public Highlight row shows that publish."""
    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    from sites.highlights.models import Highlight
    from sites.members.models import MemberNewsPage

    def republish(member) -> float:
        with schema_context(member.schema_name):
            page = MemberNewsPage.objects.order_by("pk").first()
            committed_at = []
            with transaction.atomic():
                # Registered before the publish's own callback, so it runs first at commit.
                transaction.on_commit(lambda: committed_at.append(time.perf_counter()))
                page.title = f"{page.title} (neu)"
                page.save_revision().publish()
            published = MemberNewsPage.objects.get(pk=page.pk).last_published_at
        connection.set_schema_to_public()
        row = Highlight.objects.filter(member=member, source_page_id=page.pk)
        deadline = time.monotonic() + timeout
        while row.values_list("last_published_at", flat=True).first() != published:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{member.slug}/{page.pk} not visible after {timeout} s")
            time.sleep(0.002)
        return time.perf_counter() - committed_at[0]

    print(f"warm-up publish (first task of the worker): {republish(members[-1]):.3f} s")
    return [republish(member) for member in members[:count]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--publishes", type=int, default=30)
    args = parser.parse_args()
    url = setup_django()
    worker = None
    try:
        from core.celery import app as celery_app

        started = time.perf_counter()
        template_pages_create(args.pages)
        members = members_create(args.members)
        setup_seconds = time.perf_counter() - started
        print(
            f"setup: {args.members} members x {args.pages} proposed news pages "
            f"(pages published in the template, members cloned) in {setup_seconds:.1f} s"
        )
        expected = args.members * args.pages
        print()
        chunked = reconciliation("(a) member_content_sync() chunk=50", 50, expected)
        print(
            f"(a) target <= {SYNC_TARGET_SECONDS:.0f} s (slowest run {chunked:.3f} s): "
            f"{'met' if chunked <= SYNC_TARGET_SECONDS else 'MISSED'}"
        )
        print()
        reconciliation("(b) member_content_sync(chunk=1)", 1, expected)
        print()

        celery_app.conf.task_default_queue = TOKEN  # before anything is sent
        worker = Worker(Path(tempfile.mkdtemp(prefix=TOKEN)) / "worker.log")
        worker.wait_ready()
        latencies = publish_latency(members, args.publishes)
        p95 = sorted(latencies)[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
        describe("(c) publish-to-visible latency", latencies)
        print(
            f"(c) target p95 <= {LATENCY_TARGET_SECONDS:.0f} s: "
            f"{'met' if p95 <= LATENCY_TARGET_SECONDS else 'MISSED'}"
        )
    except BaseException:
        if worker is not None:
            print(f"worker log kept: {worker.log}")
        raise
    else:
        if worker is not None:
            shutil.rmtree(worker.log.parent, ignore_errors=True)
    finally:
        if worker is not None:
            worker.stop()
            broker_cleanup()
        drop_database(url)


if __name__ == "__main__":
    main()
