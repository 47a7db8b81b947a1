"""Explaining one enterprise: tree, conditions with margins, references, zh and en, JSON, speed."""

from __future__ import annotations

import datetime as dt
import json
import time

from smeladder.rules.explain import explain

from .conftest import duckdb_registry
from .registry_builder import tables

KEY = "91310115000000001X"
AS_OF = dt.date(2025, 8, 1)


def registry(toy_pack):
    return duckdb_registry(
        tables(
            enterprise=[{"credit_code": KEY, "name_zh": "河畔科技", "district_adcode": "310115"}],
            enterprise_year=[
                {
                    "credit_code": KEY,
                    "fiscal_year": 2024,
                    "operating_revenue": "14200000.00",
                    "rd_expense": "500000.00",
                    "employees": 60,
                    "rd_staff": 3,
                    "total_assets": "10000000.00",
                    "total_liabilities": "8000000.00",
                    "ip_class1": 0,
                }
            ],
            title=[
                {"credit_code": KEY, "title": "high_tech", "level": "national", "valid_from": "2024-01-01"}
            ],
        ),
        toy_pack,
    )


def test_explanation_lists_each_condition_with_value_threshold_margin_and_reference(toy_pack):
    explanation = explain(toy_pack, registry(toy_pack), KEY, AS_OF, ["voucher_eligible"])
    text = explanation.text("en")
    assert "✗ Prior-year revenue at least the minimum: Operating revenue [2024] 14,200,000.00 yuan" in text
    assert (
        "≥ 15,000,000.00 yuan: not met — short by 800,000.00 yuan [Riverside Order 7/2023, Art. 3(2)]" in text
    )
    assert "✓ High-tech enterprise title" in text
    assert "needs ≤ 70.00% = 7,000,000.00 yuan: not met — over by 1,000,000.00 yuan" in text
    # Two conditions fail, so no single change flips the outcome: both are listed.
    assert "To flip the outcome: Prior-year revenue at least the minimum (short by 800,000.00 yuan); " in text


def test_explanation_in_chinese(toy_pack):
    text = explain(toy_pack, registry(toy_pack), KEY, AS_OF, ["voucher_eligible"]).text("zh")
    assert (
        "✗ 上年营业收入达到下限: 营业收入 [2024] 1,420.00万元 ≥ 1,500.00万元: 未满足 — 差 80.00万元" in text
    )
    assert "改变结果所需" in text


def test_unconfirmed_parameters_are_flagged(toy_pack):
    text = explain(toy_pack, registry(toy_pack), KEY, AS_OF, ["innovation_voucher"]).text("en")
    assert "parameter voucher.cap = 800,000 yuan" in text
    assert "UNCONFIRMED" in text


def test_the_tree_is_typed_nodes_with_values_conditions_and_parameters(toy_pack):
    from smeladder.rules.explain_nodes import Group, Leaf, Outcome, VariableNode

    explanation = explain(toy_pack, registry(toy_pack), KEY, AS_OF, ["voucher_paid", "voucher_eligible"])
    paid, eligible = explanation.roots
    assert isinstance(paid, VariableNode) and paid.variable == "voucher_paid" and paid.value == 0
    inputs = {child.variable: child for child in paid.inputs}
    assert inputs["innovation_voucher"].formula.since.isoformat() == "2025-07-01"
    assert eligible.repeated  # told once under voucher_paid, then referred to
    conditions = inputs["innovation_voucher"].inputs[2].conditions
    assert isinstance(conditions, Group) and conditions.outcome is Outcome.NOT_MET
    revenue = conditions.children[1]
    assert isinstance(revenue, Leaf) and revenue.variable == "revenue" and not revenue.passed
    assert str(revenue.margin) == "800000.00" and revenue.parameter.confirmed
    assert paid.label_in("zh") == "创新券实发金额"


def test_the_tree_as_json_keeps_exact_decimals(toy_pack):
    from smeladder.rules.explain_nodes import VariableNode
    from smeladder.services.models import Result

    class Tree(Result):
        roots: list[VariableNode]

    explanation = explain(toy_pack, registry(toy_pack), KEY, AS_OF, ["voucher_eligible"])
    document = json.loads(Tree(roots=explanation.roots).model_dump_json())
    revenue = document["roots"][0]["conditions"]["children"][1]
    assert revenue["margin"] == "800000.00" and revenue["outcome"] == "not_met"
    assert revenue["shown_en"]["margin"] == "800,000.00 yuan"


def test_unknown_enterprise_is_reported_not_invented(toy_pack):
    explanation = explain(toy_pack, registry(toy_pack), "NOPE", AS_OF, ["voucher_paid"])
    assert not explanation.found
    assert "not found in the registry" in explanation.text("en")


def test_repeated_explanations_reuse_the_compiled_query(toy_pack):
    source = registry(toy_pack)
    explain(toy_pack, source, KEY, AS_OF)
    started = time.perf_counter()
    for _ in range(20):
        explain(toy_pack, source, KEY, AS_OF)
    assert (time.perf_counter() - started) / 20 < 0.25  # generous: shared CI machine; see benchmarks for p50
    assert len(source.explain_cache) == 1
