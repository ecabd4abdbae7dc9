"""Which member schemas are behind the code's migrations, found with one query per 50 schemas.

A no-op ``migrate_schemas`` over hundreds of members spends ~0.3 s a schema only to
learn that nothing is to be done (ARCHITECTURE.md, trap 10). Comparing each schema's
``django_migrations`` with the migration graph in SQL takes milliseconds.
"""

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import quote_schema_name

CHUNK = 50


def expected_migrations() -> list[str]:
    """Every migration of the code base as "app.name"; each schema records all of them."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes)


def schemas_behind(schema_names: list[str]) -> list[str]:
    """The schemas among ``schema_names`` that lack an applied migration (or the table)."""
    expected = expected_migrations()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace n WHERE to_regclass(quote_ident(n.nspname) || "
            "'.django_migrations') IS NOT NULL AND nspname = ANY(%s)",
            [list(schema_names)],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        complete = set()
        for start in range(0, len(with_table), CHUNK):
            chunk = with_table[start : start + CHUNK]
            union = " UNION ALL ".join(
                f"SELECT %s AS schema_name, app || '.' || name AS migration "  # noqa: S608 - quoted
                f"FROM {quote_schema_name(schema)}.django_migrations"
                for schema in chunk
            )
            cursor.execute(
                f"SELECT schema_name FROM ({union}) applied WHERE migration = ANY(%s) "  # noqa: S608
                "GROUP BY schema_name HAVING count(DISTINCT migration) = %s",
                [*chunk, expected, len(expected)],
            )
            complete.update(row[0] for row in cursor.fetchall())
    return [name for name in schema_names if name not in complete]
