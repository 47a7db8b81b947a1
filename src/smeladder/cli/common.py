"""Options and output helpers shared by every command group, and those the delivery groups share
(`round`, `budget`, `audit`: the transactional store, who acts, amounts in yuan)."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from smeladder import config
from smeladder.delivery.errors import DeliveryError
from smeladder.delivery.fen import fen_to_yuan
from smeladder.store import open_store

console = Console()
err_console = Console(stderr=True)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=f"Data directory (default: ${config.ENV_HOME}, else ./{config.DEFAULT_HOME}).",
        show_default=False,
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error the way every command does and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


# -- the delivery groups: round, budget, audit ------------------------------------------------------------

DB_ENV = "SMELADDER_DB_URL"

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar=DB_ENV, help="Database URL (default: the SQLite file in the data directory)."
    ),
]
ActorOption = Annotated[str | None, typer.Option("--actor", help="Who acts (default: the login name).")]


@contextmanager
def delivery_store(db: str | None, data_dir: Path | None) -> Iterator[sessionmaker[Session]]:
    """Sessions on the transactional store; a delivery refusal or a bad URL ends the command with its message."""
    try:
        yield open_store(db, data_dir=data_dir)
    except (DeliveryError, ValueError) as exc:
        raise fail(str(exc)) from None


def actor_name(actor: str | None) -> str:
    """`--actor`, else the login name."""
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "officer")


def yuan(fen: int | None) -> str:
    """An amount in fen as yuan with thousands separators (none counts as 0)."""
    return f"{fen_to_yuan(fen or 0):,}"
