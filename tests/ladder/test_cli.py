"""`smeladder readiness`, `funnel`, `invite` and `guide` through the CLI."""

from __future__ import annotations

from typer.testing import CliRunner

from smeladder.cli import app

from .conftest import KNOWN

runner = CliRunner()


def test_readiness_prints_the_letter(registry_dir):
    result = runner.invoke(
        app, ["readiness", KNOWN, "--as-of", "2026-05-01", "--lang", "en", "--data-dir", str(registry_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "To reach the next rung, S&S SME" in result.output


def test_explain_on_a_pack_with_a_ladder_prints_the_officers_letter(registry_dir):
    common = [KNOWN, "--as-of", "2026-05-01", "--lang", "en", "--data-dir", str(registry_dir)]
    letter = runner.invoke(app, ["explain", *common])
    assert letter.exit_code == 0, letter.output
    assert "You could also apply for" in letter.output and "To reach the next rung, S&S SME" in letter.output
    assert "all of" not in letter.output and "needs yes" not in letter.output
    trace = runner.invoke(app, ["explain", *common, "--trace"])
    assert trace.exit_code == 0 and "all of" in trace.output


def test_readiness_of_an_unknown_code_exits_3_not_found(registry_dir):
    result = runner.invoke(app, ["readiness", "91310000XXXXXXXXXX", "--data-dir", str(registry_dir)])
    assert result.exit_code == 3 and "91310000XXXXXXXXXX is not in the registry" in result.output


def test_readiness_prints_the_letter_as_markdown_and_html(registry_dir):
    common = ["readiness", KNOWN, "--as-of", "2026-05-01", "--data-dir", str(registry_dir)]
    markdown = runner.invoke(app, [*common, "--format", "markdown"])
    assert markdown.exit_code == 0, markdown.output
    assert markdown.output.startswith("# 上海市") and "\n1. " in markdown.output
    html = runner.invoke(app, [*common, "--format", "html", "--lang", "en"])
    assert '<section class="next_rung">' in html.output and "<ol>" in html.output


def test_funnel_shows_the_ladder_and_the_measures(registry_dir):
    result = runner.invoke(
        app, ["funnel", "--as-of", "2026-05-01", "--lang", "en", "--data-dir", str(registry_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "S&S SME" in result.output and "M4.2a" in result.output


def test_guide_writes_files(tmp_path):
    result = runner.invoke(app, ["guide", "--out", str(tmp_path), "--as-of", "2025-08-01"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "guide.zh.md").exists()


def test_every_help_has_an_example():
    for command in ("readiness", "funnel", "invite", "guide"):
        result = runner.invoke(app, [command, "--help"])
        assert "Example" in result.output


def test_readiness_and_funnel_print_json(registry_dir):
    import json

    result = runner.invoke(
        app, ["readiness", KNOWN, "--as-of", "2026-05-01", "--json", "--data-dir", str(registry_dir)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["next_rung"] == "ss_sme" and data["shortfalls"][0]["margin"] == "800000.00"
    assert data["letter"]["lang"] == "zh" and data["letter"]["next_actions"][0]["code"] == "full_calculation"
    result = runner.invoke(
        app, ["funnel", "--as-of", "2026-05-01", "--json", "--data-dir", str(registry_dir)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["measures"][-1]["measure"] == "total"


def test_invite_lists_the_firms_meeting_a_rung_without_its_title_with_a_letter_each(registry_dir, tmp_path):
    import csv
    import datetime as dt

    import pyarrow.compute as pc

    from smeladder.rules.backends import open_source
    from smeladder.rules.evaluate import evaluate
    from smeladder.rules.locate import find_pack

    out = tmp_path / "invite"
    result = runner.invoke(
        app,
        ["invite", "--as-of", "2026-05-01", "--rung", "first_rung", "--lang", "en", "--out", str(out),
         "--data-dir", str(registry_dir)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "invitations.csv").open(encoding="utf-8-sig") as handle:
        listed = {row["credit_code"] for row in csv.DictReader(handle)}
    # The same firms a batch run finds: meeting the 2026 first rung, not holding a first-rung title.
    pack = find_pack("shanghai")
    source = open_source("duckdb", table_names=pack.tables, data_dir=registry_dir)
    table = evaluate(
        pack,
        source,
        dt.date(2026, 5, 1),
        ["tech_innovative_sme_eligible", "holds_first_rung"],
        with_snapshot=False,
    ).table
    wanted = pc.and_(
        pc.fill_null(table["tech_innovative_sme_eligible"], False), pc.invert(table["holds_first_rung"])
    )
    expected = set(table.filter(wanted)["credit_code"].to_pylist())
    assert listed == expected and expected
    letters = {path.stem: path.read_text(encoding="utf-8") for path in (out / "letters").glob("*.txt")}
    assert set(letters) == expected
    # Each letter tells the firm it already meets the rung and may apply.
    assert all("You already meet the criteria of the next rung" in text for text in letters.values())


def test_invite_refuses_an_unknown_rung(registry_dir, tmp_path):
    result = runner.invoke(
        app, ["invite", "--rung", "gold", "--out", str(tmp_path), "--data-dir", str(registry_dir)]
    )
    assert result.exit_code == 2 and "unknown rung 'gold'" in result.output


def test_invite_missing_lists_the_conditions_lacking(registry_dir, tmp_path):
    import csv

    out = tmp_path / "near"
    result = runner.invoke(
        app,
        ["invite", "--as-of", "2026-05-01", "--missing", "1", "--no-letters", "--lang", "en", "--out", str(out),
         "--data-dir", str(registry_dir)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "invitations.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    near = [row for row in rows if row["missing"] == "1"]
    assert near and all(row["lacking"] and row["rung"] != "first_rung" for row in near)
    assert all(row["lacking"] == "" for row in rows if row["missing"] == "0")
    assert not (out / "letters").exists()


def test_the_demo_sends_a_letter_to_a_firm_one_condition_from_the_ss_rung(registry_dir, capsys):
    from smeladder.cli.common import context
    from smeladder.cli.demo import show_near_letter
    from smeladder.services import demo

    show_near_letter(demo.near_letter(context(data_dir=registry_dir, pack="shanghai")))
    out = capsys.readouterr().out
    assert "one condition from the S&S rung" in out
    assert "To reach the next rung, S&S SME" in out and "  1. " in out and "  2. " not in out
    assert "smeladder invite --as-of 2026-05-01 --missing 1" in out


def test_guide_renders_its_markdown_for_the_terminal():
    result = runner.invoke(app, ["guide", "--lang", "en", "--as-of", "2026-05-01"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "M1.2a — Reward for growing" in result.output and "Who qualifies" in result.output
    assert "**" not in result.output and "## " not in result.output


def test_funnel_and_invite_print_csv_and_list_at_80_columns_with_district_names(registry_dir):
    common = ["--as-of", "2026-05-01", "--lang", "en", "--data-dir", str(registry_dir)]
    funnel = runner.invoke(app, ["funnel", *common, "--format", "csv"])
    assert funnel.exit_code == 0, funnel.output
    header, *lines = funnel.output.splitlines()
    assert header.startswith('"part","measure","name"') and lines[-1].startswith('"measures","total"')
    listed = runner.invoke(app, ["invite", *common, "--district", "310112"], env={"COLUMNS": "80"})
    assert listed.exit_code == 0, listed.output
    assert "Minhang" in listed.output and "enterprises to invite" in listed.output
    assert max(len(line) for line in listed.output.splitlines()) <= 80
