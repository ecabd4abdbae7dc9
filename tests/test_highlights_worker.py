"""The highlight pipeline end to end: a real Redis broker and a real Celery worker process.

The worker runs ``celery -A core worker`` against this run's test database, broker db
(TEST_REDIS_DB + 1) and media folder. Everything it must see is committed (``committed``),
so each test removes the pages and rows it made. Results are awaited by polling the
Highlight table; what the worker did with a task (succeeded, raised) is read from its log.
"""

import logging
import os
import re
import signal
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction

from core.celery import app as celery_app
from sites.highlights.models import DirectoryEntry, Highlight
from sites.highlights.services import member_content_sync
from sites.highlights.tasks import reconcile, sync_page
from sites.members.models import MemberNewsIndexPage, MemberNewsPage, ProfilePage
from sites.search.models import SearchEntry
from tenants.models import Member
from tenants.services import member_delete
from tests.factories import (
    MemberFactory,
    MemberNewsIndexPageFactory,
    MemberNewsPageFactory,
    ProfilePageFactory,
    member_home,
    member_news_index,
    translation_publish,
)
from tests.subprocesses import app_env, broker_flush, database_url

BASE_DIR = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 10
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.skipif(
    int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1,
    reason="one Celery worker per broker db: the xdist processes would take each other's tasks",
)


# --- The test database ---------------------------------------------------------------
#
# pytest-django creates the test database only for collected tests that use ``db`` (or a
# django_db marker); the worker tests use ``committed`` alone. The first test below asks
# for ``db`` so the database is set up, and the guard refuses to go on without it rather
# than let ``platform`` and the worker write into DATABASE_URL's own database.


@pytest.fixture(autouse=True)
def _refuse_a_non_test_database(refuse_a_non_test_database):
    """The guard (tests/conftest.py) before every test of this module."""


def test_the_worker_is_given_the_test_database(db):
    parsed = environ.Env.db_url_config(database_url(connection.settings_dict))
    assert parsed["NAME"] == connection.settings_dict["NAME"]
    assert parsed["NAME"].startswith("test_")
    assert parsed["USER"] == connection.settings_dict["USER"]
    host = connection.settings_dict["HOST"] or connection.settings_dict["OPTIONS"].get("host")
    assert (parsed["HOST"] or parsed["OPTIONS"].get("host")) == host


# --- The worker ---------------------------------------------------------------------


def _reset_producer_pools() -> None:
    """Make the app build its connection and producer pools again from ``broker_url``.

    The pools themselves stay open: kombu keeps them in a process-wide registry keyed by
    URL and hands the same ones out again when the URL comes back.
    """
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _broker_db(url: str) -> int:
    with celery_app.connection_for_write(url) as conn:
        return conn.default_channel.client.connection_pool.connection_kwargs["db"]


def test_the_broker_url_selects_the_test_redis_db():
    """Tests and their worker must not share a broker with development or other runs."""
    assert _broker_db(settings.CELERY_BROKER_URL) == settings.TEST_REDIS_DB + 1
    assert _broker_db(settings.CELERY_BROKER_URL) == settings.TEST_REDIS_DB + 1


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process = process
        self.log = log

    @classmethod
    def start(cls, env: dict, log: Path, name: str) -> "Worker":
        """``celery -A core worker`` with ``env``, one process, logging to ``log``; returns
        once it is ready (stop it with :meth:`stop`)."""
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603
                [
                    str(BASE_DIR / ".venv" / "bin" / "celery"),
                    "-A", "core", "worker",
                    "--concurrency", "1",
                    "--loglevel", "INFO",
                    "--without-gossip", "--without-mingle", "--without-heartbeat",
                    "--hostname", f"{name}-{os.getpid()}@%h",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        worker = cls(process, log)
        try:
            worker.wait_for(r"@\S+ ready\.", timeout=90)
        except BaseException:
            worker.stop()
            raise
        return worker

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float = WAIT_SECONDS) -> re.Match:
        """The first match of ``pattern`` (a regular expression) in the worker's log."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, self.output())
            if match:
                return match
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}):\n{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {pattern!r} in the worker log after {timeout} s:\n{self.output()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown: finishes the running task
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own process group
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def worker(platform, django_db_blocker, tmp_path_factory):
    """A Celery worker process on this run's test database, broker db and media folder."""
    with django_db_blocker.unblock():
        test_database = database_url(connection.settings_dict)
    broker_flush()
    saved_broker = celery_app.conf.broker_url
    _reset_producer_pools()
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    running = Worker.start(app_env(test_database), log, "kn-test")
    try:
        yield running
    finally:
        running.stop()
        _reset_producer_pools()
        celery_app.conf.broker_url = saved_broker
        broker_flush()
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            Highlight.objects.all().delete()  # whatever a failed test left behind
            SearchEntry.objects.all().delete()  # the worker indexed the pages published


