"""科技和创新型中小企业 — the first rung of the 2026 rule set (工信部企业〔2026〕2号; TIERS.md, medium-high).

It merges the tech-SME evaluation (国科发政〔2017〕115号: ≤ 500 staff, ≤ 200 million revenue and assets; 60 points
with the S&T-staff indicator not zero) with the innovative SME. Whether the 2022 innovative-SME table still
qualifies beside it is unverified: the parameter `tech_innovative_sme.innovative_path_applies` decides.
Before 2026-04-01 nothing here applies.
"""

import ibis

from smeladder.packs.shanghai.conditions import an_sme, not_excluded
from smeladder.rules import (
    BOOL,
    INT,
    above,
    all_of,
    any_of,
    at_least,
    at_most,
    criterion,
    is_true,
    lit,
    param,
    variable,
)

REFERENCE = "工信部企业〔2026〕2号; 国科发政〔2017〕115号"


@variable(
    type=INT,
    period="instant",
    label="Tech-SME points: S&T staff share (of 20)",
    label_zh="科技型中小企业评价:科技人员占比得分(满分20)",
    reference=REFERENCE,
    since="2022-06-01",
)
def tech_points_staff(v, period, p):
    return lit(0)  # the 2026 rule set is not in force


@tech_points_staff.formula(since="2026-04-01")
def _tech_points_staff(v, period, p):
    year = period.last_year
    staff = v.employees(year)
    return p.tech_innovative_sme.points.st_staff_share.lookup_share(v.rd_staff(year), staff)


@variable(
    type=INT,
    period="instant",
    label="Tech-SME points: R&D (of 50)",
    label_zh="科技型中小企业评价:研发投入得分(满分50)",
    reference=REFERENCE,
    since="2022-06-01",
)
def tech_points_rd(v, period, p):
    return lit(0)


@tech_points_rd.formula(since="2026-04-01")
def _tech_points_rd(v, period, p):
    year = period.last_year
    points = p.tech_innovative_sme.points
    by_revenue = points.rd_to_revenue.lookup_share(v.rd_expense(year), v.revenue(year))
    by_cost = points.rd_to_cost.lookup_share(v.rd_expense(year), v.total_cost(year))
    return ibis.greatest(by_revenue, by_cost)  # "whichever is higher"


@variable(
    type=INT,
    period="instant",
    label="Tech-SME points: S&T results (of 30)",
    label_zh="科技型中小企业评价:科技成果得分(满分30)",
    reference=REFERENCE,
    since="2022-06-01",
)
def tech_points_results(v, period, p):
    return lit(0)


@tech_points_results.formula(since="2026-04-01")
def _tech_points_results(v, period, p):
    year = period.last_year
    points = p.tech_innovative_sme.points
    return ibis.ifelse(v.ip_class1(year) >= 1, points.ip_class1, points.ip_class2.lookup(v.ip_class2(year)))


@variable(
    type=INT,
    period="instant",
    label="Tech-SME points (of 100)",
    label_zh="科技型中小企业评价得分(满分100)",
    reference=REFERENCE,
)
def tech_points(v, period, p):
    return v.tech_points_staff(period) + v.tech_points_rd(period) + v.tech_points_results(period)


@variable(
    type=BOOL,
    period="instant",
    label="The 2022 innovative-SME path still qualifies (unverified)",
    label_zh="2022年创新型中小企业评价路径仍适用(未核实)",
    reference=REFERENCE,
    since="2022-06-01",
)
def innovative_path_applies(v, period, p):
    return lit(False)


@innovative_path_applies.formula(since="2026-04-01")
def _innovative_path_applies(v, period, p):
    return p.tech_innovative_sme.innovative_path_applies


_tech_sme_path = all_of(
    at_most(
        "employees",
        param("tech_innovative_sme.max_employees"),
        at="last_year",
        label="At most 500 employees",
        label_zh="职工总数不超过500人",
    ),
    at_most(
        "revenue",
        param("tech_innovative_sme.max_revenue"),
        at="last_year",
        label="Revenue at most 200 million",
        label_zh="年销售收入不超过2亿元",
    ),
    at_most(
        "total_assets",
        param("tech_innovative_sme.max_assets"),
        at="last_year",
        label="Assets at most 200 million",
        label_zh="资产总额不超过2亿元",
    ),
    at_least(
        "tech_points",
        param("tech_innovative_sme.score_min"),
        label="Tech-SME points",
        label_zh="科技型中小企业评价得分",
    ),
    above("tech_points_staff", 0, label="S&T staff points not zero", label_zh="科技人员指标得分不为0"),
    label="Tech-SME evaluation",
    label_zh="科技型中小企业评价",
)
_innovative_path = all_of(
    is_true(
        "innovative_path_applies", label="The innovative-SME path applies", label_zh="创新型中小企业路径适用"
    ),
    is_true(
        "innovative_sme_criteria",
        label="Innovative-SME points or direct condition",
        label_zh="创新型中小企业评分或直通条件",
    ),
    label="Or the innovative-SME evaluation",
    label_zh="或创新型中小企业评价",
)

tech_innovative_sme_eligible = criterion(
    {
        "2022-06-01": all_of(
            is_true(
                "ladder_2026_in_force",
                label="The 2026 rule set is in force (from 2026-04-01)",
                label_zh="2026年标准已施行(2026年4月1日起)",
            )
        ),
        "2026-04-01": all_of(
            not_excluded,
            an_sme,
            any_of(
                _tech_sme_path, _innovative_path, label="Tech-SME or innovative-SME path", label_zh="评价路径"
            ),
        ),
    },
    label="Meets the tech-and-innovative SME criteria (2026 rule set)",
    label_zh="符合科技和创新型中小企业认定条件(2026年标准)",
    reference=REFERENCE,
)
