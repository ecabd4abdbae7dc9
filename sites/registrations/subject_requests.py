"""Data-subject requests at network level: every registration of one e-mail address on
every site, found, exported (right of access) and deleted (right to erasure).

This module is the ONE reader of registrations across schemas (``models`` says why there
is only one). It visits the network's schema (``public``) and every member's, archived
ones included (``tasks.site_schemas``), and switches schema itself with
``schema_context``, evaluating every queryset inside it (ARCHITECTURE.md, trap 6). A loop
over schemas is fine here: a request arrives now and then, not with every page view.
A member schema that lacks tables is not searched (its queries would reach the network's
tables through the search path) and is reported as such, never silently skipped.

The log (``SubjectRequestLog``, public schema) gets one row per site touched, with the
address only as a keyed digest (HMAC-SHA256 with ``SECRET_KEY``): the contact can
recognise a repeat request, but the log does not keep the address it documents deleting.
"""

import logging
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_tenants.utils import schema_context
from wagtail.models import Page

from core.schemas import is_public_schema, schemas_missing_tables
from sites.registrations.models import Registration, SubjectRequestLog
from sites.registrations.notify import outcome_notify
from sites.registrations.services import registration_cancel
from sites.registrations.tasks import site_schemas
from tenants.models import Member

logger = logging.getLogger(__name__)
Action = SubjectRequestLog.Action
DIGEST_SALT = "sites.registrations.subject_requests.address"


@dataclass
class SiteRegistrations:
    """One site's registrations of the address (``unavailable``: the site could not be
    searched, its schema lacks tables)."""

    schema_name: str
    name: str
    host: str
    registrations: list[dict] = field(default_factory=list)
    unavailable: bool = False

    @property
    def count(self) -> int:
        return len(self.registrations)


@dataclass
class SiteDeletion:
    """What a deletion did on one site: registrations deleted, people moved up."""

    schema_name: str
    name: str
    host: str
    deleted: int = 0
    moved_up: int = 0
    unavailable: bool = False


def address_normalise(email: str) -> str:
    """The address as registrations store it (trimmed, lower case); ValidationError for
    something that is no e-mail address."""
    address = (email or "").strip().lower()
    validate_email(address)
    return address


def address_digest(email: str) -> str:
    """The keyed digest the log keeps instead of the address (64 hex digits)."""
    return salted_hmac(DIGEST_SALT, address_normalise(email), algorithm="sha256").hexdigest()


def _sites() -> list[SiteRegistrations]:
    """Every site with its name and host, the network first; empty results."""
    schemas = site_schemas()
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        members = list(Member.objects.filter(schema_name__in=schemas).prefetch_related("domains"))
        broken = schemas_missing_tables([s for s in schemas if not is_public_schema(s)])
    members.sort(key=lambda member: (not is_public_schema(member.schema_name), member.name))
    return [
        SiteRegistrations(
            schema_name=member.schema_name,
            name=member.name,
            host=member.primary_domain or "",
            unavailable=member.schema_name in broken,
        )
        for member in members
    ]


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _registration_facts(registration: Registration, event) -> dict:
    """What the export shows of one registration (everything but its secret link key)."""
    return {
        "event": {
            "title": event.title,
            "url": event.get_full_url(),
            "start": _when(getattr(event, "start", None)),
            "end": _when(getattr(event, "end", None)),
        },
        "status": registration.status,
        "status_label": str(registration.get_status_display()),
        "waiting_position": registration.waiting_position(),
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation,
        "role": registration.role,
        "remarks": registration.remarks,
        "answers": registration.answers,
        "list_consent": registration.list_consent,
        "language": registration.language,
        "created_at": _when(registration.created_at),
        "email_confirmed_at": _when(registration.email_confirmed_at),
        "cancelled_at": _when(registration.cancelled_at),
        "reminded_at": _when(registration.reminded_at),
    }


def _find_here(address: str) -> list[dict]:
    """The address's registrations in the *current* schema, evaluated here."""
    rows = list(Registration.objects.filter(email__iexact=address).order_by("event_id", "id"))
    events = Page.objects.filter(pk__in={row.event_id for row in rows}).specific()
    events = {event.pk: event for event in events}
    return [_registration_facts(row, events[row.event_id]) for row in rows]


def subject_registrations_find(*, email: str) -> list[SiteRegistrations]:
    """Every site (the network and every member, archived ones too) with the
    registrations of ``email`` there, matched whatever the spelling's case. Reads every
    site's schema, switching to each in turn."""
    address = address_normalise(email)
    sites = _sites()
    for site in sites:
        if site.unavailable:
            logger.error("Subject request: schema %s lacks tables, not searched", site.schema_name)
            continue
        with schema_context(site.schema_name):
            site.registrations = _find_here(address)
    return sites


