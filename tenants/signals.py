"""Receivers of the tenants app, connected by :func:`connect` (``TenantsConfig.ready()``)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import get_page_models

from core import caching
from core.models import HomePageBase
from tenants.models import Domain, Member
from tenants.services import home_translation_permissions_ensure


def home_page_created(sender, instance, created, raw=False, **kwargs):
    """A new language version of a home page gets its editors' permissions."""
    if created and not raw:
        home_translation_permissions_ensure(instance)


def member_or_domain_changed(sender, **kwargs):
    """Archiving, renaming, re-domaining or removing routes differently from now on."""
    caching.routing_changed()


def member_saved(sender, instance, created, **kwargs):
    caching.routing_changed()
    if created:  # a new member may reuse the schema name of a deleted one
        caching.schema_started_or_dropped(instance.schema_name)


def member_deleted(sender, instance, **kwargs):
    caching.routing_changed()
    caching.schema_started_or_dropped(instance.schema_name)


def connect() -> None:
    for model in get_page_models():
        if issubclass(model, HomePageBase):  # wagtail-localize copies a home as its own type
            post_save.connect(home_page_created, sender=model)
    post_save.connect(member_saved, sender=Member)
    post_delete.connect(member_deleted, sender=Member)
    post_save.connect(member_or_domain_changed, sender=Domain)
    post_delete.connect(member_or_domain_changed, sender=Domain)
