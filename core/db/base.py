"""django-tenants' PostgreSQL backend with a ContentType cache kept per schema.

Content type ids differ between schemas (each schema has its own ``django_content_type``
table). django-tenants therefore empties Django's process-wide ContentType cache on
every schema switch, which costs one to three queries per page view (every ``.specific``
looks its content type up again) and, in a threaded server, still lets one thread read
ids another thread cached for a different schema (ARCHITECTURE.md, trap 7).

Here the cache is split by schema instead: ``ContentType.objects._cache`` becomes a
mapping that hands Django's manager the slot of the schema that the *calling thread's*
connection is in at that moment. Nothing is cleared on a switch, so a schema's ids are
looked up once per process, and a thread can only ever see the ids of its own schema.

A slot can go stale only if the rows it mirrors change. That happens when migrations
create content types (Django then calls ``clear_cache()``, which empties every slot),
when a transaction that created rows is rolled back (a new schema whose creation failed,
every test), and when a schema is dropped and created again under the same name
(``core.caching`` empties that slot when a member row is created or deleted).
"""

import threading
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django_tenants.postgresql_backend import base as tenants_base


class SchemaContentTypeCache:
    """Stands in for the dict ``ContentTypeManager._cache`` ({alias: {key: ct}}).

    The manager only ever uses ``cache[alias]``, ``cache.setdefault(alias, {})`` and
    ``cache.clear()``; each alias is answered with the slot of the schema its connection
    is in now. ``clear()`` empties all slots, except while a connection merely switches
    schema (django-tenants calls it there; that is exactly what we want to avoid).
    """

    def __init__(self):
        self._slots: dict[tuple[str, str | None], dict] = {}
        self._switching = threading.local()

    def _slot(self, alias: str) -> dict:
        schema = getattr(connections[alias], "schema_name", None)
        return self._slots.setdefault((alias, schema), {})

    def __getitem__(self, alias: str) -> dict:
        return self._slot(alias)

    def setdefault(self, alias: str, default=None) -> dict:
        return self._slot(alias)

    def clear(self) -> None:
        if not getattr(self._switching, "active", False):
            self._slots.clear()

    def forget_schema(self, schema_name: str) -> None:
        """Drop one schema's ids (its schema is being dropped or was just created)."""
        for key in list(self._slots):
            if key[1] == schema_name:
                self._slots.pop(key, None)

    @contextmanager
    def switching(self):
        """While a connection switches schema, ``clear()`` leaves the slots alone."""
        self._switching.active = True
        try:
            yield
        finally:
            self._switching.active = False


content_type_cache = SchemaContentTypeCache()
# The model's own manager and the copy Django hands out as ``objects`` (it makes new
# copies, which share this attribute, whenever the app registry's caches are cleared).
for manager in [*ContentType._meta.local_managers, ContentType.objects]:
    manager._cache = content_type_cache


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    """Keeps each schema's content types cached across schema switches."""

    def set_tenant(self, tenant, include_public=True):
        with content_type_cache.switching():
            super().set_tenant(tenant, include_public)

    def rollback(self):
        # Content types created in the rolled-back transaction (a new schema's, say)
        # may sit in the cache; start over rather than serve ids that no longer exist.
        try:
            super().rollback()
        finally:
            content_type_cache.clear()

    def savepoint_rollback(self, sid):
        try:
            super().savepoint_rollback(sid)
        finally:
            content_type_cache.clear()
