"""`smeladder evaluate | explain | whatif | test` on a registry file in a data directory."""

from __future__ import annotations

import json
import re

import duckdb
import pytest
from typer.testing import CliRunner

from smeladder.cli import app
from smeladder.rules.results import read_results

from .conftest import TOY_PACK
from .registry_builder import credit_code, random_registry

runner = CliRunner()


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


def test_evaluate_writes_results_with_manifest(data_dir, tmp_path):
    out = tmp_path / "results.parquet"
    result = run(
        "evaluate", "--as-of", "2025-08-01", "--pack", str(TOY_PACK), "--data-dir", str(data_dir),
        "--variables", "voucher_paid,voucher_eligible", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "120 enterprise rows" in result.output
    results = read_results(out)
    assert results.table.column_names[-2:] == ["voucher_paid", "voucher_eligible"]
    assert results.manifest["as_of"] == "2025-08-01"


def test_explain_text_and_json(data_dir):
    key = credit_code(7)
    text = run(
        "explain", key, "--as-of", "2025-08-01", "--trace", "--pack", str(TOY_PACK), "--data-dir", str(data_dir)
    )  # fmt: skip
    assert text.exit_code == 0, text.output
    assert "创新券实发金额" in text.output  # zh by default
    common = [
        "--as-of",
        "2025-08-01",
        "--lang",
        "en",
        "--json",
        "--pack",
        str(TOY_PACK),
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
    common = ["--as-of", "2025-08-01", "--lang", "en", "--pack", str(TOY_PACK), "--data-dir", str(data_dir)]
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
    args = ["whatif", "--as-of", "2025-08-01", "--set", "voucher.cap=1000", "--pack", str(TOY_PACK)]
    result = run(*args, "--data-dir", str(data_dir), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["overrides"] == {"voucher.cap": "1000"}
    table = run(*args, "--data-dir", str(data_dir), "--totals")
    assert "voucher_paid" in table.output


def test_test_command_passes_on_the_toy_pack():
    result = run("test", str(TOY_PACK), "-k", "voucher:1:")
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed" in result.output


def test_missing_registry_and_bad_date_are_clear_errors(tmp_path):
    result = run(
        "evaluate",
        "--as-of",
        "2025-08-01",
        "--pack",
        str(TOY_PACK),
        "--data-dir",
        str(tmp_path),
        "--out",
        "x",
    )
    assert result.exit_code == 1
    bad = run("explain", "X", "--as-of", "01/08/2025", "--pack", str(TOY_PACK), "--data-dir", str(tmp_path))
    assert bad.exit_code == 2  # invalid input
    missing = run(
        "explain", "X", "--as-of", "2025-08-01", "--pack", str(TOY_PACK), "--data-dir", str(tmp_path)
    )
    assert missing.exit_code == 3 and "error:" in missing.output


@pytest.mark.parametrize("command", ["evaluate", "explain", "whatif", "test"])
def test_every_command_help_has_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
