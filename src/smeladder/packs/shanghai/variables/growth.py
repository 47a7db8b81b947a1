"""High-growth enterprises the Several Measures cultivate (M1.3a): gazelles, unicorns, potential unicorns.

Unicorn (Torch Centre convention, high): registered in China, founded ≤ 10 years ago, privately funded and
unlisted, valued ≥ US$1 billion. Potential unicorn (one city's rule, medium). Gazelle: no national rule and
Shanghai's 2025 criteria were not found; a common form is the default (low confidence, unconfirmed).
"""

from smeladder.packs.shanghai.conditions import not_excluded
from smeladder.packs.shanghai.exact import wide, wide_rate
from smeladder.rules import (
    BOOL,
    above,
    all_of,
    any_of,
    at_least,
    at_most,
    below,
    criterion,
    equals,
    is_false,
    is_true,
    lit,
    param,
    variable,
)


@variable(
    type=BOOL,
    period="instant",
    label="3-year compound revenue growth at least 20% a year",
    label_zh="近三年营业收入年均复合增长率不低于20%",
    reference="Common gazelle definition (no national rule)",
    reference_zh="瞪羚企业的常见定义（无全国统一标准）",
)
def gazelle_growth_met(v, period, p):
    last = period.last_year
    base = v.revenue(last.offset(-3))
    factor = lit(1) + p.gazelle.min_cagr
    # CAGR >= g over 3 years  <=>  revenue_t >= (1 + g)^3 * revenue_(t-3), exactly.
    target = wide(base) * wide_rate(factor * factor * factor)
    return ((base > 0) & (wide(v.revenue(last)) >= target)).fill_null(False)


@variable(
    type=BOOL,
    period="instant",
    label="Revenue in the base year (3 years before the prior year)",
    label_zh="基期营业收入",
)
def gazelle_base_revenue_met(v, period, p):
    return v.revenue(period.last_year.offset(-3)) >= p.gazelle.min_base_revenue


gazelle_eligible = criterion(
    all_of(
        not_excluded,
        at_most("age_years", param("gazelle.max_age_years"), label="Age in years", label_zh="成立年限"),
        is_true(
            "gazelle_base_revenue_met",
            label="Base-year revenue at least 10 million",
            label_zh="基期营业收入不低于1000万元",
        ),
        is_true("gazelle_growth_met", label="3-year revenue growth", label_zh="近三年营业收入复合增长率"),
        above(
            "revenue_growth",
            0,
            at="last_year",
            label="Revenue grew in the prior year",
            label_zh="上年营业收入增长",
        ),
    ),
    label="Meets the gazelle criteria (default, unconfirmed)",
    label_zh="符合瞪羚企业条件(默认标准,未确认)",
    reference="Common gazelle definition (no national rule); Shanghai's criteria not found",
    reference_zh="瞪羚企业的常见定义（无全国统一标准）；未查到上海市标准",
)

_private_unlisted = all_of(
    equals("ownership", "private", label="Privately funded", label_zh="民营"),
    is_false("listed", label="Not listed", label_zh="未上市"),
    label="Private and unlisted",
    label_zh="民营且未上市",
)

unicorn_eligible = criterion(
    all_of(
        not_excluded,
        _private_unlisted,
        at_most("age_years", param("unicorn.max_age_years"), label="Age in years", label_zh="成立年限"),
        at_least(
            "declared_valuation_usd",
            param("unicorn.min_valuation_usd"),
            label="Valuation (US$)",
            label_zh="估值(美元)",
        ),
    ),
    label="Meets the unicorn criteria",
    label_zh="符合独角兽企业条件",
    reference="Torch High Technology Industry Development Center, unicorn convention",
    reference_zh="科学技术部火炬高技术产业开发中心独角兽企业口径",
)

potential_unicorn_eligible = criterion(
    all_of(
        not_excluded,
        _private_unlisted,
        below(
            "declared_valuation_usd",
            param("unicorn.min_valuation_usd"),
            label="Valued under a unicorn",
            label_zh="估值低于独角兽标准",
        ),
        any_of(
            all_of(
                at_most(
                    "age_years",
                    param("potential_unicorn.young_max_age_years"),
                    label="Age ≤ 5",
                    label_zh="成立5年以内",
                ),
                at_least(
                    "declared_valuation_usd",
                    param("potential_unicorn.young_min_valuation_usd"),
                    label="Valuation ≥ US$50 million",
                    label_zh="估值不低于5000万美元",
                ),
                label="Young",
                label_zh="成立5年以内",
            ),
            all_of(
                at_most(
                    "age_years",
                    param("potential_unicorn.older_max_age_years"),
                    label="Age ≤ 9",
                    label_zh="成立9年以内",
                ),
                at_least(
                    "declared_valuation_usd",
                    param("potential_unicorn.older_min_valuation_usd"),
                    label="Valuation ≥ US$100 million",
                    label_zh="估值不低于1亿美元",
                ),
                label="Older",
                label_zh="成立5-9年",
            ),
            label="Age and valuation",
            label_zh="成立年限与估值",
        ),
    ),
    label="Meets the potential-unicorn criteria (one city's rule, unconfirmed)",
    label_zh="符合潜在独角兽企业条件(参考他市标准,未确认)",
    reference="Potential-unicorn rule of one city",
    reference_zh="某城市的潜在独角兽企业标准",
)
