"""services/stations.py: the nearest-station lookup and its 3-km verdict (M6.2b), synthetic sets that import
back, rejected imports that name the bad row and change nothing, listings by date, district and kind."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import pyarrow as pa
import pytest

from smeladder.errors import InvalidInput, NotFound
from smeladder.network import geo
from smeladder.network.schema import STATION, arrow_schema
from smeladder.registry import districts
from smeladder.registry.store import STORE_FILE
from smeladder.services import stations

from .network_data import AS_OF, build, context


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return build(tmp_path_factory.mktemp("stations"))


@pytest.fixture
def registry_only(home, tmp_path):
    """A data directory with the registry and no network store."""
    shutil.copy(home / STORE_FILE, tmp_path / STORE_FILE)
    return tmp_path


def _enterprise(home):
    con = context(home).registry.connect(read_only=True)
    try:
        return con.execute(
            "SELECT credit_code, latitude, longitude FROM enterprise ORDER BY credit_code LIMIT 1"
        ).fetchone()
    finally:
        con.close()


def _station(station_id, latitude, longitude, opened_on=dt.date(2024, 1, 1), closed_on=None):
    adcode = districts.adcodes()[0]
    return {
        "station_id": station_id,
        "name_zh": f"测试站{station_id}",
        "name_en": None,
        "address": "上海市",
        "latitude": latitude,
        "longitude": longitude,
        "district_adcode": adcode,
        "operator": "park",
        "operator_name": None,
        "opening_hours": None,
        "services": "financing",
        "capacity_per_week": 10,
        "phone": None,
        "opened_on": opened_on,
        "closed_on": closed_on,
    }


def test_nearest_are_the_closest_open_stations_by_great_circle_distance(home):
    code, lat, lon = _enterprise(home)
    found = stations.nearest(context(home), code, count=4, as_of=AS_OF)
    every = stations.list_stations(context(home), AS_OF).stations
    distances = sorted(
        (float(geo.haversine_m(lat, lon, s.latitude, s.longitude)), s.station_id) for s in every
    )
    assert [s.station_id for s in found.stations] == [station_id for _, station_id in distances[:4]]
    assert [s.distance_m for s in found.stations] == pytest.approx([d for d, _ in distances[:4]])
    assert found.covered == (distances[0][0] <= 3_000)
    assert found.district == districts.by_adcode()[found.district_adcode].name_en


@pytest.mark.parametrize(("metres", "covered"), [(2_999.0, True), (3_001.0, False)])
def test_the_3km_circle_counts_a_station_at_most_3000_metres_away(home, registry_only, metres, covered):
    code, lat, lon = _enterprise(home)
    near_lat, near_lon = geo.destination(lat, lon, 90.0, metres)
    # A nearer station that opens only after the date, and one that closed before it, do not count.
    not_yet_lat, not_yet_lon = geo.destination(lat, lon, 0.0, 10.0)
    rows = [
        _station("ST_AT", float(near_lat), float(near_lon)),
        _station("ST_LATER", float(not_yet_lat), float(not_yet_lon), opened_on=AS_OF + dt.timedelta(days=1)),
        _station("ST_CLOSED", float(not_yet_lat), float(not_yet_lon), closed_on=AS_OF),
    ]
    ctx = context(registry_only)
    ctx.network.replace("station", pa.Table.from_pylist(rows, schema=arrow_schema(STATION)))
    found = stations.nearest(ctx, code, count=3, as_of=AS_OF)
    assert [s.station_id for s in found.stations] == ["ST_AT"]
    assert found.stations[0].distance_m == pytest.approx(metres, abs=0.01)
    assert found.covered is covered


def test_nearest_says_what_is_missing(home, registry_only, tmp_path):
    code, _, _ = _enterprise(home)
    with pytest.raises(NotFound, match="no enterprise with credit code"):
        stations.nearest(context(home), "91310104MA0000000X", as_of=AS_OF)
    with pytest.raises(NotFound) as no_stations:
        stations.nearest(context(registry_only), code, as_of=AS_OF)
    assert no_stations.value.next_action == "synth_stations"
    with pytest.raises(NotFound) as no_registry:
        stations.nearest(context(tmp_path / "empty"), code, as_of=AS_OF)
    assert no_registry.value.next_action == "import_registry"
    with pytest.raises(NotFound, match="no station is open on 2020-01-01"):
        stations.nearest(context(home), code, as_of=dt.date(2020, 1, 1))
    with pytest.raises(InvalidInput, match="count 0"):
        stations.nearest(context(home), code, count=0)


def test_synthesized_files_import_back_as_they_were(home, registry_only, tmp_path):
    made = stations.synthesize(context(home), 40, 30, seed=5, out=tmp_path / "files", fmt="csv")
    assert made.near_registry and made.store is None and len(made.files) == 2
    steps = []
    ctx = context(registry_only)
    imported = stations.import_files(ctx, [tmp_path / "files" / "station.csv", tmp_path / "files" / "partner.csv"],
                                     progress=lambda what, done: steps.append(done))  # fmt: skip
    assert {(f.inserted, f.updated) for f in imported.files} == {(40, 0), (30, 0)}
    assert steps == list(range(len(steps))) and steps
    assert len(stations.list_stations(ctx, include_closed=True).stations) == 40
    again = stations.import_files(ctx, [tmp_path / "files" / "station.csv"])
    assert [(f.inserted, f.updated) for f in again.files] == [(0, 40)]


def test_a_rejected_import_names_the_bad_row_and_changes_nothing(home, registry_only, tmp_path):
    stations.synthesize(context(home), 10, 0, seed=5, out=tmp_path / "files")
    path = tmp_path / "files" / "station.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[3]["closed_on"] = "2020-01-01"  # before it opened
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    ctx = context(registry_only)
    stations.synthesize(ctx, 7, 0, seed=9)
    before = stations.list_stations(ctx, include_closed=True)
    with pytest.raises(InvalidInput, match="nothing was imported") as rejected:
        stations.import_files(ctx, [path])
    assert [(d["row"], d["rule"]) for d in rejected.value.details] == [
        (5, "closed_after_opened")
    ]  # header = 1
    assert stations.list_stations(ctx, include_closed=True) == before


def test_listings_by_date_district_and_kind(home):
    ctx = context(home)
    every = stations.list_stations(ctx, AS_OF, include_closed=True).stations
    open_now = stations.list_stations(ctx, AS_OF).stations
    assert {s.station_id for s in open_now} == {
        s.station_id for s in every if s.opened_on <= AS_OF and (s.closed_on is None or s.closed_on > AS_OF)
    }
    adcode = open_now[0].district_adcode
    in_district = stations.list_stations(ctx, AS_OF, district=adcode).stations
    assert in_district and {s.district_adcode for s in in_district} == {adcode}
    with pytest.raises(InvalidInput, match="16 district codes"):
        stations.list_stations(ctx, AS_OF, district="310199")
    # Each kind of partner is on the list of the measure that asks for it (MEASURES.md).
    measures = {"service_partner": "M6.2b", "digital_transformation": "M4.1", "professional_service": "M6.2c",
                "going_global": "M5.3"}  # fmt: skip
    listed = stations.find_partners(ctx, as_of=AS_OF).partners
    assert {p.kind for p in listed} == set(measures)
    assert all(p.measure == measures[p.kind] for p in listed)
    assert all(p.listed_on <= AS_OF and (p.delisted_on is None or p.delisted_on > AS_OF) for p in listed)
    digital = stations.find_partners(ctx, kind="digital_transformation", as_of=AS_OF).partners
    assert digital and {p.kind for p in digital} == {"digital_transformation"}
    with pytest.raises(InvalidInput, match="unknown partner kind"):
        stations.find_partners(ctx, kind="bank")


def test_geojson_of_a_listing(home):
    listing = stations.list_stations(context(home), AS_OF)
    points = stations.stations_geojson(listing)
    assert [f["properties"]["station_id"] for f in points["features"]] == [
        s.station_id for s in listing.stations
    ]
    first = points["features"][0]["geometry"]["coordinates"]
    assert first == [listing.stations[0].longitude, listing.stations[0].latitude]  # RFC 7946: lon, lat
    circles = stations.stations_geojson(listing, circles=True)
    assert {f["geometry"]["type"] for f in circles["features"]} == {"Polygon"}
