"""Production is safe by default: no silent development settings, a clean
``check --deploy``, a compose file without default secrets, a Content-Security-Policy,
and absolute URLs that follow the configured scheme instead of the request."""

import base64
import hashlib
import io
import os
import re
import secrets
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import feedparser
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_tenants.utils import schema_context
from wagtail.models import Site

from sites.highlights.models import Highlight
from sites.highlights.services import member_content_sync_page
from tenants.models import Domain
from tenants.services import member_site_sync, member_sites_port_sync
from tests.factories import DocumentFactory, MemberNewsPageFactory, member_news_index
from tests.test_feeds import sitemap_locations

BASE_DIR = Path(__file__).resolve().parents[1]
NOT_IN_THE_IMAGE = (".git", ".venv", ".data", "node_modules", "test-artifacts", "backups")


@pytest.fixture(scope="module")
def image_like_copy(tmp_path_factory) -> Path:
    """The project's files as the Docker image has them: no ``.git`` (.dockerignore)."""
    target = tmp_path_factory.mktemp("image") / "app"
    shutil.copytree(
        BASE_DIR, target, ignore=shutil.ignore_patterns(*NOT_IN_THE_IMAGE, "__pycache__")
    )
    return target


def _run(args: list[str], cwd: Path, **env) -> subprocess.CompletedProcess:
    """``args`` run by this Python in ``cwd``; in the image-like copy with nothing from
    this test process's environment but ``env`` (as a container starts)."""
    if cwd == BASE_DIR:
        base = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    else:
        base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}  # noqa: S108
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "core.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://kommunalnetz:geheim@postgres:5432/kommunalnetz",
    "REDIS_URL": "redis://redis:6379/0",
    "ALLOWED_HOSTS": "netzwerk.example.org,.example.org",
    "NETWORK_HOSTS": "netzwerk.example.org",
    "EMAIL_URL": "smtp+tls://kommunalnetz:geheim@mail.example.org:587",
}


def test_outside_a_checkout_nothing_starts_without_a_settings_module(image_like_copy):
    for args in (
        ["manage.py", "check"],
        ["-c", "import core.wsgi"],
        ["-m", "celery", "-A", "core", "report"],
    ):
        result = _run(args, image_like_copy)
        assert result.returncode != 0, args
        assert "DJANGO_SETTINGS_MODULE is not set" in result.stderr, args
    # in the checkout, development settings stay the default
    result = _run(
        ["-c", "import core.wsgi, os; print(os.environ['DJANGO_SETTINGS_MODULE'])"], BASE_DIR
    )
    assert result.stdout.strip().endswith("core.settings.dev"), result.stderr


