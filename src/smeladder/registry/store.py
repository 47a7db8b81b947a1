"""The embedded analytic store: the registry in one DuckDB file under the data directory.

Import is all-or-nothing by default: every file of a batch is validated before anything is written, and one
bad row leaves the store exactly as it was. With `quarantine=True` the good rows go in and the bad ones are
kept aside in the `quarantine` table with their errors. Writing happens in one transaction, so a crash
mid-import changes nothing either. A row whose key exists is compared column by column: unchanged rows do
nothing, changed ones replace the old figures and the old and new values go to `change_history`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from smeladder import config, errors
from smeladder.registry import files, schema, validation
from smeladder.registry.schema import Table
from smeladder.registry.validation import Staged, lit, q

STORE_FILE = "registry.duckdb"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Enterprises first, so the other tables of the same batch can refer to them.
IMPORT_ORDER = tuple(schema.TABLES)

BOOKKEEPING_DDL = (
    """CREATE TABLE IF NOT EXISTS import_log (
        import_id VARCHAR, imported_at TIMESTAMP, table_name VARCHAR, file VARCHAR, sha256 VARCHAR,
        rows_read BIGINT, inserted BIGINT, updated BIGINT, unchanged BIGINT, quarantined BIGINT)""",
    """CREATE TABLE IF NOT EXISTS change_history (
        import_id VARCHAR, changed_at TIMESTAMP, table_name VARCHAR, record_key VARCHAR, field VARCHAR,
        old_value VARCHAR, new_value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS quarantine (
        import_id VARCHAR, table_name VARCHAR, file VARCHAR, row BIGINT, field VARCHAR, value VARCHAR,
        rule VARCHAR, message VARCHAR)""",
    # What an import changed on the way in (a money value rounded to the fen), with the value as written.
    """CREATE TABLE IF NOT EXISTS import_warnings (
        import_id VARCHAR, table_name VARCHAR, file VARCHAR, row BIGINT, field VARCHAR, value VARCHAR,
        rule VARCHAR, message VARCHAR)""",
)


class ImportRejected(errors.InvalidInput):
    """The batch had errors and nothing was written; `errors` holds them and `report` where they were saved."""

    def __init__(self, errors: pa.Table, report: Path | None):
        self.errors = errors
        self.report = report
        super().__init__(f"{errors.num_rows} error(s); nothing was imported")


@dataclass
class FileOutcome:
    file: str
    table: str
    rows_read: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    warnings: int = 0
    encoding: str | None = None


@dataclass
class ImportOutcome:
    import_id: str
    files: list[FileOutcome] = field(default_factory=list)
    errors: pa.Table | None = None
    report: Path | None = None
    warnings: pa.Table | None = None  # values imported changed (rounded), in validation.ERROR_COLUMNS
    warnings_report: Path | None = None


class MissingStore(errors.NotFound, FileNotFoundError):
    """A reader opened a store file that does not exist yet; `next_action` says how to make one."""


def create_ddl(table: Table) -> str:
    columns = ", ".join(f"{q(c.name)} {c.sql_type}" for c in table.columns)
    return f"CREATE TABLE IF NOT EXISTS {q(table.name)} ({columns})"


class DuckDBFile:
    """A DuckDB file in the data directory. One writer at a time (DuckDB's rule); a writer creates the tables
    (`DDL`) if they are missing; readers may open it read-only once it exists."""

    FILE: str
    DDL: tuple[str, ...]
    SPECS: tuple[
        Table, ...
    ] = ()  # kept in step with the schema: a file an older version made gains new columns
    MISSING: str  # what a reader is told when there is no file yet; `{path}` is filled in
    MISSING_NEXT: str | None = None  # the next-action code (smeladder.errors) that makes the file
    LOCK_WAIT_SECONDS: float = 10.0

    def __init__(self, data_dir: Path | str | None = None):
        self.data_dir = config.data_dir(data_dir)
        self.path = self.data_dir / self.FILE

    def exists(self) -> bool:
        return self.path.exists()

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection; while another process writes the file (DuckDB allows one), wait up to
        LOCK_WAIT_SECONDS for it, then say so (Conflict) instead of DuckDB's lock error."""
        if read_only and not self.path.exists():
            raise MissingStore(self.MISSING.format(path=self.path), next_action=self.MISSING_NEXT)
        deadline = time.monotonic() + self.LOCK_WAIT_SECONDS
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise errors.Conflict(
                        f"{self.path.name} is in use by another process (an import or an evaluation); "
                        f"waited {self.LOCK_WAIT_SECONDS:g} s, try again when it has finished"
                    ) from None
                time.sleep(0.2)
        if not read_only:
            for ddl in self.DDL:
                con.execute(ddl)
            self._add_new_columns(con)
        return con

    def _add_new_columns(self, con: duckdb.DuckDBPyConnection) -> None:
        """Columns the schema gained since this file was made, added empty (every schema column may be NULL in
        storage; validation enforces what is required of a file)."""
        present = set(
            con.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            ).fetchall()
        )
        for table in self.SPECS:
            for column in table.columns:
                if (table.name, column.name) not in present:
                    con.execute(f"ALTER TABLE {q(table.name)} ADD COLUMN {q(column.name)} {column.sql_type}")


class RegistryStore(DuckDBFile):
    """The registry's DuckDB file."""

    FILE = STORE_FILE
    SPECS = tuple(schema.TABLES.values())
    DDL = (*(create_ddl(table) for table in SPECS), *BOOKKEEPING_DDL)
    MISSING = "no registry at {path} yet"
    MISSING_NEXT = "import_registry"

    # --- import ----------------------------------------------------------------------------------------------

    def import_files(
        self,
        paths: Sequence[Path],
        *,
        quarantine: bool = False,
        table: str | None = None,
        encoding: str | None = None,
        today: dt.date | None = None,
        choices: Mapping[str, Sequence[str]] | None = None,
        progress: Callable[[str], None] = lambda step: None,
    ) -> ImportOutcome:
        """Validate and import a batch of files; raise ImportRejected (store unchanged) if any row is bad
        and `quarantine` is off. `encoding` names the text encoding of CSV files (default: detected); `today`
        (default: Shanghai's date now) bounds dates that cannot lie in the future; `choices` gives the values
        a column whose values the policy pack declares may take, by `table.column` (`Column.choices_from`;
        not given: any value)."""
        today = today or dt.datetime.now(SHANGHAI).date()
        import_id = uuid.uuid4().hex[:12]
        if table is not None and table not in schema.TABLES:
            raise errors.InvalidInput(f"table {table!r}: choose one of {', '.join(schema.TABLES)}")
        jobs = sorted(
            ((Path(p), table or table_for(Path(p))) for p in paths),
            key=lambda job: IMPORT_ORDER.index(job[1]),
        )
        labels = _labels([path for path, _ in jobs])
        con = self.connect()
        try:
            staged: list[tuple[Path, Table, Staged, str]] = []
            all_errors: list[pa.Table] = []
            all_warnings: list[pa.Table] = []
            for index, (path, table_name) in enumerate(jobs):
                progress(f"reading {path.name}")
                spec = schema.with_choices(schema.TABLES[table_name], choices or {})
                stage = validation.stage_file(con, path, f"stage_{index}", spec, encoding, labels[path])
                progress(f"validating {path.name}")
                typed = f"typed_{index}"
                found = _validate(con, stage, spec, typed, staged, today)
                con.register(f"errors_{index}", found)
                all_errors.append(found)
                all_warnings.append(validation.run_checks(con, validation.warning_checks(stage, spec, typed)))
                staged.append((path, spec, stage, typed))
            found = pa.concat_tables(all_errors) if all_errors else validation.no_errors()
            report = self._write_report(found, import_id, "errors") if found.num_rows else None
            if found.num_rows and not quarantine:
                raise ImportRejected(found.sort_by([("file", "ascending"), ("row", "ascending")]), report)
            con.register("batch_errors", found)
            con.register(
                "all_warnings", pa.concat_tables(all_warnings) if all_warnings else validation.no_errors()
            )
            # A quarantined row's warning is not news: the row was not imported.
            warnings = con.sql(
                "SELECT * FROM all_warnings w WHERE NOT EXISTS "
                "(SELECT 1 FROM batch_errors e WHERE e.file = w.file AND e.row = w.row)"
            ).to_arrow_table()
            outcome = ImportOutcome(
                import_id=import_id,
                errors=found if found.num_rows else None,
                report=report,
                warnings=warnings if warnings.num_rows else None,
                warnings_report=self._write_report(warnings, import_id, "warnings")
                if warnings.num_rows
                else None,
            )
            con.register("batch_warnings", warnings)
            con.execute("BEGIN TRANSACTION")
            try:
                for path, spec, stage, typed in staged:
                    progress(f"writing {spec.name}")
                    outcome.files.append(self._merge(con, path, spec, stage, typed, import_id))
                for name in {f.table for f in outcome.files if f.inserted or f.updated}:
                    _rewrite_in_key_order(con, schema.TABLES[name])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            return outcome
        finally:
            con.close()

    def _merge(
        self,
        con: duckdb.DuckDBPyConnection,
        path: Path,
        spec: Table,
        stage: Staged,
        typed: str,
        import_id: str,
    ) -> FileOutcome:
        target = q(spec.name)
        key_join = " AND ".join(f"i.{q(k)} = t.{q(k)}" for k in spec.key)
        columns = ", ".join(q(c) for c in spec.column_names)
        now = lit(dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" "))
        # A column the file leaves out means "unchanged": the stored value stays (an empty cell clears it).
        values = ", ".join(
            f"i.{q(c)}" if c in stage.columns or c in spec.key else f"t.{q(c)} AS {q(c)}"
            for c in spec.column_names
        )
        # An error in the header (a column missing or unknown) sets the whole file aside: its rows would lose
        # or lack a field.
        rejected = (
            f"SELECT _row FROM {typed} WHERE EXISTS (SELECT 1 FROM batch_errors WHERE file = {lit(stage.label)} AND row = 1) "
            f"UNION SELECT row FROM batch_errors WHERE file = {lit(stage.label)}"
        )
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE incoming AS SELECT {values} FROM {typed} i LEFT JOIN {target} t ON {key_join}
                WHERE i._row NOT IN ({rejected})"""
        )
        quarantined = con.execute(f"SELECT count(*) FROM ({rejected}) WHERE _row > 1").fetchone()[0]
        differs = " OR ".join(
            f"i.{q(c)} IS DISTINCT FROM t.{q(c)}" for c in spec.column_names if c not in spec.key
        )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE changed AS SELECT i.* FROM incoming i JOIN {target} t ON {key_join} WHERE {differs}"
        )
        key_text = " || '|' || ".join(f"CAST(i.{q(k)} AS VARCHAR)" for k in spec.key)
        history = " UNION ALL ".join(
            f"SELECT {lit(import_id)}, TIMESTAMP {now}, {lit(spec.name)}, {key_text}, {lit(c)}, "
            f"CAST(t.{q(c)} AS VARCHAR), CAST(i.{q(c)} AS VARCHAR) FROM changed i JOIN {target} t ON {key_join} "
            f"WHERE i.{q(c)} IS DISTINCT FROM t.{q(c)}"
            for c in spec.column_names
            if c not in spec.key
        )
        con.execute(f"INSERT INTO change_history {history}")
        updated = con.execute("SELECT count(*) FROM changed").fetchone()[0]
        con.execute(f"DELETE FROM {target} t WHERE EXISTS (SELECT 1 FROM changed i WHERE {key_join})")
        rows_in = con.execute("SELECT count(*) FROM incoming").fetchone()[0]
        inserted_total = con.execute(
            f"INSERT INTO {target} ({columns}) SELECT {columns} FROM incoming i "
            f"WHERE NOT EXISTS (SELECT 1 FROM {target} t WHERE {key_join})"
        ).fetchone()[0]
        if quarantined:
            con.execute(
                f"INSERT INTO quarantine SELECT {lit(import_id)}, {lit(spec.name)}, file, row, field, value, rule, message "
                f"FROM batch_errors WHERE file = {lit(stage.label)}"
            )
        warned = con.execute(
            f"INSERT INTO import_warnings SELECT {lit(import_id)}, {lit(spec.name)}, file, row, field, value, rule, message "
            f"FROM batch_warnings WHERE file = {lit(stage.label)}"
        ).fetchone()[0]
        outcome = FileOutcome(
            file=stage.label,
            table=spec.name,
            rows_read=con.execute(f"SELECT count(*) FROM {stage.relation}").fetchone()[0],
            inserted=inserted_total - updated,
            updated=updated,
            unchanged=rows_in - inserted_total,
            quarantined=quarantined,
            warnings=warned,
            encoding=stage.encoding,
        )
        con.execute(
            "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                spec.name,
                str(path),
                _sha256(path),
                outcome.rows_read,
                outcome.inserted,
                outcome.updated,
                outcome.unchanged,
                outcome.quarantined,
            ],
        )
        return outcome

    def _write_report(self, rows: pa.Table, import_id: str, kind: str) -> Path:
        reports = self.data_dir / "reports"
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        ordered = rows.sort_by([("file", "ascending"), ("row", "ascending")])
        csv_path = files.write_table(ordered, reports / f"import-{stamp}-{import_id}-{kind}.csv", "csv")
        if ordered.num_rows <= files.XLSX_MAX_ROWS:
            files.write_table(ordered, csv_path.with_suffix(".xlsx"), "xlsx")
        return csv_path

    # --- export and inspection -------------------------------------------------------------------------------

    def export(self, out_dir: Path, fmt: str = "parquet") -> list[Path]:
        """One file per registry table, in the layout `import` reads, sorted by key."""
        if fmt not in files.FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(files.FORMATS)}")
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        con = self.connect(read_only=True)
        try:
            for spec in schema.TABLES.values():
                select = f"SELECT * FROM {q(spec.name)} ORDER BY {_key_order(spec)}"
                path = out_dir / f"{spec.name}.{fmt}"
                if fmt == "parquet":
                    con.execute(f"COPY ({select}) TO {lit(str(path))} (FORMAT parquet)")
                elif fmt == "csv":
                    con.execute(f"COPY ({select}) TO {lit(str(path))} (FORMAT csv, HEADER)")
                else:
                    files.write_table(con.sql(select).to_arrow_table(), path, "xlsx")
                written.append(path)
        finally:
            con.close()
        return written

    def counts(self) -> dict[str, int]:
        con = self.connect(read_only=True)
        try:
            return {
                name: con.execute(f"SELECT count(*) FROM {q(name)}").fetchone()[0] for name in schema.TABLES
            }
        finally:
            con.close()

    def load_tables(self, tables: dict[str, pa.Table]) -> None:
        """Replace the registry with typed Arrow tables (the demo's and benchmarks' fast path: data that was
        made by `synth` is valid by construction; use `import_files` for anything from outside)."""
        con = self.connect()
        try:
            con.execute("BEGIN TRANSACTION")
            for name, table in tables.items():
                spec = schema.TABLES[name]
                con.register("incoming_arrow", table)
                con.execute(f"DELETE FROM {q(name)}")
                columns = ", ".join(q(c) for c in spec.column_names)
                con.execute(
                    f"INSERT INTO {q(name)} ({columns}) SELECT {columns} FROM incoming_arrow ORDER BY {_key_order(spec)}"
                )
                con.unregister("incoming_arrow")
            con.execute("COMMIT")
        finally:
            con.close()


def _labels(paths: list[Path]) -> dict[Path, str]:
    """How errors name each file: its name, or the path as given where two files of the batch share a name
    (2024/enterprise_year.csv and 2025/enterprise_year.csv), so one file's errors never land on the other."""
    names = [p.name for p in paths]
    return {p: p.name if names.count(p.name) == 1 else str(p) for p in paths}


