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
from smeladder.ladder.rungs import RUNGS
from smeladder.rules import flips
from smeladder.rules.backends import Source
from smeladder.rules.compile import compile_plan, criterion_leaves
from smeladder.rules.criteria import conditions_short, outcome_tree
from smeladder.rules.explain_letter import need_labels
from smeladder.rules.pack import Pack
from smeladder.rules.plan import column_name, make_plan

# The money measures of the Several Measures in the order of the text, then the illustrative district layer.
MEASURES = (
    ("M1.2a", "m1_2a_paid", "First year above designated size", "首次小升规奖励"),
    ("M1.2b", "m1_2b_paid", "Above-size growth reward (default schedule)", "规上企业成长奖励(默认标准)"),
    ("M1.3b", "m1_3b_paid", "Fast-growing little giants", '高成长"小巨人"支持'),
    ("M3.4a", "m3_4a_paid", "Technological-transformation interest subsidy", "技改项目贴息"),
    ("M3.4b", "m3_4b_paid", "Major special projects", "重大专项支持"),
    ("M4.1", "m4_1_paid", "Digital transformation services", "数字化转型服务补贴"),
    ("M4.2a", "m4_2a_paid", "S&S SME Loan interest subsidy", "专精特新贷贴息"),
    ("M4.2b", "m4_2b_paid", "S&S SME Guarantee fee subsidy", "专精特新担保费补贴"),
    ("M4.3", "m4_3_paid", "Water excess-charge exemption (2025)", "阶梯水价超定额加价费减免(2025年)"),
    ("M6.2c", "m6_2c_paid", "Professional services", "专业服务补贴"),
    (
        "district 310112",
        "district_m1_2a_paid",
        "Minhang first-year reward (ILLUSTRATIVE)",
        "闵行区首次小升规奖励(示例)",
    ),
    (
        "district 310112",
        "district_m1_3b_topup_paid",
        "Minhang M1.3b top-up (ILLUSTRATIVE)",
        "闵行区M1.3b配套(示例)",
    ),
)
OTHER_ROWS = (
    ("gazelle_eligible", "gazelle (default rule)", "瞪羚企业(默认标准)"),
    ("unicorn_eligible", "unicorn", "独角兽企业"),
    ("potential_unicorn_eligible", "potential unicorn", "潜在独角兽企业"),
    ("m5_5_talent_list", "M5.5 talent list", "M5.5 人才引进重点机构名单"),
    ("excluded", "excluded from support", "不予支持"),
)


def _count(condition: ibis.Value) -> ibis.Value:
    return ibis.cases((condition.fill_null(False), 1), else_=0).sum()


def ladder_funnel(pack: Pack, source: Source, as_of: dt.date, lang: str = "en") -> list[dict[str, Any]]:
    """Per rung: title holders, enterprises meeting its criteria, and of those how many do not hold it yet;
    then the other designations and lists. One query."""
    names = []
    for rung in RUNGS:
        names += [rung.holds, rung.criterion(as_of)]
    names += [name for name, _, _ in OTHER_ROWS]
    table = _compiled(pack, source, as_of, names)
    metrics: dict[str, ibis.Value] = {"__all": table.count()}
    for rung in RUNGS:
        holds, meets = table[rung.holds], table[rung.criterion(as_of)]
        metrics[f"{rung.id}__holds"] = _count(holds)
        metrics[f"{rung.id}__meets"] = _count(meets)
        metrics[f"{rung.id}__new"] = _count(meets & ~holds.fill_null(False))
    for name, _, _ in OTHER_ROWS:
        metrics[name] = _count(table[name])
    row = source.con.to_pyarrow(table.aggregate(**metrics)).to_pylist()[0]
    rows = [
        {
            "rung": rung.label(lang, as_of),
            "criterion": rung.criterion(as_of),
            "holders": int(row[f"{rung.id}__holds"] or 0),
            "meeting_criteria": int(row[f"{rung.id}__meets"] or 0),
            "meeting_without_title": int(row[f"{rung.id}__new"] or 0),
        }
        for rung in RUNGS
    ]
    for name, en, zh in OTHER_ROWS:
        rows.append(
            {
                "rung": zh if lang == "zh" else en,
                "criterion": name,
                "holders": None,
                "meeting_criteria": int(row[name] or 0),
                "meeting_without_title": None,
            }
        )
    return rows


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
    lack (every equally short way; for bands, what fails in the firm's own band first); not for a rung that one title meets (`Rung.met_by_one_title`). One row per enterprise and rung:
    lowest rung first, fewest lacking first, then district and credit code. `rung` keeps one rung (a `RUNGS`
    id), `district` one district (adcode). One query per rung."""
    rungs = [r for r in RUNGS if rung in (None, r.id)]
    if not rungs:
        raise ValueError(f"unknown rung {rung!r}: choose one of {', '.join(r.id for r in RUNGS)}")
    if missing < 0:
        raise ValueError("missing counts conditions: 0 or more")
    names = list(dict.fromkeys(name for r in rungs for name in (r.holds, r.criterion(as_of))))
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
        per_firm = results.select(key, holds=column[r.holds].fill_null(False), **flags)
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
    names = [variable for _, variable, _, _ in MEASURES]
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
    for measure, variable, en, zh in MEASURES:
        cost = money.to_fen(Decimal(str(row[f"{variable}__cost"] or 0)))
        total += cost
        budget_path = f"{measure}.budget"
        budget = None
        if budget_path in pack.parameters.parameters:
            entry = pack.parameters[budget_path].entry_at(as_of)
            budget = money.to_fen(Decimal(entry.value)) if entry else None
        rows.append(
            {
                "measure": measure,
                "name": zh if lang == "zh" else en,
                "variable": variable,
                "beneficiaries": int(row[f"{variable}__n"] or 0),
                "cost": cost,
                "budget": budget,
                "figures_confirmed": not any(path.startswith(measure) for path in unconfirmed)
                and not measure.startswith("district"),
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


def registry_overview(data_dir, as_of: dt.date, lang: str = "en") -> tuple[list[dict], list[dict]]:
    """The ladder funnel and the cost per measure of the registry in `data_dir`, for `smeladder demo`."""
    from smeladder.rules.backends import open_source
    from smeladder.rules.locate import find_pack

    pack = find_pack("shanghai")
    source = open_source("duckdb", table_names=pack.tables, data_dir=data_dir)
    return ladder_funnel(pack, source, as_of, lang), measure_costs(pack, source, as_of, lang)
