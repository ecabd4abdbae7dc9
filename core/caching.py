"""Shared (Redis) cache entries that spare SQL queries on every page view, and what
invalidates them.

Two families of entries, both behind the schema-carrying cache keys of
``django_tenants.cache.make_key``:

- **Routing** (public schema): host name → member, the middleware's domain lookup.
  Retired when any member or domain is saved or deleted (``tenants`` connects that), so
  archiving, reactivating, renaming and removing take effect on the next request.
- **Site data** of one schema: theme chrome (settings, localised home, menu), whether
  any page view restriction exists, Wagtail's Site of a host and its root paths, the page
  each URL routes to (with its images) and the lists of the home pages. Retired when a
  page is saved, published, unpublished, moved or deleted, and when site settings,
  sites, locales, images, documents or view restrictions change
  (:func:`connect_receivers`), or the member row is created or deleted (a new member may
  reuse the schema name of a deleted one). The public schema's also when highlights or
  members change (what the network home lists of them).

Each family lives under a *generation* (a random id kept in the cache); a change starts
a new generation, which retires all entries of the family at once, so nobody has to
know which keys exist. The generation is read *before* the data is computed: a request
that read the old one, and the database before the change committed, can only write
under the retired generation. A stale value therefore never becomes current, which
deleting keys cannot guarantee (a refill racing the delete would live on).

A change starts a new generation at once and again when its transaction commits (in the
schema it was made in, captured at the time): at once so that the writing request sees
its change, after commit so that a request that read the database in between is retired.

Nothing is read from or written to these caches inside a transaction
(``connection.in_atomic_block``): a transaction sees its own uncommitted rows, which must
not reach other processes through the cache (they might be rolled back), and it must see
its own changes rather than the committed state the cache holds. Page views run outside
transactions; tests that measure caching use committed data.

**Round trips.** A page view reads each family's generation once (the routing one comes
with the page cache's lookup, ``core.pagecache``) and keeps it for the rest of the
request (:func:`request_started`). Values are kept by the process as well (pickled, so
no request can change another's objects), under the key that names their generation: an
entry of the current generation is the same in Redis and in every process, so the
process copy needs no check beyond that one generation read. A page view therefore makes
at most two round trips before rendering: the routing generation and the schema's
site-data generation. A generation this process writes replaces the request's copy at
once, so the writing request sees its own change.

Writes that bypass model signals (``QuerySet.update()``, raw SQL) do not invalidate:
routing entries expire after ``ROUTING_TIMEOUT`` as a safety net, site data after
``SITE_DATA_TIMEOUT``.

**Redis down.** The cache (django-redis, ``IGNORE_EXCEPTIONS``, short socket timeouts)
then answers every read with a miss and drops every write, so pages are computed
uncached and saves go through. A new generation that Redis did not take is remembered
by the process (``_unwritten``) and written before that process reads the cache again;
for site data it also drops Wagtail's cached site root paths of the schema. Until then
the process computes everything uncached, so it never serves what the lost write was
to retire. Another process that learns nothing of it (or a command that exited) may
serve an older entry for at most the timeouts above once Redis is back.
"""

import logging
import math
import pickle
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.db.base import content_type_cache

ROUTING = "routing"
SITE_DATA = "site-data"
# Also the longest an entry from before a Redis outage can outlive a change made during
# it in a process that did not make the change (module docstring).
ROUTING_TIMEOUT = 5 * 60
SITE_DATA_TIMEOUT = 5 * 60
# Part of every entry's key: raise it when what is cached changes shape, so that a
# deploy never reads entries written by the previous code.
FORMAT = 1
_MISSING = object()
# (family, schema) whose new generation Redis did not take; see the module docstring.
_unwritten: set[tuple[str, str]] = set()
# The generations read in the current request, by (family, schema); None outside one.
_request_generations: ContextVar[dict | None] = ContextVar("request_generations", default=None)
# This process's copies of entries: (schema, key) → (expires at, pickled value), newest last.
_process_copies: OrderedDict[tuple[str, str], tuple[float, bytes]] = OrderedDict()
PROCESS_COPIES = 4000  # about 200 members × their languages × a dozen entries

logger = logging.getLogger(__name__)


def cache_usable() -> bool:
    """Whether shared cache entries may be read and written now (see module docstring)."""
    return not connection.in_atomic_block and _caught_up()


