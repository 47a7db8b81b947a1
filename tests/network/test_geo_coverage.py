"""Distances and the 3-km circle against hand-computed cases, incl. points a few metres either side of 3 km."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smeladder.network import coverage, geo

PEOPLES_SQUARE = (31.2304, 121.4737)


def test_one_degree_of_meridian_is_r_times_pi_over_180():
    expected = geo.EARTH_RADIUS_M * math.pi / 180
    assert geo.haversine_m(31.0, 121.0, 32.0, 121.0) == pytest.approx(expected, rel=1e-12)


def test_one_degree_of_longitude_at_latitude_60_by_hand():
    # Central angle between (60, 0) and (60, 1): cos(c) = sin²60 + cos²60·cos 1°.
    lat = math.radians(60)
    central = math.acos(math.sin(lat) ** 2 + math.cos(lat) ** 2 * math.cos(math.radians(1)))
    assert geo.haversine_m(60, 0, 60, 1) == pytest.approx(geo.EARTH_RADIUS_M * central, rel=1e-9)


def test_chord_and_distance_are_inverse():
    for metres in (0.0, 1.0, 2999.0, 3000.0, 3001.0, 50_000.0):
        assert geo.distance_for_chord(geo.chord_for_distance(metres)) == pytest.approx(metres, abs=1e-6)


@pytest.mark.parametrize("bearing", [0, 45, 90, 180, 270])
@pytest.mark.parametrize(
    ("metres", "covered"), [(2995.0, True), (2999.0, True), (3001.0, False), (3005.0, False)]
)
def test_points_a_few_metres_either_side_of_3_km(bearing, metres, covered):
    lat, lon = geo.destination(*PEOPLES_SQUARE, bearing, metres)
    found = coverage.nearest_station([lat], [lon], [PEOPLES_SQUARE[0]], [PEOPLES_SQUARE[1]])
    assert found.distance_m[0] == pytest.approx(metres, abs=1e-3)
    assert bool(found.covered()[0]) is covered


def test_nearest_of_two_stations():
    east = geo.destination(*PEOPLES_SQUARE, 90, 2000)
    west = geo.destination(*PEOPLES_SQUARE, 270, 5000)
    point = geo.destination(*PEOPLES_SQUARE, 90, 500)
    found = coverage.nearest_station([point[0]], [point[1]], [west[0], east[0]], [west[1], east[1]])
    assert found.index[0] == 1
    assert found.distance_m[0] == pytest.approx(1500, abs=1e-3)


def test_no_station_means_nobody_is_covered():
    found = coverage.nearest_station([31.2], [121.4], [], [])
    assert found.index[0] == -1
    assert not found.covered()[0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(30.7, 31.9), st.floats(120.9, 122.1)), min_size=1, max_size=30),
    st.lists(st.tuples(st.floats(30.7, 31.9), st.floats(120.9, 122.1)), min_size=1, max_size=10),
)
def test_kd_tree_agrees_with_brute_force_haversine(points, stations):
    plat, plon = np.array(points).T
    slat, slon = np.array(stations).T
    found = coverage.nearest_station(plat, plon, slat, slon)
    all_distances = geo.haversine_m(plat[:, None], plon[:, None], slat[None, :], slon[None, :])
    np.testing.assert_allclose(found.distance_m, all_distances.min(axis=1), atol=1e-3)


def _stations() -> pl.DataFrame:
    east = geo.destination(*PEOPLES_SQUARE, 90, 10_000)
    return pl.DataFrame(
        {
            "station_id": ["ST0001", "ST0002"],
            "latitude": [PEOPLES_SQUARE[0], east[0]],
            "longitude": [PEOPLES_SQUARE[1], east[1]],
            "opened_on": [date(2025, 1, 1), date(2025, 6, 1)],
            "closed_on": [None, None],
        },
        schema_overrides={"closed_on": pl.Date},
    )


def _enterprises() -> pl.DataFrame:
    spots = [
        ("A", 0, 1000, "310101", "ss_sme"),
        ("B", 90, 9000, "310115", "little_giant"),
        ("C", 180, 4000, "310101", "none"),
    ]
    rows = []
    for code, bearing, metres, district, tier in spots:
        lat, lon = geo.destination(*PEOPLES_SQUARE, bearing, metres)
        rows.append(
            {
                "credit_code": code,
                "latitude": lat,
                "longitude": lon,
                "district_adcode": district,
                "tier": tier,
            }
        )
    return pl.DataFrame(rows)


def test_coverage_as_of_a_date_follows_openings_and_closings():
    before = coverage.enterprise_coverage(_enterprises(), _stations(), date(2025, 3, 1))
    assert before["nearest_station_id"].to_list() == ["ST0001"] * 3
    assert before["covered"].to_list() == [True, False, False]
    after = coverage.enterprise_coverage(_enterprises(), _stations(), date(2025, 7, 1))
    assert after["nearest_station_id"].to_list() == ["ST0001", "ST0002", "ST0001"]
    assert after["covered"].to_list() == [True, True, False]
    assert after["distance_m"].to_list() == pytest.approx([1000, 1000, 4000], abs=1e-3)
    closed = _stations().with_columns(pl.lit(date(2025, 7, 1)).alias("closed_on"))
    nothing = coverage.enterprise_coverage(_enterprises(), closed, date(2025, 7, 1))
    assert nothing["nearest_station_id"].null_count() == 3
    assert not nothing["covered"].any()


def test_coverage_share_by_district_and_tier():
    per_enterprise = coverage.enterprise_coverage(_enterprises(), _stations(), date(2025, 7, 1))
    by_district = {
        r["district_adcode"]: r for r in coverage.coverage_share(per_enterprise, "district_adcode").to_dicts()
    }
    assert by_district["310101"]["enterprises"] == 2
    assert by_district["310101"]["share"] == pytest.approx(0.5)
    assert by_district["310115"]["share"] == pytest.approx(1.0)
    overall = coverage.coverage_share(per_enterprise).row(0, named=True)
    assert (overall["covered"], overall["uncovered"]) == (2, 1)
    by_tier = coverage.coverage_share(per_enterprise, "tier")
    assert by_tier["tier"].to_list()[0] == "none"  # worst-covered first


def test_uncovered_cells_count_the_gap():
    per_enterprise = coverage.enterprise_coverage(_enterprises(), _stations(), date(2025, 3, 1))
    cells = coverage.uncovered_cells(per_enterprise, resolution=7)
    assert cells["uncovered"].sum() == 2
    assert set(cells.columns) == {"h3_cell", "uncovered", "latitude", "longitude"}
