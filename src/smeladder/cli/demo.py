"""`smeladder demo`: the README's main job on the embedded default."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo() -> None:
    """Build a demo registry and show what is in it."""
    raise NotImplementedError
