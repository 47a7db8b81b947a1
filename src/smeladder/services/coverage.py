"""The 3-km SME service circle (M6.2b): the share of SMEs within the radius of an open station, overall and
by district, tier or industrial track, with the gaps as a list of enterprises and as H3 cells; GeoJSON for
maps."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

import polars as pl

from smeladder.errors import InvalidInput, NotFound
from smeladder.network import geojson, planning
from smeladder.network.coverage import SERVICE_RADIUS_M
from smeladder.network.enterprises import load_enterprises
from smeladder.services.context import AppContext
from smeladder.services.models import Result
from smeladder.services.stations import InDistrict, Progress, stations_frame, step

Grouping = Literal["district", "tier", "track"]
# The columns a table by each grouping shows for its group, as the registry names them.
GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "district": ("district_adcode", "district", "district_zh"),
    "tier": ("tier",),
    "track": ("industrial_track",),
}
FIGURES = ("enterprises", "covered", "uncovered", "share", "median_distance_m")


class CoverageFigures(Result):
    enterprises: int
    covered: int
    uncovered: int
    share: float | None  # covered / enterprises, 0-1; None when there are no enterprises
    median_distance_m: float | None  # to the nearest open station; None when none is open


class CoverageRow(CoverageFigures, InDistrict):
    """One group's figures: its district (by district), its tier (by tier) or its track (by track)."""

    tier: str | None = None
    industrial_track: str | None = None


class UncoveredEnterprise(InDistrict):
    credit_code: str
    name_zh: str | None = None
    latitude: float
    longitude: float
    industrial_track: str | None = None
    size_class: str | None = None
    tier: str
    nearest_station_id: str | None = None
    distance_m: float | None = None


class GapCell(Result):
    """An H3 cell holding uncovered enterprises, with its centre."""

    h3_cell: str
    uncovered: int
    latitude: float
    longitude: float


class Coverage(Result):
    as_of: dt.date
    radius_m: float
    stations_open: int
    by: Grouping
    overall: CoverageFigures
    rows: list[CoverageRow]  # worst-covered first
    uncovered: list[UncoveredEnterprise] | None = None  # farthest first; only when asked for
    gap_cells: list[GapCell] | None = None  # H3 resolution 8, most uncovered first; only when asked for

    def table(self) -> list[dict[str, Any]]:
        """The rows as a file has them: the grouping's own columns, then the figures."""
        columns = (*GROUP_COLUMNS[self.by], *FIGURES)
        return [{column: getattr(row, column) for column in columns} for row in self.rows]


def compute(
    ctx: AppContext, as_of: dt.date | None = None, radius_m: float = SERVICE_RADIUS_M
) -> planning.CoverageReport:
    """Each SME's nearest open station on the date and whether it is within the radius."""
    if not radius_m > 0:
        raise InvalidInput(f"radius {radius_m}: must be more than 0 metres")
    day = ctx.as_of(as_of)
    if not ctx.registry.exists():
        raise NotFound(f"no registry at {ctx.registry.path}", next_action="import_registry")
    if ctx.pack.ladder is None:
        raise InvalidInput(f"pack {ctx.pack.name} has no ladder (ladder.yaml): coverage needs its tiers")
    enterprises = load_enterprises(ctx.data_dir, day, ctx.pack.ladder)
    return planning.coverage_report(enterprises, stations_frame(ctx), day, radius_m)


def coverage(
    ctx: AppContext,
    by: str = "district",
    as_of: dt.date | None = None,
    radius_m: float = SERVICE_RADIUS_M,
    gaps: bool = False,
    progress: Progress | None = None,
) -> Coverage:
    """Coverage on the date by district, tier or track; `gaps` adds the uncovered enterprises and cells."""
    check_grouping(by)
    step(progress, "computing nearest stations", 0)
    return of_report(compute(ctx, as_of, radius_m), by, gaps)


def check_grouping(by: str) -> None:
    if by not in planning.GROUPINGS:
        raise InvalidInput(f"by {by!r}: choose one of {', '.join(planning.GROUPINGS)}")


def of_report(found: planning.CoverageReport, by: str, gaps: bool = False) -> Coverage:
    """A coverage report as its result model."""
    column = planning.GROUPINGS[by]
    rows = [
        CoverageRow(**{k: finite(v) for k, v in row.items() if k != column}, **{column: row[column]})
        for row in found.by(by).iter_rows(named=True)
    ]
    uncovered = cells = None
    if gaps:
        wanted = [f for f in UncoveredEnterprise.model_fields if f not in ("district", "district_zh")]
        uncovered = [
            UncoveredEnterprise(**{f: finite(row[f]) for f in wanted})
            for row in found.uncovered().iter_rows(named=True)
        ]
        cells = [GapCell(**row) for row in found.uncovered_cells().iter_rows(named=True)]
    return Coverage(
        as_of=found.as_of,
        radius_m=found.radius_m,
        stations_open=found.stations_open,
        by=by,
        overall=CoverageFigures(**{k: finite(v) for k, v in found.overall.items()}),
        rows=rows,
        uncovered=uncovered,
        gap_cells=cells,
    )


def coverage_geojson(result: Coverage) -> dict[str, Any]:
    """The district polygons with their coverage figures."""
    if result.by != "district":
        raise InvalidInput(f"coverage by {result.by} has no map; the map is by district")
    return geojson.district_coverage(pl.DataFrame(result.table()))


def gap_cells_geojson(result: Coverage) -> dict[str, Any]:
    """The H3 cells holding uncovered SMEs, as hexagons with their counts."""
    if result.gap_cells is None:
        raise InvalidInput("this coverage result was computed without its gaps")
    return geojson.uncovered_cells(pl.DataFrame([cell.model_dump() for cell in result.gap_cells]))


def finite(value: Any) -> Any:
    """JSON has no infinity: a distance to no station at all is unknown (None)."""
    return None if isinstance(value, float) and not math.isfinite(value) else value
