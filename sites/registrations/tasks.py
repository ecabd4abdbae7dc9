"""Celery tasks of event registration: mails, and the periodic work of every site.

A mail task carries its schema as an argument, captured when the registration changed
(ARCHITECTURE.md, trap 5), and refuses a schema that is no site. The periodic tasks
visit the network's schema and every member's (archived ones too: their data must still
be deleted on time) one after the other; a broken schema is logged and skipped.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page, Site

from core.models import SiteSettings
from sites.registrations.mails import registration_mail
from sites.registrations.models import Registration
from sites.registrations.services import registrations_expire, registrations_retention_delete
from tenants.models import Member

logger = logging.getLogger(__name__)


class UnknownSchema(ValueError):
    """A task named a schema that is no site: refuse instead of guessing."""


def site_schemas(*, archived: bool = True) -> list[str]:
    """The network's schema and its members' (without archived ones if asked)."""
    members = Member.objects.members() if archived else Member.objects.active()
    return [settings.PUBLIC_SCHEMA_NAME, *members.values_list("schema_name", flat=True)]


def _site_schema_check(schema_name: str) -> None:
    if schema_name not in site_schemas():
        raise UnknownSchema(f"Keine Website mit dem Schema „{schema_name}“.")


def mails_send(registrations, kind: str, message: dict | None = None) -> int:
    """Send the mail of ``kind`` to each registration, in the *current* schema."""
    sent = 0
    for registration in registrations:
        sent += registration_mail(registration, kind, message).send()
    return sent


@shared_task(name="registrations.mail", ignore_result=True)
def mail(schema_name: str, registration_ids: list[int], kind: str, message=None) -> int:
    """The mail of ``kind`` to these registrations of ``schema_name``. Registrations
    deleted in the meantime (expired, past retention) get none."""
    _site_schema_check(schema_name)
    with schema_context(schema_name):
        registrations = list(Registration.objects.filter(pk__in=registration_ids))
        return mails_send(registrations, kind, message)


def _each_site(action, *, archived: bool = True) -> dict:
    """``action()`` in every site's schema; what it returned, per schema."""
    done = {}
    for schema in site_schemas(archived=archived):
        try:
            with schema_context(schema):
                done[schema] = action()
        except Exception:
            logger.exception("Registration housekeeping failed in schema %s", schema)
    return done


def _expire_here():
    deleted, moved = registrations_expire()
    mails_send(moved, "moved_up")
    if deleted:
        logger.info(
            "%s: %d unconfirmed registrations deleted, %d moved up",
            connection.schema_name,
            deleted,
            len(moved),
        )
    return deleted


@shared_task(name="registrations.expire", ignore_result=True)
def expire() -> dict:
    """Unconfirmed registrations older than 48 hours are deleted, their seats passed on."""
    return _each_site(_expire_here)


def _retention_here():
    site_default = _default_retention_days()
    done = registrations_retention_delete(retention_days_default=site_default)
    for title, count in done:
        logger.info(
            "%s: registrations of „%s“ deleted after the retention period (%d rows, counts kept)",
            connection.schema_name,
            title,
            count,
        )
    return sum(count for _title, count in done)


def _default_retention_days() -> int:
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return SiteSettings.for_site(site).registration_retention_days if site else 30


@shared_task(name="registrations.retention", ignore_result=True)
def retention() -> dict:
    """Registrations past their event's retention period are deleted, counts kept."""
    return _each_site(_retention_here)


def reminders_send(now=None) -> int:
    """Remind confirmed participants of events whose reminder day has come, once each,
    in the *current* schema. Waiting, unconfirmed and cancelled people get none."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, reminded_at__isnull=True
    ).values_list("event_id", flat=True)
    sent = 0
    for event in Page.objects.filter(pk__in=set(due)).live().specific():
        days = getattr(event, "reminder_days", None)
        if days is None or not (event.start - timedelta(days=days) <= now < event.start):
            continue
        with transaction.atomic():
            registrations = list(
                Registration.objects.select_for_update(skip_locked=True).filter(
                    event_id=event.pk,
                    status=Registration.Status.CONFIRMED,
                    reminded_at__isnull=True,
                )
            )
            Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
                reminded_at=now
            )
        sent += mails_send(registrations, "reminder")
    return sent


@shared_task(name="registrations.remind", ignore_result=True)
def remind() -> dict:
    """Reminders of every active site (see :func:`reminders_send`)."""
    return _each_site(reminders_send, archived=False)