def _log(*, address: str, action: str, handled_by: str, sites: list[tuple[str, str, int]]):
    """Log rows in the public schema, one per (site name, schema, count)."""
    digest = address_digest(address)
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        SubjectRequestLog.objects.bulk_create(
            SubjectRequestLog(
                address_digest=digest,
                site=name[:200],
                schema_name=schema_name,
                action=action,
                count=count,
                handled_by=handled_by[:150],
            )
            for name, schema_name, count in sites
        )


def _nothing_found_row(sites) -> list[tuple[str, str, int]]:
    """A request that found nothing is logged once, for the network (count 0): the
    contact can show that it was answered."""
    network = next(site for site in sites if is_public_schema(site.schema_name))
    return [(network.name, network.schema_name, 0)]


def subject_registrations_export(*, email: str, handled_by: str) -> dict:
    """The address's registrations on every site, for the person (JSON-ready: per site
    its name and host, per registration its event and every field), logged as EXPORT
    per site that has any. Reads every site's schema and writes the log in the public
    schema."""
    address = address_normalise(email)
    sites = subject_registrations_find(email=address)
    found = [site for site in sites if site.count]
    _log(
        address=address,
        action=Action.EXPORT,
        handled_by=handled_by,
        sites=[(site.name, site.schema_name, site.count) for site in found]
        or _nothing_found_row(sites),
    )
    return {
        "email": address,
        "exported_at": _when(timezone.now()),
        "sites": [
            {"name": site.name, "host": site.host, "registrations": site.registrations}
            for site in found
        ],
        "sites_not_searched": [
            {"name": site.name, "host": site.host} for site in sites if site.unavailable
        ],
    }


def _delete_here(address: str) -> tuple[int, int]:
    """Delete the address's registrations in the *current* schema (inside the caller's
    transaction); returns (deleted, moved up). Their events are locked first, as every
    seat decision does (``services``). A seat it held goes to the waiting list through
    ``registration_cancel``, whose mails go to those who moved up only: the deleted
    person gets none. Rows the address makes meanwhile on other events stay."""
    event_ids = sorted(
        set(Registration.objects.filter(email__iexact=address).values_list("event_id", flat=True))
    )
    if not event_ids:
        return 0, 0
    list(Page.objects.select_for_update().filter(pk__in=event_ids).order_by("pk").values("pk"))
    rows = list(
        Registration.objects.filter(email__iexact=address, event_id__in=event_ids).order_by(
            "event_id", "id"
        )
    )
    # without a seat first: a waiting place of the address must not move up into its own seat
    Registration.objects.filter(
        pk__in=[r.pk for r in rows if r.status not in Registration.SEAT_STATES]
    ).delete()
    moved_up = 0
    for registration in rows:
        if registration.status in Registration.SEAT_STATES:
            outcome = registration_cancel(registration=registration)
            outcome_notify(replace(outcome, mails=[]))
            moved_up += len(outcome.moved_up)
    Registration.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows), moved_up


def subject_registrations_delete(*, email: str, handled_by: str) -> list[SiteDeletion]:
    """Delete every registration of ``email`` on every site; freed seats move their
    waiting lists up. Each site's deletion and its DELETE log row (public schema) are one
    transaction. Returns what happened per site. Writes in every site's schema,
    switching to each in turn."""
    address = address_normalise(email)
    done = []
    for site in _sites():
        result = SiteDeletion(site.schema_name, site.name, site.host, unavailable=site.unavailable)
        done.append(result)
        if site.unavailable:
            logger.error(
                "Subject request: schema %s lacks tables, nothing deleted", site.schema_name
            )
            continue
        with schema_context(site.schema_name), transaction.atomic():
            result.deleted, result.moved_up = _delete_here(address)
            if result.deleted:
                _log(
                    address=address,
                    action=Action.DELETE,
                    handled_by=handled_by,
                    sites=[(site.name, site.schema_name, result.deleted)],
                )
        if result.deleted:
            logger.info(
                "Subject request: %d registrations deleted in %s (%d moved up), by %s",
                result.deleted,
                site.schema_name,
                result.moved_up,
                handled_by,
            )
    if not any(result.deleted for result in done):
        _log(
            address=address,
            action=Action.DELETE,
            handled_by=handled_by,
            sites=_nothing_found_row(done),
        )
    return done
