"""Development: embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set."""

import os

from core.localservices import ensure_local_services

ensure_local_services()
os.environ.setdefault("SECRET_KEY", "dev-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("PUBLIC_PORT", "8000")

from .base import *  # noqa: E402, F403

ALLOWED_HOSTS = ["*"]  # unknown hosts are answered by the tenant middleware with a 404
