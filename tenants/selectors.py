"""Reads about members, across schemas where needed."""

from django.db import connection
from django_tenants.utils import quote_schema_name

from tenants.models import Member


def member_page_counts(members: list[Member]) -> dict[str, int]:
    """Number of pages (without the root) in each member's schema, in one query.

    Reads the member schemas; a schema that is missing counts as ``None``.
    """
    schemas = [m.schema_name for m in members]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s) "
            "AND to_regclass(quote_ident(nspname) || '.wagtailcore_page') IS NOT NULL",
            [schemas],
        )
        ready = [row[0] for row in cursor.fetchall()]
        counts = dict.fromkeys(schemas)
        if ready:
            union = " UNION ALL ".join(
                f"SELECT %s, count(*) - 1 FROM {quote_schema_name(s)}.wagtailcore_page"  # noqa: S608
                for s in ready
            )
            cursor.execute(union, ready)
            counts.update(dict(cursor.fetchall()))
    return counts
