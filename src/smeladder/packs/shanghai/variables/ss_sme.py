"""专精特新中小企业 — the S&S SME, by rule set (TIERS.md).

2022 (工信部企业〔2022〕63号): basic conditions (high) and 60 of 100 points or a direct condition; the points
table is medium confidence in parts, and three groups are inputs because their bands were not found:
Shanghai's distinctiveness points (0-15) and the innovation sub-indicators IP / R&D staff / R&D institution
(0-25), both declared in the designation application.
2026 (工信部企业〔2026〕2号): all-of conditions, no points and no direct conditions, but MIIT's
development-quality score ≥ 50, an input.
"""

import ibis

from smeladder.packs.shanghai.conditions import an_sme, not_excluded
from smeladder.packs.shanghai.exact import average_growth_points
from smeladder.rules import (
    INT,
    MONEY,
    all_of,
    any_of,
    at_least,
    at_most,
    criterion,
    is_true,
    param,
    share_at_least,
    share_at_most,
    var,
    variable,
)

REFERENCE_2022 = "工信部企业〔2022〕63号, 专精特新中小企业认定标准"
REFERENCE_2026 = "工信部企业〔2026〕2号, 专精特新中小企业认定条件"


@variable(
    type=INT,
    period="instant",
    label="S&S points: specialization (of 25)",
    label_zh="专精特新评价:专业化得分(满分25)",
    reference=REFERENCE_2022,
)
def ss_points_specialization(v, period, p):
    y1 = period.last_year
    points = p("ss_sme.points")
    share = points.main_share.lookup_share(v.main_revenue(y1), v.revenue(y1))
    growth = average_growth_points(
        points.main_growth_2y,
        v.main_revenue(y1.offset(-2)),
        v.main_revenue(y1.offset(-1)),
        v.main_revenue(y1),
    )
    niche = ibis.least(v.years_in_niche(y1) // points.niche_years_per_point, points.niche_points_max)
    chain = ibis.cases(
        (v.declared_key_link(period), points.supply_chain_key_link),
        (v.declared_chain_support(period), points.supply_chain_support),
        else_=0,
    )
    return share + growth + niche.cast("int64") + chain


@variable(
    type=INT,
    period="instant",
    label="S&S points: refinement (of 25)",
    label_zh="专精特新评价:精细化得分(满分25)",
    reference=REFERENCE_2022,
)
def ss_points_refinement(v, period, p):
    y1 = period.last_year
    points = p("ss_sme.points")
    digital = points.digitalization.lookup(v.digitalization_level(y1))
    items = (
        ibis.ifelse(v.holds_quality_award(period), 1, 0)
        + ibis.ifelse(v.has_certification(period), 1, 0)
        + ibis.ifelse(v.declared_own_brand(period).fill_null(False), 1, 0)
        + ibis.ifelse(v.declared_drafted_standards(period).fill_null(False), 1, 0)
    )
    quality = ibis.least(items * points.quality_item, points.quality_max)
    margin = points.net_margin.lookup_share(v.net_profit(y1), v.revenue(y1))
    assets = v.total_assets(y1)
    debt = ibis.ifelse(assets > 0, points.debt_ratio.lookup_share(v.total_liabilities(y1), assets), 0)
    return digital + quality + margin + debt


@variable(
    type=INT,
    period="instant",
    label="S&S points: innovation (of 35; IP, R&D staff and R&D institution are inputs)",
    label_zh="专精特新评价:创新能力得分(满分35;知识产权、研发人员、研发机构为输入)",
    reference=REFERENCE_2022,
)
def ss_points_innovation(v, period, p):
    y1 = period.last_year
    points = p("ss_sme.points")
    rd = ibis.greatest(
        points.rd_amount.lookup(v.rd_expense(y1)),
        points.rd_share.lookup_share(v.rd_expense(y1), v.revenue(y1)),
    )
    return rd + v.ss_innovation_points(period).fill_null(0)


@variable(
    type=INT,
    period="instant",
    label="S&S points (of 100)",
    label_zh="专精特新中小企业评价得分(满分100)",
    reference=REFERENCE_2022,
)
def ss_points(v, period, p):
    return (
        v.ss_points_specialization(period)
        + v.ss_points_refinement(period)
        + v.ss_points_innovation(period)
        + v.distinctiveness_points(period).fill_null(0)
    )


@variable(
    type=MONEY,
    period="instant",
    label="Direct condition: R&D over 2 years that makes an average of 10 million",
    label_zh="直通条件:近两年研发费用合计(平均1000万元)",
    reference=REFERENCE_2022,
)
def ss_direct_rd_2y_floor(v, period, p):
    # "average R&D >= 10,000,000 over 2 years" compared as a 2-year total, exactly.
    return p.ss_sme.direct.min_avg_rd_2y * 2


@variable(type=MONEY, period="instant", label="R&D expense 2 years ago", label_zh="前年研发费用")
def rd_expense_2_years_ago(v, period, p):
    return v.rd_expense(period.last_year.last_year)


@variable(type=MONEY, period="instant", label="Operating revenue 2 years ago", label_zh="前年营业收入")
def revenue_2_years_ago(v, period, p):
    return v.revenue(period.last_year.last_year)


_niche = at_least(
    "years_in_niche",
    param("ss_sme.min_years_in_niche"),
    at="last_year",
    label="Years in the niche market",
    label_zh="从事细分市场年限",
)
_revenue_or_equity = any_of(
    at_least("revenue", param("ss_sme.min_revenue"), at="last_year", label="Revenue", label_zh="营业收入"),
    at_least(
        "equity_financing_2y",
        param("ss_sme.min_equity_2y"),
        label="Or equity financing over 2 years",
        label_zh="或近两年新增股权融资",
    ),
    label="Revenue, or equity financing",
    label_zh="营业收入或股权融资",
)
_rd_last_year = all_of(
    at_least(
        "rd_expense", param("ss_sme.min_rd_expense"), at="last_year", label="R&D expense", label_zh="研发费用"
    ),
    share_at_least(
        "rd_expense",
        of="revenue",
        share=param("ss_sme.min_rd_share"),
        at="last_year",
        label="R&D share of revenue",
        label_zh="研发费用占营业收入比重",
    ),
    label="R&D in the prior year",
    label_zh="上年研发投入",
)
_rd_year_before = all_of(
    at_least(
        "rd_expense_2_years_ago",
        param("ss_sme.min_rd_expense"),
        label="R&D expense 2 years ago",
        label_zh="前年研发费用",
    ),
    share_at_least(
        "rd_expense_2_years_ago",
        of="revenue_2_years_ago",
        share=param("ss_sme.min_rd_share"),
        label="R&D share of revenue 2 years ago",
        label_zh="前年研发费用占营业收入比重",
    ),
    label="R&D 2 years ago",
    label_zh="前年研发投入",
)

ss_sme_2022_rules = all_of(
    not_excluded,
    an_sme,
    is_true(
        "holds_innovative_sme", label="Holds the innovative-SME title", label_zh="持有创新型中小企业称号"
    ),
    _niche,
    _rd_last_year,
    _revenue_or_equity,
    any_of(
        at_least("ss_points", param("ss_sme.score_min"), label="S&S points", label_zh="专精特新评价得分"),
        any_of(
            at_most(
                "best_award_rank",
                param("ss_sme.direct.st_award_provincial_rank"),
                label="Provincial-or-higher S&T award, top 3, within 3 years",
                label_zh="近三年省级以上科技奖励前三名",
            ),
            at_most(
                "best_national_award_rank",
                param("ss_sme.direct.st_award_national_rank"),
                label="National S&T award, top 5, within 3 years",
                label_zh="近三年国家级科技奖励前五名",
            ),
            at_least(
                "rd_expense_2y",
                var("ss_direct_rd_2y_floor"),
                label="Average R&D over 2 years (as a total)",
                label_zh="近两年研发费用平均值",
            ),
            at_least(
                "equity_financing_2y",
                param("ss_sme.direct.min_equity_2y"),
                label="Equity financing over 2 years",
                label_zh="近两年新增股权融资",
            ),
            at_most(
                "best_maker_rank",
                param("ss_sme.direct.maker_contest_rank"),
                label="创客中国 top 500 within 3 years",
                label_zh='近三年"创客中国"大赛500强',
            ),
            label="Or a direct condition",
            label_zh="或满足任一直通条件",
        ),
        label="Points or a direct condition",
        label_zh="评分或直通",
    ),
)

ss_sme_2026_rules = all_of(
    not_excluded,
    an_sme,
    is_true(
        "holds_first_rung",
        label="Holds the tech-and-innovative (or a valid innovative) SME title",
        label_zh="持有科技和创新型(或有效的创新型)中小企业称号",
    ),
    _niche,
    _revenue_or_equity,
    share_at_least(
        "main_revenue",
        of="revenue",
        share=param("ss_sme.min_main_share"),
        at="last_year",
        label="Main business share of revenue",
        label_zh="主营业务收入占比",
    ),
    share_at_most(
        "total_liabilities",
        of="total_assets",
        share=param("ss_sme.max_debt_share"),
        at="last_year",
        label="Debt-to-asset ratio",
        label_zh="资产负债率",
    ),
    _rd_last_year,
    _rd_year_before,
    any_of(
        at_least(
            "ip_class1",
            param("ss_sme.min_ip_class1"),
            at="last_year",
            label="Class I IP",
            label_zh="Ⅰ类知识产权",
        ),
        at_most(
            "best_award_rank",
            param("ss_sme.award_waiver_rank"),
            label="Or a provincial-or-higher S&T award, top 3, within 3 years",
            label_zh="或近三年省级以上科技奖励前三名",
        ),
        is_true(
            "holds_rd_institution",
            label="Or a provincial-or-higher R&D institution",
            label_zh="或省级以上研发机构",
        ),
        label="Class I IP, or a waiver",
        label_zh="Ⅰ类知识产权或豁免",
    ),
    is_true(
        "declared_niche_leading",
        label="Main product ranks high in its niche",
        label_zh="主导产品细分市场排名前列",
    ),
    at_least(
        "development_quality_score",
        param("ss_sme.min_quality_score"),
        label="Development-quality score",
        label_zh="发展质量评价得分",
    ),
)

ss_sme_eligible = criterion(
    {"2022-06-01": ss_sme_2022_rules, "2026-04-01": ss_sme_2026_rules},
    label="Meets the S&S SME criteria (rule set in force)",
    label_zh="符合专精特新中小企业认定条件(现行标准)",
    reference=f"{REFERENCE_2022}; {REFERENCE_2026}",
)
