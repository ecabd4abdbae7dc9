"""Production: everything comes from the environment; secrets have no defaults.

Behind the proxy of ``docker-compose.yml`` (nginx), which passes the scheme visitors used
in ``X-Forwarded-Proto``. Secure by default: HTTPS only (redirect, HSTS, secure cookies),
addresses with https on port 443, files sent by the proxy (``MEDIA_INTERNAL_LOCATION``).
``manage.py check --deploy`` is clean with these; README "Production settings" says why
the two checks silenced below do not apply.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("PUBLIC_SCHEME", "https")
os.environ.setdefault("MEDIA_INTERNAL_LOCATION", "/_media/")

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = False
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:  # noqa: F405 - from base
    raise ImproperlyConfigured("SECRET_KEY must be 50 or more random characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Mails (registrations, invitations) leave through SMTP (base reads EMAIL_URL); no
# silent fallback to files: without it production refuses to start.
env("EMAIL_URL")

# The proxy terminates or forwards TLS and says so; plain http is redirected to https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a promise about a whole domain and its subdomains to the browsers'
    # built-in lists; the members' own domains are theirs to submit, not this app's.
    "security.W021",
    # X-Frame-Options SAMEORIGIN, not DENY: Wagtail's preview shows the page in a frame
    # of the admin (same host); the CSP's frame-ancestors 'self' says the same.
    "security.W019",
]
