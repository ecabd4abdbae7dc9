"""A member's backup restores: delete, restore, and the same pages, images, users and
curation are back; backups are private; a restore never overwrites or half-makes."""

import io
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import schema_context, schema_exists
from wagtail.images import get_image_model
from wagtail.models import Page

from core.schemas import media_root, schemas_missing_tables
from sites.highlights.models import DirectoryEntry, Highlight
from sites.highlights.services import highlight_curate, member_content_sync_member
from tenants import services
from tenants.models import Domain, Member
from tests.conftest import NETWORK_HOST, HostClient, MemberFixture
from tests.factories import (
    ImageFactory,
    MemberFactory,
    MemberNewsPageFactory,
    ProfilePageFactory,
    UserFactory,
    member_home,
    member_news_index,
)


def _remove(*slugs: str) -> None:
    """Clean up what a test committed: members, schemas, media (its own and public)."""
    for member in Member.objects.filter(slug__in=slugs):
        services._schema_and_rows_remove(member)
    for slug in slugs:
        shutil.rmtree(media_root(slug), ignore_errors=True)
        shutil.rmtree(media_root("public") / "highlights" / slug, ignore_errors=True)


def _member_state(member: Member) -> dict:
    """What the member's editors, visitors and the network's editors would miss."""
    with schema_context(member.schema_name):
        pages = sorted(Page.objects.values_list("url_path", "title", "live"))
        images = {
            image.title: Path(image.file.path).read_bytes()
            for image in get_image_model().objects.all()
        }
        users = sorted(get_user_model().objects.values_list("username", "password", "is_active"))
    highlights = [
        (
            h.title,
            h.state,
            h.sort_order,
            h.image and (media_root("public") / h.image.name).read_bytes(),
        )
        for h in Highlight.objects.filter(member=member).order_by("pk")
    ]
    directory = list(DirectoryEntry.objects.filter(member=member).values("lead", "profile_url"))
    domains = sorted(member.domains.values_list("domain", "is_primary"))
    row = (member.pk, member.name, member.slug, member.kind, member.state, member.schema_name)
    return {
        "member": row,
        "domains": domains,
        "pages": pages,
        "images": images,
        "users": users,
        "highlights": highlights,
        "directory": directory,
    }


@pytest.mark.parametrize("slug", ["network", "template"])
def test_the_network_and_the_template_are_not_backed_up_as_members(platform, db, slug):
    with pytest.raises(CommandError, match="list_members"):
        call_command("backup_member", slug)
    system = Member.objects.get(slug=slug)
    with pytest.raises(services.ProvisioningError, match="nicht gesichert"):
        services.member_backup(system)


def test_delete_then_restore_brings_back_pages_images_users_and_curation(
    committed, capsys, tmp_path
):
    rho = MemberFixture.create("rho", "Stadt Rho")
    try:
        with schema_context(rho.schema):
            image = ImageFactory(title="Werkstatt")
            ProfilePageFactory(parent=member_home(), lead="Rho gestaltet Übergänge.")
            MemberNewsPageFactory(
                parent=member_news_index(),
                title="Ausbildungsmesse Rho",
                slug="messe",
                propose_highlight=True,
                highlight_image=image,
            )
            UserFactory(username="redakteurin", groups=["Koordination"])
        member_content_sync_member(rho.schema)
        highlight_curate(Highlight.objects.filter(member=rho.member), state="featured")
        before = _member_state(rho.member)
        assert before["highlights"][0][1] == "featured" and before["highlights"][0][3]
        assert before["directory"] and len(before["images"]) == 1
        page_before = rho.client().get("/de/aktuelles/messe/")
        assert page_before.status_code == 200

        call_command("delete_member", "rho", "--yes", "--backup-dir", str(tmp_path))
        folder = next(tmp_path.glob("rho-*"))
        assert not schema_exists("rho") and not Member.objects.filter(slug="rho").exists()
        assert rho.client().get("/de/aktuelles/messe/").status_code == 404
        assert "Ausbildungsmesse Rho" not in HostClient(NETWORK_HOST).get("/de/").content.decode()
        capsys.readouterr()

        call_command("restore_member", str(folder))

        out = capsys.readouterr().out
        assert "Schema rho wird wiederhergestellt" in out
        assert "„Stadt Rho“ ist wiederhergestellt: http://rho.localhost/" in out
        member = Member.objects.get(slug="rho")
        assert _member_state(member) == before
        page = rho.client().get("/de/aktuelles/messe/")
        assert page.status_code == 200
        assert page.content.decode() == page_before.content.decode()
        rho.logged_in_client()  # the coordinator's account and password are back
        assert "Ausbildungsmesse Rho" in HostClient(NETWORK_HOST).get("/de/").content.decode()
    finally:
        _remove("rho")


