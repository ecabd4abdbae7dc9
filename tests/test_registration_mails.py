"""Registration end to end: the form, a real Celery worker and a real SMTP server, and
the last seats under concurrent requests to gunicorn's two processes.

The worker sends through ``EMAIL_URL`` to an aiosmtpd server in this process; what it
receives is parsed like a mail program would. Everything the worker must see is
committed (``committed``); each test removes its event (and its registrations with it).
"""

import email
import email.policy
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import icalendar
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from sites.registrations import tasks
from sites.registrations.models import Registration
from sites.search.models import SearchEntry
from tests.factories import MemberEventPageFactory, member_event_index
from tests.subprocesses import (
    app_env,
    broker_flush,
    database_url,
    free_port,
    process_start,
    process_stop,
)
from tests.test_highlights_worker import Worker, _reset_producer_pools

Status = Registration.Status
WAIT_SECONDS = 20

pytestmark = pytest.mark.skipif(
    int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1,
    reason="one Celery worker per broker db",
)


class Inbox:
    """An aiosmtpd handler that keeps what it receives, parsed."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(parsed)
        return "250 OK"

    def wait_for(self, to: str, subject: str, timeout: float = WAIT_SECONDS):
        """The first mail to ``to`` whose subject starts with ``subject``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.received:
                if message["To"] == to and str(message["Subject"]).strip().startswith(subject):
                    return message
            time.sleep(0.05)
        seen = [(m["To"], str(m["Subject"])) for m in self.received]
        pytest.fail(f"no mail {subject!r} to {to} after {timeout} s; received: {seen}")

    def to(self, address: str) -> list:
        return [m for m in self.received if m["To"] == address]


@pytest.fixture(autouse=True)
def _refuse_a_non_test_database(refuse_a_non_test_database):
    """The guard (tests/conftest.py) before every test of this module."""


def test_the_test_database_is_set_up(db):
    """pytest-django builds the test database only for a test that asks for ``db``."""
    assert connection.settings_dict["NAME"].startswith("test_")


@pytest.fixture(scope="module")
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture(scope="module")
def worker(platform, django_db_blocker, tmp_path_factory, smtp):
    """A Celery worker on this run's test database that mails through the SMTP server."""
    controller, _inbox = smtp
    with django_db_blocker.unblock():
        test_database = database_url(connection.settings_dict)
    broker_flush()
    _reset_producer_pools()
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    env = app_env(test_database, EMAIL_URL=f"smtp://127.0.0.1:{controller.port}")
    running = Worker.start(env, log, "kn-registrations")
    try:
        yield running
    finally:
        running.stop()
        _reset_producer_pools()
        broker_flush()
        with django_db_blocker.unblock():
            SearchEntry.objects.all().delete()  # the worker indexed the events published


@pytest.fixture
def inbox(smtp, worker, committed, settings):
    """The SMTP server's inbox, emptied; this process mails there too (inline fallback)."""
    controller, received = smtp
    received.received.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.REGISTRATION_RATE = "1000/m"
    return received


@pytest.fixture
def alpha(platform):
    """Member alpha without the rolled-back transaction of the ``alpha`` fixture: the
    worker must see what the tests write, and mails go only after a real commit."""
    return platform["alpha"]


@pytest.fixture
def make_event(alpha, inbox):
    """Committed events in alpha, deleted (with their registrations) afterwards."""
    made = []

    def make(**fields):
        fields = {"registration_open": True, "waiting_list": True, **fields}
        with schema_context(alpha.schema):
            event = MemberEventPageFactory(parent=member_event_index(), **fields)
        made.append(event)
        return event

    yield make
    with schema_context(alpha.schema):
        for event in made:
            event.delete()


def _link(message, kind: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"http://alpha\.localhost(/de/anmeldung/\S+/{kind}/)", text).group(1)


def _register(client, event, address):
    response = client.post(f"/de/anmeldung/{event.pk}/", {"name": "Ada", "email": address})
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def test_register_confirm_by_link_and_receive_the_event_as_ics(alpha, make_event, inbox):
    event = make_event(seats=10, title="Arbeitskreis Übergang Schule–Beruf")
    client = alpha.client()
    _register(client, event, "ada@example.org")

    request = inbox.wait_for("ada@example.org", "Bitte bestätigen Sie Ihre Anmeldung")
    assert request["From"].addresses[0].display_name == "Stadt Alpha"
    assert request.get_body(("html",)) is not None
    confirm_url = _link(request, "bestaetigen")
    assert client.post(confirm_url).status_code == 200

    confirmed = inbox.wait_for("ada@example.org", "Anmeldung bestätigt")
    (attachment,) = list(confirmed.iter_attachments())
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Arbeitskreis Übergang Schule–Beruf"
    assert vevent.decoded("DTSTART") == event.start.replace(microsecond=0)
    with schema_context(alpha.schema):
        assert Registration.objects.get(event_id=event.pk).status == Status.CONFIRMED


