"""A member schema that lacks a table must never fall through its search_path
("<schema>, public") to the network's table of that name: its site answers 503."""

import logging

from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import schema_context

from core.schemas import schema_check_forget, schemas_missing_tables
from tests.conftest import HostClient


def _drop(schema: str, table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{schema}"."{table}" CASCADE')
    # A running process trusts a schema it found complete for SCHEMA_CHECK_SECONDS;
    # this one may have served alpha a moment ago.
    schema_check_forget(schema)


def test_a_member_lacking_a_table_answers_503_not_the_networks_rows(alpha, caplog):
    # Without its own wagtailcore_site, alpha's requests would read the network's Sites
    # and serve the network home on alpha's host.
    _drop(alpha.schema, "wagtailcore_site")

    with caplog.at_level(logging.ERROR, logger="core.middleware"):
        response = alpha.client().get("/de/")
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Die Website von Stadt Alpha ist vorübergehend nicht verfügbar" in page
    assert "Kommunale Koordinierung</h1>" not in page
    assert any(
        "Schema alpha lacks 1 tables (wagtailcore_site)" in record.getMessage()
        for record in caplog.records
    )
    assert alpha.client().get("/admin/login/").status_code == 503
    assert alpha.client().post("/admin/login/", {"username": "x"}).status_code == 503

    english = HostClient(alpha.host, HTTP_ACCEPT_LANGUAGE="en").get("/en/")
    assert english.status_code == 503
    assert "The website of Stadt Alpha is temporarily unavailable" in english.content.decode()


def test_other_members_and_the_network_are_served_meanwhile(alpha, beta, network_client):
    _drop(alpha.schema, "wagtailcore_site")
    assert beta.client().get("/de/").status_code == 200
    assert network_client.get("/de/").status_code == 200


def test_pending_migration_answers_503_until_migrate_schemas_completes_the_schema(alpha, capsys):
    """A migration that creates a table and has not reached alpha yet (an interrupted
    migrate_schemas): 503, then served as soon as migrate_schemas has run."""
    with schema_context(alpha.schema):
        MigrationRecorder.Migration.objects.filter(app="constraint_app").delete()
    _drop(alpha.schema, "constraint_app_badge")
    assert alpha.client().get("/de/").status_code == 503

    call_command("migrate_schemas", "--tenant")

    assert "migrating 1." in capsys.readouterr().out
    assert schemas_missing_tables(["alpha"]) == {}
    assert alpha.client().get("/de/").status_code == 200


def test_migrate_schemas_names_a_schema_it_cannot_complete(alpha, beta, capsys):
    _drop(beta.schema, "wagtailcore_site")
    _drop(beta.schema, "wagtailredirects_redirect")

    call_command("migrate_schemas", "--tenant")

    err = capsys.readouterr().err
    assert (
        "Schema beta lacks 2 tables (wagtailcore_site, wagtailredirects_redirect): "
        "its site answers 503." in err
    )
    assert "alpha" not in err
