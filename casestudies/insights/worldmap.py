"""A light, server-rendered world map: country outlines as SVG paths, shaded by a figure.

The outlines are Natural Earth's 1:110m countries (world-atlas, `data/geo/`), projected
once per process with the Equal Earth projection (equal-area, so a big country does not
look more important than it is) into integer SVG coordinates written as relative moves:
about a quarter of the bytes of absolute decimals. Countries that 1:110m leaves out
(Cabo Verde, Malta, Seychelles) or draws too small to see or click get a circle marker,
placed from the 1:50m file, so every member shows and can be reached.

Nothing here touches the database: views pass in `MapEntry`s with their figures and get a
`WorldMap` to render (`templates/includes/world_map.html`).
"""

import json
import math
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pycountry
from django.conf import settings
from django.utils.translation import gettext as _

from casestudies.insights import topojson
from casestudies.insights.topojson import Point
from exchange.core.reference_names import sort_key

# Map width in SVG units; the height follows from the projection (Antarctica left out).
WIDTH = 1000
# Shapes smaller than this (in SVG units, both sides of their box) also get a marker.
MIN_VISIBLE_SIDE = 7
MARKER_RADIUS = 4.5
# Douglas-Peucker tolerance in SVG units: at 1000 units wide, under a pixel on most screens.
TOLERANCE = 0.8
ANTARCTICA = "010"
# Codes outside ISO 3166, which Natural Earth draws without an id: found by name instead.
# Kosovo (user-assigned XK/XKX) is the one among OGP's members and commitments.
NOT_IN_ISO = {"XKX": "Kosovo"}
# ColorBrewer "Blues": light to dark, readable in grey print and for colour-blind readers.
SHADES = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]

# Equal Earth (Šavrič, Patterson, Jenny 2018) polynomial coefficients.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
# Half the projected width of the world, for longitude ±180°.
_HALF_WIDTH = 2.7066297319215575
SCALE = WIDTH / (2 * _HALF_WIDTH)


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """Project degrees to SVG units: x from 0 (180°W) to WIDTH, y growing southwards."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return (x + _HALF_WIDTH) * SCALE, -y * SCALE


@dataclass(frozen=True)
class Outline:
    """One country as drawn: its SVG path and where a marker would go."""

    numeric: str
    name: str
    path: str
    centre: tuple[float, float]
    small: bool


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: drop the points closer than `tolerance` to the line that skips them.

    Both ends always stay, so arcs simplified one by one still join (see topojson.shapes).
    """
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for i in range(first + 1, last):
            x, y = points[i]
            # Distance to the chord, or to its start when the arc closes on itself.
            d = (
                abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length
                if length
                else math.hypot(x - x1, y - y1)
            )
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def unwrap(arc: list[Point]) -> list[Point]:
    """The arc with no jump across the antimeridian (Fiji's islands, Russia's east).

    Natural Earth lets a few small rings step from 180° to -180°; drawn as they are, they
    would streak across the whole map. Each step of more than 180° is undone by shifting
    the rest of the arc a full turn, so the ring runs a little past the map's edge instead.
    """
    result, shift = [], 0.0
    for i, (longitude, latitude) in enumerate(arc):
        if i and abs(longitude + shift - result[-1][0]) > 180:
            shift += 360 if longitude + shift < result[-1][0] else -360
        result.append((longitude + shift, latitude))
    return result


def _projected_arc(arc: list[Point]) -> list[Point]:
    return simplify(
        [equal_earth(longitude, latitude) for longitude, latitude in unwrap(arc)], TOLERANCE
    )


def _ring_path(ring: list[Point]) -> str:
    """A closed ring as "M x y l dx dy …z" in whole units, repeated points dropped."""
    points = []
    for x, y in ring:
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    (x0, y0), moves = points[0], []
    previous = points[0]
    for x, y in points[1:]:
        moves.append(f"{x - previous[0]} {y - previous[1]}")
        previous = (x, y)
    return f"M{x0} {y0}l" + " ".join(moves) + "z"


