import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from smeladder.registry import credit_code, districts, schema
from smeladder.registry.synth import PUBLISHED_STOCK, SHANGHAI_SCALE, scaled_title_counts, synthesize
from smeladder.rules.locate import find_pack

YEARS = range(2021, 2026)


@pytest.fixture(scope="module")
def registry():
    return synthesize(20_000, YEARS, seed=11)


def test_same_seed_same_registry():
    first = synthesize(500, YEARS, seed=3)
    second = synthesize(500, YEARS, seed=3)
    for name in schema.TABLES:
        assert first[name].equals(second[name]), name
    assert not synthesize(500, YEARS, seed=4)["enterprise"].equals(first["enterprise"])


def test_tables_have_the_schema_columns_in_order(registry):
    for name, spec in schema.TABLES.items():
        assert tuple(registry[name].column_names) == spec.column_names


def test_money_is_exact_decimal(registry):
    for column in schema.ENTERPRISE_YEAR.columns:
        if column.dtype == "money":
            assert registry["enterprise_year"][column.name].type == pa.decimal128(18, 2), column.name
    revenue = registry["enterprise_year"]["operating_revenue"][0].as_py()
    assert isinstance(revenue, Decimal)


def test_codes_are_valid_unique_and_carry_their_district(registry):
    enterprise = registry["enterprise"].to_pylist()
    codes = [e["credit_code"] for e in enterprise]
    assert len(set(codes)) == len(codes)
    assert all(uscc.is_valid(c) for c in codes)
    assert all(credit_code.division_code(e["credit_code"]) == e["district_adcode"] for e in enterprise)


def test_every_point_lies_inside_its_district(registry):
    enterprise = registry["enterprise"]
    adcode = np.array(enterprise["district_adcode"].to_pylist())
    lat = enterprise["latitude"].to_numpy()
    lon = enterprise["longitude"].to_numpy()
    for code in districts.adcodes():
        mask = adcode == code
        assert districts.contains(code, lat[mask], lon[mask]).all(), code


def test_central_districts_are_denser_per_km2(registry):
    counts = dict(
        zip(*np.unique(registry["enterprise"]["district_adcode"].to_numpy(), return_counts=True), strict=True)
    )
    info = districts.by_adcode()
    density = {code: counts[code] / info[code].area_km2 for code in counts}
    central = ("310101", "310104", "310105", "310106", "310107", "310109", "310110")
    outer = ("310116", "310118", "310120", "310151")
    assert min(density[c] for c in central) > 3 * max(density[c] for c in outer)


def test_row_invariants_hold(registry):
    year = registry["enterprise_year"]
    assert pc.all(pc.less_equal(year["main_business_revenue"], year["operating_revenue"])).as_py()
    assert pc.all(pc.less_equal(year["rd_staff"], year["employees"])).as_py()
    assert pc.min(year["operating_revenue"]).as_py() >= 0
    assert set(year["fiscal_year"].to_pylist()) == set(YEARS)


