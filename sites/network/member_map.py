"""The member directory's map: Germany's outline and a marker for each member whose
profile gives its place, as coordinates for an inline SVG.

Everything the map needs comes with the page: the outline is a small data file in the
repository (``data/germany.json``, Natural Earth, public domain; ``data/germany_outline.py``
made it), so a visitor's browser asks no other host for tiles, scripts or fonts. The
projection is equirectangular with a degree of longitude shortened by cos 51° (the
middle of Germany): at this size it looks as a reader expects, and it needs no library.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

OUTLINE_FILE = Path(__file__).with_name("data") / "germany.json"
SCALE = 100  # SVG units per degree of latitude
X_SCALE = math.cos(math.radians(51))
# Degrees around the outline's extremes that still count as Germany: the outline is
# simplified, so a place on the coast or the border may lie just outside it.
TOLERANCE = 0.1
MARKER_RADIUS = 14  # SVG units: about 15 px across where the map is 20rem wide
HIT_RADIUS = 24  # the area around a marker that takes a tap or click
PADDING = HIT_RADIUS  # around the box, so that a marker at its edge is drawn whole


@dataclass(frozen=True)
class Box:
    """A longitude/latitude range, in degrees."""

    west: float
    south: float
    east: float
    north: float

    def __contains__(self, point: tuple[float, float]) -> bool:
        lon, lat = point
        return self.west <= lon <= self.east and self.south <= lat <= self.north


@dataclass(frozen=True)
class Marker:
    name: str
    url: str
    x: float
    y: float


@dataclass(frozen=True)
class MemberMap:
    """What the template draws: the view box, the outline's path and the markers."""

    width: float
    height: float
    outline: str
    markers: list[Marker]
    marker_radius: int = MARKER_RADIUS
    hit_radius: int = HIT_RADIUS

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


@cache
def _rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    data = json.loads(OUTLINE_FILE.read_text())
    return tuple(tuple((lon, lat) for lon, lat in ring) for ring in data["rings"])


@cache
def germany() -> Box:
    """The coordinates a member's place may have: the outline's extremes, with tolerance."""
    points = [point for ring in _rings() for point in ring]
    return Box(
        west=min(lon for lon, _lat in points) - TOLERANCE,
        south=min(lat for _lon, lat in points) - TOLERANCE,
        east=max(lon for lon, _lat in points) + TOLERANCE,
        north=max(lat for _lon, lat in points) + TOLERANCE,
    )


def project(lon, lat) -> tuple[float, float] | None:
    """SVG coordinates of a place (degrees; Decimal, float or None), or None when it is
    not a place in Germany: missing, not a number, or outside :func:`germany`."""
    try:
        point = (float(lon), float(lat))
    except (TypeError, ValueError, ArithmeticError):
        return None
    if point not in germany():  # NaN is never in a range
        return None
    box = germany()
    x = PADDING + (point[0] - box.west) * X_SCALE * SCALE
    y = PADDING + (box.north - point[1]) * SCALE
    return round(x, 1), round(y, 1)


@cache
def _outline_path() -> str:
    """The outline as SVG path data: one closed subpath per ring (mainland, islands)."""
    parts = []
    for ring in _rings():
        points = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z")
    return "".join(parts)


def member_map(members: Iterable) -> MemberMap | None:
    """The map of ``members`` (with ``name``, ``url`` and a ``directory_entry`` holding
    ``latitude`` and ``longitude``); members without a place in Germany get no marker.
    None when no member has one: the directory then shows no map."""
    markers = []
    for member in members:
        entry = getattr(member, "directory_entry", None)
        point = project(entry.longitude, entry.latitude) if entry is not None else None
        if point is not None:
            markers.append(Marker(name=member.name, url=member.url, x=point[0], y=point[1]))
    if not markers:
        return None
    box = germany()
    return MemberMap(
        width=round(2 * PADDING + (box.east - box.west) * X_SCALE * SCALE),
        height=round(2 * PADDING + (box.north - box.south) * SCALE),
        outline=_outline_path(),
        markers=markers,
    )
