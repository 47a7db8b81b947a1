"""The registry commands end to end, through the real CLI (Typer's in-process runner)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from smeladder.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["synth", "import", "export", "show", "find", "demo"])
def test_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A registry of 300 synthetic enterprises imported from CSV."""
    base = tmp_path_factory.mktemp("registry-cli")
    out = base / "synth"
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
    home = str(base / "home")
    result = runner.invoke(app, ["import", *map(str, sorted(out.iterdir())), "--data-dir", home])
    assert result.exit_code == 0, result.output
    assert "exclusion" in result.output and "300 rows read, 300 new" in result.output
    return home


def test_show_summarises_with_district_names_and_export_writes_excel(home, tmp_path):
    result = runner.invoke(app, ["show", "--data-dir", home], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "Pudong New Area" in result.output and "310115" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    result = runner.invoke(
        app, ["export", "--format", "xlsx", "--out", str(tmp_path / "x"), "--data-dir", home]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x" / "enterprise_year.xlsx").read_bytes()[:2] == b"PK"  # a zip: an Excel workbook


def test_find_gives_codes_that_show_shows(home):
    found = runner.invoke(app, ["find", "--district", "浦东", "--limit", "3", "--data-dir", home, "--json"])
    assert found.exit_code == 0, found.output
    page = json.loads(found.stdout)
    assert len(page["enterprises"]) == 3 and page["matched"] > 3 and page["next_after"]
    assert {e["district_en"] for e in page["enterprises"]} == {"Pudong New Area"}
    code = page["enterprises"][0]["credit_code"]
    shown = runner.invoke(app, ["show", code, "--data-dir", home], env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    assert code in shown.output and "浦东新区 Pudong New Area (310115)" in shown.output
    assert "operating revenue" in shown.output and "yuan" in shown.output
    as_json = json.loads(runner.invoke(app, ["show", code, "--data-dir", home, "--json"]).stdout)
    assert as_json["summary"] is None and as_json["enterprise"]["credit_code"] == code


def test_show_of_an_unknown_code_exits_3_and_says_how_to_find_one(home):
    result = runner.invoke(app, ["show", "91310115MA1K4XXXX0", "--data-dir", home])
    assert result.exit_code == 3
    assert "no enterprise 91310115MA1K4XXXX0" in result.output
    assert "next: smeladder find" in result.output


def test_find_refuses_an_unknown_district_or_title_naming_the_choices(home):
    result = runner.invoke(app, ["find", "--district", "Atlantis", "--data-dir", home])
    assert result.exit_code == 2 and "Minhang (310112)" in result.output
    result = runner.invoke(app, ["find", "--title", "boss", "--data-dir", home])
    assert result.exit_code == 2 and "little_giant" in result.output


def test_a_rejected_import_exits_2_lists_the_errors_and_points_at_the_report(tmp_path):
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
    assert result.exit_code == 2
    assert "rejected" in result.output and "nothing was imported" in result.output
    assert "--quarantine" in result.output  # the next action
    assert "field" in result.output and "rule" in result.output  # the error rows' table
    reports = list((home / "reports").glob("*-errors.csv"))
    assert reports and str(reports[0].name) in result.output.replace("\n", "")


def test_a_missing_registry_is_not_found_with_the_next_action(tmp_path):
    result = runner.invoke(app, ["show", "--data-dir", str(tmp_path)])
    assert result.exit_code == 3
    assert "no registry at" in result.output and "next: smeladder import" in result.output


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
