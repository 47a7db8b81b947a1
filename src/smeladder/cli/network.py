"""Service network commands (M6.2b): `stations ...`, `coverage`, `site`. Service Day is `cli/concerns.py`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import polars as pl
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from smeladder.cli.common import DataDirOption, console, err_console, fail
from smeladder.network import coverage, districts, geo, geojson, partners, planning, points, stations
from smeladder.network.enterprises import load_enterprises
from smeladder.network.schema import PARTNER_KINDS, SERVICES
from smeladder.network.store import ImportRejected, NetworkStore
from smeladder.registry import districts as registry_districts
from smeladder.registry import files
from smeladder.registry.store import RegistryStore

stations_app = typer.Typer(
    name="stations",
    help="Service stations and partners (M6.2b): synthesize, import, list, find the nearest.",
    no_args_is_help=True,
)

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Date to evaluate on, YYYY-MM-DD (default: today).", show_default=False),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of the terminal.", show_default=False),
]
FORMATS = ("table", "csv", "json", "geojson")


def register(app: typer.Typer) -> None:
    app.add_typer(stations_app)
    app.command("coverage")(coverage_command)
    app.command("site")(site_command)


def parse_date(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r}: write dates as YYYY-MM-DD") from None


def _spinner() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err_console
    )


def emit(
    frame: pl.DataFrame, fmt: str, output: Path | None, geo: dict[str, Any] | None = None, title: str = ""
) -> None:
    """Print or write a result in the chosen format (GeoJSON needs `geo`)."""
    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}")
    if fmt == "table":
        if output:
            raise fail("--output needs --format csv, json or geojson")
        console.print(rich_table(frame, title))
        return
    if fmt == "csv":
        text = frame.write_csv()
    elif fmt == "json":
        text = json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=1)
    else:
        if geo is None:
            raise fail("this listing has no GeoJSON form; use csv or json")
        text = json.dumps(geo, ensure_ascii=False)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {output}")
    else:
        typer.echo(text)


def rich_table(frame: pl.DataFrame, title: str = "", limit: int = 50) -> RichTable:
    table = RichTable(title=title or None)
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    for row in frame.head(limit).iter_rows(named=True):
        table.add_row(*(_cell(name, value) for name, value in row.items()))
    if frame.height > limit:
        table.caption = f"{limit} of {frame.height:,} rows; use --format csv for all"
    return table


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if column in ("latitude", "longitude"):
            return f"{value:.5f}"
        if column == "share":
            return f"{value:.1%}"
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# --- stations ------------------------------------------------------------------------------------------------


@stations_app.command("synth")
def stations_synth(
    n_stations: Annotated[int, typer.Option("--stations", min=1, help="Number of stations.")] = 500,
    n_partners: Annotated[int, typer.Option("--partners", min=0, help="Number of partners.")] = 1_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write station/partner files here instead of the store.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="parquet, csv or xlsx (with --out).")] = "csv",
    data_dir: DataDirOption = None,
) -> None:
    """Make a realistic synthetic set of stations and partners, placed near the registry's enterprises.

    Without a registry in the data directory, stations follow synthetic enterprise locations.

    Example: [bold]smeladder stations synth --stations 500 --partners 1000 --seed 7[/]
    """
    lat, lon = _enterprise_locations(data_dir)
    with _spinner() as progress:
        progress.add_task(f"placing {n_stations:,} stations and {n_partners:,} partners", total=None)
        station_rows = stations.synthesize_stations(lat, lon, n_stations, seed)
        partner_rows = partners.synthesize_partners(n_partners, seed)
    if out:
        for name, rows in (("station", station_rows), ("partner", partner_rows)):
            console.print(f"wrote {files.write_table(rows, out / f'{name}.{fmt}', fmt)}")
        return
    store = NetworkStore(data_dir)
    store.replace("station", station_rows)
    store.replace("partner", partner_rows)
    console.print(
        f"{station_rows.num_rows:,} stations and {partner_rows.num_rows:,} partners in {store.path}"
    )


def _enterprise_locations(data_dir: Path | None) -> tuple[np.ndarray, np.ndarray]:
    registry = RegistryStore(data_dir)
    if registry.path.exists():
        con = registry.connect(read_only=True)
        try:
            found = con.sql(
                "SELECT latitude, longitude FROM enterprise WHERE latitude IS NOT NULL"
            ).fetchnumpy()
        finally:
            con.close()
        if len(found["latitude"]):
            return np.asarray(found["latitude"]), np.asarray(found["longitude"])
    err_console.print(
        "no registry in the data directory: placing stations near synthetic enterprise locations"
    )
    lat, lon, _ = points.enterprise_points(50_000, seed=0)
    return lat, lon


@stations_app.command("import")
def stations_import(
    paths: Annotated[list[Path], typer.Argument(help="station*/partner* files: CSV, Parquet or .xlsx.")],
    table: Annotated[
        str | None, typer.Option("--table", help="station or partner, when file names do not say.")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Validate station and partner files and import them; one bad row rejects the whole batch.

    Example: [bold]smeladder stations import station.xlsx partner.csv[/]
    """
    store = NetworkStore(data_dir)
    try:
        with _spinner() as progress:
            task = progress.add_task("importing", total=None)
            written = store.import_files(
                paths, table=table, progress=lambda step: progress.update(task, description=step)
            )
    except files.UnreadableFile as exc:
        raise fail(str(exc)) from exc
    except ImportRejected as exc:
        errors = pl.from_arrow(exc.errors)
        console.print(rich_table(errors, f"{errors.height} error(s)", limit=100))
        err_console.print(f"[bold red]rejected:[/] {exc}. Error report: {exc.report}")
        raise typer.Exit(1) from exc
    for name, (inserted, updated) in written.items():
        console.print(f"{name}: {inserted:,} new, {updated:,} replaced")