def test_backup_member_writes_a_private_folder_and_deletes_nothing(committed, capsys, tmp_path):
    member = MemberFactory(name="Stadt Sigma", slug="sigma")
    try:
        (media_root("sigma") / "bild.txt").write_text("Medien von Sigma")
        call_command("backup_member", "sigma", "--backup-dir", str(tmp_path))

        folder = next(tmp_path.glob("sigma-*"))
        assert str(folder) in capsys.readouterr().out
        assert folder.stat().st_mode & 0o777 == 0o700
        files = {path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()}
        assert files == {"schema.dump": 0o600, "public.json": 0o600, "media.tar.gz": 0o600}
        assert schema_exists("sigma") and Member.objects.filter(pk=member.pk).exists()
        assert (media_root("sigma") / "bild.txt").exists()
    finally:
        _remove("sigma")


def test_restore_is_refused_while_the_member_or_its_domain_exists(committed, tmp_path):
    member = MemberFactory(name="Stadt Tau", slug="tau")
    try:
        folder = services.member_backup(member, tmp_path)
        with pytest.raises(
            CommandError, match="^Ein Mitglied mit dem Kürzel „tau“ gibt es schon.$"
        ):
            call_command("restore_member", str(folder))

        services.member_delete(member, tmp_path / "deleted")
        MemberFactory(name="Stadt Ypsilon", slug="ypsilon", domain="tau.localhost")
        with pytest.raises(
            CommandError, match="^Die Domain „tau.localhost“ ist bereits vergeben.$"
        ):
            call_command("restore_member", str(folder))
        assert not schema_exists("tau") and not Member.objects.filter(slug="tau").exists()

        with pytest.raises(CommandError, match="kein Sicherungsordner"):
            call_command("restore_member", str(tmp_path))
    finally:
        _remove("tau", "ypsilon")


def test_a_restore_that_fails_midway_leaves_nothing(committed, tmp_path):
    member = MemberFactory(name="Stadt Phi", slug="phi")
    try:
        folder = services.member_backup(member, tmp_path)
        services.member_delete(member, tmp_path / "deleted")
        # An archive edited to write outside the member's folders.
        with tarfile.open(folder / "media.tar.gz", "w:gz") as tar:
            data = b"fremd"
            entry = tarfile.TarInfo("beta/fremd.txt")
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))

        with pytest.raises(CommandError, match="fremde Dateien"):
            call_command("restore_member", str(folder))

        assert not schema_exists("phi")
        assert not Member.objects.filter(slug="phi").exists()
        assert not Domain.objects.filter(domain="phi.localhost").exists()
        assert not media_root("phi").exists()
        assert not (Path(settings.MEDIA_ROOT) / "beta" / "fremd.txt").exists()
    finally:
        _remove("phi")


def test_a_dump_older_than_the_code_is_migrated_on_restore(committed, capsys, tmp_path):
    """A backup made before a deploy that added a table: the restored schema gets it."""
    member = MemberFactory(name="Stadt Chi", slug="chi")
    try:
        with schema_context("chi"):
            MigrationRecorder.Migration.objects.filter(app="constraint_app").delete()
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE constraint_app_badge")
        folder = services.member_backup(member, tmp_path)
        services.member_delete(member, tmp_path / "deleted")

        call_command("restore_member", str(folder))

        assert "Schema chi wird migriert" in capsys.readouterr().out
        assert schemas_missing_tables(["chi"]) == {}
        assert HostClient("chi.localhost").get("/de/").status_code == 200
    finally:
        _remove("chi")
