"""Where to open stations: the Maximal Covering Location Problem (open k sites, cover the most demand) and
the Location Set Covering Problem (the fewest sites that cover all coverable demand), solved exactly as
mixed-integer programs with HiGHS, warm-started from the greedy answer and falling back to it.

The greedy answer is also a guarantee: the answer returned is never worse than it (HiGHS keeps the warm start
as its incumbent; a 1-swap local search then polishes both answers and the best is kept).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from typing import Literal

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from smeladder.network.demand import Demand

DEFAULT_TIME_LIMIT_S = 60.0
# Relative gap at which HiGHS may stop: 0.01 % is HiGHS's own default and well inside the 0.5 % goal (issue 6).
DEFAULT_MIP_GAP = 1e-4
_EPS = 1e-9
# After a time-limited MIP search with a gap above this, an interior-point LP pass (up to the same time limit
# again) tightens the reported bound.
LP_BOUND_WHEN_GAP_ABOVE = 0.01
LOCAL_SEARCH_SHARE = 0.05
LOCAL_SEARCH_MAX_S = 3.0


@dataclass(frozen=True)
class SitingResult:
    """A siting answer and how good it is provably.

    objective: MCLP, demand weight covered; LSCP, number of sites.
    bound: the best bound proven by the solver (equal to objective when optimal).
    gap: |bound - objective| / |objective|; 0 when proven optimal; inf when nothing is proven (greedy only).
    status: "optimal", "time_limit", "greedy" (solver not run or failed; the greedy answer, improved by local
            search for MCLP, is returned),
            "empty" (nothing to cover).
    """

    problem: Literal["mclp", "lscp"]
    chosen: tuple[int, ...]
    objective: float
    bound: float
    gap: float
    status: str
    greedy_objective: float
    seconds: float
    demand_groups: int
    coverable_weight: float
    total_weight: float

    @property
    def covered_share(self) -> float:
        """Share of all demand (coverable or not) that the chosen sites cover; MCLP only."""
        return self.objective / self.total_weight if self.total_weight else 1.0


def covered_weight(demand: Demand, chosen: list[int] | tuple[int, ...] | NDArray[np.int64]) -> float:
    """Demand weight covered by a set of sites."""
    if len(chosen) == 0:
        return 0.0
    hits = demand.matrix[:, np.asarray(chosen, dtype=np.int64)].sum(axis=1).A1
    return float(demand.weight[hits > 0].sum())


def greedy_mclp(demand: Demand, k: int) -> list[int]:
    """Open the site adding the most uncovered weight, k times (stops early when nothing more is gained)."""
    rows_by_site = demand.matrix.tocsc()
    gains = demand.matrix.T @ demand.weight
    uncovered = np.ones(demand.groups, dtype=bool)
    chosen: list[int] = []
    for _ in range(min(k, demand.sites)):
        site = int(np.argmax(gains))
        if gains[site] <= _EPS:
            break
        rows = rows_by_site.indices[rows_by_site.indptr[site] : rows_by_site.indptr[site + 1]]
        newly = rows[uncovered[rows]]
        uncovered[newly] = False
        gains = gains - demand.matrix[newly].T @ demand.weight[newly]
        gains[site] = -np.inf
        chosen.append(site)
    return chosen


def improve_by_swaps(demand: Demand, chosen: list[int], seconds: float) -> list[int]:
    """Local search on an MCLP answer: swap one open site for a closed one while that covers more weight.

    Greedy commits to its early picks; on hard instances (few sites for much demand) a few hundred swaps
    recover most of what it leaves, and give HiGHS a better incumbent to prune with.
    """
    if not chosen or demand.groups == 0 or len(chosen) >= demand.sites:
        return list(chosen)
    deadline = time.perf_counter() + seconds
    covers = demand.matrix
    sites_of_group = covers.tocsc()
    is_open = np.zeros(demand.sites, dtype=bool)
    is_open[chosen] = True
    count = covers[:, chosen].sum(axis=1).A1
    while time.perf_counter() < deadline:
        open_sites = np.flatnonzero(is_open)
        add_gain = covers.T @ (demand.weight * (count == 0))
        add_gain[is_open] = -np.inf
        single = demand.weight * (count == 1)
        loss = covers[:, open_sites].T @ single
        # A swap (out, in) gains add_gain[in] - loss[out] + the weight only `out` covers that `in` covers too:
        # all swaps at once from one sparse product (open sites x all sites).
        overlap = (covers[:, open_sites].T.multiply(single)).tocsr() @ covers
        delta = add_gain[None, :] - loss[:, None] + overlap.toarray()
        best = np.unravel_index(int(np.argmax(delta)), delta.shape)
        if not delta[best] > _EPS:
            break
        site_out, site_in = int(open_sites[best[0]]), int(best[1])
        count[
            sites_of_group.indices[sites_of_group.indptr[site_out] : sites_of_group.indptr[site_out + 1]]
        ] -= 1
        count[
            sites_of_group.indices[sites_of_group.indptr[site_in] : sites_of_group.indptr[site_in + 1]]
        ] += 1
        is_open[site_out], is_open[site_in] = False, True
    return [int(s) for s in np.flatnonzero(is_open)]


def greedy_lscp(demand: Demand) -> list[int]:
    """Open the site covering the most still-uncovered groups until every group is covered."""
    unit = Demand(demand.matrix, np.ones(demand.groups), demand.group_of_point, 0.0)
    return greedy_mclp(unit, demand.sites)


def mclp(
    demand: Demand,
    k: int,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    mip_gap: float = DEFAULT_MIP_GAP,
    use_solver: bool = True,
) -> SitingResult:
    """Choose at most k sites maximizing covered weight.

    max Σ w_g·y_g  s.t.  y_g ≤ Σ_{s covers g} x_s,  Σ x_s ≤ k,  x binary, 0 ≤ y ≤ 1.
    (y needs no integrality: at an optimum y_g = min(1, Σ x_s), already 0 or 1.)
    """
    started = time.perf_counter()
    greedy = greedy_mclp(demand, k)
    greedy_value = covered_weight(demand, greedy)
    common = {
        "problem": "mclp",
        "greedy_objective": greedy_value,
        "demand_groups": demand.groups,
        "coverable_weight": demand.coverable_weight,
        "total_weight": demand.total_weight,
    }
    if demand.groups == 0 or k <= 0:
        return SitingResult(
            chosen=(), objective=0.0, bound=0.0, gap=0.0, status="empty", seconds=0.0, **common
        )
    if k >= demand.sites or not use_solver:
        # Every site fits: opening all of them is optimal; otherwise the caller asked for greedy only.
        chosen = list(range(demand.sites)) if k >= demand.sites else greedy
        value = covered_weight(demand, chosen)
        proven = k >= demand.sites
        return SitingResult(
            chosen=tuple(sorted(chosen)),
            objective=value,
            bound=value if proven else demand.coverable_weight,
            gap=0.0 if proven else _gap(demand.coverable_weight, value),
            status="optimal" if proven else "greedy",
            seconds=time.perf_counter() - started,
            **common,
        )

    n_sites, n_groups = demand.sites, demand.groups
    covers = demand.matrix.tocsc()
    # Columns: x_0..x_{S-1}, then y_0..y_{G-1}. Rows: one per group, then the cardinality row.
    x_block = sparse.vstack([-covers, sparse.csr_matrix(np.ones((1, n_sites)))])
    y_block = sparse.vstack([sparse.identity(n_groups, format="csr"), sparse.csr_matrix((1, n_groups))])
    a_matrix = sparse.hstack([x_block, y_block], format="csc")
    costs = np.concatenate([np.zeros(n_sites), demand.weight])
    row_lower = np.full(n_groups + 1, -highspy.kHighsInf)
    row_upper = np.concatenate([np.zeros(n_groups), [float(k)]])
    integrality = [highspy.HighsVarType.kInteger] * n_sites + [highspy.HighsVarType.kContinuous] * n_groups
    # HiGHS starts from the plain greedy answer: on the benchmark instances a start already polished by local
    # search made HiGHS's own heuristics find less (20,000 enterprises, k = 100: 15,505 covered vs 15,597).
    # Local search polishes both answers afterwards, and the best of all is returned.
    start_values = np.zeros(n_sites + n_groups)
    start_values[greedy] = 1.0
    start_values[n_sites:] = (covers[:, greedy].sum(axis=1).A1 > 0).astype(float)

    outcome = _solve(
        a_matrix,
        costs,
        np.zeros(n_sites + n_groups),
        np.ones(n_sites + n_groups),
        row_lower,
        row_upper,
        integrality,
        highspy.ObjSense.kMaximize,
        start_values,
        time_limit_s,
        mip_gap,
    )
    budget = min(LOCAL_SEARCH_MAX_S, LOCAL_SEARCH_SHARE * time_limit_s)
    answers = [greedy, improve_by_swaps(demand, greedy, budget)]
    if outcome is not None:
        solver_answer = [int(s) for s in np.flatnonzero(outcome[0][:n_sites] > 0.5)]
        answers += [solver_answer, improve_by_swaps(demand, solver_answer, budget)]
    chosen = max(answers, key=lambda answer: covered_weight(demand, answer))
    value = covered_weight(demand, chosen)
    if outcome is None:
        return _greedy_result(chosen, value, demand.coverable_weight, started, common)
    _, bound, status = outcome
    if status != "optimal" and _gap(bound, value) > LP_BOUND_WHEN_GAP_ABOVE:
        # On hard instances HiGHS's dual simplex may not finish the root LP in time, leaving only a trivial bound;
        # the interior-point solver gets the LP bound much faster (200,000 enterprises, k = 100: 27 s).
        bound = min(bound, lp_bound(a_matrix, costs, row_upper, time_limit_s))
    bound = max(bound, value)
    return SitingResult(
        chosen=tuple(sorted(chosen)),
        objective=value,
        bound=bound,
        gap=_gap(bound, value),
        status=status,
        seconds=time.perf_counter() - started,
        **common,
    )


def lscp(
    demand: Demand,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    mip_gap: float = DEFAULT_MIP_GAP,
    use_solver: bool = True,
) -> SitingResult:
    """The fewest sites covering every group that some site can cover (uncoverable points are reported in
    `total_weight - coverable_weight`, never silently dropped).

    min Σ x_s  s.t.  Σ_{s covers g} x_s ≥ 1 for every group g,  x binary.
    """
    started = time.perf_counter()
    greedy = greedy_lscp(demand)
    common = {
        "problem": "lscp",
        "greedy_objective": float(len(greedy)),
        "demand_groups": demand.groups,
        "coverable_weight": demand.coverable_weight,
        "total_weight": demand.total_weight,
    }
    if demand.groups == 0:
        return SitingResult(
            chosen=(), objective=0.0, bound=0.0, gap=0.0, status="empty", seconds=0.0, **common
        )
    if not use_solver:
        return _greedy_result(greedy, float(len(greedy)), 1.0, started, common)
    n_sites = demand.sites
    start_values = np.zeros(n_sites)
    start_values[greedy] = 1.0
    outcome = _solve(
        demand.matrix.tocsc(),
        np.ones(n_sites),
        np.zeros(n_sites),
        np.ones(n_sites),
        np.ones(demand.groups),
        np.full(demand.groups, highspy.kHighsInf),
        [highspy.HighsVarType.kInteger] * n_sites,
        highspy.ObjSense.kMinimize,
        start_values,
        time_limit_s,
        mip_gap,
    )
    if outcome is None:
        return _greedy_result(greedy, float(len(greedy)), 1.0, started, common)
    values, bound, status = outcome
    chosen = [int(s) for s in np.flatnonzero(values > 0.5)]
    if len(chosen) > len(greedy) or covered_weight(demand, chosen) < demand.coverable_weight - _EPS:
        return _greedy_result(greedy, float(len(greedy)), bound, started, common)
    # Site counts are integers, so any bound can be rounded up.
    bound = float(min(np.ceil(bound - 1e-6), len(chosen)))
    return SitingResult(
        chosen=tuple(chosen),
        objective=float(len(chosen)),
        bound=bound,
        gap=_gap(bound, len(chosen)),
        status=status,
        seconds=time.perf_counter() - started,
        **common,
    )


def _solve(
    a_matrix: sparse.csc_matrix,
    costs: NDArray[np.float64],
    col_lower: NDArray[np.float64],
    col_upper: NDArray[np.float64],
    row_lower: NDArray[np.float64],
    row_upper: NDArray[np.float64],
    integrality: list,
    sense: highspy.ObjSense,
    start_values: NDArray[np.float64],
    time_limit_s: float,
    mip_gap: float,
) -> tuple[NDArray[np.float64], float, str] | None:
    """Run HiGHS; return (column values, proven bound, status) or None when it found no solution."""
    lp = _highs_lp(a_matrix, costs, col_lower, col_upper, row_lower, row_upper, sense)
    lp.integrality_ = integrality

    solver = _new_solver()
    solver.silent()
    solver.setOptionValue("time_limit", float(time_limit_s))
    solver.setOptionValue("mip_rel_gap", float(mip_gap))
    # One thread: the machines this runs on are shared, and HiGHS's MIP search is mostly serial anyway.
    solver.setOptionValue("threads", 1)
    # HiGHS's presolve spends most of the time on these models (12.7 of 15 s on 20,000 enterprises, issue 6
    # benchmark) for a 1 % reduction, and the search without it closes the gap faster on the hard instances.
    solver.setOptionValue("presolve", "off")
    try:
        solver.passModel(lp)
        start = highspy.HighsSolution()
        start.col_value = list(start_values)
        start.value_valid = True
        solver.setSolution(start)
        solver.run()
    except Exception:  # any solver failure falls back to the greedy answer
        return None
    model_status = solver.getModelStatus()
    info = solver.getInfo()
    if info.primal_solution_status != 2:  # 2 = kSolutionStatusFeasible
        return None
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
    elif model_status == highspy.HighsModelStatus.kTimeLimit:
        status = "time_limit"
    else:
        status = solver.modelStatusToString(model_status).lower().replace(" ", "_")
    values = np.asarray(solver.getSolution().col_value, dtype=np.float64)
    return values, float(info.mip_dual_bound), status


def lp_bound(
    a_matrix: sparse.csc_matrix,
    costs: NDArray[np.float64],
    row_upper: NDArray[np.float64],
    time_limit_s: float,
) -> float:
    """Upper bound on the MCLP optimum from its LP relaxation, solved by HiGHS's interior-point method without
    crossover; +inf when it does not finish. The relative slack covers IPX's optimality tolerance."""
    n_rows, n_cols = a_matrix.shape
    lp = _highs_lp(
        a_matrix,
        costs,
        np.zeros(n_cols),
        np.ones(n_cols),
        np.full(n_rows, -highspy.kHighsInf),
        row_upper,
        highspy.ObjSense.kMaximize,
    )
    solver = _new_solver()
    solver.silent()
    solver.setOptionValue("solver", "ipx")
    solver.setOptionValue("run_crossover", "off")
    solver.setOptionValue("threads", 1)
    solver.setOptionValue("time_limit", float(time_limit_s))
    try:
        solver.passModel(lp)
        solver.run()
    except Exception:  # no bound is better than a wrong one
        return float("inf")
    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return float("inf")
    return float(solver.getInfo().objective_function_value) * (1 + 1e-6)


