"""Facts only an application holds (registry table `application`), per fiscal year or as of a date.

Money measures in apply mode read the contract, loan, guarantee, investment or water bill of the support year;
tier criteria read the self-declared assessment items of the last 2 years (the 2026 re-review takes the best
of the last 2 years, so the best declared value counts).
"""

from smeladder.rules import BOOL, INT, MONEY, STR, Aggregate, Money, lit

TIERS = ("innovative_sme", "tech_innovative_sme", "ss_sme", "little_giant", "single_champion", "unicorn")


def _for(measure, *, qualified=None):
    def where(rows, period, p):
        condition = (rows.measure == measure) & (rows.fiscal_year == period.year)
        if qualified:
            condition = condition & rows[qualified].fill_null(False)
        return condition

    return where


def _sum(measure, column, label, label_zh, qualified=None):
    return Aggregate(
        "application",
        "sum",
        column=column,
        where=_for(measure, qualified=qualified),
        period="year",
        type=MONEY,
        label=label,
        label_zh=label_zh,
    )


def _assessment(rows, period, p):
    since = lit(period.date) - p.exclusion.assessment_lookback_years.as_interval("Y")
    return rows.measure.isin(TIERS) & (rows.submitted_on <= period.date) & (rows.submitted_on >= since)


def _declared(column, how, value_type, label, label_zh):
    return Aggregate(
        "application", how, column=column, where=_assessment, type=value_type, label=label, label_zh=label_zh
    )


# --- money measures (period: the fiscal year the facts cover) ------------------------------------------------
m4_1_contract_value = _sum(
    "M4.1",
    "contract_value",
    "Contracts with qualified digital service providers",
    "与合格数字化服务商签订的合同金额",
    qualified="provider_qualified",
)
m6_2c_contract_value = _sum(
    "M6.2c",
    "contract_value",
    "Contracts for professional services with qualified providers",
    "与合格服务机构签订的专业服务合同金额",
    qualified="provider_qualified",
)
m3_4a_interest_paid = _sum(
    "M3.4a",
    "interest_paid",
    "Interest paid on loans or leases of qualified technological-transformation projects",
    "符合条件的技改项目贷款(融资租赁)实付利息",
    qualified="project_qualified",
)
m3_4b_approved_investment = _sum(
    "M3.4b",
    "approved_investment",
    "Approved investment of qualified major special projects",
    "符合条件的重大专项核定投资",
    qualified="project_qualified",
)
m4_2a_interest_paid = _sum(
    "M4.2a", "interest_paid", "Interest paid on the S&S SME Loan", "专精特新贷实付利息"
)
m4_2b_guarantee_amount = _sum(
    "M4.2b", "guarantee_amount", "Amount guaranteed under the S&S SME Guarantee Program", "专精特新担保金额"
)
m4_2b_guarantee_fee = _sum("M4.2b", "guarantee_fee", "Guarantee fee paid", "实付担保费")
m4_3_water_excess_charge = _sum(
    "M4.3", "water_excess_charge", "Excess-usage water charges billed", "阶梯水价超定额加价费"
)

# --- tier assessment items (as of a date, best of the last 2 years) ------------------------------------------
declared_ip_grade = _declared(
    "ip_grade",
    "min",
    STR,
    "Declared grade of class I IP (high_value / self_developed)",
    "申报的Ⅰ类知识产权等级",
)


def _declared_position(position):
    def where(rows, period, p):
        return _assessment(rows, period, p) & (rows.supply_chain_position == position)

    return where


declared_key_link = Aggregate(
    "application",
    "exists",
    where=_declared_position("key_link"),
    type=BOOL,
    label="Main product at a key supply-chain link (declared)",
    label_zh="主导产品属于产业链关键环节(申报)",
)
declared_chain_support = Aggregate(
    "application",
    "exists",
    where=_declared_position("chain_support"),
    type=BOOL,
    label="Six-bases field, time-honoured brand or supplier of a chain leader (declared)",
    label_zh='工业"六基"领域、中华老字号或为链主配套(申报)',
)
declared_own_brand = _declared(
    "own_brand", "max", BOOL, "Holds its own brand (declared)", "拥有自主品牌(申报)"
)
declared_drafted_standards = _declared(
    "drafted_standards", "max", BOOL, "Has drafted standards (declared)", "参与制修订标准(申报)"
)
distinctiveness_points = _declared(
    "distinctiveness_points",
    "max",
    INT,
    "Shanghai distinctiveness points (input; bands not published)",
    "上海特色化指标得分(输入;标准未公开)",
)
ss_innovation_points = _declared(
    "ss_innovation_points",
    "max",
    INT,
    "S&S innovation sub-indicators: IP, R&D staff, R&D institution (input; bands not found)",
    "创新能力分项得分:知识产权、研发人员、研发机构(输入;标准未查到)",
)
development_quality_score = _declared(
    "development_quality_score",
    "max",
    INT,
    "MIIT development-quality score (input, computed on MIIT's platform)",
    "发展质量评价得分(输入,工信部平台计算)",
)
declared_niche_leading = _declared(
    "niche_leading",
    "max",
    BOOL,
    "Main product ranks high in its niche (assessed)",
    "主导产品细分市场排名前列(评审)",
)
declared_key_field_product = _declared(
    "key_field_product", "max", BOOL, "Main product in a key field (assessed)", "主导产品属于关键领域(评审)"
)
declared_global_rank = _declared(
    "global_rank", "min", INT, "Main product's global market rank (declared)", "主导产品全球市场排名(申报)"
)
declared_internationally_advanced = _declared(
    "internationally_advanced",
    "max",
    BOOL,
    "Technology internationally advanced (assessed)",
    "技术水平国际先进(评审)",
)
declared_valuation_usd = _declared(
    "valuation_usd",
    "max",
    Money("USD"),
    "Valuation in the latest financing round (US$)",
    "最近一轮融资估值(美元)",
)
