"""Money: a capped voucher with dated rate and cap, a talent grant, and "the higher applies" between them."""

import ibis

from smeladder.rules import DATE, MONEY, RATE, higher_applies, lit, variable


@variable(
    type=MONEY,
    period="instant",
    label="Innovation voucher (before stacking)",
    label_zh="创新券金额(叠加规则前)",
    reference="Riverside Order 7/2023, Art. 4",
)
def innovation_voucher(v, period, p):
    amount = ibis.least(v.rd_expense(period.last_year) * p.voucher.rate, p.voucher.cap)
    return ibis.ifelse(v.voucher_eligible(period), amount, 0)


@innovation_voucher.formula(since="2025-07-01")
def innovation_voucher_2025(v, period, p):
    # Order 2/2025, Art. 1: high-tech enterprises get the full cap-limited amount plus 10% of it.
    amount = ibis.least(v.rd_expense(period.last_year) * p.voucher.rate, p.voucher.cap)
    bonus = ibis.ifelse(v.holds_high_tech(period), amount * lit("0.10"), 0)
    return ibis.ifelse(v.voucher_eligible(period), ibis.least(amount + bonus, p.voucher.cap), 0)


@variable(
    type=MONEY,
    period="instant",
    label="Talent grant (before stacking)",
    label_zh="人才补贴(叠加规则前)",
    since="2024-01-01",
)
def talent_grant(v, period, p):
    enough_staff = v.rd_staff(period.last_year) >= p.talent.min_rd_staff
    return ibis.ifelse(enough_staff & ~v.excluded(period), p.talent.grant, 0)


@variable(
    type=MONEY,
    period="instant",
    benefit=True,
    label="Innovation voucher paid",
    label_zh="创新券实发金额",
    since="2024-01-01",
)
def voucher_paid(v, period, p):
    return higher_applies([v.innovation_voucher(period), v.talent_grant(period)], 0)


@variable(
    type=MONEY,
    period="instant",
    benefit=True,
    label="Talent grant paid",
    label_zh="人才补贴实发金额",
    since="2024-01-01",
)
def talent_paid(v, period, p):
    return higher_applies([v.innovation_voucher(period), v.talent_grant(period)], 1)


@variable(
    type=MONEY,
    period="instant",
    benefit=True,
    label="Growth bonus paid for the prior year",
    label_zh="上年度成长奖励",
)
def growth_bonus(v, period, p):
    return v.growth_bonus_for_year(period.last_year)


@variable(type=DATE, period="instant", label="Voucher valid until", label_zh="创新券有效期至")
def voucher_valid_until(v, period, p):
    return lit(period.years_before(-1))


@variable(type=RATE, period="instant", label="Voucher rate applied", label_zh="创新券适用比例")
def voucher_rate_applied(v, period, p):
    return p.voucher.rate
