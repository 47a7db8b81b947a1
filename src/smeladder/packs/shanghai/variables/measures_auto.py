"""Automatic measures that read no growth figures: the 2025 water exemption (M4.3) and the talent list (M5.5).

M4.3 (Area 4): excess-usage charges under tiered water pricing are exempted throughout 2025. The charges come
from water bills the platform may not hold (MEASURES.md), so they are read from an `application` row per year.
M5.5 (Area 5): every S&S SME is on the city's list of key institutions for talent introduction (a listing, no
money).
"""

from decimal import Decimal

import ibis

from smeladder.packs.shanghai.conditions import measures_in_force, not_excluded
from smeladder.packs.shanghai.exact import wide
from smeladder.rules import MONEY, all_of, any_of, criterion, is_true, lit, variable

SM = "《上海市促进专精特新中小企业发展壮大的若干措施》"
ZERO = Decimal("0.00")


@variable(
    type=MONEY,
    period="year",
    label="M4.3 water excess charges exempted for the fiscal year",
    label_zh="M4.3 当年阶梯水价超定额加价费减免额",
    reference=f"{SM}, Area 4",
    reference_zh=f"{SM}，第四方面",
)
def m4_3_for_year(v, period, p):
    charge = v.m4_3_water_excess_charge(period).fill_null(lit(ZERO))
    return wide(charge) * p("M4.3").exempt_share


m4_3_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(not_excluded),
    },
    label="M4.3: water excess-charge exemption",
    label_zh="M4.3:阶梯水价超定额加价费减免条件",
    reference=f"{SM}, Area 4",
    reference_zh=f"{SM}，第四方面",
)


@variable(
    type=MONEY,
    period="instant",
    label="M4.3 water excess charges exempted for the prior fiscal year",
    label_zh="M4.3 上年阶梯水价超定额加价费减免额",
    reference=f"{SM}, Area 4",
    reference_zh=f"{SM}，第四方面",
)
def m4_3_amount(v, period, p):
    return ibis.ifelse(v.m4_3_eligible(period), v.m4_3_for_year(period.last_year), lit(ZERO))


m5_5_talent_list = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            any_of(
                is_true("holds_ss_sme", label="S&S SME", label_zh="专精特新中小企业"),
                is_true("holds_little_giant", label="Little giant", label_zh='专精特新"小巨人"'),
                label="An S&S SME (little giants are S&S SMEs)",
                label_zh='专精特新中小企业(含"小巨人")',
            ),
        ),
    },
    label="M5.5: on the city's list of key institutions for talent introduction",
    label_zh="M5.5:纳入本市人才引进重点机构名单",
    reference=f"{SM}, Area 5",
    reference_zh=f"{SM}，第五方面",
)
