"""Great-circle geometry on a sphere, done with 3-D unit vectors.

A point on the sphere becomes a unit vector; the straight-line (chord) distance between two unit vectors is a
monotone function of the great-circle distance, so "within 3 km" is "chord within 2·sin(3 km / 2R)" and a plain
Euclidean k-d tree answers nearest-neighbour and radius queries exactly. A haversine BallTree gives the same
answers about 40 times slower (issue 6).

Coordinates are GCJ-02 degrees like the registry's; over Shanghai GCJ-02 is a near-constant shift of WGS-84,
so distances between two GCJ-02 points are good to well under a metre.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

# IUGG mean Earth radius (R1), the usual choice for spherical great-circle distances.
EARTH_RADIUS_M = 6_371_008.8


def unit_vectors(latitude: ArrayLike, longitude: ArrayLike) -> NDArray[np.float64]:
    """Degrees to an (n, 3) array of unit vectors."""
    lat = np.radians(np.asarray(latitude, dtype=np.float64))
    lon = np.radians(np.asarray(longitude, dtype=np.float64))
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def chord_for_distance(metres: float | NDArray[np.float64]) -> float | NDArray[np.float64]:
    """The chord length (unit sphere) that corresponds to a great-circle distance in metres."""
    return 2.0 * np.sin(np.asarray(metres, dtype=np.float64) / (2.0 * EARTH_RADIUS_M))


def distance_for_chord(chord: float | NDArray[np.float64]) -> float | NDArray[np.float64]:
    """Great-circle metres for a chord length on the unit sphere (inverse of `chord_for_distance`)."""
    half = np.clip(np.asarray(chord, dtype=np.float64) / 2.0, 0.0, 1.0)
    return 2.0 * EARTH_RADIUS_M * np.arcsin(half)


def haversine_m(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distance in metres by the haversine formula: the reference the k-d tree is tested against."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=np.float64)), np.radians(np.asarray(lat2, dtype=np.float64))
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def destination(lat: float, lon: float, bearing_deg: float, metres: float) -> tuple[float, float]:
    """The point `metres` away from (lat, lon) along a great circle with the given initial bearing."""
    delta = metres / EARTH_RADIUS_M
    theta = np.radians(bearing_deg)
    p1, l1 = np.radians(lat), np.radians(lon)
    p2 = np.arcsin(np.sin(p1) * np.cos(delta) + np.cos(p1) * np.sin(delta) * np.cos(theta))
    l2 = l1 + np.arctan2(np.sin(theta) * np.sin(delta) * np.cos(p1), np.cos(delta) - np.sin(p1) * np.sin(p2))
    return float(np.degrees(p2)), float(np.degrees(l2))
