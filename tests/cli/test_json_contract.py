"""The JSON contract: every command returns a service result model and prints it with --json; the JSON it
prints, for every example of its --help run in order on the demo data, validates against the JSON schema of
the model it declares (the same models the HTTP API returns)."""

from __future__ import annotations

from .examples import commands
from .test_help_examples import run_examples


def test_every_command_declares_its_result_model():
    assert [c.path for c in commands() if not c.result_model] == []


def test_every_declared_model_exists_and_has_a_schema():
    from smeladder.cli.common import result_model

    for command in commands():
        if command.result_model:
            assert (
                result_model(command.result_model).model_json_schema(mode="serialization")["type"] == "object"
            )


def test_every_command_prints_json_matching_its_model(demo_copy, tmp_path):
    failures = run_examples(demo_copy, tmp_path, as_json=True)
    assert not failures, "\n".join(failures)
