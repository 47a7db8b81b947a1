"""创新型中小企业 — the innovative SME of the 2022 rule set (工信部企业〔2022〕63号; TIERS.md, confidence high).

Designated with 60 of 100 points (innovation ≥ 20, growth ≥ 15, specialization ≥ 15) or any direct condition.
From 2026-04-01 the first rung is the tech-and-innovative SME (tech_innovative_sme.py); this designation closes.
"""

import ibis

from smeladder.rules import (
    INT,
    all_of,
    any_of,
    at_least,
    criterion,
    is_false,
    is_true,
    param,
    variable,
)

REFERENCE = "工信部企业〔2022〕63号, 创新型中小企业评价标准"


@variable(
    type=INT,
    period="instant",
    label="Innovative SME points: innovation (of 40)",
    label_zh="创新型中小企业评价:创新能力得分(满分40)",
    reference=REFERENCE,
)
def innovative_points_innovation(v, period, p):
    year = period.last_year
    points = p("innovative_sme.points")
    grade = v.declared_ip_grade(period)
    class1 = v.ip_class1(year) >= 1
    ip = ibis.cases(
        (class1 & (grade == "high_value"), points.ip_high_value),
        (class1 & (grade == "self_developed"), points.ip_self_developed),
        (class1, points.ip_class1),
        (v.ip_class2(year) >= 1, points.ip_class2),
        else_=0,
    )
    rd = points.rd_intensity.lookup_share(v.rd_expense(year), v.revenue(year))
    return ip + rd


@variable(
    type=INT,
    period="instant",
    label="Innovative SME points: growth (of 30)",
    label_zh="创新型中小企业评价:成长性得分(满分30)",
    reference=REFERENCE,
)
def innovative_points_growth(v, period, p):
    year = period.last_year
    points = p("innovative_sme.points")
    growth = points.main_revenue_growth.lookup_share(
        v.main_revenue_growth(year), v.main_revenue(year.last_year)
    )
    assets = v.total_assets(year)
    # No balance sheet, no debt points (the engine puts a zero denominator in the lowest band, here the best).
    debt = ibis.ifelse(assets > 0, points.debt_ratio.lookup_share(v.total_liabilities(year), assets), 0)
    return growth + debt


@variable(
    type=INT,
    period="instant",
    label="Innovative SME points: specialization (of 30)",
    label_zh="创新型中小企业评价:专业化得分(满分30)",
    reference=REFERENCE,
)
def innovative_points_specialization(v, period, p):
    year = period.last_year
    points = p("innovative_sme.points")
    sei = ibis.ifelse(v.strategic_emerging(), points.strategic_emerging_yes, points.strategic_emerging_no)
    share = points.main_business_share.lookup_share(v.main_revenue(year), v.revenue(year))
    return sei + share


@variable(
    type=INT,
    period="instant",
    label="Innovative SME points (of 100)",
    label_zh="创新型中小企业评价得分(满分100)",
    reference=REFERENCE,
)
def innovative_points(v, period, p):
    return (
        v.innovative_points_innovation(period)
        + v.innovative_points_growth(period)
        + v.innovative_points_specialization(period)
    )


not_excluded = is_false(
    "excluded",
    label="Not excluded from support",
    label_zh="不属于不予支持情形",
    reference="TIERS.md, exclusions",
    reference_zh="梯度培育标准：不予支持情形",
)
an_sme = is_true("is_sme", label="An SME", label_zh="属于中小企业")

innovative_by_points = all_of(
    at_least("innovative_points", param("innovative_sme.score_min"), label="Total points", label_zh="总分"),
    at_least(
        "innovative_points_innovation",
        param("innovative_sme.innovation_min"),
        label="Innovation points",
        label_zh="创新能力得分",
    ),
    at_least(
        "innovative_points_growth",
        param("innovative_sme.growth_min"),
        label="Growth points",
        label_zh="成长性得分",
    ),
    at_least(
        "innovative_points_specialization",
        param("innovative_sme.specialization_min"),
        label="Specialization points",
        label_zh="专业化得分",
    ),
    label="By points: 60 in all, with 20 / 15 / 15 in the three groups",
    label_zh="评价得分:总分60分以上且三项分别不低于20/15/15分",
)

innovative_direct = any_of(
    is_true("st_award_recent", label="S&T award in the last 3 years", label_zh="近三年获得科技奖励"),
    is_true("holds_high_tech", label="High-tech enterprise", label_zh="高新技术企业"),
    is_true(
        "holds_tech_innovation_demo",
        label="Technology-innovation demonstration enterprise",
        label_zh="技术创新示范企业",
    ),
    is_true(
        "holds_ip_advantage",
        label="IP-advantage or demonstration enterprise",
        label_zh="知识产权优势或示范企业",
    ),
    is_true(
        "holds_rd_institution", label="Provincial-or-higher R&D institution", label_zh="省级以上研发机构"
    ),
    at_least(
        "equity_financing_3y",
        param("innovative_sme.direct.min_equity_financing_3y"),
        label="Equity financing in the last 3 years",
        label_zh="近三年新增股权融资",
    ),
    label="Or a direct condition",
    label_zh="或满足任一直通条件",
)

innovative_sme_2022_rules = all_of(
    not_excluded,
    an_sme,
    any_of(
        innovative_by_points, innovative_direct, label="Points or a direct condition", label_zh="评分或直通"
    ),
)

innovative_sme_eligible = criterion(
    {
        "2022-06-01": innovative_sme_2022_rules,
        # From 2026-04-01 the first rung is the tech-and-innovative SME; 2022 titles stay valid to expiry.
        "2026-04-01": all_of(
            is_false(
                "ladder_2026_in_force",
                label="Designated under the 2022 rules only (before 2026-04-01)",
                label_zh="仅适用2022年标准(2026年4月1日前)",
            )
        ),
    },
    label="Meets the innovative-SME criteria (2022 rule set)",
    label_zh="符合创新型中小企业认定条件(2022年标准)",
    reference=REFERENCE,
)

# The same test without the date switch: the 2026 tech-and-innovative SME may still accept it (unverified).
innovative_sme_criteria = criterion(
    innovative_sme_2022_rules,
    label="Meets the innovative-SME points or direct conditions",
    label_zh="满足创新型中小企业评分或直通条件",
    reference=REFERENCE,
)
