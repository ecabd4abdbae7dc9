"""WCAG 2.1 AA in the browser: axe-core on every public page template of both kinds of
site, in German and English, at 375 px and 1280 px; on the registration form in each of
its states and the pages of the mails' links; on the search page with results, without
and with a facet applied; the keyboard path through the page header;
and a page broken on purpose, which proves that the check can fail.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import translation
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from sites.registrations.models import Registration
from tenants.models import Member
from tests.browser.axe import (
    MOBILE,
    WIDTHS,
    assert_no_axe_violations,
    axe_at_both_widths,
    axe_report,
    axe_violations,
)
from tests.browser.content import LANGUAGES, MEMBER_PAGES, NETWORK_PAGES, REGISTRATION_MEMBER

PAGES = [("member", key) for key in MEMBER_PAGES] + [("network", key) for key in NETWORK_PAGES]
KNOWN_VIOLATIONS = Path(__file__).with_name("known_violations.html")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("site", "key"), PAGES, ids=[f"{site}-{key}" for site, key in PAGES])
def test_page_has_no_wcag_violations(live, anonymous_page, shot, site, key, language):
    url = live.content.urls[(site, key)][language]
    page = anonymous_page
    page.set_viewport_size(MOBILE)
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    reports = []
    for name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        shot(name)
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(violations, f"{url} at {viewport['width']} px"))
    assert not reports, "\n\n".join(reports)


# --- Registration ----------------------------------------------------------------------


def _submit(page):
    """Submits the registration form; returns the server's answer to the POST."""
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator("form.registration-form button[type=submit]").click()
    return answer.value


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_form_its_errors_and_its_answer_have_no_wcag_violations(
    live, new_page, shot, language
):
    """Kiel's meeting: the form, the form sent empty, the answer to a registration."""
    address = f"axe.form.{language}.{uuid4().hex[:8]}@example.org"
    page = new_page(MOBILE)
    reports = []
    url = live.content.registration_event[language]
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("form.registration-form")).to_be_visible()
    expect(page.locator(".form-hp")).not_to_be_in_viewport()  # the honeypot stays unseen
    axe_at_both_widths(page, shot, "form", reports)

    answer = _submit(page)  # nothing filled in
    assert answer.status == 400, f"{answer.url}: {answer.status}"
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    axe_at_both_widths(page, shot, "errors", reports)
    summary.locator("a[href='#id_name']").click()  # the summary leads to the field
    expect(page.locator("#id_name")).to_be_focused()

    page.locator("#id_name").fill("Axe Tester")
    page.locator("#id_email").fill(address)
    assert _submit(page).status == 200
    expect(page.locator(".registration-box .notice-success")).to_contain_text(address)
    axe_at_both_widths(page, shot, "submitted", reports)
    assert not reports, "\n\n".join(reports)


def _registration_path(address: str, kind: str, language: str) -> str:
    """The path of the mails' link ``kind`` ("confirm", "cancel") of ``address``'s
    registration, in ``language``."""
    member = Member.objects.get(slug=REGISTRATION_MEMBER)
    with schema_context(member.schema_name):
        key = Registration.objects.get(email=address).key
    with translation.override(language):
        return reverse(f"registrations:{kind}", kwargs={"key": key})


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_confirm_and_cancel_pages_have_no_wcag_violations(
    live, new_page, shot, language
):
    """The pages of the mails' links, before and after their button, for a registration
    made through the form in ``language``."""
    address = f"axe.links.{language}.{uuid4().hex[:8]}@example.org"
    page = new_page(MOBILE)
    page.goto(live.content.registration_event[language])
    page.locator("#id_name").fill("Axe Tester")
    page.locator("#id_email").fill(address)
    assert _submit(page).status == 200
    expect(page.locator(".registration-box .notice-success")).to_be_visible()

    reports = []
    for kind in ("confirm", "cancel"):
        path = _registration_path(address, kind, language)
        assert path.startswith(f"/{language}/"), path
        page.goto(live.url(path, REGISTRATION_MEMBER))
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("main form button[type=submit]")).to_be_visible()
        axe_at_both_widths(page, shot, kind, reports)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main [role=status]")).to_be_visible()
        axe_at_both_widths(page, shot, f"{kind}-done", reports)
    assert not reports, "\n\n".join(reports)


# --- Search ------------------------------------------------------------------------

