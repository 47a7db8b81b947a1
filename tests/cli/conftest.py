"""The demo's data directory, built once per test run (`smeladder demo` with its defaults, as `make demo`
builds it) and shared by the xdist workers; each test that changes data works on its own copy."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smeladder.cli import app


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory) -> Path:
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of one run
    home, built = shared / "demo-home", shared / "demo-home.built"
    with (shared / "demo-home.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            result = CliRunner().invoke(app, ["demo", "--data-dir", str(home)])
            assert result.exit_code == 0, result.output
            built.touch()
    return home


@pytest.fixture
def demo_copy(demo_home, tmp_path) -> Path:
    """A private copy of the demo's data directory."""
    copy = tmp_path / "smeladder-data"
    shutil.copytree(demo_home, copy)
    return copy
