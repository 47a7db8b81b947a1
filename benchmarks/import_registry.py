"""Synthesize and import enterprise-years with full validation; print time and peak memory per step.

    .venv/bin/python benchmarks/import_registry.py [--enterprises 200000] [--years 2021-2025]

Default: 200,000 enterprises x 5 years = about 1,000,000 enterprise-years. Target (issue 2): 1M enterprise-years
imported with validation in under 30 s, peak memory under 2 GiB. Each step runs in its own process, so its peak
memory is its own. There is no peer system for this step; the ratio column compares with the target.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import measure

TARGET_SECONDS = 30.0


def synth_step(n: int, first: int, last: int, out: str, fmt: str) -> int:
    from smeladder.registry import files
    from smeladder.registry.synth import synthesize

    tables = synthesize(n, range(first, last + 1), seed=1)
    files.write_tables(tables, Path(out), fmt)
    return tables["enterprise_year"].num_rows


def import_step(home: str, paths: list[str]) -> int:
    from smeladder.registry.store import RegistryStore

    outcome = RegistryStore(home).import_files([Path(p) for p in paths])
    return sum(f.rows_read for f in outcome.files)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--years", default="2021-2025")
    args = parser.parse_args()
    first, last = map(int, args.years.split("-"))
    work = Path(tempfile.mkdtemp(prefix="smeladder-bench-"))
    rows = []
    try:
        for fmt in ("parquet", "csv"):
            out = work / fmt
            seconds, peak, years = measure(synth_step, args.enterprises, first, last, str(out), fmt)
            rows.append((f"synthesize + write {fmt}", f"{years:,} enterprise-years", seconds, peak, None))
            paths = sorted(str(p) for p in out.iterdir())
            home = str(work / f"home-{fmt}")
            seconds, peak, read = measure(import_step, home, paths)
            rows.append(
                (
                    f"import {fmt} (validated, new store)",
                    f"{read:,} rows",
                    seconds,
                    peak,
                    seconds / TARGET_SECONDS,
                )
            )
            seconds, peak, read = measure(import_step, home, paths)
            rows.append(
                (
                    f"re-import {fmt} (nothing changes)",
                    f"{read:,} rows",
                    seconds,
                    peak,
                    seconds / TARGET_SECONDS,
                )
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"| step | size | time (s) | peak memory (MiB) | time / {TARGET_SECONDS:.0f} s target |")
    print("|---|---|---:|---:|---:|")
    for step, size, seconds, peak, ratio in rows:
        print(
            f"| {step} | {size} | {seconds:.1f} | {peak:,.0f} | {'' if ratio is None else f'{ratio:.2f}'} |"
        )


if __name__ == "__main__":
    main()
