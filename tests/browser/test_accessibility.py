"""WCAG 2.1 AA in the browser: axe-core on every public page template of both kinds of
site, in German and English, at 375 px and 1280 px; the keyboard path through the page
header; and a page broken on purpose, which proves that the check can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations, axe_report, axe_violations
from tests.browser.content import LANGUAGES, MEMBER_PAGES, NETWORK_PAGES

MOBILE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = {"mobile-375": MOBILE, "desktop-1280": DESKTOP}
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
