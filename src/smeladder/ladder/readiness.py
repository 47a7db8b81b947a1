"""Readiness of one enterprise: the titles it holds (with their expiry), what it receives, the apply-mode
measures it could still apply for, the next rung and what it lacks for it, condition by condition with margins
("R&D 2.6% of revenue, needs 3%: 0.4 percentage points or 56,800.00 yuan more"), and the other designations.

It asks the engine to explain the next rung's criterion (the rule set in force on the date), the designations
and the money measures; what is lacking is the engine's `flips.requirements` (the fewest failing conditions,
an any-of's alternatives kept as alternatives, a band's own requirement first). The letter is letter.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import ibis

from smeladder.ladder.funnel import MEASURES
from smeladder.ladder.rungs import BY_ID, LADDER_2026, RUNGS
from smeladder.rules import flips
from smeladder.rules.backends import Source, fetch_arrow
from smeladder.rules.errors import PackError
from smeladder.rules.explain import explain
from smeladder.rules.explain_letter import (
    entity_name,
    nothing_on_record,
    unconfirmed_leaves,
    unconfirmed_reads,
)
from smeladder.rules.explain_nodes import ConditionNode, Group, Leaf, Need, VariableNode
from smeladder.rules.pack import Pack
from smeladder.rules.periods import Instant

TITLE_VARIABLES = (
    ("holds_first_rung", "first_rung"),
    ("holds_ss_sme", "ss_sme"),
    ("holds_little_giant", "little_giant"),
    ("holds_single_champion", "single_champion"),
)
# Yes/no conditions computed exactly from several years: the rate behind them and the parameter it is held to.
SHOWN_WITH = {"little_giant_growth_met": "main_growth_2y"}
SHOWN_AGAINST = {"little_giant_growth_met": "little_giant.min_main_growth_2y"}
OTHER_TITLES = (
    ("holds_high_tech", "high-tech enterprise", "高新技术企业"),
    ("holds_gazelle", "gazelle", "瞪羚企业"),
    ("holds_unicorn", "unicorn", "独角兽企业"),
)
# Registry title codes behind each title the letter names (its expiry is the latest valid_to among them).
TITLE_CODES = {
    "first_rung": ("innovative_sme", "tech_innovative_sme"),
    "ss_sme": ("ss_sme",),
    "little_giant": ("little_giant",),
    "single_champion": ("single_champion",),
    "high-tech enterprise": ("high_tech",),
    "gazelle": ("gazelle",),
    "unicorn": ("unicorn",),
}
# Designations off the ladder the letter reports on: (criterion, the title variable, en, zh).
DESIGNATIONS = (
    ("gazelle_eligible", "holds_gazelle", "Gazelle", "瞪羚企业"),
    ("unicorn_eligible", "holds_unicorn", "Unicorn", "独角兽企业"),
    ("potential_unicorn_eligible", "holds_unicorn", "Potential unicorn", "潜在独角兽企业"),
)
LISTINGS = (
    (
        "M5.5",
        "m5_5_talent_list",
        "Listed as a key institution for talent introduction",
        "纳入人才引进重点机构名单",
    ),
)


@dataclass
class Support:
    measure: str
    name_en: str
    name_zh: str
    amount: Decimal | None  # None: a listing, not money
    reference: str = ""
    reference_zh: str = ""


@dataclass
class Designation:
    """A designation off the ladder (gazelle, unicorn), met or not."""

    variable: str
    name_en: str
    name_zh: str
    met: bool
    reference: str = ""
    reference_zh: str = ""


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
    to_flip: Need | None = None  # the fewest changes that meet the next rung (every equally short way)
    shortfalls: list[Leaf] = field(default_factory=list)  # every condition they name
    needs: list[Need] = field(default_factory=list)  # what is lacking, as the letter tells it
    next_reference: str = ""
    next_reference_zh: str = ""
    support: list[Support] = field(default_factory=list)
    could_apply: list[Support] = field(
        default_factory=list
    )  # apply-mode measures with no application on file
    designations: list[Designation] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # registered name by language
    expiry: dict[str, dt.date | None] = field(default_factory=dict)  # title -> last valid day (None: no end)
    unconfirmed: list[str] = field(default_factory=list)

    @property
    def rule_set(self) -> str:
        return "2026" if self.as_of >= LADDER_2026 else "2022"

    def rung_label(self, rung: str, lang: str) -> str:
        return BY_ID[rung].label(lang, self.as_of)


def has_ladder(pack: Pack) -> bool:
    """Whether `pack` declares the ladder this module reads (the Shanghai pack does; a toy pack does not)."""
    needed = [name for name, _ in TITLE_VARIABLES] + ["excluded", "next_rung", "next_rung_met"]
    needed += [rung.criterion_2022 for rung in RUNGS] + [rung.criterion_2026 for rung in RUNGS]
    needed += [variable for _, variable, _, _ in MEASURES]
    return all(name in pack.variables for name in needed)


def readiness(
    pack: Pack, source: Source, key: str, as_of: dt.date, overrides: dict[str, Any] | None = None
) -> Readiness:
    status_names = [name for name, _ in TITLE_VARIABLES] + [n for n, _, _ in OTHER_TITLES]
    status_names += ["excluded", "next_rung", "next_rung_met", *SHOWN_WITH.values()]
    paid = [variable for _, variable, _, _ in MEASURES]
    eligible = [_eligible(variable) for variable in paid if _eligible(variable) in pack.variables]
    criteria = [rung.criterion(as_of) for rung in RUNGS]
    designations = [name for name, _, _, _ in DESIGNATIONS]
    listings = [variable for _, variable, _, _ in LISTINGS]
    # One request, the same for every enterprise on a date: its compiled query is prepared once and cached, so a
    # letter costs one keyed lookup (every rung's criterion is asked, the letter tells the next one's).
    asked = list(dict.fromkeys(status_names + criteria + paid + eligible + designations + listings))
    detail = explain(pack, source, key, as_of, asked, overrides)
    value = {root.variable: root.value for root in detail.roots}
    held = [rung for name, rung in TITLE_VARIABLES if value.get(name)]
    others = [(en, zh) for name, en, zh in OTHER_TITLES if value.get(name)]
    next_id = value.get("next_rung")
    next_id = None if next_id in (None, "none") else next_id
    result = Readiness(
        key=key,
        as_of=as_of,
        found=detail.found,
        titles=held,
        other_titles=others,
        excluded=bool(value.get("excluded")),
        next_rung=next_id,
        next_rung_met=bool(value.get("next_rung_met")),
    )
    if not detail.found:
        return result
    result.names = entity_name(pack, source, key)
    result.expiry = _expiry(pack, source, key, as_of)
    criterion = BY_ID[next_id].criterion(as_of) if next_id else None
    roots = _told(detail.roots)
    shown: list[VariableNode] = []
    shown_leaves: list[Leaf] = []
    if criterion:
        result.next_reference = roots[criterion].reference
        result.next_reference_zh = roots[criterion].reference_zh
    if criterion and not result.next_rung_met and roots[criterion].conditions is not None:
        against = {name: _parameter_value(detail.roots, path) for name, path in SHOWN_AGAINST.items()}
        tree = _annotate(roots[criterion].conditions, value, against)
        # The exclusion is said once, at the top of the letter, not as one more thing to do.
        result.needs = [
            need
            for need in flips.requirements(tree)
            if [leaf.variable for leaf in need.leaves()] != ["excluded"]
        ]
        result.to_flip = flips.to_flip(tree)
        result.shortfalls = result.to_flip.leaves()
        shown_leaves = [leaf for need in result.needs for leaf in need.leaves()]
    for measure, variable, en, zh in MEASURES:
        node = roots[variable]
        if node.value:
            result.support.append(
                Support(measure, en, zh, Decimal(node.value), node.reference, node.reference_zh)
            )
            shown.append(node)
        elif _apply_mode(pack, measure, as_of) and _only_the_application_lacks(
            roots.get(_eligible(variable))
        ):
            # Cited by the measure's own article (the paid amount cites the stacking rule as well).
            eligible = roots[_eligible(variable)]
            cited = eligible if eligible.reference else node
            result.could_apply.append(Support(measure, en, zh, None, cited.reference, cited.reference_zh))
    for measure, variable, en, zh in LISTINGS:
        node = roots[variable]
        if node.value:
            result.support.append(Support(measure, en, zh, None, node.reference, node.reference_zh))
    for name, holds, en, zh in DESIGNATIONS:
        node = roots[name]
        if value.get(holds) or node.conditions is None:
            continue  # held already (a unicorn is past being a potential one)
        # Off the ladder, the letter says what is met and names what is not; the margins are in the trace.
        result.designations.append(
            Designation(name, en, zh, bool(node.value), node.reference, node.reference_zh)
        )
    # Only the figures behind what the letter says: what is lacking and the amounts granted.
    result.unconfirmed = sorted(unconfirmed_reads(shown) | unconfirmed_leaves(shown_leaves))
    return result


def _told(roots: list[VariableNode]) -> dict[str, VariableNode]:
    """Each root by variable, as first told: a root already told inside another's tree is only a pointer."""
    full: dict[tuple[str, str], VariableNode] = {}
    for root in roots:
        for node in root.walk():
            full.setdefault((node.variable, node.period), node)
    return {root.variable: full.get((root.variable, root.period), root) for root in roots}


