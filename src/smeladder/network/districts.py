"""District lookups the network needs on top of the registry's reference data (`smeladder.registry.districts`):
which district a point lies in, and random points inside a district."""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from smeladder.registry import districts as reference


def district_of(latitude: ArrayLike, longitude: ArrayLike) -> NDArray[np.object_]:
    """The adcode of the district containing each point (None outside Shanghai's land)."""
    lat = np.atleast_1d(np.asarray(latitude, dtype=np.float64))
    lon = np.atleast_1d(np.asarray(longitude, dtype=np.float64))
    result = np.full(lat.shape, None, dtype=object)
    unassigned = np.ones(lat.shape, dtype=bool)
    for adcode, shape in reference.polygons().items():
        inside = unassigned & shapely.contains_xy(shape, lon, lat)
        result[inside] = adcode
        unassigned &= ~inside
    return result


def random_points_in(adcode: str, n: int, rng: np.random.Generator) -> tuple[NDArray, NDArray]:
    """n uniform random points (lat, lon) on the district's land, by rejection from its bounding box."""
    shape = reference.polygons()[adcode]
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    lats: list[NDArray] = [np.empty(0)]
    lons: list[NDArray] = [np.empty(0)]
    found = 0
    while found < n:
        batch = max(64, 3 * (n - found))
        lon = rng.uniform(min_lon, max_lon, batch)
        lat = rng.uniform(min_lat, max_lat, batch)
        inside = shapely.contains_xy(shape, lon, lat)
        lats.append(lat[inside])
        lons.append(lon[inside])
        found += int(inside.sum())
    return np.concatenate(lats)[:n], np.concatenate(lons)[:n]