def _box(ring: list[Point]) -> tuple[float, float, float, float]:
    xs, ys = zip(*ring, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _key(shape: topojson.Shape) -> str | None:
    """How `build_map` finds a shape: its ISO numeric code, else a name from NOT_IN_ISO."""
    if shape.id:
        return None if shape.id == ANTARCTICA else shape.id
    return f"name:{shape.name}" if shape.name in NOT_IN_ISO.values() else None


def _outline(shape: topojson.Shape) -> Outline:
    path = "".join(_ring_path(ring) for polygon in shape.polygons for ring in polygon)
    # The marker goes in the middle of the largest part (mainland, not an overseas island).
    boxes = [_box(polygon[0]) for polygon in shape.polygons if polygon and polygon[0]]
    left, top, right, bottom = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    return Outline(
        numeric=shape.id,
        name=shape.name,
        path=path,
        centre=(round((left + right) / 2, 1), round((top + bottom) / 2, 1)),
        small=(right - left) < MIN_VISIBLE_SIDE and (bottom - top) < MIN_VISIBLE_SIDE,
    )


def _read(resolution: str) -> list[topojson.Shape]:
    path = Path(settings.DATA_DIR) / "geo" / f"countries-{resolution}.json"
    with path.open(encoding="utf-8") as file:
        return topojson.shapes(json.load(file), "countries", _projected_arc)


@cache
def outlines() -> dict[str, Outline]:
    """Every drawable country at 1:110m by ISO 3166 numeric code, projected once per process."""
    return {_key(shape): _outline(shape) for shape in _read("110m") if _key(shape)}


@cache
def small_state_markers() -> dict[str, tuple[float, float]]:
    """Where to put a marker for countries that exist only at 1:50m (read once per process)."""
    drawn = outlines()
    return {
        _key(shape): _outline(shape).centre
        for shape in _read("50m")
        if _key(shape) and _key(shape) not in drawn
    }


@cache
def view_box() -> str:
    # Natural Earth reaches about 84°N; without Antarctica the south ends near 56°S.
    _, top = equal_earth(0, 84)
    _, bottom = equal_earth(0, -57)
    return f"0 {math.floor(top)} {WIDTH} {math.ceil(bottom - top)}"


def iso_numeric(iso3: str) -> str | None:
    """The key of an alpha-3 code's outline: its ISO 3166 numeric code, read with pycountry,
    or a name for the few codes outside ISO (NOT_IN_ISO); None when unknown."""
    if iso3 in NOT_IN_ISO:
        return f"name:{NOT_IN_ISO[iso3]}"
    country = pycountry.countries.get(alpha_3=iso3)
    return country.numeric if country else None


@lru_cache(maxsize=64)
def background_path(highlighted: frozenset[str]) -> str:
    """Every country not drawn as a link, as one path: one element, not 100 (cached per set)."""
    return "".join(
        outline.path for numeric, outline in outlines().items() if numeric not in highlighted
    )


# --- Shading -------------------------------------------------------------------------------


def class_breaks(values: list[int], classes: int = 4) -> list[int]:
    """Lower bounds of up to `classes` shades for the non-zero values, at their quantiles.

    Quantiles rather than equal steps: a few countries with many commitments would
    otherwise leave every other country in the lightest shade.
    """
    positive = sorted(value for value in values if value > 0)
    distinct = sorted(set(positive))
    if len(distinct) <= classes:
        return distinct

    def quantiles(numbers):
        return sorted({numbers[(len(numbers) * step) // classes] for step in range(classes)})

    bounds = quantiles(positive)
    # Most countries on the same figure (one tracker record, say) would merge the classes:
    # then split by the distinct figures instead, so the few larger ones still stand out.
    return bounds if len(bounds) == classes else quantiles(distinct)


def shade_index(value: int, breaks: list[int]) -> int:
    """0 for nothing, else 1 + the class the value falls in."""
    if value <= 0:
        return 0
    return 1 + max(i for i, bound in enumerate(breaks) if value >= bound)


def legend_labels(breaks: list[int]) -> list[str]:
    labels = [_("None")]
    for i, low in enumerate(breaks):
        if i + 1 < len(breaks):
            high = breaks[i + 1] - 1
            labels.append(str(low) if high == low else f"{low}–{high}")
        else:
            labels.append(_("%(count)s or more") % {"count": low})
    return labels


# --- What the template draws -------------------------------------------------------------


@dataclass(frozen=True)
class MapEntry:
    """A country to draw as a link: its figure and the sentence that describes it."""

    iso3: str
    name: str
    url: str
    value: int
    description: str  # e.g. "8 commitments in the IRM data", the accessible text


@dataclass(frozen=True)
class MapArea:
    entry: MapEntry
    path: str
    marker: tuple[float, float] | None
    fill: str
    shade: int


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: str


@dataclass(frozen=True)
class WorldMap:
    view_box: str
    background: str
    areas: list[MapArea]
    legend: list[LegendItem]
    unplaced: list[MapEntry]  # entries with no outline at all (e.g. Kosovo): table only
    marker_radius: float = MARKER_RADIUS


def build_map(entries: list[MapEntry]) -> WorldMap:
    """The map of `entries`, shaded by value, each placed by its ISO code."""
    drawn, markers = outlines(), small_state_markers()
    breaks = class_breaks([entry.value for entry in entries])
    areas, unplaced, highlighted = [], [], set()
    for entry in sorted(entries, key=lambda e: sort_key(e.name)):
        numeric = iso_numeric(entry.iso3)
        outline = drawn.get(numeric)
        if outline is not None:
            marker = outline.centre if outline.small else None
            path = outline.path
            highlighted.add(numeric)
        elif numeric in markers:
            marker, path = markers[numeric], ""
        else:
            unplaced.append(entry)
            continue
        shade = shade_index(entry.value, breaks)
        areas.append(MapArea(entry, path, marker, SHADES[shade], shade))
    legend = [LegendItem(label, SHADES[i]) for i, label in enumerate(legend_labels(breaks))]
    return WorldMap(
        view_box=view_box(),
        background=background_path(frozenset(highlighted)),
        areas=areas,
        legend=legend,
        unplaced=unplaced,
    )
