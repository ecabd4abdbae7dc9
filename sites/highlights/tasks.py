"""Celery tasks of the copy pipeline: thin wrappers around ``sites.highlights.services``.

Schema and group key travel as arguments, captured when the page changed
(ARCHITECTURE.md, trap 5; a deleted page cannot be looked up later). An unknown schema
raises UnknownSchema: nothing is written.
"""

import logging

from celery import shared_task

from sites.highlights.services import (
    CHANNELS,
    member_content_sync,
    member_content_sync_member,
    member_content_sync_page,
)

logger = logging.getLogger(__name__)


@shared_task(name="highlights.sync_page", ignore_result=True)
def sync_page(schema_name: str, translation_key: str, channels: list[str] = CHANNELS) -> str:
    """The translation group of one page of one member, in the channels it feeds."""
    report = member_content_sync_page(schema_name, translation_key, channels)
    logger.info("Member content sync %s/%s: %s", schema_name, translation_key, report)
    return str(report)


@shared_task(name="highlights.sync_member", ignore_result=True)
def sync_member(schema_name: str, channels: list[str] = CHANNELS) -> str:
    """Everything one member offers in these channels (one of its images changed)."""
    report = member_content_sync_member(schema_name, channels)
    logger.info("Member content sync %s: %s", schema_name, report)
    return str(report)


@shared_task(name="highlights.reconcile", ignore_result=True)
def reconcile() -> str:
    """Rebuild the copies of all active members; heals lost events (broker down, crash)."""
    report = member_content_sync()
    logger.info("Member content reconciliation: %s", report)
    return str(report)
