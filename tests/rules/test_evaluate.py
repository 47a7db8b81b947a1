"""Batch evaluation on DuckDB: results, their reproducibility record, and agreement with explanations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest

from smeladder.rules.evaluate import evaluate
from smeladder.rules.explain import explain
from smeladder.rules.results import RUN_COLUMNS, read_results

from .conftest import duckdb_registry
from .registry_builder import random_registry

AS_OF = dt.date(2025, 8, 1)


@pytest.fixture(scope="module")
def registry(toy_pack):
    return duckdb_registry(random_registry(400, seed=11), toy_pack)


@pytest.fixture(scope="module")
def results(toy_pack, registry):
    return evaluate(toy_pack, registry, AS_OF)


def test_results_have_run_columns_key_and_typed_variables(toy_pack, results):
    table = results.table
    assert table.column_names[:5] == [*RUN_COLUMNS, "credit_code"]
    assert table.num_rows == 400
    assert table.schema.field("voucher_paid").type == pa.decimal128(18, 2)
    assert table.schema.field("voucher_eligible").type == pa.bool_()
    assert table.schema.field("innovation_points").type == pa.int64()
    assert table.schema.field("voucher_valid_until").type == pa.date32()
    assert set(table.column("as_of").to_pylist()) == {AS_OF}
    assert set(table.column("rule_version").to_pylist()) == {toy_pack.version}
    assert table.column("credit_code").to_pylist() == sorted(table.column("credit_code").to_pylist())


def test_manifest_records_inputs_parameters_and_unconfirmed_values(results):
    manifest = results.manifest
    assert manifest["inputs"]["enterprise"]["rows"] == 400
    assert set(manifest["inputs"]) == {"enterprise", "enterprise_year", "title", "exclusion"}
    assert manifest["snapshot_id"]
    assert "voucher.cap" in manifest["unconfirmed_parameters"]  # the 2025 cap is not confirmed
    assert manifest["variables"]["voucher_paid"]["benefit"] is True
    paths = {p["parameter"] for p in manifest["parameters"]}
    assert {"voucher.rate", "voucher.cap", "growth_bonus.amount"} <= paths


def test_results_round_trip_through_parquet(tmp_path, results):
    path = results.write_parquet(tmp_path / "run.parquet")
    again = read_results(path)
    assert again.manifest == results.manifest
    assert again.table.drop_columns([]).equals(results.table)


def test_the_same_inputs_give_the_same_snapshot_and_values(toy_pack, registry, results):
    second = evaluate(toy_pack, registry, AS_OF)
    assert second.manifest["snapshot_id"] == results.manifest["snapshot_id"]
    assert second.run_id != results.run_id
    assert second.table.drop_columns(["run_id"]).equals(results.table.drop_columns(["run_id"]))


def test_money_rules_hold_over_the_registry(results):
    rows = results.table.to_pylist()
    for row in rows:
        # "The higher applies": never both measures of the exclusive group.
        assert not (row["voucher_paid"] > 0 and row["talent_paid"] > 0)
        assert row["innovation_voucher"] <= Decimal(800000)
        assert row["voucher_paid"] == row["voucher_paid"].quantize(Decimal("0.01"))
        if not row["voucher_eligible"]:
            assert row["innovation_voucher"] == 0
    assert any(row["voucher_paid"] > 0 for row in rows)
    assert any(row["talent_paid"] > 0 for row in rows)


def test_explanations_agree_with_the_batch(toy_pack, registry, results):
    names = ["voucher_paid", "talent_paid", "growth_bonus", "voucher_eligible", "innovation_points"]
    for row in results.table.to_pylist()[::37]:
        explanation = explain(toy_pack, registry, row["credit_code"], AS_OF, names)
        assert explanation.found
        for name in names:
            assert explanation.value(name) == row[name], (row["credit_code"], name)


def test_a_reform_run_carries_its_own_rule_version(toy_pack, registry, results):
    reform = evaluate(
        toy_pack, registry, AS_OF, ["voucher_paid"], {"voucher.cap": Decimal(1000)}, with_snapshot=False
    )
    assert reform.manifest["rule_version"].startswith(toy_pack.version + "+")
    assert max(reform.table.column("voucher_paid").to_pylist()) <= Decimal(1000)


def test_streaming_to_parquet_gives_the_same_file_content(toy_pack, registry, results, tmp_path):
    from smeladder.rules.evaluate import evaluate_to_parquet

    path = tmp_path / "streamed.parquet"
    manifest = evaluate_to_parquet(toy_pack, registry, AS_OF, path, run_id=results.run_id)
    streamed = read_results(path)
    assert manifest["rows"] == 400
    assert streamed.manifest["snapshot_id"] == results.manifest["snapshot_id"]
    assert streamed.table.equals(results.table)
