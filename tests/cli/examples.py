"""Every command of the CLI in the order it registers them, with the examples its --help shows: the test
suite runs them all, in that order, on a copy of the demo's data directory (tests/cli/)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import typer

from smeladder.cli import app

EXAMPLE = re.compile(r"\[bold\]smeladder (.*?)\[/\]", re.DOTALL)


@dataclass(frozen=True)
class Command:
    path: str  # "round open"
    command: Any

    @property
    def result_model(self) -> str | None:
        return getattr(self.command.callback, "result_model", None)

    @property
    def examples(self) -> list[list[str]]:
        return [shlex.split(" ".join(text.split())) for text in EXAMPLE.findall(self.command.help or "")]


def commands() -> Iterator[Command]:
    def walk(group: Any, prefix: str) -> Iterator[Command]:
        for name, command in group.commands.items():
            path = f"{prefix} {name}".strip()
            if hasattr(command, "commands"):
                yield from walk(command, path)
            else:
                yield Command(path, command)

    yield from walk(typer.main.get_command(app), "")