@pytest.fixture(scope="module")
def news_index(worker, platform, django_db_blocker):
    """A committed news index in alpha for this module's pages; removed at the end."""
    alpha = platform["alpha"]
    with django_db_blocker.unblock(), schema_context(alpha.schema):
        index = MemberNewsIndexPageFactory(
            parent=member_home(), title="Worker-Nachrichten", slug="worker-nachrichten"
        )
    yield index.pk
    with django_db_blocker.unblock(), schema_context(alpha.schema):
        Page.objects.filter(pk=index.pk).first().delete()


# --- Helpers ------------------------------------------------------------------------


def _news(schema: str, index_id: int | None, title: str, publish: bool = True) -> MemberNewsPage:
    """A proposing news page in ``schema`` (committed); published unless told otherwise."""
    with schema_context(schema):
        index = MemberNewsIndexPage.objects.get(pk=index_id) if index_id else member_news_index()
        return MemberNewsPageFactory(
            parent=index, title=title, propose_highlight=True, publish=publish
        )


def _delete(schema: str, *pages: Page) -> None:
    with schema_context(schema):
        Page.objects.filter(pk__in=[p.pk for p in pages]).delete()


def _member(slug: str) -> Member:
    connection.set_schema_to_public()
    return Member.objects.prefetch_related("domains").get(slug=slug)


def _row(member, page_id: int) -> Highlight | None:
    """The page's row while it is on the network (not withdrawn)."""
    connection.set_schema_to_public()
    rows = Highlight.objects.filter(member=member, source_page_id=page_id)
    return rows.filter(withdrawn_at__isnull=True).first()


def _wait(condition, what: str, timeout: float = WAIT_SECONDS):
    """Poll ``condition`` until it returns something truthy; that value is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"after {timeout} s still not: {what}")
        time.sleep(0.05)


def _wait_row(member, page_id: int, check=lambda row: True) -> Highlight:
    return _wait(
        lambda: (row := _row(member, page_id)) is not None and check(row) and row,
        f"a matching Highlight row for page {page_id}",
    )


def _wait_gone(member, page_id: int) -> None:
    _wait(lambda: _row(member, page_id) is None, f"Highlight row for page {page_id} withdrawn")


def _task_done(worker: Worker, task_id: str) -> str:
    """Wait until the worker finished the task; 'succeeded' or 'raised'."""
    match = worker.wait_for(rf"Task \S+\[{re.escape(task_id)}\] (succeeded|raised)")
    return match.group(1)


@contextmanager
def _broker_unreachable():
    """Point this process's Celery app at a closed port; restore broker and pools after."""
    saved = celery_app.conf.broker_url
    _reset_producer_pools()
    celery_app.conf.broker_url = UNREACHABLE_BROKER
    try:
        yield
    finally:
        _reset_producer_pools()
        celery_app.conf.broker_url = saved


# --- Cases --------------------------------------------------------------------------


def test_publish_proposes_a_highlight_and_unpublish_removes_it(worker, news_index, committed):
    alpha = _member("alpha")
    page = _news(alpha.schema_name, news_index, "Ausbildungsmesse „Zukunft“")
    try:
        row = _wait_row(alpha, page.pk)
        assert (row.state, row.title, row.page_type, row.locale) == (
            "proposed",
            "Ausbildungsmesse „Zukunft“",
            "news",
            "de",
        )
        assert row.url == f"http://alpha.localhost/de/worker-nachrichten/{page.slug}/"
        with schema_context(alpha.schema_name):
            MemberNewsPage.objects.get(pk=page.pk).unpublish()
        _wait_gone(alpha, page.pk)
    finally:
        _delete(alpha.schema_name, page)


