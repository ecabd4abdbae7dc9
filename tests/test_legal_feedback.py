"""The "report a barrier" form of the accessibility statement (BITV 2.0 §7).

Requests go through the real URLconf and middleware; reports leave through Django's SMTP
backend to a real SMTP server in this process (aiosmtpd), parsed as a mail program
would. The form's time token is taken from the rendered page, as a browser sends it.
"""

import re
import time
from html import unescape
from unittest import mock

import environ
import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django_tenants.utils import schema_context

from core.models import SiteSettings
from sites.legal.forms import feedback_token
from sites.legal.models import AccessibilityStatementPage, ImprintPage, PrivacyPage
from sites.legal.services import legal_pages_ensure
from tests.factories import member_home, translation_publish
from tests.subprocesses import free_port
from tests.test_mail import Inbox

ALPHA_CONTACT = "barrierefrei@alpha.example"
BETA_CONTACT = "barrierefrei@beta.example"
MESSAGE = "Die Karte auf der Startseite lässt sich nicht mit der Tastatur bedienen."


@pytest.fixture(autouse=True)
def brakes_off(settings):
    """Rate and time limit have their own tests; elsewhere one address sends at once."""
    settings.FEEDBACK_RATE = "1000/m"
    settings.FEEDBACK_MIN_SECONDS = 0


def _mail_through(settings, port: int) -> None:
    for key, value in environ.Env.email_url_config(f"smtp://127.0.0.1:{port}").items():
        setattr(settings, key, value)


@pytest.fixture
def inbox(settings):
    """A real SMTP server; the app mails there."""
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=free_port())
    controller.start()
    _mail_through(settings, controller.port)
    try:
        yield received.received
    finally:
        controller.stop()


def _contact_set(schema: str, address: str) -> None:
    with schema_context(schema):
        site_settings = SiteSettings.for_site(member_home().get_site())
        site_settings.contact_email = address
        site_settings.save()


def _statement(schema: str, language: str = "de") -> AccessibilityStatementPage:
    with schema_context(schema):
        page = AccessibilityStatementPage.objects.get(locale__language_code=language)
        page.url  # noqa: B018 - its address, resolved in its schema, kept on the object
        return page


@pytest.fixture
def statement(alpha) -> AccessibilityStatementPage:
    """Alpha's German statement; alpha's reports go to ALPHA_CONTACT."""
    _contact_set(alpha.schema, ALPHA_CONTACT)
    return _statement(alpha.schema)


def _action(page, language="de") -> str:
    return f"/{language}/barriere-melden/{page.pk}/"


def _token(client, page) -> str:
    """The time token of the form as the page renders it."""
    html = client.get(page.url).content.decode()
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "no token in the form"
    return found.group(1)


def _report(client, page, language="de", token=None, **fields):
    data = {"message": MESSAGE, "page_address": "", "name": "", "email": "", "website": ""}
    data["token"] = _token(client, page) if token is None else token
    return client.post(_action(page, language), {**data, **fields})


def _html(response) -> str:
    return unescape(response.content.decode())


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_statement_offers_the_form_with_its_privacy_link(alpha, statement):
    response = alpha.client().get(statement.url)
    html = _html(response)
    assert response.status_code == 200
    assert f'action="{_action(statement)}#barriere-melden"' in html
    for label in ("Ihre Nachricht", "Auf welcher Seite?", "Name", "E-Mail-Adresse"):
        assert f">{label}" in html
    with schema_context(alpha.schema):
        privacy = PrivacyPage.objects.get(locale__language_code="de")
        assert f'href="{privacy.url}">Mehr dazu in der Datenschutzerklärung' in html
    assert 'name="token" value="' in html
    assert "csrfmiddlewaretoken" not in html  # the page stays cacheable
    assert "Set-Cookie" not in response.headers


