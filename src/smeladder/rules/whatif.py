"""What-if: override parameters, rerun, and report who gains, who loses and what it costs, by measure and
district. A measure is any money variable the pack marks `benefit=True`; the district is the entity column the
pack names in `pack.yaml` (`district:`). Baseline and reform run as one query (both compiled, joined on the key).
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


@dataclass
class WhatIfReport:
    as_of: dt.date
    overrides: dict[str, Any]
    rows: list[MeasureDiff]  # one per measure and district, plus district "*" for the whole registry
    unconfirmed_parameters: list[str] = field(default_factory=list)

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
) -> WhatIfReport:
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
    if pack.district_column:
        entity = source.tables[pack.entity_table]
        districts = entity.select(__key_d=entity[key], __district=entity[pack.district_column].cast("string"))
        joined = joined.left_join(districts, joined[key] == districts["__key_d"])
        district = joined["__district"].fill_null("(none)")
    else:
        district = ibis.literal("(none)")
    zero = types.literal(Decimal("0.00"))
    metrics: dict[str, ibis.Value] = {}
    for m in measures:
        old, new = joined[m].fill_null(zero), joined[f"{m}__after"].fill_null(zero)
        metrics[f"{m}__n_before"] = _count(old > 0)
        metrics[f"{m}__n_after"] = _count(new > 0)
        metrics[f"{m}__gained"] = _count((old <= 0) & (new > 0))
        metrics[f"{m}__lost"] = _count((old > 0) & (new <= 0))
        metrics[f"{m}__cost_before"] = old.sum()
        metrics[f"{m}__cost_after"] = new.sum()
    grouped = joined.group_by(__district=district).aggregate(**metrics)
    rows_by_district = sorted(fetch_arrow(source, grouped).to_pylist(), key=lambda r: str(r["__district"]))
    rows: list[MeasureDiff] = []
    for m in measures:
        per_district = [_diff(m, str(r["__district"]), r) for r in rows_by_district]
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
    unconfirmed = sorted(
        {
            r.parameter.path
            for plan in (base_plan, reform_plan)
            for r in plan.parameters_read()
            if not r.confirmed
        }
    )
    return WhatIfReport(as_of, dict(overrides), rows, unconfirmed)


def _count(condition: ibis.Value) -> ibis.Value:
    # Not condition.cast("int64"): PostgreSQL cannot cast boolean to bigint.
    return ibis.cases((condition, 1), else_=0).sum()


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
