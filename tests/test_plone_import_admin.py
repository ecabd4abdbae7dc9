"""Central editors start a Plone import in the network admin and follow it (issue 15)."""

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import Page
from wagtail.users.models import UserProfile

from sites.plone_import import tasks
from sites.plone_import.models import ImportRun
from sites.search.models import SearchEntry
from tenants.services import member_delete
from tests.conftest import HostClient
from tests.factories import MemberFactory, UserFactory, member_home, translation_publish
from tests.plone_exports import build_exportimport
from tests.subprocesses import app_env, broker_flush, database_url
from tests.test_highlights_worker import Worker, _reset_producer_pools


def _zip_upload(tmp_path) -> SimpleUploadedFile:
    archive = build_exportimport(tmp_path / "export", zipped=True)
    return SimpleUploadedFile("altes-portal.zip", archive.read_bytes(), "application/zip")


def test_an_editor_uploads_an_export_and_the_task_imports_it_into_the_member(
    redaktion_client, alpha, tmp_path, django_capture_on_commit_callbacks
):
    form = redaktion_client.get("/admin/plone_imports/new/")
    assert form.status_code == 200
    assert "Stadt Alpha" in form.content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = redaktion_client.post(
            "/admin/plone_imports/new/",
            {"target": "alpha", "export": _zip_upload(tmp_path), "language": "de", "under": ""},
        )
    assert response.status_code == 302, response.context["form"].errors
    run = ImportRun.objects.get()
    assert (run.site, run.state, run.started_by) == ("alpha", "queued", "redakteurin")
    upload = Path(run.upload)
    assert upload.is_file()
    assert len(callbacks) == 1  # the task is sent after the commit
    with schema_context(alpha.schema):
        translation_publish(member_home(), "en", title="Alpha")  # for the export's /en

    tasks.run(run.pk)  # what the worker runs

    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE, run.report
    assert run.done == run.total > 0
    assert run.upload == "" and not upload.exists()  # the export is not kept
    with schema_context(alpha.schema):
        assert Page.objects.filter(title="Herten").exists()
    page = redaktion_client.get(response["Location"])
    html = page.content.decode()
    assert "Ergebnis nach Plone-Typ" in html and "News Item" in html
    assert "resolveuid/0000000000000000000000000000dead" in html  # the link without target
    listing = redaktion_client.get("/admin/plone_imports/").content.decode()
    assert "altes-portal.zip" in listing


def test_a_file_that_is_no_export_is_refused_with_a_message(redaktion_client, alpha):
    upload = SimpleUploadedFile("notizen.txt", b"keine Plone-Daten", "text/plain")
    response = redaktion_client.post(
        "/admin/plone_imports/new/", {"target": "alpha", "export": upload, "language": "de"}
    )
    assert response.status_code == 200
    assert "zip" in response.content.decode() and not ImportRun.objects.exists()


def test_a_coordinator_never_sees_the_network_import_history(alpha, redaktion_client, tmp_path):
    ImportRun.objects.create(site="beta", source_name="beta-export.zip", state="done")
    client = alpha.logged_in_client()
    for address in ("/admin/plone_imports/", "/admin/plone_imports/new/"):
        response = client.get(address)
        assert response.status_code in (302, 403, 404)
        assert b"beta-export.zip" not in response.content


# --- with a real Celery worker ---------------------------------------------------------


@pytest.fixture(scope="module")
def worker(platform, django_db_blocker, tmp_path_factory):
    """A Celery worker process on this run's test database, broker db and media folder."""
    with django_db_blocker.unblock():
        test_database = database_url(connection.settings_dict)
    broker_flush()
    _reset_producer_pools()
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    running = Worker.start(app_env(test_database), log, "kn-plone-import")
    try:
        yield running
    finally:
        running.stop()
        _reset_producer_pools()
        broker_flush()
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            SearchEntry.objects.all().delete()  # the worker indexed the imported pages


def _wait_finished(run_id: int, timeout: float = 120) -> ImportRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = ImportRun.objects.get(pk=run_id)
        if run.finished:
            return run
        time.sleep(0.2)
    pytest.fail(f"the import {run_id} did not finish in {timeout} s")


def test_the_worker_runs_an_uploaded_import_and_the_run_page_shows_it(worker, committed, tmp_path):
    member = MemberFactory(name="Gemeinde Delta", slug="delta-import")
    editor = UserFactory(username="import-redaktion", superuser=True)
    try:
        with schema_context(member.schema_name):
            translation_publish(member_home(), "en", title="Delta")
        client = HostClient("localhost")
        client.force_login(editor)
        response = client.post(
            "/admin/plone_imports/new/",
            {"target": member.slug, "export": _zip_upload(tmp_path), "language": "de"},
        )
        assert response.status_code == 302
        run = _wait_finished(ImportRun.objects.get(site=member.slug).pk)
        assert run.state == ImportRun.State.DONE, run.report
        assert run.report["totals"]["created"] > 20
        page = client.get(response["Location"]).content.decode()
        assert "Ergebnis nach Plone-Typ" in page and 'http-equiv="refresh"' not in page
        with schema_context(member.schema_name):
            assert Page.objects.filter(title="Herten").exists()
        # after the import the task brings the admin's own search up to date
        worker.wait_for(r"Task plone_import\.run\[[^\]]+\] succeeded")
        with schema_context(member.schema_name):
            assert "Herten" in [p.title for p in Page.objects.search("Kurzportrait Herten")]
    finally:
        connection.set_schema_to_public()
        member_delete(member, tmp_path / "backup")
        UserProfile.objects.filter(user=editor).delete()
        type(editor).objects.filter(pk=editor.pk)._raw_delete(connection.alias)
        ImportRun.objects.filter(site="delta-import").delete()
