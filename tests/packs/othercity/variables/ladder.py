"""Othercity's two rungs (Order 1/2025, Art. 2-3): starter enterprise, then leading enterprise."""

import ibis

from smeladder.rules import (
    BOOL,
    Enum,
    all_of,
    at_least,
    at_most,
    criterion,
    is_false,
    is_true,
    param,
    share_at_least,
    variable,
)

SOURCE = "Othercity Enterprise Order 1/2025 (made up for the tests)"
SOURCE_ZH = "他城企业令2025年第1号(测试用)"

RUNGS = Enum(
    {
        "none": ("no title yet", "尚无称号"),
        "starter": ("starter enterprise", "起步企业"),
        "leader": ("leading enterprise", "领军企业"),
    }
)
_not_excluded = is_false("excluded", label="Not on an exclusion list", label_zh="未列入限制名单")

starter_eligible = criterion(
    all_of(
        _not_excluded,
        at_least(
            "revenue",
            param("starter.min_revenue"),
            at="last_year",
            label="Prior-year revenue at least 5 million",
            label_zh="上年营业收入不低于500万元",
        ),
        at_most(
            "employees",
            param("starter.max_employees"),
            at="last_year",
            label="At most 300 employees",
            label_zh="从业人数不超过300人",
        ),
    ),
    label="Starter enterprise",
    label_zh="起步企业认定条件",
    reference=f"{SOURCE}, Art. 2",
    reference_zh=f"{SOURCE_ZH}，第2条",
)
leader_eligible = criterion(
    all_of(
        _not_excluded,
        is_true("holds_starter", label="Holds the starter title", label_zh="持有起步企业称号"),
        at_least(
            "revenue",
            param("leader.min_revenue"),
            at="last_year",
            label="Prior-year revenue at least 50 million",
            label_zh="上年营业收入不低于5000万元",
        ),
        share_at_least(
            "rd_expense",
            of="revenue",
            share=param("leader.min_rd_share"),
            at="last_year",
            label="Prior-year R&D at least 3% of revenue",
            label_zh="上年研发费用占营业收入比例不低于3%",
        ),
    ),
    label="Leading enterprise",
    label_zh="领军企业认定条件",
    reference=f"{SOURCE}, Art. 3",
    reference_zh=f"{SOURCE_ZH}，第3条",
)


@variable(type=RUNGS, period="instant", label="Next rung to reach", label_zh="下一梯度")
def next_rung(v, period, p):
    return ibis.cases(
        (v.holds_leader(period), "none"),
        (v.holds_starter(period), "leader"),
        else_="starter",
    )


@variable(
    type=BOOL,
    period="instant",
    label="Meets the criteria of its next rung",
    label_zh="已达到下一梯度认定条件",
)
def next_rung_met(v, period, p):
    rung = v.next_rung(period)
    return ibis.cases(
        (rung == "starter", v.starter_eligible(period)),
        (rung == "leader", v.leader_eligible(period)),
        else_=False,
    )
