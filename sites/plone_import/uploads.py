"""Exports uploaded in the network admin: kept until the worker has imported them."""

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
from sites.plone_import.services import Options, run_update, target_schema


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
