"""The search pages and the suggestion endpoint of every host (``/de/suche/``,
``/en/search/``, ``…/vorschlag/``, ``…/suggest/``).

The host decides what is searched: the network host searches the network and every active
member (``engine.ALL``), a member's host that member only. The URL's language is the
language of the results (unless the visitor picks another in the language facet) and of
the interface; a language the site is not published in is a 404, as for pages.

Not page-cached (no ``cacheable`` in ``core.urls``): a result page depends on the index,
which changes with every publish in any schema, and no purge follows it. Each request
runs its query (tens of milliseconds); the responses need no ``Cache-Control`` of their
own, since they set no cookie and read no session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Site

from core.feeds import language_home, site_for
from core.schemas import is_public_schema
from sites.search import engine

PER_PAGE = 10
MAX_QUERY = 200  # characters of a query that are read
MAX_PAGE = 1000
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
YEAR = re.compile(r"^[12][0-9]{3}$")
FACET_PARAMS = engine.FACETS  # GET parameters of the facets: member, type, language, year
FACET_SHOWN = 10  # values of a facet listed (the most frequent, and a chosen one) ...
MORE = "alle"  # ... unless ?alle=<facet> asks for every value (a network of 200 members)


def _network_name(request, home) -> str:
    """How results of the network site are labelled: on the network host its name in
    the page's language (the title of a translated home, as in the header), elsewhere
    the network's name (no network page is found there)."""
    site = Site.find_for_request(request)
    if not is_public_schema(connection.schema_name) or site is None:
        return settings.NETWORK_NAME
    if home.pk != site.root_page_id:
        return home.title
    return site.site_name or settings.NETWORK_NAME


def search_scope(request) -> engine.Scope:
    """What this host searches: everything on the network host, else its member."""
    if is_public_schema(connection.schema_name):
        return engine.ALL
    return request.tenant.pk


def _query(request) -> str:
    return " ".join(str(request.GET.get("q", ""))[:MAX_QUERY].split())


