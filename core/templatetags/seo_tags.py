"""What search engines and link previews read in a page's head: the description, Open
Graph and Twitter tags, the canonical link, the favicon link and schema.org JSON-LD.

Pages are kept in the page cache and shared by every visitor, so nothing here depends
on who asks. Every absolute URL is built from the root URL of the page's own Site (a
member's page never names the network's host, whichever host the request came to).
JSON-LD is a data block (``type="application/ld+json"``): browsers never execute it,
so the Content-Security-Policy's ``script-src`` does not apply and it needs no nonce.
"""

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from core import languages, pagecache
from core.models import EventPageBase, NewsPageBase
from core.templatetags.site_tags import SiteChrome, site_chrome

register = template.Library()

DESCRIPTION_LENGTH = 160
PREVIEW_IMAGE_SPEC = "fill-1200x630"  # the size link previews show
LOGO_SPEC = "max-1200x630"  # a logo is shown whole, never cropped
SCHEMA = "https://schema.org/"
OG_LOCALES = {"de": "de_DE", "en": "en_GB", "tr": "tr_TR", "ar": "ar_AR", "uk": "uk_UA"}
PROFILE_PAGE = "members.ProfilePage"  # the member's "Kurzportrait": the organisation itself
REGISTRATION_ANCHOR = "anmeldung"  # the registration box's id (templates/registrations)
POSTCODE_LINE = re.compile(r"^(?:D-)?(\d{5})\s+(.+)$")  # "45699 Herten"
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class PreviewImage:
    url: str
    width: int
    height: int
    alt: str


@dataclass
class PageMeta:
    """A page with what every tag of its head is made from."""

    page: Page
    request: HttpRequest | None
    chrome: SiteChrome
    origin: str  # root URL of the page's Site, e.g. "https://herten.example"
    url: str  # canonical: the page's full URL in its own language
    language: str
    description: str
    image: PreviewImage | None

    def absolute(self, url: str) -> str:
        return urljoin(f"{self.origin}/", url)


# --- Description ----------------------------------------------------------------------


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """``text`` on one line, cut at a word to at most ``length`` characters ("…" added)."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return f"{cut.rstrip(' ,;:.–-')}…"


def page_description(page: Page) -> str:
    """What describes the page in search results and previews: its search description,
    else its teaser, else its lead, else its introduction as plain text."""
    for name in ("search_description", "teaser", "lead"):
        text = getattr(page, name, "") or ""
        if text.strip():
            return shorten(text)
    intro = str(getattr(page, "intro", "") or "")
    return shorten(html.unescape(strip_tags(intro)))


# --- Images ---------------------------------------------------------------------------


def _rendition(image, spec: str):
    """The image's rendition, or None when its file is missing (the page's own image
    tag shows a placeholder then; the head should not fail the page either)."""
    try:
        return image.get_rendition(spec)
    except SourceImageIOError:
        return None


def _preview_image(page: Page, chrome: SiteChrome, origin: str) -> PreviewImage | None:
    """The page's image cut to the preview size, else the site's logo as a whole."""
    image, spec = getattr(page, "image", None), PREVIEW_IMAGE_SPEC
    if image is None and chrome.settings is not None:
        image, spec = chrome.settings.logo, LOGO_SPEC
    rendition = _rendition(image, spec) if image is not None else None
    if rendition is None:
        return None
    alt = (image.description or "").strip() or (chrome.name if spec == LOGO_SPEC else "")
    url = urljoin(f"{origin}/", rendition.url)
    return PreviewImage(url=url, width=rendition.width, height=rendition.height, alt=alt)


def _logo_url(meta: PageMeta) -> str | None:
    logo = meta.chrome.settings.logo if meta.chrome.settings is not None else None
    rendition = _rendition(logo, LOGO_SPEC) if logo is not None else None
    return meta.absolute(rendition.url) if rendition is not None else None


# --- schema.org JSON-LD ---------------------------------------------------------------


def _moment(value) -> str:
    """ISO 8601 in Europe/Berlin with its offset ("2030-03-05T10:00:00+01:00")."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def _day(value) -> str:
    return (timezone.localtime(value).date() if isinstance(value, datetime) else value).isoformat()


