"""Send member changes to the copy pipeline after their transaction commits.

Connected by :func:`connect` (``HighlightsConfig.ready()``) with explicit senders: the
page types the member side offers (``sites.members.offers``), every page type for moves
(moving a parent moves the offered pages below it), view restrictions (privacy), the
member schemas' image model,
and our own rows and members for the image copies.

Schema and ``translation_key`` are captured when the callback is registered, not when it
runs: by then the request may have left the member's schema (ARCHITECTURE.md, trap 5),
and a deleted page can no longer be looked up. A broker that is down must not break
publishing: the error is logged and reconciliation heals it.
"""

from functools import partial

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import pagecache
from core.schemas import is_system_schema
from core.tasks import task_send
from sites.highlights import tasks
from sites.highlights.images import highlight_copies_sweep
from sites.highlights.models import DirectoryEntry, Highlight
from sites.highlights.services import CHANNELS, DIRECTORY, HIGHLIGHTS, HIGHLIGHTS_TOPIC
from sites.members.offers import DIRECTORY_OFFER, HIGHLIGHT_OFFERS
from tenants.models import MEMBERS_TOPIC, Member


def offered_channels(model) -> tuple[str, ...]:
    """The channels a page type feeds: highlights, the directory, both or none."""
    channels = []
    if any(offer.model is model for offer in HIGHLIGHT_OFFERS):
        channels.append(HIGHLIGHTS)
    if DIRECTORY_OFFER.model is model:
        channels.append(DIRECTORY)
    return tuple(channels)


def _send(task, *args) -> None:
    task_send(task, *args, healed_by="the next reconciliation (highlights.reconcile)")


def queue_page_sync(page: Page, channels: tuple[str, ...]) -> None:
    """Sync ``page``'s translation group once the current transaction has committed."""
    schema_name = connection.schema_name
    if channels and not is_system_schema(schema_name):
        task_args = (schema_name, str(page.translation_key), list(channels))
        transaction.on_commit(partial(_send, tasks.sync_page, *task_args), robust=True)


def queue_member_sync(channels: tuple[str, ...]) -> None:
    """Sync everything the current member offers once the transaction has committed."""
    schema_name = connection.schema_name
    if not is_system_schema(schema_name):
        task_args = (schema_name, list(channels))
        transaction.on_commit(partial(_send, tasks.sync_member, *task_args), robust=True)


def page_changed(sender, instance, **kwargs):
    """Published, unpublished or deleted: the page's group is copied again."""
    queue_page_sync(instance, offered_channels(sender))


def page_moved(sender, instance, **kwargs):
    """A move changes the URLs of the page and everything below it."""
    pages = instance.get_descendants(inclusive=True).live()
    for page in pages.only("id", "content_type", "translation_key"):
        queue_page_sync(page, offered_channels(page.specific_class))


def privacy_changed(sender, instance, **kwargs):
    """A view restriction hides or shows the page and everything below it: the member's
    offers are synced at once (the pages below may be of any offered type)."""
    queue_member_sync(CHANNELS)


def image_changed(sender, instance, **kwargs):
    """A new file, alt text or a deleted image changes the highlights that show it."""
    queue_member_sync((HIGHLIGHTS,))


def highlight_deleted(sender, instance, **kwargs):
    """A row deleted outside the pipeline takes its image copy along."""
    schemas = list(
        Member.objects.filter(pk=instance.member_id).values_list("schema_name", flat=True)
    )
    if schemas:
        transaction.on_commit(partial(highlight_copies_sweep, schemas), robust=True)


def highlight_row_changed(sender, **kwargs):
    """An editor's save of a highlight (or its deletion) shows on the network's pages."""
    pagecache.purge_topic(HIGHLIGHTS_TOPIC)


def directory_entry_changed(sender, **kwargs):
    pagecache.purge_topic(MEMBERS_TOPIC)


def member_deleted(sender, instance, **kwargs):
    """All copies of a deleted member go with it."""
    transaction.on_commit(partial(highlight_copies_sweep, [instance.schema_name]), robust=True)


def connect() -> None:
    offering = {offer.model for offer in HIGHLIGHT_OFFERS} | {DIRECTORY_OFFER.model}
    for model in offering:
        page_published.connect(page_changed, sender=model)
        page_unpublished.connect(page_changed, sender=model)
        post_delete.connect(page_changed, sender=model)
    for model in get_page_models():
        post_page_move.connect(page_moved, sender=model)
    post_save.connect(privacy_changed, sender=PageViewRestriction)
    post_delete.connect(privacy_changed, sender=PageViewRestriction)
    post_save.connect(image_changed, sender=get_image_model())
    post_delete.connect(image_changed, sender=get_image_model())
    post_delete.connect(highlight_deleted, sender=Highlight)
    post_save.connect(highlight_row_changed, sender=Highlight)
    post_delete.connect(highlight_row_changed, sender=Highlight)
    post_save.connect(directory_entry_changed, sender=DirectoryEntry)
    post_delete.connect(directory_entry_changed, sender=DirectoryEntry)
    post_delete.connect(member_deleted, sender=Member)
