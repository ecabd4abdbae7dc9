"""Celery tasks of the Plone import: thin wrappers around ``services``."""

from celery import shared_task

from sites.plone_import.services import admin_indexes_update, import_run_execute


@shared_task(name="plone_import.run", ignore_result=True)
def run(run_id: int) -> None:
    """One queued import (``ImportRun``); the run's row shows progress and report."""
    import_run_execute(run_id)


@shared_task(name="plone_import.admin_indexes", ignore_result=True)
def admin_indexes(schema_name: str, page_ids: list[int]) -> None:
    """Wagtail's admin search and reference index for the pages an import wrote."""
    admin_indexes_update(schema_name, page_ids)