def test_a_report_reaches_the_sites_contact_and_the_reporter_gets_a_copy(alpha, statement, inbox):
    response = _report(
        alpha.client(),
        statement,
        name="Ada Muster",
        email="ada@example.org",
        page_address="http://alpha.localhost/de/karte/",
    )
    html = _html(response)
    assert response.status_code == 200
    assert "Vielen Dank: Ihre Nachricht ist eingegangen" in html
    assert 'role="status"' in html
    assert "Eine Eingangsbestätigung haben wir an ada@example.org geschickt" in html
    assert response["Cache-Control"] == "private, no-store"

    report, copy = inbox
    assert report["To"] == ALPHA_CONTACT
    assert report["Subject"] == "Barriere gemeldet: Stadt Alpha"
    assert report["From"].addresses[0].display_name == "Stadt Alpha"
    assert report["Reply-To"] == "ada@example.org"
    text = _text(report)
    for content in (MESSAGE, "Ada Muster", "ada@example.org", "http://alpha.localhost/de/karte/"):
        assert content in text
    assert re.search(r"Eingegangen am \d{1,2}\. \w+ \d{4}, \d{2}:\d{2} Uhr", text)
    assert "http://alpha.localhost/de/barrierefreiheit/" in text  # where it was sent from

    assert copy["To"] == "ada@example.org"
    assert copy["Reply-To"] == ALPHA_CONTACT
    assert copy["From"].addresses[0].display_name == "Stadt Alpha"
    assert "Ihre Nachricht ist eingegangen" in _text(copy)
    # a receipt only: nothing typed into the form goes to the address typed into it
    assert MESSAGE not in _text(copy) and "Ada Muster" not in _text(copy)


def test_a_report_without_an_address_goes_to_the_site_only(alpha, statement, inbox):
    response = _report(alpha.client(), statement)
    assert response.status_code == 200
    assert "Ihre Nachricht ist eingegangen" in _html(response)
    (report,) = inbox
    assert report["To"] == ALPHA_CONTACT
    assert report["Reply-To"] is None
    assert "Die Person hat keine E-Mail-Adresse angegeben." in _text(report)


def test_the_honeypot_is_answered_like_success_and_sends_nothing(alpha, statement, inbox):
    response = _report(
        alpha.client(), statement, email="bot@example.org", website="http://spam.example"
    )
    assert response.status_code == 200
    assert "Ihre Nachricht ist eingegangen" in _html(response)
    assert inbox == []


def _refused_with_text_kept(response, reason: str) -> str:
    html = _html(response)
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert reason in html
    assert f">{MESSAGE}</textarea>" in html  # nothing typed is lost
    return html


def test_a_form_sent_too_fast_is_refused_with_the_text_kept(alpha, statement, inbox, settings):
    settings.FEEDBACK_MIN_SECONDS = 60
    client = alpha.client()
    response = _report(client, statement, email="ada@example.org")
    html = _refused_with_text_kept(response, "sehr schnell nach dem Laden der Seite")
    assert 'value="ada@example.org"' in html
    assert inbox == []

    with schema_context(alpha.schema), mock.patch("time.time", return_value=time.time() - 61):
        rendered_a_minute_ago = feedback_token(statement)
    assert _report(client, statement, token=rendered_a_minute_ago).status_code == 200
    assert len(inbox) == 1


def test_a_missing_or_forged_token_is_refused_with_the_text_kept(alpha, statement, inbox):
    client = alpha.client()
    real = _token(client, statement)
    with schema_context(alpha.schema):
        of_another_page = feedback_token(ImprintPage.objects.get(locale__language_code="de"))
    for token in ("", "x", real[:-1] + ("A" if real[-1] != "A" else "B"), of_another_page):
        response = _report(client, statement, token=token)
        _refused_with_text_kept(response, "Das Formular war nicht mehr gültig")
    assert inbox == []


def test_a_message_with_more_than_three_links_is_refused(alpha, statement, inbox):
    links = " ".join(f"https://shop{n}.example" for n in range(4))
    response = _report(alpha.client(), statement, message=f"Billig! {links}")
    html = _html(response)
    assert response.status_code == 400
    assert "mehr als 3 Links" in html
    assert 'href="#id_message"' in html
    assert re.search(r'<textarea name="message" id="id_message"[^>]*aria-invalid="true"', html)
    assert 'aria-describedby="id_message_error id_message_help"' in html
    assert inbox == []
    three = " ".join(f"http://alpha.localhost/de/{n}/" for n in range(3))
    assert _report(alpha.client(), statement, message=f"Hier: {three}").status_code == 200


def test_a_missing_message_is_summarised_and_linked(alpha, statement, inbox):
    response = _report(
        alpha.client(), statement, message="", name="Ada Muster", email="keine-adresse"
    )
    html = _html(response)
    assert response.status_code == 400
    assert "Bitte prüfen Sie 2 Angaben:" in html
    assert 'href="#id_message"' in html and 'href="#id_email"' in html
    assert 'value="Ada Muster"' in html and 'value="keine-adresse"' in html
    assert inbox == []


