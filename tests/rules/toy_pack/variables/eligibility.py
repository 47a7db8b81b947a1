"""Who may receive the voucher: a criterion whose rule set changes on 2025-07-01."""

from smeladder.rules import (
    all_of,
    any_of,
    at_least,
    criterion,
    is_false,
    is_true,
    param,
    share_at_least,
    share_at_most,
)

_not_excluded = is_false(
    "excluded",
    label="Not on an exclusion list",
    label_zh="未列入限制名单",
    reference="Riverside Order 7/2023, Art. 2",
)
_revenue = at_least(
    "revenue",
    param("voucher.min_revenue"),
    at="last_year",
    label="Prior-year revenue at least the minimum",
    label_zh="上年营业收入达到下限",
)
_rd_share = share_at_least(
    "rd_expense",
    of="revenue",
    share=param("voucher.min_rd_share"),
    at="last_year",
    label="Prior-year R&D at least 3% of revenue",
    label_zh="上年研发费用占营业收入比例不低于3%",
)
_innovative = any_of(
    at_least(
        "innovation_points", param("voucher.min_points"), label="Innovation points", label_zh="创新积分达标"
    ),
    is_true("holds_high_tech", label="High-tech enterprise title", label_zh="高新技术企业称号"),
    label="Innovative: enough points or a high-tech title",
    label_zh="创新能力:积分达标或持有高新技术企业称号",
)
_debt = share_at_most(
    "total_liabilities",
    of="total_assets",
    share=param("voucher.max_debt_share"),
    at="last_year",
    label="Debt-to-asset ratio at most 70%",
    label_zh="资产负债率不高于70%",
)

voucher_eligible = criterion(
    {
        "2023-01-01": all_of(_not_excluded, _revenue, _rd_share, _innovative),
        # Order 2/2025 adds the debt condition from 1 July 2025.
        "2025-07-01": all_of(_not_excluded, _revenue, _rd_share, _innovative, _debt),
    },
    label="Eligible for the innovation voucher",
    label_zh="符合创新券申领条件",
    reference="Riverside Order 7/2023, Art. 3; Order 2/2025",
)
