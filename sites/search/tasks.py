"""Celery tasks of the search index: thin wrappers around ``sites.search.indexing``.

Schema and translation key travel as arguments, captured when the page changed
(ARCHITECTURE.md, trap 5); a schema that is no active site is refused (UnknownSite).
"""

import logging

from celery import shared_task

from sites.search.indexing import index_rebuild, page_group_index, site_index, site_unindex

logger = logging.getLogger(__name__)


@shared_task(name="search.index_group", ignore_result=True)
def index_group(schema_name: str, translation_key: str) -> str:
    """One page and its translations of one site, as they are now."""
    report = page_group_index(schema_name, translation_key)
    logger.info("Search index %s/%s: %s", schema_name, translation_key, report)
    return str(report)


@shared_task(name="search.index_site", ignore_result=True)
def index_site(schema_name: str) -> str:
    """Every page of one site (a move or a view restriction changed many at once)."""
    report = site_index(schema_name)
    logger.info("Search index %s: %s", schema_name, report)
    return str(report)


@shared_task(name="search.unindex_site", ignore_result=True)
def unindex_site(schema_name: str) -> int:
    """A member archived or deleted: its pages leave the search."""
    return site_unindex(schema_name)


@shared_task(name="search.reconcile", ignore_result=True)
def reconcile() -> str:
    """Rebuild the whole index; heals what a lost task missed (broker down, crash)."""
    report = index_rebuild()
    logger.info("Search index reconciliation: %s", report)
    return str(report)
