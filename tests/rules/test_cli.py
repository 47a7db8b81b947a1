"""`smeladder evaluate | explain | whatif | test | variables | parameters` on a registry file in a data
directory, with the toy pack."""

from __future__ import annotations

import json
import re

import duckdb
import pyarrow.csv as pacsv
import pytest
from typer.testing import CliRunner

from smeladder.cli import app
from smeladder.rules.results import read_results

from .conftest import TOY_PACK
from .registry_builder import credit_code, random_registry

runner = CliRunner()
TOY = ["--pack", str(TOY_PACK)]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("data")
    con = duckdb.connect(str(directory / "registry.duckdb"))
    for name, table in random_registry(120, seed=3).items():
        con.register("incoming", table)
        con.execute(f"create table {name} as select * from incoming")
        con.unregister("incoming")
    con.close()
    return directory


def run(*args: str):
    return runner.invoke(app, [*args], catch_exceptions=False)


def flat(text: str) -> str:
    """The output with the terminal's line wrapping undone."""
    return " ".join(text.split())


def test_evaluate_writes_results_with_manifest(data_dir, tmp_path):
    out = tmp_path / "results.parquet"
    result = run(
        "evaluate", "--as-of", "2025-08-01", *TOY, "--data-dir", str(data_dir),
        "--variables", "voucher_paid,voucher_eligible", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "120 enterprise rows" in result.output
    results = read_results(out)
    assert results.table.column_names[-2:] == ["voucher_paid", "voucher_eligible"]
    assert results.manifest["as_of"] == "2025-08-01"
    assert results.manifest["run_id"] in result.output


@pytest.mark.parametrize("suffix, magic", [(".xlsx", b"PK\x03\x04"), (".csv", b'"run_id"'), (".json", b"[")])
def test_evaluate_writes_the_format_its_file_names(data_dir, tmp_path, suffix, magic):
    out = tmp_path / f"results{suffix}"
    result = run(
        "evaluate", "--as-of", "2025-08-01", *TOY, "--data-dir", str(data_dir),
        "--variables", "voucher_paid", "--out", str(out), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format"] == suffix[1:]
    assert out.read_bytes().startswith(magic)
    assert not out.read_bytes().startswith(b"PAR1")  # never Parquet under a wrong name


def test_evaluate_refuses_a_format_its_file_does_not_say(data_dir, tmp_path):
    common = ["evaluate", "--as-of", "2025-08-01", *TOY, "--data-dir", str(data_dir)]
    unsuffixed = run(*common, "--out", str(tmp_path / "results"))
    assert unsuffixed.exit_code == 2 and "--format" in unsuffixed.output
    assert not (tmp_path / "results").exists()
    clash = run(*common, "--out", str(tmp_path / "results.xlsx"), "--format", "parquet")
    assert clash.exit_code == 2 and "the suffix says xlsx" in flat(clash.output)
    named = run(*common, "--variables", "voucher_paid", "--out", str(tmp_path / "r.txt"), "--format", "csv")
    assert named.exit_code == 0 and (tmp_path / "r.txt").read_bytes().startswith(b'"run_id"')


def test_explain_text_and_json(data_dir):
    key = credit_code(7)
    text = run("explain", key, "--as-of", "2025-08-01", "--trace", *TOY, "--data-dir", str(data_dir))
    assert text.exit_code == 0, text.output
    assert "创新券实发金额" in text.output  # zh by default
    common = [
        *TOY,
        "--as-of",
        "2025-08-01",
        "--lang",
        "en",
        "--json",
        "--data-dir",
        str(data_dir),
    ]
    document = json.loads(run("explain", key, *common).output)
    assert document["key"] == key and document["trace"] is None
    assert document["letter"]["next_actions"][0]["code"] == "full_calculation"
    assert "smeladder" not in json.dumps(document["letter"])  # the CLI words the action, not the document
    tree = json.loads(run("explain", key, *common, "--trace").output)
    assert tree["letter"] is None and tree["trace"][0]["label"] == "Innovation voucher paid"


def test_explain_prints_the_letter_as_markdown_and_html(data_dir):
    key = credit_code(7)
    common = ["--as-of", "2025-08-01", "--lang", "en", "--pack", str(TOY_PACK), "--data-dir", str(data_dir)]
    markdown = run("explain", key, *common, "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert markdown.output.startswith("# Riverside innovation vouchers")
    assert f"`smeladder explain {key} --as-of 2025-08-01 --trace`" in markdown.output
    html = run("explain", key, *common, "--format", "html")
    assert html.output.startswith("<article") and f"<code>smeladder explain {key}" in html.output
    assert run("explain", key, *common, "--format", "pdf").exit_code == 2


def test_explain_is_a_letter_by_default_and_the_tree_with_trace(data_dir):
    key = credit_code(7)
    common = ["--as-of", "2025-08-01", "--lang", "en", *TOY, "--data-dir", str(data_dir)]
    letter = run("explain", key, *common)
    assert letter.exit_code == 0, letter.output
    assert f"unified social credit code {key}" in letter.output.splitlines()[1]  # addressed to the enterprise
    assert ("You receive:" in letter.output) or ("You receive no support" in letter.output)
    formula_line = re.compile(r"formula: \S+\.py:\d+")
    assert not formula_line.search(letter.output)  # the letter does not dump the calculation
    tree = run("explain", key, *common, "--trace")
    assert formula_line.search(tree.output)
    assert len(tree.output.splitlines()) > len(letter.output.splitlines())


def test_explain_unknown_enterprise_exits_3_not_found(data_dir):
    result = run(
        "explain", "NOPE", "--as-of", "2025-08-01", "--pack", str(TOY_PACK), "--data-dir", str(data_dir)
    )
    assert result.exit_code == 3
    assert "NOPE is not in the registry" in result.output


def test_whatif_table_and_json(data_dir):
    args = ["whatif", "--as-of", "2025-08-01", "--set", "voucher.cap=1000", *TOY]
    result = run(*args, "--data-dir", str(data_dir), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["overrides"] == {"voucher.cap": "1000"}
    assert document["losers"] > 0 and document["gainers"] == 0  # a lower cap only takes away
    table = run(*args, "--data-dir", str(data_dir), "--totals")
    assert "voucher_paid" in table.output and "lose" in table.output


def test_whatif_writes_every_enterprise_that_gains_or_loses(data_dir, tmp_path):
    out = tmp_path / "changes.csv"
    args = ["whatif", "--as-of", "2025-08-01", "--set", "voucher.cap=1000", *TOY, "--data-dir", str(data_dir)]
    document = json.loads(run(*args, "--out", str(out), "--json").stdout)
    rows = pacsv.read_csv(out).to_pylist()
    assert len(rows) == len(document["enterprises"]) > 0
    assert set(rows[0]) == {
        "credit_code", "name", "district", "district_name", "measure", "before", "after", "difference"
    }  # fmt: skip
    assert {r["credit_code"] for r in rows} == {e["credit_code"] for e in document["enterprises"]}


def test_whatif_needs_a_change(data_dir):
    result = run("whatif", "--as-of", "2025-08-01", *TOY, "--data-dir", str(data_dir))
    assert result.exit_code == 2 and "at least one parameter" in flat(result.output)


def test_test_command_passes_on_the_toy_pack():
    result = run("test", str(TOY_PACK), "-k", "voucher:1:")
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed" in result.output


def test_test_command_with_no_case_fails():
    result = run("test", str(TOY_PACK), "-k", "no such case")
    assert result.exit_code == 1 and "0 passed, 0 failed" in result.output


def test_variables_and_parameters_list_the_packs_names():
    variables = run("variables", "voucher", *TOY)
    assert variables.exit_code == 0, variables.output
    assert "voucher_paid" in variables.output and "talent_grant" not in variables.output
    voucher = json.loads(run("variables", "innovation_voucher", *TOY, "--json").stdout)["variables"][0]
    assert voucher["formulas"] == [
        {"start": None, "end": "2025-06-30"},
        {"start": "2025-07-01", "end": None},
    ]
    parameters = run("parameters", "voucher.cap", *TOY)
    assert parameters.exit_code == 0, parameters.output
    assert "2023-01-01 – 2025-06-30" in parameters.output and "Riverside Order 2/2025" in flat(
        parameters.output
    )
    assert "unconfirmed" in parameters.output
    assert run("parameters", "nothing.like.this", *TOY).exit_code == 2


def test_missing_registry_and_bad_date_are_clear_errors(tmp_path):
    result = run(
        "evaluate", "--as-of", "2025-08-01", *TOY, "--data-dir", str(tmp_path), "--out", str(tmp_path / "r.parquet")
    )  # fmt: skip
    assert result.exit_code == 3 and "no registry" in flat(result.output)
    bad = run("explain", "X", "--as-of", "01/08/2025", *TOY, "--data-dir", str(tmp_path))
    assert bad.exit_code == 2 and "is not a date" in flat(bad.output)
    missing = run("explain", "X", "--as-of", "2025-08-01", *TOY, "--data-dir", str(tmp_path))
    assert missing.exit_code == 3 and "error:" in missing.output


@pytest.mark.parametrize("command", ["evaluate", "explain", "whatif", "test", "variables", "parameters"])
def test_every_command_help_has_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