def test_check_deploy_with_production_settings_is_clean(image_like_copy):
    result = _run(["manage.py", "check", "--deploy"], image_like_copy, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    # the two silenced checks are justified in core/settings/production.py and the README
    assert result.stdout.strip() == "System check identified no issues (2 silenced).", (
        result.stdout + result.stderr
    )
    shown = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.PUBLIC_SCHEME, s.PUBLIC_PORT, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
            " s.SECURE_PROXY_SSL_HEADER[0], s.MEDIA_INTERNAL_LOCATION, s.WAGTAILADMIN_BASE_URL)",
        ],
        image_like_copy,
        **PRODUCTION_ENV,
    )
    assert shown.stdout.split() == [
        "https",
        "443",
        "True",
        "True",
        "HTTP_X_FORWARDED_PROTO",
        "/_media/",
        "https://netzwerk.example.org",
    ], shown.stderr
    # no secret, or a placeholder for one: nothing starts
    without = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    for secret in ({}, {"SECRET_KEY": ""}, {"SECRET_KEY": "change-me-in-dot-env"}):
        result = _run(["manage.py", "check", "--deploy"], image_like_copy, **without, **secret)
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="needs docker-compose")
def test_compose_has_no_default_secrets_and_puts_the_proxy_in_front():
    def config(**env):
        return subprocess.run(
            ["docker-compose", "config"],  # noqa: S607 - the one on PATH
            cwd=BASE_DIR,
            env={"PATH": os.environ["PATH"], **env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    refused = config()
    assert refused.returncode != 0
    assert "SECRET_KEY" in refused.stderr or "POSTGRES_PASSWORD" in refused.stderr
    given = {
        k: PRODUCTION_ENV[k] for k in ("SECRET_KEY", "ALLOWED_HOSTS", "NETWORK_HOSTS", "EMAIL_URL")
    }
    result = config(**given, POSTGRES_PASSWORD="geheim")
    assert result.returncode == 0, result.stderr
    rendered = result.stdout
    assert "change-me" not in rendered
    assert re.search(r"SECURE_COOKIES: .true.", rendered)
    assert re.search(r"SECURE_SSL_REDIRECT: .true.", rendered)
    assert "PUBLIC_SCHEME: https" in rendered
    assert "MEDIA_INTERNAL_LOCATION: /_media/" in rendered
    assert "image: nginx" in rendered
    # only the proxy is published; gunicorn is reachable through it alone
    assert "published: 80\n" in rendered
    assert rendered.count("published:") == 1
    proxy = (BASE_DIR / "core" / "nginx.conf").read_text()
    assert re.search(r"location /_media/ \{\s*internal;", proxy)


# --- Content-Security-Policy ------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_public_pages_have_a_strict_csp_and_the_admin_what_wagtail_needs(alpha):
    response = alpha.client().get("/de/")
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    # the one inline style is allowed by its hash: the same for every visitor, so a copy
    # from the page cache keeps a policy that matches its body
    style = re.search(r"<style>([^<]+)</style>", response.content.decode()).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy["style-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert not any(source.startswith("'nonce-") for source in policy["style-src"])

    admin = _policy(alpha.client().get("/admin/login/"))
    assert "'unsafe-inline'" in admin["script-src"]
    assert admin["object-src"] == ["'none'"]

    with schema_context(alpha.schema):
        url = DocumentFactory(file__data=b"Protokoll", file__filename="protokoll.txt").url
    assert alpha.client().get(url)["Content-Security-Policy"] == "default-src 'none'"


# --- Absolute URLs ----------------------------------------------------------------------


@pytest.fixture
def https_alpha(alpha, settings):
    """Alpha as production serves it: https on 443, and a second (alias) domain."""
    settings.PUBLIC_SCHEME, settings.PUBLIC_PORT = "https", 443
    Domain.objects.create(domain="alias.alpha.localhost", tenant=alpha.member, is_primary=False)
    member_site_sync(alpha.member)
    with schema_context(alpha.schema):
        page = MemberNewsPageFactory(
            parent=member_news_index(), title="Ausbildungsmesse", date=date(2026, 5, 4)
        )
        page.propose_highlight = True
        page.save_revision().publish()
    yield page
    for schema in (alpha.schema, "public"):  # cached root URLs must not outlive the test
        with schema_context(schema):
            Site.clear_site_root_paths_cache()
    cache.clear()


def test_absolute_urls_follow_the_configured_scheme_not_the_request(alpha, https_alpha):
    """Asked over plain http on an alias host, every address names https and the site's
    own host name."""
    client = alpha.client()
    client.defaults["HTTP_HOST"] = "alias.alpha.localhost"
    feed = feedparser.parse(client.get("/de/feeds/news.rss").content)
    urls = [feed.feed.link, *(link.href for link in feed.feed.links)]
    urls += [entry.link for entry in feed.entries]
    assert len(urls) >= 3
    assert all(url.startswith("https://alpha.localhost/") for url in urls), urls
    assert all(url.startswith("https://alpha.localhost/") for url in sitemap_locations(client))
    assert alpha.member.url == "https://alpha.localhost/"

    member_content_sync_page(alpha.schema, https_alpha.translation_key)
    assert Highlight.objects.get().url.startswith("https://alpha.localhost/de/")


def test_switching_to_https_moves_existing_members_sites_on_setup(alpha, beta, settings):
    """Members made before the switch keep their Site's old port until setup_platform
    (which every deployment and make run call) moves them; their addresses then name https."""
    settings.PUBLIC_SCHEME, settings.PUBLIC_PORT = "https", 443
    out = io.StringIO()
    try:
        call_command("setup_platform", stdout=out)
        assert "Member sites moved to port 443 (PUBLIC_PORT): alpha, beta" in out.getvalue()
        with schema_context(alpha.schema):
            site = Site.objects.get(is_default_site=True)
            assert (site.port, site.root_url) == (443, "https://alpha.localhost")
        assert member_sites_port_sync() == []  # nothing left to move: nothing saved again
    finally:
        for schema in (alpha.schema, beta.schema, "public"):
            with schema_context(schema):
                Site.clear_site_root_paths_cache()
        cache.clear()
