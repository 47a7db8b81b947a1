"""Invariants of the Shanghai pack over generated enterprises, each example one registry and one query:
exclusions always win, a stacking group never pays more than its highest amount (and pays at most one measure),
and every paid amount stays within its cap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import ibis
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smeladder.registry import schema
from smeladder.rules import load_pack
from smeladder.rules.compile import compile_plan
from smeladder.rules.locate import pack_directory
from smeladder.rules.plan import make_plan
from smeladder.rules.yamltests import ARROW_BY_NAME

PACK = load_pack(pack_directory("shanghai"))
AS_OF = dt.date(2025, 8, 1)
GROUPS = {
    "scale_growth": (
        ["m1_2a_amount", "district_m1_2a_amount", "m1_2b_amount", "m1_3b_amount"],
        ["m1_2a_paid", "district_m1_2a_paid", "m1_2b_paid", "m1_3b_paid"],
    ),
    "loan_interest": (["m3_4a_amount", "m4_2a_amount"], ["m3_4a_paid", "m4_2a_paid"]),
    "service_contract": (["m4_1_amount", "m6_2c_amount"], ["m4_1_paid", "m6_2c_paid"]),
}
CAPS = {
    "m1_2a_paid": "M1.2a.cap",
    "m1_2b_paid": "M1.2b.cap",
    "m1_3b_paid": "M1.3b.cap",
    "m3_4a_paid": "M3.4a.cap",
    "m3_4b_paid": "M3.4b.cap",
    "m4_1_paid": "M4.1.cap",
    "m4_2a_paid": "M4.2a.cap",
    "m4_2b_paid": "M4.2b.cap",
    "m6_2c_paid": "M6.2c.cap",
    "district_m1_3b_topup_paid": "district.310112.M1.3b.topup_cap",
}
TIERS = [
    "innovative_sme_eligible",
    "ss_sme_eligible",
    "little_giant_eligible",
    "single_champion_eligible",
    "gazelle_eligible",
    "unicorn_eligible",
    "m5_5_talent_list",
]

money = st.integers(min_value=0, max_value=3_000_000_000_00).map(lambda fen: Decimal(fen) / 100)
growth = st.sampled_from(
    [Decimal("0.8"), Decimal("1.0"), Decimal("1.1"), Decimal("1.2"), Decimal("1.21"), Decimal("1.5")]
)


@st.composite
def firm(draw, index: int):
    code = f"T{index:017d}"
    base = draw(money)
    factors = [draw(growth) for _ in range(3)]
    revenues = [base]
    for factor in factors:
        revenues.append((revenues[-1] * factor).quantize(Decimal("0.01")))
    years = []
    for offset, revenue in enumerate(revenues):
        year = 2021 + offset
        rd = (
            revenue * draw(st.sampled_from([Decimal(0), Decimal("0.03"), Decimal("0.06"), Decimal("0.12")]))
        ).quantize(Decimal("0.01"))
        years.append(
            {
                "credit_code": code,
                "fiscal_year": year,
                "operating_revenue": revenue,
                "main_business_revenue": (revenue * Decimal("0.9")).quantize(Decimal("0.01")),
                "industrial_output_value": revenue,
                "rd_expense": rd,
                "employees": 100,
                "rd_staff": draw(st.integers(0, 100)),
                "total_assets": revenue,
                "total_liabilities": (revenue * Decimal("0.5")).quantize(Decimal("0.01")),
                "net_profit": (revenue * Decimal("0.08")).quantize(Decimal("0.01")),
                "new_equity_financing": Decimal(0),
                "above_designated_size": draw(st.booleans()),
                "ip_class1": draw(st.integers(0, 5)),
                "ip_class2": 2,
                "digitalization_level": draw(st.integers(1, 4)),
                "certifications": "ISO9001",
                "niche_market_share": Decimal(draw(st.integers(0, 30))),
                "niche_rank": draw(st.integers(1, 20)),
                "years_in_niche": draw(st.integers(0, 15)),
            }
        )
    titles = []
    for title in draw(st.sets(st.sampled_from(["innovative_sme", "ss_sme", "little_giant", "high_tech"]))):
        titles.append(
            {
                "credit_code": code,
                "title": title,
                "level": "municipal",
                "valid_from": dt.date(2023, 7, 1),
                "valid_to": dt.date(2026, 6, 30),
                "rank": None,
            }
        )
    exclusions = []
    if draw(st.booleans()):
        exclusions.append(
            {
                "credit_code": code,
                "kind": draw(st.sampled_from(schema.EXCLUSION_KINDS)),
                "start_on": dt.date(2025, 1, 1),
                "end_on": None,
                "source": "test",
            }
        )
    applications = []
    for number, (measure, column) in enumerate(
        [
            ("M3.4a", "interest_paid"),
            ("M4.2a", "interest_paid"),
            ("M4.1", "contract_value"),
            ("M6.2c", "contract_value"),
            ("M4.2b", "guarantee_fee"),
            ("M3.4b", "approved_investment"),
        ]
    ):
        if draw(st.booleans()):
            row = {
                "application_id": f"{code}-{number}",
                "credit_code": code,
                "measure": measure,
                "fiscal_year": 2024,
                "submitted_on": dt.date(2025, 1, 1),
                column: draw(money),
                "provider_qualified": True,
                "project_qualified": True,
            }
            if measure == "M4.2b":
                row["guarantee_amount"] = Decimal(10_000_000)
            applications.append(row)
    enterprise = {
        "credit_code": code,
        "name_zh": "测试",
        "district_adcode": draw(st.sampled_from(["310112", "310115"])),
        "founded_on": dt.date(2015, 1, 1),
        "industry_code": draw(st.sampled_from(["C3562", "I6513", "F5179"])),
        "strategic_emerging": True,
        "industrial_track": "other",
        "size_class": draw(st.sampled_from(["small", "large"])),
        "listed": False,
        "ownership": "private",
        "latitude": 31.2,
        "longitude": 121.5,
    }
    return enterprise, years, titles, exclusions, applications


def _table(name: str, rows: list[dict]) -> pa.Table:
    spec = schema.TABLES[name]
    fields = [(c.name, ARROW_BY_NAME[c.dtype]) for c in spec.columns]
    return pa.table({c: [row.get(c) for row in rows] for c, _ in fields}, schema=pa.schema(fields))


NAMES = list(
    dict.fromkeys(
        [
            *TIERS,
            "excluded",
            "total_support",
            *CAPS,
            "m4_3_paid",
            *(n for pair in GROUPS.values() for names in pair for n in names),
        ]
    )
)


def _compiled_sql() -> str:
    """The pack's query for NAMES, compiled once over unbound tables named like the registry's: each example
    only loads its tables and runs it (compiling the whole pack takes seconds)."""
    tables = {
        name: ibis.table(_table(name, []).schema, name=name) for name in schema.TABLES if name in PACK.tables
    }
    plan = make_plan(PACK, NAMES, AS_OF)
    return str(ibis.to_sql(compile_plan(PACK, plan, tables).expr, dialect="duckdb"))


SQL = _compiled_sql()


def _evaluate(firms) -> list[dict]:
    tables = {name: [] for name in schema.TABLES}
    for enterprise, years, titles, exclusions, applications in firms:
        tables["enterprise"].append(enterprise)
        tables["enterprise_year"] += years
        tables["title"] += titles
        tables["exclusion"] += exclusions
        tables["application"] += applications
    con = duckdb.connect()
    for name, rows in tables.items():
        con.register(name, _table(name, rows))
    return con.sql(SQL).to_arrow_table().to_pylist()


registries = st.integers(min_value=3, max_value=12).flatmap(lambda n: st.tuples(*(firm(i) for i in range(n))))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(registries)
def test_invariants_hold_for_generated_registries(firms):
    for row in _evaluate(firms):
        if row["excluded"]:
            # Exclusions win over everything: no title, no listing, no money.
            assert not any(row[t] for t in TIERS), row["credit_code"]
            assert row["total_support"] == 0
        for amounts, paid in GROUPS.values():
            highest = max(row[a] for a in amounts)
            assert sum(row[p] for p in paid) <= highest
            assert sum(1 for p in paid if row[p] > 0) <= 1
            if not row["excluded"]:
                assert sum(row[p] for p in paid) == highest  # the higher applies, not nothing
        for name, cap in CAPS.items():
            assert row[name] <= _cap(cap), name


def _cap(path: str) -> Decimal:
    entry = PACK.parameters[path].entry_at(AS_OF)
    assert entry is not None
    return Decimal(entry.value)
