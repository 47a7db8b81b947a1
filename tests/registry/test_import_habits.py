"""Files as Excel users make them: GBK/GB18030 CSV, Chinese headers, money with three decimals, broken files.

The rules come from issue 10 §5 and docs/data-format.md: text is UTF-8 or GB18030 (detected, or named with
--encoding), a header may be a column's Chinese name, an amount with more than two decimals is rounded half
up to the fen with a warning that keeps the value as written, and an unreadable file is one clear line.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from smeladder.cli import app
from smeladder.registry import files, schema, validation
from smeladder.registry.dirt import as_text
from smeladder.registry.store import RegistryStore
from smeladder.registry.synth import synthesize

runner = CliRunner()


@pytest.fixture(scope="module")
def registry():
    return synthesize(30, range(2024, 2026), seed=8)


@pytest.fixture
def store(tmp_path) -> RegistryStore:
    return RegistryStore(tmp_path / "home")


def rows_of(table) -> list[dict]:
    return [{k: ("" if v is None else v) for k, v in row.items()} for row in as_text(table).to_pylist()]


def write_csv(path: Path, rows: list[dict], encoding: str, headers: dict[str, str] | None = None) -> Path:
    headers = headers or {}
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.writer(f)
        writer.writerow([headers.get(name, name) for name in rows[0]])
        writer.writerows([list(row.values()) for row in rows])
    return path


def chinese_headers(table: str) -> dict[str, str]:
    return {c.name: c.description_zh for c in schema.TABLES[table].columns}


def stored(store: RegistryStore, sql: str) -> list[tuple]:
    con = store.connect(read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_the_encodings_excel_writes_imports_with_chinese_headers(store, registry, tmp_path, encoding):
    rows = rows_of(registry["enterprise"])
    path = write_csv(tmp_path / "enterprise.csv", rows, encoding, chinese_headers("enterprise"))
    outcome = store.import_files([path])
    assert outcome.files[0].inserted == len(rows)
    expected = "utf-8-sig" if encoding.startswith("utf-8") else "gb18030"
    assert outcome.files[0].encoding == expected
    names = dict(stored(store, "SELECT credit_code, name_zh FROM enterprise"))
    # Stored as written: every Chinese name survives the round trip through GBK exactly.
    assert names == {row["credit_code"]: row["name_zh"] for row in rows}


def test_a_named_encoding_that_does_not_fit_the_file_is_refused_and_changes_nothing(
    store, registry, tmp_path
):
    path = write_csv(tmp_path / "enterprise.csv", rows_of(registry["enterprise"]), "gbk")
    with pytest.raises(files.UnreadableFile) as refused:
        store.import_files([path], encoding="utf-8")
    message = str(refused.value)
    assert "enterprise.csv" in message and "utf-8" in message and "--encoding" in message
    assert "\n" not in message
    assert not store.path.exists() or stored(store, "SELECT count(*) FROM enterprise") == [(0,)]


def test_an_unknown_encoding_name_is_invalid_input(store, registry, tmp_path):
    path = write_csv(tmp_path / "enterprise.csv", rows_of(registry["enterprise"]), "utf-8")
    with pytest.raises(files.UnreadableFile, match="unknown encoding 'klingon'"):
        store.import_files([path], encoding="klingon")


def test_a_column_given_twice_by_english_and_chinese_name_is_refused(store, registry, tmp_path):
    rows = [{**row, "统一社会信用代码": row["credit_code"]} for row in rows_of(registry["enterprise"])]
    path = write_csv(tmp_path / "enterprise.csv", rows, "utf-8")
    with pytest.raises(files.UnreadableFile) as refused:
        store.import_files([path])
    assert "'credit_code' and '统一社会信用代码' both give 'credit_code'" in str(refused.value)


@pytest.mark.parametrize(
    ("written", "imported"),
    [
        ("1234.565", Decimal("1234.57")),  # half goes up
        ("1234.564", Decimal("1234.56")),
        ("1234.5649999", Decimal("1234.56")),  # only the third decimal decides: no double rounding
        ("2.675", Decimal("2.68")),  # a binary float would give 2.67
        ("1,000.005", Decimal("1000.01")),  # thousands separators as Excel writes them
        ("99.999", Decimal("100.00")),
    ],
)
def test_money_with_more_than_two_decimals_is_rounded_half_up_with_a_warning(
    store, registry, tmp_path, written, imported
):
    store.import_files(
        [files.write_table(registry["enterprise"], tmp_path / "enterprise.parquet", "parquet")]
    )
    years = rows_of(registry["enterprise_year"])
    years[0]["new_equity_financing"] = written
    path = write_csv(tmp_path / "enterprise_year.csv", years, "utf-8")
    outcome = store.import_files([path])
    first = years[0]
    assert stored(
        store,
        "SELECT new_equity_financing FROM enterprise_year "
        f"WHERE credit_code = '{first['credit_code']}' AND fiscal_year = {first['fiscal_year']}",
    ) == [(imported,)]
    warning = outcome.warnings.to_pylist()
    assert [(w["file"], w["row"], w["field"], w["value"], w["rule"]) for w in warning] == [
        ("enterprise_year.csv", 2, "new_equity_financing", written, "rounded_to_fen")
    ]
    assert str(imported) in warning[0]["message"]
    assert outcome.files[0].warnings == 1
    assert outcome.warnings_report is not None and outcome.warnings_report.exists()
    kept = stored(store, "SELECT file, row, field, value, rule FROM import_warnings")
    assert kept == [("enterprise_year.csv", 2, "new_equity_financing", written, "rounded_to_fen")]


def test_two_decimals_or_fewer_give_no_warning(store, registry, tmp_path):
    store.import_files(
        [files.write_table(registry["enterprise"], tmp_path / "enterprise.parquet", "parquet")]
    )
    years = rows_of(registry["enterprise_year"])
    years[0]["new_equity_financing"] = "1234.5"
    outcome = store.import_files([write_csv(tmp_path / "enterprise_year.csv", years, "utf-8")])
    assert outcome.warnings is None and outcome.files[0].warnings == 0


@settings(max_examples=200, deadline=None)
@given(
    units=st.integers(min_value=-(10**12), max_value=10**12),
    decimals=st.text(alphabet="0123456789", min_size=1, max_size=9),
)
def test_the_import_rounds_exactly_as_the_money_rule(units, decimals):
    text = f"{units}.{decimals}"
    column = next(c for c in schema.TABLES["enterprise_year"].columns if c.name == "net_profit")
    expression = validation.typed_expression(column, validation.lit(text))
    ((value,),) = duckdb.sql(f"SELECT {expression}").fetchall()
    exact = Decimal(text)
    assert value == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("enterprise.parquet", b"PAR1 this is not really parquet"),
        ("enterprise.xlsx", b"PK\x03\x04 broken zip"),
        ("enterprise.csv", b"\xff\xfe\x00\x81 neither UTF-8 nor GB18030"),
    ],
)
def test_an_unreadable_file_is_one_line_naming_it_never_a_database_dump(store, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(files.UnreadableFile) as refused:
        store.import_files([path])
    message = str(refused.value)
    assert message.startswith(name + ":")
    assert "\n" not in message
    assert "SELECT" not in message and "LINE " not in message


def test_the_cli_reads_a_gbk_file_with_encoding_and_reports_how_it_read_it(registry, tmp_path):
    home = tmp_path / "home"
    enterprises = files.write_table(registry["enterprise"], tmp_path / "enterprise.parquet", "parquet")
    years = rows_of(registry["enterprise_year"])
    years[1]["rd_expense"] = "10.125"
    path = write_csv(tmp_path / "enterprise_year.csv", years, "gbk", chinese_headers("enterprise_year"))
    result = runner.invoke(
        app, ["import", str(enterprises), str(path), "--encoding", "gbk", "--data-dir", str(home)]
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # as read, whatever the terminal's width wrapped
    assert "(read as gbk)" in said
    assert "1 value(s) rounded to the fen" in said
    assert "enterprise_year.csv row 3, rd_expense = 10.125: more than two decimals: imported as 10.13" in said