def test_a_cancellation_moves_the_first_waiting_person_up_and_mails_them(alpha, make_event, inbox):
    event = make_event(seats=1)
    client = alpha.client()
    _register(client, event, "first@example.org")
    response = _register(client, event, "second@example.org")
    assert "Platz 1 der Warteliste" in response.content.decode()
    waiting_mail = inbox.wait_for("second@example.org", "Bitte bestätigen")
    assert "Platz 1 der Warteliste" in waiting_mail.get_body(("plain",)).get_content()
    client.post(_link(waiting_mail, "bestaetigen"))  # confirmed, still waiting

    first_mail = inbox.wait_for("first@example.org", "Bitte bestätigen")
    assert client.post(_link(first_mail, "abmelden")).status_code == 200

    inbox.wait_for("first@example.org", "Abmeldung bestätigt")
    moved = inbox.wait_for("second@example.org", "Ein Platz ist frei geworden")
    assert [part.get_filename() for part in moved.iter_attachments()] == [f"{event.slug}.ics"]
    with schema_context(alpha.schema):
        second = Registration.objects.get(event_id=event.pk, email="second@example.org")
        assert second.status == Status.CONFIRMED


def _add(event, address, status, confirmed=True, created=None):
    with schema_context("alpha"):
        return Registration.objects.create(
            event_id=event.pk,
            email=address,
            name=address.split("@")[0],
            status=status,
            email_confirmed_at=timezone.now() if confirmed else None,
            created_at=created or timezone.now(),
        )


def _run_in_worker(worker, task) -> None:
    """Send ``task`` to the worker as beat would, and wait until it has run."""
    result = task.apply_async()
    worker.wait_for(rf"{re.escape(task.name)}\[{result.id}\] succeeded", timeout=WAIT_SECONDS)


def test_the_reminder_goes_once_and_to_confirmed_participants_only(
    alpha, make_event, inbox, worker
):
    event = make_event(seats=2, start=timezone.now() + timedelta(days=2), reminder_days=3)
    _add(event, "confirmed@example.org", Status.CONFIRMED)
    _add(event, "pending@example.org", Status.PENDING, confirmed=False)
    _add(event, "waiting@example.org", Status.WAITING)
    _add(event, "gone@example.org", Status.CANCELLED)
    _run_in_worker(worker, tasks.remind)
    reminder = inbox.wait_for("confirmed@example.org", "Erinnerung")
    assert [a.get_filename() for a in reminder.iter_attachments()] == [f"{event.slug}.ics"]
    _run_in_worker(worker, tasks.remind)
    time.sleep(0.5)
    assert len(inbox.to("confirmed@example.org")) == 1
    for address in ("pending@example.org", "waiting@example.org", "gone@example.org"):
        assert inbox.to(address) == []


def test_expired_pending_and_past_retention_registrations_are_deleted(
    alpha, make_event, inbox, worker
):
    upcoming = make_event(seats=1)
    stale = _add(upcoming, "stale@example.org", Status.PENDING, confirmed=False,
                 created=timezone.now() - timedelta(hours=49))  # fmt: skip
    _add(upcoming, "next@example.org", Status.WAITING)
    ended = make_event(start=timezone.now() - timedelta(days=40))
    _add(ended, "old@example.org", Status.CONFIRMED)

    _run_in_worker(worker, tasks.expire)
    inbox.wait_for("next@example.org", "Ein Platz ist frei geworden")
    _run_in_worker(worker, tasks.retention)
    with schema_context(alpha.schema):
        assert not Registration.objects.filter(pk=stale.pk).exists()
        assert Registration.objects.get(event_id=upcoming.pk).email == "next@example.org"
        assert not Registration.objects.filter(event_id=ended.pk).exists()
        assert ended.registration_archive.confirmed == 1


@pytest.fixture
def web(inbox, smtp, tmp_path):
    """gunicorn with 2 workers on the test database, as in production."""
    controller, _inbox = smtp
    port = free_port()
    env = app_env(
        database_url(connection.settings_dict),
        REGISTRATION_RATE="1000/m",
        EMAIL_URL=f"smtp://127.0.0.1:{controller.port}",
    )
    command = [".venv/bin/gunicorn", "core.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    server = process_start(command, env, tmp_path / "gunicorn.log")
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail((tmp_path / "gunicorn.log").read_text(errors="replace"))
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process_stop(server)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _post(url: str, host: str, data: dict) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers={"Host": host})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_twenty_concurrent_requests_for_five_seats_through_two_web_processes(
    alpha, make_event, inbox, web
):
    event = make_event(seats=5, waiting_list=False)
    url = f"{web}/de/anmeldung/{event.pk}/"
    barrier = threading.Barrier(20)

    def register(n):
        barrier.wait()
        return _post(url, alpha.host, {"name": f"Person {n}", "email": f"racer{n}@example.org"})

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(register, range(20)))
    statuses = sorted(status for status, _body in answers)
    assert statuses == [200] * 5 + [409] * 15
    assert all("Alle Plätze sind vergeben" in body for status, body in answers if status == 409)
    with schema_context(alpha.schema):
        seats = Registration.objects.filter(event_id=event.pk, status__in=Registration.SEAT_STATES)
        winners = sorted(seats.values_list("email", flat=True))
    assert len(winners) == 5
    for address in winners:
        inbox.wait_for(address, "Bitte bestätigen Sie Ihre Anmeldung")
