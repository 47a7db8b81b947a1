"""Rules engine benchmark: smeladder against openfisca-core on the same small policy, end to end.

The policy (identical on both sides): a revenue growth test over two years, an eligibility with two thresholds
(revenue >= 10 M / 12 M from 2025, R&D >= 3% of revenue), a subsidy min(R&D x rate, cap) with a dated rate and
cap, and a 6-indicator points table (bands). Both sides read the same Parquet files (enterprise, enterprise_year),
compute as of 2026-01-01 (prior year 2025, the year before 2024), and write a results Parquet file. Each run is a
fresh process; time is wall clock from the start of reading to the closed results file; memory is the
process's peak resident set size (ru_maxrss).

openfisca-core is NOT a project dependency. Install it in its own virtualenv and point the benchmark at it:

    python3.11 -m venv /tmp/ofvenv && /tmp/ofvenv/bin/pip install openfisca-core pyarrow
    .venv/bin/python benchmarks/engine.py --sizes 100000,1000000 --big 20000000 --explain 1000000 \
        --openfisca-python /tmp/ofvenv/bin/python

This file runs under both interpreters: the OpenFisca side (`_run openfisca ...`) imports only numpy, pyarrow and
openfisca_core. Without --openfisca-python only smeladder runs. Data are cached in --work (default
/tmp/smeladder-bench). Figures: docs/benchmarks.md, section "Rules engine".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

AS_OF = "2026-01-01"
YEARS = (2024, 2025)
OUTPUTS = ("growth_ok", "eligible", "points", "subsidy")

# --- the policy, for smeladder -------------------------------------------------------------------------------

PACK_FILES = {
    "pack.yaml": """
        name: bench
        label: Benchmark policy
        entity: {table: enterprise, key: credit_code}
        district: district_adcode
        tables:
          enterprise_year: {period_column: fiscal_year}
    """,
    "parameters/growth/min.yaml": """
        description: Minimum revenue growth
        unit: ratio
        values: {2023-01-01: 0.10}
    """,
    "parameters/eligibility/min_revenue.yaml": """
        description: Minimum prior-year revenue
        unit: yuan
        values: {2023-01-01: 10000000, 2025-01-01: 12000000}
    """,
    "parameters/eligibility/min_rd_share.yaml": """
        description: Minimum R&D share of revenue
        unit: ratio
        values: {2023-01-01: 0.03}
    """,
    "parameters/subsidy/rate.yaml": """
        description: Subsidy rate on prior-year R&D
        unit: ratio
        values: {2023-01-01: 0.10, 2025-07-01: 0.12}
    """,
    "parameters/subsidy/cap.yaml": """
        description: Subsidy cap
        unit: yuan
        values: {2023-01-01: 500000, 2025-07-01: 600000}
    """,
    "parameters/points/rd_share.yaml": """
        description: R&D share of revenue
        unit: points
        bands: {2023-01-01: {below: 0, from: [{at: 0.01, value: 5}, {at: 0.02, value: 10}, {at: 0.03, value: 15}, {at: 0.05, value: 20}]}}
    """,
    "parameters/points/growth.yaml": """
        description: Revenue growth
        unit: points
        bands: {2023-01-01: {below: 0, from: [{at: 0, value: 5}, {at: 0.05, value: 10}, {at: 0.10, value: 15}, {at: 0.15, value: 20}]}}
    """,
    "parameters/points/debt.yaml": """
        description: Debt-to-asset ratio
        unit: points
        bands: {2023-01-01: {below: 10, from: [{at: 0.55, value: 5}, {at: 0.75, value: 0}]}}
    """,
    "parameters/points/employees.yaml": """
        description: Employees
        unit: points
        bands: {2023-01-01: {below: 0, from: [{at: 10, value: 5}, {at: 50, value: 10}]}}
    """,
    "parameters/points/ip.yaml": """
        description: Class I IP
        unit: points
        bands: {2023-01-01: {below: 0, from: [{at: 1, value: 10}, {at: 3, value: 20}]}}
    """,
    "parameters/points/main_share.yaml": """
        description: Main business share of revenue
        unit: points
        bands: {2023-01-01: {below: 0, from: [{at: 0.5, value: 5}, {at: 0.6, value: 10}, {at: 0.7, value: 20}]}}
    """,
    "variables/policy.py": """
        import ibis

        from smeladder.rules import BOOL, INT, MONEY, Input, all_of, at_least, criterion, param, share_at_least, variable

        revenue = Input("enterprise_year.operating_revenue", type=MONEY, default=0, label="Revenue")
        main_revenue = Input("enterprise_year.main_business_revenue", type=MONEY, default=0, label="Main revenue")
        rd_expense = Input("enterprise_year.rd_expense", type=MONEY, default=0, label="R&D")
        employees = Input("enterprise_year.employees", type=INT, default=0, label="Employees")
        total_assets = Input("enterprise_year.total_assets", type=MONEY, default=0, label="Assets")
        total_liabilities = Input("enterprise_year.total_liabilities", type=MONEY, default=0, label="Liabilities")
        ip_class1 = Input("enterprise_year.ip_class1", type=INT, default=0, label="Class I IP")


        @variable(type=BOOL, period="instant", label="Revenue grew enough")
        def growth_ok(v, period, p):
            year = period.last_year
            previous = v.revenue(year.last_year)
            return (previous > 0) & (v.revenue(year) - previous >= p.growth.min * previous)


        eligible = criterion(
            all_of(
                at_least("revenue", param("eligibility.min_revenue"), at="last_year", label="Revenue"),
                share_at_least("rd_expense", of="revenue", share=param("eligibility.min_rd_share"), at="last_year", label="R&D share"),
            ),
            label="Eligible",
        )


        @variable(type=INT, period="instant", label="Points")
        def points(v, period, p):
            y = period.last_year
            return (
                p.points.rd_share.lookup_share(v.rd_expense(y), v.revenue(y))
                + p.points.growth.lookup_share(v.revenue(y) - v.revenue(y.last_year), v.revenue(y.last_year))
                + p.points.debt.lookup_share(v.total_liabilities(y), v.total_assets(y))
                + p.points.employees.lookup(v.employees(y))
                + p.points.ip.lookup(v.ip_class1(y))
                + p.points.main_share.lookup_share(v.main_revenue(y), v.revenue(y))
            )


        @variable(type=MONEY, period="instant", benefit=True, label="Subsidy")
        def subsidy(v, period, p):
            amount = ibis.least(v.rd_expense(period.last_year) * p.subsidy.rate, p.subsidy.cap)
            return ibis.ifelse(v.eligible(period), amount, 0)
    """,
}

# --- the same policy, for OpenFisca (its own YAML parameters, scales for the points table) ---------------------


def _scale(thresholds_amounts: list[tuple[str, int]]) -> str:
    brackets = "".join(
        f"  - threshold: {{2023-01-01: {{value: {t}}}}}\n    amount: {{2023-01-01: {{value: {a}}}}}\n"
        for t, a in thresholds_amounts
    )
    return f"description: points\nmetadata: {{type: single_amount}}\nbrackets:\n{brackets}"


OPENFISCA_PARAMETERS = {
    "growth/min.yaml": "description: x\nvalues: {2023-01-01: {value: 0.10}}\n",
    "eligibility/min_revenue.yaml": "description: x\nvalues: {2023-01-01: {value: 10000000}, 2025-01-01: {value: 12000000}}\n",
    "eligibility/min_rd_share.yaml": "description: x\nvalues: {2023-01-01: {value: 0.03}}\n",
    "subsidy/rate.yaml": "description: x\nvalues: {2023-01-01: {value: 0.10}, 2025-07-01: {value: 0.12}}\n",
    "subsidy/cap.yaml": "description: x\nvalues: {2023-01-01: {value: 500000}, 2025-07-01: {value: 600000}}\n",
    "points/rd_share.yaml": _scale([("-.inf", 0), (0.01, 5), (0.02, 10), (0.03, 15), (0.05, 20)]),
    "points/growth.yaml": _scale([("-.inf", 0), (0, 5), (0.05, 10), (0.10, 15), (0.15, 20)]),
    "points/debt.yaml": _scale([("-.inf", 10), (0.55, 5), (0.75, 0)]),
    "points/employees.yaml": _scale([("-.inf", 0), (10, 5), (50, 10)]),
    "points/ip.yaml": _scale([("-.inf", 0), (1, 10), (3, 20)]),
    "points/main_share.yaml": _scale([("-.inf", 0), (0.5, 5), (0.6, 10), (0.7, 20)]),
}


def run_openfisca(data: Path, out: Path) -> dict:
    """The OpenFisca side: country-template style variables, numpy formulas, the array input path."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from openfisca_core.entities import build_entity
    from openfisca_core.periods import DateUnit
    from openfisca_core.simulations import SimulationBuilder
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    started = time.perf_counter()
    enterprise_entity = build_entity(
        key="enterprise", plural="enterprises", label="Enterprise", is_person=True
    )

    def input_variable(name: str, kind: type) -> type:
        return type(
            name,
            (Variable,),
            {
                "value_type": kind,
                "entity": enterprise_entity,
                "definition_period": DateUnit.YEAR,
                "label": name,
            },
        )

    money_inputs = ("revenue", "main_revenue", "rd_expense", "total_assets", "total_liabilities")
    inputs = [input_variable(n, float) for n in money_inputs]
    inputs += [input_variable("employees", int), input_variable("ip_class1", int)]

    def ratio(numerator, denominator, empty):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), empty)

    class growth_ok(Variable):  # OpenFisca names classes after variables
        value_type = bool
        entity = enterprise_entity
        definition_period = DateUnit.YEAR
        label = "Revenue grew enough"

        def formula(enterprise, period, parameters):
            current = enterprise("revenue", period.last_year)
            previous = enterprise("revenue", period.last_year.last_year)
            return (previous > 0) * (current - previous >= parameters(period).growth.min * previous)

    class eligible(Variable):
        value_type = bool
        entity = enterprise_entity
        definition_period = DateUnit.YEAR
        label = "Eligible"

        def formula(enterprise, period, parameters):
            p = parameters(period).eligibility
            revenue = enterprise("revenue", period.last_year)
            rd = enterprise("rd_expense", period.last_year)
            return (revenue >= p.min_revenue) * (rd >= p.min_rd_share * revenue)

    class points(Variable):
        value_type = int
        entity = enterprise_entity
        definition_period = DateUnit.YEAR
        label = "Points"

        def formula(enterprise, period, parameters):
            p = parameters(period).points
            y = period.last_year
            revenue, previous = enterprise("revenue", y), enterprise("revenue", y.last_year)
            return (
                p.rd_share.calc(ratio(enterprise("rd_expense", y), revenue, -1))
                + p.growth.calc(ratio(revenue - previous, previous, -1))
                + p.debt.calc(ratio(enterprise("total_liabilities", y), enterprise("total_assets", y), 0))
                + p.employees.calc(enterprise("employees", y))
                + p.ip.calc(enterprise("ip_class1", y))
                + p.main_share.calc(ratio(enterprise("main_revenue", y), revenue, -1))
            )

    class subsidy(Variable):
        value_type = float
        entity = enterprise_entity
        definition_period = DateUnit.YEAR
        label = "Subsidy"

        def formula(enterprise, period, parameters):
            p = parameters(period).subsidy
            amount = np.minimum(enterprise("rd_expense", period.last_year) * p.rate, p.cap)
            return np.where(enterprise("eligible", period), amount, 0)

    with tempfile.TemporaryDirectory() as parameters_dir:
        for name, text in OPENFISCA_PARAMETERS.items():
            path = Path(parameters_dir) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        system = TaxBenefitSystem([enterprise_entity])
        system.load_parameters(parameters_dir)
    for variable_class in (*inputs, growth_ok, eligible, points, subsidy):
        system.add_variable(variable_class)

    enterprises = pq.read_table(data / "enterprise.parquet", columns=["credit_code"])["credit_code"]
    years = pq.read_table(data / "enterprise_year.parquet")
    count = len(enterprises)
    simulation = SimulationBuilder().build_default_simulation(system, count)
    columns = {
        "revenue": "operating_revenue",
        "main_revenue": "main_business_revenue",
        "rd_expense": "rd_expense",
        "total_assets": "total_assets",
        "total_liabilities": "total_liabilities",
        "employees": "employees",
        "ip_class1": "ip_class1",
    }
    for year in YEARS:
        rows = years.filter(pc.equal(years["fiscal_year"], year))
        position = pc.index_in(rows["credit_code"], value_set=enterprises).to_numpy(zero_copy_only=False)
        for variable_name, column in columns.items():
            kind = np.int64 if variable_name in ("employees", "ip_class1") else np.float64
            values = np.zeros(count, dtype=kind)
            values[position] = rows[column].cast(pa.float64()).fill_null(0).to_numpy().astype(kind)
            simulation.set_input(variable_name, str(year), values)
    period = AS_OF[:4]
    results = {name: simulation.calculate(name, period) for name in OUTPUTS}
    table = pa.table(
        {
            "credit_code": enterprises,
            "growth_ok": results["growth_ok"],
            "eligible": results["eligible"],
            "points": results["points"].astype(np.int64),
            "subsidy": results["subsidy"],  # float32: OpenFisca's float type
        }
    )
    pq.write_table(table, out)
    return {"seconds": time.perf_counter() - started, "rows": count}


