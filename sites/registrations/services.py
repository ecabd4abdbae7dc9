"""Writes of event registration: register, confirm, cancel, move up, expire, delete.

Every write that gives or frees a seat first locks the event's page row
(``SELECT … FOR UPDATE``), so registrations for one event are decided one after the
other by the database: two people racing for the last seat never both get it, whatever
the number of web processes. The unique constraint on (event, address) makes a second
active registration of one address impossible as well.

All functions work in the *current* schema (the event's site); the data-subject request
across schemas lives in ``subject_requests``.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core import pagecache
from sites.registrations.models import CONFIRMATION_HOURS, Registration, RegistrationArchive

logger = logging.getLogger(__name__)
Status = Registration.Status


class RegistrationRefused(Exception):
    """The form cannot take this registration; ``message`` says why, for the visitor."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Outcome:
    """What happened to one registration, and which mails it needs (kinds, see mails)."""

    registration: Registration
    mails: list[str]
    moved_up: list[Registration]


def _event_lock(event) -> None:
    Page.objects.select_for_update().filter(pk=event.pk).values_list("pk", flat=True).first()


def _active_place(event, email: str) -> Registration | None:
    """The address's seat or waiting-list place for ``event``, if it holds one."""
    places = Registration.objects.filter(event_id=event.pk, email=email)
    return places.exclude(status=Status.CANCELLED).first()


def seats_taken(event) -> int:
    return Registration.objects.filter(
        event_id=event.pk, status__in=Registration.SEAT_STATES
    ).count()


def registration_refusal(event, now=None):
    """Why the form of ``event`` takes no registration now (None: it does)."""
    now = now or timezone.now()
    if not event.registration_open:
        return _("Für diese Veranstaltung ist keine Anmeldung über das Formular möglich.")
    if now >= event.registration_closes_at():
        return _("Der Anmeldeschluss ist vorbei.")
    return None


def registration_create(*, event, data: dict, language: str) -> Outcome:
    """A new registration: a seat while there is one, else the waiting list (if the
    event has one). ``data`` holds the form's cleaned fields. An address that already
    holds a place is not told so on the page (that would reveal who registered); it
    gets a mail with its cancellation link instead."""
    email = data["email"].strip().lower()
    with transaction.atomic():
        _event_lock(event)
        refusal = registration_refusal(event)
        if refusal:
            raise RegistrationRefused(refusal)
        existing = _active_place(event, email)
        if existing is not None:
            return Outcome(existing, ["already"], [])
        if event.seats is None or seats_taken(event) < event.seats:
            status = Status.PENDING
        elif event.waiting_list:
            status = Status.WAITING
        else:
            raise RegistrationRefused(_("Alle Plätze sind vergeben."))
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event_id=event.pk,
                    status=status,
                    email=email,
                    name=data["name"].strip(),
                    organisation=data.get("organisation", "").strip(),
                    role=data.get("role", "").strip(),
                    remarks=data.get("remarks", "").strip(),
                    answers=data.get("answers", []),
                    list_consent=bool(data.get("list_consent")),
                    language=language,
                )
        except IntegrityError:  # the same address a moment earlier, in another request
            return Outcome(_active_place(event, email), ["already"], [])
        _seat_counts_changed(event)
    return Outcome(registration, ["confirm"], [])


def registration_confirm(*, registration: Registration) -> Outcome:
    """The double opt-in: the person opened the link in the confirmation mail."""
    with transaction.atomic():
        _event_lock(registration.event)
        registration.refresh_from_db()
        if registration.status == Status.CANCELLED:
            raise RegistrationRefused(_("Diese Anmeldung wurde abgemeldet."))
        if registration.email_confirmed_at is not None:
            return Outcome(registration, [], [])
        registration.email_confirmed_at = timezone.now()
        mails = []
        if registration.status == Status.PENDING:
            registration.status = Status.CONFIRMED
            mails = ["confirmed"]
        registration.save(update_fields=["status", "email_confirmed_at"])
    return Outcome(registration, mails, [])


def registration_cancel(*, registration: Registration) -> Outcome:
    """Cancelled by the person's link or by the organiser; a freed seat moves the first
    of the waiting list up."""
    with transaction.atomic():
        _event_lock(registration.event)
        registration.refresh_from_db()
        if registration.status == Status.CANCELLED:
            return Outcome(registration, [], [])
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        moved = _waiting_list_move_up(registration.event)
        _seat_counts_changed(registration.event)
    return Outcome(registration, ["cancelled"], moved)


def registration_move_up(*, registration: Registration) -> Outcome:
    """The organiser gives a waiting person a seat by hand (even beyond the seats)."""
    with transaction.atomic():
        _event_lock(registration.event)
        registration.refresh_from_db()
        if registration.status != Status.WAITING:
            raise RegistrationRefused(_("Nur wer auf der Warteliste steht, kann nachrücken."))
        _give_seat(registration)
        _seat_counts_changed(registration.event)
    return Outcome(registration, [], [registration])


def _give_seat(registration: Registration) -> None:
    confirmed = registration.email_confirmed_at is not None
    registration.status = Status.CONFIRMED if confirmed else Status.PENDING
    registration.save(update_fields=["status"])


def _waiting_list_move_up(event) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served (event locked)."""
    event = event.specific
    waiting = Registration.objects.filter(event_id=event.pk, status=Status.WAITING).order_by("id")
    if event.seats is not None:
        waiting = waiting[: max(event.seats - seats_taken(event), 0)]
    moved = list(waiting)
    for registration in moved:
        _give_seat(registration)
    return moved


def _seat_counts_changed(event) -> None:
    """The event page shows the seats left: its cached responses go."""
    pagecache.purge_paths(pagecache.page_paths(event))


def registrations_expire(now=None) -> tuple[int, list[Registration]]:
    """Delete registrations whose address was not confirmed within
    ``CONFIRMATION_HOURS``; their seats go to the waiting list. Returns how many were
    deleted and who moved up."""
    now = now or timezone.now()
    expired = Registration.objects.filter(
        email_confirmed_at__isnull=True,
        created_at__lt=now - timedelta(hours=CONFIRMATION_HOURS),
    ).exclude(status=Status.CANCELLED)
    deleted, moved = 0, []
    for event_id in sorted(set(expired.values_list("event_id", flat=True))):
        with transaction.atomic():
            event = Page.objects.select_for_update().get(pk=event_id)  # the event lock
            deleted += expired.filter(event_id=event_id).delete()[0]
            moved.extend(_waiting_list_move_up(event))
            _seat_counts_changed(event)
    return deleted, moved


def registrations_retention_delete(*, retention_days_default: int, now=None) -> list[tuple]:
    """Delete the registrations of events whose retention period after their end has
    passed, keeping only the counts per state (``RegistrationArchive``). Returns
    (event title, deleted count) per event, for the log."""
    now = now or timezone.now()
    done = []
    event_ids = sorted(set(Registration.objects.values_list("event_id", flat=True)))
    for event in Page.objects.filter(pk__in=event_ids).specific():
        days = event.retention_days if event.retention_days is not None else retention_days_default
        if event.end_or_start + timedelta(days=days) > now:
            continue
        with transaction.atomic():
            rows = Registration.objects.filter(event_id=event.pk)
            counts = rows.values_list("status").annotate(count=Count("id")).order_by()
            archive, _created = RegistrationArchive.objects.get_or_create(event_id=event.pk)
            for status, count in counts:
                setattr(archive, status, getattr(archive, status) + count)
            archive.deleted_at = now
            archive.save()
            done.append((event.title, rows.delete()[0]))
    return done
