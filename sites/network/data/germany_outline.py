"""Writes ``germany.json`` beside this file: Germany's outline for the member directory's
map, from Natural Earth's 1:50m country boundaries (public domain) in the TopoJSON of the
npm package world-atlas (version 2.0.2, Natural Earth 4.1.0), simplified to a few KB.

Run once, by hand, when the outline should change; the site only reads the JSON::

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python sites/network/data/germany_outline.py /tmp/package/countries-50m.json
"""

import json
import math
import sys
from pathlib import Path

GERMANY = "276"  # ISO 3166-1 numeric, the id world-atlas gives each country
TOLERANCE = 0.02  # degrees (about 1.5 km), well below a pixel of the map
DIGITS = 2  # decimal places kept of each coordinate
X_SCALE = math.cos(math.radians(51))  # a degree of longitude is shorter than one of latitude
TARGET = Path(__file__).with_name("germany.json")


def decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs as lon/lat points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arc_ids: list[int], arcs: list) -> list[tuple[float, float]]:
    """One closed ring from its arcs (a negative id ~i is arc i reversed)."""
    points = []
    for arc_id in arc_ids:
        arc = arcs[arc_id] if arc_id >= 0 else arcs[~arc_id][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def simplified(points: list, tolerance: float = TOLERANCE) -> list:
    """Douglas-Peucker, measured with longitude scaled as on the map."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = (x2 - x1) * X_SCALE, y2 - y1
    length = math.hypot(dx, dy)
    farthest, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        px, py = (x - x1) * X_SCALE, y - y1
        distance = abs(px * dy - py * dx) / length if length else math.hypot(px, py)
        if distance > farthest:
            farthest, index = distance, i
    if farthest <= tolerance:
        return [points[0], points[-1]]
    return simplified(points[: index + 1], tolerance)[:-1] + simplified(points[index:], tolerance)


def outline(topology: dict) -> list[list[list[float]]]:
    """Germany's outer rings, simplified and rounded; islands that vanish are left out."""
    country = next(
        g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == GERMANY
    )
    polygons = country["arcs"] if country["type"] == "MultiPolygon" else [country["arcs"]]
    arcs = decoded_arcs(topology)
    rings = []
    for polygon in polygons:
        points = simplified(ring(polygon[0], arcs))  # the outer ring; Germany has no holes
        rounded = [[round(x, DIGITS), round(y, DIGITS)] for x, y in points]
        if len({tuple(p) for p in rounded}) >= 3:
            rings.append(rounded)
    return rings


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text())
    data = {
        "source": "Natural Earth 4.1.0, Admin 0 countries 1:50m, Germany (id 276), from "
        "countries-50m.json of the npm package world-atlas 2.0.2; simplified by "
        "germany_outline.py beside this file",
        "licence": "Natural Earth data are in the public domain",
        "rings": outline(topology),
    }
    TARGET.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    points = sum(len(r) for r in data["rings"])
    print(f"{TARGET}: {len(data['rings'])} rings, {points} points, {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
