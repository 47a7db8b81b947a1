"""What-if: override parameters, rerun, and report who gains, who loses and what it costs, by measure and
district, and every entity whose amount changes. A measure is any money variable the pack marks
`benefit=True`; the district is the entity column the pack names in `pack.yaml` (`district:`). Baseline and
reform run as one query (both compiled, joined on the key), grouped by district and by the key of an entity
whose amount changes: unchanged entities fold into one row per district, each changed one is a row of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import ibis

from smeladder import money
from smeladder.rules import types
from smeladder.rules.backends import Source, fetch_arrow
from smeladder.rules.compile import compile_plan
from smeladder.rules.errors import PackError
from smeladder.rules.pack import Pack
from smeladder.rules.plan import make_plan

ALL_DISTRICTS = "*"


@dataclass
class MeasureDiff:
    measure: str
    district: str
    beneficiaries_before: int
    beneficiaries_after: int
    gained: int
    lost: int
    cost_before: Decimal
    cost_after: Decimal

    @property
    def cost_difference(self) -> Decimal:
        return self.cost_after - self.cost_before

    def to_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "district": self.district,
            "beneficiaries_before": self.beneficiaries_before,
            "beneficiaries_after": self.beneficiaries_after,
            "gained": self.gained,
            "lost": self.lost,
            "cost_before": str(self.cost_before),
            "cost_after": str(self.cost_after),
            "cost_difference": str(self.cost_difference),
        }


@dataclass(frozen=True)
class EntityChange:
    """One entity whose amount of one measure the reform changes."""

    key: str
    district: str
    measure: str
    before: Decimal
    after: Decimal
    columns: dict[str, Any] = field(default_factory=dict)  # the entity columns asked for

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass
class WhatIfReport:
    as_of: dt.date
    overrides: dict[str, Any]
    rows: list[MeasureDiff]  # one per measure and district, plus district "*" for the whole registry
    unconfirmed_parameters: list[str] = field(default_factory=list)
    changes: list[EntityChange] = field(default_factory=list)  # by measure, biggest gain first

    def total(self, measure: str) -> MeasureDiff:
        return next(r for r in self.rows if r.measure == measure and r.district == ALL_DISTRICTS)

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "overrides": {k: str(v) for k, v in self.overrides.items()},
            "unconfirmed_parameters": self.unconfirmed_parameters,
            "rows": [r.to_json() for r in self.rows],
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)


def whatif(
    pack: Pack,
    source: Source,
    as_of: dt.date,
    overrides: Mapping[str, Any],
    measures: Sequence[str] | None = None,
    *,
    entity_columns: Sequence[str] = (),
) -> WhatIfReport:
    """`entity_columns`: columns of the entity table each changed entity carries (its name, say)."""
    measures = list(measures or pack.benefits)
    if not measures:
        raise PackError(f"pack {pack.name} marks no money variable as a benefit (benefit=True)")
    for name in measures:
        if name not in pack.variables or pack.variables[name].type.name != "money":
            raise PackError(f"{name!r} is not a money variable of pack {pack.name}")
    reform_parameters = pack.parameters.with_overrides(dict(overrides))
    base_plan = make_plan(pack, measures, as_of)
    reform_plan = make_plan(pack, measures, as_of, reform_parameters)
    before = compile_plan(pack, base_plan, source.tables).expr
    after = compile_plan(pack, reform_plan, source.tables, reform_parameters).expr
    key = pack.entity_key
    after = after.select(__key_after=after[key], **{f"{m}__after": after[m] for m in measures})
    joined = before.inner_join(after, before[key] == after["__key_after"])
    if pack.district_column or entity_columns:
        entity = source.tables[pack.entity_table]
        carried = {f"__column_{c}": entity[c] for c in entity_columns}
        if pack.district_column:
            carried["__district"] = entity[pack.district_column].cast("string")
        extra = entity.select(__key_d=entity[key], **carried)
        joined = joined.left_join(extra, joined[key] == extra["__key_d"])
    district = joined["__district"].fill_null("(none)") if pack.district_column else ibis.literal("(none)")
    zero = types.literal(Decimal("0.00"))
    metrics: dict[str, ibis.Value] = {}
    changed = ibis.literal(False)
    for m in measures:
        changed |= joined[m].fill_null(zero) != joined[f"{m}__after"].fill_null(zero)
    changed_key = ibis.cases((changed, joined[key].cast("string")), else_=ibis.null("string"))
    for m in measures:
        old, new = joined[m].fill_null(zero), joined[f"{m}__after"].fill_null(zero)
        metrics[f"{m}__n_before"] = _count(old > 0)
        metrics[f"{m}__n_after"] = _count(new > 0)
        metrics[f"{m}__gained"] = _count((old <= 0) & (new > 0))
        metrics[f"{m}__lost"] = _count((old > 0) & (new <= 0))
        metrics[f"{m}__cost_before"] = old.sum()
        metrics[f"{m}__cost_after"] = new.sum()
    per_entity = {f"__column_{c}": ibis.cases((changed, joined[f"__column_{c}"])) for c in entity_columns}
    grouped = joined.group_by(__district=district, __entity=changed_key, **per_entity).aggregate(**metrics)
    fetched = fetch_arrow(source, grouped).to_pylist()
    rows_by_district = sorted(fetched, key=lambda r: str(r["__district"]))
    rows: list[MeasureDiff] = []
    changes: list[EntityChange] = []
    for m in measures:
        per_district = _by_district(m, rows_by_district)
        total = MeasureDiff(
            m,
            ALL_DISTRICTS,
            sum(d.beneficiaries_before for d in per_district),
            sum(d.beneficiaries_after for d in per_district),
            sum(d.gained for d in per_district),
            sum(d.lost for d in per_district),
            sum((d.cost_before for d in per_district), Decimal("0.00")),
            sum((d.cost_after for d in per_district), Decimal("0.00")),
        )
        rows += [total, *per_district]
        changes += sorted(_changes(m, fetched, entity_columns), key=lambda c: (-c.difference, c.key))
    unconfirmed = sorted(
        {
            r.parameter.path
            for plan in (base_plan, reform_plan)
            for r in plan.parameters_read()
            if not r.confirmed
        }
    )
    return WhatIfReport(as_of, dict(overrides), rows, unconfirmed, changes)


def _count(condition: ibis.Value) -> ibis.Value:
    # Not condition.cast("int64"): PostgreSQL cannot cast boolean to bigint.
    return ibis.cases((condition, 1), else_=0).sum()


def _by_district(measure: str, rows: list[dict[str, Any]]) -> list[MeasureDiff]:
    """One row per district: the district's unchanged entities and each of its changed ones, summed."""
    summed: dict[str, MeasureDiff] = {}
    for row in rows:
        diff = _diff(measure, str(row["__district"]), row)
        seen = summed.get(diff.district)
        if seen is None:
            summed[diff.district] = diff
            continue
        seen.beneficiaries_before += diff.beneficiaries_before
        seen.beneficiaries_after += diff.beneficiaries_after
        seen.gained += diff.gained
        seen.lost += diff.lost
        seen.cost_before += diff.cost_before
        seen.cost_after += diff.cost_after
    return list(summed.values())


def _changes(measure: str, rows: list[dict[str, Any]], columns: Sequence[str]) -> list[EntityChange]:
    """The entities whose amount of `measure` changes (each is a row of its own: one entity's amounts)."""
    found = []
    for row in rows:
        if row["__entity"] is None:
            continue
        diff = _diff(measure, str(row["__district"]), row)
        if diff.cost_before != diff.cost_after:
            carried = {c: row[f"__column_{c}"] for c in columns}
            found.append(
                EntityChange(
                    row["__entity"], diff.district, measure, diff.cost_before, diff.cost_after, carried
                )
            )
    return found


def _diff(measure: str, district: str, row: dict[str, Any]) -> MeasureDiff:
    def amount(value: Any) -> Decimal:
        return money.to_fen(Decimal(str(value))) if value is not None else Decimal("0.00")

    return MeasureDiff(
        measure,
        district,
        int(row[f"{measure}__n_before"] or 0),
        int(row[f"{measure}__n_after"] or 0),
        int(row[f"{measure}__gained"] or 0),
        int(row[f"{measure}__lost"] or 0),
        amount(row[f"{measure}__cost_before"]),
        amount(row[f"{measure}__cost_after"]),
    )
