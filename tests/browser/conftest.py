"""Browser tests: Playwright drives Debian's Chromium against the app served by gunicorn.

One live server for all of them: gunicorn (2 sync workers) and a Celery worker on this
run's test database, cache and broker Redis dbs and media folder, with the live port in
generated URLs (live_settings.py). The demo network is committed to the test database for
these tests and removed afterwards (content.py); they run after all other tests
(``pytest_collection_modifyitems``), so no other test sees it.

Screenshots: ``shot("step")`` writes test-artifacts/browser/<test>/<nn-step>.png; a test
that fails leaves one more, "<nn>-failure.png", of the page as it was at the failure.

Needs /usr/bin/chromium and node_modules/axe-core (``make test`` installs both).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import override_settings

from tests.browser.axe import AXE_SCRIPT
from tests.browser.content import Content, PublicState, content_build, content_remove
from tests.subprocesses import (
    broker_flush,
    database_url,
    free_port,
    process_start,
    process_stop,
)

BASE_DIR = Path(__file__).resolve().parents[2]
BROWSER_DIR = Path(__file__).resolve().parent
ARTIFACTS = BASE_DIR / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
START_SECONDS = 90
DESKTOP = {"width": 1280, "height": 800}


# --- Order and reports ------------------------------------------------------------------


def pytest_collection_modifyitems(session, config, items):
    """Browser tests last: they commit the demo network while they run. Their marker
    makes pytest-django create the test database even when they run alone."""
    browser = [item for item in items if BROWSER_DIR in Path(item.path).parents]
    for item in browser:
        item.add_marker(pytest.mark.django_db)
    others = [item for item in items if BROWSER_DIR not in Path(item.path).parents]
    items[:] = others + browser


REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell a failed test."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


# --- The live server ----------------------------------------------------------------


@dataclass
class LiveServer:
    port: int
    content: Content | None
    gunicorn: subprocess.Popen | None
    worker: subprocess.Popen | None
    logs: Path
    mails: Path  # the .eml files gunicorn and the worker write (core.mail.EmlFileBackend)

    def url(self, path: str = "/", member: str | None = None) -> str:
        """An address on the network host, or on a member's host (``member`` = slug)."""
        host = f"{member}.localhost" if member else "localhost"
        return f"http://{host}:{self.port}{path}"

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")


