"""The little giant's R&D intensity by size, written from TIERS.md: under the 2022 rule set three revenue bands
that exclude one another, each with its own requirement (revenue ≥ 100 million → R&D ≥ 3% in each of the last
2 years; 50–100 million → ≥ 6% in each; < 50 million → new equity ≥ 80,000,000 and R&D ≥ 30,000,000 over 2
years and R&D staff ≥ 50%); under the 2026 rule set no bands (revenue ≥ 50 million, R&D ≥ 12,000,000 over 2
years and ≥ 3% of revenue in each year).

The letter, the trace and the invitation list name what fails inside the enterprise's own band first, with
the margin, and another band only as an alternative that is at most as short; every equally short way is
listed. A share of nothing (no employees) cannot be computed and is never met."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ibis
import pytest

from smeladder.ladder.letter import letter_document
from smeladder.ladder.readiness import readiness
from smeladder.rules import flips
from smeladder.rules.backends import duckdb_source
from smeladder.rules.compile import compile_plan, criterion_leaves
from smeladder.rules.criteria import conditions_short, outcome_tree
from smeladder.rules.explain import explain
from smeladder.rules.explain_letter import need_labels
from smeladder.rules.explain_nodes import Outcome
from smeladder.rules.letter_render import render
from smeladder.rules.plan import make_plan
from smeladder.rules.yamltests import build_tables
from smeladder.services.packtests import registry_columns

KEY = "91310000LG0000001X"
AS_OF_2022 = dt.date(2025, 8, 1)  # the 2022 rule set; prior year 2024
AS_OF_2026 = dt.date(2026, 5, 1)  # the 2026 rule set; prior year 2025
ROWS = {
    "title": [
        {"title": "ss_sme", "level": "municipal", "valid_from": "2024-07-01", "valid_to": "2027-06-30"},
        {"title": "rd_institution", "level": "municipal", "valid_from": "2020-01-01"},
    ],
    "application": [
        {
            "application_id": "L1",
            "measure": "little_giant",
            "fiscal_year": 2025,
            "submitted_on": "2025-03-01",
            "own_brand": True,
            "niche_leading": True,
            "key_field_product": True,
            "development_quality_score": 70,
        }
    ],
}


def firm_2022(revenue, rd, *, revenue_before=None, rd_before=None, **extra):
    """A firm meeting every 2022 little-giant condition except, possibly, its R&D by size: revenue and R&D
    in 2024 (and 2023), 30 staff of whom 20 in R&D unless said."""
    revenue_before = revenue_before if revenue_before is not None else revenue
    rd_before = rd_before if rd_before is not None else rd
    return {
        "input": {
            "size_class": "medium",
            "years_in_niche": {2024: 5},
            "revenue": {2024: revenue, 2023: revenue_before},
            "main_revenue": {2024: revenue * 0.9, 2023: revenue_before * 0.85, 2022: revenue_before * 0.75},
            "rd_expense": {2024: rd, 2023: rd_before},
            "digitalization_level": {2024: 2},
            "certifications": {2024: "ISO9001"},
            "total_assets": {2024: 100000000},
            "total_liabilities": {2024: 50000000},
            "niche_share_percent": {2024: 15},
            "ip_class1": {2024: 2},
            "employees": {2024: 30},
            "rd_staff": {2024: 20},
        }
        | extra,
        "rows": ROWS,
    }


def firm_2026(revenue, rd, *, rd_before=None):
    rd_before = rd_before if rd_before is not None else rd
    return {
        "input": {
            "size_class": "medium",
            "years_in_niche": {2025: 5},
            "revenue": {2025: revenue, 2024: revenue},
            "main_revenue": {2025: revenue * 0.95, 2024: revenue * 0.9, 2023: revenue * 0.85},
            "rd_expense": {2025: rd, 2024: rd_before},
            "total_assets": {2025: 100000000},
            "total_liabilities": {2025: 50000000},
            "niche_share_percent": {2025: 15},
            "ip_class1": {2025: 5},
        },
        "rows": ROWS,
    }


def _small(rd_staff, **extra):
    spec = firm_2022(40_000_000.0, 5_000_000.0, **extra)
    spec["input"] = spec["input"] | {"rd_staff": {2024: rd_staff}}
    return spec


def _no_staff():
    spec = firm_2022(40_000_000.0, 16_000_000.0, equity_financing={2024: 90_000_000, 2023: 0})
    spec["input"] = spec["input"] | {"employees": {2024: 0}, "rd_staff": {2024: 0}}
    return spec


FIRMS = {
    "large": lambda: firm_2022(120_000_000.0, 3_000_000.0, rd_before=4_800_000.0),
    "mid": lambda: firm_2022(80_000_000.0, 4_000_000.0, rd_before=5_200_000.0),
    "small": lambda: _small(10),
    "mid_met": lambda: firm_2022(80_000_000.0, 4_800_000.0),
    "no_staff": _no_staff,
    "no_assets": lambda: firm_2022(
        120_000_000.0, 4_000_000.0, total_assets={2024: 0}, total_liabilities={2024: 0}
    ),
    "2026_share": lambda: firm_2026(120_000_000.0, 3_000_000.0, rd_before=10_000_000.0),
    "2026_small": lambda: firm_2026(40_000_000.0, 7_000_000.0),
}
KEYS = {name: f"91310000LG{index:07d}X" for index, name in enumerate(FIRMS)}


@pytest.fixture(scope="module")
def registry(pack):
    """All the firms in one registry: the compiled query of a date is prepared once and reused for each."""
    return _registry(pack, {KEYS[name]: make() for name, make in FIRMS.items()})


def _registry(pack, firms):
    import pyarrow as pa

    built = {}
    for key, spec in firms.items():
        for name, table in build_tables(
            pack, key, {**spec, "input": _floats_out(spec["input"])}, "test", registry_columns()
        ).items():
            built.setdefault(name, []).append(table)
    con = ibis.duckdb.connect()
    for name, tables in built.items():
        con.create_table(name, pa.concat_tables(tables, promote_options="default"))
    return duckdb_source(None, pack.tables, con=con)


def _floats_out(inputs):
    # Money as exact text: 0.9 × 80,000,000 must be 72,000,000.00, not a float's neighbour.
    return {
        name: {y: f"{v:.2f}" if isinstance(v, float) else v for y, v in value.items()}
        if isinstance(value, dict)
        else value
        for name, value in inputs.items()
    }


def criterion_of(pack, source, key, as_of):
    explanation = explain(pack, source, key, as_of, ["little_giant_eligible"])
    assert explanation.found
    return explanation, explanation.roots[0]


def rd_by_size(tree):
    """The 2022 tree's choice of bands (under "Innovation, or a direct condition")."""
    found = [node for node in _groups(tree) if node.mode == "bands"]
    assert len(found) == 1
    return found[0]


