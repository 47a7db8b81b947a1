"""Growth: yearly variables, compared exactly (no float ratio)."""

import ibis

from smeladder.rules import BOOL, MONEY, variable


@variable(type=MONEY, period="year", label="Revenue growth over the previous year", label_zh="营业收入增长额")
def revenue_growth(v, period, p):
    return v.revenue(period) - v.revenue(period.last_year)


@variable(
    type=BOOL,
    period="year",
    label="Revenue grew by at least the minimum rate",
    label_zh="营业收入增长率达标",
    reference="Riverside Order 7/2023, Art. 6",
)
def grew_enough(v, period, p):
    previous = v.revenue(period.last_year)
    # growth >= rate * previous, with a positive base: exactly 15.00% passes on every backend.
    return (previous > 0) & (v.revenue_growth(period) >= p.growth_bonus.min_growth * previous)


@variable(
    type=MONEY,
    period="year",
    label="Yearly growth bonus",
    label_zh="年度成长奖励",
    reference="Riverside Order 7/2023, Art. 6",
)
def growth_bonus_for_year(v, period, p):
    """Paid for a fiscal year in which revenue grew enough; the amount is prorated across mid-year changes."""
    return ibis.ifelse(v.grew_enough(period), p.growth_bonus.amount, 0)
