"""The members' area's own pages on the network host: login, logout, password reset and
accepting an invitation, in the site's design and the URL's language.

None of them is kept by the page cache (they carry CSRF tokens and set sessions), and
none exists on a member's host: members' staff accounts live in the public schema only.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from core.logins import client_address
from core.mail import site_sender
from core.schemas import is_public_schema
from sites.member_area.forms import (
    InvitationPasswordForm,
    MemberLoginForm,
    MemberPasswordResetForm,
)
from sites.member_area.selectors import member_area_access, members_area_for
from sites.member_area.services import (
    InvitationExpired,
    InvitationInvalid,
    account_password_set,
    invitation_account,
)


def network_only(view):
    """A 404 on every host but the network's."""

    @wraps(view)
    def on_network(request, *args, **kwargs):
        if not is_public_schema(connection.schema_name):
            raise Http404
        return view(request, *args, **kwargs)

    return on_network


def _area_url(request) -> str:
    area = members_area_for()
    return area.get_url(request) if area is not None else "/"


@method_decorator(network_only, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "member_area/login.html"
    form_class = MemberLoginForm

    def get_default_redirect_url(self):
        return _area_url(self.request)

    def get(self, request, *args, **kwargs):
        """Somebody already logged in to the area goes on (to ``next`` or the area)."""
        if member_area_access(request.user):
            return HttpResponseRedirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice"] = self.request.GET.get("hinweis", "")
        return context


@never_cache
@network_only
@require_POST
def logout_view(request):
    """Log out and drop the session cookie, so that the network's pages come from the
    page cache again (it keeps nothing for requests with a session)."""
    logout(request)
    response = HttpResponseRedirect(reverse("member_area:login") + "?hinweis=abgemeldet")
    response.delete_cookie(
        settings.SESSION_COOKIE_NAME,
        domain=settings.SESSION_COOKIE_DOMAIN,
        path=settings.SESSION_COOKIE_PATH,
    )
    request.session.modified = False  # else the session middleware sets a new cookie
    return response


def _reset_requests_exceeded(request) -> bool:
    """Reset mails per address (``PASSWORD_RESET_RATE``): the form cannot be used to
    flood somebody's mailbox. Uncounted while Redis is down."""
    return is_ratelimited(
        request,
        group="member_area.password_reset",
        key=lambda _group, request: client_address(request) or "unknown",
        rate=settings.PASSWORD_RESET_RATE,
        method="POST",
        increment=True,
    )


@method_decorator(network_only, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "member_area/password_reset.html"
    form_class = MemberPasswordResetForm
    email_template_name = "member_area/mail/password_reset.txt"
    html_email_template_name = "member_area/mail/password_reset.html"
    subject_template_name = "member_area/mail/password_reset_subject.txt"
    success_url = reverse_lazy("member_area:password_reset_done")

    def dispatch(self, request, *args, **kwargs):
        self.from_email = site_sender(settings.NETWORK_NAME)
        self.extra_email_context = {"site_name": settings.NETWORK_NAME}
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if _reset_requests_exceeded(self.request):
            form.add_error(
                None,
                _(
                    "Zu viele Anfragen von Ihrem Anschluss. Bitte versuchen Sie es in "
                    "einer Stunde wieder."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


@method_decorator(network_only, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "member_area/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "reset_hours": _reset_hours()}


def _reset_hours() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


@method_decorator(network_only, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "member_area/password_set.html"
    success_url = reverse_lazy("member_area:password_reset_complete")


@method_decorator(network_only, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "member_area/password_reset_complete.html"


@never_cache
@network_only
def invitation(request, token: str):
    """The invited person sets their password, then logs in through the login page."""
    try:
        account = invitation_account(token)
    except InvitationExpired:
        return render(request, "member_area/invitation_invalid.html", {"expired": True}, status=410)
    except InvitationInvalid:
        return render(
            request, "member_area/invitation_invalid.html", {"expired": False}, status=404
        )
    form = InvitationPasswordForm(account.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_password_set(user=account.user, password=form.cleaned_data["new_password1"])
        return HttpResponseRedirect(reverse("member_area:login") + "?hinweis=passwort")
    return render(
        request,
        "member_area/password_set.html",
        {"form": form, "validlink": True, "account": account, "invitation": True},
    )


_site_accounts_login = auth_views.LoginView.as_view(template_name="wagtailcore/login.html")


def frontend_login(request):
    """Wagtail's login for private pages (``/_util/login/``): on the network host the
    members' login in the language of the page asked for; on a member's host Wagtail's
    own form for that site's accounts."""
    if not is_public_schema(connection.schema_name):
        return _site_accounts_login(request)
    wanted = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        wanted = ""
    language = translation.get_language_from_path(wanted) or settings.LANGUAGE_CODE
    with translation.override(language):
        target = reverse("member_area:login")
    return HttpResponseRedirect(target + (f"?{urlencode({'next': wanted})}" if wanted else ""))
