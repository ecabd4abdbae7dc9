"""Template helpers of the public theme, shared by the network site and every microsite.

Everything here works in whichever schema the request runs in: the Site, its settings
and its pages are always read from the current schema, never from another site's.
"""

import re
from dataclasses import dataclass, field

from django import template
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page, Site, get_page_models

from core import caching, languages, theme
from core.models import SiteSettings, public_only

register = template.Library()


@dataclass
class SiteChrome:
    """What the page frame (header, navigation, footer) needs about the current site."""

    site: Site | None = None
    settings: SiteSettings | None = None
    home: Page | None = None
    menu: list[Page] = field(default_factory=list)
    # The pages every page links, by their type's ``site_link`` ("imprint", …)
    links: dict[str, Page] = field(default_factory=dict)
    name: str = field(default_factory=lambda: django_settings.NETWORK_NAME)

    @property
    def accent(self) -> str:
        return theme.readable_accent(
            self.settings.accent_colour if self.settings else theme.DEFAULT_ACCENT
        )


def _request_site(request):
    """The request's Site, or None when the request is not served by a site of this schema.

    An unknown host and an archived member's "offline" page render in the public schema;
    Wagtail would fall back to the network's default Site there and dress the error page
    in the network's navigation. Only when the request's tenant is the schema we are in
    does the Site belong to the host that was asked for.
    """
    if request is None:
        return None
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name != connection.schema_name:
        return None
    return Site.find_for_request(request)


def _page_site(page: Page, request):
    """The Site ``page`` belongs to, like ``page.get_site()``.

    Usually that is the request's Site, which Wagtail has already looked up for routing
    (no query); a preview whose host does not match, or a page of another Site of the
    schema, loads its Site.
    """
    url_parts = page.get_url_parts(request)
    if url_parts is None:
        return None  # not routable
    site = _request_site(request)
    if site is not None and site.pk == url_parts[0]:
        return site
    return Site.objects.select_related("root_page").get(pk=url_parts[0])


def _site_links(site: Site, home: Page) -> dict[str, Page]:
    """The live children of ``home`` whose page type names a ``site_link`` (the legal
    pages, Leichte Sprache), by that name, in the order of the types' ``site_link_order``.

    A kind missing in ``home``'s language is taken from the site's default-language home,
    so every language links an imprint. Types with ``site_link_from_default_language``
    (Leichte Sprache, which is German) are always linked in the default language.
    """
    models = sorted(
        (model for model in get_page_models() if getattr(model, "site_link", "")),
        key=lambda model: model.site_link_order,
    )
    if not models:
        return {}
    type_ids = {
        content_type.pk: model.site_link
        for model, content_type in ContentType.objects.get_for_models(*models).items()
    }
    homes = [home] if home.pk == site.root_page_id else [home, site.root_page]
    children = Page.objects.none()
    for parent in homes:
        children |= parent.get_children()
    found = public_only(children.live().filter(content_type_id__in=type_ids)).order_by("path")
    from_default = {
        m.site_link for m in models if getattr(m, "site_link_from_default_language", False)
    }
    by_kind: dict[str, Page] = {}
    for page in sorted(found, key=lambda page: page.path.startswith(home.path), reverse=True):
        kind = type_ids[page.content_type_id]
        if kind in from_default and not page.path.startswith(site.root_page.path):
            continue  # a language copy of a German-only page (made with a whole subtree)
        by_kind.setdefault(kind, page)
    return {
        model.site_link: by_kind[model.site_link] for model in models if model.site_link in by_kind
    }


def _chrome_data(site: Site) -> dict:
    """Settings (with logo), home, menu and linked pages of ``site`` in the active language.

    Menu: live, in-menu children of the home page, without private ones. A site whose
    settings were never saved gets the defaults without a row being written (a write
    would retire the cache entry this computes).
    """
    settings = SiteSettings.objects.filter(site_id=site.pk).select_related("logo").first()
    if settings is None:
        settings = SiteSettings(site_id=site.pk)
    home = languages.site_homes(site).get(get_language()) or site.root_page
    menu = public_only(home.get_children().live().in_menu())
    links = _site_links(site, home)
    return {"settings": settings, "home": home, "menu": list(menu), "links": links}


def _site_name(site: Site, home: Page) -> str:
    """The Site's name; in another language the title of that language's home page
    ("City of Herten"), which the editors translated with the rest of the site."""
    if home.pk != site.root_page_id:
        return home.title
    return site.site_name or site.root_page.title


