"""Settings shared by every environment.

Environment-specific values come from the environment (django-environ). The tenancy
layout follows ../shared/ARCHITECTURE.md: Wagtail and auth live in the public schema
(network site, central editors) *and* in every member schema (microsite, coordinators).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

# Hosts that serve the network site (public schema). The first is canonical.
NETWORK_HOSTS = env.list("NETWORK_HOSTS", default=["localhost", "127.0.0.1"])
NETWORK_NAME = env("NETWORK_NAME", default="Kommunale Koordinierung")
# How visitors reach the sites (Wagtail's Site.port): absolute URLs (feeds, sitemaps,
# hreflang, highlight URLs, mails) are built from these and the Site's host name, never
# from a request's Host header or scheme. 8000 in development; production: https on 443.
PUBLIC_SCHEME = env("PUBLIC_SCHEME", default="http")
PUBLIC_PORT = env.int("PUBLIC_PORT", default=443 if PUBLIC_SCHEME == "https" else 80)
if PUBLIC_SCHEME not in ("http", "https") or (PUBLIC_SCHEME == "https") != (PUBLIC_PORT == 443):
    # Wagtail's Site.root_url writes https:// for port 443 and http:// for every other port
    raise ImproperlyConfigured("PUBLIC_SCHEME https needs PUBLIC_PORT 443, http another port.")
# Member microsites in development get "<slug>.<MEMBER_DOMAIN_SUFFIX>" by default.
MEMBER_DOMAIN_SUFFIX = env("MEMBER_DOMAIN_SUFFIX", default="localhost")

# --- Applications -----------------------------------------------------------------

# Page apps are installed in every schema: deleting a page makes Django look for its
# rows in every Page subclass's table, so all of those tables must exist everywhere.
# SitePage.for_network decides where a page type can be created.
WAGTAIL_APPS = [
    "sites.network",
    "sites.members",
    "sites.registrations",  # event registrations, kept beside the event in its schema
    "sites.legal",  # imprint, privacy, accessibility statement, Leichte Sprache: every site
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

DJANGO_PER_SCHEMA_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
]

SHARED_APPS = [
    "tenants",  # holds the tenant model: public schema only; its commands override django_tenants'
    "sites.highlights",  # copies of member content for the network: public schema only
    "sites.search",  # the network search index: public schema only
    "sites.demo",  # the seed_demo command; no models
    "sites.plone_import",  # import history here; what each site imported in its own schema
    "sites.member_area",  # the members' staff accounts of the network's members' area
    "django_tenants",
    "core",
    *DJANGO_PER_SCHEMA_APPS,
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "axes",  # login throttling; its tables stay empty (cache handler, see below)
    *WAGTAIL_APPS,
]

TENANT_APPS = [
    "core",  # per-site settings
    "sites.plone_import",  # the Plone UIDs of what a site imported
    *DJANGO_PER_SCHEMA_APPS,
    *WAGTAIL_APPS,
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Member"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# New members are cloned from this schema (ARCHITECTURE.md, trap 9); it is a tenant row
# itself so that migrate_schemas keeps it current.
MEMBER_TEMPLATE_SCHEMA = "member_template"
TENANT_BASE_SCHEMA = MEMBER_TEMPLATE_SCHEMA
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_LIMIT_SET_CALLS = True

DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.pagecache.PageCacheMiddleware",  # a hit is answered here, before routing
    "core.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.MemberTenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a refused login into the lockout page
]

ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "core.db"  # django-tenants + per-schema ContentType cache
# Keep connections open: a new connection costs 70-80 ms once there are hundreds of schemas.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection may have died meanwhile (database restart, failover): check it once
# per request before its first query and reconnect, rather than answer that visitor 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")


# A Redis that is down must not stop a request: each cache command gives up after this
# many seconds and counts as a miss (reads) or is dropped (writes), logged (core.caching).
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.25)


def redis_cache(url: str) -> dict:
    """A Redis cache whose keys carry the current schema (ARCHITECTURE.md, trap 1) and
    that answers like an empty cache while Redis is unreachable (django-redis)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": "kn",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
            "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
        },
    }


def redis_url_with_db(url: str, db: int) -> str:
    """The same Redis server, another logical database (redis:// path or unix:// ?db=)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db={db}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def page_cache(url: str) -> dict:
    """The page cache's own alias on the same Redis (``core.pagecache``): keys without a
    schema (hits are looked up before routing), and errors reach the page cache, which
    must know of an outage to retire what a lost purge would have."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "kn-pages",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
            "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
        },
    }


