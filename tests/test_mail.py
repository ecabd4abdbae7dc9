"""Outgoing mail: SMTP through ``EMAIL_URL`` to a real SMTP server, and the development
folder with one ``.eml`` file per mail."""

import email
import email.policy

import environ
import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from core.mail import site_sender
from tests.subprocesses import free_port


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_a_mail_reaches_the_smtp_server_of_email_url_with_the_sites_name(settings, smtp_server):
    controller, inbox = smtp_server
    for key, value in environ.Env.email_url_config(f"smtp://127.0.0.1:{controller.port}").items():
        setattr(settings, key, value)
    message = EmailMultiAlternatives(
        "Anmeldung bestätigen",
        "Bitte bestätigen Sie Ihre Anmeldung.",
        site_sender("Stadt Herten"),
        ["besucherin@example.org"],
    )
    message.attach_alternative("<p>Bitte bestätigen Sie Ihre Anmeldung.</p>", "text/html")
    assert message.send() == 1
    assert len(inbox.received) == 1
    received = inbox.received[0]
    assert received["From"].addresses[0].display_name == "Stadt Herten"
    assert received["To"] == "besucherin@example.org"
    assert received["Subject"] == "Anmeldung bestätigen"
    assert (
        received.get_body(("plain",)).get_content().strip()
        == "Bitte bestätigen Sie Ihre Anmeldung."
    )
    assert "<p>" in received.get_body(("html",)).get_content()


def test_without_email_url_each_mail_is_one_eml_file(settings, tmp_path):
    settings.EMAIL_BACKEND = "core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    sent = mail.send_mass_mail(
        [
            ("Erste", "Text eins", site_sender("Landeshauptstadt Kiel"), ["a@example.org"]),
            ("Zweite", "Text zwei", site_sender("Landeshauptstadt Kiel"), ["b@example.org"]),
        ]
    )
    assert sent == 2
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    subjects = set()
    for path in files:
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert parsed["From"].addresses[0].display_name == "Landeshauptstadt Kiel"
        subjects.add(str(parsed["Subject"]))
    assert subjects == {"Erste", "Zweite"}
    assert not list((tmp_path / "mail").glob("*.part"))
