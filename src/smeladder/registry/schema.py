"""The registry's tables, column by column: the one description that the store's DDL, the import
validation, the synthetic generator and `docs/data-format.md` are all made from.

Money columns are yuan with two decimals (`DECIMAL(18,2)`, exact); counts are integers; dates are dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from smeladder import money

# Fiscal years the registry accepts. Earlier data predates the 2022 ladder; later ones are in the future.
FIRST_YEAR = 2000
LAST_YEAR = 2030

SIZE_CLASSES = ("micro", "small", "medium", "large")
OWNERSHIPS = ("private", "state", "collective", "foreign", "hmt", "mixed")
TITLE_LEVELS = ("national", "municipal", "district")
EXCLUSION_KINDS = (
    "serious_dishonesty",  # 严重失信主体名单
    "abnormal_operations",  # 经营异常名录
    "major_safety_incident",  # incl. cyber and data security
    "major_quality_incident",
    "major_environmental_incident",
    "tax_evasion",
    "data_fraud",
)
# Shanghai's industrial system: the "3+6" new industrial system plus producer services and other sectors.
TRACKS = (
    "integrated_circuit",  # 集成电路
    "biomedicine",  # 生物医药
    "artificial_intelligence",  # 人工智能
    "electronic_information",  # 电子信息
    "life_health",  # 生命健康
    "automotive",  # 汽车
    "high_end_equipment",  # 高端装备
    "advanced_materials",  # 先进材料
    "fashion_consumer",  # 时尚消费品
    "software_information",  # 软件和信息服务
    "producer_services",  # 生产性服务业
    "other",
)
CERTIFICATIONS = ("ISO9001", "ISO14001", "ISO45001", "IATF16949", "ISO27001", "CMMI", "CE", "FDA", "UL")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # str, int, bool, date, money, percent, float
    description: str
    description_zh: str
    required: bool = True
    unit: str = ""
    used_by: str = ""  # policy items that read it
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    # Values the policy pack declares (its title codes, its application types): the import takes them from
    # the caller (`RegistryStore.import_files(choices=...)`), the registry knows no policy. Says where, for docs.
    choices_from: str = ""
    pattern: str | None = None  # a regular expression the whole value must match
    not_future: bool = False  # a date that cannot lie after the day of the import (a founding date)

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.dtype]


SQL_TYPES = {
    "str": "VARCHAR",
    "int": "BIGINT",
    "bool": "BOOLEAN",
    "date": "DATE",
    "money": money.SQL_TYPE,
    "percent": "DECIMAL(7,4)",
    "float": "DOUBLE",
}


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # Row rules across columns: (rule id, SQL condition that must hold, message). NULLs pass.
    row_rules: tuple[tuple[str, str, str], ...] = field(default=())
    references_enterprise: bool = True

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


CREDIT_CODE = Column(
    "credit_code",
    "str",
    "Unified social credit code (GB 32100-2015), 18 characters with its check character; characters 3-8 "
    "are the registering authority's administrative division code",
    "统一社会信用代码",
    used_by="all",
)

ENTERPRISE = Table(
    name="enterprise",
    description="One row per enterprise registered in the city.",
    key=("credit_code",),
    references_enterprise=False,
    columns=(
        CREDIT_CODE,
        Column("name_zh", "str", "Registered name in Chinese", "企业名称"),
        Column("name_en", "str", "English name, if any", "英文名称", required=False),
        Column(
            "district_adcode",
            "str",
            "District of registration, national administrative code (see districts)",
            "所属区(行政区划代码)",
            used_by="M6.1 district scorecards, M6.2b coverage, district top-ups",
        ),
        Column("address", "str", "Registered address", "注册地址", required=False),
        Column(
            "bank_account_name",
            "str",
            "Holder of the bank account on file for payments (tax registration)",
            "开户名称",
            required=False,
            used_by="M6.3a automatic payments (an enterprise without an account is held back)",
        ),
        Column(
            "bank_account_no",
            "str",
            "Number of that account, 8 to 32 digits",
            "银行账号",
            required=False,
            used_by="M6.3a automatic payments",
            pattern="[0-9]{8,32}",
        ),
        Column(
            "bank_name",
            "str",
            "Bank and branch of that account",
            "开户银行",
            required=False,
            used_by="M6.3a automatic payments",
        ),
        Column(
            "latitude",
            "float",
            "Latitude of the main premises (GCJ-02, as the district polygons)",
            "纬度",
            unit="degree",
            used_by="M6.2b 3-km service circle",
            minimum=30.6,
            maximum=31.9,
        ),
        Column(
            "longitude",
            "float",
            "Longitude of the main premises (GCJ-02)",
            "经度",
            unit="degree",
            used_by="M6.2b 3-km service circle",
            minimum=120.8,
            maximum=122.2,
        ),
        Column(
            "founded_on",
            "date",
            "Date of establishment",
            "成立日期",
            used_by="gazelle and unicorn age limits",
            not_future=True,
        ),
        Column(
            "industry_code",
            "str",
            "Industry class, GB/T 4754-2017: section letter and 4-digit class, e.g. C3562",
            "国民经济行业代码",
            used_by="M1.2a industrial / software-information enterprises; single champion (manufacturing)",
            pattern=r"[A-T][0-9]{4}",
        ),
        Column(
            "strategic_emerging",
            "bool",
            "Main product belongs to the Strategic Emerging Industries classification (2018)",
            "主导产品属于战略性新兴产业",
            used_by="innovative SME specialization points",
        ),
        Column(
            "industrial_track",
            "str",
            "Shanghai industrial track ('3+6' system, producer services, other)",
            "所属产业赛道",
            used_by="M2.4 strategic sectors",
            choices=TRACKS,
        ),
        Column(
            "size_class",
            "str",
            "Enterprise size class (工信部联企业〔2011〕300号)",
            "企业规模",
            used_by="SME eligibility (large enterprises are not SMEs)",
            choices=SIZE_CLASSES,
        ),
        Column(
            "listed", "bool", "Listed on a stock exchange", "是否上市", used_by="M1.5 listing pool, unicorn"
        ),
        Column(
            "ownership",
            "str",
            "Ownership type",
            "登记注册类型",
            used_by="unicorn (privately funded)",
            choices=OWNERSHIPS,
        ),
    ),
)

ENTERPRISE_YEAR = Table(
    name="enterprise_year",
    description="One row per enterprise and fiscal year: the financial and innovation figures of that year.",
    key=("credit_code", "fiscal_year"),
    row_rules=(
        (
            "liabilities_need_assets",
            "NOT (total_liabilities > 0 AND total_assets = 0)",
            "total_liabilities is positive but total_assets is zero",
        ),
        (
            "main_business_within_revenue",
            "main_business_revenue <= operating_revenue",
            "main_business_revenue exceeds operating_revenue",
        ),
        ("rd_staff_within_employees", "rd_staff <= employees", "rd_staff exceeds employees"),
    ),
    columns=(
        CREDIT_CODE,
        Column(
            "fiscal_year",
            "int",
            "Fiscal (calendar) year the figures cover",
            "年度",
            minimum=FIRST_YEAR,
            maximum=LAST_YEAR,
        ),
        Column(
            "operating_revenue",
            "money",
            "Operating revenue",
            "营业收入",
            unit="yuan",
            used_by="tiers (revenue thresholds, R&D intensity), M1.2b, M1.3b, gazelle",
            minimum=0,
        ),
        Column(
            "main_business_revenue",
            "money",
            "Main-business revenue",
            "主营业务收入",
            unit="yuan",
            used_by="tiers (specialization share, growth)",
            minimum=0,
        ),
        Column(
            "industrial_output_value",
            "money",
            "Gross industrial output value (industrial enterprises only)",
            "工业总产值",
            required=False,
            unit="yuan",
            used_by="M1.3b",
            minimum=0,
        ),
        Column(
            "rd_expense",
            "money",
            "R&D expense",
            "研发费用",
            unit="yuan",
            used_by="tiers (R&D amount and intensity)",
            minimum=0,
        ),
        Column("employees", "int", "Employees at year end", "从业人员", unit="persons", minimum=0),
        Column(
            "rd_staff",
            "int",
            "R&D (S&T) staff at year end",
            "研发人员",
            unit="persons",
            used_by="tech SME staff share, little giant",
            minimum=0,
        ),
        Column("total_assets", "money", "Total assets at year end", "资产总额", unit="yuan", minimum=0),
        Column(
            "total_liabilities",
            "money",
            "Total liabilities at year end",
            "负债总额",
            unit="yuan",
            used_by="debt-to-asset ratio in every tier",
            minimum=0,
        ),
        Column(
            "net_profit", "money", "Net profit (may be negative)", "净利润", unit="yuan", used_by="S&S margin"
        ),
        Column(
            "new_equity_financing",
            "money",
            "New equity financing received in the year from qualified institutional investors",
            "新增股权融资",
            unit="yuan",
            used_by="innovative / S&S / little giant direct conditions",
            minimum=0,
        ),
        Column(
            "above_designated_size",
            "bool",
            "In the statistical above-designated-size (规上) directory for the year",
            "规模以上企业",
            used_by="M1.2a (first year above size), M1.2b",
        ),
        Column(
            "ip_class1",
            "int",
            "Class I intellectual property in use (invention patents, IC layouts, new drugs, plant varieties)",
            "Ⅰ类知识产权",
            unit="items",
            used_by="all tiers",
            minimum=0,
        ),
        Column(
            "ip_class2",
            "int",
            "Class II intellectual property in use (utility models, designs, software copyrights)",
            "Ⅱ类知识产权",
            unit="items",
            used_by="innovative SME, tech SME",
            minimum=0,
        ),
        Column(
            "digitalization_level",
            "int",
            "Digitalization level from the SME digital-transformation assessment (1-4)",
            "数字化水平等级",
            used_by="S&S refinement points, little giant information system",
            minimum=1,
            maximum=4,
        ),
        Column(
            "certifications",
            "str",
            "Management-system and product certifications held, ';'-separated (e.g. ISO9001;CE)",
            "管理体系及产品认证",
            required=False,
            used_by="S&S quality points, little giant",
            pattern=r"[A-Z0-9]+(;[A-Z0-9]+)*",
        ),
        Column(
            "niche_market_share",
            "percent",
            "Main product's share of its national niche market, in percent",
            "细分市场占有率(%)",
            required=False,
            unit="%",
            used_by="little giant (>= 10%), single champion",
            minimum=0,
            maximum=100,
        ),
        Column(
            "niche_rank",
            "int",
            "Main product's rank in its national niche market (1 = leader)",
            "细分市场排名",
            required=False,
            used_by="little giant 2026 (top 3), single champion (global top 3)",
            minimum=1,
        ),
        Column(
            "years_in_niche",
            "int",
            "Full years the enterprise has worked in its niche market",
            "从事细分市场年限",
            unit="years",
            used_by="S&S (>= 2 / 3 years), little giant, single champion (>= 10)",
            minimum=0,
            maximum=200,
        ),
    ),
)

TITLE = Table(
    name="title",
    description="Designations an enterprise holds or held, with their validity and issuing level.",
    key=("credit_code", "title", "level", "valid_from"),
    row_rules=(("valid_to_after_valid_from", "valid_to >= valid_from", "valid_to is before valid_from"),),
    columns=(
        CREDIT_CODE,
        Column(
            "title",
            "str",
            "Designation id",
            "称号",
            choices_from="the policy pack's title codes (ladder.yaml `titles`)",
            used_by="the ladder, direct conditions",
        ),
        Column("level", "str", "Issuing level", "认定层级", choices=TITLE_LEVELS),
        Column("valid_from", "date", "First day the designation is valid", "有效期起"),
        Column("valid_to", "date", "Last day it is valid (empty: no end)", "有效期止", required=False),
        Column(
            "rank",
            "int",
            "Rank or grade for awards and contests (1 = first prize / first place)",
            "获奖等次",
            required=False,
            minimum=1,
        ),
    ),
)

EXCLUSION = Table(
    name="exclusion",
    description="Facts that exclude an enterprise from support: dishonesty lists, abnormal operations, major "
    "violations, with dates.",
    key=("credit_code", "kind", "start_on"),
    row_rules=(("end_after_start", "end_on >= start_on", "end_on is before start_on"),),
    columns=(
        CREDIT_CODE,
        Column("kind", "str", "Kind of exclusion", "类别", choices=EXCLUSION_KINDS, used_by="every measure"),
        Column("start_on", "date", "Date listed or the incident happened", "起始日期"),
        Column(
            "end_on", "date", "Date removed from the list (empty: still listed)", "移出日期", required=False
        ),
        Column("source", "str", "Authority that reported it", "来源部门", required=False),
    ),
)

IP_GRADES = ("high_value", "self_developed")
SUPPLY_CHAIN_POSITIONS = ("key_link", "chain_support", "none")

APPLICATION = Table(
    name="application",
    description="Facts only an application holds: a contract, a loan, a guarantee, an approved investment, a water "
    "bill, or the self-declared items of a tier designation. One row per application; a column that does not "
    "concern the application stays empty.",
    key=("application_id",),
    columns=(
        Column("application_id", "str", "Application number, unique across measures", "申请编号"),
        CREDIT_CODE,
        Column(
            "measure",
            "str",
            "Measure id or tier id the application is for",
            "申请事项",
            choices_from="the policy pack's application types (measures.yaml: `applications: true`, then "
            "`application_tiers`)",
            used_by="every apply-mode measure; tier assessments",
        ),
        Column(
            "fiscal_year",
            "int",
            "Fiscal year the facts cover (contract signed, interest paid, water billed)",
            "所属年度",
            minimum=FIRST_YEAR,
            maximum=LAST_YEAR,
        ),
        Column("submitted_on", "date", "Date the application was submitted", "申请日期"),
        Column(
            "provider",
            "str",
            "Service provider's unified social credit code (M4.1, M6.2c)",
            "服务商统一社会信用代码",
            required=False,
            used_by="M4.1, M6.2c",
        ),
        Column(
            "provider_qualified",
            "bool",
            "The provider is in the catalogue of qualified providers the platform keeps",
            "服务商在合格服务商目录内",
            required=False,
            used_by="M4.1, M6.2c",
        ),
        Column(
            "project_qualified",
            "bool",
            "The reviewing officer found the project qualified (technological transformation, major special project)",
            "项目经审核符合条件",
            required=False,
            used_by="M3.4a, M3.4b",
        ),
        Column(
            "contract_value",
            "money",
            "Contract value",
            "合同金额",
            required=False,
            unit="yuan",
            used_by="M4.1, M6.2c",
            minimum=0,
        ),
        Column(
            "loan_amount",
            "money",
            "Loan or lease principal",
            "贷款(融资租赁)本金",
            required=False,
            unit="yuan",
            used_by="M3.4a, M4.2a",
            minimum=0,
        ),
        Column(
            "interest_paid",
            "money",
            "Interest paid in the fiscal year",
            "当年实付利息",
            required=False,
            unit="yuan",
            used_by="M3.4a, M4.2a",
            minimum=0,
        ),
        Column(
            "guarantee_amount",
            "money",
            "Amount guaranteed under the S&S SME Guarantee Program",
            "担保金额",
            required=False,
            unit="yuan",
            used_by="M4.2b",
            minimum=0,
        ),
        Column(
            "guarantee_fee",
            "money",
            "Guarantee fee paid in the fiscal year",
            "当年实付担保费",
            required=False,
            unit="yuan",
            used_by="M4.2b",
            minimum=0,
        ),
        Column(
            "approved_investment",
            "money",
            "Approved investment of the project",
            "核定项目投资",
            required=False,
            unit="yuan",
            used_by="M3.4b",
            minimum=0,
        ),
        Column(
            "water_excess_charge",
            "money",
            "Excess-usage charges under tiered water pricing billed in the year",
            "阶梯水价超定额加价费",
            required=False,
            unit="yuan",
            used_by="M4.3",
            minimum=0,
        ),
        Column(
            "ip_grade",
            "str",
            "Best grade of class I IP tied to the main product (high-value, self-developed)",
            "主导产品Ⅰ类知识产权等级",
            required=False,
            used_by="innovative SME 2022 points",
            choices=IP_GRADES,
        ),
        Column(
            "supply_chain_position",
            "str",
            "Main product at a key supply-chain link (补短板/锻长板/填空白), supporting a chain, or neither",
            "主导产品产业链地位",
            required=False,
            used_by="S&S SME 2022 points",
            choices=SUPPLY_CHAIN_POSITIONS,
        ),
        Column(
            "own_brand",
            "bool",
            "Holds its own brand",
            "拥有自主品牌",
            required=False,
            used_by="S&S 2022 quality points, little giant 2022",
        ),
        Column(
            "drafted_standards",
            "bool",
            "Has led or taken part in drafting standards",
            "主导或参与制修订标准",
            required=False,
            used_by="S&S 2022 quality points",
        ),
        Column(
            "distinctiveness_points",
            "int",
            "Shanghai's distinctiveness points (set by the city; 0-15)",
            "特色化指标得分",
            required=False,
            unit="points",
            used_by="S&S SME 2022",
            minimum=0,
            maximum=15,
        ),
        Column(
            "ss_innovation_points",
            "int",
            "S&S innovation sub-indicators: IP (10), R&D staff share (5), R&D institution level (10)",
            "创新能力分项得分(知识产权、研发人员占比、研发机构)",
            required=False,
            unit="points",
            used_by="S&S SME 2022",
            minimum=0,
            maximum=25,
        ),
        Column(
            "development_quality_score",
            "int",
            "MIIT development-quality score computed on its platform (0-100)",
            "发展质量评价得分",
            required=False,
            unit="points",
            used_by="S&S SME and little giant 2026",
            minimum=0,
            maximum=100,
        ),
        Column(
            "niche_leading",
            "bool",
            "Main product ranks high in a domestic or international niche",
            "主导产品在细分市场排名前列",
            required=False,
            used_by="S&S SME 2026",
        ),
        Column(
            "key_field_product",
            "bool",
            "Main product in core components, key software, basic processes, key materials, industrial "
            "technology foundations, or a key link of traditional, emerging or future industries",
            "主导产品属于关键领域",
            required=False,
            used_by="little giant 2026",
        ),
        Column(
            "global_rank",
            "int",
            "Main product's rank in the global niche market",
            "全球细分市场排名",
            required=False,
            used_by="single champion",
            minimum=1,
        ),
        Column(
            "internationally_advanced",
            "bool",
            "Technology assessed as internationally advanced",
            "技术水平国际先进",
            required=False,
            used_by="single champion",
        ),
        Column(
            "valuation_usd",
            "money",
            "Valuation in the latest financing round, US dollars",
            "最近一轮估值(美元)",
            required=False,
            unit="USD",
            used_by="unicorn, potential unicorn",
            minimum=0,
        ),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (ENTERPRISE, ENTERPRISE_YEAR, TITLE, EXCLUSION, APPLICATION)}


def with_choices(table: Table, choices: Mapping[str, Sequence[str]]) -> Table:
    """`table` with the allowed values of its pack-declared columns, given by `table.column`."""
    columns = tuple(
        replace(column, choices=tuple(choices[f"{table.name}.{column.name}"]))
        if column.choices_from and f"{table.name}.{column.name}" in choices
        else column
        for column in table.columns
    )
    return replace(table, columns=columns)
