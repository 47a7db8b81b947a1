"""Area 1 of the Several Measures: rewards for growing in scale (M1.2a, M1.2b) and for fast-growing little
giants (M1.3b). All three are automatic (免申即享): the platform finds the enterprises in the registry.

A round as of a date supports the last completed fiscal year (`period.last_year`). Amounts here are before
stacking; stacking.py pays the higher of a group (就高不重复).
"""

from decimal import Decimal

import ibis

from smeladder.packs.shanghai.conditions import measures_in_force, not_excluded
from smeladder.packs.shanghai.exact import grew_by_at_least
from smeladder.rules import (
    BOOL,
    MONEY,
    all_of,
    criterion,
    is_true,
    lit,
    variable,
)

SM = "《上海市促进专精特新中小企业发展壮大的若干措施》, Area 1"
SM_ZH = "《上海市促进专精特新中小企业发展壮大的若干措施》，第一方面"
ZERO = Decimal("0.00")


def _listed_codes(codes_parameter, prefix):
    # A comma-separated parameter ("B,C,D") holds the code prefix: ",B,C,D," contains ",C,".
    return (lit(",") + codes_parameter + lit(",")).contains(lit(",") + prefix + lit(","))


@variable(
    type=BOOL,
    period="instant",
    label="Industrial or software/information enterprise (M1.2a)",
    label_zh="工业或软件和信息服务业企业",
    reference=SM,
    reference_zh=SM_ZH,
)
def m1_2a_industry_counts(v, period, p):
    code = v.industry_code().fill_null("")
    rules = p("M1.2a")
    return _listed_codes(rules.industrial_sections, code.substr(0, 1)) | _listed_codes(
        rules.software_divisions, code.substr(0, 3)
    )


@variable(
    type=BOOL,
    period="instant",
    label="Above designated size for the first time in the prior year",
    label_zh="上年首次进入规模以上企业",
    reference=SM,
    reference_zh=SM_ZH,
)
def first_time_above_size(v, period, p):
    year = period.last_year
    earlier = v.above_size(year.offset(-1))
    # "For the first time": not above size in any earlier year the registry holds (it keeps 5 years).
    for back in range(2, 5):
        earlier = earlier | v.above_size(year.offset(-back))
    return v.above_size(year) & ~earlier


m1_2a_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            is_true(
                "m1_2a_industry_counts",
                label="Industrial or software/information",
                label_zh="工业或软件信息业",
            ),
            is_true("first_time_above_size", label="First year above designated size", label_zh="首次升规"),
        ),
    },
    label="M1.2a: first year above designated size",
    label_zh="M1.2a:首次小升规奖励条件",
    reference=SM,
    reference_zh=SM_ZH,
)


@variable(
    type=MONEY,
    period="instant",
    label="M1.2a reward for the first year above size (before stacking)",
    label_zh="M1.2a 首次小升规奖励(就高前)",
    reference=SM,
    reference_zh=SM_ZH,
    in_force="2025-04-11",
)
def m1_2a_amount(v, period, p):
    rules = p("M1.2a")
    return ibis.ifelse(v.m1_2a_eligible(period), ibis.least(rules.amount, rules.cap), lit(ZERO))


m1_2b_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            is_true(
                "above_size",
                at="last_year",
                label="Above designated size, prior year",
                label_zh="上年规上企业",
            ),
            is_true(
                "above_size_2_years_ago",
                label="Already above size the year before (growth is measured on an above-size base)",
                label_zh="前年已是规上企业",
            ),
        ),
    },
    label="M1.2b: above-size enterprise (amount by growth)",
    label_zh="M1.2b:规上企业成长奖励条件",
    reference=SM,
    reference_zh=SM_ZH,
)


@variable(type=BOOL, period="instant", label="Above designated size 2 years ago", label_zh="前年规上企业")
def above_size_2_years_ago(v, period, p):
    return v.above_size(period.last_year.last_year)


@variable(
    type=MONEY,
    period="instant",
    label="M1.2b reward by growth performance (before stacking; DEFAULT SCHEDULE, unconfirmed)",
    label_zh="M1.2b 规上企业成长奖励(就高前;默认标准,未确认)",
    reference=SM,
    reference_zh=SM_ZH,
    in_force="2025-04-11",
)
def m1_2b_amount(v, period, p):
    year = period.last_year
    rules = p("M1.2b")
    by_growth = rules.schedule.lookup_share(v.revenue_growth(year), v.revenue(year.last_year))
    return ibis.ifelse(v.m1_2b_eligible(period), ibis.least(by_growth, rules.cap), lit(ZERO))


@variable(
    type=BOOL,
    period="instant",
    label="Output value or revenue grew by more than 20% in each of the last 2 years",
    label_zh="连续两年产值或营收增长超过20%",
    reference=SM,
    reference_zh=SM_ZH,
    since="2022-06-01",
)
def m1_3b_growth_met(v, period, p):
    return lit(False)


@m1_3b_growth_met.formula(since="2025-04-11")
def _m1_3b_growth_met(v, period, p):
    y1 = period.last_year
    y0, ym = y1.offset(-1), y1.offset(-2)
    rate = p("M1.3b").min_growth

    def two_years(name):
        now, before, earliest = v(name, y1), v(name, y0), v(name, ym)
        return grew_by_at_least(now, before, rate, strict=True) & grew_by_at_least(
            before, earliest, rate, strict=True
        )

    revenue, output = two_years("revenue"), two_years("output_value")
    either = p("M1.3b").either_measure_suffices
    return ibis.ifelse(either, revenue | output, revenue & output)


m1_3b_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            is_true("holds_little_giant", label="Holds the little-giant title", label_zh='持有"小巨人"称号'),
            is_true(
                "m1_3b_growth_met",
                label="Output value or revenue up more than 20% two years running",
                label_zh="连续两年产值或营收增长超过20%",
            ),
        ),
    },
    label="M1.3b: fast-growing little giant",
    label_zh='M1.3b:高成长"小巨人"企业支持条件',
    reference=SM,
    reference_zh=SM_ZH,
)


@variable(
    type=MONEY,
    period="instant",
    label="M1.3b support for a fast-growing little giant (before stacking)",
    label_zh='M1.3b 高成长"小巨人"支持(就高前)',
    reference=SM,
    reference_zh=SM_ZH,
    in_force="2025-04-11",
)
def m1_3b_amount(v, period, p):
    rules = p("M1.3b")
    return ibis.ifelse(v.m1_3b_eligible(period), ibis.least(rules.amount, rules.cap), lit(ZERO))
