"""Which languages a site is published in, and where a page lives in each of them.

A site's pages in one language hang below that language's home page: the Site's root
page (German) and its translations, siblings at depth 2 made by wagtail-localize. URLs
carry the language (``/de/…``, ``/en/…``, see ``core.urls``); a language is served on a
host only when that site's home page has a live translation in it. So a member that
enabled Turkish offers ``/tr/`` once its home is translated, and no other member does.

A page may also have a version in Leichte Sprache (easy-to-read German, BITV 2.0 §4): a
page of a type that names, in ``easy_language_of``, its field pointing to the page it
explains. The switcher offers it beside the languages; it is a kind of German, not a
language of its own, so it gets no hreflang link of its own and no URL prefix.

Everything here reads the current schema and is kept in the schema's shared site data
cache (``core.caching``), which page changes retire.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page, Site, get_page_models

from core import caching

LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]
# Kinds of German, named in German on every page as languages are named in themselves.
EASY_LANGUAGE = "Leichte Sprache"
EVERYDAY_LANGUAGE = "Alltagssprache"


@dataclass(frozen=True)
class PageVersion:
    """One language version of a page, as the switcher and hreflang links need it."""

    language: str
    url: str
    full_url: str
    label: str = ""  # a kind of German rather than a language: EASY_LANGUAGE, EVERYDAY_LANGUAGE
    title: str = ""

    @property
    def name(self) -> str:
        """The language's own name ("Deutsch", "English", "Türkçe"), as readers look for it."""
        return self.label or get_language_info(self.language)["name_local"]


def _ordered(by_language: dict) -> dict:
    return {code: by_language[code] for code in LANGUAGE_ORDER if code in by_language}


def locale_codes() -> dict[int, str]:
    """Language code of each Locale id of this schema."""
    return caching.site_data(
        "locale-codes", lambda: dict(Locale.objects.values_list("id", "language_code"))
    )


def page_language(page: Page) -> str:
    """Language code of ``page`` without loading its Locale."""
    return locale_codes().get(page.locale_id) or settings.LANGUAGE_CODE


def site_homes(site: Site) -> dict[str, Page]:
    """Live home pages of ``site`` by language code, in the order of ``LANGUAGES``."""

    def compute():
        homes = site.root_page.get_translations(inclusive=True).live().specific()
        codes = locale_codes()
        return _ordered({codes[home.locale_id]: home for home in homes})

    return caching.site_data(f"homes:{site.pk}", compute)


def page_versions(page: Page, request=None) -> list[PageVersion]:
    """The live, public language versions of ``page`` (itself included), in language order.

    Only versions below one of their site's language homes are listed: a translation
    that was made but sits outside the site has no URL a visitor could follow.
    """

    def compute():
        translations = page.get_translations(inclusive=True).live()
        if caching.schema_has_view_restrictions():
            translations = translations.public()
        codes = locale_codes()
        versions = {}
        for translation in translations:
            url = translation.get_url(request)
            if url:
                language = codes[translation.locale_id]
                versions[language] = PageVersion(language, url, translation.get_full_url(request))
        return list(_ordered(versions).values())

    if not page.live:  # previews of drafts: no links to versions a visitor cannot open
        return []
    return caching.site_data(f"versions:{page.pk}", compute)


# --- Leichte Sprache ---------------------------------------------------------------------


def easy_language_models() -> list[type[Page]]:
    """The page types that are versions of other pages in Leichte Sprache (they name the
    field pointing to the explained page in ``easy_language_of``)."""
    return [model for model in get_page_models() if getattr(model, "easy_language_of", "")]


def is_easy_language_page(page: Page) -> bool:
    return bool(getattr(page.specific_class, "easy_language_of", ""))


@dataclass(frozen=True)
class EasyLanguageLinks:
    """The live, public pages in Leichte Sprache of a schema that explain a live, public
    page, both ways round."""

    # translation key of the explained page → its version in Leichte Sprache
    versions: dict[str, PageVersion]
    # id of the page in Leichte Sprache → the page it explains, with its title
    originals: dict[int, PageVersion]


def easy_language_links(request=None) -> EasyLanguageLinks:
    """Which page has a version in Leichte Sprache, for the switcher: one site data entry
    per schema (two or three queries when it is computed, none on a page view).

    The version is offered on every translation of the explained page: a reader of the
    English page may be the one who needs Leichte Sprache. Of several versions of one
    page (their pages refuse that, copies do not), the first in the tree counts.
    """

    def compute():
        restricted = caching.schema_has_view_restrictions()
        codes = locale_codes()
        pairs = []
        for model in easy_language_models():
            field = model.easy_language_of
            pages = model.objects.live().filter(**{f"{field}__live": True})
            if restricted:
                pages = pages.public()
            pairs += [(page, getattr(page, field)) for page in pages.select_related(field)]
        if restricted:
            public = set(
                Page.objects.filter(pk__in=[explained.pk for _page, explained in pairs])
                .public()
                .values_list("pk", flat=True)
            )
            pairs = [(page, explained) for page, explained in pairs if explained.pk in public]
        versions, originals = {}, {}
        for page, explained in sorted(pairs, key=lambda pair: pair[0].path):
            url, explained_url = page.get_url(request), explained.get_url(request)
            if not (url and explained_url):
                continue  # outside every site: no address a visitor could follow
            versions.setdefault(
                str(explained.translation_key),
                PageVersion(
                    codes[page.locale_id], url, page.get_full_url(request), label=EASY_LANGUAGE
                ),
            )
            originals[page.pk] = PageVersion(
                codes[explained.locale_id],
                explained_url,
                explained.get_full_url(request),
                label=EVERYDAY_LANGUAGE,
                title=explained.title,
            )
        return EasyLanguageLinks(versions, originals)

    return caching.site_data("easy-language", compute)


def easy_language_version(page: Page, request=None) -> PageVersion | None:
    """The live, public version of ``page`` (or of a translation of it) in Leichte Sprache."""
    if not page.live:
        return None
    return easy_language_links(request).versions.get(str(page.translation_key))


def everyday_language_version(page: Page, request=None) -> PageVersion | None:
    """For a page in Leichte Sprache: the live, public page it explains."""
    if not page.live or not is_easy_language_page(page):
        return None
    return easy_language_links(request).originals.get(page.pk)


def easy_language_pages_of(page: Page) -> list[Page]:
    """The pages in Leichte Sprache that explain ``page`` or a translation of it, in any
    state: what to purge when ``page`` changes (``core.pagecache``). One query a type."""
    found = []
    for model in easy_language_models():
        lookup = {f"{model.easy_language_of}__translation_key": page.translation_key}
        found += model.objects.filter(**lookup)
    return found
