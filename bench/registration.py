"""Event registration through the form: registrations per second, and time to the mail.

One run on this machine, against the configured PostgreSQL and Redis servers:

- its own database ``<db>_bench_registration`` (``setup_platform``, one member created by
  ``tenants.services.member_create``, an event index and three published events with
  ``registration_open``: one with unlimited seats, one with ``--seats`` seats and a
  waiting list, one for the mail-latency run), its own Redis database (``--redis-db``,
  default 13: the product's cache and Celery broker) and media folder;
- gunicorn with 2 sync workers (``core.settings.dev``, ``DEBUG`` off,
  ``REGISTRATION_RATE=100000/m`` so the per-address spam brake does not refuse the bench);
- a real Celery worker (``celery -A core worker``, ``--concurrency`` processes) that sends
  through ``EMAIL_URL=smtp://127.0.0.1:<port>`` to an aiosmtpd server in this process,
  which timestamps every mail it receives (end of DATA) by its recipient.

(a) Throughput: ``--requests`` POSTs to ``/de/anmeldung/<id>/`` on the member's host, each
with its own address, on fresh TCP connections from ``--threads`` client threads, first
for the unlimited event, then for the one with ``--seats`` seats and a waiting list (every
registration locks the event row: they queue on it). Printed: registrations per second
(requests / wall time), p50/p95/max of the POST's response time, what was stored, and the
time from each POST to its confirmation mail under that load (the worker shares the
CPUs with the servers and the clients, and its queue grows if it cannot keep up).

(b) Mail latency: ``--mail-requests`` POSTs, one client sending one after the other, each
to a new address; latency = SMTP receive time of its confirmation mail - the moment the
POST was sent. Target (issue 13): p95 <= 2 s, printed as PASS/FAIL.

Every phase waits until all its mails have arrived (the queue is empty before the next
one starts). All traffic goes to 127.0.0.1. Stops by itself and cleans up, also on
failure, Ctrl-C and SIGTERM: server and worker (their process groups), the SMTP server,
the database, the Redis database and the temporary folder. A second run is refused while
one is running (the Redis database names its owner).

Usage: .venv/bin/python bench/registration.py [--requests 300] [--mail-requests 100]
       [--threads 4] [--seats 50] [--concurrency 2] [--redis-db 13]   (about 1-2 minutes)
"""

import argparse
import email
import email.policy
import http.client
import logging
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from _setup import BASE_DIR, _admin_sql, free_port, redis_claim, redis_release, redis_url_with_db

VENV_BIN = BASE_DIR / ".venv" / "bin"
REDIS_MARKER = "kn-bench-registration:owner"  # says a Redis database is this benchmark's
MEMBER_HOST = "rb.bench.localhost"
TARGET_P95_SECONDS = 2.0
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- Redis database and PostgreSQL database of our own ---------------------------------


def database_url() -> tuple[str, str]:
    """``<db>_bench_registration`` on DATABASE_URL's server (or the embedded one)."""
    from core.localservices import ensure_local_services

    ensure_local_services()
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.strip("/") + "_bench_registration"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def database_drop(url: str, name: str) -> None:
    from django.apps import apps

    if apps.ready:
        from django.db import connections

        connections.close_all()
    _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def leftovers_remove(url: str, name: str, folder, *, keep_database: bool = False) -> None:
    """The end of a bench run: its database (unless kept for inspection) and its folder."""
    if keep_database:
        say(f"Database {name} kept (--keep-database): drop it when done")
    else:
        database_drop(url, name)
    shutil.rmtree(folder, ignore_errors=True)


# --- The SMTP server: every mail's arrival, by recipient -------------------------------


