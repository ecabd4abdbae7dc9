"""The member directory's map in the browser, in German and English, at 375 px and
1280 px: everything the page loads comes from the live server's own host, axe finds no
WCAG 2.1 AA violation, and each demo member's marker is a named link to its microsite
that the keyboard reaches and that shows where the focus is.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_report, axe_violations
from tests.browser.content import LANGUAGES

MOBILE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = {"mobile-375": MOBILE, "desktop-1280": DESKTOP}
# The demo members and where their profiles place them: all three have a marker.
MEMBERS = {
    "Stadt Herten": "herten",
    "Landeshauptstadt Kiel": "kiel",
    "Kreis Offenbach": "kreis-offenbach",
}
MARKERS = "figure.member-map svg a"
FOCUS_YELLOW = "rgb(255, 221, 0)"  # --focus-bg
MAX_TABS = 80


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_directory_map_asks_only_its_own_host_and_has_no_wcag_violations(
    live, new_page, shot, language, width
):
    viewport = WIDTHS[width]
    url = live.content.urls[("network", "directory")][language]
    page = new_page(viewport, locale="de-DE" if language == "de" else "en-GB")
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    response = page.goto(url, wait_until="networkidle")

    assert response.status == 200, f"{url}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    own = urlsplit(live.url("/"))
    foreign = [
        address
        for address in requested
        if (urlsplit(address).scheme, urlsplit(address).netloc) != (own.scheme, own.netloc)
    ]
    assert requested and not foreign, "requests to other hosts:\n" + "\n".join(foreign)

    figure = page.locator("figure.member-map")
    expect(figure).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("3")
    expect(page.locator(MARKERS)).to_have_count(len(MEMBERS))
    for name, slug in MEMBERS.items():
        marker = figure.get_by_role("link", name=name, exact=True)
        expect(marker).to_have_attribute("href", live.url("/", slug))
        # the list, below the map, names the member and links the same address
        card = page.locator("ul.card-list article").filter(
            has=page.get_by_role("heading", name=name, exact=True)
        )
        expect(card.locator(f"a[href='{live.url('/', slug)}']")).to_have_count(1)

    box = figure.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    shot(width)

    violations = axe_violations(page)
    assert not violations, axe_report(violations, f"{url} at {viewport['width']} px")


def test_the_keyboard_reaches_each_marker_and_sees_the_focus(live, new_page, shot):
    page = new_page(MOBILE)
    page.goto(live.content.urls[("network", "directory")]["de"])
    reached = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        name = page.evaluate(
            "() => document.activeElement.closest('figure.member-map a')"
            "?.getAttribute('aria-label') ?? null"
        )
        if name is not None:
            reached.append(name)
            dot = page.locator(f"{MARKERS}[aria-label='{name}'] .member-map-dot")
            assert dot.evaluate("el => getComputedStyle(el).fill") == FOCUS_YELLOW, name
            if len(reached) == 1:
                shot("first-marker-focused")
        elif reached:
            break
    assert reached == sorted(MEMBERS), reached

    page.keyboard.press("Shift+Tab")  # back to the last marker, then follow it
    page.keyboard.press("Enter")
    expect(page).to_have_url(live.url("/", MEMBERS[reached[-1]]) + "de/")
