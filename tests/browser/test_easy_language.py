"""Leichte Sprache in a real browser: axe (WCAG 2.1 AA) at 375 px and 1280 px on Herten's
overview in Leichte Sprache, on its news page in German and English, whose switcher
offers the news in Leichte Sprache, and on that version, whose switcher leads back.

The version is made here below Herten's overview and removed at the module's end.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from playwright.sync_api import expect
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from sites.legal.models import EasyLanguagePage
from sites.members.models import MemberNewsPage
from tenants.models import Member
from tests.browser.axe import axe_report, axe_violations
from tests.browser.content import MEMBER
from tests.factories import member_home

MOBILE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = {"mobile-375": MOBILE, "desktop-1280": DESKTOP}
# page -> (html lang, what its switcher offers besides the page itself)
PAGES = {
    "overview": ("de", None),
    "news-de": ("de", "Leichte Sprache"),
    "news-en": ("en", "Leichte Sprache"),
    "version": ("de", "Alltagssprache"),
}


@pytest.fixture(scope="module")
def easy(live, django_db_blocker) -> dict[str, str]:
    """Herten's news page (the one the other browser tests check) in Leichte Sprache,
    committed for the live server; the absolute URLs of ``PAGES``."""
    with django_db_blocker.unblock(), schema_context(Member.objects.get(slug=MEMBER).schema_name):
        overview = EasyLanguagePage.objects.child_of(member_home()).get(explains__isnull=True)
        news = (
            MemberNewsPage.objects.live()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .order_by("path")
            .first()
        )
        version = EasyLanguagePage(
            title="Ferien-Jobs: einfach erklärt",
            slug="ferien-jobs",
            explains=news,
            body=[
                ("paragraph", RichText("<p>Im Sommer können Sie in einem Betrieb arbeiten.</p>"))
            ],
        )
        overview.add_child(instance=version)
        version.save_revision().publish()
        english = news.get_translation(Locale.objects.get(language_code="en"))
        urls = {
            "overview": overview.full_url,
            "news-de": news.full_url,
            "news-en": english.full_url,
            "version": version.full_url,
        }
    yield urls
    with django_db_blocker.unblock(), schema_context(Member.objects.get(slug=MEMBER).schema_name):
        Page.objects.get(pk=version.pk).delete()


@pytest.mark.parametrize("key", PAGES)
def test_leichte_sprache_pages_have_no_wcag_violations(live, easy, anonymous_page, shot, key):
    url = easy[key]
    language, offered = PAGES[key]
    page = anonymous_page
    page.set_viewport_size(MOBILE)
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)

    header_link = page.locator("header a.easy-language-link")
    expect(header_link).to_have_attribute("href", "/de/leichte-sprache/")
    expect(header_link).to_have_attribute("lang", "de")
    switcher = page.get_by_role("navigation", name="Sprache" if language == "de" else "Language")
    if offered is None:
        expect(switcher).to_have_count(0)
        expect(header_link).to_have_attribute("aria-current", "page")
    else:
        link = switcher.get_by_role("link", name=offered, exact=True)
        expect(link).to_have_attribute("lang", "de")
        expect(link).to_have_attribute("hreflang", "de")

    reports = []
    for name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        expect(header_link).to_be_visible()
        shot(f"{key}-{name}")
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(violations, f"{url} at {viewport['width']} px"))
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"), name
    assert not reports, "\n\n".join(reports)
