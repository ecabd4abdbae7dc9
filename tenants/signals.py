"""Keep editor groups' page permissions in step with new language versions of home pages."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page

from tenants.services import home_translation_permissions_ensure


@receiver(post_save)
def page_created(sender, instance, created, **kwargs):
    if created and isinstance(instance, Page) and not kwargs.get("raw"):
        home_translation_permissions_ensure(instance)
