"""MCLP and LSCP: the MILP against brute force on small instances, never worse than its greedy warm start."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from smeladder.network import demand, siting


def _random_instance(seed: int, points: int = 60, sites: int = 9, radius_m: float = 2500.0):
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(31.0, 31.1, points), rng.uniform(121.2, 121.3, points)
    site_lat, site_lon = rng.uniform(31.0, 31.1, sites), rng.uniform(121.2, 121.3, sites)
    weight = rng.integers(1, 5, points)
    return demand.build_demand(lat, lon, site_lat, site_lon, weight=weight, radius_m=radius_m)


def _from_sets(sets: list[list[int]], sites: int, weight: list[float] | None = None) -> demand.Demand:
    rows = [i for i, s in enumerate(sets) for _ in s]
    cols = [j for s in sets for j in s]
    matrix = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(sets), sites))
    return demand.aggregate(matrix, weight)


def test_aggregation_merges_identical_coverage_sets():
    found = _from_sets([[0, 1], [1, 0], [2], [], [0, 1]], sites=3, weight=[1, 2, 3, 4, 5])
    assert found.groups == 2
    assert sorted(found.weight.tolist()) == [3.0, 8.0]
    assert found.uncoverable_weight == 4.0
    assert found.group_of_point.tolist()[3] == -1
    assert found.total_weight == 15.0


def test_coverage_matrix_uses_the_radius_inclusively():
    from smeladder.network import geo

    site = (31.2, 121.4)
    inside = geo.destination(*site, 30, 2998)
    outside = geo.destination(*site, 30, 3002)
    matrix = demand.coverage_matrix([inside[0], outside[0]], [inside[1], outside[1]], [site[0]], [site[1]])
    assert matrix.toarray().ravel().tolist() == [1.0, 0.0]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_mclp_matches_brute_force(seed, k):
    instance = _random_instance(seed)
    result = siting.mclp(instance, k)
    best = max(siting.covered_weight(instance, c) for c in itertools.combinations(range(instance.sites), k))
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best)
    assert len(result.chosen) <= k
    assert siting.covered_weight(instance, result.chosen) == pytest.approx(result.objective)
    assert result.objective >= result.greedy_objective


@pytest.mark.parametrize("seed", range(6))
def test_lscp_matches_brute_force(seed):
    instance = _random_instance(seed, sites=10)
    result = siting.lscp(instance)
    fewest = next(
        size
        for size in range(1, instance.sites + 1)
        if any(
            siting.covered_weight(instance, c) == pytest.approx(instance.coverable_weight)
            for c in itertools.combinations(range(instance.sites), size)
        )
    )
    assert result.status == "optimal"
    assert result.objective == fewest
    assert siting.covered_weight(instance, result.chosen) == pytest.approx(instance.coverable_weight)


def test_greedy_trap_is_solved_exactly():
    # Site 0 covers the heaviest single block, sites 1 and 2 together cover more: greedy takes 0 first.
    instance = _from_sets([[0, 1], [0, 2], [1], [2]], sites=3, weight=[3, 3, 2, 2])
    assert siting.greedy_mclp(instance, 2)[0] == 0
    result = siting.mclp(instance, 2)
    assert set(result.chosen) == {1, 2}
    assert result.objective == 10
    assert result.greedy_objective == 8


def test_greedy_only_and_everything_fits():
    instance = _random_instance(1)
    assert siting.mclp(instance, 3, use_solver=False).status == "greedy"
    everything = siting.mclp(instance, instance.sites + 5)
    assert everything.status == "optimal"
    assert everything.objective == pytest.approx(instance.coverable_weight)


def test_nothing_to_cover():
    empty = _from_sets([[], []], sites=3)
    assert siting.mclp(empty, 2).status == "empty"
    assert siting.lscp(empty).status == "empty"


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 11), max_size=4), min_size=1, max_size=40),
    st.integers(1, 6),
)
def test_milp_is_never_worse_than_its_greedy_start(sets, k):
    instance = _from_sets(sets, sites=12)
    result = siting.mclp(instance, k)
    assert result.objective >= result.greedy_objective - 1e-9
    assert result.bound >= result.objective - 1e-9
    cover = siting.lscp(instance)
    assert cover.objective <= cover.greedy_objective
    assert siting.covered_weight(instance, cover.chosen) == pytest.approx(instance.coverable_weight)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 14), max_size=5), min_size=1, max_size=60),
    st.integers(1, 5),
)
def test_swaps_never_lose_coverage_and_keep_the_count(sets, k):
    instance = _from_sets(sets, sites=15)
    start = siting.greedy_mclp(instance, k)
    improved = siting.improve_by_swaps(instance, start, seconds=1.0)
    assert len(improved) == len(start)
    assert siting.covered_weight(instance, improved) >= siting.covered_weight(instance, start) - 1e-9


def test_swaps_escape_the_greedy_trap():
    instance = _from_sets([[0, 1], [0, 2], [1], [2]], sites=3, weight=[3, 3, 2, 2])
    assert set(siting.improve_by_swaps(instance, [0, 1], seconds=1.0)) == {1, 2}


@pytest.mark.parametrize("seed", range(3))
def test_lp_bound_is_a_valid_upper_bound(seed):
    instance = _random_instance(seed, points=80, sites=10)
    covers = instance.matrix.tocsc()
    x_block = sparse.vstack([-covers, sparse.csr_matrix(np.ones((1, instance.sites)))])
    y_block = sparse.vstack([sparse.identity(instance.groups), sparse.csr_matrix((1, instance.groups))])
    a_matrix = sparse.hstack([x_block, y_block], format="csc")
    costs = np.concatenate([np.zeros(instance.sites), instance.weight])
    k = 3
    row_upper = np.concatenate([np.zeros(instance.groups), [float(k)]])
    bound = siting.lp_bound(a_matrix, costs, row_upper, 10.0)
    best = max(siting.covered_weight(instance, c) for c in itertools.combinations(range(instance.sites), k))
    assert best - 1e-6 <= bound <= instance.coverable_weight * (1 + 1e-5)
