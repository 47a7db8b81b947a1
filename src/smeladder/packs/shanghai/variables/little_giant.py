"""专精特新"小巨人" — the little giant, by rule set (TIERS.md, medium-high).

2022: holds the S&S title; niche ≥ 3 years; main business ≥ 70%; 2-year average main-business growth ≥ 5%; an
information system (read as a digitalization level, unconfirmed); a certification; debt ≤ 70%; niche share ≥ 10%;
an own brand; and innovation by size (R&D intensity + an R&D institution + ≥ 2 class I IP) or a direct condition.
2026: the S&S title; niche ≥ 3; revenue ≥ 50 million; main business ≥ 90%; growth ≥ 5%; debt ≤ 75%; R&D ≥ 12
million over 2 years and ≥ 3% each year; ≥ 4 class I IP (or a national award, top 3); niche share ≥ 10% or top 3
in China; a key-field product; MIIT development-quality score ≥ 60 (an input).
"""

from smeladder.packs.shanghai.conditions import an_sme, not_excluded
from smeladder.packs.shanghai.exact import average_growth_at_least
from smeladder.rules import (
    BOOL,
    all_of,
    any_of,
    at_least,
    at_most,
    band,
    below,
    by_band,
    criterion,
    is_true,
    param,
    share_at_least,
    share_at_most,
    variable,
)

REFERENCE_2022 = '工信部企业〔2022〕63号, 专精特新"小巨人"认定标准'
REFERENCE_2026 = '工信部企业〔2026〕2号, 专精特新"小巨人"认定条件'


@variable(
    type=BOOL,
    period="instant",
    label="2-year average growth of main-business revenue at least 5%",
    label_zh="近两年主营业务收入平均增长率不低于5%",
    reference=REFERENCE_2022,
)
def little_giant_growth_met(v, period, p):
    y1 = period.last_year
    return average_growth_at_least(
        v.main_revenue(y1.offset(-2)),
        v.main_revenue(y1.offset(-1)),
        v.main_revenue(y1),
        p.little_giant.min_main_growth_2y,
    )


_holds_ss = is_true("holds_ss_sme", label="Holds the S&S SME title", label_zh="持有专精特新中小企业称号")
_niche = at_least(
    "years_in_niche",
    param("little_giant.min_years_in_niche"),
    at="last_year",
    label="Years in the niche market",
    label_zh="从事细分市场年限",
)
_main_share = share_at_least(
    "main_revenue",
    of="revenue",
    share=param("little_giant.min_main_share"),
    at="last_year",
    label="Main business share of revenue",
    label_zh="主营业务收入占比",
)
_growth = is_true(
    "little_giant_growth_met",
    label="2-year average main-business growth at least 5%",
    label_zh="近两年主营业务收入平均增长率不低于5%",
)
_debt = share_at_most(
    "total_liabilities",
    of="total_assets",
    share=param("little_giant.max_debt_share"),
    at="last_year",
    label="Debt-to-asset ratio",
    label_zh="资产负债率",
)
_niche_share = at_least(
    "niche_share_percent",
    param("little_giant.min_niche_share_percent"),
    at="last_year",
    label="Share of the national niche market",
    label_zh="细分市场占有率",
)


def _rd_share_both_years(share_path, label, label_zh):
    return all_of(
        share_at_least(
            "rd_expense",
            of="revenue",
            share=param(share_path),
            at="last_year",
            label="R&D share of revenue, prior year",
            label_zh="上年研发强度",
        ),
        share_at_least(
            "rd_expense_2_years_ago",
            of="revenue_2_years_ago",
            share=param(share_path),
            label="R&D share of revenue, 2 years ago",
            label_zh="前年研发强度",
        ),
        label=label,
        label_zh=label_zh,
    )


