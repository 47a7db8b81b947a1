"""`stations synth|import|list|partners|nearest` (services/stations.py): service stations and partners, M6.2b."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smeladder.cli.common import DataDirOption, command, console, context, err_console, group, parse_day
from smeladder.cli.network import AsOfOption, FormatOption, OutOption, emit, listing, working

stations_app = group(
    "stations", "Service stations and partners (M6.2b): synthesize, import, list, find the nearest."
)
PARTNER_KINDS = "service_partner, digital_transformation, professional_service, going_global"


def register(app: typer.Typer) -> None:
    app.add_typer(stations_app)


def _synthesized(made) -> None:
    if not made.near_registry:
        err_console.print("no registry in the data directory: stations follow synthetic enterprise locations")
    for path in made.files:
        console.print(f"wrote {path}", highlight=False)
    if made.store:
        console.print(
            f"{made.stations:,} stations and {made.partners:,} partners in {made.store}", highlight=False
        )


@command(stations_app, "synth", "stations:SynthesizedNetwork", _synthesized)
def stations_synth(
    n_stations: Annotated[int, typer.Option("--stations", min=1, help="Number of stations.")] = 500,
    n_partners: Annotated[int, typer.Option("--partners", min=0, help="Number of partners.")] = 1_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write station/partner files to this folder instead of the store."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx or parquet (with --out).")] = "csv",
    data_dir: DataDirOption = None,
):
    """Make a realistic synthetic set of stations and partners, placed near the registry's enterprises, into
    the data directory's network store (replacing what is there) or, with --out, into files to import.

    Without a registry in the data directory, stations follow synthetic enterprise locations. With the demo's
    seed (2025) the files hold the demo's own stations and partners.

    Example: [bold]smeladder stations synth --seed 2025 --out stations-files --format xlsx[/]
    """
    from smeladder.services import stations

    with working(f"placing {n_stations:,} stations and {n_partners:,} partners") as progress:
        return stations.synthesize(
            context(data_dir=data_dir), n_stations, n_partners, seed, out, fmt, progress=progress
        )


def _imported(result) -> None:
    for file in result.files:
        console.print(f"{file.file}: {file.inserted:,} new, {file.updated:,} replaced", highlight=False)


@command(stations_app, "import", "stations:NetworkImport", _imported)
def stations_import(
    paths: Annotated[list[Path], typer.Argument(help="station*/partner* files: CSV, Parquet or .xlsx.")],
    table: Annotated[
        str | None, typer.Option("--table", help="station or partner, when file names do not say.")
    ] = None,
    data_dir: DataDirOption = None,
):
    """Validate station and partner files and import them; one bad row rejects the whole batch (every error
    is listed, and written to a report in the data directory), and rows with a known id are replaced.

    Example: [bold]smeladder stations import stations-files/station.xlsx stations-files/partner.xlsx[/]
    """
    from smeladder.services import stations

    with working("importing") as progress:
        return stations.import_files(context(data_dir=data_dir), paths, table, progress=progress)


def _stations(result) -> None:
    state = "open or closed" if result.include_closed else f"open on {result.as_of}"
    columns = ("station_id", "district", "name_zh", "opened_on", "closed_on")
    console.print(listing(result.stations, columns, f"{len(result.stations):,} stations {state}"))


@command(stations_app, "list", "stations:StationList", _stations)
def stations_list(
    invocation: typer.Context,
    as_of: AsOfOption = None,
    district: Annotated[str | None, typer.Option("--district", help="District adcode, e.g. 310104.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include stations not open on the date.")] = False,
    fmt: FormatOption = None,
    circles: Annotated[
        bool, typer.Option("--circles", help="GeoJSON: 3-km circles instead of points.")
    ] = False,
    out: OutOption = None,
    data_dir: DataDirOption = None,
):
    """List stations (open on the date unless --all), as a table, a file (CSV, Excel, JSON, Parquet) or
    GeoJSON for maps.

    Example: [bold]smeladder stations list --district 310115 --format geojson -o pudong-stations.geojson[/]
    """
    from smeladder.services import stations

    result = stations.list_stations(context(data_dir=data_dir), parse_day(as_of), district, all_)
    emit(
        invocation,
        fmt,
        out,
        lambda: [s.model_dump() for s in result.stations],
        lambda: stations.stations_geojson(result, circles=circles),
    )
    return result


def _partners(result) -> None:
    columns = ("partner_id", "name_zh", "kind", "measure", "district")
    console.print(
        listing(result.partners, columns, f"{len(result.partners):,} partners listed on {result.as_of}")
    )


@command(stations_app, "partners", "stations:PartnerList", _partners)
def stations_partners(
    invocation: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", help=f"One of: {PARTNER_KINDS}.")] = None,
    service: Annotated[
        str | None, typer.Option("--service", help="A service, e.g. financing (docs/network.md lists them).")
    ] = None,
    district: Annotated[str | None, typer.Option("--district", help="District adcode.")] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = None,
    out: OutOption = None,
    data_dir: DataDirOption = None,
):
    """Partners and providers listed on the date (M6.2b, M4.1, M6.2c, M5.3), by kind, service and district.

    Example: [bold]smeladder stations partners --kind digital_transformation --district 310112[/]
    """
    from smeladder.services import stations

    result = stations.find_partners(context(data_dir=data_dir), kind, service, district, parse_day(as_of))
    emit(
        invocation,
        fmt,
        out,
        lambda: [p.model_dump() for p in result.partners],
        lambda: stations.partners_geojson(result),
    )
    return result


def _nearest(result) -> None:
    columns = ("station_id", "name_zh", "address", "phone", "distance_m")  # hours: in --json
    title = f"{result.name_zh or result.credit_code}: nearest stations on {result.as_of}"
    console.print(listing(result.stations, columns, title, headers={"distance_m": "metres"}))
    radius = f"{result.radius_m / 1000:g}-km"
    console.print(
        f"within the {radius} service circle"
        if result.covered
        else f"[yellow]outside the {radius} service circle[/]"
    )


@command(stations_app, "nearest", "stations:NearestStations", _nearest)
def stations_nearest(
    credit_code: Annotated[str, typer.Argument(help="The enterprise's unified social credit code.")],
    count: Annotated[int, typer.Option("--count", "-k", min=1, max=20, help="How many stations.")] = 3,
    as_of: AsOfOption = None,
    data_dir: DataDirOption = None,
):
    """An enterprise's nearest open stations, with great-circle distances, and whether the nearest is within
    the 3-km service circle (M6.2b).

    Example: [bold]smeladder stations nearest 91310104MA001WMP4B --count 3[/]
    """
    from smeladder.services import stations

    return stations.nearest(context(data_dir=data_dir), credit_code, count, parse_day(as_of))
