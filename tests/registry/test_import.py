"""Import validation, all-or-nothing, idempotence, corrections with history, quarantine, export round trip."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pyarrow.compute as pc
import pytest

from smeladder.registry import files
from smeladder.registry.dirt import as_text
from smeladder.registry.store import ImportRejected, RegistryStore
from smeladder.registry.synth import synthesize
from smeladder.rules.locate import find_pack

YEARS = range(2023, 2026)


@pytest.fixture(scope="module")
def small_registry():
    return synthesize(400, YEARS, seed=21)


@pytest.fixture
def store(tmp_path) -> RegistryStore:
    return RegistryStore(tmp_path / "home")


def write_rows(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def text_rows(table) -> list[dict]:
    return [{k: ("" if v is None else v) for k, v in row.items()} for row in as_text(table).to_pylist()]


def snapshot(store: RegistryStore) -> dict[str, list]:
    con = store.connect()
    try:
        tables = ("enterprise", "enterprise_year", "title", "exclusion", "change_history")
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
    finally:
        con.close()


@pytest.fixture
def loaded(store, small_registry, tmp_path) -> RegistryStore:
    store.import_files(files.write_tables(small_registry, tmp_path / "in", "parquet"))
    return store


# --- one test per validation rule ------------------------------------------------------------------------------

CASES = [
    # (table, field, bad value, rule)
    ("enterprise", "credit_code", "91310115MA0000007X", "invalid_credit_code"),
    ("enterprise", "credit_code", "9131011", "invalid_credit_code"),
    ("enterprise", "district_adcode", "310199", "unknown_district"),
    ("enterprise", "latitude", "12.5", "out_of_range"),
    ("enterprise", "latitude", "north", "wrong_type"),
    ("enterprise", "founded_on", "2019-02-30", "wrong_type"),
    ("enterprise", "founded_on", "03/04/2019", "wrong_type"),
    ("enterprise", "size_class", "huge", "not_allowed_value"),
    ("enterprise", "industry_code", "3562", "pattern"),
    ("enterprise", "listed", "maybe", "wrong_type"),
    ("enterprise", "name_zh", "", "required"),
    ("enterprise_year", "operating_revenue", "-5.00", "out_of_range"),
    ("enterprise_year", "operating_revenue", "12.3e4", "wrong_type"),
    ("enterprise_year", "rd_expense", "1.2万", "wrong_type"),
    ("enterprise_year", "fiscal_year", "1899", "out_of_range"),
    ("enterprise_year", "fiscal_year", "2099", "out_of_range"),
    ("enterprise_year", "fiscal_year", "2024.5", "wrong_type"),
    ("enterprise_year", "employees", "-1", "out_of_range"),
    ("enterprise_year", "digitalization_level", "7", "out_of_range"),
    ("enterprise_year", "certifications", "iso 9001", "pattern"),
    ("enterprise_year", "niche_market_share", "120", "out_of_range"),
    ("enterprise_year", "credit_code", "91310115MA0000007H", "unknown_enterprise"),
    ("title", "title", "best_company", "not_allowed_value"),
    ("title", "level", "galactic", "not_allowed_value"),
    ("title", "valid_to", "2001-01-01", "valid_to_after_valid_from"),
    ("exclusion", "kind", "late_filing", "not_allowed_value"),
    ("exclusion", "start_on", "yesterday", "wrong_type"),
]


@pytest.mark.parametrize(
    ("table", "field", "value", "rule"), CASES, ids=[f"{c[0]}.{c[1]}={c[2]}" for c in CASES]
)
def test_each_rule_names_file_row_field_value_and_rule(
    store, small_registry, tmp_path, table, field, value, rule
):
    if table != "enterprise":  # the other tables need their enterprises in the store
        store.import_files(
            [files.write_table(small_registry["enterprise"], tmp_path / "enterprise.parquet", "parquet")]
        )
    rows = text_rows(small_registry[table])[:5]
    rows[3][field] = value
    path = write_rows(tmp_path / f"{table}.csv", rows)
    before = snapshot(store)
    with pytest.raises(ImportRejected) as rejected:
        store.import_files([path], choices=pack_choices())
    errors = rejected.value.errors.to_pylist()
    matching = [e for e in errors if e["rule"] == rule]
    assert matching, errors
    error = matching[0]
    assert error["file"] == f"{table}.csv"
    assert error["row"] == 5  # header is row 1, so the fourth record is row 5
    assert error["field"] == field
    assert error["value"] == (value or None)
    assert error["message"]
    assert snapshot(store) == before
    assert rejected.value.report.exists()
    assert rejected.value.report.with_suffix(".xlsx").exists()


def test_liabilities_without_assets_are_refused(loaded, small_registry, tmp_path):
    rows = text_rows(small_registry["enterprise_year"])[:3]
    rows[0]["total_assets"] = "0.00"
    rows[0]["total_liabilities"] = "500000.00"
    with pytest.raises(ImportRejected) as rejected:
        loaded.import_files([write_rows(tmp_path / "enterprise_year.csv", rows)])
    assert [e["rule"] for e in rejected.value.errors.to_pylist()] == ["liabilities_need_assets"]


def test_duplicate_key_points_at_the_first_row(loaded, small_registry, tmp_path):
    rows = text_rows(small_registry["enterprise_year"])[:3]
    rows.append(dict(rows[1]))
    with pytest.raises(ImportRejected) as rejected:
        loaded.import_files([write_rows(tmp_path / "enterprise_year.csv", rows)])
    (error,) = rejected.value.errors.to_pylist()
    assert (error["rule"], error["row"], error["message"]) == ("duplicate_key", 5, "same key as row 3")


def test_unknown_and_missing_columns_are_header_errors(store, small_registry, tmp_path):
    rows = text_rows(small_registry["enterprise"])[:2]
    for row in rows:
        row["turnover"] = "1"
        del row["name_zh"]
    with pytest.raises(ImportRejected) as rejected:
        store.import_files([write_rows(tmp_path / "enterprise.csv", rows)])
    found = {(e["rule"], e["field"], e["row"]) for e in rejected.value.errors.to_pylist()}
    assert ("unknown_column", "turnover", 1) in found
    assert ("missing_column", "name_zh", 1) in found


def test_a_file_whose_name_names_no_table_is_refused(store, small_registry, tmp_path):
    path = write_rows(tmp_path / "data.csv", text_rows(small_registry["enterprise"])[:2])
    with pytest.raises(files.UnreadableFile, match="cannot tell which table"):
        store.import_files([path])
    assert store.import_files([path], table="enterprise").files[0].inserted == 2


# --- all or nothing, idempotence, corrections, quarantine -------------------------------------------------------


def test_one_bad_row_among_ten_thousand_leaves_the_store_as_it_was(tmp_path):
    store = RegistryStore(tmp_path / "home")
    registry = synthesize(2_000, range(2021, 2026), seed=8)  # 10,000 enterprise-years
    store.import_files(
        [files.write_table(registry["enterprise"], tmp_path / "enterprise.parquet", "parquet")]
    )
    years = registry["enterprise_year"]
    assert years.num_rows == 10_000
    revenue = years["operating_revenue"].to_pylist()
    revenue[7_777] = Decimal("-1.00")
    bad = years.set_column(years.schema.get_field_index("operating_revenue"), "operating_revenue", [revenue])
    before = snapshot(store)
    with pytest.raises(ImportRejected) as rejected:
        store.import_files([files.write_table(bad, tmp_path / "enterprise_year.parquet", "parquet")])
    errors = rejected.value.errors.to_pylist()
    assert {e["row"] for e in errors} == {7_779}
    assert "out_of_range" in {e["rule"] for e in errors}
    assert snapshot(store) == before


def test_reimporting_the_same_data_changes_nothing(loaded, small_registry, tmp_path):
    before = snapshot(loaded)
    outcome = loaded.import_files(files.write_tables(small_registry, tmp_path / "again", "csv"))
    assert all(f.inserted == 0 and f.updated == 0 and f.unchanged == f.rows_read for f in outcome.files)
    assert snapshot(loaded) == before


def test_a_correction_replaces_the_figures_and_keeps_history(loaded, small_registry, tmp_path):
    rows = text_rows(small_registry["enterprise_year"])[:2]
    code, year = rows[0]["credit_code"], rows[0]["fiscal_year"]
    old_revenue = rows[0]["operating_revenue"]
    rows[0]["operating_revenue"] = str(Decimal(old_revenue) + Decimal("1000.01"))
    outcome = loaded.import_files([write_rows(tmp_path / "enterprise_year.csv", rows)])
    assert (outcome.files[0].updated, outcome.files[0].unchanged) == (1, 1)
    con = loaded.connect(read_only=True)
    try:
        (revenue,) = con.execute(
            "SELECT operating_revenue FROM enterprise_year WHERE credit_code = ? AND fiscal_year = ?",
            [code, int(year)],
        ).fetchone()
        history = con.execute("SELECT record_key, field, old_value, new_value FROM change_history").fetchall()
    finally:
        con.close()
    assert revenue == Decimal(old_revenue) + Decimal("1000.01")
    assert history == [(f"{code}|{year}", "operating_revenue", old_revenue, rows[0]["operating_revenue"])]


def test_quarantine_imports_the_good_rows_and_keeps_the_bad_aside(store, small_registry, tmp_path):
    rows = text_rows(small_registry["enterprise"])[:10]
    rows[2]["district_adcode"] = "999999"
    years = [
        r
        for r in text_rows(small_registry["enterprise_year"])
        if r["credit_code"] in {x["credit_code"] for x in rows}
    ]
    outcome = store.import_files(
        [write_rows(tmp_path / "enterprise.csv", rows), write_rows(tmp_path / "enterprise_year.csv", years)],
        quarantine=True,
    )
    enterprise_outcome = outcome.files[0]
    assert (enterprise_outcome.inserted, enterprise_outcome.quarantined) == (9, 1)
    con = store.connect(read_only=True)
    try:
        kept = con.execute("SELECT row, field, rule FROM quarantine ORDER BY row").fetchall()
        orphans = con.execute(
            "SELECT count(*) FROM enterprise_year y WHERE NOT EXISTS "
            "(SELECT 1 FROM enterprise e WHERE e.credit_code = y.credit_code)"
        ).fetchone()[0]
    finally:
        con.close()
    assert (4, "district_adcode", "unknown_district") in kept
    # The quarantined enterprise's years are quarantined too, never imported as orphans.
    assert orphans == 0
    assert any(rule == "unknown_enterprise" for _, _, rule in kept)


@pytest.mark.parametrize("fmt", files.FORMATS)
def test_export_writes_what_import_reads(loaded, tmp_path, fmt):
    before = snapshot(loaded)
    written = loaded.export(tmp_path / "out", fmt)
    assert sorted(p.name for p in written) == sorted(
        f"{t}.{fmt}" for t in ("enterprise", "enterprise_year", "title", "exclusion", "application")
    )
    fresh = RegistryStore(tmp_path / "fresh")
    fresh.import_files(written)
    assert snapshot(fresh) == before
    outcome = loaded.import_files(written)
    assert sum(f.updated + f.inserted for f in outcome.files) == 0


def test_dirty_synthetic_files_are_caught(store, tmp_path):
    dirty = synthesize(400, YEARS, seed=2, dirty_rate=0.05)
    with pytest.raises(ImportRejected) as rejected:
        store.import_files(files.write_tables(dirty, tmp_path / "dirty", "csv"), choices=pack_choices())
    rules = set(pc.unique(rejected.value.errors["rule"]).to_pylist())
    assert {"invalid_credit_code", "out_of_range", "duplicate_key", "not_allowed_value"} <= rules


def pack_choices() -> dict[str, tuple[str, ...]]:
    """The values the Shanghai pack declares for the registry (what the service layer hands the import)."""
    pack = find_pack("shanghai")
    return {"title.title": tuple(pack.ladder.titles), "application.measure": pack.measures.application_types}


def test_a_column_the_pack_declares_takes_what_the_caller_hands_in(store, small_registry, tmp_path):
    store.import_files(
        [files.write_table(small_registry["enterprise"], tmp_path / "enterprise.parquet", "parquet")]
    )
    rows = text_rows(small_registry["title"])[:2]
    rows[1]["title"] = "regional_star"
    path = write_rows(tmp_path / "title.csv", rows)
    allowed = pack_choices()["title.title"]
    with pytest.raises(ImportRejected) as rejected:
        store.import_files([path], choices={"title.title": allowed})
    found = [(e["value"], e["rule"]) for e in rejected.value.errors.to_pylist()]
    assert found == [("regional_star", "not_allowed_value")]
    outcome = store.import_files([path], choices={"title.title": (*allowed, "regional_star")})
    assert outcome.files[0].inserted == 2


def test_tables_are_kept_in_key_order_for_fast_lookups(store, small_registry, tmp_path):
    # Zone maps only prune row groups when a table is physically sorted by credit code.
    shuffled = small_registry["enterprise"].take(list(reversed(range(small_registry["enterprise"].num_rows))))
    store.import_files([files.write_table(shuffled, tmp_path / "enterprise.parquet", "parquet")])
    con = store.connect(read_only=True)
    try:
        stored = [c for (c,) in con.execute("SELECT credit_code FROM enterprise").fetchall()]
    finally:
        con.close()
    assert stored == sorted(stored)


def test_a_registry_made_before_a_column_existed_gains_it_and_keeps_its_rows(store, small_registry, tmp_path):
    enterprise = small_registry["enterprise"]
    store.import_files([files.write_table(enterprise, tmp_path / "enterprise.parquet", "parquet")])
    con = store.connect()
    try:  # the file as a version without the account columns left it
        for column in ("bank_account_name", "bank_account_no", "bank_name"):
            con.execute(f"ALTER TABLE enterprise DROP COLUMN {column}")
    finally:
        con.close()
    rows = text_rows(enterprise)[:1]
    code = rows[0]["credit_code"]
    rows[0].update(
        bank_account_name="某某科技有限公司", bank_account_no="6222020200112233", bank_name="工商银行"
    )
    outcome = store.import_files([write_rows(tmp_path / "enterprise.csv", rows)])
    assert outcome.files[0].updated == 1
    con = store.connect(read_only=True)
    try:
        stored = con.execute(
            "SELECT bank_account_no, bank_name FROM enterprise WHERE credit_code = ?", [code]
        ).fetchone()
        count = con.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    finally:
        con.close()
    assert stored == ("6222020200112233", "工商银行")
    assert count == enterprise.num_rows