def _highs_lp(
    a_matrix: sparse.csc_matrix,
    costs: NDArray[np.float64],
    col_lower: NDArray[np.float64],
    col_upper: NDArray[np.float64],
    row_lower: NDArray[np.float64],
    row_upper: NDArray[np.float64],
    sense: highspy.ObjSense,
) -> highspy.HighsLp:
    """A HiGHS model with the constraint matrix column-wise, as HiGHS takes it."""
    a_matrix = sparse.csc_matrix(a_matrix)
    a_matrix.sort_indices()
    lp = highspy.HighsLp()
    lp.num_col_ = a_matrix.shape[1]
    lp.num_row_ = a_matrix.shape[0]
    lp.col_cost_ = costs
    lp.col_lower_ = col_lower
    lp.col_upper_ = col_upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.sense_ = sense
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a_matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a_matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = a_matrix.data.astype(np.float64)
    return lp


_banner_shown = False


def _new_solver() -> highspy.Highs:
    """A HiGHS instance. HiGHS prints a banner on stdout when a process makes its first one, which would
    corrupt CSV or GeoJSON that the CLI writes to stdout; so the first one is made with stdout muted."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
        _banner_shown = True


def _gap(bound: float, value: float) -> float:
    if abs(value) < _EPS:
        return 0.0 if abs(bound) < _EPS else float("inf")
    return abs(bound - value) / abs(value)


def _greedy_result(
    chosen: list[int], value: float, bound: float, started: float, common: dict
) -> SitingResult:
    return SitingResult(
        chosen=tuple(sorted(chosen)),
        objective=value,
        bound=bound,
        gap=_gap(bound, value),
        status="greedy",
        seconds=time.perf_counter() - started,
        **common,
    )
