"""Conditions the tiers and measures share, declared once: "exclusions win" (exclusions.py), "an SME", and the
Several Measures' rule set before they are in force (rule_sets.py). Imported by the variables."""

from smeladder.rules import all_of, is_false, is_true

not_excluded = is_false("excluded", label="Not excluded from support", label_zh="不属于不予支持情形")
an_sme = is_true("is_sme", label="An SME", label_zh="属于中小企业")
# Before 2025-04-11 a measure's criterion has this one condition: "the Several Measures are in force: no".
measures_in_force = all_of(
    is_true(
        "several_measures_in_force",
        label="The Several Measures are in force (from 2025-04-11)",
        label_zh="《若干措施》已施行(2025年4月11日起)",
    )
)
