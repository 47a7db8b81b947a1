"""Service network benchmarks (issue 6): nearest station and the 3-km circle at city scale, and station siting
(MCLP) with HiGHS side by side with PySAL spopt.

    .venv/bin/python benchmarks/network.py [--part nearest|mclp|spopt|all] [--spopt-python PATH]

(a) `nearest`: 1,000,000 synthetic enterprises and 500 stations; exact great-circle distance to the nearest
    station and the 3-km coverage flag, with 3-D unit vectors in scipy's cKDTree (chord radius). Checked against
    brute-force haversine on 20,000 points, and timed against scikit-learn's haversine BallTree. Goal: < 2 s.
(b) `mclp`: choose 500 of 2,000 candidate sites over 2,000, 20,000 and 200,000 enterprises (weight 1 each), and
    the harder k = 100 on the same instances; smeladder aggregates identical coverage sets and solves with HiGHS
    (time limit 60 s), once stopping at a proven 0.5 % gap and once at 0.01 %. Goal: proven gap < 0.5 % within
    60 s at 200,000.
(c) `spopt`: PySAL spopt's MCLP (`MCLP.from_cost_matrix`, PuLP + CBC) on the same instances. spopt is not a
    dependency of smeladder: install it in a separate virtualenv and point `--spopt-python` at it, e.g.

        python3.11 -m venv /tmp/spoptvenv && /tmp/spoptvenv/bin/pip install spopt   # spopt 0.7.0, PuLP 3.3.2

    This script then runs itself under that interpreter (`--spopt-worker`), which imports only numpy and spopt.
    CBC gets a time limit; PuLP reports a time-limited CBC incumbent as "Optimal", so the real outcome is read
    from CBC's own log ("Result - Optimal solution found" vs "Stopped on time") and from PuLP's `sol_status`.
    spopt needs the dense client x facility cost matrix; at 200,000 x 2,000 that alone is 3.2 GB (6.4 GB with
    its copies), and building its PuLP model grows with the same matrix, so the 200,000 case is not run for it.

Every measurement runs in its own process (`_measure.measure`), so peak memory (max RSS) is its own.
Instances: enterprises from `smeladder.network.points` (Shanghai-shaped, clustered; seed 1); candidate sites
uniform on Shanghai's land, districts in proportion to area (seed 2).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CANDIDATES = 2_000
RADIUS_M = 3_000.0
SOLVER_TIME_LIMIT_S = 60.0
SPOPT_TIME_LIMIT_S = 300.0
SPOPT_SIZES = (2_000, 20_000)
MCLP_SIZES = (2_000, 20_000, 200_000)
# Stop at a proven 0.5 % (the goal) and, separately, at HiGHS's default 0.01 %.
MIP_GAPS = (0.005, 1e-4)
KS = (500, 100)


# --- instances (smeladder side) --------------------------------------------------------------------------------


def enterprises(n: int):
    from smeladder.network import points

    lat, lon, _ = points.enterprise_points(n, seed=1)
    return lat, lon


def candidate_sites(n: int = CANDIDATES):
    import numpy as np

    from smeladder.network import districts
    from smeladder.registry import districts as reference

    rng = np.random.default_rng(2)
    all_districts = reference.load_districts()
    areas = np.array([d.area_km2 for d in all_districts], dtype=float)
    counts = rng.multinomial(n, areas / areas.sum())
    found = [
        districts.random_points_in(d.adcode, int(c), rng) for d, c in zip(all_districts, counts, strict=True)
    ]
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


# --- (a) nearest station ---------------------------------------------------------------------------------------


def nearest_instance(n: int):
    """n enterprises and 500 stations placed near the first 50,000 of them."""
    from smeladder.network import stations

    lat, lon = enterprises(n)
    station_rows = stations.synthesize_stations(lat[:50_000], lon[:50_000], 500, seed=1)
    return lat, lon, station_rows["latitude"].to_numpy(), station_rows["longitude"].to_numpy()


def nearest_step(n: int) -> dict:
    import numpy as np

    from smeladder.network import coverage, geo

    lat, lon, slat, slon = nearest_instance(n)
    start = time.perf_counter()
    found = coverage.nearest_station(lat, lon, slat, slon)
    covered = found.covered(RADIUS_M)
    seconds = time.perf_counter() - start
    # Exactness: brute-force haversine over every station for a sample.
    sample = np.random.default_rng(3).choice(n, 20_000, replace=False)
    brute = geo.haversine_m(lat[sample, None], lon[sample, None], slat[None, :], slon[None, :])
    max_error_m = float(np.abs(brute.min(axis=1) - found.distance_m[sample]).max())
    same_station = float((brute.argmin(axis=1) == found.index[sample]).mean())
    return {
        "enterprises": n,
        "stations": len(slat),
        "seconds": seconds,
        "covered_share": float(covered.mean()),
        "max_error_m_vs_haversine": max_error_m,
        "same_nearest_share": same_station,
    }


def balltree_step(n: int) -> dict:
    import numpy as np
    from sklearn.neighbors import BallTree

    from smeladder.network import geo

    lat, lon, slat, slon = nearest_instance(n)
    start = time.perf_counter()
    tree = BallTree(np.radians(np.column_stack([slat, slon])), metric="haversine")
    distance, _ = tree.query(np.radians(np.column_stack([lat, lon])), k=1)
    covered = distance[:, 0] * geo.EARTH_RADIUS_M <= RADIUS_M
    return {"enterprises": n, "seconds": time.perf_counter() - start, "covered_share": float(covered.mean())}


# --- (b) MCLP with HiGHS ---------------------------------------------------------------------------------------


def mclp_step(n: int, k: int, mip_gap: float) -> dict:
    from smeladder.network import demand, siting

    lat, lon = enterprises(n)
    site_lat, site_lon = candidate_sites()
    start = time.perf_counter()
    need = demand.build_demand(lat, lon, site_lat, site_lon, radius_m=RADIUS_M)
    built = time.perf_counter() - start
    result = siting.mclp(need, k, time_limit_s=SOLVER_TIME_LIMIT_S, mip_gap=mip_gap)
    return {
        "enterprises": n,
        "k": k,
        "mip_gap_target": mip_gap,
        "demand_groups": need.groups,
        "nonzeros": int(need.matrix.nnz),
        "build_seconds": built,
        "solve_seconds": result.seconds,
        "seconds": time.perf_counter() - start,
        "status": result.status,
        "gap": result.gap,
        "covered": result.objective,
        "covered_share": result.covered_share,
        "coverable_share": need.coverable_weight / need.total_weight,
        "greedy_share": result.greedy_objective / need.total_weight,
        "sites_opened": len(result.chosen),
    }


# --- (c) spopt, in its own interpreter ----------------------------------------------------------------------


def write_instance(n: int, path: Path) -> None:
    import numpy as np

    from smeladder.network import geo

    lat, lon = enterprises(n)
    site_lat, site_lon = candidate_sites()
    cost = geo.haversine_m(lat[:, None], lon[:, None], site_lat[None, :], site_lon[None, :]).astype(
        np.float64
    )
    np.savez(path, cost=cost)


def spopt_worker(instance: str, k: int, time_limit: float, out: str) -> None:
    """Runs under the spopt virtualenv: numpy, spopt and PuLP only."""
    import numpy as np
    import pulp
    from spopt.locate import MCLP

    cost = np.load(instance)["cost"]
    n_clients = cost.shape[0]
    log = Path(out).with_suffix(".cbc.log")
    start = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, np.ones(n_clients), service_radius=RADIUS_M, p_facilities=k)
    built = time.perf_counter() - start
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, logPath=str(log))
    model.solve(solver, results=False)
    solved = time.perf_counter() - start - built
    chosen = [j for j, var in enumerate(model.fac_vars) if (var.value() or 0) > 0.5]
    covered = int(((cost[:, chosen] <= RADIUS_M).any(axis=1)).sum()) if chosen else 0
    text = log.read_text(errors="replace") if log.exists() else ""
    if "Stopped on time" in text:
        real = "time_limit"
    elif "Optimal solution found" in text:
        real = "optimal"
    else:
        real = "unknown"
    gap_line = next((line for line in text.splitlines() if line.startswith("Gap:")), "")
    result = {
        "enterprises": n_clients,
        "k": k,
        "build_seconds": built,
        "solve_seconds": solved,
        "seconds": built + solved,
        "pulp_status": pulp.LpStatus[model.problem.status],
        "pulp_sol_status": pulp.LpSolution.get(model.problem.sol_status, str(model.problem.sol_status)),
        "cbc_result": real,
        "cbc_gap_line": gap_line.strip(),
        "covered": covered,
        "covered_share": covered / n_clients,
        "sites_opened": len(chosen),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    Path(out).write_text(json.dumps(result))


def run_spopt(python: str, n: int, k: int, work: Path) -> dict:
    instance = work / f"instance-{n}.npz"
    if not instance.exists():
        write_instance(n, instance)
    out = work / f"spopt-{n}-{k}.json"
    budget = SPOPT_TIME_LIMIT_S + 3_600  # model building is not covered by CBC's limit
    started = time.perf_counter()
    try:
        subprocess.run(
            [python, __file__, "--spopt-worker", str(instance), str(k), str(SPOPT_TIME_LIMIT_S), str(out)],
            check=True,
            timeout=budget,
        )
    except subprocess.TimeoutExpired:
        return {"enterprises": n, "k": k, "cbc_result": f"killed after {budget:.0f} s", "seconds": budget}
    result = json.loads(out.read_text())
    result["wall_seconds"] = time.perf_counter() - started
    return result


# --- driver --------------------------------------------------------------------------------------------------


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--spopt-worker":
        spopt_worker(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=("nearest", "mclp", "spopt", "all"), default="all")
    parser.add_argument("--spopt-python", default="/tmp/spoptvenv/bin/python")
    parser.add_argument("--enterprises", type=int, default=1_000_000, help="for --part nearest")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from _measure import measure

    def report(name: str, fn, *fn_args) -> None:
        seconds, peak, result = measure(fn, *fn_args)
        print(
            json.dumps(
                {"step": name, "process_seconds": round(seconds, 2), "peak_mib": round(peak), **result}
            )
        )
        sys.stdout.flush()

    if args.part in ("nearest", "all"):
        report("nearest_kdtree", nearest_step, args.enterprises)
        report("nearest_balltree_haversine", balltree_step, args.enterprises)
    if args.part in ("mclp", "all"):
        for n in MCLP_SIZES:
            for k in KS:
                for mip_gap in MIP_GAPS:
                    report("mclp_highs", mclp_step, n, k, mip_gap)
    if args.part in ("spopt", "all"):
        if not Path(args.spopt_python).exists():
            print(json.dumps({"step": "mclp_spopt", "skipped": f"no interpreter at {args.spopt_python}"}))
            return
        with tempfile.TemporaryDirectory(prefix="smeladder-spopt-") as tmp:
            for n in SPOPT_SIZES:
                for k in KS:
                    print(json.dumps({"step": "mclp_spopt", **run_spopt(args.spopt_python, n, k, Path(tmp))}))
                    sys.stdout.flush()


if __name__ == "__main__":
    main()
