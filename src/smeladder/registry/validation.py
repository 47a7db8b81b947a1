"""Row-by-row validation of an incoming file against a table spec, run as set-based SQL in DuckDB.

Input: a staging table of text columns plus `_row` (the row as an officer sees it in a spreadsheet: the
header is row 1, the first record row 2). Output: one error per (row, field, rule), each naming the value and
the rule in words. Any table described by `schema.Table` can be validated this way (stations, partners...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from smeladder.registry import credit_code, districts, files
from smeladder.registry.schema import Column, Table

ERROR_COLUMNS = ("file", "row", "field", "value", "rule", "message")
BOOL_TRUE = ("true", "1", "yes", "y", "t", "是")
BOOL_FALSE = ("false", "0", "no", "n", "f", "否")

# Checks that need Python (a maintained library), applied to the distinct values of a column by its name.
PYTHON_CHECKS: dict[str, tuple[str, Callable[[str], str | None]]] = {
    "credit_code": ("invalid_credit_code", credit_code.problem),
}


def reference_values() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Columns whose values must come from reference data: column -> (rule id, allowed values)."""
    return {"district_adcode": ("unknown_district", districts.adcodes())}


@dataclass(frozen=True)
class Staged:
    """A file loaded as text into a DuckDB staging table."""

    relation: str  # table name in the connection
    label: str  # how errors name the file
    columns: tuple[str, ...]  # the table's names of the file's columns, in the file's order
    encoding: str | None = None  # how a CSV file's text was read


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def typed_expression(column: Column, source: str | None = None) -> str:
    """SQL turning the text value into the column's type; NULL where it does not convert."""
    v = source or q(column.name)
    if column.dtype == "int":
        return f"CASE WHEN regexp_full_match({v}, '-?[0-9]+') THEN TRY_CAST({v} AS BIGINT) END"
    if column.dtype == "float":
        return f"TRY_CAST({v} AS DOUBLE)"
    if column.dtype == "money":
        # Half away from zero to the fen (smeladder.money's rule) depends on the third decimal only, so the
        # value is cut after it and rounded exactly: no binary float, no double rounding of 1.0049999.
        cleaned = f"replace({v}, ',', '')"  # MONEY_TEXT allows commas only between groups of three digits
        to_mills = f"TRY_CAST(regexp_extract({cleaned}, '^-?[0-9]+(\\.[0-9]{{1,3}})?') AS DECIMAL(38,3))"
        return f"CASE WHEN regexp_full_match({v}, {lit(MONEY_TEXT)}) THEN TRY_CAST(round({to_mills}, 2) AS {column.sql_type}) END"
    if column.dtype == "percent":
        return f"CASE WHEN regexp_full_match({v}, '-?[0-9]+(\\.[0-9]{{1,4}})?') THEN TRY_CAST({v} AS {column.sql_type}) END"
    if column.dtype == "date":
        return f"CASE WHEN regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') THEN TRY_CAST({v} AS DATE) END"
    if column.dtype == "bool":
        trues = ", ".join(lit(t) for t in BOOL_TRUE)
        falses = ", ".join(lit(f) for f in BOOL_FALSE)
        return f"CASE WHEN lower({v}) IN ({trues}) THEN TRUE WHEN lower({v}) IN ({falses}) THEN FALSE END"
    return v


# Digits with an optional decimal point; a comma only as a thousands separator ("1,234,567.89"), so that a
# decimal comma ("1,5") or a stray one ("1,2,3,4") is refused instead of read as 15 or 1234.
MONEY_TEXT = "-?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\\.[0-9]+)?"
# Dates before this are typing mistakes (0001-01-01, 1025 for 2025), not enterprises.
EARLIEST_DATE = "1900-01-01"
MONEY_ROUNDED = "rounded_to_fen"

TYPE_WORDS = {
    "int": "a whole number",
    "float": "a decimal number",
    "money": "an amount in yuan: digits, an optional decimal point, commas only between groups of three digits (e.g. 1,234,567.89)",
    "percent": "a percentage with at most four decimals",
    "date": "a date written YYYY-MM-DD",
    "bool": "true or false (also 1/0, yes/no, 是/否)",
}


def _range_message(column: Column) -> str:
    if column.minimum is not None and column.maximum is not None:
        return f"{column.name} must be between {column.minimum:g} and {column.maximum:g}"
    if column.minimum == 0:
        return f"{column.name} must not be negative"
    if column.minimum is not None:
        return f"{column.name} must be at least {column.minimum:g}"
    return f"{column.name} must be at most {column.maximum:g}"