def run_smeladder(data: Path, out: Path) -> dict:
    import datetime as dt

    from smeladder.rules import load_pack
    from smeladder.rules.backends import parquet_source
    from smeladder.rules.evaluate import evaluate_to_parquet

    started = time.perf_counter()
    pack = load_pack(write_pack(Path(tempfile.mkdtemp(prefix="bench-pack-"))))
    source = parquet_source(data, pack.tables)
    manifest = evaluate_to_parquet(pack, source, dt.date.fromisoformat(AS_OF), out, list(OUTPUTS))
    return {
        "seconds": time.perf_counter() - started,
        "rows": manifest["rows"],
        "snapshot": manifest["snapshot_id"],
    }


def write_pack(directory: Path) -> Path:
    for name, text in PACK_FILES.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return directory


# --- data ------------------------------------------------------------------------------------------------------


def generate(directory: Path, enterprises: int, seed: int = 42) -> Path:
    """enterprise.parquet and enterprise_year.parquet (two years), with exact-threshold cases; cached."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from smeladder.registry.synth import fen_array

    if (directory / "enterprise_year.parquet").exists():
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    codes = pa.array(
        np.char.add("91310115", np.char.zfill(np.arange(enterprises).astype(str), 9)).astype(object) + "X"
    )
    districts = rng.choice(np.array(["310101", "310104", "310115", "310112"]), enterprises)
    pq.write_table(
        pa.table({"credit_code": codes, "district_adcode": districts}), directory / "enterprise.parquet"
    )
    writer = None
    chunk = 2_000_000
    for year_index, year in enumerate(YEARS):
        for start in range(0, enterprises, chunk):
            stop = min(enterprises, start + chunk)
            n = stop - start
            local = np.random.default_rng([seed, year_index, start])
            revenue_fen = np.minimum(local.lognormal(16.5, 1.2, n), 5e10).astype(
                np.int64
            ) * 100 + local.integers(0, 100, n)
            share = local.choice([0.01, 0.02, 0.03, 0.035, 0.05, 0.08], n)
            rd_fen = (revenue_fen * share).astype(np.int64)
            exact = local.random(n) < 0.05  # exactly 3% of revenue when revenue is a multiple of 100 fen
            revenue_fen = np.where(exact, (revenue_fen // 10_000) * 10_000, revenue_fen)
            rd_fen = np.where(exact, revenue_fen * 3 // 100, rd_fen)
            assets_fen = np.minimum(local.lognormal(16.8, 1.0, n), 5e10).astype(np.int64) * 100
            liabilities_fen = (assets_fen * local.uniform(0.1, 0.95, n)).astype(np.int64)
            main_fen = (revenue_fen * local.uniform(0.4, 1.0, n)).astype(np.int64)
            present = local.random(n) > 0.03  # a few enterprises lack a year
            table = pa.table(
                {
                    "credit_code": codes[start:stop],
                    "fiscal_year": pa.array(np.full(n, year), pa.int64()),
                    "operating_revenue": fen_array(revenue_fen),
                    "main_business_revenue": fen_array(main_fen),
                    "rd_expense": fen_array(rd_fen),
                    "employees": pa.array(local.integers(0, 400, n), pa.int64()),
                    "total_assets": fen_array(assets_fen),
                    "total_liabilities": fen_array(liabilities_fen),
                    "ip_class1": pa.array(local.integers(0, 5, n), pa.int64()),
                }
            ).filter(pa.array(present))
            if writer is None:
                writer = pq.ParquetWriter(directory / "enterprise_year.parquet", table.schema)
            writer.write_table(table)
    writer.close()
    return directory


# --- process handling ------------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(python: str, side: str, data: Path, out: Path) -> dict:
    """One run in a fresh process; its JSON line on stdout carries seconds, rows and peak memory."""
    command = [python, str(Path(__file__).resolve()), "_run", side, str(data), str(out)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{side} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def summarise(results: list[dict]) -> dict:
    """Median run (by time) of the repeats, with the fastest and slowest times beside it."""
    ordered = sorted(results, key=lambda r: r["seconds"])
    median = dict(ordered[len(ordered) // 2])
    median["min_seconds"] = ordered[0]["seconds"]
    median["max_seconds"] = ordered[-1]["seconds"]
    median["runs"] = len(results)
    median["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
    return median


def compare(smeladder_out: Path, openfisca_out: Path) -> dict:
    """How far OpenFisca's float results are from the exact ones."""
    from decimal import Decimal

    import pyarrow.parquet as pq

    exact = pq.read_table(smeladder_out, columns=["credit_code", *OUTPUTS]).sort_by("credit_code")
    floaty = pq.read_table(openfisca_out).sort_by("credit_code")
    report = {}
    for name in ("growth_ok", "eligible", "points"):
        report[f"{name}_differs"] = sum(
            1 for a, b in zip(exact[name].to_pylist(), floaty[name].to_pylist(), strict=True) if a != b
        )
    wrong_fen = 0
    for a, b in zip(exact["subsidy"].to_pylist(), floaty["subsidy"].to_pylist(), strict=True):
        if abs(a - Decimal(repr(float(b))).quantize(Decimal("0.01"))) >= Decimal("0.01"):
            wrong_fen += 1
    report["subsidy_off_by_a_fen_or_more"] = wrong_fen
    return report


