"""The whole Shanghai pack (every tier of both rule sets, champion, gazelles, unicorns, exclusions, every money
measure with stacking and the district layer: all the pack's computed variables) over a synthetic registry with
5 fiscal years; print time and peak memory per step.

    .venv/bin/python benchmarks/shanghai_pack.py [--enterprises 1000000] [--as-of 2026-05-01]

Steps, each in its own process (its peak memory is its own): synthesize and write Parquet (not the pack's cost,
shown for scale); evaluate every computed variable of the pack, streamed to a results Parquet file (DuckDB reading
the registry's Parquet files in place); the ladder funnel and the cost per measure (two aggregate queries);
the officer's letter (`smeladder explain CODE`: readiness and the rendered letter) for random enterprises, on the
embedded store as the CLI reads it (the store is loaded first, not timed as part of a letter).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import measure

YEARS = range(2021, 2026)


def synth_step(n: int, out: str) -> dict[str, int]:
    from smeladder.registry import files
    from smeladder.registry.synth import synthesize

    tables = synthesize(n, YEARS, seed=2025)
    files.write_tables(tables, Path(out), "parquet")
    return {name: table.num_rows for name, table in tables.items()}


def evaluate_step(registry: str, as_of: str, results: str) -> tuple[int, int]:
    from smeladder.rules.backends import parquet_source
    from smeladder.rules.evaluate import evaluate_to_parquet
    from smeladder.rules.locate import find_pack

    pack = find_pack("shanghai")
    source = parquet_source(registry, pack.tables)
    manifest = evaluate_to_parquet(pack, source, dt.date.fromisoformat(as_of), results, with_snapshot=False)
    return manifest["rows"], len(pack.outputs)


def funnel_step(registry: str, as_of: str) -> tuple[int, str]:
    from smeladder.ladder.funnel import ladder_funnel, measure_costs
    from smeladder.rules.backends import parquet_source
    from smeladder.rules.locate import find_pack

    pack = find_pack("shanghai")
    source = parquet_source(registry, pack.tables)
    day = dt.date.fromisoformat(as_of)
    funnel = ladder_funnel(pack, source, day)
    costs = measure_costs(pack, source, day)
    return len(funnel), str(costs[-1]["cost"])


def letter_step(registry: str, store: str, as_of: str, samples: int) -> dict[str, float]:
    import random
    import time

    import pyarrow.parquet as pq

    from smeladder.ladder.letter import letter_document
    from smeladder.ladder.readiness import readiness
    from smeladder.registry import schema
    from smeladder.registry.store import RegistryStore
    from smeladder.rules.backends import open_source
    from smeladder.rules.letter_render import render
    from smeladder.rules.locate import find_pack

    tables = {name: pq.read_table(Path(registry) / f"{name}.parquet") for name in schema.TABLES}
    codes = tables["enterprise"]["credit_code"].to_pylist()
    RegistryStore(store).load_tables(tables)
    del tables
    pack = find_pack("shanghai")
    source = open_source("duckdb", table_names=pack.tables, data_dir=store)
    day = dt.date.fromisoformat(as_of)
    chosen = random.Random(7).sample(codes, samples + 1)
    render(letter_document(readiness(pack, source, chosen[0], day), pack, "zh"))  # warm-up: plan, connection
    timings = []
    for code in chosen[1:]:
        start = time.perf_counter()
        render(letter_document(readiness(pack, source, code, day), pack, "zh"))
        timings.append(time.perf_counter() - start)
    timings.sort()
    return {
        "p50": timings[len(timings) // 2],
        "p95": timings[int(len(timings) * 0.95)],
        "max": timings[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--as-of", default="2026-05-01")
    parser.add_argument("--letters", type=int, default=200, help="Letters to time (0: skip the step).")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="smeladder-shanghai-"))
    try:
        registry = work / "registry"
        seconds, peak, counts = measure(synth_step, args.enterprises, str(registry))
        print(f"| synthesize + write Parquet (setup) | {counts} | {seconds:.1f} s | {peak:,.0f} MiB |")
        seconds, peak, (rows, variables) = measure(
            evaluate_step, str(registry), args.as_of, str(work / "r.parquet")
        )
        print(
            f"| evaluate the whole pack ({variables} variables) | {rows:,} enterprises | {seconds:.1f} s | {peak:,.0f} MiB |"
        )
        seconds, peak, (rungs, total) = measure(funnel_step, str(registry), args.as_of)
        print(
            f"| ladder funnel + cost per measure | {rungs} rows; total {total} yuan | {seconds:.1f} s | {peak:,.0f} MiB |"
        )
        if args.letters:
            seconds, peak, latency = measure(
                letter_step, str(registry), str(work / "store"), args.as_of, args.letters
            )
            print(
                f"| officer's letter, {args.letters} random enterprises (store load included in time) | "
                f"p50 {latency['p50'] * 1000:.0f} ms, p95 {latency['p95'] * 1000:.0f} ms, "
                f"max {latency['max'] * 1000:.0f} ms | {seconds:.1f} s | {peak:,.0f} MiB |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