def header_errors(staged: Staged, table: Table) -> list[dict]:
    """Unknown and missing columns: errors about the header row."""
    errors = []
    known = set(table.column_names)
    for name in staged.columns:
        if name not in known:
            errors.append(
                _error(staged.label, 1, name, name, "unknown_column", f"{table.name} has no column {name!r}")
            )
    for column in table.columns:
        if column.name not in staged.columns and column.required:
            errors.append(
                _error(
                    staged.label,
                    1,
                    column.name,
                    None,
                    "missing_column",
                    f"required column {column.name!r} is missing",
                )
            )
    return errors


def _error(file: str, row: int, field: str, value: str | None, rule: str, message: str) -> dict:
    return {"file": file, "row": row, "field": field, "value": value, "rule": rule, "message": message}


def text_column(name: str) -> str:
    """The column of the checked relation holding the value as the file wrote it."""
    return q(name + "__text")


def cell_checks(staged: Staged, table: Table, checked_relation: str, today: dt.date) -> Iterable[str]:
    """SELECTs, one per column rule, each yielding error rows (file, row, field, value, rule, message).

    They run over `checked_relation` (from `checked_select`), which holds each value both as written and as
    typed, so no conversion is computed twice.
    """
    src = checked_relation
    label = lit(staged.label)
    references = reference_values()
    for column in table.columns:
        if column.name not in staged.columns:
            continue
        v = text_column(column.name)
        field = lit(column.name)

        def select(condition: str, rule: str, message: str, *, v: str = v, field: str = field) -> str:
            return (
                f"SELECT {label} AS file, _row AS row, {field} AS field, {v} AS value, "
                f"{lit(rule)} AS rule, {message} AS message FROM {src} WHERE {condition}"
            )

        if column.required:
            yield select(f"{v} IS NULL", "required", lit(f"{column.name} is required"))
        if column.dtype == "str":
            yield select(
                f"regexp_matches({v}, '[\\x00-\\x1f\\x7f]')",
                "control_character",
                lit(f"{column.name} contains a control character (line break, tab...); remove it"),
            )
        if column.dtype == "date":
            yield select(
                f"{q(column.name)} < DATE {lit(EARLIEST_DATE)}",
                "implausible_date",
                lit(f"{column.name} is before {EARLIEST_DATE}; a typing mistake?"),
            )
        if column.not_future:
            yield select(
                f"{q(column.name)} > {lit(today.isoformat())}::DATE",
                "future_date",
                lit(f"{column.name} lies after the day of the import ({today.isoformat()})"),
            )
        typed = q(column.name)
        if column.dtype in TYPE_WORDS:
            yield select(
                f"{v} IS NOT NULL AND ({typed}) IS NULL",
                "wrong_type",
                lit(f"{column.name} must be {TYPE_WORDS[column.dtype]}"),
            )
        if column.minimum is not None or column.maximum is not None:
            bounds = []
            if column.minimum is not None:
                bounds.append(f"({typed}) < {column.minimum!r}")
            if column.maximum is not None:
                bounds.append(f"({typed}) > {column.maximum!r}")
            yield select(f"({' OR '.join(bounds)})", "out_of_range", lit(_range_message(column)))
        if column.choices:
            allowed = ", ".join(lit(c) for c in column.choices)
            yield select(
                f"{v} IS NOT NULL AND {v} NOT IN ({allowed})",
                "not_allowed_value",
                lit(f"{column.name} must be one of: {', '.join(column.choices)}"),
            )
        if column.pattern:
            yield select(
                f"{v} IS NOT NULL AND NOT regexp_full_match({v}, {lit(column.pattern)})",
                "pattern",
                lit(f"{column.name} must match {column.pattern}"),
            )
        if column.name in references:
            rule, values = references[column.name]
            allowed = ", ".join(lit(a) for a in values)
            yield select(
                f"{v} IS NOT NULL AND {v} NOT IN ({allowed})",
                rule,
                lit(f"{column.name} is not a known district code (Shanghai's 16 districts, 3101xx)"),
            )


DISTRICT_DIFFERS = "district_differs_from_credit_code"
FILE_ROW = "file_row_number"  # DuckDB's name for the row's position in a Parquet file


