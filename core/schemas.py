"""Facts about schema names, and where each schema keeps its files.

Two schemas are not members: the public schema (the network site) and the template new
members are cloned from. Every question "is this a member?" is answered here, and
"is this member's schema complete?" too.
"""

import functools
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection


def system_schema_names() -> tuple[str, str]:
    """The schemas that hold no member: the network's and the template's."""
    return (settings.PUBLIC_SCHEMA_NAME, settings.MEMBER_TEMPLATE_SCHEMA)


def is_public_schema(schema_name: str) -> bool:
    return schema_name == settings.PUBLIC_SCHEMA_NAME


def is_system_schema(schema_name: str) -> bool:
    return schema_name in system_schema_names()


# The folders of a schema's media that ``/media/`` serves: Wagtail's original images and
# renditions, and the network's highlight copies. Documents ("documents/") are not among
# them: only Wagtail's document view may hand them out.
SERVED_MEDIA_FOLDERS = ("original_images", "images", "highlights")


def media_root(schema_name: str) -> Path:
    """The folder that holds the uploads of ``schema_name``.

    The same folder django-tenants' ``TenantFileSystemStorage`` writes to while the
    connection is in that schema (``MULTITENANT_RELATIVE_MEDIA_ROOT``), found without
    switching schema.
    """
    return Path(settings.MEDIA_ROOT) / (settings.MULTITENANT_RELATIVE_MEDIA_ROOT % schema_name)


# --- Complete member schemas ----------------------------------------------------------
#
# A member schema's search_path is "<schema>, public", and the public schema has a table
# of every name a member's has (the Wagtail and auth apps live in both). A member schema
# that lacks one (a failed or pending migration, a table dropped by hand) would read and
# write the network's table of that name without any error. The tenant middleware asks
# here first and answers 503 for such a member; migrate_schemas reports them.

# How long a process trusts that a schema it found complete stays complete. A schema
# that lacks tables is looked at again on every request, so a repaired one serves at once.
SCHEMA_CHECK_SECONDS = 60
_found_complete: dict[str, float] = {}


@functools.cache
def member_tables() -> frozenset[str]:
    """The tables every member schema has once its migrations are applied: those of the
    models of the tenant apps (many-to-many tables included), as this code defines them."""
    tenant_apps = set(settings.TENANT_APPS)
    return frozenset(
        model._meta.db_table
        for app in apps.get_app_configs()
        if app.name in tenant_apps
        for model in app.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    )


def schemas_missing_tables(schema_names: list[str]) -> dict[str, list[str]]:
    """The schemas among ``schema_names`` that lack member tables, with the tables they
    lack (one catalog query for all of them; schemas that do not exist lack all)."""
    expected = member_tables()
    present = {name: set() for name in schema_names}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ANY(%s) AND c.relname = ANY(%s) AND c.relkind IN ('r', 'p')",
            [list(schema_names), list(expected)],
        )
        for schema, table in cursor.fetchall():
            present[schema].add(table)
    return {
        schema: sorted(expected - tables) for schema, tables in present.items() if expected - tables
    }


def schema_missing_tables(schema_name: str) -> list[str]:
    """The member tables ``schema_name`` lacks; a complete schema is remembered by this
    process for ``SCHEMA_CHECK_SECONDS`` (the check then costs nothing per request)."""
    checked = _found_complete.get(schema_name)
    if checked is not None and time.monotonic() - checked < SCHEMA_CHECK_SECONDS:
        return []
    missing = schemas_missing_tables([schema_name]).get(schema_name, [])
    if missing:
        _found_complete.pop(schema_name, None)
    else:
        _found_complete[schema_name] = time.monotonic()
    return missing


def schema_check_forget(schema_name: str) -> None:
    """Look at ``schema_name`` again on its next request (it was dropped, made or migrated)."""
    _found_complete.pop(schema_name, None)
