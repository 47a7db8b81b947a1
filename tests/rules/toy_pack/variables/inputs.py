"""Registry columns and facts over related rows that the toy policy reads."""

from smeladder.rules import BOOL, DATE, INT, MONEY, STR, Aggregate, Enum, Input

district = Input("enterprise.district_adcode", type=STR, label="District", label_zh="所属区")
founded_on = Input("enterprise.founded_on", type=DATE, label="Date of establishment", label_zh="成立日期")
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
    default="small",
)
revenue = Input(
    "enterprise_year.operating_revenue", type=MONEY, default=0, label="Operating revenue", label_zh="营业收入"
)
rd_expense = Input(
    "enterprise_year.rd_expense", type=MONEY, default=0, label="R&D expense", label_zh="研发费用"
)
employees = Input("enterprise_year.employees", type=INT, default=0, label="Employees", label_zh="从业人员")
rd_staff = Input("enterprise_year.rd_staff", type=INT, default=0, label="R&D staff", label_zh="研发人员")
ip_class1 = Input(
    "enterprise_year.ip_class1", type=INT, default=0, label="Class I IP in use", label_zh="Ⅰ类知识产权"
)
total_assets = Input(
    "enterprise_year.total_assets", type=MONEY, default=0, label="Total assets", label_zh="资产总额"
)
total_liabilities = Input(
    "enterprise_year.total_liabilities", type=MONEY, default=0, label="Total liabilities", label_zh="负债总额"
)


def _valid_on(rows, day):
    # valid_to empty means "no end" (registry schema): NULL must not fail the comparison.
    return (rows.valid_from <= day) & (rows.valid_to.isnull() | (rows.valid_to >= day))


holds_high_tech = Aggregate(
    "title",
    "exists",
    where=lambda rows, period, p: (rows.title == "high_tech") & _valid_on(rows, period.date),
    type=BOOL,
    label="Holds a valid high-tech enterprise title",
    label_zh="持有有效的高新技术企业称号",
)
excluded = Aggregate(
    "exclusion",
    "exists",
    where=lambda rows, period, p: (
        (rows.start_on <= period.date)
        & (rows.start_on >= period.years_before(3))
        & (rows.end_on.isnull() | (rows.end_on >= period.date))
    ),
    type=BOOL,
    label="Listed on an exclusion list (within 3 years, not yet removed)",
    label_zh="列入限制名单(三年内且未移出)",
)
awards = Aggregate(
    "title",
    "count",
    where=lambda rows, period, p: (rows.title == "st_award") & (rows.valid_from >= period.years_before(3)),
    type=INT,
    label="S&T awards in the last 3 years",
    label_zh="近三年科技奖励数",
)
