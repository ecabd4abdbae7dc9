"""The Celery task of imports started in the network admin: a thin wrapper."""

from celery import shared_task

from sites.plone_import.services import import_run_execute


@shared_task(name="plone_import.run", ignore_result=True)
def run(run_id: int) -> None:
    """One queued import (``ImportRun``); the run's row shows progress and report."""
    import_run_execute(run_id)
