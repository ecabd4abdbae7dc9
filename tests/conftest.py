"""Shared test setup: one real PostgreSQL test database with the network site, the member
template and two members, alpha and beta, built once per run.

Tests run inside a transaction (pytest-django's ``db``) that is rolled back afterwards,
schemas included: PostgreSQL DDL is transactional. Tests that need committed data (a
separate process such as pg_dump reads it) use ``committed`` and clean up themselves.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from tenants.models import Member
from tenants.services import network_ensure, template_ensure
from tests.factories import MemberFactory, UserFactory

NETWORK_HOST = "localhost"


@dataclass
class MemberFixture:
    member: Member
    host: str
    coordinator: str
    password: str

    @property
    def schema(self) -> str:
        return self.member.schema_name

    def client(self) -> Client:
        return HostClient(self.host)

    @classmethod
    def create(cls, slug: str, name: str) -> "MemberFixture":
        """A member on ``<slug>.localhost`` whose coordinator's login the tests know."""
        host = f"{slug}.localhost"
        email = f"koordination@{slug}.example"
        password = f"{slug}-Passwort-1"
        member = MemberFactory(
            name=name, slug=slug, coordinator_email=email, coordinator_password=password
        )
        return cls(member=member, host=host, coordinator=email, password=password)

    def logged_in_client(self) -> Client:
        client = self.client()
        response = client.post(
            "/admin/login/", {"username": self.coordinator, "password": self.password}
        )
        assert response.status_code == 302, "coordinator login failed"
        return client


class HostClient(Client):
    """A test client whose requests all go to one host, as a browser's would."""

    def __init__(self, host: str, **defaults):
        super().__init__(HTTP_HOST=host, **defaults)
        self.host = host


@pytest.fixture(scope="session")
def platform(django_db_setup, django_db_blocker):
    """Network site, template and members alpha and beta, committed once for the run."""
    database = connection.settings_dict["NAME"]
    assert database.startswith("test_"), f"refusing to set up the platform in {database}"
    for leftover in (settings.MEDIA_ROOT, settings.BACKUP_ROOT):
        shutil.rmtree(leftover, ignore_errors=True)  # test-only folders (core.settings.test)
    with django_db_blocker.unblock():
        cache.clear()
        network_ensure()
        template_ensure()
        members = {
            "alpha": MemberFixture.create("alpha", "Stadt Alpha"),
            "beta": MemberFixture.create("beta", "Kreis Beta"),
        }
        connection.set_schema_to_public()
    return members


@pytest.fixture
def alpha(platform, db) -> MemberFixture:
    return platform["alpha"]


@pytest.fixture
def beta(platform, db) -> MemberFixture:
    return platform["beta"]


@pytest.fixture
def network_client(platform, db) -> HostClient:
    return HostClient(NETWORK_HOST)


@pytest.fixture
def central_editor(platform, db):
    """A superuser of the network admin (public schema)."""
    with schema_context("public"):
        return UserFactory(username="redaktion", email="redaktion@netzwerk.example", superuser=True)


@pytest.fixture
def editor_client(central_editor) -> HostClient:
    """The network admin, logged in as the central editor."""
    client = HostClient(NETWORK_HOST)
    client.force_login(central_editor)
    return client


REDAKTION_USER = ("redakteurin", "Netzwerk-Redaktion-2")


@pytest.fixture
def redaktion_client(platform, db) -> HostClient:
    """The network admin, logged in as a central editor who is *not* a superuser: only
    the group "Redaktion" grants what the account may do."""
    username, password = REDAKTION_USER
    with schema_context("public"):
        UserFactory(username=username, password=password, groups=["Redaktion"])
    client = HostClient(NETWORK_HOST)
    response = client.post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 302, "central editor login failed"
    return client


@pytest.fixture
def member_superuser_client(alpha) -> HostClient:
    """Alpha's admin, logged in as a superuser of alpha's own schema."""
    client = alpha.client()
    with schema_context(alpha.schema):  # the session lives in alpha's schema too
        client.force_login(UserFactory(username="admin-alpha", superuser=True))
    return client


@pytest.fixture(scope="session")
def refuse_a_non_test_database(django_db_setup):
    """For module fixtures that commit data: pytest-django creates the test database only
    when a collected test uses ``db`` (such a module's first test must); never let them
    write into DATABASE_URL's database."""
    name = connection.settings_dict["NAME"]
    if not name.startswith("test_"):
        pytest.fail(f"no test database was set up (would use {name!r}); run the whole module")


@pytest.fixture
def committed(platform, django_db_blocker):
    """Database access without the per-test transaction; the test removes what it made."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


@pytest.fixture
def page_cache_off(settings):
    """For tests that measure rendering: every request renders (core.pagecache)."""
    settings.PAGE_CACHE_SECONDS = 0


PLATFORM_SCHEMAS = {"public", "member_template", "alpha", "beta"}


@pytest.fixture(autouse=True)
def back_to_public():
    """Reset what a test leaves outside its rolled-back transaction: the connection's
    schema (requests switch it), the active language (a request to /en/ leaves English
    active in this thread) and media folders of members it created."""
    yield
    connection.set_schema_to_public()
    translation.deactivate()
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        for folder in media.iterdir():
            if folder.name not in PLATFORM_SCHEMAS:
                shutil.rmtree(folder)
