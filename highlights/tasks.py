"""Celery tasks of the highlights pipeline: thin wrappers around highlights.services."""

import logging

from celery import shared_task

from highlights.services import highlight_sync_page, highlights_sync

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def sync_page(schema_name: str, page_id: int) -> str:
    """One page of one member; the schema travels as an argument, captured at publish time
    (ARCHITECTURE.md, trap 5). An unknown schema raises UnknownSchema: nothing is written."""
    report = highlight_sync_page(schema_name, page_id)
    logger.info("Highlight sync %s/%s: %s", schema_name, page_id, report)
    return str(report)


@shared_task(ignore_result=True)
def reconcile() -> str:
    """Rebuild the truth for all active members; heals lost events (broker down, crash)."""
    report = highlights_sync()
    logger.info("Highlight reconciliation: %s", report)
    return str(report)
