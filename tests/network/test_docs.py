"""docs/network.md cannot drift from the code: every table column and every command it shows exist."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from smeladder.cli import app
from smeladder.network.schema import PARTNER_KINDS, SERVICES, TABLES

DOC = Path(__file__).parents[2] / "docs" / "network.md"


def test_every_column_service_and_kind_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for table in TABLES.values():
        for column in table.column_names:
            assert f"`{column}`" in text, f"{table.name}.{column} missing from docs/network.md"
    for name in (*SERVICES, *PARTNER_KINDS):
        assert name in text


def test_every_documented_command_exists():
    text = DOC.read_text(encoding="utf-8")
    commands = {tuple(m.split()) for m in re.findall(r"^smeladder ([a-z]+(?: [a-z]+)?)", text, re.MULTILINE)}
    runner = CliRunner()
    for words in sorted(commands):
        result = runner.invoke(app, [*words, "--help"])
        assert result.exit_code == 0, f"smeladder {' '.join(words)} is documented but does not exist"
