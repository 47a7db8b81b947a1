"""Evaluate the pack over the whole registry, as one query, into a results file.

Parquet keeps everything needed to reproduce the run (the run id, rule version and inputs columns, and the
manifest in the file's metadata) and is streamed, so a registry larger than memory runs in bounded memory. CSV,
Excel and JSON carry the same columns for people and other tools; the suffix of the file names its format, and
a file is never written in a format its name does not say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from smeladder.services import exports
from smeladder.services.context import AppContext
from smeladder.services.models import Result


class Evaluation(Result):
    run_id: str
    as_of: dt.date
    pack: str
    rule_version: str
    backend: str
    snapshot_id: str  # the identity of the inputs read
    entity_table: str
    rows: int
    variables: list[str]
    unconfirmed_parameters: list[str]  # parameters read whose value is not yet confirmed against the text
    out: Path
    format: str


def evaluate(
    ctx: AppContext,
    as_of: dt.date | None,
    out: Path,
    *,
    fmt: str | None = None,
    variables: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Evaluation:
    """Compute `variables` (default: every computed one) for every enterprise as of `as_of` (default: today in
    Shanghai) with the parameters `overrides` changes, and write them to `out` in `fmt` (default: its suffix's)."""
    from smeladder.rules.evaluate import evaluate as run
    from smeladder.rules.evaluate import evaluate_to_parquet

    chosen = exports.output_format(out, fmt)
    day = ctx.as_of(as_of)
    pack, source = ctx.pack, ctx.source
    if chosen == "parquet":
        manifest = evaluate_to_parquet(pack, source, day, out, variables, overrides)
    else:
        results = run(pack, source, day, variables, overrides)
        exports.write(results.table, out, chosen)
        manifest = {**results.manifest, "rows": results.table.num_rows}
    return Evaluation(
        run_id=manifest["run_id"],
        as_of=day,
        pack=manifest["pack"],
        rule_version=manifest["rule_version"],
        backend=manifest["backend"],
        snapshot_id=manifest["snapshot_id"],
        entity_table=pack.entity_table,
        rows=manifest["rows"],
        variables=list(manifest["variables"]),
        unconfirmed_parameters=manifest["unconfirmed_parameters"],
        out=out,
        format=chosen,
    )