def _eligible(paid: str) -> str:
    """The name is the address: m4_1_paid is decided by m4_1_eligible."""
    return paid.removesuffix("_paid") + "_eligible"


def _apply_mode(pack: Pack, measure: str, as_of: dt.date) -> bool:
    path = f"{measure}.delivery_mode"
    if path not in pack.parameters.parameters:
        return False
    try:
        return pack.parameters[path].resolve(Instant(as_of)).value == "apply"
    except PackError:  # no value on that date: the measure is not in force
        return False


def _only_the_application_lacks(node: VariableNode | None) -> bool:
    """The measure's criterion fails only on facts an application brings (nothing on record yet)."""
    if node is None or node.value or node.conditions is None:
        return False
    needs = flips.requirements(node.conditions)
    return bool(needs) and all(nothing_on_record(leaf) for need in needs for leaf in need.leaves())


def _expiry(pack: Pack, source: Source, key: str, as_of: dt.date) -> dict[str, dt.date | None]:
    """The last valid day of each title held on `as_of` (None: no end), from the registry's title table."""
    table = source.tables.get("title")
    if table is None:
        return {}
    day = ibis.literal(as_of)
    rows = table.filter(
        (table[pack.entity_key] == ibis.literal(key))
        & (table.valid_from <= day)
        & (table.valid_to.isnull() | (table.valid_to >= day))
    ).select("title", "valid_to")
    found: dict[str, dt.date | None] = {}
    for row in fetch_arrow(source, rows).to_pylist():
        for name, codes in TITLE_CODES.items():
            if row["title"] in codes:
                ends = row["valid_to"]
                if name not in found:
                    found[name] = ends
                elif found[name] is not None:
                    found[name] = None if ends is None else max(found[name], ends)
    return found


def _parameter_value(nodes: tuple[VariableNode, ...] | list[VariableNode], path: str) -> Decimal | None:
    for node in nodes:
        for read in node.parameters:
            if read.path == path:
                return Decimal(read.value)
        found = _parameter_value(node.inputs, path)
        if found is not None:
            return found
    return None


def _annotate(node: ConditionNode, status: dict[str, Any], against: dict[str, Any]) -> ConditionNode:
    """A yes/no condition over several years carries the rate behind it and the rate it must reach."""
    if isinstance(node, Group):
        return replace(node, children=tuple(_annotate(child, status, against) for child in node.children))
    if node.variable in SHOWN_WITH:
        return replace(
            node, shown_rate=status.get(SHOWN_WITH[node.variable]), shown_against=against.get(node.variable)
        )
    return node


__all__ = ["RUNGS", "Designation", "Readiness", "Support", "has_ladder", "readiness"]
