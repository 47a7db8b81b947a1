"""What Othercity reads from the registry: the figures of a year, the titles held, exclusions, applications."""

from smeladder.rules import BOOL, INT, MONEY, STR, Aggregate, Input

SOURCE = "Othercity Enterprise Order 1/2025 (made up for the tests)"
SOURCE_ZH = "他城企业令2025年第1号(测试用)"

district = Input("enterprise.district_adcode", type=STR, label="District", label_zh="所属区")
revenue = Input(
    "enterprise_year.operating_revenue", type=MONEY, default=0, label="Operating revenue", label_zh="营业收入"
)
rd_expense = Input(
    "enterprise_year.rd_expense", type=MONEY, default=0, label="R&D expense", label_zh="研发费用"
)
employees = Input("enterprise_year.employees", type=INT, default=0, label="Employees", label_zh="从业人员")


def _holds(code):
    def where(rows, period, p):
        valid = (rows.valid_from <= period.date) & (rows.valid_to.isnull() | (rows.valid_to >= period.date))
        return (rows.title == code) & valid

    return where


holds_starter = Aggregate(
    "title",
    "exists",
    where=_holds("oc_starter"),
    type=BOOL,
    label="Holds the starter title",
    label_zh="持有起步企业称号",
)
holds_leader = Aggregate(
    "title",
    "exists",
    where=_holds("oc_leader"),
    type=BOOL,
    label="Holds the leader title",
    label_zh="持有领军企业称号",
)


def _listed(rows, period, p):
    return (rows.start_on <= period.date) & (rows.end_on.isnull() | (rows.end_on >= period.date))


excluded = Aggregate(
    "exclusion", "exists", where=_listed, type=BOOL, label="On an exclusion list", label_zh="列入限制名单"
)


def _consultancy(rows, period, p):
    return (rows.measure == "A1") & (rows.fiscal_year == period.year)


a1_contract_value = Aggregate(
    "application",
    "sum",
    column="contract_value",
    where=_consultancy,
    period="year",
    type=MONEY,
    label="Consultancy contracts of the year",
    label_zh="当年咨询服务合同金额",
)
