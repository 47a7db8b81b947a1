"""Tables a command writes to a file or prints: the format comes from `--format` or the file's suffix, so an
`--out` ending in .xlsx is always Excel and never Parquet under a wrong name."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from smeladder.errors import InvalidInput
from smeladder.registry import files

FORMATS = ("csv", "xlsx", "json", "parquet")
BY_SUFFIX = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".parquet": "parquet", ".pq": "parquet"}


def output_format(path: Path | None, fmt: str | None, *, allowed: Sequence[str] = FORMATS) -> str | None:
    """The format to write: `fmt` if given (it must agree with the suffix), else the suffix's; None means
    "the terminal's table"."""
    by_suffix = BY_SUFFIX.get(path.suffix.lower()) if path is not None else None
    if path is not None and by_suffix is None and fmt is None:
        raise InvalidInput(f"{path}: say the format with --format ({', '.join(allowed)}) or use its suffix")
    chosen = fmt or by_suffix
    if chosen is not None and chosen not in allowed:
        raise InvalidInput(f"format {chosen!r}: choose one of {', '.join(allowed)}")
    if fmt and by_suffix and fmt != by_suffix:
        raise InvalidInput(f"{path}: the suffix says {by_suffix}, --format says {fmt}")
    return chosen


def as_table(rows: pa.Table | Sequence[dict[str, Any]]) -> pa.Table:
    return rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(list(rows))


def write(
    rows: pa.Table | Sequence[dict[str, Any]], path: Path, fmt: str, *, for_excel: bool = False
) -> Path:
    """Write rows to `path` in `fmt`, creating its folder. `for_excel`: a CSV starts with a byte-order mark,
    without which Excel misreads Chinese text (not for files the platform reads back)."""
    table = as_table(rows)
    try:
        if fmt == "json" or (fmt == "csv" and for_excel):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(("\ufeff" if fmt == "csv" else "") + text(table, fmt), encoding="utf-8")
            return path
        return files.write_table(table, path, fmt)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def text(rows: pa.Table | Sequence[dict[str, Any]], fmt: str) -> str:
    """Rows as CSV or JSON text, for a terminal or a pipe."""
    table = as_table(rows)
    if fmt == "json":
        return json.dumps(table.to_pylist(), ensure_ascii=False, indent=1, default=str)
    if fmt == "csv":
        import io

        import pyarrow.csv as pacsv

        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer)
        return buffer.getvalue().decode("utf-8")
    raise InvalidInput(f"format {fmt!r} cannot be printed; give --out FILE")
