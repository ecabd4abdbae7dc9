"""Event registration's rules: seats, waiting list, double opt-in, cancellation with
move-up, expiry, retention, isolation between members, and the last seat under
concurrent registrations (real PostgreSQL row locks, several connections)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import schema_context

from sites.registrations import tasks
from sites.registrations.models import Registration, RegistrationArchive
from sites.registrations.services import (
    RegistrationRefused,
    registration_cancel,
    registration_confirm,
    registration_create,
    registrations_expire,
    registrations_retention_delete,
)
from sites.registrations.tasks import UnknownSchema
from tests.factories import MemberEventPageFactory, member_event_index

Status = Registration.Status


def _event(**fields):
    fields = {"registration_open": True, "waiting_list": True, **fields}
    return MemberEventPageFactory(parent=member_event_index(), **fields)


def _register(event, email, name="Ada Muster"):
    return registration_create(event=event, data={"name": name, "email": email}, language="de")


@pytest.fixture
def in_alpha(alpha):
    with schema_context(alpha.schema):
        yield alpha


def test_seats_then_waiting_list_then_a_cancellation_moves_the_first_up(in_alpha):
    event = _event(seats=2)
    first, second = (_register(event, f"p{n}@example.org").registration for n in (1, 2))
    third = _register(event, "p3@example.org").registration
    fourth = _register(event, "p4@example.org").registration
    assert [r.status for r in (first, second)] == [Status.PENDING, Status.PENDING]
    assert (third.status, third.waiting_position()) == (Status.WAITING, 1)
    assert fourth.waiting_position() == 2

    outcome = registration_cancel(registration=first)
    assert outcome.moved_up == [third]
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == Status.PENDING
    assert fourth.waiting_position() == 1


def test_a_confirmed_waiting_person_moves_up_confirmed(in_alpha):
    event = _event(seats=1)
    holder = _register(event, "holder@example.org").registration
    waiting = _register(event, "waiting@example.org").registration
    assert registration_confirm(registration=waiting).mails == []  # still waiting
    registration_cancel(registration=holder)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_confirming_gives_the_confirmed_mail_once(in_alpha):
    registration = _register(_event(), "ada@example.org").registration
    assert registration_confirm(registration=registration).mails == ["confirmed"]
    assert registration_confirm(registration=registration).mails == []
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_one_address_one_place_whatever_its_spelling(in_alpha):
    event = _event()
    first = _register(event, "Ada@Example.org")
    again = _register(event, "ada@example.ORG ")
    assert again.mails == ["already"] and again.registration == first.registration
    assert Registration.objects.filter(event_id=event.pk).count() == 1
    registration_cancel(registration=first.registration)
    assert _register(event, "ada@example.org").mails == ["confirm"]  # may register again


def test_closed_past_deadline_and_full_without_waiting_list_are_refused(in_alpha):
    with pytest.raises(RegistrationRefused, match="keine Anmeldung"):
        _register(_event(registration_open=False), "a@example.org")
    past = _event(registration_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(RegistrationRefused, match="Anmeldeschluss"):
        _register(past, "a@example.org")
    full = _event(seats=1, waiting_list=False)
    _register(full, "a@example.org")
    with pytest.raises(RegistrationRefused, match="vergeben"):
        _register(full, "b@example.org")
    assert Registration.objects.filter(event_id=full.pk).count() == 1


def test_unconfirmed_registrations_expire_after_48_hours_and_free_their_seat(in_alpha):
    event = _event(seats=1)
    stale = _register(event, "stale@example.org").registration
    waiting = _register(event, "next@example.org").registration
    registration_confirm(registration=waiting)
    Registration.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=49))
    deleted, moved = registrations_expire()
    assert deleted == 1 and moved == [waiting]
    assert not Registration.objects.filter(pk=stale.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_after_the_retention_period_only_counts_remain(in_alpha):
    ended = _event(start=timezone.now() - timedelta(days=32))
    recent = _event(start=timezone.now() - timedelta(days=5))
    for event in (ended, recent):  # registered before the event (the form is closed now)
        for email, status in (("a@example.org", Status.CONFIRMED), ("b@example.org", "cancelled")):
            Registration.objects.create(event=event, email=email, name="A", status=status)
    done = registrations_retention_delete(retention_days_default=30)
    assert done == [(ended.title, 2)]
    assert not Registration.objects.filter(event_id=ended.pk).exists()
    assert Registration.objects.filter(event_id=recent.pk).count() == 2
    archive = RegistrationArchive.objects.get(event_id=ended.pk)
    assert (archive.confirmed, archive.cancelled) == (1, 1)


def test_a_members_registrations_are_invisible_in_another_member(alpha, beta):
    with schema_context(alpha.schema):
        event = _event()
        _register(event, "ada@example.org")
    with schema_context(beta.schema):
        assert not Registration.objects.exists()
    with schema_context("public"):
        assert not Registration.objects.exists()


# --- The last seat under load ---------------------------------------------------------


@pytest.fixture
def committed_event(committed):
    """An event with 5 seats in member alpha, committed so other connections see it."""
    with schema_context("alpha"):
        event = _event(seats=5, waiting_list=False)
    yield "alpha", event
    with schema_context("alpha"):
        event.delete()


def test_twenty_concurrent_registrations_for_five_seats_take_exactly_five(committed_event):
    schema, event = committed_event
    results, barrier = [], threading.Barrier(20)

    def register(n):
        try:
            with schema_context(schema):
                barrier.wait()
                try:
                    results.append(_register(event, f"racer{n}@example.org").registration.status)
                except RegistrationRefused:
                    results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    connection.set_schema(schema)
    assert results.count(Status.PENDING) == 5
    assert results.count("refused") == 15
    assert (
        Registration.objects.filter(event_id=event.pk, status__in=Registration.SEAT_STATES).count()
        == 5
    )


def test_mail_tasks_refuse_a_schema_that_is_no_site(alpha):
    """A task must never fall back to another schema's data (ARCHITECTURE.md, trap 5)."""
    with pytest.raises(UnknownSchema):
        tasks.mail("no_such_member", [1], "confirm")
    with pytest.raises(UnknownSchema):
        tasks.mail("member_template", [1], "confirm")
    assert "member_template" not in tasks.site_schemas()
    assert {"public", alpha.schema} <= set(tasks.site_schemas())
