"""Small registries for the engine's tests, in the registry's own schema (smeladder.registry.schema).

`tables(...)` builds exact rows written by hand; `random_registry(n, seed)` builds a seeded random one with the
edge cases the engine must get identical on every backend (NULLs, zero revenue, exact thresholds, half-fen
products, titles without an end date, exclusions removed and not).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pyarrow as pa

from smeladder.registry import schema
from smeladder.rules.yamltests import ARROW_BY_NAME


def arrow_schema(table: schema.Table) -> pa.Schema:
    return pa.schema([(c.name, ARROW_BY_NAME[c.dtype]) for c in table.columns])


# The registry tables the toy pack reads (the registry may hold more).
REGISTRY_TABLES = ("enterprise", "enterprise_year", "title", "exclusion")


def tables(**rows: list[dict[str, Any]]) -> dict[str, pa.Table]:
    """Arrow tables for the registry tables; columns a row leaves out are NULL."""
    built = {}
    for name in REGISTRY_TABLES:
        table = schema.TABLES[name]
        table_schema = arrow_schema(table)
        given = rows.get(name, [])
        columns = {c.name: [_coerce(r.get(c.name), c.dtype) for r in given] for c in table.columns}
        built[name] = pa.table(columns, schema=table_schema)
    return built


def _coerce(value: Any, dtype: str) -> Any:
    if value is None:
        return None
    if dtype in ("money", "percent"):
        return Decimal(str(value))
    if dtype == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def credit_code(index: int) -> str:
    # 18 characters; the engine never checks the check character, the registry's import does.
    return f"91310115{index:09d}X"


def random_registry(enterprises: int, seed: int, years: range = range(2021, 2026)) -> dict[str, pa.Table]:
    rng = random.Random(seed)
    districts = ["310101", "310104", "310115", "310112"]
    ent, ey, titles, exclusions = [], [], [], []
    for i in range(enterprises):
        code = credit_code(i)
        ent.append(
            {
                "credit_code": code,
                "name_zh": f"测试企业{i}",
                "district_adcode": rng.choice(districts),
                "founded_on": dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000)),
                "size_class": rng.choice(["micro", "small", "medium", None]),
                "strategic_emerging": rng.random() < 0.5,
                "listed": False,
            }
        )
        revenue = Decimal(rng.choice([0, 5_000_000, 10_000_000, 15_000_000, rng.randrange(1, 80_000_000)]))
        for year in years:
            if rng.random() < 0.1:
                continue  # a missing year reads as the inputs' defaults
            growth = rng.choice(
                [Decimal("0.15"), Decimal("0.20"), Decimal("-0.1"), Decimal(rng.randrange(-30, 60)) / 100]
            )
            revenue = (revenue * (1 + growth)).quantize(Decimal("0.01"))
            share = rng.choice(
                [Decimal("0.03"), Decimal("0.05"), Decimal("0.01"), Decimal(rng.randrange(0, 900)) / 10000]
            )
            rd = (revenue * share).quantize(Decimal("0.01"))
            if rng.random() < 0.2:
                rd += Decimal("0.05")  # odd fen: voucher products end in a half fen
            assets = Decimal(rng.randrange(1, 100_000_000))
            ey.append(
                {
                    "credit_code": code,
                    "fiscal_year": year,
                    "operating_revenue": None if rng.random() < 0.03 else revenue,
                    "main_business_revenue": revenue,
                    "rd_expense": rd,
                    "employees": rng.choice([9, 10, 50, 300, 301, rng.randrange(0, 1000)]),
                    "rd_staff": rng.choice([19, 20, rng.randrange(0, 60)]),
                    "total_assets": assets,
                    "total_liabilities": rng.choice(
                        [
                            assets * Decimal("0.7"),
                            assets * Decimal("0.71"),
                            Decimal(rng.randrange(0, 90_000_000)),
                        ]
                    ).quantize(Decimal("0.01")),
                    "ip_class1": rng.choice([0, 1, 2, 3, None]),
                }
            )
        if rng.random() < 0.3:
            start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000))
            end = rng.choice([None, start + dt.timedelta(days=3 * 365)])
            titles.append(
                {
                    "credit_code": code,
                    "title": "high_tech",
                    "level": "national",
                    "valid_from": start,
                    "valid_to": end,
                }
            )
        if rng.random() < 0.1:
            titles.append(
                {
                    "credit_code": code,
                    "title": "st_award",
                    "level": "municipal",
                    "valid_from": dt.date(2023, 5, 1),
                    "rank": 2,
                }
            )
        if rng.random() < 0.1:
            start = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(1500))
            exclusions.append(
                {
                    "credit_code": code,
                    "kind": "abnormal_operations",
                    "start_on": start,
                    "end_on": rng.choice([None, start + dt.timedelta(days=200)]),
                }
            )
    return tables(enterprise=ent, enterprise_year=ey, title=titles, exclusion=exclusions)
