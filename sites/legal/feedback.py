"""Mailing a reported barrier: to the site's contact, and a receipt to the person reporting.

Sent in the request, not by a task: the visitor is told at once whether the message
left, and if not keeps the text to try again (a report stored nowhere must not be lost
quietly in a queue).
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.mail import site_sender

logger = logging.getLogger(__name__)
# What a mail backend raises when the mail cannot be handed over (SMTP down, refused).
SEND_ERRORS = (smtplib.SMTPException, OSError)


def _mail(*, template: str, subject: str, context: dict, sender: str, to: str, reply_to: str):
    return EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(template, context),
        from_email=sender,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
    )


def barrier_report_send(
    *, site_name: str, recipient: str, data: dict, language: str, page_url: str = ""
) -> None:
    """Send the report in ``data`` (message, page_address, name, email) to ``recipient``,
    the site's contact address, in the default language (``LANGUAGE_CODE``, that of the
    site's staff), with the person's address as Reply-To when given; then a receipt to
    that address in ``language``, the page's. The receipt repeats nothing that was typed
    into the form, so the form cannot send text of one's choosing to somebody else.

    Raises what the mail backend raises when the report cannot be sent; a receipt that
    cannot be sent is only logged, because the report itself arrived.
    """
    sender = site_sender(site_name)
    context = {
        **data,
        "site_name": site_name,
        "page_url": page_url,
        "language": language,
        "received_at": timezone.localtime(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        context["language_name"] = translation.get_language_info(language)["name_translated"]
        report = _mail(
            template="legal/mail/barrier_report.txt",
            subject=_("Barriere gemeldet: %(site)s") % {"site": site_name},
            context=context,
            sender=sender,
            to=recipient,
            reply_to=data["email"],
        )
    report.send()
    if not data["email"]:
        return
    with translation.override(language):
        receipt = _mail(
            template="legal/mail/barrier_report_receipt.txt",
            subject=_("Ihre Meldung einer Barriere an %(site)s") % {"site": site_name},
            context=context,
            sender=sender,
            to=data["email"],
            reply_to=recipient,
        )
    try:
        receipt.send()
    except SEND_ERRORS:
        logger.exception("The receipt of a barrier report to its sender could not be sent.")