def request_started(routing_generation: str | None = None) -> None:
    """A request begins: generations are read afresh, once each (module docstring).
    ``routing_generation``: the value the page cache's lookup already read."""
    seen = {}
    if routing_generation is not None:
        seen[(ROUTING, settings.PUBLIC_SCHEMA_NAME)] = routing_generation
    _request_generations.set(seen)


def request_finished() -> None:
    _request_generations.set(None)


def routing_generation_key() -> str:
    """The routing generation's Redis key as ``django_tenants.cache.make_key`` makes it in
    the public schema, for the page cache's one MGET before any schema is chosen."""
    return f"{settings.PUBLIC_SCHEMA_NAME}:{cache.key_prefix}:{cache.version}:{ROUTING}:generation"


def request_site(request) -> Site | None:
    """Wagtail's Site for the request's host and port, as ``Site.find_for_request`` finds
    it (a query a view), from the site data: Site changes retire it."""
    hostname = split_domain_port(request._get_raw_host())[0]  # as Wagtail reads it
    return site_data(
        f"site:{hostname}:{request.get_port()}", lambda: Site._find_for_request(request)
    )


def site_root_paths() -> list:
    """Wagtail's site root paths of this schema (its own cache would be one more round
    trip a view); Site changes retire them with the site data."""
    return site_data("site-root-paths", Site.get_site_root_paths)


def _generation(family: str) -> str | None:
    """The family's current generation here; None while Redis is unreachable."""
    seen = _request_generations.get()
    scope = (family, connection.schema_name)
    if seen is not None and scope in seen:
        return seen[scope]
    key = f"{family}:generation"
    generation = cache.get(key)
    if generation is None:
        # True: stored; False: another process won (fine); None: Redis unreachable
        if cache.add(key, uuid4().hex, timeout=None) is None:
            return None
        generation = cache.get(key)
    if seen is not None:
        seen[scope] = generation
    return generation


def _generation_write(family: str, schema: str) -> bool:
    """Start a new generation of ``family`` in ``schema``; False if Redis did not take it."""

    generation = uuid4().hex

    def write() -> bool:
        # django-redis answers True when stored, None when Redis is unreachable
        return bool(cache.set(f"{family}:generation", generation, timeout=None))

    seen = _request_generations.get()
    if seen is not None:
        seen.pop((family, schema), None)  # read again: this request sees its change
    if _in_schema(schema, write):
        _unwritten.discard((family, schema))
        return True
    if (family, schema) not in _unwritten:
        logger.warning(
            "Cache: new %s generation of schema %s not written (Redis unreachable); "
            "this process uses no cached entries until it is.",
            family,
            schema,
        )
        _unwritten.add((family, schema))
    return False


def _caught_up() -> bool:
    """Write the generations Redis missed; whether none is left (see module docstring)."""
    for family, schema in list(_unwritten):
        if not _generation_write(family, schema):
            return False
        if family == SITE_DATA:
            _in_schema(schema, Site.clear_site_root_paths_cache)
        logger.info("Cache: %s of schema %s retired after Redis came back.", family, schema)
    return True


def _cached(
    family: str,
    name: str,
    compute: Callable[[], Any],
    timeout: int,
    expires: Callable[[Any], datetime | None] | None = None,
) -> Any:
    """``compute()``, cached in the current schema under the family's generation.

    ``expires``: when a value stops being true by itself (the first upcoming event it
    lists is over); it is not used from then on, in Redis or in a process copy.
    An exception from ``compute`` propagates and nothing is cached.
    """
    generation = _generation(family) if cache_usable() else None
    if generation is None:
        return compute()
    key = f"{family}:{FORMAT}:{generation}:{name}"
    copy_key = (connection.schema_name, key)

    def current(value) -> bool:
        moment = expires(value) if expires is not None else None
        return moment is None or moment > timezone.now()

    copy = _process_copies.get(copy_key)
    if copy is not None and copy[0] > time.monotonic():
        value = pickle.loads(copy[1])  # noqa: S301 - written by this process only
        if current(value):
            return value
    value = cache.get(key, _MISSING)
    if value is _MISSING or not current(value):
        value = compute()
        timeout = seconds_until(expires(value) if expires is not None else None, timeout)
        cache.set(key, value, timeout)
    _process_copy_keep(copy_key, value, timeout)
    return value


