"""Apply-mode measures of the Several Measures: the amounts follow from facts only an application holds
(registry table `application`, the support year's rows). The officer's review is the application channel's
business; the amount is computed by the same rules as the automatic measures (MEASURES.md).

- M3.4a interest subsidy on loans and leases of qualified technological-transformation projects (Area 3);
- M3.4b major special projects: up to 10% of approved investment, at most 100 million (Area 3);
- M4.1 digital transformation: up to 30% of a contract with a qualified digital service provider (Area 4);
- M4.2a S&S SME Loan: interest subsidies of up to 30% (Area 4);
- M4.2b S&S SME Guarantee Program: at most 30 million guaranteed per enterprise; a fee subsidy (Area 4);
- M6.2c professional services: up to 30% of the contract value (Area 6).
Rates, caps and fee subsidies the text leaves open are unconfirmed parameters (see parameters/<measure>/).
"""

from decimal import Decimal

import ibis

from smeladder.packs.shanghai.conditions import an_sme, measures_in_force, not_excluded
from smeladder.packs.shanghai.exact import wide
from smeladder.rules import (
    MONEY,
    above,
    all_of,
    any_of,
    at_most,
    criterion,
    is_true,
    lit,
    param,
    variable,
)

SM = "《上海市促进专精特新中小企业发展壮大的若干措施》"
ZERO = Decimal("0.00")


def _capped_share(base, rules):
    """rate × base, at most the cap, to the fen."""
    return ibis.least(wide(base) * rules.rate, rules.cap)


def _applied(name, label, label_zh):
    return above(name, 0, at="last_year", label=label, label_zh=label_zh)


# --- M3.4a ----------------------------------------------------------------------------------------------------
m3_4a_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            _applied(
                "m3_4a_interest_paid",
                "Interest paid on a qualified technological-transformation project",
                "符合条件的技改项目实付利息",
            ),
        ),
    },
    label="M3.4a: interest subsidy for technological transformation",
    label_zh="M3.4a:技改项目贷款贴息条件",
    reference=f"{SM}, Area 3",
    reference_zh=f"{SM}，第三方面",
)


@variable(
    type=MONEY,
    period="instant",
    label="M3.4a interest subsidy (before stacking)",
    label_zh="M3.4a 技改贴息(就高前)",
    reference=f"{SM}, Area 3",
    reference_zh=f"{SM}，第三方面",
    in_force="2025-04-11",
)
def m3_4a_amount(v, period, p):
    amount = _capped_share(v.m3_4a_interest_paid(period.last_year), p("M3.4a"))
    return ibis.ifelse(v.m3_4a_eligible(period), amount, lit(ZERO))


# --- M3.4b ----------------------------------------------------------------------------------------------------
m3_4b_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            _applied(
                "m3_4b_approved_investment",
                "Approved investment of a major special project",
                "重大专项核定投资",
            ),
        ),
    },
    label="M3.4b: major special project",
    label_zh="M3.4b:重大专项支持条件",
    reference=f"{SM}, Area 3",
    reference_zh=f"{SM}，第三方面",
)


@variable(
    type=MONEY,
    period="instant",
    label="M3.4b major special project funding",
    label_zh="M3.4b 重大专项支持",
    reference=f"{SM}, Area 3",
    reference_zh=f"{SM}，第三方面",
    in_force="2025-04-11",
)
def m3_4b_amount(v, period, p):
    amount = _capped_share(v.m3_4b_approved_investment(period.last_year), p("M3.4b"))
    return ibis.ifelse(v.m3_4b_eligible(period), amount, lit(ZERO))


# --- M4.1 -----------------------------------------------------------------------------------------------------
m4_1_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            an_sme,
            _applied(
                "m4_1_contract_value",
                "A contract with a qualified digital service provider",
                "与合格数字化服务商签订合同",
            ),
        ),
    },
    label="M4.1: digital transformation subsidy",
    label_zh="M4.1:数字化转型服务补贴条件",
    reference=f"{SM}, Area 4",
    reference_zh=f"{SM}，第四方面",
)