def test_publish_puts_a_page_into_the_search_and_unpublish_takes_it_out(
    worker, news_index, committed
):
    """The same pipeline feeds the network search index (sites.search)."""
    alpha = _member("alpha")
    page = _news(alpha.schema_name, news_index, "Suchbare Nachricht")

    def entry():
        connection.set_schema_to_public()
        return SearchEntry.objects.filter(schema_name="alpha", page_id=page.pk).first()

    try:
        row = _wait(entry, "the page in the search index")
        assert (row.member_id, row.title, row.language) == (alpha.pk, "Suchbare Nachricht", "de")
        with schema_context(alpha.schema_name):
            MemberNewsPage.objects.get(pk=page.pk).unpublish()
        _wait(lambda: entry() is None, "the unpublished page out of the search index")
    finally:
        _delete(alpha.schema_name, page)


def test_republishing_an_approved_page_keeps_the_state_and_the_change_waits(
    worker, news_index, committed
):
    alpha = _member("alpha")
    page = _news(alpha.schema_name, news_index, "Girls' Day")
    try:
        _wait_row(alpha, page.pk)
        Highlight.objects.filter(member=alpha, source_page_id=page.pk).update(state="approved")
        with schema_context(alpha.schema_name):
            page.title = "Girls' Day und Boys' Day"
            page.save_revision().publish()
        row = _wait_row(alpha, page.pk, lambda row: row.pending is not None)
        assert (row.title, row.pending["title"]) == ("Girls' Day", "Girls' Day und Boys' Day")
        assert (row.state, row.changed_since_approval) == ("approved", True)
    finally:
        _delete(alpha.schema_name, page)
    _wait_gone(alpha, page.pk)


def test_a_translation_joins_the_pages_row_until_it_is_deleted(worker, news_index, committed):
    """Publishing a translation syncs the page's whole group into its one row; deleting
    the translation (the page is gone, its group key came with the signal) drops it."""
    alpha = _member("alpha")
    page = _news(alpha.schema_name, news_index, "Ausbildungsmesse")
    with schema_context(alpha.schema_name):
        english_before = list(
            Page.objects.filter(locale__language_code="en").values_list("pk", flat=True)
        )
    try:
        _wait_row(alpha, page.pk)
        Highlight.objects.filter(member=alpha, source_page_id=page.pk).update(state="approved")
        with schema_context(alpha.schema_name):
            english = translation_publish(page, "en", title="Training fair")
        row = _wait_row(alpha, page.pk, lambda row: row.pending is not None)
        assert row.translations == {}  # the approved version stays until an editor accepts
        assert row.pending["translations"]["en"] == {
            "title": "Training fair",
            "teaser": "Jetzt anmelden.",
            "url": f"http://alpha.localhost/en/worker-nachrichten/{page.slug}/",
        }
        assert (row.title, row.state, row.changed_since_approval) == (
            "Ausbildungsmesse",
            "approved",
            True,
        )
        assert Highlight.objects.filter(translation_key=page.translation_key).count() == 1

        with schema_context(alpha.schema_name):
            Page.objects.get(pk=english.pk).delete()
        row = _wait_row(alpha, page.pk, lambda row: row.pending is None)
        assert (row.translations, row.state, row.changed_since_approval) == ({}, "approved", False)
    finally:
        with schema_context(alpha.schema_name):
            Page.objects.filter(locale__language_code="en").exclude(pk__in=english_before).delete()
        _delete(alpha.schema_name, page)
    _wait_gone(alpha, page.pk)


