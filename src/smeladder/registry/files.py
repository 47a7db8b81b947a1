"""Reading and writing registry tables as CSV, Parquet and Excel (.xlsx), one file per table.

Export writes exactly the layout import reads: a file named after its table, one column per schema column.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from smeladder import errors

FORMATS = ("parquet", "csv", "xlsx")
SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".xlsx": "xlsx"}
# One sheet holds 1,048,576 rows including the header.
XLSX_MAX_ROWS = 1_048_575


class UnreadableFile(errors.InvalidInput, ValueError):
    """A file that cannot be read at all (format, encoding, missing); named with the reason."""


# GB18030 contains GBK and GB2312, what Excel on a Chinese Windows writes when it saves "CSV".
DETECTED_ENCODINGS = ("utf-8-sig", "gb18030")


def csv_encoding(path: Path, encoding: str | None = None) -> str:
    """The text encoding of a CSV file: `encoding` when given (checked against the whole file), else UTF-8
    (with or without a byte-order mark) when every byte decodes as UTF-8, else GB18030."""
    candidates = (encoding,) if encoding else DETECTED_ENCODINGS
    for name in candidates:
        try:
            codecs.lookup(name)
        except LookupError:
            raise UnreadableFile(
                f"{path.name}: unknown encoding {name!r} (e.g. utf-8, gb18030, gbk)"
            ) from None
        if _decodes(path, name):
            return name
    tried = " or ".join(candidates)
    raise UnreadableFile(
        f"{path.name}: not {tried} text; save it as CSV UTF-8 or pass --encoding with the encoding it uses"
    )


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def read_csv_as_text(path: Path, encoding: str) -> pa.Table:
    """Every cell of a CSV file as the text written (quotes removed, nothing inferred), by one declared
    dialect: comma-separated, double quotes, a header row, every row as many fields as the header."""
    with path.open(encoding=encoding, newline="") as f:
        header = next(csv.reader(f), None)
    if not header:
        raise UnreadableFile(f"{path.name}: the file is empty; the first row must name the columns")
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=encoding, use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        raise UnreadableFile(
            f"{path.name}: {_ragged_row(path, encoding, len(header)) or one_line(exc)}"
        ) from None


def _ragged_row(path: Path, encoding: str, width: int) -> str | None:
    """Which row has another number of fields than the header, as a spreadsheet counts rows."""
    with path.open(encoding=encoding, newline="") as f:
        for number, row in enumerate(csv.reader(f), start=1):
            if len(row) != width:
                return (
                    f"row {number} has {len(row)} field(s), the header {width}; check its commas and quotes"
                )
    return None


def one_line(exc: Exception) -> str:
    """A library's error as one short line: its first line, without the dump of SQL or context after it."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first[:300]


def file_format(path: Path) -> str:
    try:
        return SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise UnreadableFile(
            f"{path}: unsupported file type {path.suffix!r} (use .csv, .parquet or .xlsx)"
        ) from None


def write_table(table: pa.Table, path: Path, fmt: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        pq.write_table(table, path)
    elif fmt == "csv":
        pacsv.write_csv(table, path)
    elif fmt == "xlsx":
        if table.num_rows > XLSX_MAX_ROWS:
            raise ValueError(
                f"{path.name}: {table.num_rows:,} rows do not fit in one Excel sheet ({XLSX_MAX_ROWS:,}); "
                "use --format parquet or csv"
            )
        import polars as pl

        pl.from_arrow(table).write_excel(path, worksheet=path.stem[:31], autofit=False)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return path


def write_tables(tables: dict[str, pa.Table], out_dir: Path, fmt: str) -> list[Path]:
    return [write_table(table, out_dir / f"{name}.{fmt}", fmt) for name, table in tables.items()]


def read_xlsx_as_text(path: Path) -> pa.Table:
    """The first sheet of a workbook, every cell as the text an officer typed; blank cells are null.

    Excel keeps numbers as doubles: 11940683.21 comes back as 11940683.210000001, so numbers are written
    back in their shortest round-trip form (Python's repr), which is the decimal the officer typed.
    """
    import fastexcel

    try:
        sheet = pa.table(fastexcel.read_excel(str(path)).load_sheet(0).to_arrow())
    except Exception as exc:  # fastexcel raises its own error types for corrupt or encrypted workbooks
        raise UnreadableFile(f"{path.name}: cannot read the workbook ({one_line(exc)})") from None
    return pa.table({name: _cells_as_text(sheet[name]) for name in sheet.column_names})


def _cells_as_text(column: pa.ChunkedArray) -> pa.Array:
    kind = column.type
    if pa.types.is_floating(kind):
        return pa.array(
            [None if v is None else (str(int(v)) if v.is_integer() else repr(v)) for v in column.to_pylist()],
            pa.string(),
        )
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        return pa.array([None if v is None else v.isoformat()[:10] for v in column.to_pylist()], pa.string())
    if pa.types.is_boolean(kind):
        return pa.array([None if v is None else str(v).lower() for v in column.to_pylist()], pa.string())
    return column.cast(pa.string()).combine_chunks()
