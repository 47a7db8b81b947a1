"""Facts several tiers read: sums over recent years, growth, SME status. "Prior year" is the last completed
fiscal year before the as-of date (`period.last_year`); "the last 2 years" are that year and the one before.
"""

import ibis

from smeladder.packs.shanghai.exact import growth_rate
from smeladder.rules import BOOL, INT, MONEY, RATE, lit, variable


@variable(type=BOOL, period="eternal", label="Is an SME (not a large enterprise)", label_zh="属于中小企业")
def is_sme(v, period, p):
    # 工信部联企业〔2011〕300号 size classes: every tier is for SMEs; a large enterprise is not one.
    return (v.size_class() != "large").fill_null(False)


@variable(
    type=BOOL, period="eternal", label="Manufacturing enterprise (GB/T 4754 section C)", label_zh="制造业企业"
)
def is_manufacturing(v, period, p):
    return v.industry_code().substr(0, 1) == "C"


@variable(type=INT, period="instant", label="Age in full years", label_zh="成立年限(整年)")
def age_years(v, period, p):
    founded = v.founded_on()
    day = lit(period.date)
    years = day.year() - founded.year()
    before_birthday = (day.month() < founded.month()) | (
        (day.month() == founded.month()) & (day.day() < founded.day())
    )
    return (years - ibis.ifelse(before_birthday, 1, 0)).cast("int64")


def _sum_years(v, name, period, count):
    year = period.last_year
    total = v(name, year)
    for back in range(1, count):
        total = total + v(name, year.offset(-back))
    return total


@variable(
    type=MONEY, period="instant", label="R&D expense over the last 2 years", label_zh="近两年研发费用总额"
)
def rd_expense_2y(v, period, p):
    return _sum_years(v, "rd_expense", period, 2)


@variable(
    type=MONEY,
    period="instant",
    label="New equity financing over the last 2 years",
    label_zh="近两年新增股权融资总额",
)
def equity_financing_2y(v, period, p):
    return _sum_years(v, "equity_financing", period, 2)


@variable(
    type=MONEY,
    period="instant",
    label="New equity financing over the last 3 years",
    label_zh="近三年新增股权融资总额",
)
def equity_financing_3y(v, period, p):
    return _sum_years(v, "equity_financing", period, 3)


@variable(
    type=MONEY,
    period="instant",
    label="Main-business revenue over the last 3 years",
    label_zh="近三年主营业务收入合计",
)
def main_revenue_3y(v, period, p):
    return _sum_years(v, "main_revenue", period, 3)


@variable(type=MONEY, period="year", label="Growth of main-business revenue", label_zh="主营业务收入增长额")
def main_revenue_growth(v, period, p):
    return v.main_revenue(period) - v.main_revenue(period.last_year)


@variable(type=MONEY, period="year", label="Growth of operating revenue", label_zh="营业收入增长额")
def revenue_growth(v, period, p):
    return v.revenue(period) - v.revenue(period.last_year)


@variable(
    type=RATE,
    period="instant",
    label="Prior-year growth of main-business revenue (shown to 4 decimals)",
    label_zh="上年主营业务收入增长率",
)
def main_growth_rate(v, period, p):
    year = period.last_year
    return growth_rate(v.main_revenue(year), v.main_revenue(year.last_year))


@variable(
    type=RATE,
    period="instant",
    label="2-year average growth of main-business revenue (shown to 4 decimals)",
    label_zh="近两年主营业务收入平均增长率",
)
def main_growth_2y(v, period, p):
    y1 = period.last_year
    y0, ym = y1.last_year, y1.offset(-2)
    first = growth_rate(v.main_revenue(y0), v.main_revenue(ym))
    second = growth_rate(v.main_revenue(y1), v.main_revenue(y0))
    return ((first + second) * lit("0.5")).round(4)


@variable(
    type=MONEY,
    period="year",
    label="Total cost (revenue minus net profit)",
    label_zh="成本费用总额(营收减净利润)",
)
def total_cost(v, period, p):
    # The registry has no cost column; revenue minus net profit is the nearest reading (tech-SME R&D/cost).
    return v.revenue(period) - v.net_profit(period)


@variable(
    type=BOOL,
    period="instant",
    label="Holds a management-system or product certification",
    label_zh="通过管理体系或产品认证",
)
def has_certification(v, period, p):
    return v.certifications(period.last_year).fill_null("").length() > 0
