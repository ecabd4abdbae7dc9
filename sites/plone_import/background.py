"""What the Plone import hands to the Celery worker: exports uploaded in the network
admin (kept until the worker has imported them), and Wagtail's own indexes of the pages
a command-line import wrote."""

import uuid
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from core.tasks import task_send
from sites.plone_import import tasks
from sites.plone_import.models import ImportRun
from sites.plone_import.services import (
    Options,
    admin_indexes_update,
    run_update,
    target_schema,
)


def import_run_start(*, site: str, upload, options: Options) -> ImportRun:
    """Keep the uploaded export and queue its import (``plone_import.run``).

    Public schema: the run's row; the upload lands in ``PLONE_IMPORT_ROOT``. The task is
    sent after the commit; when the broker cannot take it the run is marked failed with
    what to do, so nobody waits for an import that never starts.
    """
    target_schema(site)  # refuses an unknown or archived member now, not in the worker
    folder = Path(settings.PLONE_IMPORT_ROOT) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    name = Path(upload.name).name
    with (folder / name).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    with schema_context("public"):
        run = ImportRun.objects.create(
            site=site,
            source_name=name,
            started_by=options.started_by,
            state=ImportRun.State.QUEUED,
            dry_run=options.dry_run,
            options=asdict(options),
            upload=str(folder / name),
        )

    def send():
        if not task_send(tasks.run, run.pk, healed_by="nothing: start the import again"):
            run_update(
                run.pk,
                state=ImportRun.State.FAILED,
                finished_at=timezone.now(),
                report={"error": "Die Aufgabenverwaltung (Redis) war nicht erreichbar; bitte "
                        "den Import erneut starten."},
            )  # fmt: skip

    transaction.on_commit(send, robust=True)
    return run


def admin_indexes_queue(site: str, page_ids: list[int]) -> None:
    """Have the worker bring Wagtail's admin search and reference index up to date for
    the pages an import wrote (as Wagtail's own background tasks would); done here at
    once when the broker cannot take it."""
    schema = target_schema(site)
    if page_ids and not task_send(
        tasks.admin_indexes, schema, page_ids, healed_by="the indexes, here and now"
    ):
        admin_indexes_update(schema, page_ids)
