"""Decode TopoJSON into plain polygons of longitude/latitude points.

TopoJSON (github.com/topojson/topojson-specification) stores each border once, as an
"arc" shared by the two shapes on either side of it. A quantized topology (world-atlas's
files are) writes each arc's points as integers: the first absolute, every next one as
the difference from the one before (delta encoding), all to be scaled and translated by
the topology's `transform`. A shape lists its rings as arc indexes; index `~i` (that is,
`-i - 1`) means arc `i` walked backwards. Consecutive arcs share their joining point, so
each arc after the first contributes all its points but the first.

Small enough to keep here rather than pull in a geometry library for one file format.
"""

from collections.abc import Callable
from dataclasses import dataclass

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # the outer ring, then any holes


@dataclass(frozen=True)
class Shape:
    """One feature of a GeometryCollection: its id (ISO 3166 numeric in world-atlas)."""

    id: str | None
    name: str
    polygons: list[Polygon]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Every arc as absolute longitude/latitude points, undoing quantization if any."""
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (scale_x, scale_y), (translate_x, translate_y) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def _ring(arc_indexes: list[int], arcs: list[list[Point]]) -> Ring:
    ring: Ring = []
    for index in arc_indexes:
        points = arcs[~index][::-1] if index < 0 else arcs[index]
        ring.extend(points[1:] if ring else points)
    return ring


def shapes(
    topology: dict,
    object_name: str,
    arc_transform: Callable[[list[Point]], list[Point]] | None = None,
) -> list[Shape]:
    """The polygons of each geometry in `topology["objects"][object_name]`.

    `arc_transform`, if given, is applied to every arc before rings are assembled (to
    project and simplify it): done per arc, a border shared by two countries changes the
    same way for both, so neighbours still meet without gaps.

    Only Polygon and MultiPolygon geometries are read (a country file has nothing else);
    other geometry types are skipped rather than drawn wrong.
    """
    arcs = decode_arcs(topology)
    if arc_transform is not None:
        arcs = [arc_transform(arc) for arc in arcs]
    result = []
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        result.append(
            Shape(
                id=geometry.get("id"),
                name=(geometry.get("properties") or {}).get("name", ""),
                polygons=[[_ring(ring, arcs) for ring in polygon] for polygon in polygons],
            )
        )
    return result
