"""Options and output helpers shared by every command group, those the policy-pack groups share (`rules`,
`ladder`: the pack and the registry it reads), and those the delivery groups share (`round`, `budget`,
`audit`: the transactional store, who acts, amounts in yuan)."""

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
from smeladder.rules.backends import Source, open_source
from smeladder.rules.errors import PackError
from smeladder.rules.locate import ENV_PACK, find_pack
from smeladder.rules.pack import Pack
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


# -- the policy-pack groups: rules, ladder -----------------------------------------------------------------

PackOption = Annotated[
    str | None,
    typer.Option(
        "--pack", help=f"Policy pack: a directory or a built-in name (default: ${ENV_PACK}, else shanghai)."
    ),
]


def load_pack(spec: str | None) -> Pack:
    """The pack `--pack` names; a pack that does not load ends the command with its message."""
    try:
        return find_pack(spec)
    except PackError as exc:
        raise fail(str(exc)) from None


def registry_source(
    policy: Pack,
    data_dir: Path | None,
    backend: str = "duckdb",
    url: str | None = None,
    schema: str | None = None,
) -> Source:
    """The registry the pack reads, on `backend`; a missing registry or a bad URL ends the command."""
    try:
        return open_source(
            backend, table_names=policy.tables, data_dir=config.data_dir(data_dir), url=url, schema=schema
        )
    except (FileNotFoundError, ValueError) as exc:
        raise fail(str(exc)) from None


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
