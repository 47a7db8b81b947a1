"""The README's "Using it" block runs as written on the demo data (like Datasette's `cog --check`): every
line, in order, in a shell, from a folder holding the demo's data directory (`./smeladder-data`, the default)
and the `.venv` the tests run in. One substitution: the first line synthesizes 400,000 enterprises, which
takes minutes; the test synthesizes SMALL_REGISTRY instead."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
FULL_SCALE = "--enterprises 400000"
SMALL_REGISTRY = "--enterprises 300"


def using_it_block() -> str:
    section = README.read_text(encoding="utf-8").split("## Using it", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)


def test_the_block_names_valid_credit_codes():
    codes = re.findall(r"\b9[0-9A-Z]{17}\b", using_it_block())
    assert codes, "the block explains no enterprise"
    from stdnum.cn import uscc

    assert all(uscc.is_valid(code) for code in codes), codes


@pytest.mark.slow
def test_using_it_runs_as_written_on_the_demo_data(demo_home, tmp_path):
    block = using_it_block()
    assert block.count(FULL_SCALE) == 1, "the substituted line changed: update FULL_SCALE"
    shutil.copytree(demo_home, tmp_path / "smeladder-data")
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    env = {k: v for k, v in os.environ.items() if k not in ("SMELADDER_HOME", "SMELADDER_DB_URL")}
    done = subprocess.run(
        ["bash", "-e", "-x", "-c", block.replace(FULL_SCALE, SMALL_REGISTRY)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    # -x echoes each line before it runs, so the last echoed line is the one that failed.
    assert done.returncode == 0, f"exit {done.returncode}; stderr ends:\n{done.stderr[-3000:]}"
    assert (tmp_path / "results.parquet").is_file()
    assert any((tmp_path / "payments").iterdir())
