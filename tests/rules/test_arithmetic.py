"""Exact division, rounding and casting (rules/arithmetic.py), checked against Python's Decimal on DuckDB and
PostgreSQL, ties and signs included, and on Spark in one batch. Python's ROUND_HALF_UP is half away from zero,
the engine's one rounding rule (smeladder.money)."""

from __future__ import annotations

import uuid
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smeladder.rules import PackError, lit
from smeladder.rules.arithmetic import exact, scale_bound
from smeladder.rules.backends import spark_connection

SCHEMA = {"a": pa.decimal128(24, 6), "b": pa.decimal128(18, 6), "n": pa.int64()}


def expressions(t: ibis.Table) -> dict[str, ibis.Value]:
    return {
        "q4": exact((t.a / t.b).cast("decimal(18,4)")),
        "q2": exact((t.a / t.b).round(2)),
        "per_n": exact((t.a / t.n).cast("decimal(18,6)")),
        "floor": exact(t.a // t.b),
        "whole": exact(t.b.cast("int64")),
        "product4": exact((t.a * t.b).cast("decimal(38,4)")),
    }


def expected(a: Decimal, b: Decimal, n: int) -> dict[str, object]:
    with localcontext() as context:
        context.prec = 60

        def quotient(num, den, places):
            return None if den == 0 else (num / den).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)

        return {
            "q4": quotient(a, b, 4),
            "q2": quotient(a, b, 2),
            "per_n": quotient(a, Decimal(n), 6),
            "floor": None if b == 0 else int((a / b).to_integral_value(ROUND_FLOOR)),
            "whole": int(b.quantize(Decimal(1), ROUND_HALF_UP)),
            "product4": (a * b).quantize(Decimal("0.0001"), ROUND_HALF_UP),
        }


def ties() -> list[dict[str, object]]:
    """Quotients exactly halfway between two 4-decimal values, both signs: the hardest rounding case."""
    rows = []
    for b, q in [("3.2", "0.12345"), ("0.8", "-2.00005"), ("-1.6", "1.00015"), ("12.5", "0.00005")]:
        a = Decimal(q) * Decimal(b)
        rows.append({"a": a, "b": Decimal(b), "n": 8})
    return rows


# Within QUOTIENT_DIGITS: 10^8 / 1 at 6 decimals is 10^14 units; 10^8 / 0.01 at 4 decimals is 10^14.
amounts = st.decimals(min_value=-(10**8), max_value=10**8, places=2, allow_nan=False, allow_infinity=False)
divisors = st.one_of(
    st.just(Decimal(0)),
    st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=6).filter(
        lambda d: d == 0 or abs(d) >= Decimal("0.01")
    ),
)
rows_strategy = st.lists(
    st.fixed_dictionaries({"a": amounts, "b": divisors, "n": st.integers(-50, 50)}), max_size=30
)


def run(con, table_name: str) -> list[dict[str, object]]:
    t = con.table(table_name)
    return con.to_pyarrow(t.select("i", **expressions(t)).order_by("i")).to_pylist()


def arrow(rows: list[dict[str, object]]) -> pa.Table:
    columns = {name: pa.array([r[name] for r in rows], dtype) for name, dtype in SCHEMA.items()}
    return pa.table({"i": pa.array(range(len(rows)), pa.int64()), **columns})


def check(results: list[dict[str, object]], rows: list[dict[str, object]]) -> None:
    for got, row in zip(results, rows, strict=True):
        want = expected(row["a"], row["b"], row["n"])
        got = {name: got[name] for name in want}
        assert got == want, row


@settings(max_examples=25, deadline=None)
@given(rows=rows_strategy)
def test_duckdb_quotients_are_exact(rows):
    rows = ties() + rows
    con = ibis.duckdb.connect()
    con.create_table("t", arrow(rows))
    check(run(con, "t"), rows)


@pytest.mark.postgres
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy)
def test_postgres_quotients_are_exact(postgres_url, rows):
    rows = ties() + rows
    con = ibis.connect(postgres_url)
    name = f"arith_{uuid.uuid4().hex[:10]}"
    con.create_table(name, arrow(rows))
    try:
        check(run(con, name), rows)
    finally:
        con.drop_table(name)


@pytest.mark.spark
@pytest.mark.slow
def test_spark_quotients_are_exact(spark_session):
    rows = ties() + [
        {"a": Decimal(a), "b": Decimal(b), "n": n}
        for a, b, n in [
            ("100.00", "3", 3),
            ("-100.00", "3", -3),
            ("2.00", "0", 0),
            ("999999999.99", "0.010000", 7),
            ("0.01", "-999.999999", 1),
            ("-7.50", "2.5", 2),
        ]
    ]
    con = spark_connection(spark_session)
    name = f"arith_{uuid.uuid4().hex[:8]}"
    spark_session.createDataFrame(arrow(rows)).createOrReplaceTempView(name)
    check(run(con, name), rows)


def test_a_quotient_longer_than_15_digits_is_an_error_not_a_wrong_digit():
    con = ibis.duckdb.connect()
    t = con.create_table("t", arrow([{"a": Decimal("10000000000.00"), "b": Decimal("0.000001"), "n": 1}]))
    with pytest.raises(Exception, match=r"DECIMAL\(15,0\)"):
        con.to_pyarrow(t.select(q=exact((t.a / t.b).cast("decimal(38,4)"))))


def test_a_quotient_without_a_scale_is_refused():
    t = ibis.table({"a": "decimal(18,2)", "b": "decimal(18,2)"}, name="t")
    with pytest.raises(PackError, match="needs the scale"):
        exact(t.a / t.b > lit("0.2"))


def test_the_scale_of_a_product_is_the_sum_where_ibis_says_otherwise():
    t = ibis.table({"a": "decimal(18,4)", "b": "decimal(18,4)"}, name="t")
    product = (t.a + t.b) * lit("0.5")
    assert product.type().scale == 4  # Ibis's own idea; every backend computes 5 decimals
    assert scale_bound(product.op()) == 5