# TIERS.md: "R&D intensity by size": three revenue bands that exclude one another, each with its own
# requirement, so a letter names what fails inside the enterprise's own band first (rules/flips.py).
_rd_by_size = by_band(
    band(
        at_least(
            "revenue",
            param("little_giant.large_revenue"),
            at="last_year",
            label="Revenue ≥ 100 million",
            label_zh="营业收入1亿元以上",
        ),
        then=_rd_share_both_years(
            "little_giant.min_rd_share_large", "R&D ≥ 3% in each of 2 years", "近两年研发强度均不低于3%"
        ),
        label="Revenue 100 million or more",
        label_zh="营业收入1亿元以上",
    ),
    band(
        all_of(
            at_least(
                "revenue",
                param("little_giant.mid_revenue"),
                at="last_year",
                label="Revenue ≥ 50 million",
                label_zh="营业收入5000万元以上",
            ),
            below(
                "revenue",
                param("little_giant.large_revenue"),
                at="last_year",
                label="Revenue < 100 million",
                label_zh="营业收入不足1亿元",
            ),
        ),
        then=_rd_share_both_years(
            "little_giant.min_rd_share_mid", "R&D ≥ 6% in each of 2 years", "近两年研发强度均不低于6%"
        ),
        label="Revenue 50-100 million",
        label_zh="营业收入5000万-1亿元",
    ),
    band(
        below(
            "revenue",
            param("little_giant.mid_revenue"),
            at="last_year",
            label="Revenue < 50 million",
            label_zh="营业收入不足5000万元",
        ),
        then=all_of(
            at_least(
                "equity_financing_2y",
                param("little_giant.small_min_equity_2y"),
                label="Equity financing over 2 years",
                label_zh="近两年新增股权融资",
            ),
            at_least(
                "rd_expense_2y",
                param("little_giant.small_min_rd_2y"),
                label="R&D over 2 years",
                label_zh="近两年研发投入",
            ),
            share_at_least(
                "rd_staff",
                of="employees",
                share=param("little_giant.small_min_rd_staff_share"),
                at="last_year",
                label="R&D staff share",
                label_zh="研发人员占比",
            ),
        ),
        label="Revenue under 50 million",
        label_zh="营业收入5000万元以下",
    ),
    label="R&D intensity by size",
    label_zh="按规模的研发投入要求",
)

little_giant_2022_rules = all_of(
    not_excluded,
    an_sme,
    _holds_ss,
    _niche,
    _main_share,
    _growth,
    at_least(
        "digitalization_level",
        param("little_giant.min_digitalization_level"),
        at="last_year",
        label="A core business process on an information system (digitalization level)",
        label_zh="至少一项核心业务采用信息系统支撑(数字化水平)",
    ),
    is_true(
        "has_certification",
        label="A management-system or product certification",
        label_zh="通过管理体系或产品认证",
    ),
    _debt,
    _niche_share,
    is_true("declared_own_brand", label="An own brand", label_zh="拥有自主品牌"),
    any_of(
        all_of(
            _rd_by_size,
            is_true("holds_rd_institution", label="An R&D institution", label_zh="建有研发机构"),
            at_least(
                "ip_class1",
                param("little_giant.min_ip_class1"),
                at="last_year",
                label="Class I IP in use",
                label_zh="Ⅰ类知识产权",
            ),
            label="Innovation: R&D, institution and IP",
            label_zh="创新能力:研发投入、研发机构、知识产权",
        ),
        at_most(
            "best_award_rank",
            param("little_giant.award_rank"),
            label="Or an S&T award, top 3, within 3 years",
            label_zh="或近三年科技奖励前三名",
        ),
        at_most(
            "best_maker_rank",
            param("little_giant.maker_contest_rank"),
            label="Or 创客中国 top 50",
            label_zh='或"创客中国"大赛50强',
        ),
        label="Innovation, or a direct condition",
        label_zh="创新能力或直通条件",
    ),
)

little_giant_2026_rules = all_of(
    not_excluded,
    an_sme,
    _holds_ss,
    _niche,
    at_least(
        "revenue", param("little_giant.min_revenue"), at="last_year", label="Revenue", label_zh="营业收入"
    ),
    _main_share,
    _growth,
    _debt,
    at_least(
        "rd_expense_2y",
        param("little_giant.min_rd_2y"),
        label="R&D over 2 years",
        label_zh="近两年研发费用总额",
    ),
    _rd_share_both_years(
        "little_giant.min_rd_share", "R&D ≥ 3% in each of 2 years", "近两年研发强度均不低于3%"
    ),
    any_of(
        at_least(
            "ip_class1",
            param("little_giant.min_ip_class1"),
            at="last_year",
            label="Class I IP in use",
            label_zh="Ⅰ类知识产权",
        ),
        at_most(
            "best_national_award_rank",
            param("little_giant.award_rank"),
            label="Or a national S&T award, top 3, within 3 years",
            label_zh="或近三年国家级科技奖励前三名",
        ),
        label="Class I IP, or a waiver",
        label_zh="Ⅰ类知识产权或豁免",
    ),
    any_of(
        _niche_share,
        at_most(
            "niche_rank",
            param("little_giant.max_niche_rank"),
            at="last_year",
            label="Or top 3 in China",
            label_zh="或国内前三",
        ),
        label="Niche share or rank",
        label_zh="细分市场占有率或排名",
    ),
    is_true(
        "declared_key_field_product", label="Main product in a key field", label_zh="主导产品属于关键领域"
    ),
    at_least(
        "development_quality_score",
        param("little_giant.min_quality_score"),
        label="Development-quality score",
        label_zh="发展质量评价得分",
    ),
)

little_giant_eligible = criterion(
    {"2022-06-01": little_giant_2022_rules, "2026-04-01": little_giant_2026_rules},
    label="Meets the little-giant criteria (rule set in force)",
    label_zh='符合专精特新"小巨人"认定条件(现行标准)',
    reference=f"{REFERENCE_2022}; {REFERENCE_2026}",
)
