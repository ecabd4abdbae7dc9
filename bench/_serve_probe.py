"""SQL queries and Redis round trips of anonymous page views, counted in-process.

Run by ``bench/serve.py`` inside either Django project (the product or the plain Wagtail
one, chosen by ``DJANGO_SETTINGS_MODULE`` and ``PYTHONPATH``), so it imports nothing of the
product. Each view is requested twice to warm caches and templates, then three times
counted with Django's test client: SQL through ``CaptureQueriesContext`` on every database
connection, Redis by counting what redis-py sends (every cache backend here uses it):
a *round trip* is one write to the socket (a pipeline or MGET is one), a *command* is one
Redis command. The last run's figures are reported, with all three when they differ.

Usage: python _serve_probe.py '[["label", "host", "/path/"], ...]'  (prints one JSON line)
"""

import contextlib
import json
import logging
import sys

import django
from redis.connection import AbstractConnection


class RedisCounter:
    """Counts round trips and commands of every redis-py connection in this process."""

    def __init__(self):
        self.round_trips = 0
        self.commands = 0

    def install(self) -> None:
        counter = self
        send_packed = AbstractConnection.send_packed_command
        send_one = AbstractConnection.send_command
        pack_many = AbstractConnection.pack_commands

        def send_packed_command(self, command, check_health=True):
            counter.round_trips += 1
            return send_packed(self, command, check_health)

        def send_command(self, *args, **kwargs):
            counter.commands += 1
            return send_one(self, *args, **kwargs)

        def pack_commands(self, commands):
            commands = list(commands)
            counter.commands += len(commands)
            return pack_many(self, commands)

        AbstractConnection.send_packed_command = send_packed_command
        AbstractConnection.send_command = send_command
        AbstractConnection.pack_commands = pack_commands


def anonymous_get(host: str, path: str):
    """A new client each time: no cookies, like the timed requests."""
    from django.test import Client

    return Client(HTTP_HOST=host, raise_request_exception=False).get(path)


def main() -> None:
    views = json.loads(sys.argv[1])
    django.setup()
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # statuses are reported
    redis = RedisCounter()
    redis.install()
    results = {}
    for label, host, path in views:
        for _ in range(2):
            anonymous_get(host, path)
        runs = []
        for _ in range(3):
            with contextlib.ExitStack() as stack:
                captures = [
                    stack.enter_context(CaptureQueriesContext(connections[alias]))
                    for alias in connections
                ]
                redis.round_trips = redis.commands = 0
                response = anonymous_get(host, path)
            runs.append(
                {
                    "status": response.status_code,
                    "page_cache": response.get("X-Cache"),  # the product's: hit, miss, bypass
                    "sql": sum(len(capture.captured_queries) for capture in captures),
                    "redis_round_trips": redis.round_trips,
                    "redis_commands": redis.commands,
                }
            )
        result = dict(runs[-1])
        if any(run != runs[-1] for run in runs):
            result["runs"] = runs
        results[label] = result
    print("PROBE " + json.dumps(results))


if __name__ == "__main__":
    main()
