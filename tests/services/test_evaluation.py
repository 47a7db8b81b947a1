"""Evaluation into a file: the format is the one the file's name says (never Parquet under another name),
every format holds the same values, and Parquet keeps the run's manifest."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pyarrow.csv as pacsv
import pytest

from smeladder.errors import InvalidInput
from smeladder.rules.results import read_results
from smeladder.services import evaluation

from .conftest import context

AS_OF = dt.date(2026, 5, 1)
NAMES = ["m1_2b_paid", "ss_sme_eligible"]


@pytest.fixture(scope="module")
def parquet(home, tmp_path_factory):
    out = tmp_path_factory.mktemp("evaluation") / "results.parquet"
    run = evaluation.evaluate(context(home), AS_OF, out, variables=NAMES)
    return run, read_results(out)


def test_parquet_keeps_the_run_id_rule_version_and_inputs(parquet, rows):
    run, results = parquet
    assert run.format == "parquet" and run.rows == len(rows["enterprise"]) == results.table.num_rows
    assert results.manifest["run_id"] == run.run_id and results.manifest["rule_version"] == run.rule_version
    assert results.manifest["snapshot_id"] == run.snapshot_id and results.manifest["inputs"]
    assert set(results.table["run_id"].to_pylist()) == {run.run_id}
    assert run.variables == NAMES


def test_csv_xlsx_and_json_hold_the_same_values(home, parquet, tmp_path):
    import polars as pl

    _, results = parquet
    expected = {r["credit_code"]: r["m1_2b_paid"] for r in results.table.to_pylist()}
    assert any(expected.values())  # some enterprise is paid: the comparison means something
    ctx = context(home)
    csv = evaluation.evaluate(ctx, AS_OF, tmp_path / "r.csv", variables=NAMES)
    read = pacsv.read_csv(tmp_path / "r.csv", convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    assert (
        csv.format == "csv"
        and {r["credit_code"]: Decimal(str(r["m1_2b_paid"])) for r in read.to_pylist()} == expected
    )
    as_json = evaluation.evaluate(ctx, AS_OF, tmp_path / "r.json", variables=NAMES)
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert (
        as_json.format == "json"
        and {r["credit_code"]: Decimal(r["m1_2b_paid"]) for r in document} == expected
    )
    xlsx = evaluation.evaluate(ctx, AS_OF, tmp_path / "r.xlsx", variables=NAMES)
    assert xlsx.format == "xlsx" and (tmp_path / "r.xlsx").read_bytes()[:4] == b"PK\x03\x04"
    sheet = pl.read_excel(tmp_path / "r.xlsx").to_dicts()
    assert {
        r["credit_code"]: Decimal(str(r["m1_2b_paid"])).quantize(Decimal("0.01")) for r in sheet
    } == expected


def test_a_file_name_that_does_not_say_the_format_is_refused_before_any_work(home, tmp_path):
    ctx = context(home)
    with pytest.raises(InvalidInput, match="--format"):
        evaluation.evaluate(ctx, AS_OF, tmp_path / "results", variables=NAMES)
    with pytest.raises(InvalidInput, match="the suffix says xlsx"):
        evaluation.evaluate(ctx, AS_OF, tmp_path / "results.xlsx", fmt="parquet", variables=NAMES)
    assert list(tmp_path.iterdir()) == []
    run = evaluation.evaluate(ctx, AS_OF, tmp_path / "results", fmt="parquet", variables=NAMES)
    assert run.format == "parquet" and (tmp_path / "results").read_bytes()[:4] == b"PAR1"


def test_an_unknown_variable_is_invalid_input(home, tmp_path):
    with pytest.raises(InvalidInput, match="no_such_variable"):
        evaluation.evaluate(context(home), AS_OF, tmp_path / "r.parquet", variables=["no_such_variable"])
