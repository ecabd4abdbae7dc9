"""Which languages a site is published in, and where a page lives in each of them.

A site's pages in one language hang below that language's home page: the Site's root
page (German) and its translations, siblings at depth 2 made by wagtail-localize. URLs
carry the language (``/de/…``, ``/en/…``, see ``core.urls``); a language is served on a
host only when that site's home page has a live translation in it. So a member that
enabled Turkish offers ``/tr/`` once its home is translated, and no other member does.

Everything here reads the current schema and is kept in the schema's shared site data
cache (``core.caching``), which page changes retire.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page, Site

from core import caching

LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class PageVersion:
    """One language version of a page, as the switcher and hreflang links need it."""

    language: str
    url: str
    full_url: str

    @property
    def name(self) -> str:
        """The language's own name ("Deutsch", "English", "Türkçe"), as readers look for it."""
        return get_language_info(self.language)["name_local"]


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
