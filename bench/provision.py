"""Seconds per new member: cloning the template schema versus running all migrations.

Target (issue #2): median <= 1.0 s per member over 20 members on the clone path.
Usage: .venv/bin/python bench/provision.py [--clones 20] [--migrations 3]
"""

import argparse
import time

from _setup import describe, drop_database, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clones", type=int, default=20)
    parser.add_argument("--migrations", type=int, default=3)
    args = parser.parse_args()
    url = setup_django()
    from tenants.services import member_create

    def create(prefix: str, index: int, clone: bool) -> float:
        started = time.perf_counter()
        member_create(
            name=f"Bench {prefix} {index}",
            slug=f"{prefix}-{index}",
            domain=f"{prefix}-{index}.bench.localhost",
            coordinator_email=f"k@{prefix}-{index}.example",
            coordinator_password="bench-password",
            clone=clone,
        )
        return time.perf_counter() - started

    try:
        clone_times = []
        for i in range(args.clones):
            clone_times.append(create("clone", i, clone=True))
            print(f"  clone {i + 1}/{args.clones}: {clone_times[-1]:.3f} s", flush=True)
        migration_times = []
        for i in range(args.migrations):
            migration_times.append(create("migrate", i, clone=False))
            print(
                f"  migrations {i + 1}/{args.migrations}: {migration_times[-1]:.3f} s", flush=True
            )
        print()
        clone_median = describe("clone-based creation", clone_times)
        migration_median = describe("migration-based creation", migration_times)
        print(f"ratio clone/migrations (medians): {clone_median / migration_median:.3f}")
        print(f"target median <= 1.0 s (clone): {'met' if clone_median <= 1.0 else 'MISSED'}")
    finally:
        drop_database(url)


if __name__ == "__main__":
    main()
