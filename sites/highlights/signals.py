"""Send a page's highlight sync to Celery after the publishing transaction commits.

The sync covers the page's translation group (one Highlight row per group). Schema and
``translation_key`` are captured when the callback is registered, not when it runs: by
then the request may have left the member's schema (ARCHITECTURE.md, trap 5), and a
deleted page can no longer be looked up. A broker that is down must not break
publishing: the error is logged and reconciliation heals it.
"""

import logging
from functools import partial

from django.db import connection, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.schemas import is_system_schema

logger = logging.getLogger(__name__)
PROPOSING_MODELS = ("membernewspage", "membereventpage", "profilepage")


def _send(schema_name: str, translation_key: str) -> None:
    from sites.highlights.tasks import sync_page

    try:
        # Fail at once when the broker is down instead of retrying for seconds mid-request.
        with sync_page.app.connection_for_write(transport_options={"max_retries": 0}) as conn:
            sync_page.apply_async((schema_name, translation_key), retry=False, connection=conn)
    except Exception:
        logger.warning(
            "Highlight sync for %s/%s not sent (broker unreachable?); the next reconciliation "
            "will pick it up.",
            schema_name,
            translation_key,
            exc_info=True,
        )


def queue_page_sync(page: Page) -> None:
    """Sync ``page``'s translation group once the current transaction has committed."""
    schema_name = connection.schema_name
    if not is_system_schema(schema_name):
        key = str(page.translation_key)
        transaction.on_commit(partial(_send, schema_name, key), robust=True)


@receiver(page_published)
@receiver(page_unpublished)
def page_state_changed(sender, instance, **kwargs):
    if sender._meta.model_name in PROPOSING_MODELS:
        queue_page_sync(instance)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    """A move changes the URLs of the page and everything below it."""
    pages = instance.get_descendants(inclusive=True).live()
    for page in pages.only("id", "content_type", "translation_key"):
        if page.specific_class and page.specific_class._meta.model_name in PROPOSING_MODELS:
            queue_page_sync(page)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and sender._meta.model_name in PROPOSING_MODELS:
        queue_page_sync(instance)
