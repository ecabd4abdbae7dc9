"""Keep the network's member directory in step with each member's profile page."""

from django.conf import settings
from django.db import connection
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from core.schemas import is_system_schema
from sites.members.models import ProfilePage
from tenants.models import Member
from tenants.services import directory_entry_refresh, directory_entry_remove


def _member_of_original(page):
    """The member whose schema we are in, if ``page`` is in the default language."""
    if is_system_schema(connection.schema_name):
        return None
    if page.locale.language_code != settings.DEFAULT_CONTENT_LOCALES[0]:
        return None
    return Member.objects.filter(schema_name=connection.schema_name).first()


@receiver(page_published, sender=ProfilePage)
def profile_published(sender, instance, **kwargs):
    member = _member_of_original(instance)
    if member is not None:
        directory_entry_refresh(member, instance)


@receiver(page_unpublished, sender=ProfilePage)
def profile_unpublished(sender, instance, **kwargs):
    member = _member_of_original(instance)
    if member is not None:
        directory_entry_remove(member)
