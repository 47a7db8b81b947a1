"""Synthetic enterprise locations with Shanghai's shape: dense in the centre, clustered in industrial parks,
thin in the outer districts. Used by tests and benchmarks so they do not wait on the registry generator, and by
the station generator to put stations where enterprises are.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from smeladder.network import districts as district_data
from smeladder.registry import districts as reference

# Share of SMEs per district: an assumption shaped like Shanghai's economic census (central districts and
# Pudong hold most firms), not an official figure. Used only to make synthetic data look plausible.
DISTRICT_SHARE = {
    "310101": 0.03,
    "310104": 0.05,
    "310105": 0.035,
    "310106": 0.045,
    "310107": 0.04,
    "310109": 0.025,
    "310110": 0.04,
    "310112": 0.11,
    "310113": 0.07,
    "310114": 0.08,
    "310115": 0.20,
    "310116": 0.04,
    "310117": 0.08,
    "310118": 0.06,
    "310120": 0.05,
    "310151": 0.025,
}
PARK_SHARE = 0.6  # share of a district's firms in clusters (parks, business districts) rather than spread out
PARKS_PER_100_KM2 = 4.0
PARK_SIGMA_M = 900.0


def enterprise_points(n: int, seed: int = 0) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray]:
    """n synthetic enterprise points: (latitude, longitude, district adcode), every point inside its district."""
    rng = np.random.default_rng(seed)
    all_districts = reference.load_districts()
    shares = np.array([DISTRICT_SHARE[d.adcode] for d in all_districts])
    counts = rng.multinomial(n, shares / shares.sum())
    lats, lons, codes = [], [], []
    for district, count in zip(all_districts, counts, strict=True):
        if count == 0:
            continue
        lat, lon = _district_points(district, int(count), rng)
        lats.append(lat)
        lons.append(lon)
        codes.append(np.full(int(count), district.adcode, dtype=object))
    order = rng.permutation(n)
    return np.concatenate(lats)[order], np.concatenate(lons)[order], np.concatenate(codes)[order]


def _district_points(district: reference.District, count: int, rng: np.random.Generator):
    n_parks = max(1, round(district.area_km2 / 100 * PARKS_PER_100_KM2))
    park_lat, park_lon = district_data.random_points_in(district.adcode, n_parks, rng)
    in_parks = rng.binomial(count, PARK_SHARE)
    lat_out, lon_out = district_data.random_points_in(district.adcode, count - in_parks, rng)
    lats, lons = [lat_out], [lon_out]
    needed = in_parks
    degrees_per_m = 1 / 111_195.0
    while needed > 0:
        batch = 2 * needed + 16
        which = rng.integers(0, n_parks, batch)
        lat = park_lat[which] + rng.normal(0, PARK_SIGMA_M * degrees_per_m, batch)
        lon = park_lon[which] + rng.normal(0, PARK_SIGMA_M * degrees_per_m, batch) / np.cos(
            np.radians(park_lat[which])
        )
        inside = reference.contains(district.adcode, lat, lon)
        lats.append(lat[inside][:needed])
        lons.append(lon[inside][:needed])
        needed -= len(lats[-1])
    return np.concatenate(lats), np.concatenate(lons)
