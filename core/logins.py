"""Login throttling (django-axes) for every form that takes a secret.

Account logins (the admin, ``/_util/login/``) go through ``authenticate()``, which
axes watches by itself (``AUTHENTICATION_BACKENDS``). Wagtail's page and collection
password forms compare a shared password without ``authenticate()``: they are wrapped
here and counted the same way, the restriction taking the place of the username, so a
visitor who keeps guessing one page's password is refused for a while from that address.

Counters live in the cache under schema-carrying keys (``django_tenants.cache.make_key``),
so a lockout on one member's site never touches another site. While the cache is
unreachable, attempts go uncounted (and logged) rather than failing the login: a Redis
outage must not lock editors out.
"""

import logging
from functools import wraps

from axes.handlers.cache import AxesCacheHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cache, get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError
from wagtail import views as wagtail_views
from wagtail.admin.forms.auth import LoginForm
from wagtail.documents.views import serve as document_views

LOCKED_STATUS = 429
logger = logging.getLogger(__name__)


class _FailSoftCounters:
    """The cache as axes' handler uses it, answering "nothing counted" when the cache
    cannot be reached, whether it raises (Django's RedisCache) or returns ``None``
    (a backend that ignores its errors)."""

    def __init__(self, cache):
        self.cache = cache

    def _try(self, method: str, *args, **kwargs):
        try:
            return getattr(self.cache, method)(*args, **kwargs)
        except RedisError as error:
            logger.warning("Login throttle: cache unreachable, attempt not counted (%s)", error)
            return None

    def get(self, key, default=0):
        value = self._try("get", key, default)
        return default if value is None else value

    def add(self, key, value, timeout):
        return bool(self._try("add", key=key, value=value, timeout=timeout))

    def incr(self, key, delta=1):
        return self._try("incr", key, delta) or 0

    def touch(self, key, timeout):
        self._try("touch", key=key, timeout=timeout)

    def delete(self, key):
        return self._try("delete", key)


class CacheHandler(AxesCacheHandler):
    """django-axes' cache handler (``AXES_HANDLER``) on fail-soft counters, taken from
    ``AXES_CACHE`` at each use (``caches`` are per thread)."""

    def __init__(self):  # the parent's takes the cache once, for the process
        pass

    @property
    def cache(self):
        return _FailSoftCounters(get_cache())


def client_address(request) -> str | None:
    """The visitor's address, counted by the throttle (``AXES_CLIENT_IP_CALLABLE``).

    Without a proxy it is ``REMOTE_ADDR``. Behind ``TRUSTED_PROXIES`` proxies that each
    append the address they saw to ``X-Forwarded-For`` (nginx:
    ``$proxy_add_x_forwarded_for``), it is the entry the outermost one wrote; entries
    before it are the client's own claims and could be forged to dodge the throttle.
    """
    if settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= settings.TRUSTED_PROXIES:
            return forwarded[-settings.TRUSTED_PROXIES]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page a refused login gets, in the request's language (``AXES_LOCKOUT_CALLABLE``)."""
    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
    return render(request, "errors/login_locked.html", {"minutes": minutes}, status=LOCKED_STATUS)


def _password_form_throttled(view, restriction_kwarg: str):
    """``view`` handles the password form of the view restriction named by the URL's
    ``restriction_kwarg``; refuse it after too many wrong passwords from one address."""

    @wraps(view)
    def throttled(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        credentials = {"username": f"{restriction_kwarg}:{kwargs[restriction_kwarg]}"}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return lockout_response(request, credentials=credentials)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:  # the form again: the password was wrong
            # Counted; the failure that reaches the limit is answered by AxesMiddleware.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        return response

    return throttled


page_password = _password_form_throttled(
    wagtail_views.authenticate_with_password, "page_view_restriction_id"
)
collection_password = _password_form_throttled(
    document_views.authenticate_with_password, "restriction_id"
)


class AdminLoginForm(LoginForm):
    """The admin's login form (``WAGTAILADMIN_USER_LOGIN_FORM``): only accounts with admin
    access get a session here. Members' staff accounts of the network's members' area
    have none; they are told where they belong instead of being logged in to an admin
    that would only turn them away."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.has_perm("wagtailadmin.access_admin"):
            raise ValidationError(
                _(
                    "Dieses Konto hat keinen Zugang zur Verwaltung. Konten des "
                    "Mitgliederbereichs melden sich über „Login“ auf der Website an."
                ),
                code="no_admin_access",
            )
