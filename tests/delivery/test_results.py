"""The entitlement-results source: the documented format, and bad rows refused with row, field, value, rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from smeladder.delivery.errors import SourceError
from smeladder.delivery.results import EntitlementResults
from smeladder.delivery.sample_results import entitlement_results


def _write(tmp_path, table, name="r.parquet"):
    path = tmp_path / name
    pq.write_table(table, path)
    return path


def _replace(table: pa.Table, column: str, index: int, value) -> pa.Table:
    values = table.column(column).to_pylist()
    values[index] = value
    return table.set_column(
        table.schema.get_field_index(column), column, pa.array(values, table.schema.field(column).type)
    )


def test_the_run_is_frozen_and_only_eligible_rows_become_candidates(tmp_path):
    table = entitlement_results(50)
    source = EntitlementResults(_write(tmp_path, table))
    run = source.run("M1.2b", "2025")
    assert (run.run_id, run.as_of, run.input_snapshot) == (
        "run-2026-01-15T000000-0001",
        date(2026, 1, 15),
        "registry@2026-01-15",
    )
    records = [r for batch in source.batches("M1.2b", "2025", 7) for r in batch]
    assert len(records) == pc.sum(table.column("eligible")).as_py()
    assert all(r.eligible and r.amount.as_tuple().exponent == -2 for r in records)


def test_the_newest_run_wins_for_one_enterprise(tmp_path):
    _write(tmp_path, entitlement_results(5), "run1.parquet")
    newer = _replace(
        entitlement_results(5, run_id="run-2026-02-01", as_of=date(2026, 2, 1)), "amount", 0, Decimal("7.00")
    )
    _write(tmp_path, newer.slice(0, 1), "run2.parquet")
    source = EntitlementResults(tmp_path)
    code = newer.column("credit_code")[0].as_py()
    assert str(source.evaluate_one(code, "M1.2b", "2025").amount) == "7.00"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "credit_code",
            "NOT-A-CODE",
            "field credit_code = 'NOT-A-CODE' is not an 18-character unified social credit code",
        ),
        ("district_adcode", "31A115", "field district_adcode = '31A115' is not a 6-digit national adcode"),
        ("level", "provincial", "field level = 'provincial' is not one of national, municipal, district"),
        ("reasons_json", "{not json", "field reasons_json = '{not json' is not valid JSON"),
    ],
)
def test_a_bad_row_is_refused_naming_file_row_field_value_and_rule(tmp_path, column, value, message):
    path = _write(tmp_path, _replace(entitlement_results(10), column, 3, value))
    with pytest.raises(SourceError, match=f"r.parquet row 4 .*{message}"):
        EntitlementResults(path).run("M1.2b", "2025")


def test_a_floating_point_amount_is_refused(tmp_path):
    table = entitlement_results(3)
    table = table.set_column(
        table.schema.get_field_index("amount"), "amount", pc.cast(table.column("amount"), pa.float64())
    )
    with pytest.raises(SourceError, match="column amount is DOUBLE; it must be DECIMAL"):
        EntitlementResults(_write(tmp_path, table))


def test_duplicates_missing_columns_and_unknown_measures_are_refused(tmp_path):
    table = entitlement_results(3)
    with pytest.raises(SourceError, match="appears 2 times in run"):
        EntitlementResults(_write(tmp_path, pa.concat_tables([table, table.slice(0, 1)]), "dup.parquet")).run(
            "M1.2b", "2025"
        )
    with pytest.raises(SourceError, match="missing column"):
        EntitlementResults(_write(tmp_path, table.drop_columns(["level"]), "missing.parquet"))
    with pytest.raises(SourceError, match="no results for measure M9"):
        EntitlementResults(_write(tmp_path, table, "ok.parquet")).run("M9", "2025")


def test_a_duckdb_table_is_a_source_too(tmp_path):
    table = entitlement_results(20)
    path = tmp_path / "engine.duckdb"
    with duckdb.connect(str(path)) as db:
        db.register("t", table)
        db.execute("CREATE TABLE entitlement_results AS SELECT * FROM t")
    source = EntitlementResults(path)
    assert source.run("M1.2b", "2025").rule_version == table.column("rule_version")[0].as_py()
    assert (
        sum(len(b) for b in source.batches("M1.2b", "2025", 1000)) == pc.sum(table.column("eligible")).as_py()
    )
