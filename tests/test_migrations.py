"""migrate_schemas only touches member schemas that are behind, and says so."""

from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import schema_context

from tenants.migrations_status import schemas_behind


def test_up_to_date_members_are_reported_and_skipped(platform, db, capsys):
    call_command("migrate_schemas", "--tenant")
    out = capsys.readouterr().out
    assert "3 of 3 member schemas are up to date" in out
    assert "migrating 0." in out


def test_a_member_missing_a_migration_is_found_and_migrated(alpha, beta, capsys):
    with schema_context(alpha.schema):
        MigrationRecorder.Migration.objects.filter(
            app="constraint_app", name="0002_remove_constraints"
        ).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE constraint_app_badge "
                "ADD CONSTRAINT badge_code_not_empty CHECK (code <> ''), "
                "ADD CONSTRAINT badge_code_holder_unique UNIQUE (code, holder_id)"
            )
    assert schemas_behind(["alpha", "beta", "member_template"]) == ["alpha"]

    call_command("migrate_schemas", "--tenant")

    out = capsys.readouterr().out
    assert "2 of 3 member schemas are up to date" in out and "migrating 1." in out
    assert "standard:alpha] === Starting migration" in out
    assert schemas_behind(["alpha", "beta", "member_template"]) == []


def test_a_schema_without_migration_table_counts_as_behind(platform, db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA half_made")
    assert schemas_behind(["half_made", "beta"]) == ["half_made"]