def test_a_page_made_private_leaves_the_network_at_once_and_returns_in_its_state(
    worker, news_index, committed
):
    """Privacy is set on a page (or above it); no reconciliation is needed."""
    alpha = _member("alpha")
    page = _news(alpha.schema_name, news_index, "Elternabend")
    try:
        _wait_row(alpha, page.pk)
        Highlight.objects.filter(member=alpha, source_page_id=page.pk).update(state="featured")
        with schema_context(alpha.schema_name):
            restriction = PageViewRestriction.objects.create(
                page=MemberNewsIndexPage.objects.get(pk=news_index),
                restriction_type=PageViewRestriction.PASSWORD,
                password="nur-fuer-eltern",
            )
        _wait_gone(alpha, page.pk)
        assert not Highlight.objects.visible().filter(source_page_id=page.pk).exists()
        with schema_context(alpha.schema_name):
            restriction.delete()
        row = _wait_row(alpha, page.pk)
        assert (row.state, row.changed_since_approval) == ("featured", False)
    finally:
        with schema_context(alpha.schema_name):
            PageViewRestriction.objects.filter(page_id=news_index).delete()
        _delete(alpha.schema_name, page)
    _wait_gone(alpha, page.pk)


def test_deleting_the_page_removes_the_highlight(worker, news_index, committed):
    alpha = _member("alpha")
    page = _news(alpha.schema_name, news_index, "Bewerbungstraining")
    try:
        _wait_row(alpha, page.pk)
    finally:
        with schema_context(alpha.schema_name):
            Page.objects.get(pk=page.pk).delete()
    _wait_gone(alpha, page.pk)


def test_the_same_event_twice_leaves_one_row(worker, news_index, committed):
    alpha = _member("alpha")
    page = _news(alpha.schema_name, news_index, "Praktikumsbörse")
    try:
        _wait_row(alpha, page.pk)
        Highlight.objects.filter(member=alpha, source_page_id=page.pk).delete()
        first = sync_page.delay(alpha.schema_name, str(page.translation_key))
        second = sync_page.delay(alpha.schema_name, str(page.translation_key))
        assert _task_done(worker, first.id) == "succeeded"
        assert _task_done(worker, second.id) == "succeeded"
        assert Highlight.objects.filter(member=alpha, source_page_id=page.pk).count() == 1
    finally:
        _delete(alpha.schema_name, page)
    _wait_gone(alpha, page.pk)


def test_publishing_with_the_broker_down_succeeds_and_reconciliation_heals(
    worker, news_index, committed, caplog
):
    alpha = _member("alpha")
    page = _news(alpha.schema_name, news_index, "Elternabend Berufswahl", publish=False)
    try:
        with (
            _broker_unreachable(),
            caplog.at_level(logging.WARNING, logger="core.tasks"),
            schema_context(alpha.schema_name),
        ):
            started = time.monotonic()
            page.save_revision().publish()  # must not raise
            publish_seconds = time.monotonic() - started
        with schema_context(alpha.schema_name):
            assert MemberNewsPage.objects.get(pk=page.pk).live
        warnings = [
            r.getMessage()
            for r in caplog.records
            if r.name == "core.tasks" and r.levelno == logging.WARNING
        ]
        sent = f"highlights.sync_page({alpha.schema_name}, {page.translation_key}, "
        assert [w for w in warnings if w.startswith("Task highlights.")] == [
            w for w in warnings if sent in w
        ], caplog.text
        assert len(warnings) == 2, caplog.text  # and the search index's, healed likewise
        assert any("search.reconcile" in w for w in warnings), caplog.text
        assert publish_seconds < 3, f"publish blocked {publish_seconds:.1f} s"

        assert _row(alpha, page.pk) is None  # the event is lost ...
        healing = reconcile.delay()  # ... until the next reconciliation (broker back)
        row = _wait_row(alpha, page.pk)
        assert _task_done(worker, healing.id) == "succeeded"
        assert row.state == "proposed"
    finally:
        _delete(alpha.schema_name, page)
    _wait_gone(alpha, page.pk)


