"""Faults and races an operator meets: a database restart under running web workers,
two provisioning runs for one slug at the same moment, host names as DNS writes them."""

import contextlib
import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_exists

from tenants import services
from tenants.models import Domain, Member
from tests.conftest import HostClient
from tests.subprocesses import database_url, free_port, process_start, process_stop

BASE_DIR = Path(__file__).resolve().parent.parent
APPLICATION_NAME = "kn-fault-test"


# A view that reads the database every time (a page view may need no query at all: its
# page, frame and lists come from the site data, core.caching).
READS_THE_DATABASE = "/sitemap.xml"


def _get(port: int, host: str, path: str = READS_THE_DATABASE) -> int:
    request = urllib.request.Request(  # noqa: S310 - a fixed http URL on the loopback
        f"http://127.0.0.1:{port}{path}", headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _gunicorn_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APPLICATION_NAME]
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def gunicorn(committed, tmp_path):
    """One sync gunicorn worker on the test database, keeping its connection open."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.fault_settings",
        "DATABASE_URL": database_url(
            {
                **connection.settings_dict,
                "OPTIONS": {
                    **connection.settings_dict.get("OPTIONS", {}),
                    "application_name": APPLICATION_NAME,
                },
            }
        ),
        "REDIS_URL": settings.REDIS_URL,
        "TEST_REDIS_DB": str(settings.TEST_REDIS_DB),
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PAGE_CACHE_SECONDS": "0",  # every view is rendered
    }
    command = [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "core.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-"]
    log = tmp_path / "gunicorn.log"
    process = process_start(command, env, log)
    try:
        deadline = time.monotonic() + 60
        while _get_or_none(port) is None:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield port, log
    finally:
        process_stop(process)


def _get_or_none(port: int) -> int | None:
    try:
        return _get(port, "localhost", "/admin/login/")
    except OSError:
        return None


def test_no_visitor_sees_a_500_after_the_database_drops_the_connections(platform, gunicorn):
    alpha = platform["alpha"]
    port, log = gunicorn
    assert _get(port, alpha.host) == 200
    backends = _gunicorn_backends()
    assert len(backends) == 1, "the worker keeps its connection between requests"

    # What a PostgreSQL restart does to a kept connection.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [backends[0]])
        assert cursor.fetchone() == (True,)
    deadline = time.monotonic() + 5
    while _gunicorn_backends() and time.monotonic() < deadline:
        time.sleep(0.05)

    assert [_get(port, alpha.host) for _ in range(3)] == [200, 200, 200], log.read_text()
    assert _gunicorn_backends() not in ([], backends), "the worker reconnected"


def test_two_create_member_runs_for_one_slug_end_with_one_member_and_one_refusal(
    committed, monkeypatch
):
    """Both runs pass their checks at the same moment (the barrier lines them up
    where they would interleave); the loser gets the usual one-line refusal."""
    barrier = threading.Barrier(2)
    domain_free_ensure = services._domain_free_ensure

    def both_checked(*args, **kwargs):
        # the other run may not come: it waits for this one to finish
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)
        return domain_free_ensure(*args, **kwargs)

    monkeypatch.setattr(services, "_domain_free_ensure", both_checked)
    outcomes = []

    def create():
        try:
            call_command(
                "create_member", "--name=Wettlauf", "--slug=wettlauf", "--domain=wettlauf.localhost"
            )
            outcomes.append("created")
        except Exception as error:  # noqa: BLE001 - the outcome is what the test compares
            outcomes.append(error)
        finally:
            connection.close()

    runs = [threading.Thread(target=create) for _ in range(2)]
    try:
        for run in runs:
            run.start()
        for run in runs:
            run.join(timeout=60)
        refusals = [o for o in outcomes if isinstance(o, CommandError)]
        assert outcomes.count("created") == 1, outcomes
        assert len(refusals) == 1, outcomes
        assert str(refusals[0]) == "Ein Mitglied mit dem Kürzel „wettlauf“ gibt es schon."
        member = Member.objects.get(slug="wettlauf")
        assert list(Domain.objects.filter(domain="wettlauf.localhost")) == [member.domains.get()]
        assert schema_exists("wettlauf")
        assert (Path(settings.MEDIA_ROOT) / "wettlauf").is_dir(), "the winner's media folder"
    finally:
        for member in Member.objects.filter(slug="wettlauf"):
            services._schema_and_rows_remove(member)


@pytest.mark.parametrize(
    "host", ["ALPHA.localhost", "Alpha.Localhost", "alpha.localhost.", "ALPHA.LOCALHOST.:8000"]
)
def test_host_names_are_matched_as_dns_treats_them(alpha, host):
    response = HostClient(host).get("/de/")
    assert response.status_code == 200
    assert "<h1>Stadt Alpha</h1>" in response.content.decode()


def test_only_one_trailing_dot_is_ignored(alpha):
    assert HostClient("alpha.localhost..").get("/de/").status_code in (400, 404)