CACHES = {"default": redis_cache(REDIS_URL), "pages": page_cache(REDIS_URL)}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Page cache (core.pagecache) ---------------------------------------------------
# Seconds an anonymous page, feed or sitemap stays in the page cache (0: no page cache).
# Changes purge exactly what they show at once, so this only bounds how long an unused
# entry takes up memory.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60 * 60)
PAGE_CACHE_404_SECONDS = env.int("PAGE_CACHE_404_SECONDS", default=60)
# Cache-Control of public responses. Browsers revalidate every time by default (the ETag
# makes that a 304 without a body), so a visitor never sees an old page; a reverse proxy
# or CDN may keep them for s-maxage seconds: set it (e.g. 3600) together with
# WAGTAILFRONTENDCACHE, through which changes are purged there too (README).
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=0)
PAGE_CACHE_S_MAXAGE = env.int("PAGE_CACHE_S_MAXAGE", default=0)

# --- Mail (core.mail) ------------------------------------------------------------
# Production sends through EMAIL_URL (smtp:// or smtp+tls://user:password@host:port);
# without it mails are written to EMAIL_FILE_PATH, one .eml file each.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@kommunalnetz.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, …
else:
    EMAIL_BACKEND = "core.mail.EmlFileBackend"
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / ".data" / "mail")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Celery -----------------------------------------------------------------------


