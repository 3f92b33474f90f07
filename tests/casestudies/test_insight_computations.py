"""The pure insight modules: TopoJSON decoding, the map's projection and shading, IRM shares
with their n, peer benchmarks and the ambition-against-implementation findings."""

from types import SimpleNamespace

import pytest

from casestudies.insights import ambition, benchmarks, topojson, worldmap
from casestudies.insights.benchmarks import Share, Tally

# --- TopoJSON -----------------------------------------------------------------------------

# Two squares sharing the border x = 1 (arc 0); arc 1 and arc 2 close each square. Quantized:
# every arc is delta-encoded and scaled by (2, 10), then moved by (-10, 5).
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [2, 10], "translate": [-10, 5]},
    "arcs": [
        [[1, 0], [0, 1]],  # (1,0) -> (1,1): the shared border
        [[1, 1], [-1, 0], [0, -1], [1, 0]],  # (1,1) -> (0,1) -> (0,0) -> (1,0)
        [[1, 0], [1, 0], [0, 1], [-1, 0]],  # (1,0) -> (2,0) -> (2,1) -> (1,1)
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "001", "properties": {"name": "West"}},
                {"type": "MultiPolygon", "arcs": [[[2, ~0]]], "id": "002", "properties": {}},
                {"type": "LineString", "arcs": [0], "id": "003"},
            ],
        }
    },
}


def grid(x, y):
    """A quantized grid point as longitude/latitude, through TOPOLOGY's transform."""
    return (x * 2 - 10, y * 10 + 5)


def test_topojson_undoes_delta_encoding_and_quantization():
    arcs = topojson.decode_arcs(TOPOLOGY)

    assert arcs[0] == [grid(1, 0), grid(1, 1)]
    assert arcs[1] == [grid(1, 1), grid(0, 1), grid(0, 0), grid(1, 0)]


def test_topojson_joins_arcs_into_rings_and_walks_negative_arcs_backwards():
    west, east = topojson.shapes(TOPOLOGY, "countries")

    # Arc 0 then arc 1, the shared point written once: a closed ring.
    assert west.polygons == [[[grid(1, 0), grid(1, 1), grid(0, 1), grid(0, 0), grid(1, 0)]]]
    # Arc 2 then arc 0 reversed (~0): the east square closes on the same border.
    assert east.polygons == [[[grid(1, 0), grid(2, 0), grid(2, 1), grid(1, 1), grid(1, 0)]]]
    assert (west.id, west.name, east.id, east.name) == ("001", "West", "002", "")


def test_topojson_skips_geometries_that_are_not_areas():
    assert [shape.id for shape in topojson.shapes(TOPOLOGY, "countries")] == ["001", "002"]


def test_topojson_applies_the_arc_transform_before_building_rings():
    (west, _east) = topojson.shapes(TOPOLOGY, "countries", lambda arc: arc[:1] + arc[-1:])

    assert west.polygons[0][0] == [grid(1, 0), grid(1, 1), grid(1, 0)]


# --- Projection, simplification, shading --------------------------------------------------


def test_equal_earth_spans_the_map_width_and_puts_north_up():
    west, equator = worldmap.equal_earth(-180, 0), worldmap.equal_earth(0, 0)
    east, north = worldmap.equal_earth(180, 0), worldmap.equal_earth(0, 60)

    assert west[0] == pytest.approx(0, abs=1e-3)
    assert east[0] == pytest.approx(worldmap.WIDTH, abs=1e-3)
    assert equator == pytest.approx((worldmap.WIDTH / 2, 0))
    assert north[1] < 0  # SVG y grows downwards


def test_simplify_drops_points_within_the_tolerance_and_keeps_both_ends():
    wiggle = [(0, 0), (1, 0.1), (2, -0.1), (3, 5), (4, 0), (5, 0)]

    assert worldmap.simplify(wiggle, 0.5) == [(0, 0), (2, -0.1), (3, 5), (4, 0), (5, 0)]
    assert worldmap.simplify(wiggle, 10) == [(0, 0), (5, 0)]


def test_unwrap_keeps_a_ring_from_streaking_across_the_antimeridian():
    assert worldmap.unwrap([(179.0, -16), (-179.5, -16.5), (179.5, -17)]) == [
        (179.0, -16),
        (180.5, -16.5),
        (179.5, -17),
    ]