SEARCH_PATHS = {"de": "/de/suche/", "en": "/en/search/"}
# A word of the demo's pages in each language (Herten's "Übergangsmanagement" and its
# English version), a word of none, and a facet the results have.
SEARCH_STATES = {
    "results": {"de": {"q": "Übergang"}, "en": {"q": "transition"}},
    "no-results": {"de": {"q": "Xylophonkonzert"}, "en": {"q": "xylophone"}},
    "facet": {
        "de": {"q": "Übergang", "member": "herten"},
        "en": {"q": "transition", "member": "herten"},
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", list(SEARCH_STATES))
def test_search_page_has_no_wcag_violations(live, anonymous_page, shot, state, language):
    """The network's search page with results, with none and with a facet applied."""
    url = live.url(SEARCH_PATHS[language]) + "?" + urlencode(SEARCH_STATES[state][language])
    page = anonymous_page
    page.set_viewport_size(MOBILE)
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    status = page.locator("main [role=status]")
    if state == "no-results":
        expect(status).to_contain_text("0")
        expect(page.locator("ol.search-hits")).to_have_count(0)
    else:
        expect(page.locator("ol.search-hits > li").first).to_be_visible()
        expect(page.locator("ol.search-hits mark").first).to_be_visible()
    if state == "facet":
        expect(page.locator(".search-facets a[aria-current]").first).to_contain_text("Herten")
    reports = []
    axe_at_both_widths(page, shot, state, reports)
    assert not reports, "\n\n".join(reports)


# --- Keyboard -----------------------------------------------------------------------

TARGETS = "a.skip-link, nav.main-nav a, nav.language-switcher a"
# Marks the header's targets in document order; reports what has the focus now.
MARK_TARGETS = """selector => document.querySelectorAll(selector).forEach((el, i) => {
    el.dataset.keyboardTarget = i;
})"""
FOCUSED = """() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return {
        target: el.dataset.keyboardTarget ?? null,
        text: el.textContent.trim(),
        box: {x: box.x, y: box.y, width: box.width, height: box.height},
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
            && box.top < innerHeight && box.left < innerWidth,
    };
}"""
MAX_TABS = 40


def _clip(box: dict, margin: int = 6) -> dict:
    return {
        "x": max(box["x"] - margin, 0),
        "y": max(box["y"] - margin, 0),
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }


@pytest.mark.parametrize("site", ["member", "network"])
def test_keyboard_reaches_skip_link_navigation_and_languages_with_visible_focus(
    live, anonymous_page, shot, site
):
    page = anonymous_page
    german = live.content.urls[(site, "home")]["de"]
    english = live.content.urls[(site, "home")]["en"]
    page.goto(german)
    count = page.locator(TARGETS).count()
    assert page.locator("nav.main-nav a").count() >= 3
    assert page.locator("nav.language-switcher a[hreflang=en]").count() == 1
    page.evaluate(MARK_TARGETS, TARGETS)

    reached, focused_pictures = [], {}
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUSED)
        if focus["target"] is None:
            continue
        target = int(focus["target"])
        assert focus["onScreen"], f"{focus['text']!r} has the focus but is not on screen"
        reached.append(target)
        focused_pictures[target] = (focus, page.screenshot(clip=_clip(focus["box"])))
        if target == 0:
            shot("skip-link-focused", full_page=False)
        if len(set(reached)) == count:
            break
    assert reached[:1] == [0], "the first Tab must reach the skip link"
    assert reached == list(range(count)), (
        f"Tab reached the header's links in the order {reached}, not in the page's order"
    )

    page.evaluate("() => document.activeElement.blur()")
    unfocused = [
        target
        for target, (focus, picture) in focused_pictures.items()
        if page.screenshot(clip=_clip(focus["box"])) == picture
    ]
    assert not unfocused, "no visible focus indicator on " + ", ".join(
        repr(focused_pictures[t][0]["text"]) for t in unfocused
    )

    page.goto(german)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('hreflang')") == "en":
            break
    else:
        pytest.fail("Tab never reached the English link of the language switcher")
    shot("language-link-focused", full_page=False)
    page.keyboard.press("Enter")
    expect(page).to_have_url(english)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot("after-enter")


# --- The check itself ---------------------------------------------------------------


def test_the_check_reports_a_page_that_breaks_wcag_on_purpose(live, page, shot):
    """A test page kept here (never served by the product): if axe found nothing on it,
    the checks above would prove nothing."""
    url = live.url("/de/kaputt-mit-absicht/", "herten")
    page.route(
        url,
        lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=KNOWN_VIOLATIONS.read_text()
        ),
    )
    page.goto(url)
    shot("broken-on-purpose")

    violations = axe_violations(page)
    assert {"image-alt", "color-contrast", "link-name"} <= {v["id"] for v in violations}
    report = axe_report(violations, url)
    assert "image-alt" in report and '<img src="/static/does-not-matter.png"' in report
    with pytest.raises(AssertionError, match="color-contrast"):
        assert_no_axe_violations(page, url)
