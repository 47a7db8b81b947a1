"""What the service network's commands (`stations`, `coverage`, `site`, `concerns`) share: a listing is a table
on the terminal, CSV, JSON or GeoJSON on stdout (`--format`), or a file whose suffix says its format (`--out`);
long work shows a spinner on stderr."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from smeladder.cli.common import err_console

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="The date, YYYY-MM-DD (default: today in Shanghai).", show_default=False),
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="table, csv, json or geojson on the terminal; with --out also xlsx or parquet "
        "(default: a table, or what the --out suffix says).",
        show_default=False,
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "--output",
        "-o",
        help="Write the listing to this file; its suffix (.csv, .xlsx, .json, .parquet, .geojson) says the format.",
        show_default=False,
    ),
]
TABLE_LIMIT = 50
SHORT_WIDTH = 10  # words up to this long (a date, an id) are kept whole
FILE_FORMATS = ("csv", "xlsx", "json", "parquet")


def emit(
    invocation: typer.Context,
    fmt: str | None,
    out: Path | None,
    rows: Callable[[], Sequence[dict[str, Any]]],
    geojson: Callable[[], dict[str, Any]] | None = None,
    note: str | None = None,
) -> None:
    """Send a listing where --format and --out say. Neither: return, and the command's render prints its
    table. --out: write the file. --format without --out: print that format on stdout. Unless --json asked
    for the result model (which the command then prints), the command ends here, with `note` on stderr.
    `invocation`: the command's Typer context, which holds --json."""
    if fmt in (None, "table") and out is None:
        return
    from smeladder.errors import InvalidInput
    from smeladder.services import exports

    as_json = bool(invocation.params.get("as_json"))
    if fmt == "table":
        raise InvalidInput(f"{out}: a table is for the terminal; give --format {', '.join(FILE_FORMATS)}")
    if fmt == "geojson" or (fmt is None and out is not None and out.suffix.lower() == ".geojson"):
        if geojson is None:
            raise InvalidInput("this listing has no map form (GeoJSON); choose csv, xlsx or json")
        text = json.dumps(geojson(), ensure_ascii=False)
        if out is not None:
            write_text(out, text)
    else:
        chosen = exports.output_format(out, fmt, allowed=FILE_FORMATS)
        if out is not None:
            exports.write(rows(), out, chosen)
        elif not as_json:
            text = exports.text(rows(), chosen)
    if as_json:
        return
    if out is not None:
        err_console.print(f"wrote {out}", highlight=False)
    else:
        typer.echo(text, nl=not text.endswith("\n"))
    if note:
        err_console.print(note, highlight=False)
    raise typer.Exit()


def write_text(path: Path, text: str) -> None:
    from smeladder.errors import InvalidInput

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror or exc})") from None


def listing(
    rows: Sequence[Any],
    columns: Sequence[str],
    title: str = "",
    limit: int = TABLE_LIMIT,
    headers: dict[str, str] | None = None,
) -> Table:
    """The first `limit` rows (models or dicts) as a table of `columns` (those with a value in some row),
    numbers right-aligned."""
    table = Table(title=title or None)
    shown = [row if isinstance(row, dict) else row.model_dump() for row in rows[:limit]]
    if shown:  # a column empty in every row says nothing and takes room
        columns = [c for c in columns if any(row.get(c) not in (None, "", []) for row in shown)]
    for column in columns:
        values = [row.get(column) for row in shown]
        numeric = any(isinstance(v, int | float) for v in values)
        # Fold what does not fit rather than cut it off (Chinese text has no spaces to wrap at), but keep
        # short words (a date, a phone number, an id) whole.
        short = max((len(word) for v in values for word in cell(column, v).split()), default=0)
        table.add_column(
            (headers or {}).get(column, column),
            justify="right" if numeric else "left",
            overflow="fold",
            min_width=min(short, SHORT_WIDTH),
        )
    for row in shown:
        table.add_row(*(cell(column, row.get(column)) for column in columns))
    if len(rows) > limit:
        table.caption = f"{limit} of {len(rows):,} rows; use --out FILE or --format csv for all"
    return table


def cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if column in ("latitude", "longitude"):
            return f"{value:.5f}"
        if column == "share":
            return f"{value:.1%}"
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


@contextmanager
def working(first: str) -> Iterator[Callable[[str, int], None]]:
    """A spinner on stderr while a service works; yields the `progress` callback services take."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(first, total=None)
        yield lambda what, done: bar.update(task, description=what)
