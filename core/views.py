"""Views that belong to no page type, and the language-aware page view."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils._os import safe_join
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, get_language_from_request
from django.views.decorators.vary import vary_on_headers
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as document_views
from wagtail.images.models import SourceImageIOError
from wagtail.models import CollectionViewRestriction, Site

from core import privacy
from core.caching import site_data
from core.files import sendfile
from core.languages import site_homes
from core.models import SiteSettings
from core.schemas import SERVED_MEDIA_FOLDERS, media_root


def schema_media(request, schema, path):
    """Serve the images (originals, renditions, highlight copies) of the schema this host
    belongs to, and nothing else.

    A file of member A requested through member B's host is a 404, so one member's
    host can never be used to read another member's uploads. Documents are a 404 here:
    they are served only by Wagtail's document view, which checks the collection's
    privacy and sends them as attachments (``WAGTAILDOCS_*`` settings). An image of a
    restricted collection is a 404 for whoever its restrictions refuse (``core.privacy``).
    """
    if schema != connection.schema_name:
        raise Http404("Datei nicht gefunden")
    root = media_root(schema)
    try:
        file = Path(safe_join(root, path))  # normalised: "images/../documents" is documents
    except SuspiciousFileOperation:
        raise Http404("Datei nicht gefunden") from None
    name = file.relative_to(root)
    if name.parts[0] not in SERVED_MEDIA_FOLDERS or not file.is_file():
        raise Http404("Datei nicht gefunden")
    access = privacy.image_file_access(request, name.as_posix())
    if access is privacy.FileAccess.REFUSED:
        raise Http404("Datei nicht gefunden")
    response = sendfile(request, file, mimetype=mimetypes.guess_type(file.name)[0])
    if access is privacy.FileAccess.GRANTED:
        privacy.response_private(response)
    return response


def document_serve(request, document_id, document_filename):
    """Wagtail's document view (it checks the collection's restrictions), whose answers
    for a document of a restricted collection are marked private (``core.privacy``)."""
    response = document_views.serve(request, document_id, document_filename)
    if privacy.document_restricted(document_id):
        privacy.response_private(response)
    return response


def _homes(request) -> dict:
    site = Site.find_for_request(request)
    return site_homes(site) if site is not None else {}


def _route(home, request, path: str):
    """Wagtail's (page, args, kwargs) for ``path`` below ``home``, or None."""
    try:
        return home.route(request, [part for part in path.split("/") if part])
    except Http404:
        return None


def _page_load(page) -> None:
    """Load the page's own images now, so that the kept copy carries them and a view needs
    no query for them. (StreamField values are kept as their raw data and converted again
    on each view, Wagtail's pickling; their images and documents come in one bulk query a
    block type.)"""
    for field in page._meta.concrete_fields:
        if field.is_relation and field.related_model._meta.label == "wagtailimages.Image":
            getattr(page, field.name)


class _NoRoute(Exception):
    """Nothing at this path: not kept, so arbitrary paths cannot fill the cache."""


def _route_kept(home, request, path: str):
    """:func:`_route`, kept in the site data (retired by every page change of the
    schema): a page view after the first needs neither the routing nor the page query."""

    def compute():
        route = _route(home, request, path)
        if route is None:
            raise _NoRoute
        _page_load(route[0])
        return route

    try:
        return site_data(f"route:{home.pk}:{path}", compute)
    except _NoRoute:
        return None


def serve(request, path):
    """Wagtail's page view, below the home page of the URL's language.

    Wagtail would route ``/en/…`` from ``root_page.localized``, which falls back to the
    German home when there is no English one and so serves German pages as English.
    Here a language the site is not published in is a 404, and so is a page whose own
    language is not the URL's. The route is handed to Wagtail's view, which runs the
    serve hooks (view restrictions, …) as usual.
    """
    language = get_language()
    home = _homes(request).get(language)
    if home is None:
        raise Http404("Diese Seite gibt es nicht in dieser Sprache.")
    route = _route_kept(home, request, path)
    if route is None or route[0].locale_id != home.locale_id:
        raise Http404
    request._wagtail_route_for_request = route  # Wagtail's per-request route cache
    return wagtail_views.serve(request, path)


@vary_on_headers("Accept-Language", "Cookie")
def language_home(request):
    """``/``: the home page in the visitor's language if the site has it, else German."""
    homes = _homes(request)
    if not homes:
        raise Http404
    wanted = get_language_from_request(request)
    home = homes.get(wanted) or homes.get(settings.LANGUAGE_CODE) or next(iter(homes.values()))
    return HttpResponseRedirect(home.get_url(request))


def unprefixed(request, path):
    """An address without a language (old links, typed URLs): its German page.

    Content URLs were German before languages were added, so they are looked up below
    the German home. Nothing found is a 404, which lets Wagtail's redirects (managed
    in the admin for moved pages) still answer for the old path.
    """
    home = _homes(request).get(settings.LANGUAGE_CODE)
    route = _route(home, request, path) if home is not None else None
    if route is None:
        raise Http404
    query = request.META.get("QUERY_STRING")
    return HttpResponseRedirect(
        f"/{settings.LANGUAGE_CODE}/{path}" + (f"?{query}" if query else "")
    )


FAVICON_SPEC = "fill-64x64|format-png"
TOUCH_ICON_SPEC = "fill-180x180|format-png"  # what phones put on the home screen
DEFAULT_FAVICON = Path(__file__).resolve().parent / "static" / "img" / "favicon.png"
FAVICON_MAX_AGE = 24 * 60 * 60


def _icon_response(request, spec: str) -> HttpResponse:
    """The site's logo cut to ``spec``, else the network's mark. Browsers ask for icons
    without a link, so they are never a 404; the same for everyone, so public and kept
    a day."""
    icon = _logo_icon(request, spec) or DEFAULT_FAVICON.read_bytes()
    response = HttpResponse(icon, content_type="image/png")
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response


def favicon(request):
    """``/favicon.ico`` of every host: a 64×64 PNG."""
    return _icon_response(request, FAVICON_SPEC)


def touch_icon(request):
    """``/apple-touch-icon.png`` (and ``-precomposed``), which phones ask for when a page
    is put on the home screen: a 180×180 PNG."""
    return _icon_response(request, TOUCH_ICON_SPEC)


def _logo_icon(request, spec: str) -> bytes | None:
    """The logo of the host's site cut to an icon; None without one, for a logo in a
    restricted collection (``/media/`` refuses it to visitors, core.privacy) and for a
    logo whose file is missing. Reads the settings without creating them."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    found = SiteSettings.objects.filter(site_id=site.pk).select_related("logo__collection")
    logo = getattr(found.first(), "logo", None)
    if logo is None:
        return None
    if (
        CollectionViewRestriction.objects.exists()
        and logo.collection.get_view_restrictions().exists()
    ):
        return None
    try:
        with logo.get_rendition(spec).file.open("rb") as file:
            return file.read()
    except (SourceImageIOError, OSError):
        return None
