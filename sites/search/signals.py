"""Send page changes of every site to the search index after their transaction commits.

Connected by ``SearchConfig.ready()`` for every page type: publishing (wagtail-localize
publishes translations the same way), unpublishing and deleting re-index the page's
translation group; a move, a view restriction or a member's new state re-index (or
remove) the whole site. Schema and key are captured when the callback is registered
(ARCHITECTURE.md, trap 5). A broker that is down must not stop the editor: the send is
logged and the periodic ``search.reconcile`` heals it.
"""

from functools import partial

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.schemas import is_public_schema, is_system_schema
from core.tasks import task_send
from sites.search import tasks
from tenants.models import Member


def _send(task, *args) -> None:
    task_send(task, *args, healed_by="the next reconciliation (search.reconcile)")


def _indexed_schema() -> str | None:
    """The current schema if its pages are searched (the network's or a member's)."""
    schema_name = connection.schema_name
    if is_public_schema(schema_name) or not is_system_schema(schema_name):
        return schema_name
    return None


def page_changed(sender, instance, **kwargs):
    schema_name = _indexed_schema()
    if schema_name:
        send = partial(_send, tasks.index_group, schema_name, str(instance.translation_key))
        transaction.on_commit(send, robust=True)


def site_changed(sender, **kwargs):
    schema_name = _indexed_schema()
    if schema_name:
        transaction.on_commit(partial(_send, tasks.index_site, schema_name), robust=True)


def member_changed(sender, instance, **kwargs):
    """Archived (or deleted): out of the search; active again: back in."""
    deleted = kwargs.get("signal") is post_delete
    task = tasks.unindex_site if deleted or not instance.is_active else tasks.index_site
    if not is_system_schema(instance.schema_name):
        transaction.on_commit(partial(_send, task, instance.schema_name), robust=True)


def connect() -> None:
    for model in get_page_models():
        page_published.connect(page_changed, sender=model)
        page_unpublished.connect(page_changed, sender=model)
        post_delete.connect(page_changed, sender=model)
        post_page_move.connect(site_changed, sender=model)
    post_save.connect(site_changed, sender=PageViewRestriction)
    post_delete.connect(site_changed, sender=PageViewRestriction)
    post_save.connect(member_changed, sender=Member)
    post_delete.connect(member_changed, sender=Member)
