"""Celery tasks of the highlights pipeline: thin wrappers around highlights.services."""

import logging

from celery import shared_task

from sites.highlights.services import highlight_sync_page, highlights_sync

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def sync_page(schema_name: str, translation_key: str) -> str:
    """The translation group of one page of one member. Schema and group key travel as
    arguments, captured when the page changed (ARCHITECTURE.md, trap 5; a deleted page
    cannot be looked up later). An unknown schema raises UnknownSchema: nothing is written."""
    report = highlight_sync_page(schema_name, translation_key)
    logger.info("Highlight sync %s/%s: %s", schema_name, translation_key, report)
    return str(report)


@shared_task(ignore_result=True)
def reconcile() -> str:
    """Rebuild the truth for all active members; heals lost events (broker down, crash)."""
    report = highlights_sync()
    logger.info("Highlight reconciliation: %s", report)
    return str(report)
