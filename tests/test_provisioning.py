"""Creating, listing, archiving and deleting members, and what a refusal leaves behind."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Locale, Page, Site

from sites.members.models import MemberHomePage
from tenants import services
from tenants.cloning import pg_tool, schema_clone
from tenants.models import Domain, Member
from tenants.services import member_create
from tests.factories import MemberFactory, MemberStandardPageFactory

BASE_DIR = Path(__file__).resolve().parent.parent


def _snapshot() -> dict:
    """What provisioning can create: member and domain rows, schemas, media folders."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        schemas = {row[0] for row in cursor.fetchall()}
    media = Path(settings.MEDIA_ROOT)
    return {
        "members": set(Member.objects.values_list("slug", flat=True)),
        "domains": set(Domain.objects.values_list("domain", flat=True)),
        "schemas": schemas,
        "media": {p.name for p in media.iterdir()} if media.exists() else set(),
    }


def test_create_member_command_builds_a_complete_microsite(platform, db, capsys):
    call_command(
        "create_member",
        name="Stadt Herten",
        slug="herten",
        domain="herten.localhost",
        coordinator_email="koordination@herten.example",
    )
    out = capsys.readouterr().out
    assert "Mitglied „Stadt Herten“ angelegt" in out
    password = out.split("Passwort (wird nur jetzt angezeigt): ")[1].strip()

    member = Member.objects.get(slug="herten")
    assert member.primary_domain == "herten.localhost" and member.is_active
    assert (Path(settings.MEDIA_ROOT) / "herten").is_dir()
    with schema_context("herten"):
        site = Site.objects.get()
        home = MemberHomePage.objects.get()
        assert (site.hostname, site.root_page_id, site.site_name) == (
            "herten.localhost",
            home.pk,
            "Stadt Herten",
        )
        assert home.title == "Stadt Herten" and home.live
        assert set(Locale.objects.values_list("language_code", flat=True)) == {"de", "en"}
        assert home.locale.language_code == "de"
        coordinator = get_user_model().objects.get(username="koordination@herten.example")
        assert coordinator.check_password(password)
        assert not coordinator.is_superuser
        assert list(coordinator.groups.values_list("name", flat=True)) == ["Koordination"]
        group = Group.objects.get(name="Koordination")
        assert {p.permission.codename for p in group.page_permissions.filter(page=home)} >= {
            "add_page",
            "change_page",
            "publish_page",
        }
        assert not group.permissions.filter(codename__in=["add_user", "change_user"]).exists()
    with schema_context("alpha"):
        assert not get_user_model().objects.filter(username="koordination@herten.example").exists()


def test_coordinator_password_can_come_from_the_environment(platform, db, monkeypatch, capsys):
    monkeypatch.setenv("COORDINATOR_PASSWORD", "Aus-der-Umgebung-1")
    call_command(
        "create_member",
        name="Kiel",
        slug="kiel",
        domain="kiel.localhost",
        coordinator_email="k@kiel.example",
    )
    assert "Passwort" not in capsys.readouterr().out
    with schema_context("kiel"):
        assert (
            get_user_model()
            .objects.get(username="k@kiel.example")
            .check_password("Aus-der-Umgebung-1")
        )