@pytest.mark.parametrize(
    ("values", "breaks"),
    [
        ([], []),
        ([0, 0], []),
        ([0, 1, 1, 2], [1, 2]),  # few distinct figures: one shade each
        ([1, 2, 3, 5, 8, 13, 21, 34], [1, 3, 8, 21]),  # quantiles
        ([1] * 20 + [2, 4, 9], [1, 2, 4, 9]),
        ([1] * 20 + [2, 3, 4, 5, 9], [1, 2, 4, 5]),  # piled on one figure: by distinct ones
    ],
)
def test_class_breaks(values, breaks):
    assert worldmap.class_breaks(values) == breaks


def test_shade_and_legend_follow_the_breaks():
    breaks = [1, 3, 8, 21]

    assert [worldmap.shade_index(v, breaks) for v in (0, 1, 2, 3, 20, 21, 99)] == [
        0,
        1,
        1,
        2,
        3,
        4,
        4,
    ]
    assert worldmap.legend_labels(breaks) == ["None", "1–2", "3–7", "8–20", "21 or more"]
    assert worldmap.legend_labels([1, 2]) == ["None", "1", "2 or more"]


def entry(iso3, value, name=None):
    return worldmap.MapEntry(iso3, name or iso3, f"/countries/{iso3}/", value, f"{value} things")


def test_map_draws_small_members_as_dots_and_lists_what_it_cannot_place():
    world = worldmap.build_map(
        [
            entry("KEN", 8, "Kenya"),
            entry("CPV", 1, "Cabo Verde"),
            entry("LUX", 0, "Luxembourg"),
            entry("XKX", 2, "Kosovo"),  # not in ISO 3166: found by name
            entry("QQQ", 2, "Atlantis"),  # no outline to find
        ]
    )

    areas = {area.entry.iso3: area for area in world.areas}
    assert list(areas) == ["CPV", "KEN", "XKX", "LUX"]  # in name order: the keyboard's order
    assert areas["KEN"].path and areas["KEN"].marker is None
    assert areas["CPV"].path == "" and areas["CPV"].marker  # only at 1:50m: a dot
    assert areas["LUX"].path and areas["LUX"].marker  # drawn, but too small to see alone
    assert areas["LUX"].fill == worldmap.SHADES[0]
    assert areas["KEN"].shade > areas["CPV"].shade
    assert areas["XKX"].path
    assert [e.iso3 for e in world.unplaced] == ["QQQ"]
    # Kenya is drawn as a link, so it is not also in the grey background.
    assert areas["KEN"].path not in world.background
    assert len(world.background) > 5000


# --- Shares and benchmarks ----------------------------------------------------------------


def rated(**ratings) -> Tally:
    values = {
        "potential_impact": None,
        "completion": None,
        "opened_government": None,
        "specificity": None,
        "relevant": None,
        "starred": False,
    }
    return Tally.of(**(values | ratings))


STAR = {
    "potential_impact": "transformative",
    "completion": "complete",
    "specificity": "high",
    "relevant": True,
    "starred": True,
    "opened_government": "major",
}


def test_a_commitment_not_assessed_counts_in_no_share():
    tally = rated()

    assert tally.commitments == 1
    for metric in benchmarks.METRICS:
        assert metric.share(tally) == Share(0, 0)
        assert metric.share(tally).percent is None


def test_a_starred_commitment_counts_well_on_every_question():
    tally = rated(**STAR)

    assert [metric.share(tally) for metric in benchmarks.METRICS] == [Share(1, 1)] * 4
    assert benchmarks.AMBITION_DONE.share(tally) == Share(1, 1)


def test_no_early_results_yet_is_not_a_rating_of_whether_it_opened_government():
    assert benchmarks.METRICS[3].share(rated(opened_government="no_results_yet")) == Share(0, 0)
    assert benchmarks.METRICS[3].share(rated(opened_government="marginal")) == Share(0, 1)


def test_a_star_needs_every_input_rated_to_count_as_assessed():
    unrated_specificity = rated(**(STAR | {"specificity": None, "starred": False}))

    assert benchmarks.METRICS[2].share(unrated_specificity) == Share(0, 0)


def test_tallies_add_up():
    total = Tally.total([rated(**STAR), rated(potential_impact="minor", completion="limited")])

    assert benchmarks.AMBITION.share(total) == Share(1, 2)
    assert benchmarks.IMPLEMENTATION.share(total).percent == 50


