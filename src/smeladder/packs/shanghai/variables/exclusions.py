"""Exclusions win over everything (TIERS.md "Exclusions everywhere"; MEASURES.md, rules across measures).

On a serious-dishonesty list or the abnormal-operations list (while listed), or a major safety (including cyber
and data), quality or environmental incident, tax evasion or data fraud in the last 3 years: no title, no money.
Every tier and every measure starts with `is_false("excluded")`.
"""

from smeladder.rules import BOOL, Aggregate, lit

LISTS = ("serious_dishonesty", "abnormal_operations")
INCIDENTS = (
    "major_safety_incident",
    "major_quality_incident",
    "major_environmental_incident",
    "tax_evasion",
    "data_fraud",
)


def _listed(rows, period, p):
    return (
        rows.kind.isin(LISTS)
        & (rows.start_on <= period.date)
        & (rows.end_on.isnull() | (rows.end_on >= period.date))
    )


def _recent_incident(rows, period, p):
    since = lit(period.date) - p.exclusion.incident_lookback_years.as_interval("Y")
    return rows.kind.isin(INCIDENTS) & (rows.start_on <= period.date) & (rows.start_on >= since)


on_exclusion_list = Aggregate(
    "exclusion",
    "exists",
    where=_listed,
    type=BOOL,
    label="On the serious-dishonesty or abnormal-operations list",
    label_zh="列入严重失信主体名单或经营异常名录",
)
recent_major_violation = Aggregate(
    "exclusion",
    "exists",
    where=_recent_incident,
    type=BOOL,
    label="Major safety, quality or environmental incident, tax evasion or data fraud in the last 3 years",
    label_zh="近三年发生重大安全、质量、环境事故或偷税、数据造假",
)
excluded = Aggregate(
    "exclusion",
    "exists",
    where=lambda rows, period, p: _listed(rows, period, p) | _recent_incident(rows, period, p),
    type=BOOL,
    label="Excluded from support (dishonesty, abnormal operations, or a major violation)",
    label_zh="属于不予支持情形(失信、经营异常或重大违法违规)",
)
