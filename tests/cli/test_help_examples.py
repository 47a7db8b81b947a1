"""Every example a command's --help shows runs as written on the demo data (like Datasette's `cog --check`,
for the CLI's own documentation): all of them, in the order the CLI registers its commands, one after the
other on one copy of the demo's data directory, so an example may use what an earlier one made."""

from __future__ import annotations

import os

from typer.testing import CliRunner

from smeladder.cli import app

from .examples import commands


def run_examples(home, workdir, *, as_json: bool) -> list[str]:
    """Run every example in order; return one line per example that failed."""
    runner = CliRunner()
    failures = []
    env = {"SMELADDER_HOME": str(home), "COLUMNS": "100"}
    here = os.getcwd()
    os.chdir(workdir)
    try:
        for command in commands():
            for example in command.examples:
                asked = [*example, "--json"] if as_json and command.result_model else example
                result = runner.invoke(app, asked, env=env)
                if result.exit_code != 0:
                    failures.append(
                        f"smeladder {' '.join(asked)} -> exit {result.exit_code}: {result.output[-500:]}"
                    )
                elif as_json and command.result_model:
                    failures += check_json(command, asked, result.stdout)
    finally:
        os.chdir(here)
    return failures


def check_json(command, asked, stdout) -> list[str]:
    import json

    import jsonschema

    from smeladder.cli.common import result_model

    try:
        document = json.loads(stdout)
    except ValueError as exc:
        return [f"smeladder {' '.join(asked)}: stdout is not one JSON document ({exc}): {stdout[:300]}"]
    schema = result_model(command.result_model).model_json_schema(mode="serialization")
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=str)
    return [f"smeladder {' '.join(asked)}: {error.json_path}: {error.message}" for error in errors[:5]]


def test_every_help_example_runs_on_the_demo_data(demo_copy, tmp_path):
    failures = run_examples(demo_copy, tmp_path, as_json=False)
    assert not failures, "\n".join(failures)


def test_every_command_has_an_example():
    assert [c.path for c in commands() if not c.examples] == []