def _groups(node):
    if hasattr(node, "children"):
        yield node
        for child in node.children:
            yield from _groups(child)


def letter_text(pack, source, key, as_of, lang="en"):
    report = readiness(pack, source, key, as_of)
    assert report.next_rung == "little_giant"
    return render(letter_document(report, pack, lang))


# --- 2022: each band on its own ------------------------------------------------------------------------------


def test_a_large_firm_short_of_3_percent_is_told_its_own_bands_share_with_the_margin(pack, registry):
    # 120 million revenue: the ≥ 100 million band; R&D 2.5% in 2024 (3,000,000), 4% in 2023.
    _, node = criterion_of(pack, registry, KEYS["large"], AS_OF_2022)
    bands = rd_by_size(node.conditions)
    assert bands.own_band == 0 and not bands.passed
    need = flips.to_flip(bands)
    assert need.band == "own" and need.cost == 1  # no other band is as short: it is not offered
    (leaf,) = need.leaves()
    assert leaf.label == "R&D share of revenue, prior year" and leaf.share == Decimal("0.03")
    assert leaf.margin == 600_000  # 3% of 120 million is 3,600,000
    english = letter_text(pack, registry, KEYS["large"], AS_OF_2022)
    assert (
        "in your band (Revenue 100 million or more): R&D share of revenue, prior year (2024): 2.5%, needs at "
        "least 3%: 0.5 percentage points or 600,000.00 yuan more" in english
    )
    assert "Revenue < 100 million" not in english and "Revenue under 50 million" not in english


