"""The visitor's registration form on the event page, and the pages of the mails' links.

Requests go through the real URLconf and middleware; mails are rendered by the same code
the Celery task runs (``sites.registrations.mails``). Sending them through a real worker
and SMTP server is tested in tests/test_registration_mails.py.
"""

import email
import email.policy
import re

import icalendar
import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import schema_context

from sites.registrations.mails import registration_mail
from sites.registrations.models import Registration
from tests.factories import (
    MemberEventPageFactory,
    member_event_index,
    member_home,
    translation_publish,
)

Status = Registration.Status


def _event(**fields):
    fields = {"registration_open": True, "waiting_list": True, **fields}
    return MemberEventPageFactory(parent=member_event_index(), **fields)


def _form_url(event, language="de"):
    return f"/{language}/anmeldung/{event.pk}/"


def _register(client, event, email_address, language="de", **extra):
    data = {"name": "Ada Muster", "email": email_address, "website": "", **extra}
    return client.post(_form_url(event, language), data)


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """The spam brake has its own test; here one address registers many times."""
    settings.REGISTRATION_RATE = "1000/m"


@pytest.fixture
def alpha_event(alpha):
    with schema_context(alpha.schema):
        yield _event(seats=1)


def test_the_event_page_offers_the_form_with_its_privacy_notice(alpha, alpha_event):
    with schema_context(alpha.schema):
        alpha_event.ask_organisation = True
        alpha_event.question_1 = "Benötigen Sie ein Hotelzimmer?"
        alpha_event.save_revision().publish()
    response = alpha.client().get(alpha_event.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="{_form_url(alpha_event)}#anmeldung"' in html
    for label in ("Name", "E-Mail-Adresse", "Organisation", "Benötigen Sie ein Hotelzimmer?"):
        assert f">{label}" in html
    assert "Noch 1 Platz frei." in html
    assert "30 Tage nach dem Ende der Veranstaltung gelöscht" in html
    assert "<strong>Verantwortlich:</strong> Stadt Alpha" in html  # no controller set: the site
    assert "Funktion" not in html  # not asked
    assert "csrfmiddlewaretoken" not in html  # the page stays cacheable
    assert "Set-Cookie" not in response.headers
    name_input = re.search(r'<input type="text" name="name"[^>]*>', html).group(0)
    assert name_input.count("maxlength=") == 1  # an attribute given twice is invalid HTML


def test_a_registration_answers_check_your_mailbox_and_stores_the_answers(alpha, alpha_event):
    with schema_context(alpha.schema):
        alpha_event.question_1 = "Hotelzimmer?"
        alpha_event.save_revision().publish()
    response = _register(alpha.client(), alpha_event, "Ada@Example.org", question_1="Ja")
    assert response.status_code == 200
    assert "Bitte schauen Sie in Ihr Postfach" in response.content.decode()
    assert "Ada@Example.org" in response.content.decode()
    with schema_context(alpha.schema):
        registration = Registration.objects.get(event_id=alpha_event.pk)
    assert registration.status == Status.PENDING
    assert registration.email == "ada@example.org"
    assert registration.answers == [["Hotelzimmer?", "Ja"]]


def test_when_full_the_visitor_learns_the_waiting_list_place(alpha, alpha_event):
    client = alpha.client()
    _register(client, alpha_event, "first@example.org")
    page = client.get(alpha_event.url).content.decode()
    assert "Alle Plätze sind vergeben" in page
    assert "Auf die Warteliste setzen" in page
    response = _register(client, alpha_event, "second@example.org")
    assert "Platz 1 der Warteliste" in response.content.decode()


def test_errors_are_summarised_and_linked_to_their_fields(alpha, alpha_event):
    response = _register(alpha.client(), alpha_event, "not-an-address", name="")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert 'href="#id_name"' in html and 'href="#id_email"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="not-an-address"' in html  # nothing typed is lost
    with schema_context(alpha.schema):
        assert not Registration.objects.exists()


def test_the_honeypot_is_answered_like_success_and_stores_nothing(alpha, alpha_event):
    response = _register(alpha.client(), alpha_event, "bot@example.org", website="http://spam")
    assert response.status_code == 200
    assert "Bitte schauen Sie in Ihr Postfach" in response.content.decode()
    with schema_context(alpha.schema):
        assert not Registration.objects.exists()


def test_too_many_registrations_from_one_address_are_refused(alpha, settings):
    settings.REGISTRATION_RATE = "2/h"
    cache.clear()  # counts of earlier runs
    with schema_context(alpha.schema):
        event = _event()
    client = alpha.client()
    client.defaults["REMOTE_ADDR"] = "203.0.113.77"
    statuses = [_register(client, event, f"p{n}@example.org").status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    with schema_context(alpha.schema):
        assert Registration.objects.filter(event_id=event.pk).count() == 2


def test_closed_and_past_deadline_events_say_so(alpha):
    with schema_context(alpha.schema):
        closed = _event(registration_open=False)
        past = _event(registration_deadline=timezone.now())
    client = alpha.client()
    assert "Anmelden" not in client.get(closed.url).content.decode().split("<main")[1]
    refused = _register(client, closed, "a@example.org")
    assert refused.status_code == 409
    assert "keine Anmeldung über das Formular" in refused.content.decode()
    assert "Der Anmeldeschluss ist vorbei." in client.get(past.url).content.decode()
    response = _register(client, past, "a@example.org")
    assert response.status_code == 409


def test_a_second_registration_of_one_address_reveals_nothing(alpha, alpha_event):
    client = alpha.client()
    first = _register(client, alpha_event, "ada@example.org").content.decode()
    again = _register(client, alpha_event, "ADA@example.org").content.decode()
    assert "Bitte schauen Sie in Ihr Postfach" in first and "Bitte schauen Sie" in again
    assert "bereits" not in again
    with schema_context(alpha.schema):
        assert Registration.objects.filter(event_id=alpha_event.pk).count() == 1


def test_another_members_event_and_keys_are_not_found_on_this_host(alpha, beta, alpha_event):
    _register(alpha.client(), alpha_event, "ada@example.org")
    with schema_context(alpha.schema):
        key = Registration.objects.get().key
    beta_client = beta.client()
    assert _register(beta_client, alpha_event, "eve@example.org").status_code == 404
    assert beta_client.get(f"/de/anmeldung/{key}/abmelden/").status_code == 404
    assert beta_client.post(f"/de/anmeldung/{key}/abmelden/").status_code == 404
    with schema_context(alpha.schema):
        assert Registration.objects.get().status == Status.PENDING


def test_confirm_and_cancel_links_ask_before_they_act(alpha, alpha_event):
    client = alpha.client()
    _register(client, alpha_event, "ada@example.org")
    with schema_context(alpha.schema):
        registration = Registration.objects.get()
    confirm_url = f"/de/anmeldung/{registration.key}/bestaetigen/"
    page = client.get(confirm_url)
    assert page.status_code == 200 and "Anmeldung bestätigen" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    with schema_context(alpha.schema):
        registration.refresh_from_db()
        assert registration.email_confirmed_at is None  # opening the link alone does nothing
    done = client.post(confirm_url).content.decode()
    assert "Ihre Anmeldung ist bestätigt" in done
    cancel_url = f"/de/anmeldung/{registration.key}/abmelden/"
    assert "Ja, abmelden" in client.get(cancel_url).content.decode()
    assert "Sie sind abgemeldet" in client.post(cancel_url).content.decode()
    with schema_context(alpha.schema):
        registration.refresh_from_db()
        assert registration.status == Status.CANCELLED
    assert "bereits abgemeldet" in client.get(cancel_url).content.decode()


def test_a_form_posted_from_another_site_is_refused(alpha, alpha_event):
    response = alpha.client().post(
        _form_url(alpha_event),
        {"name": "A", "email": "a@example.org"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403


def test_online_access_data_stay_off_the_page_and_go_to_confirmed_people(alpha):
    with schema_context(alpha.schema):
        event = _event(
            online=True,
            online_url="https://meet.example/raum-42",
            access_info="Kenncode 4711",
            access_for_confirmed_only=True,
        )
    client = alpha.client()
    assert "meet.example" not in client.get(event.url).content.decode()
    _register(client, event, "ada@example.org")
    with schema_context(alpha.schema):
        registration = Registration.objects.get()
        pending_mail = registration_mail(registration, "confirm")
        assert "4711" not in pending_mail.body
        Registration.objects.filter(pk=registration.pk).update(status=Status.CONFIRMED)
        registration.refresh_from_db()
        confirmed_mail = registration_mail(registration, "confirmed")
    assert "Kenncode 4711" in confirmed_mail.body
    assert "https://meet.example/raum-42" in confirmed_mail.body


def test_mails_speak_the_language_of_the_form_and_carry_their_links(alpha, alpha_event):
    with schema_context(alpha.schema):
        translation_publish(member_home(), "en", title="City of Alpha")
        english = translation_publish(alpha_event, "en", title="Transition day")
    _register(alpha.client(), english, "ada@example.org", language="en")
    with schema_context(alpha.schema):
        registration = Registration.objects.get()
        assert registration.language == "en"
        message = registration_mail(registration, "confirm")
    assert message.subject == "Please confirm your registration: Transition day"
    text = message.body
    assert f"http://alpha.localhost/en/anmeldung/{registration.key}/bestaetigen/" in text
    assert f"http://alpha.localhost/en/anmeldung/{registration.key}/abmelden/" in text
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html and "/bestaetigen/" in html
    assert message.from_email.startswith("Stadt Alpha")


def test_a_language_the_site_does_not_publish_takes_no_registration(alpha, alpha_event):
    assert (
        _register(alpha.client(), alpha_event, "ada@example.org", language="en").status_code == 404
    )


def test_the_confirmed_mail_carries_the_event_as_ics(alpha, alpha_event):
    _register(alpha.client(), alpha_event, "ada@example.org")
    with schema_context(alpha.schema):
        registration = Registration.objects.get()
        Registration.objects.filter(pk=registration.pk).update(status=Status.CONFIRMED)
        registration.refresh_from_db()
        message = registration_mail(registration, "confirmed")
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    attachment = next(part for part in parsed.iter_attachments())
    assert attachment.get_filename() == f"{alpha_event.slug}.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == alpha_event.title
    assert event.decoded("DTSTART") == alpha_event.start.replace(microsecond=0)


def test_language_versions_of_an_event_share_its_seats_and_mail_in_their_language(
    alpha, alpha_event
):
    with schema_context(alpha.schema):
        translation_publish(member_home(), "en", title="City of Alpha")
        english = translation_publish(alpha_event, "en", title="Transition day")
    client = alpha.client()
    _register(client, alpha_event, "first@example.org")
    page = client.get(english.url).content.decode()
    assert "All seats are taken" in page  # the one seat went through the German page
    response = _register(client, english, "second@example.org", language="en")
    assert "number 1 on the waiting list" in response.content.decode()
    with schema_context(alpha.schema):
        second = Registration.objects.get(email="second@example.org")
        assert second.event_id == alpha_event.pk and second.status == Status.WAITING
        message = registration_mail(second, "confirm")
    assert message.subject == "Please confirm your registration: Transition day"
    assert english.url in message.body
