"""The answer of the "report a barrier" form on the accessibility statement (BITV 2.0 §7).

The statement page with its form stays in the page cache for everyone: the form sets no
cookie and uses no session, which is why the view is exempt from CSRF protection. There
is nothing a forged request could ride on (no login); a request whose ``Origin`` names
another host is still refused, and spam is held off by the form (honeypot, time token,
links) and a limit per address (``FEEDBACK_RATE``).
"""

from django.conf import settings
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.feeds import language_home, site_for
from core.models import SiteSettings
from core.public_forms import same_origin, too_many_posts
from sites.legal.feedback import SEND_ERRORS, barrier_report_send
from sites.legal.forms import BarrierReportForm
from sites.legal.models import AccessibilityStatementPage


def statement_of_site(site, page_id: int) -> AccessibilityStatementPage:
    """The live, public accessibility statement ``page_id`` of ``site`` (the host's), in
    the URL's language; any other page is a 404."""
    home = language_home(site)
    pages = AccessibilityStatementPage.objects.live().public().descendant_of(home)
    return get_object_or_404(pages, pk=page_id)


def _too_many(request) -> bool:
    """Reports per address and site (``FEEDBACK_RATE``; cache keys carry the schema).
    While Redis is down nothing is counted rather than everything refused."""
    return too_many_posts(request, group="legal-feedback", rate=settings.FEEDBACK_RATE)


def _statement_response(request, page, status=200, **feedback):
    """The statement page, with the form's state in ``feedback``; never stored anywhere,
    since it may show what the person typed."""
    context = page.get_context(request)
    context.update(feedback)
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _refuse(request, page, form, status: int, message: str):
    """The form again, with what was typed and ``message`` above it."""
    return _statement_response(request, page, status, feedback_form=form, feedback_refusal=message)


@csrf_exempt
@require_POST
def report(request, page_id: int):
    if not same_origin(request):
        return HttpResponseForbidden()
    site = site_for(request)
    page = statement_of_site(site, page_id)
    # read, not created: a row written here would retire the site's cached pages
    site_settings = SiteSettings.objects.filter(site_id=site.pk).first()
    contact = site_settings.contact_email if site_settings else ""
    if not contact:  # the page shows no form then; a stale or forged POST gets the same
        return _statement_response(request, page, 409)
    if _too_many(request):
        message = _(
            "Von Ihrem Anschluss kamen gerade sehr viele Meldungen. Bitte versuchen Sie es "
            "später noch einmal oder schreiben Sie an %(email)s."
        ) % {"email": contact}
        typed = BarrierReportForm(initial=request.POST.dict(), page=page)  # not judged
        return _refuse(request, page, typed, 429, message)
    form = BarrierReportForm(request.POST, page=page)
    if form.is_spam:  # looks like a success; nothing is sent
        email = request.POST.get("email", "")
        return _statement_response(request, page, feedback_done=True, feedback_email=email)
    if not form.is_valid():
        return _statement_response(request, page, 400, feedback_form=form)
    data = form.report_data()
    try:
        barrier_report_send(
            site_name=site.site_name or site.root_page.title,
            recipient=contact,
            data=data,
            language=get_language() or settings.LANGUAGE_CODE,
            page_url=page.full_url or "",
        )
    except SEND_ERRORS:
        message = _(
            "Ihre Nachricht konnte gerade nicht gesendet werden. Bitte versuchen Sie es "
            "später noch einmal oder schreiben Sie an %(email)s."
        ) % {"email": contact}
        return _refuse(request, page, form, 503, message)
    return _statement_response(request, page, feedback_done=True, feedback_email=data["email"])
