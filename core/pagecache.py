"""The page cache: anonymous responses of public pages, feeds and sitemaps, kept in Redis
and served before the request's member is even looked up.

**What is cached.** GET responses (200 and 404) of the views wrapped in
:func:`cacheable` (Wagtail's page view, the feeds, the sitemap), per scheme, host, port,
path and query, for ``PAGE_CACHE_SECONDS`` (404s for ``PAGE_CACHE_404_SECONDS``); a page
that lists upcoming events only until the first of them is over
(:func:`content_changes_at`). Never cached: requests with a session cookie (logged-in
editors, visitors of password-protected pages) or an ``Authorization`` header, previews,
responses that set a cookie, vary on ``Cookie`` or use the CSRF token (forms), responses
marked private or ``no-store``, other statuses, and anything inside a database
transaction (its rows are not committed). A response that could have been cached but was
not because of the visitor (session, login) is sent ``Cache-Control: private, no-cache``
so that no shared cache downstream keeps it.

**A hit** is one Redis round trip (one MGET of the entry and the three generations below)
and no SQL: the response comes back with its headers, Content-Security-Policy included
(the one inline style is allowed by its hash, not a nonce, so it may be shared), and a
conditional request with a matching ``If-None-Match`` gets a 304.

**Always right: generations.** Each entry records, when its request *started*, the
current values of three generation keys (random ids): the *epoch* of the whole cache, the
generation of its *host* and the generation of its *path* on that host (all query strings
of one path share it). An entry is served only while all three are unchanged; a purge
writes new ids. A request that read the old ids and the database before a change
committed therefore stores its entry under retired ids, which can never be served, so a
purge racing a render cannot be undone by it (deleting keys could not guarantee that). A
generation that is missing (never written, evicted, expired) is written with ``add`` when
an entry is stored, and the entry is stored only if that ``add`` won: every generation a
stored entry names is one that existed when the request started, or was created by it.

**Exact purges** run when the transaction of the change commits (:func:`purge_paths`,
:func:`purge_site`, :func:`purge_topic`): a page change purges the paths of the page, its
translations and their ancestors (index pages and the home list their descendants, the
language switcher names the translations), its pages in Leichte Sprache (which name and
link it), the site's feeds and sitemap; a change that shows on every page of a site
(menu, settings, logo, a page whose title is in its descendants' breadcrumbs, a move, a
page in Leichte Sprache, whose version the switcher of another page may offer or have
offered) starts a new host generation for the hosts of that schema. Network pages that
show what members contribute declare it as a *topic* (``page_cache_topics``; the
highlights, the members) and are purged with it, from
whichever schema the change happened in. Where a reverse proxy or CDN is configured
(``WAGTAILFRONTENDCACHE``), the same URLs are purged there through Wagtail's
``frontend_cache``.

**Redis down.** The page cache has its own cache alias whose errors are not swallowed: a
process that sees Redis fail (a lookup, a store, a purge) serves uncached from then on
and, on its first successful contact once Redis is back, starts a new *epoch* before
anything else, which retires every entry written before: a purge lost during the outage
cannot leave a stale page behind. Saves are never held up: a failed purge is logged.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from urllib.parse import unquote
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import connection, transaction
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    set_response_etag,
)
from django_redis.exceptions import ConnectionInterrupted
from django_tenants.utils import get_tenant_domain_model, remove_www, schema_context
from redis.exceptions import RedisError

from core import caching, languages

CACHE_ALIAS = "pages"
# Part of every key: raise it when what is cached changes shape, so that a deploy never
# serves entries written by the previous code.
FORMAT = 1
EPOCH_KEY = f"{FORMAT}:epoch"
# Generations may expire at any time without harm (an expired one only means misses).
GENERATION_TIMEOUT = 24 * 60 * 60
# Request headers the cached response would ignore: such requests are not served from it.
PERSONAL_REQUEST_HEADERS = ("HTTP_AUTHORIZATION",)
STATUSES = {200: "PAGE_CACHE_SECONDS", 404: "PAGE_CACHE_404_SECONDS"}
HIT, MISS, BYPASS = "hit", "miss", "bypass"

logger = logging.getLogger(__name__)
# Set when this process saw Redis fail; cleared by a new epoch (module docstring).
_redis_failed = False


def _store():
    return caches[CACHE_ALIAS]


# What django-redis raises (the alias does not swallow errors) when Redis is unreachable.
REDIS_ERRORS = (ConnectionInterrupted, RedisError, OSError)


def _redis(action: Callable, default=None):
    """Run a page cache operation; on a Redis error log it, remember it, return default.

    After an error, the first operation that works starts a new epoch first.
    """
    global _redis_failed
    try:
        if _redis_failed:
            _store().set(EPOCH_KEY, uuid4().hex, timeout=None)
            _redis_failed = False
            logger.info("Page cache: Redis is back; entries from before the outage retired.")
        return action()
    except REDIS_ERRORS:
        if not _redis_failed:
            logger.warning("Page cache: Redis unreachable; pages are served uncached.")
        _redis_failed = True
        return default


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


# --- Keys ------------------------------------------------------------------------------


def request_host(request) -> tuple[str, str]:
    """The request's host name as routing reads it, and its port: Django's reading for
    ALLOWED_HOSTS (lower case, without port and one trailing dot) without "www."."""
    domain, port = split_domain_port(request.get_host())
    return remove_www(domain), port


def normal_host(name: str) -> str:
    """A stored host name (a Domain row) as :func:`request_host` reads requests for it."""
    return remove_www(name.lower())


def _host_key(host: str) -> str:
    return f"{FORMAT}:host:{host}"


def _path_key(host: str, path: str) -> str:
    digest = hashlib.sha1(f"{host}{path}".encode(), usedforsecurity=False).hexdigest()
    return f"{FORMAT}:path:{digest}"


def _entry_key(scheme: str, host: str, port: str, full_path: str) -> str:
    name = f"{scheme}://{host}:{port}{full_path}"
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
    return f"{FORMAT}:entry:{digest}"


# --- Marking the views whose responses may be cached ----------------------------------


def cacheable(view=None, *, ignores_language: bool = False):
    """Mark a view whose anonymous responses may be cached.

    ``ignores_language``: the response is the same whatever language the visitor's
    browser asks for (the sitemap), although Django marks it ``Vary: Accept-Language``
    because its URL carries no language.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.page_cacheable = True
            request.page_cache_ignores_language = ignores_language
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def content_changes_at(request, moment) -> None:
    """The response shows something that changes by itself at ``moment`` (an upcoming
    event that will be over): it is kept in the page cache until then at most."""
    if request is None or moment is None:
        return
    earliest = getattr(request, "page_cache_until", None)
    if earliest is None or moment < earliest:
        request.page_cache_until = moment


