"""A rule not in force before a date: the engine's zero before it, said as such in the trace, and the same
formula from that date on, with no formula in the pack to cover the earlier years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smeladder.rules import PackError, load_pack
from smeladder.rules.evaluate import evaluate
from smeladder.rules.explain import explain

from .conftest import duckdb_registry
from .registry_builder import credit_code, tables
from .test_pack_checks import make_pack

GRANT = """
@variable(type=MONEY, period="instant", label="Grant", in_force="2025-04-11")
def grant(v, period, p):
    return v.revenue(period.last_year) * ibis.literal(Decimal("0.01"))

@variable(type=BOOL, period="instant", label="Listed", in_force="2025-04-11")
def listed(v, period, p):
    return v.revenue(period.last_year) > 0
"""


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    body = "from decimal import Decimal\n" + GRANT
    return load_pack(make_pack(tmp_path_factory.mktemp("in-force"), body, name="in_force"))


@pytest.fixture(scope="module")
def source(pack):
    rows = tables(
        enterprise=[{"credit_code": credit_code(1), "name_zh": "甲", "district_adcode": "310104"}],
        enterprise_year=[
            {"credit_code": credit_code(1), "fiscal_year": year, "operating_revenue": "1000000"}
            for year in (2024, 2025)
        ],
    )
    return duckdb_registry({name: rows[name] for name in pack.tables}, pack)


@pytest.mark.parametrize(
    ("day", "grant", "listed"),
    [
        (dt.date(2025, 4, 10), Decimal("0.00"), False),
        (dt.date(2025, 4, 11), Decimal("10000.00"), True),
        (dt.date(2026, 1, 1), Decimal("10000.00"), True),
    ],
)
def test_zero_before_the_date_and_the_formula_from_it(pack, source, day, grant, listed):
    row = evaluate(pack, source, day, ["grant", "listed"], with_snapshot=False).table.to_pylist()[0]
    assert (row["grant"], row["listed"]) == (grant, listed)


def test_the_trace_says_not_in_force(pack, source):
    before = explain(pack, source, credit_code(1), dt.date(2025, 4, 10), ["grant"])
    assert "not in force before 2025-04-11" in before.text("en")
    assert "2025-04-11前未施行" in before.text("zh")
    after = explain(pack, source, credit_code(1), dt.date(2025, 4, 11), ["grant"])
    assert "not in force" not in after.text("en")


def test_a_type_without_a_zero_cannot_be_out_of_force(tmp_path):
    body = """
@variable(type=INT, period="instant", label="Fine", in_force="2025-01-01")
def fine(v, period, p):
    return ibis.literal(1)

from smeladder.rules import DATE

@variable(type=DATE, period="instant", label="Day", in_force="2025-01-01")
def day(v, period, p):
    return ibis.literal(dt.date(2025, 1, 1))
"""
    with pytest.raises(PackError, match="in_force needs a type with a zero"):
        load_pack(make_pack(tmp_path, "import datetime as dt\n" + body, name="no_zero"))
