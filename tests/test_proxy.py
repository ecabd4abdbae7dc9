"""The proxy of docker-compose.yml (core/nginx.conf) in front of the app, for real: nginx
sends static files and, after the app said yes, uploads named by X-Accel-Redirect.

Runs Debian's nginx (``apt-get install nginx-light``) in front of gunicorn on the test
database, with the app's production setting ``MEDIA_INTERNAL_LOCATION=/_media/``. The
files it must see are committed (``committed``) and removed afterwards.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Collection, CollectionViewRestriction

from tests.factories import DocumentFactory, ImageFactory, UserFactory
from tests.subprocesses import database_url, free_port

BASE_DIR = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="needs nginx (nginx-light)")


def _get(port: int, path: str, host: str = "alpha.localhost", cookie: str = ""):
    """(status, headers, body) of a GET through the proxy; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    headers = {"Host": host} | ({"Cookie": cookie} if cookie else {})
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _wait(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"not answering on {port}:\n{log.read_text()[-3000:]}")


@pytest.fixture
def files(platform, committed):
    """A committed image and document of alpha: what the proxy is to send."""
    alpha = platform["alpha"]
    with schema_context(alpha.schema):
        image = ImageFactory(title="Proxy-Bild")
        document = DocumentFactory(file__data=b"Tagesordnung", file__filename="tagesordnung.txt")
        urls = {"image": image.file.url, "image_path": image.file.path}
        urls |= {"document": document.url, "document_media": document.file.url}
    yield urls
    with schema_context(alpha.schema):
        image.delete()
        document.delete()


@pytest.fixture
def proxy(platform, committed, tmp_path):
    """nginx with core/nginx.conf on a free port, in front of gunicorn on another."""
    app_port, proxy_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "core.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "TEST_REDIS_DB": str(settings.TEST_REDIS_DB),
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MEDIA_INTERNAL_LOCATION": "/_media/",
    }
    app_log = tmp_path / "gunicorn.log"
    with app_log.open("wb") as out:
        app = subprocess.Popen(
            [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "core.wsgi", "--workers", "1",
             "--bind", f"127.0.0.1:{app_port}"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    site = (BASE_DIR / "core" / "nginx.conf").read_text()
    site = (
        site.replace("http://web:8000", f"http://127.0.0.1:{app_port}")
        .replace("listen 80 default_server", f"listen 127.0.0.1:{proxy_port} default_server")
        .replace("/srv/static/", f"{BASE_DIR / 'core' / 'static'}/")
        .replace("/srv/media/", f"{settings.MEDIA_ROOT}/")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; daemon off;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path {tmp_path};"
        f" proxy_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n"
    )
    nginx_log = tmp_path / "nginx.log"
    with nginx_log.open("wb") as out:
        nginx = subprocess.Popen(
            [NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        _wait(app_port, app, app_log)
        _wait(proxy_port, nginx, nginx_log)
        yield proxy_port
    finally:
        for process in (nginx, app):
            process.terminate()
            process.wait(timeout=20)


def test_the_proxy_has_the_internal_location_production_names(db):
    """The location the app names in production is one the proxy keeps internal. (This
    test asks for ``db``, which makes pytest-django set up the test database that the
    next one, on committed data only, needs.)"""
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    assert "MEDIA_INTERNAL_LOCATION: /_media/" in compose
    config = (BASE_DIR / "core" / "nginx.conf").read_text()
    assert "location /_media/ {\n        internal;" in config


def test_the_proxy_sends_static_files_and_the_uploads_the_app_allows(files, proxy):
    status, headers, body = _get(proxy, files["image"])
    assert status == 200
    assert body == Path(files["image_path"]).read_bytes()
    assert headers["Content-Type"].startswith("image/")
    assert "X-Accel-Redirect" not in headers  # nginx took the file name and sent the file
    assert headers["X-Content-Type-Options"] == "nosniff"

    status, headers, body = _get(proxy, files["document"])
    assert (status, body) == (200, b"Tagesordnung")
    assert headers["Content-Disposition"].startswith("attachment")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'"

    # the app still decides: another member's host, documents under /media/, and the
    # internal location itself are refused
    assert _get(proxy, files["image"], host="beta.localhost")[0] == 404
    assert _get(proxy, files["document_media"])[0] == 404
    assert _get(proxy, files["image"].replace("/media/", "/_media/"))[0] == 404

    status, headers, body = _get(proxy, "/static/css/site.css")
    assert status == 200 and headers["Content-Type"] == "text/css"
    assert body == (BASE_DIR / "core" / "static" / "css" / "site.css").read_bytes()


@pytest.fixture
def private_files(platform, committed):
    """A committed image and document of alpha in a collection for logged-in users, and
    the session cookie of such a user."""
    alpha = platform["alpha"]
    with schema_context(alpha.schema):
        collection = Collection.get_first_root_node().add_child(name="Proxy intern")
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
        image = ImageFactory(collection=collection)
        document = DocumentFactory(
            collection=collection, file__data=b"Intern", file__filename="intern.txt"
        )
        user = UserFactory()
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        urls = {"image": image.file.url, "rendition": image.get_rendition("width-200").url}
        urls |= {"document": document.url, "cookie": cookie}
    yield urls
    with schema_context(alpha.schema):
        image.delete()
        document.delete()
        Session.objects.filter(pk=session).delete()
        user.delete()
        collection.delete()


def test_the_proxy_keeps_private_files_private(files, private_files, proxy):
    """nginx sends a private file with the app's Cache-Control and Vary (it would drop
    Vary and add its own Cache-Control); public files keep the proxy's hour."""
    cookie = private_files["cookie"]
    for url in (private_files["image"], private_files["rendition"], private_files["document"]):
        status, _, body = _get(proxy, url)
        assert status in (302, 404) and body != b"Intern"
        status, headers, body = _get(proxy, url, cookie=cookie)
        assert status == 200 and body
        assert "X-Accel-Redirect" not in headers  # nginx sent the file
        assert headers.get_all("Cache-Control") == ["private, no-cache"]
        assert "Cookie" in headers["Vary"]
        assert headers["X-Content-Type-Options"] == "nosniff"
    assert _get(proxy, private_files["document"], cookie=cookie)[2] == b"Intern"

    for url in (files["image"], files["document"]):
        status, headers, _ = _get(proxy, url)
        assert status == 200
        assert headers.get_all("Cache-Control") == ["private, max-age=3600"]
        assert "Vary" not in headers
