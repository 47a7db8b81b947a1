"""Where an enterprise stands on the ladder and which rung is next (TIERS.md): innovative (2022) or
tech-and-innovative (2026) SME → S&S SME → little giant → manufacturing single champion (a separate track that
takes little giants first)."""

import ibis

from smeladder.rules import BOOL, Enum, variable

RUNGS = Enum(
    {
        "none": ("no title yet", "尚无称号"),
        "first_rung": ("innovative / tech-and-innovative SME", "创新型/科技和创新型中小企业"),
        "ss_sme": ("S&S SME", "专精特新中小企业"),
        "little_giant": ("little giant", '专精特新"小巨人"'),
        "single_champion": ("manufacturing single champion", "制造业单项冠军"),
    }
)


@variable(type=RUNGS, period="instant", label="Highest title held", label_zh="现有最高称号")
def current_rung(v, period, p):
    return ibis.cases(
        (v.holds_single_champion(period), "single_champion"),
        (v.holds_little_giant(period), "little_giant"),
        (v.holds_ss_sme(period), "ss_sme"),
        (v.holds_first_rung(period), "first_rung"),
        else_="none",
    )


@variable(type=RUNGS, period="instant", label="Next rung to reach", label_zh="下一梯度")
def next_rung(v, period, p):
    rung = v.current_rung(period)
    return ibis.cases(
        (rung == "none", "first_rung"),
        (rung == "first_rung", "ss_sme"),
        (rung == "ss_sme", "little_giant"),
        # Only manufacturers can become single champions; for the others the ladder ends at little giant.
        ((rung == "little_giant") & v.is_manufacturing(), "single_champion"),
        else_="none",
    )


@variable(
    type=BOOL,
    period="instant",
    label="Meets the criteria of its next rung",
    label_zh="已达到下一梯度认定条件",
)
def next_rung_met(v, period, p):
    rung = v.next_rung(period)
    first = v.innovative_sme_eligible(period) | v.tech_innovative_sme_eligible(period)
    return ibis.cases(
        (rung == "first_rung", first),
        (rung == "ss_sme", v.ss_sme_eligible(period)),
        (rung == "little_giant", v.little_giant_eligible(period)),
        (rung == "single_champion", v.single_champion_eligible(period)),
        else_=False,
    )