@stations_app.command("list")
def stations_list(
    as_of: AsOfOption = None,
    district: Annotated[str | None, typer.Option("--district", help="District adcode, e.g. 310104.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include stations not open on the date.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or geojson.")] = "table",
    circles: Annotated[
        bool, typer.Option("--circles", help="GeoJSON: 3-km circles instead of points.")
    ] = False,
    output: OutputOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List stations (open on the date unless --all), as a table, CSV, JSON or GeoJSON for maps.

    Example: [bold]smeladder stations list --district 310115 --format geojson -o pudong-stations.geojson[/]
    """
    day = parse_date(as_of)
    found = _stations(data_dir)
    if not all_:
        found = coverage.open_stations(found, day)
    if district:
        found = found.filter(pl.col("district_adcode") == district)
    shown = found.select(
        "station_id", "name_zh", "district_adcode", "latitude", "longitude", "opened_on", "closed_on"
    )
    emit(
        shown if fmt == "table" else found,
        fmt,
        output,
        geo=geojson.stations(found, None, circles=circles),
        title=f"{found.height:,} stations",
    )


@stations_app.command("partners")
def stations_partners(
    kind: Annotated[str | None, typer.Option("--kind", help=f"One of: {', '.join(PARTNER_KINDS)}.")] = None,
    service: Annotated[str | None, typer.Option("--service", help=f"One of: {', '.join(SERVICES)}.")] = None,
    district: Annotated[str | None, typer.Option("--district", help="District adcode.")] = None,
    as_of: AsOfOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or geojson.")] = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Partners and providers listed on the date (M6.2b, M4.1, M6.2c, M5.3), by kind, service and district.

    Example: [bold]smeladder stations partners --kind digital_transformation --district 310112[/]
    """
    try:
        found = partners.find_partners(
            NetworkStore(data_dir).partners(), parse_date(as_of), kind, service, district
        )
    except (ValueError, FileNotFoundError) as exc:
        raise fail(str(exc)) from exc
    located = found.filter(pl.col("latitude").is_not_null())
    shown = found.select("partner_id", "name_zh", "kind", "measure", "services", "district_adcode")
    emit(
        shown if fmt == "table" else found,
        fmt,
        output,
        geo=geojson.feature_collection(geojson.points(located)),
    )


@stations_app.command("nearest")
def stations_nearest(
    credit_code: Annotated[str, typer.Argument(help="The enterprise's unified social credit code.")],
    count: Annotated[int, typer.Option("--count", "-k", min=1, max=20, help="How many stations.")] = 3,
    as_of: AsOfOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """An enterprise's nearest open stations, with great-circle distances.

    Example: [bold]smeladder stations nearest 91310104MA00001B38 --count 3[/]
    """
    day = parse_date(as_of)
    registry = RegistryStore(data_dir)
    try:
        con = registry.connect(read_only=True)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from exc
    try:
        row = con.execute(
            "SELECT latitude, longitude, name_zh FROM enterprise WHERE credit_code = ?", [credit_code]
        ).fetchone()
    finally:
        con.close()
    if row is None:
        raise fail(f"no enterprise with credit code {credit_code} in {registry.path}")
    open_now = coverage.open_stations(_stations(data_dir), day)
    if open_now.height == 0:
        raise fail(f"no station is open on {day}")
    distances = geo.haversine_m(
        row[0], row[1], open_now["latitude"].to_numpy(), open_now["longitude"].to_numpy()
    )
    nearest = (
        open_now.with_columns(pl.Series("distance_m", distances))
        .sort("distance_m")
        .head(count)
        .select("station_id", "name_zh", "address", "opening_hours", "phone", "distance_m")
    )
    covered = nearest["distance_m"][0] <= coverage.SERVICE_RADIUS_M
    console.print(rich_table(nearest, f"{row[2]}: nearest stations on {day}"))
    console.print(
        "within the 3-km service circle" if covered else "[yellow]outside the 3-km service circle[/]"
    )


def _stations(data_dir: Path | None) -> pl.DataFrame:
    try:
        return NetworkStore(data_dir).stations()
    except FileNotFoundError as exc:
        raise fail(str(exc)) from exc


# --- coverage and siting -------------------------------------------------------------------------------------


def _report(data_dir: Path | None, day: dt.date, radius_m: float) -> planning.CoverageReport:
    try:
        enterprises = load_enterprises(data_dir, day)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from exc
    return planning.coverage_report(enterprises, _stations(data_dir), day, radius_m)


def coverage_command(
    by: Annotated[str, typer.Option("--by", help="district, tier or track.")] = "district",
    as_of: AsOfOption = None,
    radius: Annotated[float, typer.Option("--radius", min=100, help="Service radius in metres.")] = 3_000.0,
    fmt: Annotated[
        str, typer.Option("--format", help="table, csv, json or geojson (by district).")
    ] = "table",
    output: OutputOption = None,
    uncovered: Annotated[
        Path | None, typer.Option("--uncovered", help="Write the uncovered enterprises to this CSV.")
    ] = None,
    cells: Annotated[
        Path | None, typer.Option("--cells", help="Write uncovered H3 cells (resolution 8) as GeoJSON here.")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """The 3-km SME service circle (M6.2b): share of SMEs within 3 km of an open station, by district, tier
    or industrial track, with the gaps as a list and as H3 hexagons.

    Example: [bold]smeladder coverage --by tier --as-of 2026-01-01 --cells gaps.geojson[/]
    """
    if by not in planning.GROUPINGS:
        raise fail(f"--by must be one of {', '.join(planning.GROUPINGS)}")
    day = parse_date(as_of)
    with _spinner() as progress:
        progress.add_task("computing nearest stations", total=None)
        report = _report(data_dir, day, radius)
    overall = report.overall
    err_console.print(
        f"{day}: {report.stations_open:,} stations open; {overall['covered']:,} of {overall['enterprises']:,} "
        f"SMEs within {radius:,.0f} m ({overall['share']:.1%}); median distance {overall['median_distance_m'] or 0:,.0f} m"
    )
    table = report.by(by)
    geo = geojson.district_coverage(table) if by == "district" else None
    emit(table, fmt, output, geo=geo, title=f"coverage by {by} on {day}")
    if uncovered:
        report.uncovered().write_csv(uncovered)
        err_console.print(f"wrote {uncovered}")
    if cells:
        cells.write_text(json.dumps(geojson.uncovered_cells(report.uncovered_cells())), encoding="utf-8")
        err_console.print(f"wrote {cells}")


def site_command(
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
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or geojson.")] = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Propose where to open the next stations: the k sites covering the most uncovered SMEs (MCLP), or the
    fewest sites covering all of them (LSCP), solved exactly by HiGHS with the optimality gap reported.

    Example: [bold]smeladder site --new 20 --weight tier --format geojson -o next-stations.geojson[/]
    """
    day = parse_date(as_of)
    sites = _candidates(candidates) if candidates else None
    with _spinner() as progress:
        task = progress.add_task("computing coverage", total=None)
        report = _report(data_dir, day, radius)
        progress.update(task, description="solving the siting MILP (HiGHS)")
        try:
            if cover_all:
                proposal = planning.stations_to_cover_everyone(report, sites, time_limit_s=time_limit)
            else:
                proposal = planning.propose_stations(report, new, sites, weight, time_limit_s=time_limit)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    print_proposal(proposal, err_console)
    emit(
        proposal.sites,
        fmt,
        output,
        geo=geojson.proposed_sites(proposal.sites, radius),
        title="proposed stations, in the order to open them",
    )


def _candidates(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(path) if path.suffix.lower() in (".parquet", ".pq") else pl.read_csv(path)
    except Exception as exc:  # polars raises several error types for unreadable files
        raise fail(f"{path}: cannot read candidate sites ({exc})") from exc
    missing = {"site_id", "latitude", "longitude"} - set(frame.columns)
    if missing:
        raise fail(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    frame = frame.with_columns(
        pl.col("site_id").cast(pl.String), pl.col("latitude", "longitude").cast(pl.Float64)
    )
    adcodes = districts.district_of(frame["latitude"].to_numpy(), frame["longitude"].to_numpy())
    return frame.select("site_id", "latitude", "longitude").with_columns(
        pl.Series("district_adcode", list(adcodes), dtype=pl.String)
    )


def print_proposal(proposal: planning.Proposal, out: Console) -> None:
    result = proposal.result
    what = "MCLP" if result.problem == "mclp" else "LSCP"
    gap = (
        "proven optimal"
        if result.gap == 0
        else f"gap {result.gap:.2%}"
        if np.isfinite(result.gap)
        else "no bound"
    )
    out.print(
        f"{what}: {len(result.chosen)} site(s), {result.status}, {gap}, {result.seconds:.1f} s "
        f"({result.demand_groups:,} demand groups; greedy start {result.greedy_objective:,.0f}, "
        f"solver {result.objective:,.0f})"
    )
    out.print(
        f"coverage {proposal.covered_before:,} → {proposal.covered_after:,} of {proposal.enterprises:,} SMEs "
        f"({proposal.share_before:.1%} → {proposal.share_after:.1%})"
    )
    uncoverable = result.total_weight - result.coverable_weight
    if uncoverable:
        out.print(f"[yellow]{uncoverable:,.0f} demand is out of reach of every candidate site[/]")


# --- the demo's part -------------------------------------------------------------------------------------------


def show_network_demo(
    data_dir: Path | None,
    as_of: dt.date | None = None,
    new_stations: int = 20,
    seed: int = 2025,
    out: Console = console,
) -> planning.Proposal:
    """The network's part of `smeladder demo`: synthesize 500 stations and 1,000 partners near the registry's
    enterprises (if the data directory has none), then print coverage by district and a proposal for the next
    `new_stations` stations. Needs the registry in `data_dir`."""
    day = as_of or dt.date.today()
    store = NetworkStore(data_dir)
    if not store.exists() or store.stations().height == 0:
        lat, lon = _enterprise_locations(data_dir)
        store.replace("station", stations.synthesize_stations(lat, lon, stations.TARGET_STATIONS, seed))
        store.replace("partner", partners.synthesize_partners(partners.TARGET_PARTNERS, seed))
    report, proposal = planning.plan(data_dir, day, new_stations, time_limit_s=30)
    overall = report.overall
    out.print(
        f"{report.stations_open:,} stations open on {day}: {overall['covered']:,} of {overall['enterprises']:,} "
        f"SMEs within 3 km ({overall['share']:.1%})"
    )
    names = {d.adcode: d.name_en for d in registry_districts.load_districts()}
    by_district = report.by("district").with_columns(
        pl.col("district_adcode").replace_strict(names, default=None).alias("district")
    )
    out.print(
        rich_table(
            by_district.select("district", "enterprises", "covered", "share", "median_distance_m"),
            "3-km service circle by district",
        )
    )
    print_proposal(proposal, out)
    shown = proposal.sites.with_columns(
        pl.col("district_adcode").replace_strict(names, default=None).alias("district")
    ).select("rank", "district", "latitude", "longitude", "newly_covered", "site_id")
    more = " (first 10)" if shown.height > 10 else ""
    out.print(rich_table(shown.head(10), f"where to open the next {new_stations} stations{more}"))
    return proposal
