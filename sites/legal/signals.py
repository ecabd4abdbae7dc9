"""Receivers of the legal pages, connected in ``LegalConfig.ready()``."""

from django.db import connection
from wagtail.signals import page_published

from core.models import HomePageBase
from core.schemas import is_public_schema
from sites.legal.services import legal_pages_ensure


def language_home_published(sender, instance, **kwargs):
    """A site that goes live in another language gets its legal pages in that language."""
    if isinstance(instance, HomePageBase) and instance.depth == 2:
        legal_pages_ensure(network=is_public_schema(connection.schema_name))


def connect() -> None:
    page_published.connect(language_home_published)
