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

from smeladder.ladder.rungs import ladder_of, measures_of
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
from smeladder.rules.packfile import Ladder, Measure
from smeladder.rules.periods import Instant


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
    ladder: Ladder
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
        return self.ladder.rule_set(self.as_of)

    def rung_label(self, rung: str, lang: str) -> str:
        return self.ladder.rung(rung).label_in(lang, self.as_of)


# What a pack with a ladder computes besides what its ladder.yaml names: where a firm stands and what is next.
STANDING = ("next_rung", "next_rung_met")


def has_ladder(pack: Pack) -> bool:
    """Whether `pack` has the ladder this module reads (ladder.yaml, a measure catalogue and the variables of
    `STANDING`; the Shanghai pack has them, a toy pack does not)."""
    return (
        pack.ladder is not None
        and pack.measures is not None
        and all(name in pack.variables for name in STANDING)
    )


def readiness(
    pack: Pack, source: Source, key: str, as_of: dt.date, overrides: dict[str, Any] | None = None
) -> Readiness:
    ladder, measures = ladder_of(pack), measures_of(pack)
    status_names = [rung.holds for rung in ladder.rungs] + [t.holds for t in ladder.other_titles]
    status_names += [ladder.excluded.variable, *STANDING, *(s.rate for s in ladder.shown_with.values())]
    # A district layer's measures concern only its own district's firms (the text: "each district will be
    # encouraged to refine and tailor supporting measures"), and so do the figures it reads.
    district = district_of(pack, source, key)
    money = [m for m in measures.money if m.district in (None, district)]
    other_districts = tuple(f"{m.id}." for m in measures.measures if m.district not in (None, district))
    paid = [m.paid for m in measures.money if m.paid]
    eligible = [e for m in measures.money if (e := _eligible(m)) in pack.variables]
    criteria = [rung.criterion(as_of) for rung in ladder.rungs]
    designations = [d.criterion for d in ladder.designations]
    listings = [m.paid for m in measures.listings if m.paid]
    # One request, the same for every enterprise on a date: its compiled query is prepared once and cached, so a
    # letter costs one keyed lookup (every rung's criterion is asked, the letter tells the next one's).
    asked = list(dict.fromkeys(status_names + criteria + paid + eligible + designations + listings))
    detail = explain(pack, source, key, as_of, asked, overrides)
    value = {root.variable: root.value for root in detail.roots}
    held = [rung.id for rung in ladder.rungs if value.get(rung.holds)]
    others = [(t.label.en, t.label.zh) for t in ladder.other_titles if value.get(t.holds)]
    next_id = value.get("next_rung")
    next_id = None if next_id in (None, "none") else next_id
    result = Readiness(
        key=key,
        as_of=as_of,
        found=detail.found,
        ladder=ladder,
        titles=held,
        other_titles=others,
        excluded=bool(value.get(ladder.excluded.variable)),
        next_rung=next_id,
        next_rung_met=bool(value.get("next_rung_met")),
    )
    if not detail.found:
        return result
    result.names = entity_name(pack, source, key)
    result.expiry = _expiry(pack, source, key, as_of)
    criterion = ladder.rung(next_id).criterion(as_of) if next_id else None
    roots = _told(detail.roots)
    shown: list[VariableNode] = []
    shown_leaves: list[Leaf] = []
    if criterion:
        result.next_reference = roots[criterion].reference
        result.next_reference_zh = roots[criterion].reference_zh
    if criterion and not result.next_rung_met and roots[criterion].conditions is not None:
        against = {name: _parameter_value(detail.roots, s.against) for name, s in ladder.shown_with.items()}
        tree = _annotate(roots[criterion].conditions, value, against, ladder)
        # The exclusion is said once, at the top of the letter, not as one more thing to do.
        result.needs = [
            need
            for need in flips.requirements(tree)
            if [leaf.variable for leaf in need.leaves()] != [ladder.excluded.variable]
        ]
        result.to_flip = flips.to_flip(tree)
        result.shortfalls = result.to_flip.leaves()
        shown_leaves = [leaf for need in result.needs for leaf in need.leaves()]
    for measure in money:
        node = roots[measure.paid]
        en, zh = measure.short_in("en"), measure.short_in("zh")
        if node.value:
            result.support.append(
                Support(measure.id, en, zh, Decimal(node.value), node.reference, node.reference_zh)
            )
            shown.append(node)
        elif _apply_mode(pack, measure.id, as_of) and _only_the_application_lacks(
            roots.get(_eligible(measure))
        ):
            # Cited by the measure's own article (the paid amount cites the stacking rule as well).
            eligible = roots[_eligible(measure)]
            cited = eligible if eligible.reference else node
            result.could_apply.append(Support(measure.id, en, zh, None, cited.reference, cited.reference_zh))
    for measure in measures.listings:
        node = roots[measure.paid]
        if node.value:
            result.support.append(
                Support(measure.id, measure.name.en, measure.name.zh, None, node.reference, node.reference_zh)
            )
    for designation in ladder.designations:
        node = roots[designation.criterion]
        if value.get(designation.holds) or node.conditions is None:
            continue  # held already (a unicorn is past being a potential one)
        # Off the ladder, the letter says what is met and names what is not; the margins are in the trace.
        label = designation.label
        result.designations.append(
            Designation(
                designation.criterion, label.en, label.zh, bool(node.value), node.reference, node.reference_zh
            )
        )
    # Only the figures behind what the letter says: what is lacking and the amounts granted.
    unconfirmed = unconfirmed_reads(shown, detail.roots) | unconfirmed_leaves(shown_leaves)
    result.unconfirmed = sorted(path for path in unconfirmed if not path.startswith(other_districts))
    return result


