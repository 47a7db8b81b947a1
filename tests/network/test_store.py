"""Station and partner import: the registry's validation rules, whole-file rejection, upsert by key."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from smeladder.network import partners, points, stations
from smeladder.network.store import ImportRejected, NetworkStore, table_for
from smeladder.registry import files


@pytest.fixture(scope="module")
def station_rows():
    lat, lon, _ = points.enterprise_points(3000, seed=5)
    return stations.synthesize_stations(lat, lon, n=40, seed=5)


def test_synthetic_stations_are_valid_and_inside_their_districts(tmp_path, station_rows):
    path = files.write_table(station_rows, tmp_path / "station.csv", "csv")
    store = NetworkStore(tmp_path / "data")
    assert store.import_files([path]) == {"station.csv": (station_rows.num_rows, 0)}
    loaded = store.stations()
    assert loaded.height == station_rows.num_rows
    assert loaded["opened_on"].dtype == pl.Date
    # Importing the same file again replaces rows by key: nothing new.
    assert store.import_files([path]) == {"station.csv": (0, station_rows.num_rows)}


def test_synthetic_partners_import_from_xlsx(tmp_path):
    rows = partners.synthesize_partners(60, seed=3)
    path = files.write_table(rows, tmp_path / "partner.xlsx", "xlsx")
    store = NetworkStore(tmp_path / "data")
    store.import_files([path])
    assert store.partners().height == 60


def _bad_stations(station_rows) -> pl.DataFrame:
    frame = pl.from_arrow(station_rows).with_columns(pl.all().cast(pl.String))
    first = frame.row(0, named=True)
    other_district = "310151" if first["district_adcode"] != "310151" else "310101"
    edits = {
        0: {"latitude": "40.1"},
        1: {"services": "policy_consulting;massage"},
        2: {"closed_on": "2020-01-01"},
        3: {"district_adcode": other_district},
        4: {"opened_on": "2025-13-01"},
    }
    rows = frame.to_dicts()
    for index, change in edits.items():
        rows[index].update(change)
    if rows[3]["district_adcode"] == frame.row(3, named=True)["district_adcode"]:
        rows[3]["district_adcode"] = "310101"
    return pl.DataFrame(rows, schema=frame.schema)


def test_a_file_with_errors_is_rejected_whole_and_every_error_is_named(tmp_path, station_rows):
    store = NetworkStore(tmp_path / "data")
    good = files.write_table(station_rows, tmp_path / "station.parquet", "parquet")
    store.import_files([good])
    before = store.stations()
    bad = tmp_path / "station-update.csv"
    _bad_stations(station_rows).write_csv(bad)
    with pytest.raises(ImportRejected) as caught:
        store.import_files([bad])
    errors = caught.value.errors.to_pylist()
    found = {(e["row"], e["field"], e["rule"]) for e in errors}
    assert (2, "latitude", "out_of_range") in found
    assert (3, "services", "pattern") in found
    assert (4, "closed_on", "closed_after_opened") in found
    assert (5, "latitude+longitude", "location_outside_district") in found
    assert (6, "opened_on", "wrong_type") in found
    assert all(e["file"] == "station-update.csv" and e["message"] for e in errors)
    assert next(e for e in errors if e["rule"] == "out_of_range")["value"] == "40.1"
    assert caught.value.report is not None and caught.value.report.exists()
    assert store.stations().equals(before)


def test_missing_and_unknown_columns_are_header_errors(tmp_path, station_rows):
    frame = pl.from_arrow(station_rows).drop("address").with_columns(pl.lit("x").alias("colour"))
    path = tmp_path / "station.csv"
    frame.write_csv(path)
    with pytest.raises(ImportRejected) as caught:
        NetworkStore(tmp_path / "data").import_files([path])
    rules = {(e["field"], e["rule"]) for e in caught.value.errors.to_pylist()}
    assert {("address", "missing_column"), ("colour", "unknown_column")} <= rules


def test_partner_rules(tmp_path):
    frame = pl.from_arrow(partners.synthesize_partners(5, seed=1)).with_columns(pl.all().cast(pl.String))
    rows = frame.to_dicts()
    rows[0]["kind"] = "astrologer"
    rows[1]["longitude"] = None
    rows[2]["credit_code"] = "91310000MA1K00000X"
    path = tmp_path / "partners.csv"
    pl.DataFrame(rows, schema=frame.schema).write_csv(path)
    with pytest.raises(ImportRejected) as caught:
        NetworkStore(tmp_path / "data").import_files([path])
    rules = {(e["row"], e["rule"]) for e in caught.value.errors.to_pylist()}
    assert (2, "not_allowed_value") in rules
    assert (3, "location_complete") in rules
    assert (4, "invalid_credit_code") in rules


def test_table_is_told_by_file_name(tmp_path):
    from pathlib import Path

    assert table_for(Path("stations-2026.xlsx")) == "station"
    assert table_for(Path("partner.csv")) == "partner"
    with pytest.raises(files.UnreadableFile):
        table_for(Path("enterprise.csv"))


def test_find_partners_by_kind_service_and_date():
    rows = pl.from_arrow(partners.synthesize_partners(200, seed=2))
    listed_by = {"digital_transformation": "M4.1"}
    digital = partners.find_partners(rows, dt.date(2026, 6, 1), listed_by, kind="digital_transformation")
    assert digital.height > 0
    assert set(digital["measure"]) == {"M4.1"}
    assert set(
        partners.find_partners(rows, dt.date(2026, 6, 1), listed_by, kind="going_global")["measure"]
    ) == {None}
    early = partners.find_partners(rows, dt.date(2022, 12, 31), listed_by)
    assert early.height == 0
    legal = partners.find_partners(rows, dt.date(2026, 6, 1), listed_by, service="legal_compliance")
    assert all("legal_compliance" in s.split(";") for s in legal["services"])
    with pytest.raises(ValueError, match="unknown partner kind"):
        partners.find_partners(rows, dt.date(2026, 6, 1), listed_by, kind="nope")


def test_stations_follow_enterprises_and_open_in_waves(station_rows):
    assert station_rows.num_rows == 40
    opened = np.array(station_rows["opened_on"].to_pylist())
    assert opened.min() >= stations.FIRST_OPENING
    assert len(set(station_rows["station_id"].to_pylist())) == 40
