"""`coverage` (services/coverage.py): the 3-km SME service circle, M6.2b."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from smeladder.cli.common import DataDirOption, command, console, context, err_console, parse_day
from smeladder.cli.network import AsOfOption, FormatOption, OutOption, emit, listing, working, write_text

GROUP_HEADERS = {"district": ("district",), "tier": ("tier",), "track": ("industrial_track",)}
FIGURE_COLUMNS = ("enterprises", "covered", "uncovered", "share", "median_distance_m")
FIGURE_HEADERS = {"median_distance_m": "median m"}


def register(app: typer.Typer) -> None:
    command(app, "coverage", "coverage:Coverage", render)(coverage_command)


def summary(result) -> str:
    """One line: stations open, SMEs covered of all, the share and the median distance."""
    overall = result.overall
    share = f"{overall.share:.1%}" if overall.share is not None else "none"
    median = (
        f"{overall.median_distance_m:,.0f} m" if overall.median_distance_m is not None else "no station open"
    )
    return (
        f"{result.as_of}: {result.stations_open:,} stations open; {overall.covered:,} of {overall.enterprises:,} "
        f"SMEs within {result.radius_m:,.0f} m ({share}); median distance {median}"
    )


def render(result, title: str | None = None) -> None:
    """The summary line and the table by the result's grouping."""
    console.print(summary(result), highlight=False)
    columns = (*GROUP_HEADERS[result.by], *FIGURE_COLUMNS)
    title = title or f"coverage by {result.by} on {result.as_of}"
    console.print(listing(result.rows, columns, title, headers=FIGURE_HEADERS))


def coverage_command(
    invocation: typer.Context,
    by: Annotated[str, typer.Option("--by", help="district, tier or track.")] = "district",
    as_of: AsOfOption = None,
    radius: Annotated[float, typer.Option("--radius", min=100, help="Service radius in metres.")] = 3_000.0,
    fmt: FormatOption = None,
    out: OutOption = None,
    uncovered: Annotated[
        Path | None,
        typer.Option(
            "--uncovered", help="Write the uncovered SMEs to this file (CSV unless the suffix says)."
        ),
    ] = None,
    cells: Annotated[
        Path | None, typer.Option("--cells", help="Write uncovered H3 cells (resolution 8) as GeoJSON here.")
    ] = None,
    data_dir: DataDirOption = None,
):
    """The 3-km SME service circle (M6.2b): share of SMEs within 3 km of an open station, by district, tier
    or industrial track, as a table or a file (CSV, Excel, JSON; GeoJSON by district), with the gaps as a
    list of enterprises and as H3 hexagons.

    Example: [bold]smeladder coverage --by tier --as-of 2026-05-01 --cells gaps.geojson[/]
    Example: [bold]smeladder coverage --as-of 2026-05-01 --out coverage-by-district.xlsx --uncovered gaps.csv[/]
    """
    from smeladder.services import coverage

    with working("computing nearest stations") as progress:
        result = coverage.coverage(
            context(data_dir=data_dir),
            by,
            parse_day(as_of),
            radius,
            gaps=uncovered is not None or cells is not None,
            progress=progress,
        )
    if uncovered is not None:
        _write_uncovered(result, uncovered)
    if cells is not None:
        write_text(cells, json.dumps(coverage.gap_cells_geojson(result), ensure_ascii=False))
        err_console.print(f"wrote {cells}", highlight=False)
    emit(invocation, fmt, out, result.table, lambda: coverage.coverage_geojson(result), note=summary(result))
    return result


def _write_uncovered(result, path: Path) -> None:
    from smeladder.services import exports

    fmt = exports.BY_SUFFIX.get(path.suffix.lower(), "csv")
    exports.write([row.model_dump() for row in result.uncovered], path, fmt)
    err_console.print(f"wrote {path} ({len(result.uncovered):,} SMEs outside the circle)", highlight=False)
