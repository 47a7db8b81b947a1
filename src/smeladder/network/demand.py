"""Siting demand: which candidate sites cover which enterprises, with enterprises that have the same set of
covering sites merged into one weighted demand group.

Merging identical coverage sets changes no MCLP or LSCP answer (two points covered by the same sites are
always both covered or both not), and it is what keeps a city-sized registry tractable: 200,000 enterprises
over 2,000 sites collapse to a few tens of thousands of groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.spatial import cKDTree

from smeladder.network import geo
from smeladder.network.coverage import SERVICE_RADIUS_M


@dataclass(frozen=True)
class Demand:
    """Demand groups × candidate sites.

    `matrix[g, s]` is 1 when site `s` covers group `g`; `weight[g]` is the group's total weight;
    `group_of_point[p]` is point `p`'s group, or -1 when no candidate site covers it at all.
    """

    matrix: sparse.csr_matrix
    weight: NDArray[np.float64]
    group_of_point: NDArray[np.int64]
    uncoverable_weight: float

    @property
    def groups(self) -> int:
        return self.matrix.shape[0]

    @property
    def sites(self) -> int:
        return self.matrix.shape[1]

    @property
    def coverable_weight(self) -> float:
        return float(self.weight.sum())

    @property
    def total_weight(self) -> float:
        return self.coverable_weight + self.uncoverable_weight


def coverage_matrix(
    latitude: ArrayLike,
    longitude: ArrayLike,
    site_latitude: ArrayLike,
    site_longitude: ArrayLike,
    radius_m: float = SERVICE_RADIUS_M,
) -> sparse.csr_matrix:
    """Points × sites, 1 where the site is within `radius_m` (great-circle, inclusive) of the point."""
    points = geo.unit_vectors(latitude, longitude)
    sites = geo.unit_vectors(site_latitude, site_longitude)
    shape = (len(points), len(sites))
    if len(points) == 0 or len(sites) == 0:
        return sparse.csr_matrix(shape, dtype=np.float64)
    neighbours = cKDTree(sites).query_ball_point(
        points, r=float(geo.chord_for_distance(radius_m)), workers=-1, return_sorted=True
    )
    lengths = np.fromiter((len(n) for n in neighbours), dtype=np.int64, count=len(points))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = np.fromiter((j for n in neighbours for j in n), dtype=np.int32, count=int(indptr[-1]))
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=shape)


def aggregate(matrix: sparse.csr_matrix, weight: ArrayLike | None = None) -> Demand:
    """Merge points with identical coverage sets into weighted groups (weight 1 per point by default)."""
    matrix = sparse.csr_matrix(matrix, dtype=np.float64, copy=True)
    # Coverage is yes or no: duplicates and other values would skew the counts the solvers rely on.
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    matrix.data[:] = 1.0
    matrix.sort_indices()
    n_points = matrix.shape[0]
    weights = np.ones(n_points) if weight is None else np.asarray(weight, dtype=np.float64)
    group_of_point = np.full(n_points, -1, dtype=np.int64)
    key_to_group: dict[bytes, int] = {}
    group_rows: list[int] = []
    indptr, indices = matrix.indptr, matrix.indices
    for point in range(n_points):
        start, end = indptr[point], indptr[point + 1]
        if start == end:
            continue
        key = indices[start:end].tobytes()
        group = key_to_group.get(key)
        if group is None:
            group = len(group_rows)
            key_to_group[key] = group
            group_rows.append(point)
        group_of_point[point] = group
    coverable = group_of_point >= 0
    group_weight = np.bincount(
        group_of_point[coverable], weights=weights[coverable], minlength=len(group_rows)
    )
    grouped = matrix[np.asarray(group_rows, dtype=np.int64)] if group_rows else matrix[:0]
    return Demand(
        matrix=sparse.csr_matrix(grouped),
        weight=group_weight.astype(np.float64),
        group_of_point=group_of_point,
        uncoverable_weight=float(weights[~coverable].sum()),
    )


def build_demand(
    latitude: ArrayLike,
    longitude: ArrayLike,
    site_latitude: ArrayLike,
    site_longitude: ArrayLike,
    weight: ArrayLike | None = None,
    radius_m: float = SERVICE_RADIUS_M,
) -> Demand:
    """Coverage matrix and aggregation in one call."""
    matrix = coverage_matrix(latitude, longitude, site_latitude, site_longitude, radius_m)
    return aggregate(matrix, weight)