def warning_checks(staged: Staged, table: Table, checked_relation: str) -> Iterable[str]:
    """SELECTs yielding warning rows: values imported but worth a look.

    - A money value written with more than two decimals is imported rounded half away from zero to the fen; the
      warning keeps what the file said.
    - A credit code whose division code (characters 3-8) names another district than `district_adcode`: firms
      move and districts merged (Zhabei into Jing'an), so it is flagged, not refused.
    """
    label = lit(staged.label)
    if {"credit_code", "district_adcode"} <= set(staged.columns):
        yield (
            f"SELECT {label} AS file, _row AS row, 'district_adcode' AS field, district_adcode AS value, "
            f"{lit(DISTRICT_DIFFERS)} AS rule, 'the credit code was issued in division ' || substr(credit_code, 3, 6) "
            f"|| ', the row says district ' || district_adcode AS message FROM {checked_relation} "
            f"WHERE substr(credit_code, 3, 6) <> district_adcode AND length(credit_code) = 18"
        )
    for column in table.columns:
        if column.dtype != "money" or column.name not in staged.columns:
            continue
        v = text_column(column.name)
        yield (
            f"SELECT {label} AS file, _row AS row, {lit(column.name)} AS field, {v} AS value, "
            f"{lit(MONEY_ROUNDED)} AS rule, "
            f"'more than two decimals: imported as ' || CAST({q(column.name)} AS VARCHAR) || ' (rounded half up to the fen)' AS message "
            f"FROM {checked_relation} WHERE {q(column.name)} IS NOT NULL "
            f"AND regexp_full_match({v}, '.*\\.[0-9]{{3,}}')"
        )


def python_check_errors(
    con: duckdb.DuckDBPyConnection, staged: Staged, table: Table, already_checked_sql: str | None = None
) -> Iterable[str]:
    """Checks by a library over a column's distinct values, joined back to the rows as SQL.

    `already_checked_sql` selects values (as `credit_code`) that passed on their way into the store; they are
    not checked again, which keeps a re-import or a file of yearly figures cheap.
    """
    for name, (rule, check) in PYTHON_CHECKS.items():
        if name not in staged.columns or name not in table.column_names:
            continue
        skip = f" AND {q(name)} NOT IN ({already_checked_sql})" if already_checked_sql else ""
        values = con.execute(
            f"SELECT DISTINCT {q(name)} FROM {staged.relation} WHERE {q(name)} IS NOT NULL{skip}"
        ).fetchall()
        bad = [(value, message) for (value,) in values if (message := check(value))]
        verdicts = f"_check_{name}_{staged.relation}"
        con.register(
            verdicts,
            pa.table(
                {"value": [b[0] for b in bad], "message": [b[1] for b in bad]},
                schema=pa.schema([("value", pa.string()), ("message", pa.string())]),
            ),
        )
        yield (
            f"SELECT {lit(staged.label)} AS file, s._row AS row, {lit(name)} AS field, s.{q(name)} AS value, "
            f"{lit(rule)} AS rule, c.message AS message FROM {staged.relation} s JOIN {verdicts} c ON s.{q(name)} = c.value"
        )


def run_checks(con: duckdb.DuckDBPyConnection, checks: Iterable[str]) -> pa.Table:
    """Run the check SELECTs (`cell_checks`, `row_checks`...) as one query: every error, in ERROR_COLUMNS."""
    checks = list(checks)
    if not checks:  # a file sharing no column with its table: only header errors
        return no_errors()
    union = " UNION ALL ".join(f"({c})" for c in checks)
    return con.sql(
        "SELECT file, CAST(row AS BIGINT) AS row, field, CAST(value AS VARCHAR) AS value, rule, message "
        f"FROM ({union})"
    ).to_arrow_table()


def no_errors() -> pa.Table:
    return pa.table({c: pa.array([], pa.int64() if c == "row" else pa.string()) for c in ERROR_COLUMNS})


def checked_select(staged: Staged, table: Table) -> str:
    """SELECT of the staging rows with each value as written (`<name>__text`) and converted to the table's
    type (`<name>`, NULL where it does not convert); absent optional columns are NULL."""
    parts = ["_row"]
    for column in table.columns:
        if column.name in staged.columns:
            parts.append(f"{q(column.name)} AS {text_column(column.name)}")
            parts.append(f"{typed_expression(column)} AS {q(column.name)}")
        else:
            parts.append(f"CAST(NULL AS {column.sql_type}) AS {q(column.name)}")
    return f"SELECT {', '.join(parts)} FROM {staged.relation}"


def row_checks(staged: Staged, table: Table, typed_relation: str) -> Iterable[str]:
    """Rules across columns of one row, and duplicate keys within the file."""
    label = lit(staged.label)
    for rule, condition, message in table.row_rules:
        field = _first_column_in(condition, table)
        yield (
            f"SELECT {label} AS file, _row AS row, {lit(field)} AS field, CAST({q(field)} AS VARCHAR) AS value, "
            f"{lit(rule)} AS rule, {lit(message)} AS message FROM {typed_relation} WHERE NOT ({condition})"
        )
    if all(k in staged.columns for k in table.key):
        keys = ", ".join(q(k) for k in table.key)
        key_text = " || '|' || ".join(f"coalesce(CAST({q(k)} AS VARCHAR), '')" for k in table.key)
        yield (
            f"SELECT {label} AS file, _row AS row, {lit('+'.join(table.key))} AS field, {key_text} AS value, "
            f"'duplicate_key' AS rule, 'same key as row ' || first_row AS message FROM ("
            f"SELECT *, first_value(_row) OVER (PARTITION BY {keys} ORDER BY _row) AS first_row FROM {typed_relation} "
            f"WHERE {' AND '.join(f'{q(k)} IS NOT NULL' for k in table.key)}) WHERE _row <> first_row"
        )