def test_a_mid_firm_short_of_6_percent_also_sees_the_equally_short_large_band(pack, registry):
    # 80 million: the 50–100 million band needs 6% in each year; 2024 has 5% (4,000,000), 2023 has 6.5%.
    # Staying needs one change (800,000 yuan more R&D); reaching 100 million revenue is also one change,
    # since 5% and 6.5% already meet the large band's 3%. Both are listed, the own band first.
    _, node = criterion_of(pack, registry, KEYS["mid"], AS_OF_2022)
    bands = rd_by_size(node.conditions)
    assert bands.own_band == 1
    need = flips.to_flip(bands)
    assert need.is_choice and need.cost == 1
    assert [way.band for way in need.parts] == ["own", "other"]
    assert [way.label for way in need.parts] == ["Revenue 50-100 million", "Revenue 100 million or more"]
    own, other = need.parts
    assert own.leaf.label == "R&D share of revenue, prior year" and own.leaf.margin == 800_000
    assert other.leaf.label == "Revenue ≥ 100 million" and other.leaf.margin == 20_000_000
    english = letter_text(pack, registry, KEYS["mid"], AS_OF_2022)
    choice = english.split("R&D intensity by size — one of:")[1].splitlines()
    assert (
        choice[1].strip().startswith("- in your band (Revenue 50-100 million): R&D share of revenue, prior")
    )
    assert (
        "0.5 percentage points" not in choice[1]
        and "1 percentage points or 800,000.00 yuan more" in choice[1]
    )
    assert (
        choice[2]
        .strip()
        .startswith(
            "- or, instead: in the band Revenue 100 million or more: revenue ≥ 100 million (2024): "
            "80,000,000.00 yuan, needs at least 100,000,000.00 yuan: 20,000,000.00 yuan more"
        )
    )


def test_a_small_firm_is_told_its_own_bands_three_conditions_before_the_shorter_bands(pack, registry):
    # 40 million: the < 50 million band needs equity 80 million, R&D 30 million over 2 years and half the staff in
    # R&D; it has no equity, 10 million of R&D (5 + 5) and 10 of 30 staff: three changes. Reaching 50 or 100
    # million revenue is one change each (12.5% R&D meets 3% and 6%): listed after the own band, shortest first.
    _, node = criterion_of(pack, registry, KEYS["small"], AS_OF_2022)
    bands = rd_by_size(node.conditions)
    assert bands.own_band == 2
    need = flips.to_flip(bands)
    own, *others = need.parts
    assert own.band == "own" and own.cost == 3 and need.cost == 1
    assert [leaf.label for leaf in own.leaves()] == [
        "Equity financing over 2 years",
        "R&D over 2 years",
        "R&D staff share",
    ]
    assert [(way.label, way.cost) for way in others] == [
        ("Revenue 100 million or more", 1),
        ("Revenue 50-100 million", 1),
    ]
    english = letter_text(pack, registry, KEYS["small"], AS_OF_2022)
    lines = english.split("R&D intensity by size — one of:")[1].splitlines()
    assert (
        lines[1]
        .strip()
        .startswith("- in your band (Revenue under 50 million): equity financing over 2 years")
    )
    assert lines[2].strip().startswith("R&D over 2 years") and lines[3].strip().startswith("R&D staff share")
    assert "R&D staff share (2024): 33.33%, needs at least 50%" in lines[3]
    assert lines[4].strip().startswith("- or, instead: in the band Revenue 100 million or more")


def test_a_firm_meeting_its_bands_requirement_meets_the_innovation_condition(pack, registry):
    # 80 million with 6% in each year: the middle band is met exactly at its minimum.
    _, node = criterion_of(pack, registry, KEYS["mid_met"], AS_OF_2022)
    bands = rd_by_size(node.conditions)
    assert bands.passed and bands.own_band == 1
    assert node.value is True


def test_the_trace_names_the_own_band(pack, registry):
    explanation, _ = criterion_of(pack, registry, KEYS["large"], AS_OF_2022)
    trace = explanation.text("en")
    assert "R&D intensity by size: the conditions of its band" in trace
    assert "(its own band:)" in trace
    assert (
        "in its own band (Revenue 100 million or more): R&D share of revenue, prior year (short by" in trace
    )


