"""Stored data and messages carry codes for the next action, never a command line to type: below the CLI no
string tells a user to run `smeladder …` (the API and the web would show it to people who have no shell).
Docstrings are documentation and may show commands."""

from __future__ import annotations

import ast
from pathlib import Path

import smeladder

PACKAGE = Path(smeladder.__file__).parent
TEXT_SUFFIXES = (".yaml", ".yml", ".txt", ".md", ".json")
# Generates docs/data-format.md, which is documentation.
DOCS_GENERATORS = ("registry/data_format.py",)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def cli_strings() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "cli" or "__pycache__" in relative.parts or not path.is_file():
            continue
        if relative.as_posix() in DOCS_GENERATORS:
            continue
        if path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                if id(node) in skip:
                    continue
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and "smeladder " in node.value
                ):
                    found.append(f"{relative}:{node.lineno}: {node.value.strip()[:80]!r}")
        elif path.suffix in TEXT_SUFFIXES:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if "smeladder " in line and not line.lstrip().startswith("#"):
                    found.append(f"{relative}:{number}: {line.strip()[:80]!r}")
    return found


def test_no_string_below_the_cli_tells_a_user_to_run_a_command():
    assert cli_strings() == []