def _timeout(request, response) -> int:
    """Seconds to keep ``response``: its status's setting, or less when its content
    changes by itself sooner (:func:`content_changes_at`)."""
    longest = getattr(settings, STATUSES[response.status_code])
    return caching.seconds_until(getattr(request, "page_cache_until", None), longest)


# --- The middleware --------------------------------------------------------------------


class Lookup:
    """One request's entry key and the generations current when it started."""

    def __init__(self, host: str, entry_key: str, path_key: str):
        self.host = host
        self.entry_key = entry_key
        self.path_key = path_key
        self.generations: tuple = ()

    @classmethod
    def for_request(cls, request) -> "Lookup | None":
        """The request's lookup, or None when the cache must not answer it."""
        if request.method not in ("GET", "HEAD") or getattr(request, "is_dummy", False):
            return None
        if _personal(request) or connection.in_atomic_block:
            return None
        try:
            host, port = request_host(request)
        except DisallowedHost:
            return None
        return cls(
            host=host,
            entry_key=_entry_key(request.scheme, host, port, request.get_full_path()),
            path_key=_path_key(host, request.path),
        )

    @property
    def generation_keys(self) -> tuple[str, str, str]:
        return (EPOCH_KEY, _host_key(self.host), self.path_key)

    def fetch(self) -> dict | None:
        """The entry if it is current; remembers the generations read.

        One MGET, which also reads the routing generation for ``core.caching`` (a miss
        then needs one round trip less before rendering).
        """
        store = _store()
        keys = [store.make_key(key) for key in (self.entry_key, *self.generation_keys)]
        shared_redis = (
            settings.CACHES["default"]["LOCATION"] == settings.CACHES[CACHE_ALIAS]["LOCATION"]
        )
        if shared_redis:
            keys.append(caching.routing_generation_key())
        found = _redis(lambda: store.client.get_client(write=False).mget(keys))
        if found is None:
            caching.request_started()
            return None
        entry, *values = [None if value is None else store.client.decode(value) for value in found]
        caching.request_started(values.pop() if shared_redis else None)
        self.generations = tuple(values)
        if entry is None or None in self.generations or entry["generations"] != self.generations:
            return None
        return entry

    def store(self, response, timeout: int) -> None:
        """Keep ``response`` under the generations read when the request started."""
        generations = list(self.generations)
        for index, key in enumerate(self.generation_keys):
            if generations[index] is None:
                new = uuid4().hex
                timeout_of_key = None if key == EPOCH_KEY else GENERATION_TIMEOUT
                if not _redis(lambda k=key, n=new, t=timeout_of_key: _store().add(k, n, t)):
                    return  # another request (or a purge) wrote it meanwhile
                generations[index] = new
        entry = {
            "generations": tuple(generations),
            "status": response.status_code,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in ("x-cache", "set-cookie")
            ],
            "content": response.content,
        }
        _redis(lambda: _store().set(self.entry_key, entry, timeout))


