"""Readiness of one enterprise: the titles it holds, the next rung, and what it lacks for it, condition by
condition with margins ("R&D 2.60% of revenue, needs 3.00%: 0.40 points or 82,000.00 yuan more").

It asks the engine to explain the next rung's criterion (the rule set in force on the date) and the money
measures, then keeps the fewest failing conditions that would flip the outcome (`changes_to_flip`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smeladder.ladder.funnel import MEASURES
from smeladder.ladder.rungs import BY_ID, LADDER_2026, RUNGS
from smeladder.rules.backends import Source
from smeladder.rules.criteria import changes_to_flip
from smeladder.rules.explain import explain
from smeladder.rules.pack import Pack

TITLE_VARIABLES = (
    ("holds_first_rung", "first_rung"),
    ("holds_ss_sme", "ss_sme"),
    ("holds_little_giant", "little_giant"),
    ("holds_single_champion", "single_champion"),
)
# Yes/no conditions computed exactly from several years, and the rate to show beside them.
SHOWN_WITH = {"little_giant_growth_met": "main_growth_2y"}
OTHER_TITLES = (
    ("holds_high_tech", "high-tech enterprise", "高新技术企业"),
    ("holds_gazelle", "gazelle", "瞪羚企业"),
    ("holds_unicorn", "unicorn", "独角兽企业"),
)


@dataclass
class Shortfall:
    """One condition the enterprise does not meet, with what it takes to meet it."""

    label_en: str
    label_zh: str
    kind: str  # compare | share | truth
    op: str
    variable_en: str
    variable_zh: str
    period: str
    value: Any
    threshold: Any
    margin: Decimal | None
    unit: str  # money | int | rate | bool ...
    share: Decimal | None = None
    ratio: Decimal | None = None
    reference: str = ""
    confirmed: bool = True
    shown_rate: Decimal | None = None  # for yes/no conditions over several years: the rate behind them


@dataclass
class Support:
    measure: str
    name_en: str
    name_zh: str
    amount: Decimal


@dataclass
class Readiness:
    key: str
    as_of: dt.date
    found: bool
    titles: list[str]  # rung ids held
    other_titles: list[tuple[str, str]]  # (en, zh)
    excluded: bool
    next_rung: str | None
    next_rung_met: bool
    shortfalls: list[Shortfall] = field(default_factory=list)
    support: list[Support] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)

    @property
    def rule_set(self) -> str:
        return "2026" if self.as_of >= LADDER_2026 else "2022"

    def rung_label(self, rung: str, lang: str) -> str:
        return BY_ID[rung].label(lang, self.as_of)


def readiness(pack: Pack, source: Source, key: str, as_of: dt.date) -> Readiness:
    status_names = [name for name, _ in TITLE_VARIABLES] + [n for n, _, _ in OTHER_TITLES]
    status_names += ["excluded", "next_rung", "next_rung_met", *SHOWN_WITH.values()]
    status = explain(pack, source, key, as_of, status_names)
    value = {root["variable"]: root["value"] for root in status.roots}
    held = [rung for name, rung in TITLE_VARIABLES if value.get(name)]
    others = [(en, zh) for name, en, zh in OTHER_TITLES if value.get(name)]
    next_id = value.get("next_rung")
    next_id = None if next_id in (None, "none") else next_id
    result = Readiness(
        key=key,
        as_of=as_of,
        found=status.found,
        titles=held,
        other_titles=others,
        excluded=bool(value.get("excluded")),
        next_rung=next_id,
        next_rung_met=bool(value.get("next_rung_met")),
    )
    if not status.found:
        return result
    paid = [variable for _, variable, _, _ in MEASURES]
    criterion = [BY_ID[next_id].criterion(as_of)] if next_id else []
    detail = explain(pack, source, key, as_of, criterion + paid)
    roots = {root["variable"]: root for root in detail.roots}
    if next_id and not result.next_rung_met:
        tree = roots[criterion[0]].get("conditions")
        if tree is not None:
            result.shortfalls = [_shortfall(leaf, value) for leaf in changes_to_flip(tree)]
    shown = [roots[name] for name in criterion]
    for measure, variable, en, zh in MEASURES:
        amount = roots[variable]["value"]
        if amount:
            result.support.append(Support(measure, en, zh, Decimal(amount)))
            shown.append(roots[variable])
    # Only the figures behind what the letter says: the next rung's criterion and the amounts granted.
    result.unconfirmed = sorted(_unconfirmed(shown))
    return result


def _shortfall(leaf: dict[str, Any], status: dict[str, Any]) -> Shortfall:
    parameter = leaf.get("parameter") or {}
    companion = SHOWN_WITH.get(leaf.get("variable", ""))
    return Shortfall(
        shown_rate=status.get(companion) if companion else None,
        label_en=leaf.get("label") or leaf.get("variable_label", ""),
        label_zh=leaf.get("label_zh") or leaf.get("variable_label_zh", ""),
        kind=leaf["kind"],
        op=leaf.get("op", "=="),
        variable_en=leaf.get("variable_label", leaf.get("variable", "")),
        variable_zh=leaf.get("variable_label_zh", leaf.get("variable", "")),
        period=leaf.get("period", ""),
        value=leaf.get("value"),
        threshold=leaf.get("threshold") if leaf["kind"] != "truth" else leaf.get("expected"),
        margin=leaf.get("margin"),
        unit=leaf.get("unit_type", ""),
        share=leaf.get("share"),
        ratio=leaf.get("ratio"),
        reference=leaf.get("reference", ""),
        confirmed=parameter.get("confirmed", True),
    )


def _unconfirmed(nodes: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        for read in node.get("parameters", []):
            if not read["confirmed"]:
                found.add(read["parameter"])
        found |= _unconfirmed(node.get("inputs", []))
    return found


__all__ = ["RUNGS", "Readiness", "Shortfall", "Support", "readiness"]