def country(iso3, region="Sub-Saharan Africa", income="Lower middle income", member=True, **wgi):
    fields = {field: wgi.get(field) for field, _code, _label in benchmarks.WGI_DIMENSIONS}
    return SimpleNamespace(
        pk=iso3,
        iso3=iso3,
        name=iso3,
        region=region,
        income_group=income,
        ogp_member=member,
        **fields,
    )


def test_benchmark_sets_the_country_against_peers_of_its_context_and_all_members():
    kenya, ghana, nigeria = country("KEN"), country("GHA"), country("NGA", member=False)
    chile = country("CHL", region="Latin America & Caribbean", income="High income")
    tallies = {
        "KEN": Tally.total([rated(**STAR), rated()]),
        "GHA": rated(potential_impact="minor"),
        "NGA": rated(potential_impact="transformative"),  # not a member: no peer
        "CHL": rated(potential_impact="transformative"),
    }

    result = benchmarks.benchmark(kenya, [kenya, ghana, nigeria, chile], tallies)

    assert (result.commitments, result.peer_count, result.member_count) == (2, 1, 3)
    ambition_row = result.rows[0]
    assert ambition_row.country == Share(1, 1)
    assert ambition_row.not_assessed == 1
    assert ambition_row.peers == Share(0, 1)  # Ghana only
    assert ambition_row.members == Share(2, 3)  # Kenya, Ghana, Chile
    assert [label for label, _share in ambition_row.series] == [
        "KEN",
        "Context peers",
        "All OGP members",
    ]


def test_a_country_without_an_income_group_gets_no_guessed_peers():
    ethiopia = country("ETH", income="")

    result = benchmarks.benchmark(ethiopia, [ethiopia, country("KEN")], {})

    assert result.peer_count == 0
    assert result.rows[0].peers == Share(0, 0)


def test_governance_is_compared_with_the_median_of_the_region():
    kenya = country("KEN", rule_of_law=-0.3)
    region = [kenya, country("GHA", rule_of_law=0.1), country("UGA", rule_of_law=-0.9)]
    elsewhere = country("CHL", region="Latin America & Caribbean", rule_of_law=1.2)

    rows = {
        row.label: row for row in benchmarks.governance_against_region(kenya, [*region, elsewhere])
    }

    assert rows["Rule of law"].median == -0.3
    assert rows["Rule of law"].n == 3
    assert rows["Rule of law"].difference == 0
    assert rows["Voice and accountability"].median is None
    assert rows["Voice and accountability"].difference is None


# --- Ambition against implementation ------------------------------------------------------


def group(name, transformative, impact_rated, done, completion_rated):
    """A group's tally with the given counts (other questions unrated)."""
    return (
        name,
        f"/{name}/",
        Tally(
            commitments=max(impact_rated, completion_rated),
            impact_rated=impact_rated,
            transformative=transformative,
            completion_rated=completion_rated,
            done=done,
        ),
    )


def test_findings_compare_only_groups_with_enough_rated_commitments():
    rows = ambition.group_rows(
        [
            group("Africa", 10, 40, 10, 40),  # 25% ambition, 25% done
            group("Europe", 5, 50, 40, 50),  # 10% ambition, 80% done
            group("Islands", 3, 3, 0, 3),  # 100% ambition, but n = 3
        ]
    )

    assert [row.name for row in rows] == ["Europe", "Africa", "Islands"]
    assert [row.enough for row in rows] == [True, True, False]
    text = ambition.findings(rows)
    assert text[0] == (
        "Ambition was highest in Africa (25% of 40) and lowest in Europe (10% of 50)."
    )
    assert text[1] == (
        "Implementation was highest in Europe (80% of 50) and lowest in Africa (25% of 40)."
    )
    assert "In 1 of the 2 groups with enough data" in text[2]
    assert text[3].startswith("Too few rated commitments to tell (fewer than 20")
    assert text[3].endswith(": Islands (3).")


def test_findings_say_when_nothing_can_be_compared():
    rows = ambition.group_rows([group("Islands", 3, 3, 0, 3), group("Empty", 0, 0, 0, 0)])

    assert [row.name for row in rows] == ["Islands"]  # a group with no commitment is no row
    assert ambition.findings(rows) == [
        "Too few rated commitments to tell (fewer than 20 rated on either question; "
        "the smaller n in brackets): Islands (3)."
    ]
    assert ambition.overall(Tally()) == "No commitment in the data has both ratings yet."
