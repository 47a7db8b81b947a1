"""What a planner asks: how well is the 3-km circle covered today, where are the gaps, and where should the
next k stations go (or how many would it take to cover everyone)?

This is the service layer the CLI, the web and `smeladder demo` call: `coverage_report` and `propose_stations`
work on DataFrames; `plan` reads them from the data directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import h3
import numpy as np
import polars as pl

from smeladder.network import coverage, demand, parameters, siting
from smeladder.network import districts as network_districts
from smeladder.network.enterprises import load_enterprises
from smeladder.network.store import NetworkStore
from smeladder.rules.packfile import Ladder

GROUPINGS = {"district": "district_adcode", "tier": "tier", "track": "industrial_track"}


@dataclass(frozen=True)
class CoverageReport:
    as_of: date
    radius_m: float
    stations_open: int
    per_enterprise: pl.DataFrame  # enterprise columns + nearest_station_id, distance_m, covered
    overall: dict

    def by(self, grouping: str) -> pl.DataFrame:
        """Coverage share per district, tier or track (worst first)."""
        return coverage.coverage_share(self.per_enterprise, GROUPINGS.get(grouping, grouping))

    def uncovered(self) -> pl.DataFrame:
        return self.per_enterprise.filter(~pl.col("covered")).sort(
            "distance_m", descending=True, nulls_last=False
        )

    def uncovered_cells(self, resolution: int = coverage.DEFAULT_H3_RESOLUTION) -> pl.DataFrame:
        return coverage.uncovered_cells(self.per_enterprise, resolution)


@dataclass(frozen=True)
class Proposal:
    sites: (
        pl.DataFrame
    )  # site_id, latitude, longitude, district_adcode, rank, newly_covered, newly_covered_weight
    result: siting.SitingResult
    covered_before: int
    covered_after: int
    enterprises: int

    @property
    def share_before(self) -> float:
        return self.covered_before / self.enterprises if self.enterprises else 1.0

    @property
    def share_after(self) -> float:
        return self.covered_after / self.enterprises if self.enterprises else 1.0


def coverage_report(
    enterprises: pl.DataFrame,
    stations: pl.DataFrame,
    as_of: date,
    radius_m: float = coverage.SERVICE_RADIUS_M,
) -> CoverageReport:
    per_enterprise = coverage.enterprise_coverage(enterprises, stations, as_of, radius_m)
    return CoverageReport(
        as_of=as_of,
        radius_m=radius_m,
        stations_open=coverage.open_stations(stations, as_of).height,
        per_enterprise=per_enterprise,
        overall=coverage.coverage_share(per_enterprise).row(0, named=True),
    )


def candidate_sites(uncovered: pl.DataFrame, resolution: int | None = None) -> pl.DataFrame:
    """Default candidate sites: the centre of every H3 cell that holds an uncovered enterprise.

    A site near the gap is where a district would look for premises; cells keep the candidate count in the
    low thousands for a city.
    """
    resolution = resolution or int(parameters.load("siting")["candidate_h3_resolution"])
    cells = sorted(
        {
            h3.latlng_to_cell(lat, lon, resolution)
            for lat, lon in zip(
                uncovered["latitude"].to_list(), uncovered["longitude"].to_list(), strict=True
            )
        }
    )
    centres = [h3.cell_to_latlng(c) for c in cells]
    lat = np.array([c[0] for c in centres], dtype=np.float64)
    lon = np.array([c[1] for c in centres], dtype=np.float64)
    return pl.DataFrame(
        {
            "site_id": cells,
            "latitude": lat,
            "longitude": lon,
            "district_adcode": pl.Series(list(network_districts.district_of(lat, lon)), dtype=pl.String),
        },
        schema_overrides={"site_id": pl.String},
    )


def demand_weights(enterprises: pl.DataFrame, weighting: str = "uniform") -> np.ndarray:
    """One weight per enterprise from the `siting` parameters (`uniform`, `tier` or `size`); by tier, each
    rung's weight comes from the pack's ladder (`tier_weight`, see enterprises.py)."""
    table = parameters.siting_weights(weighting)
    if weighting == "tier":
        return enterprises["tier_weight"].to_numpy()
    if not table:
        return np.ones(enterprises.height)
    return enterprises["size_class"].replace_strict(table, default=1.0, return_dtype=pl.Float64).to_numpy()


def propose_stations(
    report: CoverageReport,
    k: int,
    candidates: pl.DataFrame | None = None,
    weighting: str = "uniform",
    time_limit_s: float = siting.DEFAULT_TIME_LIMIT_S,
) -> Proposal:
    """The k new sites (MCLP) that cover the most still-uncovered enterprises, ranked by what each adds."""
    candidates, need = _gap_demand(report, candidates, weighting)
    result = siting.mclp(need, k, time_limit_s=time_limit_s)
    return _proposal(report, candidates, need, result)


def stations_to_cover_everyone(
    report: CoverageReport,
    candidates: pl.DataFrame | None = None,
    time_limit_s: float = siting.DEFAULT_TIME_LIMIT_S,
) -> Proposal:
    """The fewest new sites (LSCP) that bring every coverable enterprise within the radius."""
    candidates, need = _gap_demand(report, candidates)
    result = siting.lscp(need, time_limit_s=time_limit_s)
    return _proposal(report, candidates, need, result)


def _gap_demand(
    report: CoverageReport, candidates: pl.DataFrame | None, weighting: str | None = None
) -> tuple[pl.DataFrame, demand.Demand]:
    """The candidate sites (the default ones when none are given) and the still-uncovered enterprises'
    demand over them, weighted by `weighting` (one each when None)."""
    gaps = report.uncovered()
    candidates = candidate_sites(gaps) if candidates is None else candidates
    need = demand.build_demand(
        gaps["latitude"].to_numpy(),
        gaps["longitude"].to_numpy(),
        candidates["latitude"].to_numpy(),
        candidates["longitude"].to_numpy(),
        weight=None if weighting is None else demand_weights(gaps, weighting),
        radius_m=report.radius_m,
    )
    return candidates, need


def _proposal(
    report: CoverageReport,
    candidates: pl.DataFrame,
    need: demand.Demand,
    result: siting.SitingResult,
) -> Proposal:
    # Rank the chosen sites by marginal contribution (greedy order within the answer): the order to open them.
    chosen = list(result.chosen)
    sub = demand.Demand(need.matrix[:, chosen], need.weight, need.group_of_point, need.uncoverable_weight)
    order = siting.greedy_mclp(sub, len(chosen))
    order += [i for i in range(len(chosen)) if i not in order]
    counts = np.bincount(need.group_of_point[need.group_of_point >= 0], minlength=need.groups).astype(float)
    covered_groups = np.zeros(need.groups, dtype=bool)
    rows = []
    for rank, position in enumerate(order, start=1):
        site = chosen[position]
        groups = need.matrix[:, site].nonzero()[0]
        new = groups[~covered_groups[groups]]
        covered_groups[new] = True
        rows.append(
            {
                "site": site,
                "rank": rank,
                "newly_covered": int(counts[new].sum()),
                "weight": need.weight[new].sum(),
            }
        )
    ranked = pl.DataFrame(
        rows, schema={"site": pl.Int64, "rank": pl.Int64, "newly_covered": pl.Int64, "weight": pl.Float64}
    )
    sites = (
        candidates.with_row_index("site")
        .with_columns(pl.col("site").cast(pl.Int64))
        .join(ranked, on="site")
        .sort("rank")
        .drop("site")
        .rename({"weight": "newly_covered_weight"})
    )
    before = int(report.per_enterprise["covered"].sum())
    gained = int(counts[covered_groups].sum())
    return Proposal(
        sites=sites,
        result=result,
        covered_before=before,
        covered_after=before + gained,
        enterprises=report.per_enterprise.height,
    )


def plan(
    data_dir: Path | str | None,
    as_of: date,
    ladder: Ladder,
    new_stations: int,
    weighting: str = "uniform",
    radius_m: float = coverage.SERVICE_RADIUS_M,
    time_limit_s: float = siting.DEFAULT_TIME_LIMIT_S,
) -> tuple[CoverageReport, Proposal]:
    """Coverage on `as_of` and a proposal for the next `new_stations`, from the data directory's registry
    and stations: the demo's "coverage by district and where to open next"."""
    enterprises = load_enterprises(data_dir, as_of, ladder)
    stations = NetworkStore(data_dir).stations()
    report = coverage_report(enterprises, stations, as_of, radius_m)
    return report, propose_stations(report, new_stations, weighting=weighting, time_limit_s=time_limit_s)