@pytest.mark.parametrize(
    ("slug", "domain", "message"),
    [
        ("public", "x1.localhost", "reserviert"),
        ("pg_catalog", "x2.localhost", "reserviert"),
        ("pg-toast", "x3.localhost", "reserviert"),
        ("information_schema", "x4.localhost", "reserviert"),
        ("member_template", "x5.localhost", "reserviert"),
        ("Herten", "x6.localhost", "ungültig"),
        ("her ten", "x7.localhost", "ungültig"),
        ("a" * 41, "x8.localhost", "höchstens 40"),
        ("x;drop schema public cascade", "x9.localhost", "ungültig"),
        ("her'ten", "x10.localhost", "ungültig"),
        ("herten--", "x11.localhost", "ungültig"),
        ("ok-slug", "alpha.localhost", "bereits vergeben"),
        ("ok-slug", "localhost", "kein gültiger Hostname"),
        ("ok-slug", "127.0.0.1.localhost:8000", "kein gültiger Hostname"),
        ("ok-slug", "http://ok.localhost", "kein gültiger Hostname"),
        ("ok-slug", "ok..localhost", "kein gültiger Hostname"),
        ("ok-slug", "-ok.localhost", "kein gültiger Hostname"),
        ("ok-slug", "ok_slug.localhost", "kein gültiger Hostname"),
        ("ok-slug", "ok slug.localhost", "kein gültiger Hostname"),
        ("alpha", "neu.localhost", "gibt es schon"),
    ],
)
def test_refused_input_gets_one_clear_line_and_leaves_nothing(platform, db, slug, domain, message):
    before = _snapshot()
    with pytest.raises(CommandError) as refused:
        call_command("create_member", "--name=Testkommune", f"--slug={slug}", f"--domain={domain}")
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert _snapshot() == before


def test_refusal_exits_non_zero_with_one_line_on_stderr():
    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "create_member",
            "--name",
            "X",
            "--slug",
            "public",
            "--domain",
            "x.localhost",
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "core.settings.test"},
    )
    assert completed.returncode == 1
    assert completed.stderr.strip().splitlines() == [
        "CommandError: Das Kürzel „public“ ist reserviert; bitte ein anderes wählen."
    ]


@pytest.mark.parametrize("failing_step", ["_microsite_prepare", "_coordinator_create"])
def test_failure_midway_leaves_no_schema_row_domain_or_media(
    platform, db, monkeypatch, failing_step
):
    def explode(*args, **kwargs):
        (Path(settings.MEDIA_ROOT) / "omega").mkdir(parents=True, exist_ok=True)
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(services, failing_step, explode)
    before = _snapshot()
    with pytest.raises(RuntimeError):
        member_create(
            name="Omega",
            slug="omega",
            domain="omega.localhost",
            coordinator_email="k@omega.example",
        )
    assert _snapshot() == before


def test_clone_keeps_every_constraint_and_index_name_and_the_template_rows(platform, db):
    template = settings.MEMBER_TEMPLATE_SCHEMA

    def catalog(schema):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT cl.relname, con.conname, con.contype FROM pg_constraint con "
                "JOIN pg_class cl ON cl.oid = con.conrelid "
                "JOIN pg_namespace ns ON ns.oid = cl.relnamespace WHERE ns.nspname = %s",
                [schema],
            )
            constraints = set(cursor.fetchall())
            cursor.execute(
                "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = %s", [schema]
            )
            return constraints, set(cursor.fetchall())

    schema_clone(template, "raw_clone")

    constraints, indexes = catalog("raw_clone")
    assert len(constraints) > 100 and len(indexes) > 100
    assert (constraints, indexes) == catalog(template)
    with connection.cursor() as cursor:
        for table in (
            "wagtailcore_page",
            "auth_permission",
            "wagtailcore_locale",
            "django_migrations",
        ):
            counts = []
            for schema in (template, "raw_clone"):
                cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
                counts.append(cursor.fetchone()[0])
            assert counts[0] == counts[1] > 0, table
    with schema_context("raw_clone"):
        page = MemberStandardPageFactory(
            parent=Page.get_first_root_node(), title="Neu", slug="neu", publish=False
        )
        assert page.pk > Page.objects.exclude(pk=page.pk).order_by("-pk").first().pk


