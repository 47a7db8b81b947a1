"""`site` (services/siting.py): where to open the next stations, M6.2b; and the network's part of the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from smeladder.cli.common import DataDirOption, command, console, context, parse_day
from smeladder.cli.network import AsOfOption, FormatOption, OutOption, cell, emit, listing, working

SITE_COLUMNS = ("rank", "district", "latitude", "longitude", "newly_covered", "site_id")
SITE_HEADERS = {"newly_covered": "SMEs added"}


def register(app: typer.Typer) -> None:
    command(app, "site", "siting:SitingProposal", render)(site_command)


def proposal_lines(proposal) -> list[str]:
    """What was solved and how well, and the coverage before and after."""
    what = "MCLP" if proposal.problem == "mclp" else "LSCP"
    gap = (
        "no bound"
        if proposal.gap is None
        else "proven optimal"
        if proposal.gap == 0
        else f"gap {proposal.gap:.2%}"
    )
    lines = [
        f"{what}: {len(proposal.sites)} site(s), {proposal.status}, {gap}, {proposal.seconds:.1f} s "
        f"({proposal.demand_groups:,} demand groups; greedy start {proposal.greedy_objective:,.0f}, "
        f"solver {proposal.objective:,.0f})",
        f"coverage {proposal.covered_before:,} → {proposal.covered_after:,} of {proposal.enterprises:,} SMEs "
        f"({proposal.share_before:.1%} → {proposal.share_after:.1%})",
    ]
    if proposal.unreachable_weight:
        lines.append(
            f"[yellow]{proposal.unreachable_weight:,.0f} demand is out of reach of every candidate site[/]"
        )
    return lines


def render(proposal, out: Console = console, limit: int | None = None, title: str | None = None) -> None:
    for line in proposal_lines(proposal):
        out.print(line, highlight=False)
    sites = proposal.sites[:limit] if limit else proposal.sites
    title = title or "proposed stations, in the order to open them"
    out.print(listing(sites, SITE_COLUMNS, title, headers=SITE_HEADERS))


def site_command(
    invocation: typer.Context,
    new: Annotated[
        int, typer.Option("--new", "-k", min=0, help="How many new stations to propose (MCLP).")
    ] = 10,
    cover_all: Annotated[
        bool, typer.Option("--cover-all", help="Instead: the fewest new stations covering every SME (LSCP).")
    ] = False,
    weight: Annotated[
        str, typer.Option("--weight", help="uniform, tier or size (params/siting.yaml).")
    ] = "uniform",
    candidates: Annotated[
        Path | None,
        typer.Option("--candidates", help="CSV/Parquet of candidate sites: site_id, latitude, longitude."),
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1, help="Solver time limit, seconds.")
    ] = 60.0,
    as_of: AsOfOption = None,
    radius: Annotated[float, typer.Option("--radius", min=100, help="Service radius in metres.")] = 3_000.0,
    fmt: FormatOption = None,
    out: OutOption = None,
    data_dir: DataDirOption = None,
):
    """Propose where to open the next stations: the k sites covering the most uncovered SMEs (MCLP), or the
    fewest sites covering all of them (LSCP), solved exactly by HiGHS with the optimality gap reported.

    Example: [bold]smeladder site --new 20 --weight tier --format geojson -o next-stations.geojson[/]
    """
    from smeladder.services import siting

    with working("computing coverage") as progress:
        proposal = siting.propose(
            context(data_dir=data_dir),
            new,
            cover_all,
            weight,
            candidates,
            time_limit,
            parse_day(as_of),
            radius,
            progress=progress,
        )
    emit(
        invocation,
        fmt,
        out,
        lambda: [site.model_dump() for site in proposal.sites],
        lambda: siting.sites_geojson(proposal),
        note="\n".join(proposal_lines(proposal)),
    )
    return proposal


def show_network_demo(
    data_dir: Path | None, as_of: dt.date | None = None, new_stations: int = 20, out: Console = console
):
    """The network's part of `smeladder demo` (services/siting.py `demo_plan`): stations if the data
    directory has none, coverage by district, and where to open the next `new_stations` stations."""
    from smeladder.services import siting

    plan = siting.demo_plan(context(data_dir=data_dir), as_of, new_stations)
    render_network_plan(plan, new_stations, out)
    return plan


def render_network_plan(plan, new_stations: int, out: Console = console) -> None:
    """A `siting.demo_plan` result: coverage by district, and the first of the stations to open next."""
    from smeladder.cli import coverage as coverage_cli

    found = plan.coverage
    out.print(
        f"{found.stations_open:,} stations open on {found.as_of}: {found.overall.covered:,} of "
        f"{found.overall.enterprises:,} SMEs within 3 km ({cell('share', found.overall.share)})",
        highlight=False,
    )
    columns = ("district", "enterprises", "covered", "share", "median_distance_m")
    out.print(
        listing(found.rows, columns, "3-km service circle by district", headers=coverage_cli.FIGURE_HEADERS)
    )
    more = " (first 10)" if len(plan.proposal.sites) > 10 else ""
    render(plan.proposal, out, limit=10, title=f"where to open the next {new_stations} stations{more}")