def postal_address(text: str) -> dict | str:
    """An address as editors type it ("Rathausplatz 1\\n45699 Herten") as a
    PostalAddress; an address without a German postcode line stays text."""
    lines = [line.strip(" ,") for line in normalize_newlines(text).split("\n")]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    for index in range(len(lines) - 1, -1, -1):
        found = POSTCODE_LINE.match(lines[index])
        if found:
            address = {"@type": "PostalAddress"}
            if lines[:index]:
                address["streetAddress"] = ", ".join(lines[:index])
            address.update(
                postalCode=found[1], addressLocality=found[2].strip(), addressCountry="DE"
            )
            return address
    return ", ".join(lines)


def _home_url(meta: PageMeta) -> str:
    home = meta.chrome.home
    return (home.get_full_url(meta.request) if home is not None else None) or meta.origin


def _site_organisation(meta: PageMeta) -> dict:
    """The site's owner (the network or the member) as publisher or organiser."""
    organisation = {"@type": "Organization", "name": meta.chrome.name, "url": _home_url(meta)}
    logo = _logo_url(meta)
    if logo:
        organisation["logo"] = logo
    return organisation


def _common(meta: PageMeta) -> dict:
    data = {"url": meta.url, "inLanguage": meta.language}
    if meta.description:
        data["description"] = meta.description
    if meta.image is not None:
        data["image"] = meta.image.url
    return data


def news_article(meta: PageMeta) -> dict:
    page = meta.page
    site = _site_organisation(meta)
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": page.seo_title or page.title,
        "datePublished": _day(page.date),
        **_common(meta),
        "mainEntityOfPage": meta.url,
        "author": site,
        "publisher": site,
    }
    modified = page.last_published_at or page.latest_revision_created_at
    if modified:
        data["dateModified"] = _moment(modified)
    return data


def _access_hidden(page) -> bool:
    """The online link goes to confirmed participants only (the registration settings
    of the event), so it must not be published here either."""
    registration_open = getattr(page, "registration_open", False)
    return registration_open and getattr(page, "access_for_confirmed_only", False)


def _locations(meta: PageMeta) -> list[dict]:
    page, places = meta.page, []
    if page.venue_name or page.venue_address:
        place = {"@type": "Place", "name": page.venue_name or page.venue_address.splitlines()[0]}
        if page.venue_address:
            place["address"] = postal_address(page.venue_address)
        places.append(place)
    if page.online:
        shown = page.online_url and not _access_hidden(page)
        places.append({"@type": "VirtualLocation", "url": page.online_url if shown else meta.url})
    return places


def _seats_gone(event) -> bool:
    """Whether all seats are taken, counted as the registration box counts them: on the
    original-language event, whose seats its translations share."""
    if event.seats is None:
        return False
    registrations = event.registration_event().registrations  # sites.registrations' rows
    taken = registrations.filter(status__in=registrations.model.SEAT_STATES).count()
    return taken >= event.seats


def _offer(meta: PageMeta) -> dict | None:
    """The registration form as a free Offer while it takes registrations.

    Registering or cancelling purges the event's cached page (sites.registrations), and
    the cached page expires when registration closes.
    """
    page = meta.page
    if not getattr(page, "registration_open", False):
        return None
    closes = page.registration_closes_at()
    if timezone.now() >= closes:
        return None
    pagecache.content_changes_at(meta.request, closes)
    return {
        "@type": "Offer",
        "url": f"{meta.url}#{REGISTRATION_ANCHOR}",
        "price": 0,
        "priceCurrency": "EUR",
        "availability": f"{SCHEMA}{'SoldOut' if _seats_gone(page) else 'InStock'}",
        "validThrough": _moment(closes),
    }


def event(meta: PageMeta) -> dict:
    page = meta.page
    when = _day if page.whole_day else _moment
    places = _locations(meta)
    kinds = {place["@type"] for place in places}
    mode = "Mixed" if len(kinds) > 1 else ("Online" if kinds == {"VirtualLocation"} else "Offline")
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": page.title,
        "startDate": when(page.start),
        **_common(meta),
        "eventStatus": f"{SCHEMA}EventScheduled",
        "eventAttendanceMode": f"{SCHEMA}{mode}EventAttendanceMode",
    }
    if page.end:
        data["endDate"] = when(page.end)
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    if page.organiser_name:
        organiser = {"@type": "Organization", "name": page.organiser_name}
        if page.organiser_email:
            organiser["email"] = page.organiser_email
        if page.organiser_phone:
            organiser["telephone"] = page.organiser_phone
        data["organizer"] = organiser
    else:
        data["organizer"] = _site_organisation(meta)
    offer = _offer(meta)
    if offer is not None:
        data["offers"] = offer
    return data


