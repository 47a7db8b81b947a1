"""What every command shares: the options that build the application context, how a command is declared (it
returns a service result, printed as JSON with `--json` or rendered for the terminal), and how a service
error becomes a one-line message and an exit code.

Kept light on purpose: `smeladder --help` imports every command module, so the services (and the DuckDB,
SQLAlchemy and Ibis below them) are imported inside the commands that use them.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from smeladder import config
from smeladder.errors import SmeladderError

if TYPE_CHECKING:
    from smeladder.services.context import AppContext

console = Console()
err_console = Console(stderr=True)

# One exit code per kind of error (smeladder.errors); 2 is also what Typer uses for a bad option.
EXIT_CODES = {"refused": 1, "conflict": 1, "invalid_input": 2, "not_found": 3, "forbidden": 4}
EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 refused by a rule or in conflict with the stored state; 2 invalid input; "
    "3 not found; 4 forbidden."
)
# What to type for each next-action code an error or a letter carries (smeladder.errors.SmeladderError).
NEXT_ACTIONS = {
    "import_registry": "smeladder import FILES (or smeladder demo)",
    "set_budget": "smeladder budget set FUND MEASURE YEAR AMOUNT",
    "full_calculation": "smeladder explain {key} --as-of {as_of} --trace",
    "fix_import": "fix the rows the report lists and import again, or add --quarantine to import the good ones",
    "find_enterprise": "smeladder find NAME (or --district, --title, --track) for the credit codes",
    "synth_stations": "smeladder stations synth (or smeladder stations import FILES)",
}
PACK_ENV = "SMELADDER_PACK"
DB_ENV = "SMELADDER_DB_URL"

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=f"Data directory (default: ${config.ENV_HOME}, else ./{config.DEFAULT_HOME}).",
        show_default=False,
    ),
]
PackOption = Annotated[
    str | None,
    typer.Option(
        "--pack", help=f"Policy pack: a directory or a built-in name (default: ${PACK_ENV}, else shanghai)."
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar=DB_ENV, help="Database URL (default: the SQLite file in the data directory)."
    ),
]
ActorOption = Annotated[str | None, typer.Option("--actor", help="Who acts (default: the login name).")]
AtOption = Annotated[
    dt.datetime | None,
    typer.Option("--at", help="When the action happens (UTC; default: now). For replaying records."),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language: zh or en.")]
# Where the registry is read (services/context.py Settings: backend, backend_url, backend_schema).
AsOfOption = Annotated[str, typer.Option("--as-of", help="Evaluation date, YYYY-MM-DD.")]
BackendOption = Annotated[
    str, typer.Option("--backend", help="Where the registry is read: duckdb, postgres or spark.")
]
UrlOption = Annotated[
    str | None,
    typer.Option("--url", help="postgres: postgresql://user@host/db; spark: master URL (default local[*])."),
]
SchemaOption = Annotated[
    str | None, typer.Option("--schema", help="PostgreSQL schema holding the registry tables.")
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set", help="Override a parameter: path=value, or path@YYYY-MM-DD=value from a date. Repeatable."
    ),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write the table to this file; its suffix gives the format.")
]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", help="csv, xlsx, json or parquet, when the file's suffix does not say it."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON instead of text.")]


def context(
    *,
    data_dir: Path | None = None,
    pack: str | None = None,
    db: str | None = None,
    actor: str | None = None,
    at: dt.datetime | None = None,
    backend: str = "duckdb",
    url: str | None = None,
    schema: str | None = None,
) -> AppContext:
    """The application context a command's options describe."""
    from smeladder.services.context import AppContext, Settings

    return AppContext(
        Settings(
            data_dir=data_dir,
            pack=pack,
            db_url=db,
            actor=actor,
            at=at,
            backend=backend,
            backend_url=url,
            backend_schema=schema,
        )
    )


