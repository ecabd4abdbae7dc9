"""Mails of registration changes, sent by Celery after the change has committed.

The schema is captured when the change is made (ARCHITECTURE.md, trap 5). A broker
that is down must not lose a mail the person is waiting for: the mail is then sent from
this process instead, after the commit, so the visitor waits a little longer but gets it.
"""

from functools import partial

from django.db import connection, transaction

from core.tasks import task_send
from sites.registrations import tasks
from sites.registrations.models import Registration
from sites.registrations.services import Outcome


def _send(schema_name: str, ids: list[int], kind: str, message: dict | None) -> None:
    if not task_send(tasks.mail, schema_name, ids, kind, message, healed_by="sending it inline"):
        tasks.mail(schema_name, ids, kind, message)


def mails_queue(registrations, kind: str, message: dict | None = None) -> None:
    """Mail ``kind`` to ``registrations`` (of the current schema) once the transaction commits."""
    ids = [registration.pk for registration in registrations]
    if ids:
        send = partial(_send, connection.schema_name, ids, kind, message)
        transaction.on_commit(send, robust=True)


def outcome_notify(outcome: Outcome) -> None:
    """The mails a service's outcome needs: its own kinds, and "moved up" for those who
    got a seat from the waiting list."""
    for kind in outcome.mails:
        mails_queue([outcome.registration], kind)
    mails_queue(outcome.moved_up, "moved_up")


def participants_message(*, event, subject: str, body: str) -> int:
    """An organiser's message to every confirmed participant of ``event``; returns how
    many it goes to."""
    confirmed = list(
        Registration.objects.filter(event_id=event.pk, status=Registration.Status.CONFIRMED)
    )
    mails_queue(confirmed, "message", {"subject": subject, "body": body})
    return len(confirmed)