def _response_from(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _shareable(request, response) -> bool:
    """Whether ``response`` is the same for every anonymous visitor of its URL."""
    if not getattr(request, "page_cacheable", False) or request.method not in ("GET", "HEAD"):
        return False
    if response.status_code not in STATUSES or response.streaming or response.cookies:
        return False
    if getattr(request, "is_preview", False) or getattr(request, "is_dummy", False):
        return False
    if request.META.get("CSRF_COOKIE_USED") or has_vary_header(response, "Cookie"):
        return False
    if has_vary_header(response, "Accept-Language") and not getattr(
        request, "page_cache_ignores_language", False
    ):
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _conditional(request, response):
    """A 304 without body when the visitor's copy is still current (If-None-Match)."""
    return get_conditional_response(request, etag=response.get("ETag"), response=response)


def _personal(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or any(
        request.META.get(name) for name in PERSONAL_REQUEST_HEADERS
    )


class PageCacheMiddleware:
    """Serve cached pages before tenant routing; store, mark and validate the rest.

    Sits right after Django's SecurityMiddleware: a hit skips every other middleware
    (tenant routing, sessions, CSP: the stored response carries its policy) and the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lookup = Lookup.for_request(request) if enabled() else None
        if lookup is None:
            caching.request_started()
        else:
            entry = lookup.fetch()
            if entry is not None:
                response = _response_from(entry)
                response["X-Cache"] = HIT
                return _conditional(request, response)
        try:
            response = self.get_response(request)
        finally:
            caching.request_finished()
        if _shareable(request, response) and not _personal(request):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PAGE_CACHE_MAX_AGE,
                s_maxage=settings.PAGE_CACHE_S_MAXAGE,
            )
            if not response.has_header("ETag"):
                set_response_etag(response)
            stored = lookup is not None and request.method == "GET" and lookup.generations
            if stored:
                lookup.store(response, _timeout(request, response))
            response["X-Cache"] = MISS if stored else BYPASS
            return _conditional(request, response)
        if getattr(request, "page_cacheable", False):
            patch_cache_control(response, private=True, no_cache=True)
            response["X-Cache"] = BYPASS
        return response


# --- Purging ---------------------------------------------------------------------------

# topic → names of URLs (reversed in every language) that show it, besides its pages
_topic_url_names: dict[str, list[str]] = {}


def topic_urls_register(topic: str, *url_names: str) -> None:
    """URLs that show ``topic`` without being pages (a feed), purged with its pages."""
    _topic_url_names.setdefault(topic, []).extend(url_names)


def hosts_of(schema: str) -> list[str]:
    """The host names routed to ``schema`` (the network's for the public schema)."""
    domains = get_tenant_domain_model().objects.filter(tenant__schema_name=schema)
    return sorted({normal_host(domain) for domain in domains.values_list("domain", flat=True)})


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _reversed(name: str, **kwargs) -> list[str]:
    """The path of URL ``name`` in every language of the platform."""
    paths = []
    for language in _languages():
        with translation.override(language):
            paths.append(reverse(name, kwargs=kwargs or None))
    return paths


def _page_path(page) -> str | None:
    parts = page.get_url_parts()
    return unquote(parts[2]) if parts else None


def _write_generations(keys: list[str]) -> bool:
    if not keys:
        return True
    values = {key: uuid4().hex for key in keys}
    failed = _redis(lambda: _store().set_many(values, GENERATION_TIMEOUT), default=values)
    return not failed


def _frontend_purge(hosts: Iterable[str], paths: Iterable[str]) -> None:
    """Purge the same URLs from a configured reverse proxy or CDN (Wagtail's backends)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    port = "" if settings.PUBLIC_PORT in (80, 443) else f":{settings.PUBLIC_PORT}"
    urls = [f"{settings.PUBLIC_SCHEME}://{host}{port}{path}" for host in hosts for path in paths]
    try:
        purge_urls_from_cache(urls)
    except Exception:  # a CDN that is down must not fail the editor's save
        logger.exception("Page cache: purging %d URLs from the front-end cache failed", len(urls))


def _on_commit(action: Callable[[], None]) -> None:
    if enabled() or getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(action)


def purge_hosts(hosts: Iterable[str]) -> None:
    """Retire every cached page of ``hosts`` when the transaction commits."""
    hosts = sorted({normal_host(host) for host in hosts})

    def purge():
        if not _write_generations([_host_key(host) for host in hosts]):
            logger.warning("Page cache: purge of hosts %s not written", ", ".join(hosts))

    _on_commit(purge)


def purge_site(schema: str | None = None) -> None:
    """Retire every cached page of the site of ``schema`` (default: the current one)."""
    schema = schema or connection.schema_name

    def purge():
        hosts = hosts_of(schema)
        if not _write_generations([_host_key(host) for host in hosts]):
            logger.warning("Page cache: purge of schema %s not written", schema)
        if getattr(settings, "WAGTAILFRONTENDCACHE", None):
            _frontend_purge(hosts, _live_page_paths(schema))

    _on_commit(purge)


def _live_page_paths(schema: str) -> list[str]:
    from wagtail.models import Page

    with schema_context(schema):
        return [path for page in Page.objects.live() if (path := _page_path(page))]


def purge_paths(paths: Iterable[str], schema: str | None = None) -> None:
    """Retire the cached responses of ``paths`` (every query string) on the hosts of
    ``schema`` (default: the current one) when the transaction commits."""
    schema = schema or connection.schema_name
    paths = sorted(set(paths))

    def purge():
        hosts = hosts_of(schema)
        keys = [_path_key(host, path) for host in hosts for path in paths]
        if not _write_generations(keys):
            logger.warning("Page cache: purge of %d paths of %s not written", len(paths), schema)
        _frontend_purge(hosts, paths)

    if paths:
        _on_commit(purge)


def site_paths() -> list[str]:
    """Paths of the current site that list or describe all its pages: feeds (the network's
    calendar too, which lists its events), sitemap."""
    return [
        *_reversed("feeds:news"),
        *_reversed("feeds:events"),
        *_reversed("feeds:calendar"),
        reverse("sitemap"),
    ]


def page_paths(page) -> set[str]:
    """The paths whose responses show ``page``: its own, its translations', their
    ancestors' (lists and teasers), for events their calendar file, and its pages in
    Leichte Sprache (their switcher and note link it)."""
    from wagtail.models import Page

    pages = list(Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk))
    pages.append(page)
    paths = {
        path for shown in languages.easy_language_pages_of(page) if (path := _page_path(shown))
    }
    for each in pages:
        for shown in (each, *each.get_ancestors().filter(depth__gt=1)):
            if (path := _page_path(shown)) is not None:
                paths.add(path)
        if hasattr(each.specific_class, "end_or_start"):  # an event: its .ics
            paths.update(_reversed("feeds:event", page_id=each.pk))
    return paths


# Depth of the pages of a site's main menu: the children of its home page (depth 2).
MENU_DEPTH = 3


_held: ContextVar[bool] = ContextVar("page_cache_purges_held", default=False)


@contextmanager
def purges_held():
    """Changes inside purge nothing one by one: for bulk work (an import of thousands of
    pages) that purges the whole site once when it is done (:func:`purge_site`)."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def purge_page(page, *, whole_site: bool = False) -> None:
    """Retire what shows ``page`` in the current schema: the whole site when the change
    shows on every page (``whole_site``, a page in the menu or with descendants, a home)
    or on pages it does not know any more (a page in Leichte Sprache may have explained
    another page before), else exactly :func:`page_paths` and the site's feeds and sitemap."""
    in_menu = page.show_in_menus and page.depth == MENU_DEPTH
    wide = whole_site or page.depth < MENU_DEPTH or page.numchild > 0 or in_menu
    if wide or languages.is_easy_language_page(page):
        purge_site()
    else:
        purge_paths([*page_paths(page), *site_paths()])


def purge_topic(topic: str) -> None:
    """Retire the network pages (and registered URLs) that show ``topic``: their cached
    responses when the transaction commits, and at once the lists they keep in the public
    schema's site data (``NetworkHomePage.highlight_context``), cache on or off."""
    caching.site_data_changed(settings.PUBLIC_SCHEMA_NAME)
    from wagtail.models import Page, get_page_models

    models = [m for m in get_page_models() if topic in getattr(m, "page_cache_topics", ())]

    def paths() -> list[str]:
        found = []
        for name in _topic_url_names.get(topic, []):
            found.extend(_reversed(name))
        for model in models:
            for page in Page.objects.type(model).live():
                if (path := _page_path(page)) is not None:
                    found.append(path)
        return found

    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        purge_paths(paths(), settings.PUBLIC_SCHEMA_NAME)


# --- What purges, in every schema ------------------------------------------------------

# Fields Wagtail writes on a page row when a draft is saved or a page locked: such a save
# changes nothing a visitor sees.
BOOKKEEPING_FIELDS = {
    "draft_title",
    "has_unpublished_changes",
    "latest_revision",
    "latest_revision_created_at",
    "locked",
    "locked_at",
    "locked_by",
}


def _page_url_path_remember(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a page is saved: its URL as stored, to notice a new slug (every URL below
    it changes then)."""
    if instance.pk and not raw and not _bookkeeping(update_fields) and not _held.get():
        from wagtail.models import Page

        stored = Page.objects.filter(pk=instance.pk).values_list("url_path", flat=True)
        instance._page_cache_url_path = stored.first()


def _bookkeeping(update_fields) -> bool:
    from wagtail.models import COMMENTS_RELATION_NAME  # saved with every draft

    return update_fields is not None and set(update_fields) <= {
        *BOOKKEEPING_FIELDS,
        COMMENTS_RELATION_NAME,
    }


def _page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _bookkeeping(update_fields) or _held.get():
        return
    before = getattr(instance, "_page_cache_url_path", None)
    purge_page(instance, whole_site=before is not None and before != instance.url_path)


def _page_deleted(sender, instance, **kwargs):
    if not _held.get():
        purge_page(instance)


def _site_changed(sender, **kwargs):
    if not _held.get():
        purge_site()


def connect_receivers() -> None:
    """Purge on every change a visitor could see (module docstring), with explicit senders:
    every page type (a save sends ``post_save`` for the saved class only; publishing and
    unpublishing save the page), and the models every page of a site shows."""
    from django.db.models.signals import post_delete, post_save, pre_save
    from wagtail.models import Page, get_page_models
    from wagtail.signals import post_page_move

    for model in get_page_models():
        uid = f"page-cache-{model._meta.label}"
        pre_save.connect(_page_url_path_remember, sender=model, dispatch_uid=uid)
        post_save.connect(_page_saved, sender=model, dispatch_uid=uid)
        post_page_move.connect(_site_changed, sender=model, dispatch_uid=uid)
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="page-cache-page")
    # a redirect answers where a cached 404 would
    for label in (*caching.SITE_WIDE_MODELS, "wagtailredirects.Redirect"):
        uid = f"page-cache-{label}"
        post_save.connect(_site_changed, sender=label, dispatch_uid=uid)
        post_delete.connect(_site_changed, sender=label, dispatch_uid=uid)
