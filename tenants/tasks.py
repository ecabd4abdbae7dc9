"""Periodic work that Wagtail expects per schema (ARCHITECTURE.md, trap 13)."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.management import call_command
from django_tenants.utils import schema_context

from tenants.models import Member

logger = logging.getLogger(__name__)


@shared_task
def publish_scheduled_pages() -> list[str]:
    """Run Wagtail's publish_scheduled in the network schema and every active member schema.

    One broken member is logged and skipped; the others still publish.
    """
    schemas = [
        settings.PUBLIC_SCHEMA_NAME,
        *Member.objects.active().values_list("schema_name", flat=True),
    ]
    done = []
    for schema in schemas:
        try:
            with schema_context(schema):
                call_command("publish_scheduled", verbosity=0)
            done.append(schema)
        except Exception:
            logger.exception("publish_scheduled failed in schema %s", schema)
    return done
