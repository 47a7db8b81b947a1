"""services/coverage.py: the 3-km circle's figures add up by every grouping, the gaps are exactly the SMEs
outside the radius, district rows carry their names, and the map is by district."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smeladder.errors import InvalidInput, NotFound
from smeladder.registry import districts
from smeladder.services import coverage

from .network_data import AS_OF, build, context


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return build(tmp_path_factory.mktemp("coverage"))


@pytest.fixture(scope="module")
def by_district(home):
    return coverage.coverage(context(home), "district", AS_OF, gaps=True)


@pytest.mark.parametrize("by", ["district", "tier", "track"])
def test_the_groups_add_up_to_the_whole(home, by_district, by):
    result = coverage.coverage(context(home), by, AS_OF)
    overall = result.overall
    assert overall == by_district.overall
    assert sum(row.enterprises for row in result.rows) == overall.enterprises
    assert sum(row.covered for row in result.rows) == overall.covered
    for row in (overall, *result.rows):
        assert row.covered + row.uncovered == row.enterprises
        assert row.share == pytest.approx(row.covered / row.enterprises)
    assert [row.share for row in result.rows] == sorted(row.share for row in result.rows)  # worst first
    columns = {"district": "district_adcode", "tier": "tier", "track": "industrial_track"}[by]
    assert next(iter(result.table()[0])) == columns
    assert len({row[columns] for row in result.table()}) == len(result.rows)


def test_district_rows_carry_their_names(by_district):
    names = districts.by_adcode()
    for row in by_district.rows:
        assert (row.district, row.district_zh) == (names[row.district_adcode].name_en,
                                                   names[row.district_adcode].name_zh)  # fmt: skip
    assert set(by_district.table()[0]) >= {"district_adcode", "district", "district_zh", "share"}


def test_the_gaps_are_the_smes_outside_the_radius(by_district):
    gaps = by_district.uncovered
    assert len(gaps) == by_district.overall.uncovered
    assert all(g.distance_m is None or g.distance_m > by_district.radius_m for g in gaps)
    assert [g.distance_m for g in gaps] == sorted(
        (g.distance_m for g in gaps), reverse=True
    )  # farthest first
    assert sum(cell.uncovered for cell in by_district.gap_cells) == len(gaps)
    per_district = {row.district_adcode: row.uncovered for row in by_district.rows}
    for adcode, count in per_district.items():
        assert sum(1 for g in gaps if g.district_adcode == adcode) == count


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(min_value=200, max_value=8_000), st.floats(min_value=0, max_value=4_000))
def test_a_wider_circle_never_covers_fewer(home, radius, more):
    ctx = context(home)
    narrow = coverage.coverage(ctx, "district", AS_OF, radius_m=radius)
    wide = coverage.coverage(ctx, "district", AS_OF, radius_m=radius + more)
    assert wide.overall.covered >= narrow.overall.covered
    assert {r.district_adcode: r.covered for r in wide.rows}.keys() == {
        r.district_adcode for r in narrow.rows
    }
    for before in narrow.rows:
        after = next(r for r in wide.rows if r.district_adcode == before.district_adcode)
        assert after.covered >= before.covered


def test_the_map_is_by_district(home, by_district):
    layer = coverage.coverage_geojson(by_district)
    assert len(layer["features"]) == 16
    figures = {row.district_adcode: row for row in by_district.rows}
    for feature in layer["features"]:
        row = figures.get(feature["properties"]["adcode"])
        if row is not None:
            assert feature["properties"]["share"] == row.share
    with pytest.raises(InvalidInput, match="by district"):
        coverage.coverage_geojson(coverage.coverage(context(home), "tier", AS_OF))
    cells = coverage.gap_cells_geojson(by_district)
    assert sum(f["properties"]["uncovered"] for f in cells["features"]) == by_district.overall.uncovered
    with pytest.raises(InvalidInput, match="without its gaps"):
        coverage.gap_cells_geojson(coverage.coverage(context(home), "district", AS_OF))


def test_the_result_is_its_own_json_contract(by_district):
    assert type(by_district).model_validate_json(by_district.model_dump_json()) == by_district


def test_bad_requests(home, tmp_path):
    with pytest.raises(InvalidInput, match="choose one of district, tier, track"):
        coverage.coverage(context(home), "street", AS_OF)
    with pytest.raises(InvalidInput, match="radius"):
        coverage.coverage(context(home), "district", AS_OF, radius_m=0)
    with pytest.raises(NotFound) as missing:
        coverage.coverage(context(tmp_path), "district", AS_OF)
    assert missing.value.next_action == "import_registry"
