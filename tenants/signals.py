"""Receivers of the tenants app, connected by :func:`connect` (``TenantsConfig.ready()``)."""

from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import get_page_models

from core import caching, pagecache
from core.models import HomePageBase
from tenants.models import MEMBERS_TOPIC, Domain, Member
from tenants.services import home_translation_permissions_ensure


def home_page_created(sender, instance, created, raw=False, **kwargs):
    """A new language version of a home page gets its editors' permissions."""
    if created and not raw:
        home_translation_permissions_ensure(instance)


def _network_pages_of_members_purge() -> None:
    """The directory and the highlights show members' names and microsite links."""
    pagecache.purge_topic(MEMBERS_TOPIC)


def domain_name_remember(sender, instance, raw=False, **kwargs):
    """Before a domain is saved: its stored name, whose cached pages a rename retires."""
    if instance.pk and not raw:
        stored = Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True)
        instance._domain_before = stored.first()


def domain_changed(sender, instance, **kwargs):
    """Re-domaining or removing a host routes differently from now on: its cached pages
    (the old name's too) go, the member's pages (their links name the primary domain),
    and what links to the member's microsite."""
    caching.routing_changed()
    names = (instance.domain, getattr(instance, "_domain_before", None))
    pagecache.purge_hosts([name for name in names if name])
    pagecache.purge_site(instance.tenant.schema_name)
    _network_pages_of_members_purge()


def member_saved(sender, instance, created, **kwargs):
    """Archiving, reactivating or renaming shows on every page of the member's hosts."""
    caching.routing_changed()
    if created:  # a new member may reuse the schema name of a deleted one
        caching.schema_started_or_dropped(instance.schema_name)
    else:
        pagecache.purge_site(instance.schema_name)
    _network_pages_of_members_purge()


def member_deleted(sender, instance, **kwargs):
    """Its Domain rows go first (with their own purges); the network pages follow."""
    caching.routing_changed()
    caching.schema_started_or_dropped(instance.schema_name)
    _network_pages_of_members_purge()


def connect() -> None:
    for model in get_page_models():
        if issubclass(model, HomePageBase):  # wagtail-localize copies a home as its own type
            post_save.connect(home_page_created, sender=model)
    post_save.connect(member_saved, sender=Member)
    post_delete.connect(member_deleted, sender=Member)
    pre_save.connect(domain_name_remember, sender=Domain)
    post_save.connect(domain_changed, sender=Domain)
    post_delete.connect(domain_changed, sender=Domain)