def command(
    app: typer.Typer,
    name: str,
    result: str,
    render: Callable[[Any], None],
    *,
    failed: Callable[[Any], bool] | None = None,
    **options: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare `name` on `app`: the decorated function returns a service result of the model `result`
    ("module:Class" under `smeladder.services`), which `--json` prints as JSON and `render` otherwise prints.
    The declared model is the command's JSON contract (tests/cli/test_json_contract.py). `failed`: a result
    that reports a failure (a broken audit chain, failing pack tests) ends the command with exit code 1."""

    def declare(function: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(function, eval_str=True)
        as_json = inspect.Parameter("as_json", inspect.Parameter.KEYWORD_ONLY, default=False)
        as_json = as_json.replace(annotation=JsonOption)

        @functools.wraps(function)
        def run(*args: Any, as_json: bool = False, **kwargs: Any) -> None:
            value = function(*args, **kwargs)
            model = result_model(result)
            if not isinstance(value, model):
                raise TypeError(f"{name} returned {type(value).__name__}, not its declared {result}")
            if as_json:
                typer.echo(value.model_dump_json(indent=2))
            else:
                render(value)
            if failed is not None and failed(value):
                raise typer.Exit(1)

        run.__signature__ = signature.replace(parameters=[*signature.parameters.values(), as_json])
        run.result_model = result
        app.command(name, **options)(run)
        return function

    return declare


def result_model(path: str) -> type:
    """The model class "module:Class" names, under `smeladder.services`."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(f"smeladder.services.{module}"), name)


class ServiceErrors(TyperGroup):
    """The command group that turns every service error into `error: …` on stderr and its exit code, so no
    command catches errors itself and no user sees a traceback for something they can fix."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SmeladderError as exc:
            show_error(exc)
            raise typer.Exit(EXIT_CODES.get(exc.kind, 1)) from None


def show_error(exc: SmeladderError, limit: int = 20) -> None:
    from rich.markup import escape

    err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
    if exc.next_action in NEXT_ACTIONS:
        err_console.print(f"next: {NEXT_ACTIONS[exc.next_action]}", markup=False, highlight=False)
    if exc.details:
        from rich.table import Table

        shown = exc.details[:limit]
        table = Table(title=f"first {len(shown)} of {len(exc.details)}" if len(exc.details) > limit else None)
        columns = list(dict.fromkeys(key for detail in shown for key in detail))
        for column in columns:
            table.add_column(column)
        for detail in shown:
            table.add_row(*("" if detail.get(c) is None else str(detail.get(c)) for c in columns))
        err_console.print(table)


def group(name: str, help: str) -> typer.Typer:
    """A command group (`round`, `budget`, ...) declared the same way as the top level."""
    return typer.Typer(name=name, help=help, no_args_is_help=True, cls=ServiceErrors)


def parse_day(text: str | None, option: str = "--as-of") -> dt.date | None:
    """A YYYY-MM-DD option; empty means "today in Shanghai", decided by the service."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)", param_hint=option) from None


def split_names(text: str | None) -> list[str] | None:
    """A comma-separated option (`--variables a,b`); empty means "all"."""
    return [n.strip() for n in text.split(",") if n.strip()] if text else None


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int], None]]:
    """The `progress` callback of a long service call, drawn on stderr: each call is one step (a bar over the
    total it gives), or a spinner while the total is not known (0)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    shown: list[tuple[Progress, Any]] = []

    def step(description: str, total: int) -> None:
        if not shown:
            columns = (
                (TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn())
                if total
                else (SpinnerColumn(), TextColumn("{task.description}"))
            )
            bar = Progress(*columns, TimeElapsedColumn(), console=err_console)
            bar.start()
            shown.append((bar, bar.add_task(description, total=total or None)))
        bar, task = shown[0]
        bar.update(task, description=description, advance=1 if total else 0)

    try:
        yield step
    finally:
        for bar, _ in shown:
            bar.stop()


def parse_lang(text: str) -> str:
    if text not in ("zh", "en"):
        raise typer.BadParameter(f"{text!r}: choose zh or en", param_hint="--lang")
    return text


def yuan(amount: Any) -> str:
    """A Decimal amount in yuan with thousands separators and the fen."""
    return f"{amount:,.2f}"