def _key_order(spec: Table) -> str:
    return ", ".join(q(k) for k in spec.key)


def _rewrite_in_key_order(con: duckdb.DuckDBPyConnection, spec: Table) -> None:
    """Keep each table physically sorted by its key: DuckDB's min/max zone maps then let a lookup of one
    enterprise (explain, readiness) skip almost every row group instead of scanning the table."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _reordered AS SELECT * FROM {q(spec.name)} ORDER BY {_key_order(spec)}"
    )
    con.execute(f"DELETE FROM {q(spec.name)}")
    con.execute(f"INSERT INTO {q(spec.name)} SELECT * FROM _reordered")
    con.execute("DROP TABLE _reordered")


def table_for(path: Path) -> str:
    """The registry table a file feeds, from its name (enterprise_year.csv, title-2025.xlsx...)."""
    stem = path.stem.lower().replace("-", "_")
    for name in sorted(schema.TABLES, key=len, reverse=True):
        if stem == name or stem.startswith(name + "_") or stem.startswith(name + "."):
            return name
    raise files.UnreadableFile(
        f"{path.name}: cannot tell which table this file is for; name it after one of "
        f"{', '.join(schema.TABLES)} (e.g. enterprise_year-2025.xlsx) or pass --table"
    )


def _validate(
    con: duckdb.DuckDBPyConnection, stage: Staged, spec: Table, typed: str, earlier: list, today: dt.date
) -> pa.Table:
    header = validation.header_errors(stage, spec)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {typed} AS {validation.checked_select(stage, spec)}")
    checks = list(validation.cell_checks(stage, spec, typed, today))
    checks += list(validation.row_checks(stage, spec, typed))
    if spec.references_enterprise:
        # Enterprises of this batch count only if their own row is good (a quarantined one is not imported).
        batch_enterprises = [t for _, s, _, t in earlier if s.name == "enterprise"]
        known = " UNION ALL ".join(
            ["SELECT credit_code FROM enterprise"]
            + [
                f"SELECT credit_code FROM {t} WHERE _row NOT IN (SELECT row FROM errors_{t.removeprefix('typed_')})"
                for t in batch_enterprises
            ]
        )
        checks.append(validation.reference_check(stage, typed, known))
    else:
        known = "SELECT credit_code FROM enterprise"
    checks += list(validation.python_check_errors(con, stage, spec, already_checked_sql=known))
    checks += [
        validation.cross_file_duplicates(stage, typed, other, other_typed, spec)
        for _, other_spec, other, other_typed in earlier
        if other_spec.name == spec.name
    ]
    found = validation.run_checks(con, checks)
    if header:
        found = pa.concat_tables([pa.Table.from_pylist(header, schema=found.schema), found])
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
