"""制造业单项冠军 — the manufacturing single champion (工信部政法〔2023〕138号; TIERS.md, medium).

In the niche ≥ 10 years; average main-business revenue over 3 years ≥ 400 million (200 million for S&S firms:
unverified, a parameter); the main product's global market share in the top 3 and technology internationally
advanced (both assessed in the application). "Little giants first" is a priority in selection, not a condition.
The text's "new products ≥ 5 years" variant is not modelled: the registry does not say which products are new.
"""

import ibis

from smeladder.packs.shanghai.conditions import not_excluded
from smeladder.rules import (
    MONEY,
    all_of,
    at_least,
    at_most,
    criterion,
    is_true,
    param,
    var,
    variable,
)

REFERENCE = "工信部政法〔2023〕138号《制造业单项冠军企业认定管理办法》"


@variable(
    type=MONEY,
    period="instant",
    label="Main-business revenue over 3 years needed (3 × the average floor)",
    label_zh="近三年主营业务收入合计须达到(平均值门槛×3)",
    reference=REFERENCE,
    since="2022-06-01",
)
def champion_revenue_floor_3y(v, period, p):
    return ibis.null("decimal(18,2)")  # the 2023 rules are not in force


@champion_revenue_floor_3y.formula(since="2023-09-01")
def _champion_revenue_floor_3y(v, period, p):
    # "average over 3 years >= X" compared as a 3-year total >= 3X: exact, no division.
    rules = p.single_champion
    ss_firm = v.holds_ss_sme(period) | v.holds_little_giant(period)
    floor = ibis.ifelse(ss_firm, rules.min_avg_main_revenue_3y_ss, rules.min_avg_main_revenue_3y)
    return floor * 3


single_champion_eligible = criterion(
    {
        "2022-06-01": all_of(
            is_true(
                "champion_rules_2023_in_force",
                label="The 2023 single-champion rules are in force (from 2023-09-01)",
                label_zh="2023年认定办法已施行(2023年9月起)",
            )
        ),
        "2023-09-01": all_of(
            not_excluded,
            is_true("is_manufacturing", label="A manufacturing enterprise", label_zh="属于制造业企业"),
            at_least(
                "years_in_niche",
                param("single_champion.min_years_in_niche"),
                at="last_year",
                label="Years in the niche",
                label_zh="从事细分领域年限",
            ),
            at_least(
                "main_revenue_3y",
                var("champion_revenue_floor_3y"),
                label="Main-business revenue over 3 years",
                label_zh="近三年主营业务收入",
            ),
            at_most(
                "declared_global_rank",
                param("single_champion.max_global_rank"),
                label="Global market share rank of the main product",
                label_zh="主导产品全球市场占有率排名",
            ),
            is_true(
                "declared_internationally_advanced",
                label="Technology internationally advanced",
                label_zh="技术水平国际先进",
            ),
        ),
    },
    label="Meets the manufacturing single champion criteria",
    label_zh="符合制造业单项冠军认定条件",
    reference=REFERENCE,
)
