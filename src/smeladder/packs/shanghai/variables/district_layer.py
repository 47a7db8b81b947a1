"""The district layer, ILLUSTRATIVE: one district's measures on top of the municipal ones, to show the mechanism.

The text: "each district will be encouraged to refine and tailor supporting measures". No district's rules are in
our sources, so Minhang (310112) stands in with made-up, unconfirmed figures (parameters/district/310112/):
- its own reward for the first year above size — the same item as M1.2a, so across levels only the higher is
  paid (stacking.py, group scale_growth);
- a top-up (配套) of the municipal M1.3b support: added, not stacked, because it tops up the same payment.
"""

from decimal import Decimal

import ibis

from smeladder.rules import MONEY, lit, variable

EXAMPLE_DISTRICT = "310112"  # Minhang
ILLUSTRATIVE = "ILLUSTRATIVE district layer (not a published measure)"
ILLUSTRATIVE_ZH = "示例：区级配套政策示意（并非已发布的措施）"
ZERO = Decimal("0.00")


@variable(
    type=MONEY,
    period="instant",
    label="Minhang's own first-year-above-size reward (ILLUSTRATIVE, before stacking)",
    label_zh="闵行区首次小升规奖励(示例,就高前)",
    reference=ILLUSTRATIVE,
    reference_zh=ILLUSTRATIVE_ZH,
    in_force="2025-04-11",
)
def district_m1_2a_amount(v, period, p):
    in_district = v.district() == EXAMPLE_DISTRICT
    reward = p(f"district.{EXAMPLE_DISTRICT}.M1.2a").reward
    return ibis.ifelse(in_district & v.m1_2a_eligible(period), reward, lit(ZERO))


@variable(
    type=MONEY,
    period="instant",
    benefit=True,
    label="Minhang top-up of M1.3b (ILLUSTRATIVE)",
    label_zh="闵行区M1.3b配套(示例)",
    reference=ILLUSTRATIVE,
    reference_zh=ILLUSTRATIVE_ZH,
    in_force="2025-04-11",
)
def district_m1_3b_topup_paid(v, period, p):
    rules = p(f"district.{EXAMPLE_DISTRICT}.M1.3b")
    in_district = v.district() == EXAMPLE_DISTRICT
    topup = ibis.least(v.m1_3b_paid(period) * rules.topup_rate, rules.topup_cap)
    return ibis.ifelse(in_district, topup, lit(ZERO))
