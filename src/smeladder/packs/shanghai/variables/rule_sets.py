"""Which rule set is in force on a date (TIERS.md): the 2022 ladder until 2026-03-31, the 2026 ladder from
2026-04-01; the Several Measures from their publication (press release of 2025-04-11, the date our sources give).

Criteria of a rule set not yet in force say so as their only condition, so an explanation reads
"the 2026 rule set is in force: no" rather than failing.
"""

from smeladder.rules import BOOL, lit, variable

LADDER_2022 = "2022-06-01"  # 工信部企业〔2022〕63号 in force
LADDER_2026 = "2026-04-01"  # 工信部企业〔2026〕2号 in force
SEVERAL_MEASURES = (
    "2025-04-11"  # press release of the Several Measures; the effective date is not in our sources
)


@variable(
    type=BOOL,
    period="instant",
    label="The 2026 ladder (工信部企业〔2026〕2号) is in force",
    label_zh="2026年梯度培育管理办法已施行",
    since=LADDER_2022,
)
def ladder_2026_in_force(v, period, p):
    return lit(False)


@ladder_2026_in_force.formula(since=LADDER_2026)
def _ladder_2026_in_force(v, period, p):
    return lit(True)


@variable(
    type=BOOL,
    period="instant",
    label="The Several Measures (2025) are in force",
    label_zh="《若干措施》已施行",
    since=LADDER_2022,
)
def several_measures_in_force(v, period, p):
    return lit(False)


@several_measures_in_force.formula(since=SEVERAL_MEASURES)
def _several_measures_in_force(v, period, p):
    return lit(True)


CHAMPION_2023 = "2023-09-01"  # 工信部政法〔2023〕138号


@variable(
    type=BOOL,
    period="instant",
    label="The 2023 single-champion rules (工信部政法〔2023〕138号) are in force",
    label_zh="2023年制造业单项冠军认定办法已施行",
    since=LADDER_2022,
)
def champion_rules_2023_in_force(v, period, p):
    return lit(False)


@champion_rules_2023_in_force.formula(since=CHAMPION_2023)
def _champion_rules_2023_in_force(v, period, p):
    return lit(True)
