"""The mails of event registration, rendered in the registration's language.

Every mail is plain text plus HTML (``templates/registrations/mail/<kind>.txt|.html``),
has the event site's name as sender name and carries the registration's own links:
confirm (while unconfirmed) and cancel (always), so nobody needs an account. Works in
the *current* schema, the event's site; the Celery task switches to it first.
"""

from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.feeds import calendar_of, event_location
from core.mail import site_sender
from core.models import SiteSettings
from sites.registrations.models import CONFIRMATION_HOURS, Registration

Status = Registration.Status

# kind -> subject (the event's title is appended)
SUBJECTS = {
    "confirm": _("Bitte bestätigen Sie Ihre Anmeldung"),
    "already": _("Sie sind bereits angemeldet"),
    "confirmed": _("Anmeldung bestätigt"),
    "moved_up": _("Ein Platz ist frei geworden: Sie sind dabei"),
    "cancelled": _("Abmeldung bestätigt"),
    "reminder": _("Erinnerung"),
    "message": _("Nachricht zur Veranstaltung"),
}
KINDS = tuple(SUBJECTS)


@dataclass
class Links:
    """The registration's own addresses (absolute, on the event's host)."""

    event: str
    confirm: str
    cancel: str


def event_in_language(registration: Registration):
    """The registration's event in the person's language when that version is live (its
    title, texts and address), else the event itself."""
    event = registration.event.specific
    version = (
        type(event)
        .objects.live()
        .filter(translation_key=event.translation_key, locale__language_code=registration.language)
        .first()
    )
    return version or event


def registration_links(registration: Registration, event, root_url: str) -> Links:
    """Absolute links for the mails, on the event site's host and in the person's language."""
    with translation.override(registration.language):
        confirm = reverse("registrations:confirm", kwargs={"key": registration.key})
        cancel = reverse("registrations:cancel", kwargs={"key": registration.key})
    return Links(
        event=event.full_url or root_url,
        confirm=root_url + confirm,
        cancel=root_url + cancel,
    )


def registration_mail(
    registration: Registration, kind: str, message: dict | None = None
) -> EmailMultiAlternatives:
    """The mail of ``kind`` to ``registration``'s address (``message``: subject and body
    of an organiser's message, kind "message")."""
    event = event_in_language(registration)
    site = event.get_site()
    settings = SiteSettings.for_site(site)
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": event,
            "site_name": site.site_name,
            "settings": settings,
            "links": registration_links(registration, event, site.root_url),
            "where": event_location(event),
            "position": registration.waiting_position(),
            "confirmed": registration.email_confirmed_at is not None,
            "hours": CONFIRMATION_HOURS,
            "show_access": _shows_access(registration, event),
            "message": message or {},
        }
        subject = (message or {}).get("subject") or str(SUBJECTS[kind])
        subject = f"{subject}: {event.title}"
        text = render_to_string(f"registrations/mail/{kind}.txt", context)
        html = render_to_string(f"registrations/mail/{kind}.html", context)
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=site_sender(site.site_name),
        to=[registration.email],
        reply_to=[event.organiser_email] if event.organiser_email else None,
    )
    mail.attach_alternative(html, "text/html")
    if registration.status == Status.CONFIRMED and kind in ("confirmed", "moved_up", "reminder"):
        ics = calendar_of(site, [event], None).to_ical()
        mail.attach(f"{event.slug}.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    return mail


def _shows_access(registration: Registration, event) -> bool:
    """Access data go to confirmed participants (or to everyone holding a seat, when the
    event does not reserve them for confirmed ones)."""
    if not event.access_info:
        return False
    if registration.status == Status.CONFIRMED:
        return True
    return not event.access_for_confirmed_only and registration.status == Status.PENDING
