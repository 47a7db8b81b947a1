"""What-if: change parameters and see who gains, who loses and what it costs, by measure and district, and
every enterprise whose amount changes (with its name and district), optionally written to a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from smeladder.errors import InvalidInput
from smeladder.registry import districts
from smeladder.services import exports
from smeladder.services.context import AppContext
from smeladder.services.models import Result

ALL = "*"  # the district of a measure's row for the whole registry
NAME_COLUMN = "name_zh"  # the registry's registered name (registry/schema.py)


class MeasureChange(Result):
    measure: str
    district: str  # the district's code, or "*" for the whole registry
    district_name: str  # "all" for the whole registry
    beneficiaries_before: int
    beneficiaries_after: int
    gained: int
    lost: int
    cost_before: Decimal
    cost_after: Decimal
    cost_difference: Decimal


class EnterpriseChange(Result):
    credit_code: str
    name: str | None
    district: str
    district_name: str
    measure: str
    before: Decimal
    after: Decimal
    difference: Decimal


class WhatIf(Result):
    as_of: dt.date
    overrides: dict[str, str]
    measures: list[MeasureChange]  # per measure: the whole registry ("*") first, then each district
    enterprises: list[EnterpriseChange]  # per measure, the biggest gain first and the biggest loss last
    gainers: int  # enterprises whose total over the measures rises
    losers: int
    unconfirmed_parameters: list[str]  # an override is never confirmed
    out: Path | None = None
    format: str | None = None


def whatif(
    ctx: AppContext,
    as_of: dt.date | None,
    overrides: Mapping[str, Any],
    measures: Sequence[str] | None = None,
    *,
    out: Path | None = None,
    fmt: str | None = None,
) -> WhatIf:
    """Evaluate the money measures (default: every benefit of the pack) as of `as_of` (default: today in
    Shanghai) before and after `overrides`; write the enterprises that gain or lose to `out` if given."""
    from smeladder.rules.whatif import whatif as run

    if not overrides:
        raise InvalidInput("give at least one parameter to change (path=value)")
    chosen = exports.output_format(out, fmt) if out is not None else None
    if fmt is not None and out is None:
        raise InvalidInput(f"--format {fmt} writes a file: give --out FILE too")
    day = ctx.as_of(as_of)
    pack, source = ctx.pack, ctx.source
    entity = source.tables.get(pack.entity_table)
    named = (NAME_COLUMN,) if entity is not None and NAME_COLUMN in entity.columns else ()
    report = run(pack, source, day, overrides, measures, entity_columns=named)
    names = districts.by_adcode()

    def district_name(code: str) -> str:
        if code == ALL:
            return "all"
        return names[code].name_en if code in names else code

    changes = [
        EnterpriseChange(
            credit_code=c.key,
            name=c.columns.get(NAME_COLUMN),
            district=c.district,
            district_name=district_name(c.district),
            measure=c.measure,
            before=c.before,
            after=c.after,
            difference=c.difference,
        )
        for c in report.changes
    ]
    totals: dict[str, Decimal] = {}
    for change in changes:
        totals[change.credit_code] = totals.get(change.credit_code, Decimal(0)) + change.difference
    if out is not None and chosen is not None:
        exports.write([c.model_dump() for c in changes] or _empty_changes(), out, chosen)
    return WhatIf(
        as_of=day,
        overrides={k: str(v) for k, v in report.overrides.items()},
        measures=[
            MeasureChange(
                **asdict(r), district_name=district_name(r.district), cost_difference=r.cost_difference
            )
            for r in report.rows
        ],
        enterprises=changes,
        gainers=sum(1 for total in totals.values() if total > 0),
        losers=sum(1 for total in totals.values() if total < 0),
        unconfirmed_parameters=report.unconfirmed_parameters,
        out=out,
        format=chosen,
    )


def _empty_changes() -> Any:
    import pyarrow as pa

    fields = {name: pa.string() for name in EnterpriseChange.model_fields}
    for name in ("before", "after", "difference"):
        fields[name] = pa.decimal128(18, 2)
    return pa.schema(fields).empty_table()
