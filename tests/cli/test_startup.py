"""`smeladder --help` starts without the heavy libraries: they load when a command needs them, so the CLI
starts in well under a second (benchmarks/cli_startup.py measures it; docs/benchmarks.md has the figures)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "duckdb",
    "ibis",
    "pyspark",
    "pandas",
    "polars",
    "pyarrow",
    "numpy",
    "sqlalchemy",
    "shapely",
    "highspy",
)
# Runs the CLI in a fresh interpreter and prints, after the help text, the top-level modules it imported.
PROBE = """
import sys
from smeladder.cli import main
sys.argv = ["smeladder", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("imported:" + ",".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["evaluate", "--help"]], ids=" ".join)
def test_help_imports_no_heavy_library(args):
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    line = done.stdout.strip().splitlines()[-1]
    imported = set(line.removeprefix("imported:").split(","))
    assert "smeladder" in imported and "typer" in imported  # the probe really ran the CLI
    assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))
