"""What tests need to start the app's own processes (Celery worker, gunicorn) on the
test database."""

from urllib.parse import quote, urlencode

import redis
from django.conf import settings

from core.settings.base import redis_url_with_db


def database_url(settings_dict: dict) -> str:
    """A libpq URL for the database this process uses (the test database)."""
    options = {key: str(value) for key, value in settings_dict.get("OPTIONS", {}).items()}
    host = settings_dict.get("HOST") or ""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    netloc = f"{user}:{password}@" if user else ""
    if host and not host.startswith("/"):
        netloc += host + (f":{settings_dict['PORT']}" if settings_dict.get("PORT") else "")
    else:
        if host:
            options["host"] = host
        if settings_dict.get("PORT"):
            options["port"] = str(settings_dict["PORT"])
    query = f"?{urlencode(options, safe='/')}" if options else ""
    return f"postgresql://{netloc}/{quote(settings_dict['NAME'], safe='')}{query}"


def broker_flush() -> None:
    """Empty this run's broker db (TEST_REDIS_DB + 1), never another."""
    client = redis.Redis.from_url(redis_url_with_db(settings.REDIS_URL, settings.TEST_REDIS_DB + 1))
    try:
        client.flushdb()
    finally:
        client.close()
