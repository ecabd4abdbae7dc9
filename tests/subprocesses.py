"""What tests need to start the app's own processes (Celery worker, gunicorn) on the
test database."""

import os
import signal
import socket
import subprocess
from pathlib import Path
from urllib.parse import quote, urlencode

import redis
from django.conf import settings

from core.settings.base import redis_url_with_db

BASE_DIR = Path(__file__).resolve().parent.parent


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


def app_env(database: str, **extra: str) -> dict:
    """The environment of an app process (Celery worker) on this run's test database,
    Redis dbs and media folder; ``extra`` adds to it (``EMAIL_URL``, …)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "core.settings.test",
        "DATABASE_URL": database,
        "REDIS_URL": settings.REDIS_URL,
        "TEST_REDIS_DB": str(settings.TEST_REDIS_DB),
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra,
    }


def broker_flush() -> None:
    """Empty this run's broker db (TEST_REDIS_DB + 1), never another."""
    client = redis.Redis.from_url(redis_url_with_db(settings.REDIS_URL, settings.TEST_REDIS_DB + 1))
    try:
        client.flushdb()
    finally:
        client.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """``command`` in the repository with ``env``, its output in ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )


def process_stop(process: subprocess.Popen) -> None:
    """Stop the process and its process group (gunicorn's and Celery's children): warm
    shutdown first, then whatever is left is killed."""
    for sig, seconds in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return  # the whole group is gone
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            continue
