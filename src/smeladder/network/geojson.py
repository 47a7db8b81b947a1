"""GeoJSON for the web's maps: stations, 3-km circles, uncovered H3 cells, district coverage and proposed sites.

Coordinates are GCJ-02 like everything else in the registry ([longitude, latitude], RFC 7946 order); a map
that draws on a WGS-84 base layer must shift them (the district polygons carry the same datum, see
`registry/data/README`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import h3
import polars as pl

from smeladder.network import geo
from smeladder.network.coverage import SERVICE_RADIUS_M, open_stations
from smeladder.registry import districts as reference

CIRCLE_VERTICES = 48


def feature_collection(features: list[dict[str, Any]], **properties: Any) -> dict[str, Any]:
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if properties:
        collection["properties"] = properties
    return collection


def _properties(row: dict[str, Any], skip: tuple[str, ...] = ("latitude", "longitude")) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items() if k not in skip}


def points(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """One Point feature per row; every other column becomes a property."""
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": _properties(row),
        }
        for row in frame.iter_rows(named=True)
    ]


def circle(latitude: float, longitude: float, radius_m: float = SERVICE_RADIUS_M) -> dict[str, Any]:
    """A great-circle disc as a polygon (CIRCLE_VERTICES vertices, closed, counter-clockwise)."""
    ring = [
        geo.destination(latitude, longitude, 360.0 - i * 360.0 / CIRCLE_VERTICES, radius_m)
        for i in range(CIRCLE_VERTICES)
    ]
    coordinates = [[round(lon, 6), round(lat, 6)] for lat, lon in ring]
    return {"type": "Polygon", "coordinates": [[*coordinates, coordinates[0]]]}


def stations(frame: pl.DataFrame, as_of: date | None = None, circles: bool = False) -> dict[str, Any]:
    """Stations (open on `as_of` when given) as points, or as their service circles."""
    chosen = open_stations(frame, as_of) if as_of else frame
    features = points(chosen)
    if circles:
        for feature, row in zip(features, chosen.iter_rows(named=True), strict=True):
            feature["geometry"] = circle(row["latitude"], row["longitude"])
    return feature_collection(features, as_of=as_of.isoformat() if as_of else None)


def uncovered_cells(cells: pl.DataFrame) -> dict[str, Any]:
    """H3 cells (from `coverage.uncovered_cells`) as hexagons with their count of uncovered enterprises."""
    features = []
    for row in cells.iter_rows(named=True):
        boundary = [[round(lon, 6), round(lat, 6)] for lat, lon in h3.cell_to_boundary(row["h3_cell"])]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[*boundary, boundary[0]]]},
                "properties": _properties(row),
            }
        )
    return feature_collection(features)


def district_coverage(by_district: pl.DataFrame) -> dict[str, Any]:
    """The district polygons with their coverage figures (from `CoverageReport.by("district")`)."""
    figures = {row["district_adcode"]: row for row in by_district.iter_rows(named=True)}
    base = json.loads(reference.geojson_text())
    for feature in base["features"]:
        found = figures.get(feature["properties"]["adcode"], {})
        feature["properties"].update(_properties(found, skip=("district_adcode",)))
    return base


def proposed_sites(sites: pl.DataFrame, radius_m: float = SERVICE_RADIUS_M) -> dict[str, Any]:
    """Proposed sites as points with rank and what each adds, plus each one's circle as a second feature."""
    features = []
    for feature, row in zip(points(sites), sites.iter_rows(named=True), strict=True):
        feature["properties"]["role"] = "site"
        features.append(feature)
        features.append(
            {
                "type": "Feature",
                "geometry": circle(row["latitude"], row["longitude"], radius_m),
                "properties": {"role": "circle", "site_id": row["site_id"], "rank": row["rank"]},
            }
        )
    return feature_collection(features, radius_m=radius_m)
