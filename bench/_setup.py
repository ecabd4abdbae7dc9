"""Shared by the benchmarks: a throw-away database on the same server, then Django.

Benchmarks never touch the development database: they create ``<db>_bench``, use it,
and drop it when done.
"""

import os
import socket
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def bench_database(suffix: str = "_bench") -> tuple[str, str]:
    """URL and name of ``<db><suffix>`` on DATABASE_URL's server (or the embedded one)."""
    from core.localservices import ensure_local_services

    ensure_local_services()
    parts = urlsplit(os.environ["DATABASE_URL"])
    bench_name = parts.path.strip("/") + suffix
    return urlunsplit(parts._replace(path=f"/{bench_name}")), bench_name


def _admin_sql(url: str, *statements: str) -> None:
    """Run statements on the server's maintenance database, outside a transaction."""
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def setup_django() -> str:
    """Recreate the bench database, point Django at it, set up the platform."""
    url, name = bench_database()
    _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.dev")
    os.environ["MEDIA_ROOT"] = str(BASE_DIR / ".data" / "bench-media")
    import django

    django.setup()
    from django.core.management import call_command

    print("Setting up the platform in a fresh bench database …", flush=True)
    call_command("setup_platform", verbosity=0)
    return url


def drop_database(url: str) -> None:
    import shutil

    from django.db import connections

    connections.close_all()
    name = urlsplit(url).path.strip("/")
    _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
    shutil.rmtree(BASE_DIR / ".data" / "bench-media", ignore_errors=True)


def describe(label: str, seconds: list[float]) -> float:
    median = statistics.median(seconds)
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{label}: n={len(seconds)} median={median:.3f} s p95={p95:.3f} s "
        f"min={ordered[0]:.3f} s max={ordered[-1]:.3f} s"
    )
    return median


# --- Servers of a benchmark's own ------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url_with_db(url: str, db: int) -> str:
    """As ``core.settings.base.redis_url_with_db`` (settings cannot be imported yet)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db={db}"
    return parts._replace(path=f"/{db}").geturl()


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def redis_claim(url: str, marker: str, bench: str) -> None:
    """Empty a Redis database for this run. Refused when it holds someone else's keys or
    another run of ``bench`` is using it (``marker`` names the run's process)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        owner = client.get(marker)
        if client.dbsize() and owner is None:
            raise SystemExit(
                f"Redis {url} holds keys that are not this benchmark's; choose another "
                "database with --redis-db."
            )
        if owner is not None and int(owner) != os.getpid() and process_alive(int(owner)):
            raise SystemExit(f"Another run of {bench} (pid {int(owner)}) is running.")
        client.flushdb()
        client.set(marker, os.getpid())
    finally:
        client.close()


def redis_release(url: str, marker: str) -> None:
    """Empty the Redis database again if this run claimed it."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        if client.get(marker) == str(os.getpid()).encode():
            client.flushdb()
    finally:
        client.close()
