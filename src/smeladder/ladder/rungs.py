"""The rungs of the ladder and the pack variables behind them (TIERS.md): which criterion decides a rung on a
date, which aggregate says a firm holds it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LADDER_2026 = dt.date(2026, 4, 1)


@dataclass(frozen=True)
class Rung:
    id: str
    label_en: str
    label_zh: str
    holds: str  # BOOL variable: holds the title on the date
    criterion_2022: str
    criterion_2026: str
    # Met by any one of several titles or awards (the first rung's direct conditions): nearly every firm lacks
    # "one condition" for it, so counting conditions lacking says nothing about how close a firm is.
    met_by_one_title: bool = False

    def criterion(self, day: dt.date) -> str:
        return self.criterion_2026 if day >= LADDER_2026 else self.criterion_2022

    def label(self, lang: str, day: dt.date | None = None) -> str:
        if self.id == "first_rung" and day is not None:
            return FIRST_RUNG_NAMES[day >= LADDER_2026][lang == "zh"]
        return self.label_zh if lang == "zh" else self.label_en


FIRST_RUNG_NAMES = {
    False: ("innovative SME", "创新型中小企业"),
    True: ("tech-and-innovative SME", "科技和创新型中小企业"),
}

RUNGS = (
    Rung(
        "first_rung",
        "innovative / tech-and-innovative SME",
        "创新型/科技和创新型中小企业",
        "holds_first_rung",
        "innovative_sme_eligible",
        "tech_innovative_sme_eligible",
        met_by_one_title=True,
    ),
    Rung("ss_sme", "S&S SME", "专精特新中小企业", "holds_ss_sme", "ss_sme_eligible", "ss_sme_eligible"),
    Rung(
        "little_giant",
        "little giant",
        '专精特新"小巨人"',
        "holds_little_giant",
        "little_giant_eligible",
        "little_giant_eligible",
    ),
    Rung(
        "single_champion",
        "manufacturing single champion",
        "制造业单项冠军",
        "holds_single_champion",
        "single_champion_eligible",
        "single_champion_eligible",
    ),
)
BY_ID = {rung.id: rung for rung in RUNGS}