def test_clone_works_with_a_pg_dump_that_writes_psql_meta_commands(platform, db, tmp_path):
    """pg_dump since the 2025 security releases wraps its output in \\restrict/\\unrestrict."""
    real = pg_tool("pg_dump")
    wrapper = tmp_path / "pg_dump"
    wrapper.write_text(
        "#!/bin/sh\nprintf '%s\\n' '\\restrict k3y'\n"
        f'"{real}" "$@" || exit $?\n'
        "printf '%s\\n' '\\unrestrict k3y'\n"
    )
    wrapper.chmod(0o755)
    with override_settings(PG_BIN_DIR=str(tmp_path)):
        cache.clear()  # the template's DDL is cached; dump it again through the wrapper
        wrapped = subprocess.run([str(wrapper), "--version"], capture_output=True, text=True)
        assert "\\restrict k3y" in wrapped.stdout
        schema_clone(settings.MEMBER_TEMPLATE_SCHEMA, "meta_clone")
    cache.clear()
    with schema_context("meta_clone"):
        assert Page.objects.filter(depth=1).exists()


def _badge_constraints(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE connamespace = %s::regnamespace "
            "AND conname LIKE 'badge_%%' ORDER BY conname",
            [schema],
        )
        return [row[0] for row in cursor.fetchall()]


def test_migration_removing_named_constraints_applies_to_a_cloned_member(committed, tmp_path):
    """A member cloned while a named constraint existed can later drop it by name."""
    template = settings.MEMBER_TEMPLATE_SCHEMA
    call_command("migrate_schemas", "constraint_app", "0001", schema_name=template, verbosity=0)
    member = None
    try:
        member = MemberFactory(name="Gamma", slug="gamma")
        assert _badge_constraints("gamma") == ["badge_code_holder_unique", "badge_code_not_empty"]

        call_command("migrate_schemas", "constraint_app", schema_name="gamma", verbosity=0)

        assert _badge_constraints("gamma") == []
    finally:
        call_command("migrate_schemas", "constraint_app", schema_name=template, verbosity=0)
        if member is not None:
            services.member_delete(member, tmp_path)


def test_list_members_shows_slug_domains_state_and_pages(platform, db, capsys):
    call_command("list_members")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["SLUG", "NAME", "DOMAINS", "STATUS", "SEITEN"]
    alpha_line = next(line for line in lines if line.startswith("alpha "))
    # the home page and the four pages every site has (imprint, privacy, statement, Leichte Sprache)
    assert alpha_line.split()[-3:] == ["alpha.localhost", "aktiv", "5"]
    assert not any(line.startswith(("template", "network")) for line in lines)


def test_archive_and_reactivate_member(alpha, capsys):
    call_command("archive_member", "alpha")
    assert Member.objects.get(slug="alpha").state == Member.State.ARCHIVED
    assert alpha.client().get("/de/").status_code == 410
    with schema_context("alpha"):
        assert MemberHomePage.objects.exists()
    call_command("archive_member", "alpha", "--reactivate")
    assert alpha.client().get("/de/").status_code == 200


def test_archive_unknown_member_says_how_to_find_members(platform, db):
    with pytest.raises(CommandError, match="list_members"):
        call_command("archive_member", "gibtsnicht")


def test_delete_needs_yes_and_keeps_everything_without_it(alpha):
    with pytest.raises(CommandError, match="--yes"):
        call_command("delete_member", "alpha")
    assert schema_exists("alpha") and Member.objects.filter(slug="alpha").exists()


def test_delete_member_writes_a_pg_dump_first_then_removes_everything(committed, capsys, tmp_path):
    before = _snapshot()
    MemberFactory(name="Delta", slug="delta")
    (Path(settings.MEDIA_ROOT) / "delta" / "bild.txt").write_text("Medien von Delta")

    call_command("delete_member", "delta", "--yes", "--backup-dir", str(tmp_path))

    out = capsys.readouterr().out
    folder = next(tmp_path.glob("delta-*"))
    assert f"restore_member {folder}" in out
    dump = folder / "schema.dump"
    assert dump.read_bytes().startswith(b"PGDMP")
    listing = subprocess.run(
        [pg_tool("pg_restore"), "--list", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "TABLE delta wagtailcore_page" in listing
    assert (folder / "media.tar.gz").stat().st_size > 0
    assert _snapshot() == before