def cross_file_duplicates(
    staged: Staged, typed_relation: str, earlier: Staged, earlier_typed: str, table: Table
) -> str:
    """Rows whose key an earlier file of the same batch and table already gave: no file silently wins."""
    keys = " AND ".join(f"e.{q(k)} = t.{q(k)}" for k in table.key)
    key_text = " || '|' || ".join(f"CAST(t.{q(k)} AS VARCHAR)" for k in table.key)
    return (
        f"SELECT {lit(staged.label)} AS file, t._row AS row, {lit('+'.join(table.key))} AS field, {key_text} AS value, "
        f"'duplicate_key' AS rule, 'same key as row ' || e._row || ' of ' || {lit(earlier.label)} AS message "
        f"FROM {typed_relation} t JOIN {earlier_typed} e ON {keys}"
    )


def _first_column_in(condition: str, table: Table) -> str:
    positions = [(condition.find(name), name) for name in table.column_names if name in condition]
    return min(positions)[1] if positions else "row"


def reference_check(staged: Staged, typed_relation: str, known_codes_sql: str) -> str:
    """Rows naming an enterprise that neither the store nor this import holds."""
    return (
        f"SELECT {lit(staged.label)} AS file, _row AS row, 'credit_code' AS field, credit_code AS value, "
        f"'unknown_enterprise' AS rule, 'no enterprise with this credit code in the registry or this import' AS message "
        f"FROM {typed_relation} t WHERE credit_code IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM ({known_codes_sql}) k WHERE k.credit_code = t.credit_code)"
    )


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    relation: str,
    spec: Table,
    encoding: str | None = None,
    label: str | None = None,
) -> Staged:
    """Load a file as text columns with `_row` = its spreadsheet row (header = row 1).

    Headers may be the column names or their Chinese names (`docs/data-format.md`); a CSV may be UTF-8 or
    GB18030/GBK (detected, or `encoding`). Errors name the file by `label` (default: its name)."""
    if not path.exists():
        raise files.UnreadableFile(f"{path.name}: no such file")
    fmt = files.file_format(path)
    if path.stat().st_size == 0:
        raise files.UnreadableFile(f"{path.name}: the file is empty")
    used = None
    if fmt == "parquet":
        source = f"read_parquet({lit(str(path))}, file_row_number = true)"
    else:
        if fmt == "csv":
            used = files.csv_encoding(path, encoding)
            cells = files.read_csv_as_text(path, used)
        else:
            cells = files.read_xlsx_as_text(path)
        # The position in the file, carried as a column: a parallel scan keeps no order of its own.
        con.register(
            f"{relation}_cells", cells.append_column(FILE_ROW, pa.array(range(cells.num_rows), pa.int64()))
        )
        source = f"{relation}_cells"
    try:
        names = [d[0] for d in con.execute(f"SELECT * FROM {source} LIMIT 0").description if d[0] != FILE_ROW]
        columns = _header_names(path, names, spec)
        dates = {c.name for c in spec.columns if c.dtype == "date"}

        def cleaned(name: str, column: str) -> str:
            # Blank cells are missing values; a date may arrive with a midnight time ('2025-07-01 00:00:00').
            text = f"trim(CAST({q(name)} AS VARCHAR))"
            if column in dates:
                text = f"regexp_replace({text}, ' 00:00:00(\\.0+)?$', '')"
            return f"NULLIF({text}, '') AS {q(column)}"

        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {relation} AS SELECT CAST({FILE_ROW} + 2 AS BIGINT) AS _row, "
            f"{', '.join(map(cleaned, names, columns))} FROM {source} ORDER BY {FILE_ROW}"
        )
    except duckdb.Error as exc:
        raise files.UnreadableFile(f"{path.name}: cannot read it as {fmt} ({files.one_line(exc)})") from None
    return Staged(relation=relation, label=label or path.name, columns=tuple(columns), encoding=used)


def _header_names(path: Path, names: list[str], spec: Table) -> list[str]:
    """The table's column name for each header cell: the name itself, or the column its Chinese name means."""
    by_chinese = {c.description_zh: c.name for c in spec.columns}
    columns = [by_chinese.get(n.strip(), n.strip()) for n in names]
    for column in set(columns):
        written = [n for n, c in zip(names, columns, strict=True) if c == column]
        if len(written) > 1:
            raise files.UnreadableFile(
                f"{path.name}: columns {' and '.join(map(repr, written))} both give {column!r}; keep one"
            )
    return columns