def explain_latency(work: Path, enterprises: int, samples: int = 200) -> dict:
    """p50 of `explain` (toy pack, every benefit and criterion: the whole pack) on a DuckDB registry of
    `enterprises` enterprises: as `RegistryStore.load_tables` stores it, and the same tables stored in key order
    (DuckDB's zone maps then skip all but one row group per table for a one-key lookup)."""
    import duckdb

    from smeladder.registry.store import RegistryStore
    from smeladder.registry.synth import synthesize

    data_dir = work / f"registry-{enterprises}"
    store = RegistryStore(data_dir)
    if not store.path.exists():
        store.load_tables(synthesize(enterprises, range(2021, 2026), seed=7))
    ordered = work / f"registry-{enterprises}-key-ordered.duckdb"
    if not ordered.exists():
        con = duckdb.connect(str(ordered))
        con.execute("SET enable_progress_bar = false")
        con.execute(f"ATTACH '{store.path}' AS source (READ_ONLY)")
        for table in ("enterprise", "enterprise_year", "title", "exclusion"):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM source.{table} ORDER BY credit_code")
        con.close()
    return {
        "enterprises": enterprises,
        "rows": store.counts(),
        "as_stored": _explain_timings(store.path, samples),
        "key_ordered": _explain_timings(ordered, samples),
    }