def government_organisation(meta: PageMeta) -> dict:
    """The member itself, described by its profile page. schema.org gives an
    organisation no coordinates of its own: they go to its ``location``."""
    page = meta.page
    data = {
        "@context": SCHEMA,
        "@type": "GovernmentOrganization",
        "name": meta.chrome.name,
        "url": _home_url(meta),
        "mainEntityOfPage": meta.url,
    }
    if meta.description:
        data["description"] = meta.description
    if page.contact_email:
        data["email"] = page.contact_email
    if page.contact_phone:
        data["telephone"] = page.contact_phone
    if page.contact_address:
        data["address"] = postal_address(page.contact_address)
    if page.latitude is not None and page.longitude is not None:
        latitude, longitude = float(page.latitude), float(page.longitude)
        geo = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
        data["location"] = {"@type": "Place", "geo": geo}
    logo = _logo_url(meta)
    if logo:
        data["logo"] = logo
    return data


def structured_data(meta: PageMeta) -> dict | None:
    """The JSON-LD of the page types that have one."""
    if isinstance(meta.page, NewsPageBase):
        return news_article(meta)
    if isinstance(meta.page, EventPageBase):
        return event(meta)
    if meta.page._meta.label == PROFILE_PAGE:
        return government_organisation(meta)
    return None


def json_ld(data: dict) -> SafeString:
    """``data`` in a JSON-LD script element; <, > and & escaped as Django's
    ``json_script`` does, so no text can end the element early."""
    text = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


# --- Open Graph and the head ----------------------------------------------------------


def open_graph(meta: PageMeta) -> list[tuple[str, str]]:
    """Open Graph (``property``) pairs; Twitter reads these too, but for the card."""
    page = meta.page
    language = meta.language
    tags = [
        ("og:type", "article" if isinstance(page, NewsPageBase) else "website"),
        ("og:title", page.seo_title or page.title),
        ("og:url", meta.url),
        ("og:site_name", meta.chrome.name),
        ("og:locale", OG_LOCALES.get(language, language.replace("-", "_"))),
    ]
    if meta.description:
        tags.append(("og:description", meta.description))
    if meta.image is not None:
        tags += [
            ("og:image", meta.image.url),
            ("og:image:width", str(meta.image.width)),
            ("og:image:height", str(meta.image.height)),
        ]
        if meta.image.alt:
            tags.append(("og:image:alt", meta.image.alt))
    if isinstance(page, NewsPageBase):
        tags.append(("article:published_time", _day(page.date)))
    return tags


def page_meta_of(page: Page, request, chrome: SiteChrome) -> PageMeta | None:
    """The head's facts about ``page``, or None for a page that has no URL (yet)."""
    url_parts = page.get_url_parts(request)
    if url_parts is None or url_parts[2] is None:
        return None
    origin = url_parts[1]
    return PageMeta(
        page=page,
        request=request,
        chrome=chrome,
        origin=origin,
        url=origin + url_parts[2],
        language=languages.page_language(page),
        description=page_description(page),
        image=_preview_image(page, chrome, origin),
    )


@register.simple_tag(takes_context=True)
def page_meta(context) -> SafeString:
    """Favicon link, description, canonical link, Open Graph and Twitter tags and the
    JSON-LD of the page shown. Error pages (no page) get the favicon link only."""
    icon = format_html('<link rel="icon" href="{}" type="image/png">', reverse("favicon"))
    page = context.get("page")
    if not isinstance(page, Page):
        return icon
    meta = page_meta_of(page, context.get("request"), site_chrome(context))
    if meta is None:
        return icon
    parts = [icon]
    if meta.description:
        parts.append(format_html('<meta name="description" content="{}">', meta.description))
    parts.append(format_html('<link rel="canonical" href="{}">', meta.url))
    parts.append(format_html_join("", '<meta property="{}" content="{}">', open_graph(meta)))
    card = "summary_large_image" if meta.image is not None else "summary"
    parts.append(format_html('<meta name="twitter:card" content="{}">', card))
    data = structured_data(meta)
    if data is not None:
        parts.append(json_ld(data))
    return mark_safe("\n  ".join(parts))  # noqa: S308 (every part is escaped)
