"""Othercity's money (Order 1/2025, Art. 5-6): G1, a flat growth grant to every starter enterprise, paid
automatically; A1, half of a consultancy contract, at most 200,000 a year, on application."""

import ibis

from smeladder.rules import MONEY, above, all_of, criterion, is_false, is_true, variable

SOURCE = "Othercity Enterprise Order 1/2025 (made up for the tests)"
SOURCE_ZH = "他城企业令2025年第1号(测试用)"

_not_excluded = is_false("excluded", label="Not on an exclusion list", label_zh="未列入限制名单")

g1_eligible = criterion(
    all_of(
        _not_excluded, is_true("holds_starter", label="Holds the starter title", label_zh="持有起步企业称号")
    ),
    label="G1: growth grant",
    label_zh="G1:成长补助条件",
    reference=f"{SOURCE}, Art. 5",
    reference_zh=f"{SOURCE_ZH}，第5条",
)


@variable(
    type=MONEY,
    period="instant",
    label="G1 growth grant",
    label_zh="G1 成长补助",
    reference=f"{SOURCE}, Art. 5",
)
def g1_amount(v, period, p):
    return ibis.ifelse(v.g1_eligible(period), p.G1.amount, 0)


@variable(
    type=MONEY,
    period="instant",
    benefit=True,
    label="G1 paid",
    label_zh="G1 实发",
    reference=f"{SOURCE}, Art. 5",
)
def g1_paid(v, period, p):
    return v.g1_amount(period)


a1_eligible = criterion(
    all_of(
        _not_excluded,
        above(
            "a1_contract_value",
            0,
            at="last_year",
            label="A consultancy contract last year",
            label_zh="上年签订咨询服务合同",
        ),
    ),
    label="A1: consultancy subsidy",
    label_zh="A1:咨询补贴条件",
    reference=f"{SOURCE}, Art. 6",
    reference_zh=f"{SOURCE_ZH}，第6条",
)


@variable(
    type=MONEY,
    period="instant",
    label="A1 consultancy subsidy",
    label_zh="A1 咨询补贴",
    reference=f"{SOURCE}, Art. 6",
)
def a1_amount(v, period, p):
    share = ibis.least(v.a1_contract_value(period.last_year) * p.A1.rate, p.A1.cap)
    return ibis.ifelse(v.a1_eligible(period), share, 0)


@variable(
    type=MONEY,
    period="instant",
    benefit=True,
    label="A1 paid",
    label_zh="A1 实发",
    reference=f"{SOURCE}, Art. 6",
)
def a1_paid(v, period, p):
    return v.a1_amount(period)
