"""Service stations and partners (M6.2b, M4.1, M6.2c, M5.3): make a synthetic set, import an officer's files,
list what is open or listed on a date, and find an enterprise's nearest open stations with the 3-km verdict."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import model_validator

from smeladder.errors import InvalidInput, NotFound
from smeladder.network import coverage, geo, geojson, partners, points, stations
from smeladder.network.store import ImportRejected
from smeladder.registry import districts
from smeladder.services import exports
from smeladder.services.context import AppContext
from smeladder.services.models import Result

# What long work reports as it goes: what it is doing now and how many of its steps are done.
Progress = Callable[[str, int], None]
SYNTH_FORMATS = ("csv", "xlsx", "parquet")  # what `import_files` reads back
NEAREST_MAX = 20


class InDistrict(Result):
    """A row in a district: its adcode, and beside it the district's names (filled in from the adcode)."""

    district_adcode: str | None = None
    district: str | None = None
    district_zh: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _named(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("district_adcode") and "district" not in data:
            found = districts.by_adcode().get(data["district_adcode"])
            if found is not None:
                return {**data, "district": found.name_en, "district_zh": found.name_zh}
        return data


class Station(InDistrict):
    station_id: str
    name_zh: str
    name_en: str | None = None
    address: str
    latitude: float
    longitude: float
    operator: str
    operator_name: str | None = None
    opening_hours: str | None = None
    services: str  # `;`-separated, as in the files `import_files` reads
    capacity_per_week: int
    phone: str | None = None
    opened_on: dt.date
    closed_on: dt.date | None = None  # the first day it is no longer open


class StationList(Result):
    as_of: dt.date
    include_closed: bool
    stations: list[Station]


class Partner(InDistrict):
    partner_id: str
    name_zh: str
    name_en: str | None = None
    kind: str
    measure: str | None  # the measure whose list it is on (the pack's catalogue)
    services: str
    credit_code: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    contact: str | None = None
    phone: str | None = None
    website: str | None = None
    listed_on: dt.date
    delisted_on: dt.date | None = None


class PartnerList(Result):
    as_of: dt.date
    partners: list[Partner]


class NearbyStation(Result):
    station_id: str
    name_zh: str
    address: str
    opening_hours: str | None = None
    phone: str | None = None
    distance_m: float


class NearestStations(InDistrict):
    credit_code: str
    name_zh: str | None = None
    as_of: dt.date
    radius_m: float
    covered: bool  # the nearest open station is within the radius (M6.2b's 3-km circle)
    stations: list[NearbyStation]


class SynthesizedNetwork(Result):
    stations: int
    partners: int
    seed: int
    near_registry: bool  # placed near the registry's enterprises, else near synthetic locations
    store: str | None = None  # the network store written, or
    files: tuple[str, ...] = ()  # the files written instead


class ImportedFile(Result):
    file: str
    inserted: int
    updated: int


class NetworkImport(Result):
    files: list[ImportedFile]


def step(progress: Progress | None, what: str, done: int) -> None:
    if progress is not None:
        progress(what, done)


def check_district(adcode: str | None) -> None:
    if adcode is not None and adcode not in districts.adcodes():
        raise InvalidInput(
            f"district {adcode!r} is not one of Shanghai's 16 district codes (310101 ... 310151)"
        )


def stations_frame(ctx: AppContext) -> pl.DataFrame:
    """Every station in the data directory, open or closed."""
    if not ctx.network.exists():
        raise NotFound(f"no stations at {ctx.network.path}", next_action="synth_stations")
    return ctx.network.stations()


def enterprise_locations(ctx: AppContext) -> tuple[Any, Any] | None:
    """Latitudes and longitudes of the registry's enterprises; None without a registry or locations."""
    if not ctx.registry.exists():
        return None
    con = ctx.registry.connect(read_only=True)
    try:
        found = con.sql("SELECT latitude, longitude FROM enterprise WHERE latitude IS NOT NULL").fetchnumpy()
    finally:
        con.close()
    return (found["latitude"], found["longitude"]) if len(found["latitude"]) else None


def synthesize(
    ctx: AppContext,
    n_stations: int = stations.TARGET_STATIONS,
    n_partners: int = partners.TARGET_PARTNERS,
    seed: int = 1,
    out: Path | None = None,
    fmt: str = "csv",
    progress: Progress | None = None,
) -> SynthesizedNetwork:
    """A realistic synthetic set of stations and partners placed near the registry's enterprises (near
    synthetic enterprise locations without a registry), into the network store or, with `out`, into
    `out/station.<fmt>` and `out/partner.<fmt>` for `import_files`."""
    if n_stations < 1 or n_partners < 0:
        raise InvalidInput(
            f"stations {n_stations}, partners {n_partners}: at least one station, no negatives"
        )
    chosen = exports.output_format(None, fmt, allowed=SYNTH_FORMATS) if out is not None else None
    found = enterprise_locations(ctx)
    lat, lon = found if found is not None else points.enterprise_points(50_000, seed=0)[:2]
    step(progress, f"placing {n_stations:,} stations and {n_partners:,} partners", 0)
    station_rows = stations.synthesize_stations(lat, lon, n_stations, seed)
    partner_rows = partners.synthesize_partners(n_partners, seed)
    made = dict(stations=n_stations, partners=n_partners, seed=seed, near_registry=found is not None)
    if chosen is not None:
        written = [
            exports.write(rows, out / f"{name}.{chosen}", chosen)
            for name, rows in (("station", station_rows), ("partner", partner_rows))
        ]
        return SynthesizedNetwork(**made, files=[str(path) for path in written])
    ctx.network.replace("station", station_rows)
    ctx.network.replace("partner", partner_rows)
    return SynthesizedNetwork(**made, store=str(ctx.network.path))


def import_files(
    ctx: AppContext, paths: Sequence[Path], table: str | None = None, progress: Progress | None = None
) -> NetworkImport:
    """Validate station and partner files and upsert them; one bad row rejects the whole batch, and the
    error names every bad row (file, row, field, value, rule)."""
    done = itertools.count()
    try:
        written = ctx.network.import_files(
            paths, table=table, progress=lambda what: step(progress, what, next(done))
        )
    except ImportRejected as exc:
        raise InvalidInput(
            f"{exc}; the error report is {exc.report}", details=exc.errors.to_pylist()
        ) from None
    return NetworkImport(
        files=[ImportedFile(file=name, inserted=new, updated=old) for name, (new, old) in written.items()]
    )


def list_stations(
    ctx: AppContext,
    as_of: dt.date | None = None,
    district: str | None = None,
    include_closed: bool = False,
) -> StationList:
    """Stations open on the date (every one with `include_closed`), optionally in one district."""
    check_district(district)
    day = ctx.as_of(as_of)
    found = stations_frame(ctx)
    if not include_closed:
        found = coverage.open_stations(found, day)
    if district:
        found = found.filter(pl.col("district_adcode") == district)
    return StationList(
        as_of=day,
        include_closed=include_closed,
        stations=[Station(**row) for row in found.iter_rows(named=True)],
    )


def stations_geojson(listing: StationList, circles: bool = False) -> dict[str, Any]:
    """The stations as map points, or as their 3-km service circles."""
    return geojson.stations(_frame(listing.stations), None, circles=circles)


def find_partners(
    ctx: AppContext,
    kind: str | None = None,
    service: str | None = None,
    district: str | None = None,
    as_of: dt.date | None = None,
) -> PartnerList:
    """Partners and providers listed on the date, by kind, service and district, with the measure that
    lists them (the pack's measure catalogue: M6.2b, M4.1, M6.2c, M5.3 for Shanghai)."""
    check_district(district)
    day = ctx.as_of(as_of)
    if not ctx.network.exists():
        raise NotFound(f"no partners at {ctx.network.path}", next_action="synth_stations")
    try:
        measure_of = ctx.pack.measures.partner_measures if ctx.pack.measures else {}
        found = partners.find_partners(ctx.network.partners(), day, measure_of, kind, service, district)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return PartnerList(as_of=day, partners=[Partner(**row) for row in found.iter_rows(named=True)])


def partners_geojson(listing: PartnerList) -> dict[str, Any]:
    """The partners that have a location, as map points."""
    located = [p for p in listing.partners if p.latitude is not None and p.longitude is not None]
    return geojson.feature_collection(geojson.points(_frame(located)))


def nearest(
    ctx: AppContext, credit_code: str, count: int = 3, as_of: dt.date | None = None
) -> NearestStations:
    """An enterprise's `count` nearest stations open on the date, by great-circle distance, and whether the
    nearest lies within the 3-km service circle."""
    if not 1 <= count <= NEAREST_MAX:
        raise InvalidInput(f"count {count}: ask for 1 to {NEAREST_MAX} stations")
    day = ctx.as_of(as_of)
    if not ctx.registry.exists():
        raise NotFound(f"no registry at {ctx.registry.path}", next_action="import_registry")
    con = ctx.registry.connect(read_only=True)
    try:
        row = con.execute(
            "SELECT name_zh, district_adcode, latitude, longitude FROM enterprise WHERE credit_code = ?",
            [credit_code],
        ).fetchone()
    finally:
        con.close()
    if row is None:
        raise NotFound(f"no enterprise with credit code {credit_code} in the registry")
    name, district, latitude, longitude = row
    if latitude is None or longitude is None:
        raise NotFound(f"enterprise {credit_code} has no location in the registry")
    open_now = coverage.open_stations(stations_frame(ctx), day)
    if open_now.height == 0:
        raise NotFound(f"no station is open on {day}")
    distances = geo.haversine_m(
        latitude, longitude, open_now["latitude"].to_numpy(), open_now["longitude"].to_numpy()
    )
    closest = open_now.with_columns(pl.Series("distance_m", distances)).sort("distance_m").head(count)
    found = [
        NearbyStation(**{field: row[field] for field in NearbyStation.model_fields})
        for row in closest.iter_rows(named=True)
    ]
    return NearestStations(
        credit_code=credit_code,
        name_zh=name,
        district_adcode=district,
        as_of=day,
        radius_m=coverage.SERVICE_RADIUS_M,
        covered=found[0].distance_m <= coverage.SERVICE_RADIUS_M,
        stations=found,
    )


def _frame(rows: Sequence[Result]) -> pl.DataFrame:
    return pl.DataFrame([row.model_dump() for row in rows])