def seconds_until(moment: datetime | None, longest: int) -> int:
    """A cache timeout of at most ``longest`` seconds that ends by ``moment`` (if any)."""
    if moment is None:
        return longest
    return min(longest, max(1, math.ceil((moment - timezone.now()).total_seconds())))


def _process_copy_keep(copy_key: tuple[str, str], value: Any, timeout: int) -> None:
    _process_copies[copy_key] = (time.monotonic() + timeout, pickle.dumps(value))
    _process_copies.move_to_end(copy_key)
    while len(_process_copies) > PROCESS_COPIES:
        _process_copies.popitem(last=False)


def _in_schema(schema: str, action: Callable[[], Any]) -> Any:
    """Run a cache action with keys of ``schema`` (make_key reads the connection's)."""
    if connection.schema_name == schema:
        return action()
    with schema_context(schema):
        return action()


def _retire(family: str, schema: str) -> None:
    """Start a new generation of ``family`` in ``schema``, now and after commit."""
    _generation_write(family, schema)
    transaction.on_commit(lambda: _generation_write(family, schema))


# --- Routing: host → member -----------------------------------------------------------


def member_for_host(hostname: str, lookup: Callable[[], Any]):
    """The member (tenant) serving ``hostname``: cached, else ``lookup()``.

    Call in the public schema (the middleware switches there first). ``lookup`` raises
    for an unknown host and misses are not cached: a new domain needs no invalidation,
    and arbitrary Host headers cannot fill the cache.
    """
    return _cached(ROUTING, f"host:{hostname}", lookup, ROUTING_TIMEOUT)


def routing_changed() -> None:
    """Retire every host → member entry (a member or one of its domains changed)."""
    _retire(ROUTING, settings.PUBLIC_SCHEMA_NAME)


def schema_started_or_dropped(schema: str) -> None:
    """Nothing cached for an earlier schema of the same name may be used again."""
    content_type_cache.forget_schema(schema)
    site_data_changed(schema)


# --- Site data of one schema ----------------------------------------------------------


def site_data(
    name: str,
    compute: Callable[[], Any],
    expires: Callable[[Any], datetime | None] | None = None,
) -> Any:
    """Cached ``compute()`` for the current schema, retired by :func:`site_data_changed`
    (and, with ``expires``, when the value stops being true by itself)."""
    return _cached(SITE_DATA, name, compute, SITE_DATA_TIMEOUT, expires)


def site_data_changed(schema: str | None = None) -> None:
    """Retire every site data entry of ``schema`` (default: the current one)."""
    _retire(SITE_DATA, schema or connection.schema_name)


def schema_has_view_restrictions() -> bool:
    """Whether any page of this schema is private (password, login or groups)."""
    return site_data("view-restrictions", PageViewRestriction.objects.exists)


# Models whose rows may show on any page of a site. The logo travels with the settings,
# and pages are kept with their images and documents (``core.views``), so both count.
# The page cache (``core.pagecache``) purges the whole host for them too.
SITE_WIDE_MODELS = (
    "wagtailcore.Site",
    "wagtailcore.Locale",
    "wagtailcore.PageViewRestriction",
    "core.SiteSettings",
    "wagtailimages.Image",
    "wagtaildocs.Document",
)


def _site_content_changed(sender, **kwargs):
    site_data_changed()


def connect_receivers() -> None:
    """Retire the current schema's site data when what it is computed from changes.

    Connected by ``CoreConfig.ready()`` with explicit senders: every page type (a save
    sends ``post_save`` for the saved class only), and the models the chrome, languages
    and view restrictions read. Deleting a page of any type deletes its ``Page`` row too,
    and Wagtail sends its page signals with the specific class.
    """
    for model in get_page_models():
        uid = f"site-data-{model._meta.label}"
        for signal in (post_save, page_published, page_unpublished, post_page_move):
            signal.connect(_site_content_changed, sender=model, dispatch_uid=uid)
    post_delete.connect(_site_content_changed, sender=Page, dispatch_uid="site-data-page")
    for label in SITE_WIDE_MODELS:
        uid = f"site-data-{label}"
        post_save.connect(_site_content_changed, sender=label, dispatch_uid=uid)
        post_delete.connect(_site_content_changed, sender=label, dispatch_uid=uid)
