"""Value types at the variable boundary: a decimal with fewer places than stored is cast, not rounded into a
narrower type."""

from __future__ import annotations

from decimal import Decimal

import ibis
import pyarrow as pa

from smeladder.rules.types import MONEY, RATE


def test_a_percent_column_finishes_as_a_rate_without_overflow():
    # DECIMAL(7,4) holding 25.65: rounding it to 6 places used to type it DECIMAL(7,6) and fail on DuckDB.
    table = ibis.memtable(
        pa.table({"x": pa.array([Decimal("25.6500"), Decimal("9.9999")], pa.decimal128(7, 4))})
    )
    got = ibis.duckdb.connect().to_pyarrow(table.select(y=RATE.finish(table.x)))["y"].to_pylist()
    assert got == [Decimal("25.650000"), Decimal("9.999900")]


def test_more_decimals_than_stored_are_still_rounded_half_away_from_zero():
    table = ibis.memtable(
        pa.table({"x": pa.array([Decimal("1.0000005"), Decimal("-2.005")], pa.decimal128(12, 7))})
    )
    con = ibis.duckdb.connect()
    assert con.to_pyarrow(table.select(y=RATE.finish(table.x)))["y"].to_pylist() == [
        Decimal("1.000001"),
        Decimal("-2.005000"),
    ]
    assert con.to_pyarrow(table.select(y=MONEY.finish(table.x)))["y"].to_pylist() == [
        Decimal("1.00"),
        Decimal("-2.01"),
    ]
