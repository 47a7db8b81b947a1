"""One small synthetic registry for the ladder tests, built once, with a hand-made enterprise whose shortfall
for the S&S rung is known exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest

from smeladder.registry import schema
from smeladder.registry.store import RegistryStore
from smeladder.registry.synth import synthesize
from smeladder.rules.backends import open_source
from smeladder.rules.locate import find_pack

KNOWN = "91310115MA1H2B3C4X"
AS_OF = dt.date(2026, 5, 1)


def _known_enterprise(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """An innovative SME (2022 title, valid to 2026-06-30) short of the 2026 S&S rung by exactly: revenue
    14,200,000 < 15,000,000 (800,000 more) and R&D 2.60% of revenue in 2025 (0.40 points, 56,800 yuan more)."""
    enterprise = tables["enterprise"].slice(0, 1).to_pylist()[0] | {
        "credit_code": KNOWN,
        "size_class": "small",
    }
    years = []
    for year, revenue, rd in (
        (2024, Decimal("13000000"), Decimal("520000")),
        (2025, Decimal("14200000"), Decimal("369200")),
    ):
        years.append(
            tables["enterprise_year"].slice(0, 1).to_pylist()[0]
            | {
                "credit_code": KNOWN,
                "fiscal_year": year,
                "operating_revenue": revenue,
                "main_business_revenue": revenue * Decimal("0.9"),
                "rd_expense": rd,
                "total_assets": Decimal("10000000"),
                "total_liabilities": Decimal("5000000"),
                "years_in_niche": 4,
                "ip_class1": 2,
                "rd_staff": 1,
                "employees": 30,
            }
        )
    title = {
        "credit_code": KNOWN,
        "title": "innovative_sme",
        "level": "municipal",
        "valid_from": dt.date(2023, 7, 1),
        "valid_to": dt.date(2026, 6, 30),
        "rank": None,
    }
    application = {c.name: None for c in schema.APPLICATION.columns} | {
        "application_id": "KNOWN-1",
        "credit_code": KNOWN,
        "measure": "ss_sme",
        "fiscal_year": 2026,
        "submitted_on": dt.date(2026, 2, 1),
        "niche_leading": True,
        "development_quality_score": 70,
    }
    added = {
        "enterprise": [enterprise],
        "enterprise_year": years,
        "title": [title],
        "application": [application],
    }
    return {
        name: pa.concat_tables([table, pa.Table.from_pylist(added.get(name, []), schema=table.schema)])
        for name, table in tables.items()
    }


@pytest.fixture(scope="session")
def registry_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("ladder-registry")
    RegistryStore(directory).load_tables(_known_enterprise(synthesize(1500, range(2021, 2026), seed=8)))
    return directory


@pytest.fixture(scope="session")
def pack():
    return find_pack("shanghai")


@pytest.fixture(scope="session")
def source(registry_dir, pack):
    return open_source("duckdb", table_names=pack.tables, data_dir=registry_dir)