@variable(
    type=MONEY,
    period="instant",
    label="M4.1 digital transformation subsidy (before stacking)",
    label_zh="M4.1 数字化转型补贴(就高前)",
    reference=f"{SM}, Area 4",
    reference_zh=f"{SM}，第四方面",
    in_force="2025-04-11",
)
def m4_1_amount(v, period, p):
    amount = _capped_share(v.m4_1_contract_value(period.last_year), p("M4.1"))
    return ibis.ifelse(v.m4_1_eligible(period), amount, lit(ZERO))


# --- M4.2a ----------------------------------------------------------------------------------------------------
_on_the_ladder = any_of(
    is_true(
        "holds_first_rung",
        label="Innovative or tech-and-innovative SME",
        label_zh="创新型或科技和创新型中小企业",
    ),
    is_true("holds_ss_sme", label="S&S SME", label_zh="专精特新中小企业"),
    is_true("holds_little_giant", label="Little giant", label_zh='专精特新"小巨人"'),
    label="Holds a title on the ladder (our reading of who the S&S SME Loan serves)",
    label_zh="持有梯度培育称号",
)

m4_2a_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            _on_the_ladder,
            _applied("m4_2a_interest_paid", "Interest paid on an S&S SME Loan", "专精特新贷实付利息"),
        ),
    },
    label="M4.2a: S&S SME Loan interest subsidy",
    label_zh="M4.2a:专精特新贷贴息条件",
    reference=f"{SM}, Area 4",
    reference_zh=f"{SM}，第四方面",
)


@variable(
    type=MONEY,
    period="instant",
    label="M4.2a S&S SME Loan interest subsidy (before stacking)",
    label_zh="M4.2a 专精特新贷贴息(就高前)",
    reference=f"{SM}, Area 4",
    reference_zh=f"{SM}，第四方面",
    in_force="2025-04-11",
)
def m4_2a_amount(v, period, p):
    amount = _capped_share(v.m4_2a_interest_paid(period.last_year), p("M4.2a"))
    return ibis.ifelse(v.m4_2a_eligible(period), amount, lit(ZERO))


# --- M4.2b ----------------------------------------------------------------------------------------------------
m4_2b_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            _on_the_ladder,
            _applied("m4_2b_guarantee_fee", "Guarantee fee paid under the program", "担保计划实付担保费"),
            at_most(
                "m4_2b_guarantee_amount",
                param("M4.2b.max_guarantee"),
                at="last_year",
                label="Guaranteed amount within the program's maximum for one enterprise",
                label_zh="担保金额不超过单户上限",
            ),
        ),
    },
    label="M4.2b: S&S SME Guarantee Program fee subsidy",
    label_zh="M4.2b:专精特新担保费补贴条件",
    reference=f"{SM}, Area 4",
    reference_zh=f"{SM}，第四方面",
)


@variable(
    type=MONEY,
    period="instant",
    label="M4.2b guarantee-fee subsidy",
    label_zh="M4.2b 担保费补贴",
    reference=f"{SM}, Area 4",
    reference_zh=f"{SM}，第四方面",
    in_force="2025-04-11",
)
def m4_2b_amount(v, period, p):
    rules = p("M4.2b")
    amount = ibis.least(wide(v.m4_2b_guarantee_fee(period.last_year)) * rules.fee_rate, rules.cap)
    return ibis.ifelse(v.m4_2b_eligible(period), amount, lit(ZERO))


# --- M6.2c ----------------------------------------------------------------------------------------------------
m6_2c_eligible = criterion(
    {
        "2022-06-01": measures_in_force,
        "2025-04-11": all_of(
            not_excluded,
            an_sme,
            _applied(
                "m6_2c_contract_value",
                "A professional-services contract with a qualified provider",
                "与合格服务机构签订专业服务合同",
            ),
        ),
    },
    label="M6.2c: professional services subsidy",
    label_zh="M6.2c:专业服务补贴条件",
    reference=f"{SM}, Area 6",
    reference_zh=f"{SM}，第六方面",
)


@variable(
    type=MONEY,
    period="instant",
    label="M6.2c professional services subsidy (before stacking)",
    label_zh="M6.2c 专业服务补贴(就高前)",
    reference=f"{SM}, Area 6",
    reference_zh=f"{SM}，第六方面",
    in_force="2025-04-11",
)
def m6_2c_amount(v, period, p):
    amount = _capped_share(v.m6_2c_contract_value(period.last_year), p("M6.2c"))
    return ibis.ifelse(v.m6_2c_eligible(period), amount, lit(ZERO))
