"""The public theme's colours: the default accent and how any accent is kept readable.

One place for the facts that the site settings (default, validation) and the page frame
(the accent actually used) must agree on.
"""

import base64
import hashlib
import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

DEFAULT_ACCENT = "#005a8c"
HEX_COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
HEX_COLOUR = re.compile(HEX_COLOUR_PATTERN)
# Links in the accent colour sit on white and on the footer's light grey (#f2f2f2);
# AA for normal text is 4.5:1 on both, and white button text on the accent needs it too.
LIGHTEST_SURFACE = "#f2f2f2"
MIN_CONTRAST = 4.5

hex_colour_validator = RegexValidator(
    HEX_COLOUR_PATTERN, _("Farbe als #rrggbb angeben, z. B. #005a8c.")
)


def _luminance(colour: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(_rgb(a)), _luminance(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_accent(value) -> str:
    """A #rrggbb accent that reads as text on the theme's light surfaces.

    Anything that is not a #rrggbb value falls back to the default (it goes into a
    <style> element). A colour that is too light, which the admin only warns about,
    is darkened step by step until it reaches 4.5:1, so no member can make its links
    unreadable.
    """
    value = str(value or "")
    if not HEX_COLOUR.match(value):
        return DEFAULT_ACCENT
    rgb = _rgb(value)
    factor = 1.0
    colour = value.lower()
    while contrast(colour, LIGHTEST_SURFACE) < MIN_CONTRAST and factor > 0:
        factor = round(factor - 0.05, 2)
        colour = "#" + "".join(f"{round(c * factor * 255):02x}" for c in rgb)
    return colour


def accent_style(accent: str) -> str:
    """The inline style that sets the accent (``base.html``): the same text is hashed
    for the Content-Security-Policy (:func:`accent_style_source`)."""
    return f":root {{ --accent: {readable_accent(accent)}; }}"


def accent_style_source(accent: str) -> str:
    """The CSP source that allows exactly that style: a hash, not a per-response nonce,
    so that a page served from the page cache keeps a policy that matches its body."""
    digest = hashlib.sha256(accent_style(accent).encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"
