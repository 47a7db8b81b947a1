"""Import never changes a value without saying so (issue 14 §1): one test per class of silent change.

Each class was accepted with a value changed or lost, or refused with a traceback; the rule each test holds is
the one docs/data-format.md states.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from smeladder import errors
from smeladder.registry import credit_code, files
from smeladder.registry.dirt import as_text
from smeladder.registry.store import ImportRejected, RegistryStore
from smeladder.registry.synth import synthesize


@pytest.fixture(scope="module")
def registry():
    return synthesize(20, range(2024, 2026), seed=12)


@pytest.fixture
def store(tmp_path) -> RegistryStore:
    return RegistryStore(tmp_path / "home")


@pytest.fixture
def loaded(store, registry, tmp_path) -> RegistryStore:
    store.import_files(files.write_tables(registry, tmp_path / "clean", "parquet"))
    return store


def rows_of(table) -> list[dict]:
    return [{k: ("" if v is None else v) for k, v in row.items()} for row in as_text(table).to_pylist()]


def write_csv(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def query(store: RegistryStore, sql: str, *params) -> list[tuple]:
    con = store.connect(read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def rejected_rules(store, paths, **options) -> set[tuple[str, str, str]]:
    with pytest.raises(ImportRejected) as rejected:
        store.import_files(paths, **options)
    return {(e["field"], e["value"], e["rule"]) for e in rejected.value.errors.to_pylist()}


# --- numbers ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["1,5", "1,2,3,4", "12,34.5", ",123", "1,23"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused(loaded, registry, tmp_path, written):
    years = rows_of(registry["enterprise_year"])
    years[0]["net_profit"] = written
    path = write_csv(tmp_path / "enterprise_year.csv", years)
    assert ("net_profit", written, "wrong_type") in rejected_rules(loaded, [path])


def test_thousands_separators_between_groups_of_three_are_read(loaded, registry, tmp_path):
    years = rows_of(registry["enterprise_year"])
    years[0]["net_profit"] = "-1,234,567.89"
    loaded.import_files([write_csv(tmp_path / "enterprise_year.csv", years)])
    first = years[0]
    assert query(
        loaded,
        "SELECT net_profit FROM enterprise_year WHERE credit_code = ? AND fiscal_year = ?",
        first["credit_code"],
        int(first["fiscal_year"]),
    ) == [(Decimal("-1234567.89"),)]


# --- absent columns, cleared cells, history ----------------------------------------------------------------------


def test_a_file_without_an_optional_column_leaves_that_column_as_stored(loaded, registry, tmp_path):
    before = dict(query(loaded, "SELECT credit_code, address FROM enterprise"))
    assert any(before.values())
    rows = [{k: v for k, v in row.items() if k != "address"} for row in rows_of(registry["enterprise"])]
    rows[0]["name_zh"] = rows[0]["name_zh"] + "（更名）"
    outcome = loaded.import_files([write_csv(tmp_path / "enterprise.csv", rows)])
    assert outcome.files[0].updated == 1
    assert dict(query(loaded, "SELECT credit_code, address FROM enterprise")) == before
    history = query(loaded, "SELECT record_key, field FROM change_history")
    assert history == [(rows[0]["credit_code"], "name_zh")]


def test_an_empty_cell_in_a_present_column_clears_the_value_and_history_keeps_it(loaded, registry, tmp_path):
    rows = rows_of(registry["enterprise"])
    target = next(row for row in rows if row["address"])
    target["address"] = ""
    loaded.import_files([write_csv(tmp_path / "enterprise.csv", rows)])
    assert query(loaded, "SELECT address FROM enterprise WHERE credit_code = ?", target["credit_code"]) == [
        (None,)
    ]
    old = next(r for r in rows_of(registry["enterprise"]) if r["credit_code"] == target["credit_code"])
    assert query(loaded, "SELECT field, old_value, new_value FROM change_history") == [
        ("address", old["address"], None)
    ]


# --- one batch, several files ------------------------------------------------------------------------------------


def test_the_same_key_in_two_files_of_one_batch_is_an_error_naming_both(loaded, registry, tmp_path):
    years = rows_of(registry["enterprise_year"])
    first = write_csv(tmp_path / "a" / "enterprise_year-a.csv", years[:5])
    changed = [dict(years[2], net_profit="1.00")]
    second = write_csv(tmp_path / "b" / "enterprise_year-b.csv", changed)
    with pytest.raises(ImportRejected) as rejected:
        loaded.import_files([first, second])
    (error,) = rejected.value.errors.to_pylist()
    assert (error["file"], error["row"], error["rule"]) == ("enterprise_year-b.csv", 2, "duplicate_key")
    assert error["message"] == "same key as row 4 of enterprise_year-a.csv"


def test_two_files_with_the_same_name_keep_their_own_errors(loaded, registry, tmp_path):
    years = rows_of(registry["enterprise_year"])
    bad = [dict(row) for row in years[:3]]
    bad[0]["net_profit"] = "not a number"
    first = write_csv(tmp_path / "2024" / "enterprise_year.csv", bad)
    good = [dict(row, net_profit="7.00") for row in years[3:6]]
    second = write_csv(tmp_path / "2025" / "enterprise_year.csv", good)
    outcome = loaded.import_files([first, second], quarantine=True)
    by_file = {f.file: f for f in outcome.files}
    assert by_file[str(first)].quarantined == 1
    assert by_file[str(second)].quarantined == 0 and by_file[str(second)].updated == 3
    assert query(loaded, "SELECT file, row, rule FROM quarantine") == [(str(first), 2, "wrong_type")]


def test_quarantine_never_imports_rows_lacking_a_required_column(loaded, registry, tmp_path):
    rows = [{k: v for k, v in row.items() if k != "name_zh"} for row in rows_of(registry["enterprise"])]
    for row in rows:
        row["credit_code"] = credit_code.make("310104", 900_000 + rows.index(row))
        row["district_adcode"] = "310104"
    outcome = loaded.import_files([write_csv(tmp_path / "enterprise.csv", rows)], quarantine=True)
    assert outcome.files[0].inserted == 0 and outcome.files[0].quarantined == len(rows)
    assert query(loaded, "SELECT count(*) FROM enterprise WHERE name_zh IS NULL") == [(0,)]


# --- values worth refusing or flagging ---------------------------------------------------------------------------


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


@pytest.mark.parametrize(
    ("field", "change", "rule"),
    [
        ("credit_code", full_width, "invalid_credit_code"),
        ("name_zh", lambda v: v + "\x07", "control_character"),
        ("address", lambda v: "浦东新区\n张江路1号", "control_character"),
        ("founded_on", lambda v: "0001-01-01", "implausible_date"),
        ("founded_on", lambda v: (dt.date.today() + dt.timedelta(days=40)).isoformat(), "future_date"),
    ],
)
def test_implausible_values_are_refused_with_their_rule(store, registry, tmp_path, field, change, rule):
    rows = rows_of(registry["enterprise"])
    rows[0][field] = change(rows[0][field])
    found = rejected_rules(store, [write_csv(tmp_path / "enterprise.csv", rows)])
    assert (field, rows[0][field], rule) in found


def test_a_credit_code_from_another_district_is_imported_with_a_warning(store, registry, tmp_path):
    rows = rows_of(registry["enterprise"])
    moved = next(row for row in rows if row["district_adcode"] != "310106")
    issued_in = moved["credit_code"][2:8]
    moved["district_adcode"] = "310106"
    outcome = store.import_files([write_csv(tmp_path / "enterprise.csv", rows)])
    assert outcome.files[0].inserted == len(rows)
    (warning,) = outcome.warnings.to_pylist()
    assert (warning["row"], warning["field"], warning["value"], warning["rule"]) == (
        rows.index(moved) + 2,
        "district_adcode",
        "310106",
        "district_differs_from_credit_code",
    )
    assert issued_in in warning["message"]


# --- files that cannot be read: one line, the store unchanged -----------------------------------------------------


def corrupt_parquet(path: Path, registry) -> None:
    pq.write_table(registry["enterprise"], path)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("enterprise.csv", lambda path, registry: path.write_bytes(b"")),
        (
            "enterprise.csv",
            lambda path, registry: path.write_text(
                'credit_code,name_zh\n"a,b\n"c",d,e,f\n1\n', encoding="utf-8"
            ),
        ),
        ("enterprise.parquet", corrupt_parquet),
    ],
)
def test_an_unreadable_file_is_one_line_and_changes_nothing(loaded, registry, tmp_path, name, make):
    before = query(loaded, "SELECT count(*), sum(hash(credit_code || name_zh)) FROM enterprise")
    path = tmp_path / name
    make(path, registry)
    with pytest.raises(errors.InvalidInput) as refused:
        loaded.import_files([path])
    message = str(refused.value)
    assert message.startswith(name) and "\n" not in message, message
    assert query(loaded, "SELECT count(*), sum(hash(credit_code || name_zh)) FROM enterprise") == before


def test_a_ragged_row_is_named_by_its_number(store, tmp_path):
    path = tmp_path / "enterprise.csv"
    path.write_text("credit_code,name_zh,address\n1,2,3\n4,5\n6,7,8\n", encoding="utf-8")
    with pytest.raises(files.UnreadableFile) as refused:
        store.import_files([path])
    assert str(refused.value) == (
        "enterprise.csv: row 3 has 2 field(s), the header 3; check its commas and quotes"
    )


def test_a_header_that_shares_no_column_with_the_table_says_so(store, tmp_path):
    path = write_csv(tmp_path / "enterprise.csv", [{"Sheet2": "x", "备注": "y"}])
    found = rejected_rules(store, [path])
    assert ("Sheet2", "Sheet2", "unknown_column") in found
    assert ("credit_code", None, "missing_column") in found


def test_an_unknown_table_is_invalid_input(store, registry, tmp_path):
    path = files.write_table(registry["enterprise"], tmp_path / "enterprise.parquet", "parquet")
    with pytest.raises(errors.InvalidInput, match="table 'enterprises': choose one of"):
        store.import_files([path], table="enterprises")


def test_a_second_import_waits_for_the_first_then_says_it_is_in_use(loaded, registry, tmp_path, monkeypatch):
    monkeypatch.setattr(RegistryStore, "LOCK_WAIT_SECONDS", 0.5)
    path = files.write_table(registry["enterprise"], tmp_path / "enterprise.parquet", "parquet")
    script = (
        "import duckdb, sys\n"
        f"con = duckdb.connect({str(loaded.path)!r})\n"
        "print('locked', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(errors.Conflict, match="in use by another process"):
            loaded.import_files([path])
    finally:
        holder.communicate("done\n", timeout=30)
    outcome = loaded.import_files([path])  # once the other process is gone, the import goes through
    assert outcome.files[0].unchanged == registry["enterprise"].num_rows
