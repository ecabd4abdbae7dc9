"""The visitor's side of registration: the form's answer, confirming and cancelling by link.

None of these views sets a cookie or uses a session, so the event page with its form
stays in the page cache for everyone. That is also why they are exempt from CSRF
protection: there is no login or session a forged request could ride on, a registration
only counts once its address is confirmed from the mailbox (double opt-in), and the key
in the mails' links is the only authority over a registration. A request whose
``Origin`` names another host is still refused.

Confirming and cancelling are two steps (a page with a button, then POST), because mail
scanners and link previews open the links in mails by themselves.
"""

from django.conf import settings
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from core.feeds import language_home, site_for
from core.public_forms import same_origin, too_many_posts
from sites.registrations.forms import RegistrationForm
from sites.registrations.mails import event_in_language
from sites.registrations.models import Registration, RegistrationSettings
from sites.registrations.notify import outcome_notify
from sites.registrations.services import (
    RegistrationRefused,
    registration_cancel,
    registration_confirm,
    registration_create,
)

Status = Registration.Status


def _private(response):
    """Pages reached by a registration's key: never stored, never passed on as Referer."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def event_for_request(request, page_id: int):
    """The live, public event page ``page_id`` of this host's site, in the URL's language,
    that takes registrations through its form; any other page is a 404."""
    home = language_home(site_for(request))
    pages = Page.objects.live().public().descendant_of(home)
    event = get_object_or_404(pages, pk=page_id).specific
    if not isinstance(event, RegistrationSettings):
        raise Http404
    return event


def _too_many(request) -> bool:
    """Registrations per address and site (``REGISTRATION_RATE``; cache keys carry the
    schema). While Redis is down nothing is counted rather than everything refused."""
    return too_many_posts(request, group="registrations", rate=settings.REGISTRATION_RATE)


def _event_response(request, event, status=200, **registration):
    """The event page, with the form's state in ``registration``."""
    context = event.get_context(request)
    context.update(registration)
    return TemplateResponse(request, event.get_template(request), context, status=status)


@csrf_exempt
@require_POST
def register(request, page_id: int):
    if not same_origin(request):
        return HttpResponseForbidden()
    event = event_for_request(request, page_id)
    form = RegistrationForm(request.POST, event=event)
    if _too_many(request):
        message = _(
            "Von Ihrem Anschluss kamen gerade sehr viele Anmeldungen. Bitte versuchen Sie es "
            "in einer Stunde noch einmal."
        )
        return _event_response(request, event, 429, registration_refusal_message=message)
    if form.is_spam:  # looks like a success; nothing is stored or sent
        email = request.POST.get("email", "")
        return _event_response(
            request, event, registration_done="confirm", registration_email=email
        )
    if not form.is_valid():
        return _event_response(request, event, 400, registration_form=form)
    try:
        language = get_language() or settings.LANGUAGE_CODE
        data = form.registration_data()
        outcome = registration_create(
            event=event.registration_event(), data=data, language=language
        )
    except RegistrationRefused as refusal:
        return _event_response(request, event, 409, registration_refusal_message=refusal.message)
    outcome_notify(outcome)
    # "already" is answered like a new registration: the page must not tell who registered
    waiting = outcome.mails == ["confirm"] and outcome.registration.status == Status.WAITING
    done = "waiting" if waiting else "confirm"
    position = outcome.registration.waiting_position() if waiting else None
    return _event_response(
        request,
        event,
        registration_done=done,
        registration_email=form.cleaned_data["email"],
        registration_position=position,
    )


def _registration_or_404(key) -> Registration:
    return get_object_or_404(Registration.objects.select_related("event"), key=key)


def _manage_page(request, registration, action: str, done: str = "", status=200):
    """The page of a mail's link: what the button will do, or what it did."""
    context = {
        "registration": registration,
        "event": event_in_language(registration),
        "action": action,
        "done": done,
        "position": registration.waiting_position(),
        "confirmed": registration.email_confirmed_at is not None,
    }
    return _private(TemplateResponse(request, "registrations/manage.html", context, status=status))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, key):
    registration = _registration_or_404(key)
    if request.method != "POST":
        return _manage_page(request, registration, "confirm")
    if not same_origin(request):
        return HttpResponseForbidden()
    try:
        outcome = registration_confirm(registration=registration)
    except RegistrationRefused:
        return _manage_page(request, registration, "confirm", "cancelled", status=409)
    outcome_notify(outcome)
    return _manage_page(request, outcome.registration, "confirm", "confirmed")


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, key):
    registration = _registration_or_404(key)
    if request.method != "POST":
        return _manage_page(request, registration, "cancel")
    if not same_origin(request):
        return HttpResponseForbidden()
    was_cancelled = registration.status == Status.CANCELLED
    outcome = registration_cancel(registration=registration)
    if not was_cancelled:
        outcome_notify(outcome)
    return _manage_page(request, outcome.registration, "cancel", "cancelled")
