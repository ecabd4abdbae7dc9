"""Time of `migrate_schemas` with nothing to apply over 50 members.

Target (issue #2): <= 10 s. Prints our command (skips schemas that are up to date)
and, for comparison, django-tenants' stock command over the same schemas.
Usage: .venv/bin/python bench/migrate.py [--members 50] [--no-stock]
"""

import argparse
import contextlib
import io
import time

from _setup import drop_database, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--no-stock", action="store_true", help="skip the stock command")
    args = parser.parse_args()
    url = setup_django()
    from django.core.management import call_command
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

    from tenants.services import member_create

    try:
        started = time.perf_counter()
        for i in range(args.members):
            member_create(name=f"Bench {i}", slug=f"m-{i}", domain=f"m-{i}.bench.localhost")
            if (i + 1) % 10 == 0:
                print(f"  {i + 1}/{args.members} members created", flush=True)
        print(f"created {args.members} members in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        call_command("migrate_schemas", "--tenant", stdout=io.StringIO())
        ours = time.perf_counter() - started
        print(f"migrate_schemas (ours), nothing to apply, {args.members + 1} schemas: {ours:.2f} s")
        print(f"target <= 10 s: {'met' if ours <= 10 else 'MISSED'}")
        if not args.no_stock:
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):  # it prints a line per schema
                call_command(MigrateSchemasCommand(), "--tenant")
            stock = time.perf_counter() - started
            print(f"migrate_schemas (django-tenants stock), same schemas: {stock:.2f} s")
    finally:
        drop_database(url)


if __name__ == "__main__":
    main()
