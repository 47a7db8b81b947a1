"""The ladder funnel and the beneficiaries and cost per measure, for a whole registry, as plain rows.

Both are one query on the analytic backend: the pack's variables compiled as for a batch run, then summed.
Rows are dicts of plain values (str, int, Decimal) that the CLI, the docs and the demo render as they like.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import ibis

from smeladder import money
from smeladder.ladder.rungs import ladder_of, measures_of
from smeladder.rules import flips
from smeladder.rules.backends import Source
from smeladder.rules.compile import compile_plan, criterion_leaves
from smeladder.rules.criteria import conditions_short, outcome_tree
from smeladder.rules.explain_letter import need_labels
from smeladder.rules.pack import Pack
from smeladder.rules.packfile import Measure, Text
from smeladder.rules.plan import column_name, make_plan


def _count(condition: ibis.Value) -> ibis.Value:
    return ibis.cases((condition.fill_null(False), 1), else_=0).sum()


def ladder_funnel(pack: Pack, source: Source, as_of: dt.date, lang: str = "en") -> list[dict[str, Any]]:
    """Per rung: title holders, enterprises meeting its criteria, and of those how many do not hold it yet;
    then the other designations, the listings and the excluded. One query."""
    ladder = ladder_of(pack)
    others = _other_rows(pack)
    names = []
    for rung in ladder.rungs:
        names += [rung.holds, rung.criterion(as_of)]
    names += [name for name, _ in others]
    table = _compiled(pack, source, as_of, names)
    metrics: dict[str, ibis.Value] = {"__all": table.count()}
    for rung in ladder.rungs:
        holds, meets = table[rung.holds], table[rung.criterion(as_of)]
        metrics[f"{rung.id}__holds"] = _count(holds)
        metrics[f"{rung.id}__meets"] = _count(meets)
        metrics[f"{rung.id}__new"] = _count(meets & ~holds.fill_null(False))
    for name, _ in others:
        metrics[name] = _count(table[name])
    row = source.con.to_pyarrow(table.aggregate(**metrics)).to_pylist()[0]
    rows = [
        {
            "rung": rung.label_in(lang, as_of),
            "criterion": rung.criterion(as_of),
            "holders": int(row[f"{rung.id}__holds"] or 0),
            "meeting_criteria": int(row[f"{rung.id}__meets"] or 0),
            "meeting_without_title": int(row[f"{rung.id}__new"] or 0),
        }
        for rung in ladder.rungs
    ]
    for name, label in others:
        rows.append(
            {
                "rung": label.in_(lang),
                "criterion": name,
                "holders": None,
                "meeting_criteria": int(row[name] or 0),
                "meeting_without_title": None,
            }
        )
    return rows


def _other_rows(pack: Pack) -> list[tuple[str, Text]]:
    """The funnel's rows off the ladder: the designations, the listings, the excluded (variable, label)."""
    ladder = ladder_of(pack)
    rows = [(d.criterion, d.funnel_label or d.label) for d in ladder.designations]
    rows += [(m.paid, _listing_label(m)) for m in measures_of(pack).listings if m.paid]
    return [*rows, (ladder.excluded.variable, ladder.excluded.label)]


def _listing_label(measure: Measure) -> Text:
    return Text(en=f"{measure.id} {measure.short_in('en')}", zh=f"{measure.id} {measure.short_in('zh')}")


