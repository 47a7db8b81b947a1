"""The registry commands end to end, through the real CLI (Typer's in-process runner)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from smeladder.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["synth", "import", "export", "show", "demo"])
def test_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_synth_import_show_export(tmp_path):
    out = tmp_path / "synth"
    result = runner.invoke(
        app,
        ["synth", "-n", "300", "--years", "2024-2025", "--seed", "4", "--format", "csv", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "application.csv",
        "enterprise.csv",
        "enterprise_year.csv",
        "exclusion.csv",
        "title.csv",
    ]
    home = str(tmp_path / "home")
    result = runner.invoke(app, ["import", *map(str, sorted(out.iterdir())), "--data-dir", home])
    assert result.exit_code == 0, result.output
    assert "exclusion" in result.output and "300" in result.output
    result = runner.invoke(app, ["show", "--data-dir", home])
    assert result.exit_code == 0, result.output
    assert "浦东新区" in result.output
    result = runner.invoke(
        app, ["export", "--format", "xlsx", "--out", str(tmp_path / "x"), "--data-dir", home]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x" / "enterprise_year.xlsx").exists()


def test_a_rejected_import_exits_non_zero_and_points_at_the_report(tmp_path):
    out = tmp_path / "dirty"
    runner.invoke(
        app,
        [
            "synth",
            "-n",
            "300",
            "--years",
            "2025",
            "--dirty-rate",
            "0.1",
            "--format",
            "csv",
            "--out",
            str(out),
        ],
    )
    home = tmp_path / "home"
    result = runner.invoke(app, ["import", *map(str, sorted(out.iterdir())), "--data-dir", str(home)])
    assert result.exit_code == 1
    assert "rejected" in result.output
    assert list((home / "reports").glob("*-errors.csv"))


def test_data_dir_comes_from_smeladder_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SMELADDER_HOME", str(tmp_path / "from-env"))
    out = tmp_path / "s"
    runner.invoke(app, ["synth", "-n", "100", "--years", "2025", "--out", str(out)])
    result = runner.invoke(app, ["import", *map(str, sorted(out.iterdir()))])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-env" / "registry.duckdb").exists()


def test_bad_years_are_a_clear_error(tmp_path):
    result = runner.invoke(app, ["synth", "--years", "2025-2021", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "last year is before the first" in result.output
