"""Parameters: dated values, units, references, confirmed flags, bands and mid-period rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smeladder.rules import PackError
from smeladder.rules.parameters import parse_parameter
from smeladder.rules.periods import Instant, Year
from smeladder.rules.yamlio import loads_yaml


def parameter(text: str):
    return parse_parameter("test.item", loads_yaml(text), "test/item.yaml")


BASE = """
description: A yearly amount
unit: yuan
reference: {document: "Order 1", article: "Art. 2"}
confirmed: true
"""


def test_decimals_stay_exact_and_values_are_dated():
    item = parameter(BASE + "values: {2023-01-01: 0.10, 2025-07-01: 0.125}")
    assert item.resolve(Instant(dt.date(2025, 6, 30))).value == Decimal("0.10")
    assert item.resolve(Instant(dt.date(2025, 7, 1))).value == Decimal("0.125")
    assert isinstance(item.values[0].value, Decimal)


def test_a_mid_year_change_without_a_rule_is_an_error_naming_the_file():
    item = parameter(BASE + "values: {2023-01-01: 100000, 2024-07-01: 200000}")
    assert item.resolve(Year(2023)).value == 100000
    with pytest.raises(
        PackError, match=r"test\.item \(test/item\.yaml\).*changes on 2024-07-01 inside period 2024"
    ):
        item.resolve(Year(2024))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("start", Decimal(100000)),
        ("end", Decimal(200000)),
        ("06-30", Decimal(100000)),
        ("prorate", Decimal("150273.22")),
    ],
)
def test_mid_period_rules(rule, expected):
    item = parameter(BASE + f"mid_period: '{rule}'\nvalues: {{2023-01-01: 100000, 2024-07-01: 200000}}")
    resolved = item.resolve(Year(2024))
    assert resolved.value == expected
    assert rule in resolved.how or "prorated" in resolved.how


def test_unconfirmed_value_taints_what_reads_it():
    item = parameter(
        BASE + "values:\n  2023-01-01: 1\n  2025-01-01: {value: 2, confirmed: false, reference: Order 9}"
    )
    assert item.resolve(Instant(dt.date(2024, 1, 1))).confirmed
    late = item.resolve(Instant(dt.date(2025, 1, 1)))
    assert not late.confirmed
    assert late.references[0].document == "Order 9"


def test_missing_value_before_the_first_date_and_after_a_repeal():
    item = parameter(BASE + "values: {2023-01-01: 1, 2024-01-01: null}")
    with pytest.raises(PackError, match="has no value on 2022-12-31"):
        item.resolve(Instant(dt.date(2022, 12, 31)))
    with pytest.raises(PackError, match="has no value on 2024-02-01"):
        item.resolve(Instant(dt.date(2024, 2, 1)))


def test_bands_lower_bound_inclusive_unless_strict():
    item = parameter(
        "description: points\nunit: points\nbands:\n  2023-01-01:\n    below: 0\n    from:\n"
        "      - {at: 0.01, value: 5}\n      - {at: 0.03, value: 15}\n      - {at: 0.05, value: 20, strict: true}\n"
    )
    bands = item.resolve(Instant(dt.date(2024, 1, 1))).value
    assert [bands.value_for(Decimal(x)) for x in ("0.0099", "0.01", "0.03", "0.05", "0.0501")] == [
        0,
        5,
        15,
        15,
        20,
    ]


def test_bands_cannot_be_prorated():
    item = parameter(
        "description: points\nunit: points\nmid_period: prorate\nbands:\n"
        "  2023-01-01: {below: 0, from: [{at: 1, value: 5}]}\n  2024-07-01: {below: 0, from: [{at: 2, value: 5}]}\n"
    )
    with pytest.raises(PackError, match="bands cannot be prorated"):
        item.resolve(Year(2024))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("unit: yuan\nvalues: {2023-01-01: 1}", "needs `description`"),
        ("description: x\nunit: yuan\nvalues: {2023-01-01: 1}\nbands: {}", "exactly one of"),
        (
            "description: x\nunit: yuan\nmid_period: sometimes\nvalues: {2023-01-01: 1}",
            "mid_period 'sometimes'",
        ),
        ("description: x\nunit: yuan\nvalues: {someday: 1}", "'someday' is not a date"),
        ("description: x\nunit: yuan\nvalue: 1", "unknown keys"),
        (
            "description: x\nunit: p\nbands: {2023-01-01: {below: 0, from: [{at: 2, value: 1}, {at: 1, value: 2}]}}",
            "ascend",
        ),
    ],
)
def test_malformed_parameters_are_rejected_with_the_file(text, message):
    with pytest.raises(PackError, match=message) as error:
        parameter(text)
    assert "test/item.yaml" in str(error.value)


def test_overrides_replace_or_add_a_dated_value(toy_pack):
    tree = toy_pack.parameters.with_overrides(
        {"voucher.cap": Decimal(600000), "voucher.rate@2026-01-01": Decimal("0.2")}
    )
    assert tree["voucher.cap"].resolve(Instant(dt.date(2024, 1, 1))).value == 600000
    assert not tree["voucher.cap"].resolve(Instant(dt.date(2024, 1, 1))).confirmed
    assert tree["voucher.rate"].resolve(Instant(dt.date(2025, 12, 31))).value == Decimal("0.125")
    assert tree["voucher.rate"].resolve(Instant(dt.date(2026, 1, 1))).value == Decimal("0.2")
    # The pack itself is untouched.
    assert toy_pack.parameters["voucher.cap"].resolve(Instant(dt.date(2024, 1, 1))).value == 500000