def celery_url(redis_url: str) -> str:
    """Celery/kombu spell a Unix-socket Redis as redis+socket:// and read its database
    number from ``virtual_host`` (``?db=`` would silently mean database 0)."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://").replace(
            "?db=", "?virtual_host="
        )
    return redis_url


CELERY_BROKER_URL = celery_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Berlin"
HIGHLIGHTS_RECONCILE_SECONDS = env.int("HIGHLIGHTS_RECONCILE_SECONDS", default=600)
# A member's edit of an approved highlight waits for an editor, unless the network trusts them.
HIGHLIGHTS_TRUST_MEMBER_EDITS = env.bool("HIGHLIGHTS_TRUST_MEMBER_EDITS", default=False)
# Withdrawn highlights (source unpublished, private, deleted) keep their curation this long.
HIGHLIGHTS_WITHDRAWN_KEEP_DAYS = env.int("HIGHLIGHTS_WITHDRAWN_KEEP_DAYS", default=180)
# Registrations one address may send through the event forms of one site (spam brake).
REGISTRATION_RATE = env("REGISTRATION_RATE", default="10/h")
# Barrier reports one address may send through the accessibility statement's form of one
# site, and the seconds a person needs at least between seeing the form and sending it
# (sites.legal.forms: spam brakes without third parties).
FEEDBACK_RATE = env("FEEDBACK_RATE", default="5/h")
FEEDBACK_MIN_SECONDS = env.int("FEEDBACK_MIN_SECONDS", default=3)
CELERY_BEAT_SCHEDULE = {
    "reconcile-highlights": {
        "task": "highlights.reconcile",
        "schedule": HIGHLIGHTS_RECONCILE_SECONDS,
    },
    # Event registration (sites.registrations.tasks): unconfirmed ones expire after 48 h,
    # reminders go out on their day, data is deleted after the retention period.
    "registrations-expire": {"task": "registrations.expire", "schedule": 15 * 60},
    "registrations-remind": {"task": "registrations.remind", "schedule": 15 * 60},
    "registrations-retention": {"task": "registrations.retention", "schedule": 60 * 60},
    # The network search index (sites.search): rebuilt in full, healing lost updates.
    "search-reconcile": {
        "task": "search.reconcile",
        "schedule": env.int("SEARCH_RECONCILE_SECONDS", default=60 * 60),
    },
    "publish-scheduled-pages": {
        "task": "tenants.tasks.publish_scheduled_pages",
        "schedule": env.int("PUBLISH_SCHEDULED_EVERY_SECONDS", default=300),
    },
}

# Wagtail's and wagtail-localize's own background work carries no schema
# (ARCHITECTURE.md, trap 4): run it inline.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILLOCALIZE_JOBS = {"BACKEND": "wagtail_localize.tasks.ImmediateBackend"}

# --- Files ------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / ".data" / "static")
STATICFILES_DIRS = [BASE_DIR / "core" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".data" / "media")
# Each schema writes below MEDIA_ROOT/<schema>/ and its URLs start with /media/<schema>/.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
BACKUP_ROOT = env.path("BACKUP_ROOT", default=BASE_DIR / "backups")
# Exports uploaded in the network admin wait here for their import (sites.plone_import);
# web and worker must share it. Each is removed when its import has run.
PLONE_IMPORT_ROOT = env.path("PLONE_IMPORT_ROOT", default=BASE_DIR / ".data" / "plone-imports")
# Folder of pg_dump/pg_restore (cloning, backups); empty: from PATH. They must match the
# server's major version. The embedded development server sets its own.
PG_BIN_DIR = env("PG_BIN_DIR", default="")
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads reach visitors through the app's checks only (core/files.py): /media/ serves
# images, Wagtail's document view serves documents, always as attachments. With an
# internal location set, the proxy sends the file (X-Accel-Redirect) instead of Django.
MEDIA_INTERNAL_LOCATION = env("MEDIA_INTERNAL_LOCATION", default="")
SENDFILE_BACKEND = "core.files"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# Upload limits (core/uploads.py): per file, and per member for its whole media folder
# (0: no quota). The proxy's client_max_body_size (core/nginx.conf) must allow the larger.
_MB = 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("IMAGE_MAX_UPLOAD_MB", default=10) * _MB
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("DOCUMENT_MAX_UPLOAD_MB", default=20) * _MB
MEMBER_MEDIA_QUOTA = env.int("MEMBER_MEDIA_QUOTA_MB", default=2048) * _MB
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.uploads.QuotaImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.uploads.QuotaDocumentForm"

# --- Language ---------------------------------------------------------------------

LANGUAGE_CODE = "de"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = True
# Languages a member can enable for its content; de and en are always on.
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("uk", "Українська"),
]
# Locales every new member and the network site start with; the first is LANGUAGE_CODE,
# the language every site's original content is written in.
DEFAULT_CONTENT_LOCALES = [LANGUAGE_CODE, "en"]

# --- Wagtail ----------------------------------------------------------------------

WAGTAIL_SITE_NAME = NETWORK_NAME
_PORT_SUFFIX = "" if PUBLIC_PORT in (80, 443) else f":{PUBLIC_PORT}"
# Links in Wagtail's mails and the admin's "view live" links: the network's address.
WAGTAILADMIN_BASE_URL = env(
    "WAGTAILADMIN_BASE_URL", default=f"{PUBLIC_SCHEME}://{NETWORK_HOSTS[0]}{_PORT_SUFFIX}"
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]
WAGTAIL_PASSWORD_RESET_ENABLED = False  # no outgoing mail is configured by default
# No avatar requests to gravatar.com: editors' e-mail hashes stay here, and the admin
# shows no broken images where the server has no internet.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Security ---------------------------------------------------------------------

# Content-Security-Policy (django-csp, core/csp.py): the public sites use their own host
# only; the admin gets what Wagtail needs. Embeds from other hosts (videos) are blocked
# unless their origins are listed in CSP_FRAME_SOURCES.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],  # + the hash of the accent style (core/csp.py)
        "img-src": [SELF],
        "font-src": [SELF],
        "frame-src": [SELF, *env.list("CSP_FRAME_SOURCES", default=[])],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
CSP_ADMIN_DIRECTIVES = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}
# No request from the admin to wagtail.org for release news (and none the CSP would block).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Host-only cookies: a session from one member's host is never sent to another's.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"

# --- Accounts and logins --------------------------------------------------------

# Every password an account is given (admin user forms, password change,
# createsuperuser, create_member's COORDINATOR_PASSWORD, the demo) passes these.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins of one
# username from one address, that pair is refused for LOGIN_COOLOFF_MINUTES. Counters
# live in the cache, whose keys carry the schema: a lockout on one member's site never
# locks the same username on another. Page and collection passwords are counted the
# same way per address and restriction (core/logins.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, and staff of an archived member are refused (sites/member_area/backends.py)
    "sites.member_area.backends.AccountBackend",
]
AXES_HANDLER = "core.logins.CacheHandler"  # axes' cache handler, fail-soft
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.logins.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.logins.client_address"
# The admin's login refuses accounts without admin access (members' staff): they log in
# to the members' area on the network's pages instead (core/logins.py).
WAGTAILADMIN_USER_LOGIN_FORM = "core.logins.AdminLoginForm"
# The members' area (sites/member_area): invitations a central editor sends are valid for
# MEMBER_INVITATION_DAYS; a password reset link for PASSWORD_RESET_HOURS; reset mails per
# address are limited to PASSWORD_RESET_RATE.
MEMBER_INVITATION_VALIDITY = timedelta(days=env.int("MEMBER_INVITATION_DAYS", default=7))
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_HOURS", default=24) * 60 * 60
PASSWORD_RESET_RATE = env("PASSWORD_RESET_RATE", default="5/h")
# Reverse proxies in front of the app that append to X-Forwarded-For (1 behind the
# compose nginx); 0: the app is reached directly and REMOTE_ADDR is the visitor's.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
AXES_ENABLE_ADMIN = False  # no Django admin here
AXES_VERBOSE = False  # no banner on every command; lockouts are still logged
# Messages live in the server-side session, never in a cookie: one of them carries the
# coordinator's one-time password after a member is created.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        name: {"level": "WARNING"}
        for name in ("django.db.backends", "pgserver", "django_tasks", "wagtail", "axes")
    },
}
