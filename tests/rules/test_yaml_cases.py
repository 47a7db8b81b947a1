"""The toy pack's YAML tests, one pytest case each, and the runner's own behaviour on a failing case."""

from __future__ import annotations

import pytest

from smeladder.rules.yamltests import Case, build_tables, collect
from smeladder.services.packtests import registry_columns

from .conftest import TOY_PACK


def _cases():
    from smeladder.rules import load_pack

    return collect(load_pack(TOY_PACK), columns=registry_columns())


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case.id)
def test_toy_pack_case(case: Case):
    case.check()


def test_a_wrong_expectation_fails_with_the_explanation(toy_pack):
    spec = {
        "name": "deliberately wrong",
        "as_of": "2025-08-01",
        "input": {"revenue": {2024: 14_200_000}, "rd_expense": {2024: 500_000}, "employees": {2024: 60}},
        "output": {"voucher_eligible": True, "innovation_points": 10},
    }
    failures = Case(toy_pack, TOY_PACK / "tests" / "inline.yaml", 0, spec, registry_columns()).run("en")
    text = "\n".join(failures)
    assert "voucher_eligible [2025-08-01] is no, expected yes" in text
    assert "innovation_points [2025-08-01] is 25, expected 10" in text
    # The explanation names the failed condition, the values and the margin.
    assert (
        "Operating revenue [2024] 14,200,000.00 yuan ≥ 15,000,000.00 yuan: not met — short by 800,000.00 yuan"
        in text
    )
    assert "Riverside Order 7/2023, Art. 3(2)" in text


def test_the_failure_explanation_speaks_chinese_too(toy_pack):
    spec = {
        "as_of": "2025-08-01",
        "input": {"revenue": {2024: 14_200_000}},
        "output": {"voucher_eligible": True},
    }
    text = "\n".join(
        Case(toy_pack, TOY_PACK / "tests" / "inline.yaml", 0, spec, registry_columns()).run("zh")
    )
    assert "营业收入 [2024] 1,420.00万元 ≥ 1,500.00万元: 未满足 — 差 80.00万元" in text


def test_unknown_input_in_a_case_is_reported(toy_pack):
    from smeladder.rules import PackError

    spec = {"as_of": "2025-08-01", "input": {"turnover": {2024: 1}}, "output": {"voucher_eligible": True}}
    with pytest.raises(PackError, match="input 'turnover' is not an input variable"):
        Case(toy_pack, TOY_PACK / "tests" / "inline.yaml", 0, spec, registry_columns()).run()


def test_the_rows_of_a_table_the_pack_does_not_declare_take_the_column_types_handed_in(toy_pack):
    import datetime as dt

    import pyarrow as pa

    spec = {"rows": {"title": [{"title": "high_tech", "level": "national", "valid_from": "2024-01-01"}]}}
    typed = build_tables(toy_pack, "K", spec, "here", {"title": {"valid_from": "date", "title": "str"}})
    assert typed["title"].schema.field("valid_from").type == pa.date32()
    assert typed["title"].column("valid_from").to_pylist() == [dt.date(2024, 1, 1)]
    # Without the platform's types the engine guesses nothing: an undeclared column is text.
    untyped = build_tables(toy_pack, "K", spec, "here")
    assert untyped["title"].schema.field("valid_from").type == pa.string()