def test_a_task_for_an_unknown_schema_fails_and_writes_nothing(worker, committed):
    connection.set_schema_to_public()
    before = set(Highlight.objects.values_list("pk", "updated"))
    with schema_context("member_template"):
        template_home = Page.objects.filter(depth=2).values_list("translation_key", flat=True)[0]
    unknown = sync_page.delay("gibtsnicht", str(uuid.uuid4()))
    template = sync_page.delay("member_template", str(template_home))
    for result in (unknown, template):
        match = worker.wait_for(rf"Task \S+\[{re.escape(result.id)}\] (succeeded|raised)[^\n]*")
        assert match.group(1) == "raised"
        assert "UnknownSchema" in match.group(0)
    assert set(Highlight.objects.values_list("pk", "updated")) == before


def test_a_broken_member_schema_does_not_stop_the_reconciliation(
    worker, news_index, committed, tmp_path
):
    alpha = _member("alpha")
    gamma = MemberFactory(name="Gemeinde Gamma", slug="gamma-kaputt", domain="gamma.localhost")
    pages = []
    try:
        pages.append(_news(alpha.schema_name, news_index, "Tag der offenen Tür"))
        gamma_page = _news(gamma.schema_name, None, "Ferienjobs")
        _wait_row(alpha, pages[0].pk)
        _wait_row(gamma, gamma_page.pk)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE "{gamma.schema_name}".members_membereventpage CASCADE')
        Highlight.objects.filter(member__in=[alpha, gamma]).delete()

        sweep = reconcile.delay()
        assert _task_done(worker, sweep.id) == "succeeded"
        worker.wait_for(rf"schema {gamma.schema_name} skipped \(broken schema or bad data\)")
        worker.wait_for(rf"Member content reconciliation: [^\n]*übersprungen[^\n]*{gamma.slug}")
        assert _row(alpha, pages[0].pk) is not None
        assert _row(gamma, gamma_page.pk) is None
        # The sweep is also callable in-process, with the same outcome.
        report = member_content_sync()
        assert report.skipped == [gamma.slug]
        assert (report.highlights.created, report.highlights.removed) == (0, 0)
    finally:
        connection.set_schema_to_public()
        member_delete(gamma, tmp_path)
        _delete(alpha.schema_name, *pages)
    for page in pages:
        _wait_gone(alpha, page.pk)
    assert not Highlight.objects.filter(member_id=gamma.pk).exists()


def test_publish_inside_schema_context_within_an_outer_public_atomic_syncs_the_member(
    worker, news_index, committed
):
    """ARCHITECTURE.md trap 5: the callback runs after the context exited; it must have
    captured alpha at registration, not read the connection's schema at commit time."""
    alpha = _member("alpha")
    page = _news(alpha.schema_name, news_index, "Berufsorientierungswoche", publish=False)
    try:
        connection.set_schema_to_public()
        with transaction.atomic():
            with schema_context(alpha.schema_name):
                MemberNewsPage.objects.get(pk=page.pk).save_revision().publish()
            assert connection.schema_name == "public"
        row = _wait_row(alpha, page.pk)
        assert (row.member_id, row.title) == (alpha.pk, "Berufsorientierungswoche")
        worker.wait_for(rf"Member content sync {alpha.schema_name}/{page.translation_key}: ")
    finally:
        _delete(alpha.schema_name, page)
    _wait_gone(alpha, page.pk)


def test_publishing_a_profile_fills_the_directory_and_unpublishing_empties_it(worker, committed):
    """The directory travels the same way as the highlights: the worker writes the entry."""
    alpha = _member("alpha")
    with schema_context(alpha.schema_name):
        profile = ProfilePageFactory(parent=member_home(), contact_name="Petra Muster")

    def entry():
        connection.set_schema_to_public()
        return DirectoryEntry.objects.filter(member=alpha).first()

    try:
        found = _wait(entry, "a directory entry for alpha")
        assert (found.contact_name, found.profile_url) == (
            "Petra Muster",
            f"http://alpha.localhost/de/{profile.slug}/",
        )
        with schema_context(alpha.schema_name):
            ProfilePage.objects.get(pk=profile.pk).unpublish()
        _wait(lambda: entry() is None, "alpha's directory entry removed")
    finally:
        with schema_context(alpha.schema_name):
            Page.objects.filter(pk=profile.pk).delete()
        DirectoryEntry.objects.filter(member=alpha).delete()
