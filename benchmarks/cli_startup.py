"""How long the `smeladder` command takes to start: `--help`, `--version` and a command's `--help`, each run
in a fresh process several times (median and slowest wall time, and the CPU time the process itself used,
which a busy machine does not inflate). tests/cli/test_startup.py checks that none of them imports a heavy
library (they load when a command needs them).

    .venv/bin/python benchmarks/cli_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMAND = Path(sys.executable).with_name("smeladder")
CASES = (["--help"], ["--version"], ["evaluate", "--help"], ["round", "run", "--help"])
TARGET_SECONDS = 1.0


def timed(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(COMMAND), *args], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    load = os.getloadavg()[0]
    print(f"{runs} runs each, load average {load:.1f}\n")
    print("| command | median (s) | slowest (s) | CPU, median (s) | median / 1 s target |")
    print("|---|---:|---:|---:|---:|")
    for args in CASES:
        timed(args)  # warm the file cache
        samples = [timed(args) for _ in range(runs)]
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        slowest = max(s[0] for s in samples)
        name = " ".join(["smeladder", *args])
        print(f"| `{name}` | {wall:.2f} | {slowest:.2f} | {cpu:.2f} | {wall / TARGET_SECONDS:.2f} |")


if __name__ == "__main__":
    main()
