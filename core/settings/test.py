"""Tests: real PostgreSQL and Redis (embedded unless DATABASE_URL/REDIS_URL are set)."""

import os

from core.localservices import ensure_local_services

ensure_local_services()
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ["PUBLIC_PORT"] = "80"  # tests address hosts without a port

from .base import *  # noqa: E402, F403
from .base import (  # noqa: E402
    BASE_DIR,
    REDIS_URL,
    celery_url,
    page_cache,
    redis_cache,
    redis_url_with_db,
)  # noqa: E402

ALLOWED_HOSTS = ["*"]
# Tests use their own Redis databases so that they never flush development data;
# TEST_REDIS_DB lets two test runs share one Redis (each takes that number and the next).
TEST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "9"))
CACHES = {
    "default": redis_cache(redis_url_with_db(REDIS_URL, TEST_REDIS_DB)),
    "pages": page_cache(redis_url_with_db(REDIS_URL, TEST_REDIS_DB)),
}
CELERY_BROKER_URL = celery_url(redis_url_with_db(REDIS_URL, TEST_REDIS_DB + 1))
_RUN = DATABASES["default"]["NAME"]  # noqa: F405 - one folder per test database
# A Celery worker started by a test gets the test process's folder through TEST_MEDIA_ROOT.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or BASE_DIR / ".data" / f"test-media-{_RUN}"
BACKUP_ROOT = BASE_DIR / ".data" / f"test-backups-{_RUN}"
PLONE_IMPORT_ROOT = BASE_DIR / ".data" / f"test-plone-imports-{_RUN}"
EMAIL_FILE_PATH = BASE_DIR / ".data" / f"test-mail-{_RUN}"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Static files are not served in tests (whitenoise would warn about a missing STATIC_ROOT).
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405
# A tenant app whose migrations remove named constraints (tests/test_provisioning.py).
TENANT_APPS = [*TENANT_APPS, "tests.constraint_app"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "tests.constraint_app"]  # noqa: F405
