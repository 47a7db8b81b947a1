"""Registry columns the Shanghai pack reads (src/smeladder/registry/schema.py describes each one).

A missing enterprise-year reads as zero for amounts and counts, so "no R&D reported" fails an R&D floor
instead of leaving the condition unknown.
"""

from smeladder.rules import BOOL, DATE, INT, MONEY, RATE, STR, Enum, Input

district = Input("enterprise.district_adcode", type=STR, label="District", label_zh="所属区")
founded_on = Input("enterprise.founded_on", type=DATE, label="Date of establishment", label_zh="成立日期")
industry_code = Input(
    "enterprise.industry_code", type=STR, label="Industry class (GB/T 4754)", label_zh="国民经济行业代码"
)
strategic_emerging = Input(
    "enterprise.strategic_emerging",
    type=BOOL,
    default=False,
    label="Main product in the Strategic Emerging Industries classification",
    label_zh="主导产品属于战略性新兴产业",
)
size_class = Input(
    "enterprise.size_class",
    type=Enum(
        {
            "micro": ("micro", "微型"),
            "small": ("small", "小型"),
            "medium": ("medium", "中型"),
            "large": ("large", "大型"),
        }
    ),
    label="Size class",
    label_zh="企业规模",
)
listed = Input("enterprise.listed", type=BOOL, default=False, label="Listed", label_zh="已上市")
ownership = Input("enterprise.ownership", type=STR, label="Ownership type", label_zh="登记注册类型")

revenue = Input(
    "enterprise_year.operating_revenue", type=MONEY, default=0, label="Operating revenue", label_zh="营业收入"
)
main_revenue = Input(
    "enterprise_year.main_business_revenue",
    type=MONEY,
    default=0,
    label="Main-business revenue",
    label_zh="主营业务收入",
)
output_value = Input(
    "enterprise_year.industrial_output_value",
    type=MONEY,
    label="Gross industrial output value",
    label_zh="工业总产值",
)
rd_expense = Input(
    "enterprise_year.rd_expense", type=MONEY, default=0, label="R&D expense", label_zh="研发费用"
)
employees = Input("enterprise_year.employees", type=INT, default=0, label="Employees", label_zh="从业人员")
rd_staff = Input("enterprise_year.rd_staff", type=INT, default=0, label="R&D staff", label_zh="研发人员")
total_assets = Input(
    "enterprise_year.total_assets", type=MONEY, default=0, label="Total assets", label_zh="资产总额"
)
total_liabilities = Input(
    "enterprise_year.total_liabilities", type=MONEY, default=0, label="Total liabilities", label_zh="负债总额"
)
net_profit = Input("enterprise_year.net_profit", type=MONEY, default=0, label="Net profit", label_zh="净利润")
equity_financing = Input(
    "enterprise_year.new_equity_financing",
    type=MONEY,
    default=0,
    label="New equity financing",
    label_zh="新增股权融资",
)
above_size = Input(
    "enterprise_year.above_designated_size",
    type=BOOL,
    default=False,
    label="Above designated size",
    label_zh="规模以上企业",
)
ip_class1 = Input(
    "enterprise_year.ip_class1", type=INT, default=0, label="Class I IP in use", label_zh="Ⅰ类知识产权"
)
ip_class2 = Input(
    "enterprise_year.ip_class2", type=INT, default=0, label="Class II IP in use", label_zh="Ⅱ类知识产权"
)
digitalization_level = Input(
    "enterprise_year.digitalization_level",
    type=INT,
    default=1,
    label="Digitalization level",
    label_zh="数字化水平等级",
)
certifications = Input(
    "enterprise_year.certifications",
    type=STR,
    default="",
    label="Certifications held",
    label_zh="管理体系及产品认证",
)
niche_share_percent = Input(
    "enterprise_year.niche_market_share",
    type=RATE,
    default=0,
    label="Share of the national niche market (%)",
    label_zh="细分市场占有率(%)",
)
niche_rank = Input(
    "enterprise_year.niche_rank", type=INT, label="Rank in the national niche market", label_zh="细分市场排名"
)
years_in_niche = Input(
    "enterprise_year.years_in_niche",
    type=INT,
    default=0,
    label="Full years in the niche market",
    label_zh="从事细分市场年限",
)