def invitations(
    pack: Pack,
    source: Source,
    as_of: dt.date,
    rung: str | None = None,
    district: str | None = None,
    missing: int = 0,
) -> list[dict[str, Any]]:
    """The firms to invite: those that meet a rung's criteria without holding its title (the funnel's "meet
    them, no title yet"), and with `missing` = N also those that lack at most N of its conditions (the fewest
    conditions to change, an alternative's cheapest way: `criteria.conditions_short`), with the conditions they
    lack (every equally short way; for bands, what fails in the firm's own band first); not for a rung that one
    title meets (`Rung.met_by_one_title`). One row per enterprise and rung: lowest rung first, fewest lacking
    first, then district and credit code. `rung` keeps one rung (an id of the pack's ladder), `district` one
    district (adcode). One query per rung."""
    ladder = ladder_of(pack)
    rungs = [r for r in ladder.rungs if rung in (None, r.id)]
    if not rungs:
        raise ValueError(f"unknown rung {rung!r}: choose one of {', '.join(ladder.rung_ids)}")
    if missing < 0:
        raise ValueError("missing counts conditions: 0 or more")
    names = [name for r in rungs for name in (r.holds, r.criterion(as_of))]
    names = list(dict.fromkeys(names + [r.only_if for r in rungs if r.only_if]))
    compiled = compile_plan(pack, make_plan(pack, names, as_of), source.tables)
    results = compiled.all_nodes_expr
    column = {node[0]: results[column_name(node)] for node in compiled.plan.requested}
    key = pack.entity_key
    entity = source.tables[pack.entity_table]
    if district is not None:
        entity = entity.filter(entity.district_adcode == district)
    entity = entity.select(key, "name_zh", "name_en", "district_adcode")
    rows: list[dict[str, Any]] = []

    def labels(name: str) -> tuple[str, str]:
        variable = pack.variables[name]
        return variable.label, variable.label_zh or variable.label

    for r in rungs:
        tree, outcomes = criterion_leaves(pack, compiled, r.criterion(as_of))
        flags = {f"leaf{index}": outcome for index, outcome in enumerate(outcomes.values())}
        # A firm the rung is not open to (`only_if`: a single champion must be a manufacturer) is not invited.
        open_to = column[r.only_if].fill_null(False) if r.only_if else ibis.literal(True)
        per_firm = results.filter(open_to).select(key, holds=column[r.holds].fill_null(False), **flags)
        short = conditions_short(
            tree, {leaf: per_firm[name] for leaf, name in zip(outcomes, flags, strict=True)}
        )
        per_firm = per_firm.mutate(missing=short)
        allowed = 0 if r.met_by_one_title else missing
        wanted = per_firm.filter(~per_firm.holds & (per_firm.missing <= allowed)).drop("holds")
        ordered = entity.join(wanted, key).order_by(["missing", "district_adcode", key])
        for row in source.con.to_pyarrow(ordered).to_pylist():
            met = {leaf: row.pop(name) for leaf, name in zip(outcomes, flags, strict=True)}
            # The fewest changes, every equally short way, a band's own requirement first (rules/flips.py).
            need = flips.to_flip(outcome_tree(tree, met, labels)) if row["missing"] else None
            row |= {
                "rung": r.id,
                "lacking_en": need_labels(need, "en") if need else [],
                "lacking_zh": need_labels(need, "zh") if need else [],
            }
            rows.append(row)
    return rows


def measure_costs(pack: Pack, source: Source, as_of: dt.date, lang: str = "en") -> list[dict[str, Any]]:
    """Per money measure: beneficiaries and cost after stacking, the yearly budget parameter, whether its
    figures are confirmed; then the total. One query."""
    measures = measures_of(pack).money
    names = [measure.paid for measure in measures if measure.paid]
    table = _compiled(pack, source, as_of, names)
    zero = ibis.literal(Decimal("0.00"))
    metrics: dict[str, ibis.Value] = {}
    for name in names:
        metrics[f"{name}__n"] = _count(table[name] > 0)
        metrics[f"{name}__cost"] = table[name].fill_null(zero).sum()
    row = source.con.to_pyarrow(table.aggregate(**metrics)).to_pylist()[0]
    plan = make_plan(pack, names, as_of)
    unconfirmed = {r.parameter.path.rsplit(".", 1)[0] for r in plan.parameters_read() if not r.confirmed}
    rows, total = [], Decimal("0.00")
    for measure in measures:
        variable = measure.paid
        cost = money.to_fen(Decimal(str(row[f"{variable}__cost"] or 0)))
        total += cost
        budget_path = f"{measure.id}.budget"
        budget = None
        if budget_path in pack.parameters.parameters:
            entry = pack.parameters[budget_path].entry_at(as_of)
            budget = money.to_fen(Decimal(entry.value)) if entry else None
        rows.append(
            {
                "measure": measure.id,
                "name": measure.short_in(lang),
                "variable": variable,
                "beneficiaries": int(row[f"{variable}__n"] or 0),
                "cost": cost,
                "budget": budget,
                "figures_confirmed": not any(
                    path == measure.id or path.startswith(measure.id + ".") for path in unconfirmed
                ),
            }
        )
    rows.append(
        {
            "measure": "total",
            "name": "合计" if lang == "zh" else "all measures",
            "variable": "",
            "beneficiaries": None,
            "cost": total,
            "budget": None,
            "figures_confirmed": None,
        }
    )
    return rows


def _compiled(pack: Pack, source: Source, as_of: dt.date, names: list[str]) -> ibis.Table:
    names = list(dict.fromkeys(names))
    plan = make_plan(pack, names, as_of)
    return compile_plan(pack, plan, source.tables).expr