def _page_type_valid(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


def search_filters(params: QueryDict) -> tuple[dict, list[str]]:
    """The facet filters of the request that are well-formed; the names of those that
    were not (ignored, and said so on the page)."""
    languages = {code for code, _name in settings.LANGUAGES} | {engine.ALL}
    checks = {
        "member": lambda value: value == engine.NETWORK or bool(SLUG.match(value)),
        "type": _page_type_valid,
        "language": lambda value: value in languages,
        "year": lambda value: bool(YEAR.match(value)),
    }
    filters, ignored = {}, []
    for name, check in checks.items():
        value = str(params.get(name, "")).strip()
        if not value:
            continue
        if check(value):
            filters[name] = value
        else:
            ignored.append(name)
    return filters, ignored


def _page_number(params: QueryDict) -> int:
    value = str(params.get("page", "1"))
    return min(int(value), MAX_PAGE) if value.isdigit() and int(value) > 0 else 1


def _url(params: QueryDict, **changes) -> str:
    """``?…`` of ``params`` with ``changes`` (None removes a parameter); a changed
    filter always goes back to the first page."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return "?" + query.urlencode()


# --- What the template shows -------------------------------------------------------------


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str  # choose it (or, when selected, remove it)
    lang: str | None = None  # a language's own name carries its language


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    links: list[FacetLink]
    more_url: str | None = None  # lists every value, when some are left out
    total_values: int = 0


@dataclass(frozen=True)
class ShownResult:
    result: engine.Result
    site_name: str
    type_label: str
    other_language: str | None  # the result's language when it is not the page's


class ResultPages:
    """The engine's page of results in the shape of ``components/pagination.html``."""

    def __init__(self, found: engine.SearchResults):
        self.number = found.page
        self.has_previous = found.has_previous
        self.has_next = found.has_next
        self.has_other_pages = found.num_pages > 1
        self.previous_page_number = found.page - 1
        self.next_page_number = found.page + 1
        self.paginator = type("Paginator", (), {"num_pages": found.num_pages})


def _facet_titles() -> dict[str, str]:
    return {
        "member": _("Mitglied"),
        "type": _("Seitentyp"),
        "language": _("Sprache"),
        "year": _("Jahr"),
    }


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def _facets(
    found: engine.SearchResults, params: QueryDict, language: str, scope, network_name: str
) -> list[Facet]:
    facets = []
    for name, title in _facet_titles().items():
        if name == "member" and scope != engine.ALL:
            continue  # a microsite searches one site only
        links = []
        for value in found.facets.get(name, []):
            if name == "member":
                label = value.label or network_name
            elif name == "language":
                label = _language_name(str(value.value))
            else:
                label = str(value.label or value.value)
            selected = value.selected or (
                name == "language" and not params.get("language") and value.value == language
            )
            if name == "language":
                chosen = None if selected or value.value == language else value.value
                url = _url(params, language=chosen)
            else:
                url = _url(params, **{name: None if selected else value.value})
            lang = str(value.value) if name == "language" else None
            links.append(FacetLink(label, value.count, selected, url, lang))
        if name == "language" and len(links) > 1:
            everything = params.get("language") == engine.ALL
            links.append(
                FacetLink(
                    _("Alle Sprachen"),
                    sum(link.count for link in links),
                    everything,
                    _url(params, language=None if everything else engine.ALL),
                )
            )
        if links:
            facets.append(_shortened(Facet(name, title, links), params))
    return facets


def _shortened(facet: Facet, params: QueryDict) -> Facet:
    """The first FACET_SHOWN values in the facet's order (most frequent first; years
    newest first) and any chosen one, with a link to all of them; all when the visitor
    asked for them. Keeps the page
    short on a phone and quick to render for a network of many members."""
    if len(facet.links) <= FACET_SHOWN or params.get(MORE) == facet.name:
        return facet
    shown = [
        link for number, link in enumerate(facet.links) if number < FACET_SHOWN or link.selected
    ]
    return Facet(
        facet.name,
        facet.title,
        shown,
        more_url=_url(params, **{MORE: facet.name}),
        total_values=len(facet.links),
    )


def _selected(facets: list[Facet], filters: dict, params: QueryDict) -> list[dict]:
    """The visitor's filters, each with the link that removes it (also one that matches
    nothing, so that it can be taken away)."""
    titles = _facet_titles()
    labels = {(facet.name, link.url): link.label for facet in facets for link in facet.links}
    selected = []
    for name, value in filters.items():
        remove = _url(params, **{name: None})
        label = labels.get((name, remove))  # a chosen value's link removes it
        if label is None:
            label = _("alle") if value == engine.ALL else value
        selected.append({"facet": titles[name], "label": label, "url": remove})
    return selected


def _shown(result: engine.Result, language: str, network_name: str) -> ShownResult:
    return ShownResult(
        result=result,
        site_name=result.member_name or network_name,
        type_label=engine.page_type_label(result.page_type),
        other_language=result.language if result.language != language else None,
    )


# --- Views -------------------------------------------------------------------------------


def search_page(request):
    """The search form and, for a query, one page of results with facets.

    An empty query shows the form only; malformed filter values are ignored (and the
    page says so), never an error. Not page-cached: see the module docstring."""
    home = language_home(site_for(request))
    language = get_language()
    query = _query(request)
    filters, ignored = search_filters(request.GET)
    scope = search_scope(request)
    context = {
        "query": query,
        "ignored_filters": ignored,
        "searched": bool(query),
        "kept_filters": filters if query else {},  # a new query keeps the chosen filters
    }
    if query:
        found = engine.search(
            query,
            language=language,
            member_id=scope,
            filters=filters,
            page=_page_number(request.GET),
            per_page=PER_PAGE,
        )
        network_name = _network_name(request, home)
        facets = _facets(found, request.GET, language, scope, network_name)
        context.update(
            found=found,
            results=[_shown(result, language, network_name) for result in found.results],
            facets=facets,
            selected_filters=_selected(facets, filters, request.GET),
            items=ResultPages(found),
            first_number=(found.page - 1) * found.per_page + 1,
        )
    return render(request, "search/search_page.html", context)


def suggestions(request):
    """``{"query": …, "suggestions": [up to 8 titles]}`` for the search box: titles of
    this host's search scope in the URL's language containing the typed text."""
    language_home(site_for(request))
    query = _query(request)
    found = engine.suggest(query, language=get_language(), member_id=search_scope(request))
    return JsonResponse({"query": query, "suggestions": found})