@register.simple_tag(takes_context=True)
def site_chrome(context) -> SiteChrome:
    """Site, settings, (localised) home page and menu for the page frame.

    Kept per request; settings, home and menu also in the shared cache per schema, Site
    and language (``core.caching``: retired when pages, settings, sites, locales, images
    or view restrictions change). The Site itself is always the current one.
    """
    request = context.get("request")
    cached = getattr(request, "_site_chrome", None)
    if cached is not None:
        return cached
    page = context.get("page")
    site = _page_site(page, request) if isinstance(page, Page) else _request_site(request)
    chrome = SiteChrome()
    if site is not None:
        data = caching.site_data(f"chrome:{site.pk}:{get_language()}", lambda: _chrome_data(site))
        chrome = SiteChrome(
            site=site,
            settings=data["settings"],
            home=data["home"],
            menu=data["menu"],
            links=data["links"],
            name=_site_name(site, data["home"]),
        )
    if request is not None:
        request._site_chrome = chrome
    return chrome


@register.inclusion_tag("components/main_nav.html", takes_context=True)
def main_navigation(context, chrome: SiteChrome):
    """The site's menu pages, with the current one marked.

    The page itself gets aria-current="page"; the section it lies in gets "true" so
    that screen readers also announce where one is inside deeper content.
    """
    page = context.get("page")
    items = []
    for child in chrome.menu:
        current = None
        if isinstance(page, Page):
            if child.pk == page.pk:
                current = "page"
            elif page.path.startswith(child.path):
                current = "true"
        items.append({"page": child, "current": current})
    return {"request": context.get("request"), "items": items}


@dataclass(frozen=True)
class SwitcherChoice:
    """One entry of the language switcher: a link, or the page shown (``current``)."""

    name: str
    language: str
    url: str = ""
    current: bool = False


@dataclass
class LanguageOfPage:
    """What <html lang dir> and the language switcher need about the page shown.

    ``versions`` are its translations (hreflang links); ``easy`` its version in Leichte
    Sprache, and on a page in Leichte Sprache ``everyday`` the page it explains.
    """

    code: str
    versions: list[languages.PageVersion]
    easy: languages.PageVersion | None = None
    everyday: languages.PageVersion | None = None
    easy_language_name = languages.EASY_LANGUAGE  # the header's link to the overview

    @property
    def direction(self) -> str:
        return "rtl" if get_language_info(self.code)["bidi"] else "ltr"

    @property
    def default_version(self) -> languages.PageVersion | None:
        """The German version, for hreflang="x-default" (German is the network's language)."""
        return next((v for v in self.versions if v.language == django_settings.LANGUAGE_CODE), None)

    @property
    def switcher(self) -> list[SwitcherChoice]:
        """The switcher's entries; it is shown when there are two or more. A page in
        Leichte Sprache offers the way back to the page it explains ("Alltagssprache")."""
        if self.everyday is not None:
            back = self.everyday
            return [
                SwitcherChoice(back.name, back.language, back.url),
                SwitcherChoice(languages.EASY_LANGUAGE, self.code, current=True),
            ]
        choices = [
            SwitcherChoice(
                version.name, version.language, version.url, version.language == self.code
            )
            for version in self.versions
        ]
        if self.easy is not None:
            choices.append(SwitcherChoice(self.easy.name, self.easy.language, self.easy.url))
        return choices


@register.simple_tag(takes_context=True)
def page_language(context) -> LanguageOfPage:
    """The language of the page shown (its locale; else the request's language), its
    published language versions on this site and its version in Leichte Sprache.

    Pages are served in their own language (``core.views.serve``) and previews switch to
    it (``SitePage.serve_preview``), so this is also the language of the interface texts.
    Error and "offline" pages, which belong to no site, list no versions.
    """
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, Page):
        return LanguageOfPage(get_language() or django_settings.LANGUAGE_CODE, [])
    code = languages.page_language(page)
    if _request_site(request) is None:
        return LanguageOfPage(code, [])
    return LanguageOfPage(
        code,
        languages.page_versions(page, request),
        easy=languages.easy_language_version(page, request),
        everyday=languages.everyday_language_version(page, request),
    )


@register.simple_tag
def page_ancestors(page) -> list:
    """Ancestors of a page for the breadcrumbs, root first.

    A page that was routed by ``SitePage.route`` brings them along (no query).
    """
    ancestors = getattr(page, "route_ancestors", None)
    return ancestors if ancestors is not None else list(page.get_ancestors())


register.filter("readable_accent", theme.readable_accent)
register.filter("accent_style", theme.accent_style)


@register.filter
def tel_href(number) -> str:
    """A tel: address from a phone number as people write it ("02366 303-0")."""
    number = str(number or "").strip()
    digits = re.sub(r"[^\d]", "", number)
    return f"tel:{'+' if number.startswith('+') else ''}{digits}"


@register.filter
def file_meta(document) -> str:
    """File type and size of a document, e.g. "PDF, 120 KB"."""
    parts = [(document.file_extension or "").upper()]
    size = document.get_file_size()  # None when the file is missing from storage
    if size:
        parts.append(filesizeformat(size))
    return ", ".join(p for p in parts if p)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination keeps ?past=1)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()


@register.filter
def documents_of(value) -> list:
    """Documents of an attachments stream or a document list, skipping deleted ones."""
    docs = (getattr(item, "value", item) for item in value or ())
    return [doc for doc in docs if doc is not None]