def _explain_timings(path: Path, samples: int) -> dict:
    import datetime as dt
    import random
    import statistics

    from smeladder.rules import load_pack
    from smeladder.rules.backends import duckdb_source
    from smeladder.rules.explain import explain

    pack = load_pack(Path(__file__).resolve().parent.parent / "tests" / "rules" / "toy_pack")
    source = duckdb_source(path, pack.tables)
    keys = [
        row[0]
        for row in source.con.con.execute(
            "select credit_code from enterprise using sample 1000 rows"
        ).fetchall()
    ]
    as_of = dt.date(2025, 8, 1)
    first = time.perf_counter()
    explain(pack, source, keys[0], as_of)
    first = time.perf_counter() - first
    timings = []
    for key in random.Random(1).sample(keys, samples):
        started = time.perf_counter()
        explain(pack, source, key, as_of).text("zh")
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {
        "first_ms": first * 1000,
        "p50_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[int(len(timings) * 0.95)] * 1000,
        "samples": samples,
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_run":
        side, data, out = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        result = (run_openfisca if side == "openfisca" else run_smeladder)(data, out)
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000", help="Enterprise counts for the side-by-side runs.")
    parser.add_argument(
        "--big", type=int, default=0, help="Enterprise-years for a smeladder-only run (2 years each)."
    )
    parser.add_argument(
        "--explain", type=int, default=0, help="Enterprises in the registry for explain latency."
    )
    parser.add_argument(
        "--openfisca-python", default=os.environ.get("OPENFISCA_PYTHON"), help="Its interpreter."
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/smeladder-bench"))
    parser.add_argument("--repeat", type=int, default=3, help="Runs per side and size (median reported).")
    args = parser.parse_args()
    report: dict = {"sizes": {}}
    for size in [int(s) for s in args.sizes.split(",") if s]:
        data = generate(args.work / f"data-{size}", size)
        sides = {"smeladder": sys.executable}
        if args.openfisca_python:
            sides["openfisca"] = args.openfisca_python
        runs: dict[str, list[dict]] = {side: [] for side in sides}
        # Interleaved repeats: the machine is shared, so each side sees the same background load on average.
        for _ in range(args.repeat):
            for side, python in sides.items():
                runs[side].append(measure(python, side, data, args.work / f"{side}-{size}.parquet"))
        row: dict = {side: summarise(results) for side, results in runs.items()}
        if args.openfisca_python:
            row["time_ratio_openfisca_over_smeladder"] = (
                row["openfisca"]["seconds"] / row["smeladder"]["seconds"]
            )
            row["differences"] = compare(
                args.work / f"smeladder-{size}.parquet", args.work / f"openfisca-{size}.parquet"
            )
        report["sizes"][size] = row
        print(json.dumps({size: row}, indent=2), flush=True)
    if args.big:
        enterprises = args.big // len(YEARS)
        data = generate(args.work / f"data-{enterprises}", enterprises)
        report["big"] = measure(
            sys.executable, "smeladder", data, args.work / f"smeladder-{enterprises}.parquet"
        )
        report["big"]["enterprise_years"] = args.big
        print(json.dumps({"big": report["big"]}, indent=2), flush=True)
    if args.explain:
        report["explain"] = explain_latency(args.work, args.explain)
        print(json.dumps({"explain": report["explain"]}, indent=2), flush=True)


if __name__ == "__main__":
    main()
