"""axe-core in the page: WCAG 2.1 A and AA rules, violations as readable text.

axe-core comes from the npm registry (package.json at the repository root, pinned);
``make test`` runs ``npm ci``. The script is injected into the page under test, so it
checks the page as the browser rendered it: real CSS, real layout, real contrast.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """The violations axe finds in ``page`` as it is now (WCAG 2.0/2.1, levels A and AA)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluated by the browser's debugging protocol: the site's CSP forbids the
        # inline <script> that add_script_tag would insert, and rightly so
        page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_21_AA,
    )
    return result["violations"]


def axe_report(violations: list[dict], where: str = "") -> str:
    """Violations as text: rule, impact and help, then each element with its selector,
    HTML and what is wrong with it."""
    if not violations:
        return f"{where}: no violations" if where else "no violations"
    lines = [f"{where}: {len(violations)} rule(s) violated" if where else ""]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({len(violation['nodes'])} element(s))\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            lines.append(
                f"    at {' '.join(map(str, node['target']))}\n"
                f"      {textwrap.shorten(node['html'], 220)}\n"
                f"      {summary}"
            )
    return "\n".join(line for line in lines if line)


def assert_no_axe_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, axe_report(violations, where)


MOBILE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = {"mobile-375": MOBILE, "desktop-1280": DESKTOP}


def axe_at_both_widths(page, shot, step: str, reports: list[str]) -> None:
    """axe on ``page`` as it is, at 375 px and 1280 px; what it finds goes to ``reports``."""
    for name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        shot(f"{step}-{name}")
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(violations, f"{step}: {page.url} at {viewport['width']} px"))