def test_invitations_count_the_fewest_changes_and_name_the_own_band_first(pack):
    """`invite --missing` for a whole registry: the count is the cheapest way, the conditions lacking start
    with the firm's own band."""
    source = _registry(pack, {KEY: _small(10)})
    compiled = compile_plan(pack, make_plan(pack, ["little_giant_eligible"], AS_OF_2022), source.tables)
    tree, outcomes = criterion_leaves(pack, compiled, "little_giant_eligible")
    row = source.con.to_pyarrow(compiled.all_nodes_expr.select(**{str(k): v for k, v in outcomes.items()}))
    met = {leaf: row.column(str(leaf)).to_pylist()[0] for leaf in outcomes}
    assert conditions_short(tree, met) == 1
    labels = need_labels(flips.to_flip(outcome_tree(tree, met)), "en")
    assert len(labels) == 1
    assert labels[0].startswith(
        "in your band (Revenue under 50 million): Equity financing over 2 years + R&D over 2 years + R&D staff share"
    )
    assert " or in the band Revenue 100 million or more: Revenue ≥ 100 million" in labels[0]


# --- a share of nothing ------------------------------------------------------------------------------------


def test_a_small_firm_with_no_employees_cannot_have_its_rd_staff_share_computed(pack, registry):
    _, node = criterion_of(pack, registry, KEYS["no_staff"], AS_OF_2022)
    bands = rd_by_size(node.conditions)
    staff = next(leaf for leaf in flips.to_flip(bands).leaves() if leaf.label == "R&D staff share")
    assert staff.outcome is Outcome.UNCOMPUTABLE and staff.margin is None
    assert node.value is False  # 0 ≥ 50% of 0 is not met: the batch says not met
    english = letter_text(pack, registry, KEYS["no_staff"], AS_OF_2022)
    assert "R&D staff share (2024): cannot be computed, Employees is 0" in english
    chinese = letter_text(pack, registry, KEYS["no_staff"], AS_OF_2022, "zh")
    assert "研发人员占比（2024年）：无法计算，从业人员为0" in chinese


def test_a_debt_share_of_no_assets_is_not_met(pack, registry):
    # Before: 0 liabilities ≤ 70% of 0 assets counted as met.
    _, node = criterion_of(pack, registry, KEYS["no_assets"], AS_OF_2022)
    debt = next(
        leaf for leaf in flips.to_flip(node.conditions).leaves() if leaf.label == "Debt-to-asset ratio"
    )
    assert debt.outcome is Outcome.UNCOMPUTABLE
    assert node.value is False


# --- 2026: no bands ----------------------------------------------------------------------------------------


def test_under_the_2026_rules_a_share_below_3_percent_is_said_without_bands(pack, registry):
    _, node = criterion_of(pack, registry, KEYS["2026_share"], AS_OF_2026)
    assert not any(group.mode == "bands" for group in _groups(node.conditions))
    (leaf,) = flips.to_flip(node.conditions).leaves()
    assert leaf.label == "R&D share of revenue, prior year" and leaf.margin == 600_000
    english = letter_text(pack, registry, KEYS["2026_share"], AS_OF_2026)
    assert (
        "R&D share of revenue, prior year (2025): 2.5%, needs at least 3%: 0.5 percentage points or "
        "600,000.00 yuan more" in english
    )
    assert "band" not in english


def test_under_the_2026_rules_a_small_firm_lacks_revenue_not_a_band(pack, registry):
    _, node = criterion_of(pack, registry, KEYS["2026_small"], AS_OF_2026)
    labels = [leaf.label for leaf in flips.to_flip(node.conditions).leaves()]
    assert labels == ["Revenue"]
    english = letter_text(pack, registry, KEYS["2026_small"], AS_OF_2026)
    assert (
        "Revenue (2025): 40,000,000.00 yuan, needs at least 50,000,000.00 yuan: 10,000,000.00 yuan more"
        in english
    )
    assert "band" not in english
    chinese = letter_text(pack, registry, KEYS["2026_small"], AS_OF_2026, "zh")
    assert "营业收入（2025年）：4,000.00万元，要求不低于5,000.00万元：还差1,000.00万元" in chinese
