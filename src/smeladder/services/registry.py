"""The registry as a whole: synthesize one, import files into it (all or nothing, or with quarantine), export
it, and summarise what is in it."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from pydantic import Field

from smeladder.errors import InvalidInput
from smeladder.registry import files, schema, summary, synth
from smeladder.registry.store import ImportOutcome, ImportRejected
from smeladder.services.context import AppContext
from smeladder.services.enterprises import Enterprise
from smeladder.services.enterprises import get as get_enterprise
from smeladder.services.models import Result

Progress = Callable[[str, int], None]  # (the step now running, how many steps in all; 0: not known)
# A rejection carries this many of its error rows; the report file holds every one.
DETAILS_LIMIT = 1000


class Written(Result):
    files: list[Path]


class FileImported(Result):
    file: str
    table: str
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    quarantined: int
    warnings: int = 0
    encoding: str | None = None  # how a CSV file's text was read (utf-8-sig, gb18030...)


class ImportWarning(Result):
    """A value imported otherwise than written (a money amount rounded to the fen), and why."""

    file: str
    row: int
    field: str
    value: str | None
    rule: str
    message: str


class Imported(Result):
    import_id: str
    registry: Path
    files: list[FileImported]
    quarantined_errors: int = 0
    report: Path | None = None  # the quarantined rows' error report (CSV, and .xlsx beside it)
    warnings: list[ImportWarning] = Field(
        default_factory=list
    )  # the first DETAILS_LIMIT; the warnings report holds every one
    warnings_report: Path | None = None


class DistrictRow(Result):
    adcode: str
    name_zh: str
    name_en: str
    enterprises: int
    above_designated_size: int
    operating_revenue: Decimal | None  # yuan, in the latest fiscal year
    rd_expense: Decimal | None


class TrackRow(Result):
    track: str
    enterprises: int
    strategic_emerging: int


class TitleRow(Result):
    title: str
    level: str
    enterprises: int


class ExclusionRow(Result):
    kind: str
    in_force: int
    ever: int


class RegistrySummary(Result):
    """Enterprises by district and track, with the latest year's figures; titles valid and exclusions in
    force at the end of that year."""

    latest_year: int | None
    as_of: dt.date
    enterprises: int
    districts: list[DistrictRow]
    tracks: list[TrackRow]
    titles: list[TitleRow]
    exclusions: list[ExclusionRow]


class Shown(Result):
    """What `show` shows: the registry's summary, or one enterprise when a credit code is given."""

    summary: RegistrySummary | None = None
    enterprise: Enterprise | None = None


def synthesize(
    ctx: AppContext,
    out: Path,
    *,
    enterprises: int = 10_000,
    years: Sequence[int] = range(2021, 2026),
    seed: int = 1,
    dirty_rate: float = 0.0,
    fmt: str = "parquet",
    progress: Progress | None = None,
) -> Written:
    """Write a synthetic Shanghai registry to `out`, one file per table; a seed always gives the same one."""
    if fmt not in files.FORMATS:  # said before the minutes a large registry takes
        raise InvalidInput(f"format {fmt!r}: choose one of {', '.join(files.FORMATS)}")
    if progress:
        progress(f"synthesizing {enterprises:,} enterprises", 0)
    span = range(min(years), max(years) + 1) if years else range(0)
    try:
        tables = synth.synthesize(enterprises, span, seed, dirty_rate)
        return Written(files=files.write_tables(tables, out, fmt))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def pack_choices(ctx: AppContext) -> dict[str, tuple[str, ...]]:
    """The values the registry's pack-declared columns take, from the context's pack: its title codes and its
    application types (`schema.Column.choices_from`)."""
    pack, found = ctx.pack, {}
    if pack.ladder is not None:
        found["title.title"] = tuple(pack.ladder.titles)
    if pack.measures is not None:
        found["application.measure"] = pack.measures.application_types
    return found


def import_files(
    ctx: AppContext,
    paths: Sequence[Path],
    *,
    quarantine: bool = False,
    table: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> Imported:
    """Validate the files and import them; one bad row rejects the whole batch (InvalidInput, with the error
    rows as details and the report's path), unless `quarantine` imports the good rows and keeps the bad aside.
    CSV text is UTF-8 or GB18030/GBK, detected unless `encoding` names it."""
    if table is not None and table not in schema.TABLES:
        raise InvalidInput(f"table {table!r}: choose one of {', '.join(schema.TABLES)}")
    steps = 3 * len(paths)  # read, validate, write each file
    try:
        outcome = ctx.registry.import_files(
            list(paths),
            quarantine=quarantine,
            table=table,
            encoding=encoding,
            today=ctx.today(),
            choices=pack_choices(ctx),
            progress=(lambda step: progress(step, steps)) if progress else (lambda step: None),
        )
    except ImportRejected as exc:
        raise InvalidInput(
            f"rejected: {exc}. Error report: {exc.report}",
            details=exc.errors.slice(0, DETAILS_LIMIT).to_pylist(),
            next_action="fix_import",
        ) from None
    return _imported(ctx, outcome)


def export(ctx: AppContext, out: Path, fmt: str = "parquet") -> Written:
    """Write the registry out, one file per table, in the layout `import` reads."""
    try:
        return Written(files=ctx.registry.export(out, fmt))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def registry_summary(ctx: AppContext) -> RegistrySummary:
    con = ctx.registry.connect(read_only=True)
    try:
        found = summary.registry_summary(con)
    finally:
        con.close()
    return RegistrySummary.model_validate(found)


def show(ctx: AppContext, credit_code: str | None = None, as_of: dt.date | None = None) -> Shown:
    """The registry's summary, or the enterprise `credit_code` names."""
    if credit_code:
        return Shown(enterprise=get_enterprise(ctx, credit_code, as_of))
    return Shown(summary=registry_summary(ctx))


def demo_registry(ctx: AppContext, enterprises: int, seed: int, years: Sequence[int]) -> Imported:
    """The demo's registry: synthesized and imported through the same validation an officer's files go
    through."""
    with tempfile.TemporaryDirectory() as tmp:
        written = synthesize(ctx, Path(tmp), enterprises=enterprises, years=years, seed=seed)
        return import_files(ctx, written.files)


def _imported(ctx: AppContext, outcome: ImportOutcome) -> Imported:
    return Imported(
        import_id=outcome.import_id,
        registry=ctx.registry.path,
        files=[FileImported.model_validate(f) for f in outcome.files],
        quarantined_errors=outcome.errors.num_rows if outcome.errors is not None else 0,
        report=outcome.report,
        warnings=outcome.warnings.slice(0, DETAILS_LIMIT).to_pylist() if outcome.warnings is not None else [],
        warnings_report=outcome.warnings_report,
    )
