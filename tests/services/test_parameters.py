"""The pack's names as a reader needs them: the dates each formula and each parameter value is in force,
the units of inputs, and the `--set` overrides; written from the toy pack's files and the Shanghai pack's."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest

from smeladder.errors import InvalidInput
from smeladder.registry import schema
from smeladder.services import parameters

from .conftest import context

TOY_PACK = Path(__file__).parents[1] / "rules" / "toy_pack"


def toy():
    return context(None, pack=str(TOY_PACK))


def test_a_formula_is_in_force_until_the_day_before_the_next_one():
    found = {v.name: v for v in parameters.variables(toy()).variables}
    # benefits.py: the voucher's formula changes on 2025-07-01; the talent grant starts on 2024-01-01.
    assert [(f.start, f.end) for f in found["innovation_voucher"].formulas] == [
        (None, dt.date(2025, 6, 30)),
        (dt.date(2025, 7, 1), None),
    ]
    assert [(f.start, f.end) for f in found["talent_grant"].formulas] == [(dt.date(2024, 1, 1), None)]
    assert found["innovation_voucher"].reference == "Riverside Order 7/2023, Art. 4"
    assert found["innovation_voucher"].unit == "CNY" and found["innovation_voucher"].kind == "formula"


def test_every_dated_value_of_a_parameter_with_its_own_reference_and_confirmation():
    (cap,) = parameters.parameters(toy(), "voucher.cap").parameters
    # parameters/voucher/cap.yaml
    assert [(v.start, v.end, v.value, v.reference, v.confirmed) for v in cap.values] == [
        (dt.date(2023, 1, 1), dt.date(2025, 6, 30), "500000", "Riverside Order 7/2023, Art. 4(2)", True),
        (dt.date(2025, 7, 1), None, "800000", "Riverside Order 2/2025, Art. 1", False),
    ]
    assert cap.unit == "yuan" and cap.confirmed is False


def test_the_shanghai_values_follow_each_other_without_a_gap():
    for parameter in parameters.parameters(context(None)).parameters:
        assert parameter.values[-1].end is None
        for value, following in itertools.pairwise(parameter.values):
            assert value.end == following.start - dt.timedelta(days=1)


def test_a_measure_id_selects_its_names():
    shanghai = context(None)
    names = [v.name for v in parameters.variables(shanghai, "M1.2b").variables]
    assert names and all(name.startswith("m1_2b_") for name in names)
    assert "m1_2b_paid" in names
    paths = [p.path for p in parameters.parameters(shanghai, "m1.2b").parameters]
    assert "M1.2b.cap" in paths and all(path.startswith("M1.2b.") for path in paths)
    with pytest.raises(InvalidInput, match="no variable"):
        parameters.variables(shanghai, "zz")


def test_an_input_has_the_unit_of_its_registry_column():
    inputs = [v for v in parameters.variables(context(None)).variables if v.kind == "input"]
    assert inputs
    for variable in inputs:
        table, _, column = variable.source.partition(".")
        if variable.type == "money":
            assert variable.unit == "CNY"
        elif table in schema.TABLES and column in schema.TABLES[table].column_names:
            assert variable.unit == schema.TABLES[table].column(column).unit


def test_overrides_read_as_the_pack_reads_yaml():
    assert parameters.parse_overrides(["M1.2b.cap=300000", "M4.1.rate@2026-01-01=0.4"]) == {
        "M1.2b.cap": 300000,
        "M4.1.rate@2026-01-01": Decimal("0.4"),
    }
    assert parameters.parse_overrides(None) == {}
    for bad in ("M1.2b.cap", "=3", "a=[1"):
        with pytest.raises(InvalidInput):
            parameters.parse_overrides([bad])
