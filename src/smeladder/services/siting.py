"""Where to open the next stations (M6.2b): the k sites covering the most uncovered SMEs (MCLP) or the fewest
covering all of them (LSCP), solved by HiGHS, with the solver's status, the proven gap and the coverage
before and after; and the network's part of the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import polars as pl

from smeladder.errors import InvalidInput
from smeladder.network import districts, geojson, parameters, planning
from smeladder.network import partners as network_partners
from smeladder.network import stations as network_stations
from smeladder.network.coverage import SERVICE_RADIUS_M
from smeladder.network.siting import DEFAULT_TIME_LIMIT_S
from smeladder.services import coverage, stations
from smeladder.services.context import AppContext
from smeladder.services.coverage import finite
from smeladder.services.models import Result
from smeladder.services.stations import InDistrict, Progress, step

CANDIDATE_COLUMNS = ("site_id", "latitude", "longitude")
DEMO_TIME_LIMIT_S = 30.0


class ProposedSite(InDistrict):
    rank: int  # the order to open them: each ranked by what it adds to the ones before
    site_id: str
    latitude: float
    longitude: float
    newly_covered: int  # SMEs it brings within the radius that no earlier site did
    newly_covered_weight: float


class SitingProposal(Result):
    as_of: dt.date
    radius_m: float
    problem: Literal["mclp", "lscp"]
    weighting: str
    status: str  # optimal, time_limit, greedy (solver not run or failed) or empty (nothing to cover)
    gap: float | None  # |bound - objective| / objective; 0 when proven optimal, None when nothing is proven
    objective: float  # MCLP: demand weight covered; LSCP: number of sites
    bound: float | None
    greedy_objective: float
    seconds: float
    demand_groups: int
    unreachable_weight: float  # demand no candidate site reaches
    enterprises: int
    covered_before: int
    covered_after: int
    share_before: float
    share_after: float
    sites: list[ProposedSite]


class NetworkPlan(Result):
    """The demo's picture: coverage by district and where to open the next stations."""

    synthesized: stations.SynthesizedNetwork | None  # the stations the demo made, if it had to
    coverage: coverage.Coverage
    proposal: SitingProposal


def propose(
    ctx: AppContext,
    new: int = 10,
    cover_all: bool = False,
    weighting: str = "uniform",
    candidates: Path | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    as_of: dt.date | None = None,
    radius_m: float = SERVICE_RADIUS_M,
    progress: Progress | None = None,
) -> SitingProposal:
    """The `new` sites covering the most still-uncovered SMEs (MCLP), or with `cover_all` the fewest covering
    every coverable one (LSCP). Candidate sites come from a file (site_id, latitude, longitude) or, by
    default, are the centres of the H3 cells holding an uncovered SME."""
    if new < 0 or time_limit_s <= 0:
        raise InvalidInput(
            f"new {new}, time limit {time_limit_s} s: no negative count, a positive time limit"
        )
    try:
        parameters.siting_weights(weighting)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    sites = read_candidates(candidates) if candidates is not None else None
    step(progress, "computing coverage", 0)
    found = coverage.compute(ctx, as_of, radius_m)
    step(progress, "solving the siting MILP (HiGHS)", 1)
    return _solve(found, new, cover_all, weighting, sites, time_limit_s)


def _solve(
    found: planning.CoverageReport,
    new: int,
    cover_all: bool,
    weighting: str,
    sites: pl.DataFrame | None,
    time_limit_s: float,
) -> SitingProposal:
    if cover_all:
        proposal = planning.stations_to_cover_everyone(found, sites, time_limit_s=time_limit_s)
    else:
        proposal = planning.propose_stations(found, new, sites, weighting, time_limit_s=time_limit_s)
    result = proposal.result
    return SitingProposal(
        as_of=found.as_of,
        radius_m=found.radius_m,
        problem=result.problem,
        weighting="uniform" if cover_all else weighting,
        status=result.status,
        gap=finite(result.gap),
        objective=result.objective,
        bound=finite(result.bound),
        greedy_objective=result.greedy_objective,
        seconds=result.seconds,
        demand_groups=result.demand_groups,
        unreachable_weight=result.total_weight - result.coverable_weight,
        enterprises=proposal.enterprises,
        covered_before=proposal.covered_before,
        covered_after=proposal.covered_after,
        share_before=proposal.share_before,
        share_after=proposal.share_after,
        sites=[ProposedSite(**row) for row in proposal.sites.iter_rows(named=True)],
    )


def read_candidates(path: Path) -> pl.DataFrame:
    """Candidate sites from a CSV or Parquet file with columns site_id, latitude, longitude; the district of
    each is looked up from its location."""
    try:
        frame = pl.read_parquet(path) if path.suffix.lower() in (".parquet", ".pq") else pl.read_csv(path)
    except Exception as exc:  # polars raises several error types for missing or unreadable files
        raise InvalidInput(f"{path}: cannot read candidate sites ({exc})") from None
    missing = set(CANDIDATE_COLUMNS) - set(frame.columns)
    if missing:
        raise InvalidInput(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    try:
        frame = frame.select(
            pl.col("site_id").cast(pl.String), pl.col("latitude", "longitude").cast(pl.Float64, strict=True)
        )
    except pl.exceptions.PolarsError as exc:
        raise InvalidInput(f"{path}: latitude and longitude must be numbers ({exc})") from None
    if (
        frame["site_id"].is_null().any()
        or frame["latitude"].is_null().any()
        or frame["longitude"].is_null().any()
    ):
        raise InvalidInput(f"{path}: every candidate site needs a site_id, a latitude and a longitude")
    adcodes = districts.district_of(frame["latitude"].to_numpy(), frame["longitude"].to_numpy())
    return frame.with_columns(pl.Series("district_adcode", list(adcodes), dtype=pl.String))


def sites_geojson(proposal: SitingProposal) -> dict[str, Any]:
    """The proposed sites as points with their rank and what each adds, and each one's service circle."""
    frame = pl.DataFrame([site.model_dump() for site in proposal.sites])
    return geojson.proposed_sites(frame, proposal.radius_m)


def demo_plan(
    ctx: AppContext,
    as_of: dt.date | None = None,
    new_stations: int = 20,
    seed: int = 2025,
    progress: Progress | None = None,
) -> NetworkPlan:
    """The network's part of the demo: 500 stations and 1,000 partners near the registry's enterprises (if
    the data directory has no stations yet), coverage by district, and where to open the next stations."""
    made = None
    if not ctx.network.exists() or ctx.network.stations().height == 0:
        made = stations.synthesize(
            ctx, network_stations.TARGET_STATIONS, network_partners.TARGET_PARTNERS, seed, progress=progress
        )
    step(progress, "computing coverage", 1)
    found = coverage.compute(ctx, as_of)
    step(progress, "solving the siting problem", 2)
    proposal = _solve(found, new_stations, False, "uniform", None, DEMO_TIME_LIMIT_S)
    return NetworkPlan(synthesized=made, coverage=coverage.of_report(found, "district"), proposal=proposal)