def _told(roots: list[VariableNode]) -> dict[str, VariableNode]:
    """Each root by variable, as first told: a root already told inside another's tree is only a pointer."""
    full: dict[tuple[str, str], VariableNode] = {}
    for root in roots:
        for node in root.walk():
            full.setdefault((node.variable, node.period), node)
    return {root.variable: full.get((root.variable, root.period), root) for root in roots}


def _eligible(measure: Measure) -> str:
    """The measure's criterion; unless the catalogue names it, the name is the address: m4_1_paid is decided
    by m4_1_eligible."""
    return measure.eligible or (measure.paid or "").removesuffix("_paid") + "_eligible"


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
    ladder = ladder_of(pack)
    # The title codes behind each title a letter names: a rung by its id, a title off the ladder by its name.
    codes_of = {rung.id: rung.titles for rung in ladder.rungs}
    codes_of |= {t.label.en: t.titles for t in ladder.other_titles}
    for row in fetch_arrow(source, rows).to_pylist():
        for name, codes in codes_of.items():
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


def _annotate(
    node: ConditionNode, status: dict[str, Any], against: dict[str, Any], ladder: Ladder
) -> ConditionNode:
    """A yes/no condition over several years carries the rate behind it and the rate it must reach."""
    if isinstance(node, Group):
        children = tuple(_annotate(child, status, against, ladder) for child in node.children)
        return replace(node, children=children)
    if node.variable in ladder.shown_with:
        rate = status.get(ladder.shown_with[node.variable].rate)
        return replace(node, shown_rate=rate, shown_against=against.get(node.variable))
    return node


def district_of(pack: Pack, source: Source, key: str) -> str | None:
    if pack.district_column is None:
        return None
    entity = source.tables[pack.entity_table]
    rows = entity.filter(entity[pack.entity_key] == ibis.literal(key)).select(pack.district_column)
    found = fetch_arrow(source, rows).to_pylist()
    return found[0][pack.district_column] if found else None


__all__ = ["Designation", "Readiness", "Support", "has_ladder", "readiness"]