def _answers(port: int) -> bool:
    request = urllib.request.Request(  # noqa: S310 - a fixed http URL on the loopback
        f"http://127.0.0.1:{port}/admin/login/", headers={"Host": f"localhost:{port}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_ready(live: LiveServer) -> None:
    deadline = time.monotonic() + START_SECONDS
    gunicorn_up = worker_up = False
    while not (gunicorn_up and worker_up):
        for name, process in (("gunicorn", live.gunicorn), ("worker", live.worker)):
            if process.poll() is not None:
                pytest.fail(f"{name} exited ({process.returncode}):\n{live.log(name)[-4000:]}")
        gunicorn_up = gunicorn_up or _answers(live.port)
        worker_up = worker_up or re.search(r"@\S+ ready\.", live.log("worker")) is not None
        if time.monotonic() > deadline:
            pytest.fail(
                f"live server not ready after {START_SECONDS} s:\n"
                f"{live.log('gunicorn')[-3000:]}\n{live.log('worker')[-3000:]}"
            )
        time.sleep(0.1)


@pytest.fixture(scope="session")
def live(platform, django_db_blocker, tmp_path_factory) -> Iterator[LiveServer]:
    """gunicorn and a Celery worker serving the demo network on a free port.

    The servers boot while the demo is written (they only read it once asked); what
    they do with the demo's own publish events is what content_build did already.
    """
    missing = [str(p) for p in (CHROMIUM, AXE_SCRIPT) if not p.exists()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make browser-tools` (`make test` does)")
    with django_db_blocker.unblock():
        database = connection.settings_dict["NAME"]
        assert database.startswith("test_"), f"refusing to serve {database} to a browser"
        test_database = database_url(connection.settings_dict)
        before = PublicState.take()
    port = free_port()
    logs = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.live_settings",
        "LIVE_PUBLIC_PORT": str(port),
        "DATABASE_URL": test_database,
        "REDIS_URL": settings.REDIS_URL,
        "TEST_REDIS_DB": str(settings.TEST_REDIS_DB),
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    bin_dir = BASE_DIR / ".venv" / "bin"
    broker_flush()
    # core/settings/test.py names the mail folder after the database: for the live server
    # the test database (this process's EMAIL_FILE_PATH was named before that existed)
    mails = BASE_DIR / ".data" / f"test-mail-{database}"
    server = LiveServer(port, None, None, None, logs, mails)
    live_port = override_settings(PUBLIC_PORT=port)  # this process's URLs match the server's
    live_port.enable()
    try:
        server.gunicorn = process_start(
            [
                str(bin_dir / "gunicorn"), "core.wsgi",
                "--bind", f"127.0.0.1:{port}",
                "--workers", "2",
                "--timeout", "60",
                "--graceful-timeout", "5",
                "--access-logfile", "-",
            ],
            env,
            logs / "gunicorn.log",
        )  # fmt: skip
        server.worker = process_start(
            [
                str(bin_dir / "celery"), "-A", "core", "worker",
                "--concurrency", "1",
                "--loglevel", "INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--hostname", f"kn-browser-{os.getpid()}@%h",
            ],
            env,
            logs / "worker.log",
        )  # fmt: skip
        with django_db_blocker.unblock():
            server.content = content_build()
        _wait_ready(server)
        yield server
    finally:
        for process in (server.gunicorn, server.worker):
            if process is not None:
                process_stop(process)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for log in logs.glob("*.log"):  # kept beside the screenshots
            shutil.copyfile(log, ARTIFACTS / log.name)
        broker_flush()
        live_port.disable()
        with django_db_blocker.unblock():
            content_remove(before)


@pytest.fixture(autouse=True)
def _server_logs_if_failed(request):
    """What gunicorn and the worker last said, in the report of a failed test."""
    yield
    reports = request.node.stash.get(REPORTS, {})
    if "live" in request.fixturenames and any(r.failed for r in reports.values()):
        live = request.getfixturevalue("live")
        for name in ("gunicorn", "worker"):
            print(f"--- {name} (last lines) ---\n" + "\n".join(live.log(name).splitlines()[-25:]))


@pytest.fixture(autouse=True)
def back_to_public():
    """Overrides the suite's fixture of that name: the demo members' media folders must
    stay for the whole session (content_remove deletes them at the end)."""
    yield
    connection.set_schema_to_public()


# --- The browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(live):
    """One Chromium for all tests.

    Playwright's sync API runs an event loop in this thread, which makes Django refuse
    database access ("async context") while it lives: the tests' own queries are plain
    synchronous ones, so that check is switched off for as long as the browser runs. It
    also switches the context in which Django keeps its connections: without handing
    the session's connection over, each test would open a second one and leave it open
    (the test database could then not be dropped at the end).
    """
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    session_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, session_connection in session_connections.items():
                connections[alias] = session_connection
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


def _artifact_dir(node) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", node.name).strip("-")
    folder = ARTIFACTS / name
    if folder.exists():
        for old in folder.glob("*.png"):
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Screenshots:
    """Numbered screenshots of one test: 01-login.png, 02-…"""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        self.page = None

    def __call__(self, step: str, page=None, full_page: bool = True) -> Path:
        page = page or self.page
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def shot(request) -> Screenshots:
    return Screenshots(_artifact_dir(request.node))


def _shoot_if_failed(request, shot: Screenshots) -> None:
    """The page as it was when the test failed: "<nn>-failure.png"."""
    reports = request.node.stash.get(REPORTS, {})
    if shot.page is not None and any(report.failed for report in reports.values()):
        try:
            shot("failure")
        except Exception as error:  # the test's own failure matters more
            print(f"no failure screenshot: {error}")


# What Chromium reported as blocked by the Content-Security-Policy during the current
# test; every test fails if anything was (the app's CSP is on, as in production).
CSP_VIOLATIONS: list[str] = []


def _watch_csp(message) -> None:
    if "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(f"{message.page.url if message.page else '?'}: {message.text}")


def _context(browser, viewport: dict = DESKTOP, locale: str = "de-DE"):
    context = browser.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(10_000)
    context.on("console", _watch_csp)
    return context


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """The public sites and the admin work under the CSP: nothing on any page the test
    visited was refused by it."""
    CSP_VIOLATIONS.clear()
    yield
    reports = request.node.stash.get(REPORTS, {})
    if not any(report.failed for report in reports.values()):
        assert not CSP_VIOLATIONS, "refused by the CSP:\n" + "\n".join(CSP_VIOLATIONS)


@pytest.fixture
def new_page(browser, request, shot) -> Iterator[Callable]:
    """``new_page()`` opens a page in a fresh context (own cookies: one person); the
    last page opened is the one ``shot`` takes and the one kept when the test fails."""
    contexts = []

    def open_page(viewport: dict = DESKTOP, locale: str = "de-DE"):
        contexts.append(_context(browser, viewport, locale))
        shot.page = contexts[-1].new_page()
        return shot.page

    yield open_page
    _shoot_if_failed(request, shot)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def _anonymous_page(browser):
    context = _context(browser)
    context.add_init_script(path=str(AXE_SCRIPT))  # in every page, cheaper than injecting
    yield context.new_page()
    context.close()


@pytest.fixture
def anonymous_page(_anonymous_page, request, shot):
    """A page for visitors who only read (no login, nothing typed), shared by the tests
    that ask for it: a browser context per test would cost more than the test."""
    _anonymous_page.set_viewport_size(DESKTOP)
    shot.page = _anonymous_page
    yield _anonymous_page
    _shoot_if_failed(request, shot)