def test_figures_correlate_as_in_life(registry):
    year = registry["enterprise_year"].filter(pc.equal(registry["enterprise_year"]["fiscal_year"], 2025))
    revenue = np.array(year["operating_revenue"].to_pylist(), dtype=float)
    rd_ratio = np.array(year["rd_expense"].to_pylist(), dtype=float) / np.maximum(revenue, 1)
    ip1 = year["ip_class1"].to_numpy()
    # Firms with invention patents spend more on R&D, relative to revenue, than firms without.
    assert rd_ratio[ip1 > 0].mean() > 1.5 * rd_ratio[ip1 == 0].mean()
    # Revenue is heavy-tailed: the top 1 % of firms hold a large share of the total.
    top = np.sort(revenue)[-len(revenue) // 100 :]
    assert top.sum() / revenue.sum() > 0.25


def test_growth_types_persist(registry):
    year = registry["enterprise_year"]
    by_firm: dict[str, dict[int, float]] = {}
    for code, fy, revenue in zip(
        year["credit_code"].to_pylist(),
        year["fiscal_year"].to_pylist(),
        year["operating_revenue"].to_pylist(),
        strict=True,
    ):
        by_firm.setdefault(code, {})[fy] = float(revenue)
    growth_early, growth_late = [], []
    for figures in by_firm.values():
        if all(y in figures for y in YEARS):
            growth_early.append(figures[2023] / figures[2021])
            growth_late.append(figures[2025] / figures[2023])
    # Firms that grew fast in 2021-23 tend to grow fast in 2023-25: rank correlation clearly positive.
    early = np.argsort(np.argsort(growth_early))
    late = np.argsort(np.argsort(growth_late))
    assert np.corrcoef(early, late)[0, 1] > 0.3


def test_title_counts_are_the_published_stock_scaled(registry):
    as_of = dt.date(2025, 12, 31)
    title = registry["title"].to_pylist()
    held: dict[str, set[str]] = {}
    for t in title:
        if t["valid_from"] <= as_of and (t["valid_to"] is None or t["valid_to"] >= as_of):
            held.setdefault(t["title"], set()).add(t["credit_code"])
    expected = scaled_title_counts(20_000)
    for name, count in expected.items():
        assert len(held[name]) == count, name
    # The ladder is nested: every little giant is an S&S SME, every S&S SME an innovative SME.
    assert held["little_giant"] <= held["ss_sme"] <= held["innovative_sme"]


def test_innovation_titles_go_to_firms_that_report_r_and_d(registry):
    # Every rung of the ladder, and the high-tech and tech-SME evaluations, ask for R&D expense: a current
    # holder reporting none in the latest year would be a registry no officer believes.
    year = registry["enterprise_year"].filter(pc.equal(registry["enterprise_year"]["fiscal_year"], 2025))
    reports_rd = {
        code
        for code, rd in zip(year["credit_code"].to_pylist(), year["rd_expense"].to_pylist(), strict=True)
        if rd > 0
    }
    as_of = dt.date(2025, 12, 31)
    for t in registry["title"].to_pylist():
        current = t["valid_from"] <= as_of and (t["valid_to"] is None or t["valid_to"] >= as_of)
        if current and t["title"] in ("innovative_sme", "ss_sme", "little_giant", "high_tech", "tech_sme"):
            assert t["credit_code"] in reports_rd, t
    # And R&D is the exception, not the rule: most registered firms report none.
    assert 0.03 < len(reports_rd) / year.num_rows < 0.2


def test_scaling_reaches_the_published_stock_at_shanghai_scale():
    assert scaled_title_counts(SHANGHAI_SCALE) == PUBLISHED_STOCK
    assert PUBLISHED_STOCK["innovative_sme"] > 22_000 and PUBLISHED_STOCK["ss_sme"] > 12_000
    assert PUBLISHED_STOCK["little_giant"] == 857 and PUBLISHED_STOCK["single_champion"] == 129


def test_dirty_rate_zero_means_clean_and_positive_means_dirty():
    clean = synthesize(300, YEARS, seed=5)
    assert clean["enterprise"].schema.field("latitude").type == pa.float64()
    dirty = synthesize(300, YEARS, seed=5, dirty_rate=0.2)
    assert all(f.type == pa.string() for f in dirty["enterprise"].schema)
    assert dirty["enterprise_year"].num_rows > clean["enterprise_year"].num_rows  # duplicated rows added


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 400), seed=st.integers(0, 2**32 - 1), first=st.integers(2015, 2024))
def test_any_size_and_seed_gives_a_consistent_registry(n, seed, first):
    years = range(first, first + 2)
    tables = synthesize(n, years, seed)
    codes = set(tables["enterprise"]["credit_code"].to_pylist())
    assert len(codes) == n
    for name in ("enterprise_year", "title", "exclusion"):
        assert set(tables[name]["credit_code"].to_pylist()) <= codes
    founded = {e["credit_code"]: e["founded_on"] for e in tables["enterprise"].to_pylist()}
    for row in tables["enterprise_year"].select(["credit_code", "fiscal_year"]).to_pylist():
        assert founded[row["credit_code"]].year <= row["fiscal_year"]


def test_applications_are_deterministic_and_hold_only_their_measure_s_facts(registry):
    first = synthesize(800, YEARS, seed=9)["application"]
    assert first.equals(synthesize(800, YEARS, seed=9)["application"])
    applications = registry["application"].to_pylist()
    codes = set(registry["enterprise"]["credit_code"].to_pylist())
    assert len({a["application_id"] for a in applications}) == len(applications)
    facts = {
        "M4.1": "contract_value",
        "M6.2c": "contract_value",
        "M3.4a": "interest_paid",
        "M4.2a": "interest_paid",
        "M4.2b": "guarantee_fee",
        "M3.4b": "approved_investment",
        "M4.3": "water_excess_charge",
        "unicorn": "valuation_usd",
        "ss_sme": "development_quality_score",
    }
    measures = find_pack().measures
    seen = set()
    for a in applications:
        assert a["credit_code"] in codes
        assert a["measure"] in measures.application_types
        if a["measure"] in facts:
            assert a[facts[a["measure"]]] is not None, a
            seen.add(a["measure"])
        if a["measure"] in measures.application_types and a["measure"] not in measures.application_tiers:
            assert a["development_quality_score"] is None and a["valuation_usd"] is None
        else:
            assert a["contract_value"] is None and a["interest_paid"] is None
    assert seen == set(facts)
    # Tier applications come from firms on the ladder or strong candidates: S&S holders apply for little giant.
    held = {t["credit_code"] for t in registry["title"].to_pylist() if t["title"] == "ss_sme"}
    giant_applicants = {a["credit_code"] for a in applications if a["measure"] == "little_giant"}
    assert giant_applicants and giant_applicants <= held