class Inbox:
    """An aiosmtpd handler that notes when each recipient's mail arrived (end of DATA)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.arrived: dict[str, list[tuple[float, str]]] = {}

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        now = time.monotonic()
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        subject = str(message["Subject"] or "")
        with self.lock:
            for address in envelope.rcpt_tos:
                self.arrived.setdefault(address.lower(), []).append((now, subject))
        return "250 OK"

    def first(self, address: str) -> tuple[float, str] | None:
        with self.lock:
            mails = self.arrived.get(address)
            return mails[0] if mails else None

    def count(self) -> int:
        with self.lock:
            return sum(len(mails) for mails in self.arrived.values())


# --- gunicorn and the Celery worker, each in its own process group ---------------------


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own server / worker command
                self.command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a group of its own: stopped with its children
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM to the whole group (warm shutdown), then SIGKILL to what is left."""
        if self.process is None:
            return
        for sig, seconds in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                continue
            # the leader is gone; its children may still be ending
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                try:
                    os.killpg(self.process.pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.1)
        self.process.poll()

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_for_log(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log.read_text(errors="replace"):
            if not self.alive():
                raise RuntimeError(f"{self.name} ended:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: not ready in {timeout:.0f} s\n{self.log_tail()}")
            time.sleep(0.1)


def gunicorn(env: dict, log: Path, port: int) -> Process:
    command = [
        str(VENV_BIN / "gunicorn"), "core.wsgi",
        "--workers", "2", "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
    ]  # fmt: skip
    return Process("gunicorn", command, env, log)


def celery_worker(env: dict, log: Path, concurrency: int) -> Process:
    command = [
        str(VENV_BIN / "celery"), "-A", "core", "worker",
        "--concurrency", str(concurrency),
        "--loglevel", "INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--hostname", f"kn-bench-registration-{os.getpid()}@%h",
    ]  # fmt: skip
    return Process("celery worker", command, env, log)


# --- Requests ---------------------------------------------------------------------------


def http_request(port: int, method: str, path: str, body: bytes | None = None):
    """One request on a fresh TCP connection: status, body, seconds."""
    headers = {"Host": MEMBER_HOST}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"http://{MEMBER_HOST}"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    return response.status, content, time.perf_counter() - started


def server_wait(server: Process, port: int, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if not server.alive():
            raise RuntimeError(f"gunicorn ended:\n{server.log_tail()}")
        try:
            status, _body, _seconds = http_request(port, "GET", path)
            if status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"gunicorn: no 200 for {path} in {timeout:.0f} s\n{server.log_tail()}"
            )
        time.sleep(0.2)


@dataclass
class Post:
    address: str
    sent_at: float = 0.0  # time.monotonic(), the clock of the SMTP handler too
    seconds: float = 0.0
    status: int = 0
    error: str = ""


@dataclass
class Run:
    label: str
    event_id: int
    posts: list[Post]
    threads: int
    wall: float = 0.0
    mails: dict[str, float] = field(default_factory=dict)  # address -> latency, seconds
    stored: str = ""

    @property
    def ok(self) -> list[Post]:
        return [post for post in self.posts if post.status == 200]

    @property
    def failures(self) -> str:
        bad = [post.error or f"HTTP {post.status}" for post in self.posts if post.status != 200]
        counts = {reason: bad.count(reason) for reason in sorted(set(bad))}
        return ", ".join(f"{n}x {reason}" for reason, n in counts.items()) or "0"


def post_one(port: int, event_id: int, post: Post) -> Post:
    body = urlencode({"name": "Bench Person", "email": post.address}).encode()
    post.sent_at = time.monotonic()
    try:
        post.status, _content, post.seconds = http_request(
            port, "POST", f"/de/anmeldung/{event_id}/", body
        )
    except OSError as error:
        post.seconds = time.monotonic() - post.sent_at
        post.error = type(error).__name__
    return post


def post_all(port: int, run: Run) -> None:
    """All of ``run``'s POSTs from ``run.threads`` client threads; wall time first to last."""
    pool = ThreadPoolExecutor(max_workers=run.threads, thread_name_prefix="client")
    try:
        started = time.monotonic()
        futures = [pool.submit(post_one, port, run.event_id, post) for post in run.posts]
        for future in futures:
            future.result()
        run.wall = time.monotonic() - started
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def mails_wait(inbox: Inbox, run: Run, worker: Process, timeout: float) -> None:
    """Until every accepted POST's mail has arrived (or ``timeout``); latencies into run."""
    deadline = time.monotonic() + timeout
    waiting = {post.address: post for post in run.ok}
    while waiting and time.monotonic() < deadline:
        for address in list(waiting):
            arrived = inbox.first(address)
            if arrived:
                run.mails[address] = arrived[0] - waiting.pop(address).sent_at
        if waiting:
            if not worker.alive():
                raise RuntimeError(f"the Celery worker ended:\n{worker.log_tail()}")
            time.sleep(0.05)


def addresses(tag: str, count: int) -> list[Post]:
    return [Post(f"{tag}-{number:05d}@bench.example") for number in range(count)]


# --- The member and its events -----------------------------------------------------------


def platform_and_events(seats: int) -> tuple[str, dict[str, int]]:
    """``setup_platform``, one member, an event index and the events: the member's
    schema and the events' page ids."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from sites.members.models import MemberEventIndexPage, MemberEventPage, MemberHomePage
    from tenants.services import member_create

    call_command("setup_platform", verbosity=0)
    member = member_create(name="Bench-Gemeinde Anmeldung", slug="rb", domain=MEMBER_HOST).member
    events = {
        "warm-up": None,
        "unlimited": None,
        f"{seats} seats + waiting list": seats,
        "mail latency": None,
    }
    ids = {}
    with schema_context(member.schema_name):
        home = MemberHomePage.objects.get(locale__language_code="de")
        index = home.add_child(
            instance=MemberEventIndexPage(
                title="Veranstaltungen", slug="veranstaltungen", live=False
            )
        )
        index.save_revision().publish()
        for number, (label, event_seats) in enumerate(events.items()):
            page = index.add_child(
                instance=MemberEventPage(
                    title=f"Fachtag Übergang Schule–Beruf {number + 1}",
                    slug=f"fachtag-{number + 1}",
                    start=timezone.now() + timedelta(days=30),
                    venue_name="Rathaus",
                    seats=event_seats,
                    registration_open=True,
                    waiting_list=True,
                    propose_highlight=False,
                    live=False,
                )
            )
            page.save_revision().publish()
            ids[label] = page.pk
    return member.schema_name, ids


def stored(schema: str, event_id: int) -> str:
    """What the event holds now, by status."""
    from django.db.models import Count
    from django_tenants.utils import schema_context

    from sites.registrations.models import Registration

    with schema_context(schema):
        rows = (
            Registration.objects.filter(event_id=event_id)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by("status")
        )
        return ", ".join(f"{n} {status}" for status, n in rows) or "none"


# --- Report ------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def mail_cells(run: Run) -> list[str]:
    values = list(run.mails.values())
    missing = len(run.ok) - len(values)
    if not values:
        return ["0", "", "", "", str(missing)]
    return [
        str(len(values)),
        f"{statistics.median(values):.2f}",
        f"{percentile(values, 0.95):.2f}",
        f"{max(values):.2f}",
        str(missing),
    ]


def report(throughput: list[Run], latency: Run, args) -> bool:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print()
    print(
        f"## bench/registration.py: gunicorn 2 sync workers, Celery worker concurrency "
        f"{args.concurrency}, aiosmtpd in the bench process; a fresh TCP connection per POST; "
        f"{os.cpu_count()} CPUs; load average at the end: {load}"
    )
    print()
    print(f"**(a) Registrations through the form, {args.threads} client threads**")
    print()
    print(
        "| event | POSTs | failed | wall s | registrations/s | POST p50 ms | POST p95 ms | "
        "POST max ms | stored | mails | mail p50 s | mail p95 s | mail max s | mails missing |"
    )
    print("|" + "---|" * 14)
    for run in throughput:
        seconds = [post.seconds for post in run.ok] or [0.0]
        cells = [
            run.label,
            str(len(run.posts)),
            run.failures,
            f"{run.wall:.2f}",
            f"{len(run.ok) / run.wall:.1f}",
            ms(statistics.median(seconds)),
            ms(percentile(seconds, 0.95)),
            ms(max(seconds)),
            run.stored,
            *mail_cells(run),
        ]
        print("| " + " | ".join(cells) + " |")
    print()
    print(
        "mail: seconds from sending the POST until its confirmation mail reached the SMTP "
        "server, while the form is under the load of (a); registrations/s: accepted POSTs / "
        "wall time from the first POST sent to the last answer."
    )
    print()
    print("**(b) Confirmation mail handed to SMTP after the form is submitted**")
    print()
    print("| run | POSTs | failed | POST p50 ms | mails | p50 s | p95 s | max s | missing |")
    print("|" + "---|" * 9)
    seconds = [post.seconds for post in latency.ok] or [0.0]
    cells = [latency.label, str(len(latency.posts)), latency.failures,
             ms(statistics.median(seconds)), *mail_cells(latency)]  # fmt: skip
    print("| " + " | ".join(cells) + " |")
    print()
    values = list(latency.mails.values())
    complete = values and len(values) == len(latency.posts)
    p95 = percentile(values, 0.95) if values else float("inf")
    passed = bool(complete) and p95 <= TARGET_P95_SECONDS
    verdict = "PASS" if passed else "FAIL"
    detail = f"p95 {p95:.2f} s" if values else "no mail arrived"
    if values and not complete:
        detail += f", {len(latency.posts) - len(values)} POSTs without mail"
    print(f"Target (issue 13) p95 <= {TARGET_P95_SECONDS:.0f} s: {verdict} ({detail})")
    return passed


# --- Run ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="POSTs per event in (a)")
    parser.add_argument("--mail-requests", type=int, default=100, help="POSTs in (b)")
    parser.add_argument("--threads", type=int, default=4, help="client threads in (a)")
    parser.add_argument("--seats", type=int, default=50, help="seats of the limited event")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--redis-db", type=int, default=13, help="cache and broker db")
    parser.add_argument("--mail-timeout", type=float, default=120, help="seconds per phase")
    args = parser.parse_args()
    if min(args.requests, args.mail_requests, args.threads, args.seats, args.concurrency) < 1:
        parser.error("all counts must be at least 1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below

    from aiosmtpd.controller import Controller

    url, name = database_url()
    redis_url = redis_url_with_db(os.environ["REDIS_URL"], args.redis_db)
    # first: a second run stops here and leaves the first one alone
    redis_claim(redis_url, REDIS_MARKER, "bench/registration.py")
    folder = Path(tempfile.mkdtemp(prefix="kn-bench-registration-"))
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    processes: list[Process] = []
    passed = False
    try:
        smtp.start()
        os.environ.update(
            DATABASE_URL=url,
            REDIS_URL=redis_url,
            DJANGO_SETTINGS_MODULE="core.settings.dev",
            DEBUG="false",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            REGISTRATION_RATE="100000/m",
            MEDIA_ROOT=str(folder / "media"),
            PYTHONUNBUFFERED="1",
        )
        say(f"Database {name}, Redis {redis_url}, SMTP 127.0.0.1:{smtp.port}, folder {folder}")
        _admin_sql(
            url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
        )
        import django

        django.setup()
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: every command
        say("Setting up the platform, one member and its events …")
        schema, events = platform_and_events(args.seats)

        port = free_port()
        server = gunicorn(dict(os.environ), folder / "gunicorn.log", port)
        worker = celery_worker(dict(os.environ), folder / "worker.log", args.concurrency)
        processes += [server, worker]
        server.start()
        worker.start()
        worker.wait_for_log("ready.", timeout=90)
        server_wait(server, port, "/de/veranstaltungen/fachtag-1/")
        say(f"gunicorn (2 sync workers) on 127.0.0.1:{port}, Celery worker ready")

        warm = Run("warm-up", events["warm-up"], addresses("warm", 4 * args.threads), args.threads)
        post_all(port, warm)
        mails_wait(inbox, warm, worker, args.mail_timeout)
        if len(warm.ok) != len(warm.posts) or len(warm.mails) != len(warm.ok):
            raise RuntimeError(
                f"warm-up: {warm.failures} failed, {len(warm.mails)}/{len(warm.ok)} mails"
            )
        say(f"Warmed up: {len(warm.posts)} registrations, their mails arrived")

        throughput = []
        for label in ("unlimited", f"{args.seats} seats + waiting list"):
            run = Run(label, events[label], addresses(f"a{len(throughput)}", args.requests),
                      args.threads)  # fmt: skip
            say(f"(a) {label}: {args.requests} POSTs from {args.threads} threads …")
            post_all(port, run)
            mails_wait(inbox, run, worker, args.mail_timeout)
            run.stored = stored(schema, run.event_id)
            say(f"    {len(run.ok) / run.wall:.1f} registrations/s; {len(run.mails)} mails")
            throughput.append(run)

        latency = Run("one client, one POST after the other", events["mail latency"],
                      addresses("b", args.mail_requests), 1)  # fmt: skip
        say(f"(b) {args.mail_requests} POSTs one after the other, waiting for their mails …")
        post_all(port, latency)
        mails_wait(inbox, latency, worker, args.mail_timeout)
        latency.stored = stored(schema, latency.event_id)

        passed = report(throughput, latency, args)
        expected = len(warm.ok) + sum(len(run.ok) for run in [*throughput, latency])
        if inbox.count() != expected:
            print(f"note: the SMTP server received {inbox.count()} mails for {expected} POSTs")
    except BaseException:
        for process in processes:
            if process.log.exists():
                print(f"--- {process.name} log (last lines) ---\n{process.log_tail()}")
        raise
    finally:
        for process in reversed(processes):
            process.stop()
        smtp.stop()
        redis_release(redis_url, REDIS_MARKER)
        leftovers_remove(url, name, folder)
        say("Cleaned up: server and worker stopped, SMTP server, database, Redis db, folder")
    return 0 if passed else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted")