def test_too_many_reports_from_one_address_are_refused(alpha, statement, inbox, settings):
    settings.FEEDBACK_RATE = "2/h"
    cache.clear()  # counts of earlier runs
    client = alpha.client()
    client.defaults["REMOTE_ADDR"] = "203.0.113.78"
    responses = [_report(client, statement, message=f"{MESSAGE} ({n})") for n in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    html = _html(responses[2])
    assert "sehr viele Meldungen" in html and ALPHA_CONTACT in html
    assert f">{MESSAGE} (2)</textarea>" in html
    assert len(inbox) == 2


def test_a_site_without_contact_address_shows_no_form_and_takes_none(alpha, inbox):
    _contact_set(alpha.schema, "")
    statement = _statement(alpha.schema)
    html = _html(alpha.client().get(statement.url))
    assert "Das Formular für Meldungen steht auf dieser Website noch nicht zur Verfügung" in html
    assert "barriere-melden/" not in html
    response = _report(alpha.client(), statement, token="")
    assert response.status_code == 409
    assert "noch nicht zur Verfügung" in _html(response)
    assert inbox == []


def test_another_members_statement_is_not_found_on_this_host(alpha, beta, statement, inbox):
    _contact_set(beta.schema, BETA_CONTACT)
    with schema_context(beta.schema):  # a statement whose id alpha does not have
        AccessibilityStatementPage.objects.get(locale__language_code="de").delete()
        legal_pages_ensure(network=False)
        beta_statement = AccessibilityStatementPage.objects.get(locale__language_code="de")
        beta_token = feedback_token(beta_statement)
    with schema_context(alpha.schema):
        assert not AccessibilityStatementPage.objects.filter(pk=beta_statement.pk).exists()
        alpha_home = member_home()
    client = alpha.client()
    assert _report(client, beta_statement, token=beta_token).status_code == 404
    assert _report(client, alpha_home, token=beta_token).status_code == 404  # not a statement
    assert beta.client().get("/").status_code in (200, 302)  # beta itself is up
    assert inbox == []


def test_a_form_posted_from_another_site_is_refused(alpha, statement, inbox):
    token = _token(alpha.client(), statement)
    response = alpha.client().post(
        _action(statement),
        {"message": MESSAGE, "token": token},
        HTTP_ORIGIN="http://beta.localhost",
    )
    assert response.status_code == 403
    assert inbox == []


def test_when_the_mail_cannot_be_sent_the_text_is_kept_and_the_visitor_told(
    alpha, statement, settings
):
    _mail_through(settings, free_port())  # nobody listens there
    response = _report(alpha.client(), statement, email="ada@example.org")
    html = _html(response)
    assert response.status_code == 503
    assert "Ihre Nachricht konnte gerade nicht gesendet werden" in html
    assert f"schreiben Sie an {ALPHA_CONTACT}" in html
    assert f">{MESSAGE}</textarea>" in html and 'value="ada@example.org"' in html


def test_the_english_statement_answers_in_english(alpha, statement, inbox):
    with schema_context(alpha.schema):
        translation_publish(member_home(), "en", title="City of Alpha")
        legal_pages_ensure(network=False)
    english = _statement(alpha.schema, "en")
    with schema_context(alpha.schema):
        english_address = english.full_url
    client = alpha.client()
    page = _html(client.get(english.url))
    assert f'action="{_action(english, "en")}#barriere-melden"' in page

    response = _report(client, english, "en", message="", email="no-address")
    html = _html(response)
    assert response.status_code == 400
    assert '<html lang="en"' in html
    assert "This field is required." in html and "Enter a valid email address." in html
    assert "Please check 2 entries:" in html
    assert _report(client, statement, "en").status_code == 404  # the German page's id

    response = _report(client, english, "en", email="ada@example.org")
    assert response.status_code == 200
    report, copy = inbox
    assert report["To"] == ALPHA_CONTACT
    assert "Englisch" in _text(report)  # the site's mail is German, names the language
    assert english_address in _text(report)
    assert copy["To"] == "ada@example.org"
    assert "Kind regards" in _text(copy)  # the copy speaks the page's language
