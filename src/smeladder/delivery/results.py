"""The entitlement-results table the rules engine writes and rounds read (documented in docs/delivery.md).

Long format, one row per (run, enterprise, measure, period):

    run_id, as_of, rule_version, input_snapshot, credit_code, district_adcode, measure_id, period,
    eligible, amount, stacking_group, level, reasons_json

stored as Parquet (a file, a directory or a glob) or as a table in a DuckDB file. `amount` is DECIMAL(18,2)
yuan: a floating-point amount is refused, money is never a float. Several runs may share a table; run ids
must sort in the order the runs were made (the newest run wins in `evaluate_one`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from smeladder import money
from smeladder.delivery.candidates import LEVELS, CandidateRecord, SourceRun
from smeladder.delivery.errors import SourceError

RESULTS_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("as_of", pa.date32()),
        ("rule_version", pa.string()),
        ("input_snapshot", pa.string()),
        ("credit_code", pa.string()),
        ("district_adcode", pa.string()),
        ("measure_id", pa.string()),
        ("period", pa.string()),
        ("eligible", pa.bool_()),
        ("amount", pa.decimal128(18, 2)),
        ("stacking_group", pa.string()),
        ("level", pa.string()),
        ("reasons_json", pa.string()),
    ]
)
# Optional: the account on file the payment goes to. A table without them is read as having no account.
ACCOUNT_SCHEMA = pa.schema(
    [("account_name", pa.string()), ("account_no", pa.string()), ("bank_name", pa.string())]
)
DEFAULT_TABLE = "entitlement_results"
# GB 32100-2015 characters (no I, O, S, V, Z); the check character itself was validated at registry import.
CREDIT_CODE_PATTERN = "^[0-9A-HJ-NPQRTUWXY]{18}$"


class EntitlementResults:
    """A `CandidateSource` over an entitlement-results table.

    >>> source = EntitlementResults("results/*.parquet")                        # doctest: +SKIP
    >>> source = EntitlementResults("engine.duckdb", table="entitlement_results")  # doctest: +SKIP
    """

    def __init__(self, path: Path | str, *, run_id: str | None = None, table: str = DEFAULT_TABLE) -> None:
        self.path = Path(path)
        self.uri = str(path)
        self.run_id = run_id
        self._db = duckdb.connect()
        if self.path.suffix == ".duckdb":
            if not self.path.exists():
                raise SourceError(f"results database {self.path} does not exist")
            self._db.execute(f"ATTACH '{_quote(self.path)}' AS results (READ_ONLY)")
            self._relation = f"results.{_identifier(table)}"
            self._position = "NULL::VARCHAR AS source_file, NULL::BIGINT AS source_row"
            self.uri = f"{self.path}#{table}"
        else:
            pattern = self.path / "**" / "*.parquet" if self.path.is_dir() else self.path
            self._relation = f"read_parquet('{_quote(pattern)}', filename = true, file_row_number = true, union_by_name = true)"
            self._position = "filename AS source_file, file_row_number + 1 AS source_row"
        present = self._check_columns()
        self._columns = ", ".join(
            [
                *RESULTS_SCHEMA.names,
                *(
                    f"coalesce({name}, '') AS {name}" if name in present else f"'' AS {name}"
                    for name in ACCOUNT_SCHEMA.names
                ),
            ]
        )

    # -- CandidateSource -------------------------------------------------------------------------------

    def run(self, measure_id: str, period: str) -> SourceRun:
        if self.run_id is None:
            row = self._db.execute(
                f"SELECT run_id FROM {self._relation} WHERE measure_id = ? AND period = ? "
                "ORDER BY as_of DESC, run_id DESC LIMIT 1",
                [measure_id, period],
            ).fetchone()
            if row is None:
                raise SourceError(f"{self.uri}: no results for measure {measure_id}, period {period}")
            run_id = row[0]
        else:
            run_id = self.run_id
        frozen = self._db.execute(
            f"SELECT DISTINCT as_of, rule_version, input_snapshot FROM {self._relation} "
            "WHERE run_id = ? AND measure_id = ? AND period = ?",
            [run_id, measure_id, period],
        ).fetchall()
        if not frozen:
            raise SourceError(
                f"{self.uri}: run {run_id!r} has no results for measure {measure_id}, period {period}"
            )
        if len(frozen) > 1:
            raise SourceError(
                f"{self.uri}: run {run_id!r} mixes {len(frozen)} combinations of as_of, rule_version and "
                "input_snapshot; a run is one evaluation with one of each"
            )
        self._validate(run_id, measure_id, period)
        as_of, rule_version, input_snapshot = frozen[0]
        return SourceRun(self.uri, run_id, as_of, rule_version, input_snapshot)

    def batches(self, measure_id: str, period: str, batch_size: int) -> Iterator[list[CandidateRecord]]:
        run = self.run(measure_id, period)
        reader = self._db.sql(
            f"SELECT {self._columns} FROM {self._relation} WHERE run_id = ? AND measure_id = ? AND period = ? "
            "AND eligible ORDER BY credit_code",
            params=[run.run_id, measure_id, period],
        ).to_arrow_reader(batch_size)
        for batch in reader:
            yield [_record(row) for row in batch.to_pylist()]

    def evaluate_one(self, credit_code: str, measure_id: str, period: str) -> CandidateRecord | None:
        rows = (
            self._db.sql(
                f"SELECT {self._columns} FROM {self._relation} WHERE credit_code = ? AND measure_id = ? AND period = ? "
                "ORDER BY as_of DESC, run_id DESC LIMIT 1",
                params=[credit_code, measure_id, period],
            )
            .to_arrow_table()
            .to_pylist()
        )
        if not rows:
            return None
        self._validate(rows[0]["run_id"], measure_id, period, credit_code=credit_code)
        return _record(rows[0])

    # -- validation ------------------------------------------------------------------------------------

    def _check_columns(self) -> set[str]:
        """Check the required columns and the amount's type; the names of all columns present."""
        try:
            described = self._db.execute(f"DESCRIBE SELECT * FROM {self._relation}").fetchall()
        except duckdb.Error as exc:
            raise SourceError(f"{self.uri}: cannot read the results table: {exc}") from exc
        types = {name: dtype for name, dtype, *_ in described}
        missing = [name for name in RESULTS_SCHEMA.names if name not in types]
        if missing:
            raise SourceError(f"{self.uri}: missing column(s) {', '.join(missing)} (see docs/delivery.md)")
        amount_type = types["amount"].upper()
        if not (amount_type.startswith("DECIMAL") and _scale(amount_type) <= 2) and amount_type not in (
            "BIGINT",
            "INTEGER",
        ):
            raise SourceError(
                f"{self.uri}: column amount is {amount_type}; it must be DECIMAL(18,2) yuan (money is never a float)"
            )
        return set(types)

    def _validate(self, run_id: str, measure_id: str, period: str, credit_code: str | None = None) -> None:
        """Refuse the whole run at its first bad row, naming the row, the field, the value and the rule."""
        where = "run_id = ? AND measure_id = ? AND period = ?"
        params: list[object] = [run_id, measure_id, period]
        if credit_code is not None:
            where += " AND credit_code = ?"
            params.append(credit_code)
        levels = ", ".join(f"'{level}'" for level in LEVELS)
        checks = [
            ("credit_code", f"credit_code IS NULL OR NOT regexp_full_match(credit_code, '{CREDIT_CODE_PATTERN}')",
             "an 18-character unified social credit code (GB 32100-2015)"),
            ("district_adcode", "district_adcode IS NULL OR NOT regexp_full_match(district_adcode, '[0-9]{6}')",
             "a 6-digit national adcode"),
            ("eligible", "eligible IS NULL", "true or false"),
            ("amount", "amount IS NULL OR amount < 0", "an amount in yuan, 0 or more"),
            ("level", f"level IS NULL OR level NOT IN ({levels})", f"one of {', '.join(LEVELS)}"),
            ("stacking_group", "stacking_group IS NULL OR stacking_group = ''", "a stacking group id"),
            ("reasons_json", "reasons_json IS NULL OR NOT json_valid(reasons_json)", "valid JSON"),
        ]  # fmt: skip
        for field, condition, rule in checks:
            bad = self._db.execute(
                f"SELECT {self._position}, credit_code, CAST({field} AS VARCHAR) FROM {self._relation} "
                f"WHERE {where} AND ({condition}) LIMIT 1",
                params,
            ).fetchone()
            if bad is not None:
                source_file, source_row, code, value = bad
                place = f"{source_file} row {source_row}" if source_file else f"{self.uri}"
                raise SourceError(
                    f"{place} (run {run_id}, enterprise {code}): field {field} = {value!r} is not {rule}"
                )
        duplicate = self._db.execute(
            f"SELECT credit_code, count(*) FROM {self._relation} WHERE {where} "
            "GROUP BY credit_code HAVING count(*) > 1 LIMIT 1",
            params,
        ).fetchone()
        if duplicate is not None:
            raise SourceError(
                f"{self.uri}: enterprise {duplicate[0]} appears {duplicate[1]} times in run {run_id} for "
                f"measure {measure_id}, period {period}; a run has one result per enterprise"
            )


def write_results(table: pa.Table, path: Path | str) -> Path:
    """Write results in the documented format (Parquet), checking the schema first; the account columns are
    kept when the table has them."""
    schema = pa.schema(
        [*RESULTS_SCHEMA, *(field for field in ACCOUNT_SCHEMA if field.name in table.column_names)]
    )
    table = table.select(schema.names).cast(schema)
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def _record(row: dict) -> CandidateRecord:
    amount = row["amount"]
    amount = amount if isinstance(amount, Decimal) else money.to_fen(amount)
    reasons = row["reasons_json"]
    if not isinstance(reasons, str):  # a DuckDB JSON column comes back parsed
        reasons = json.dumps(reasons, ensure_ascii=False)
    as_of = row.get("as_of")
    assert as_of is None or isinstance(as_of, date)
    return CandidateRecord(
        credit_code=row["credit_code"],
        district_adcode=row["district_adcode"],
        measure_id=row["measure_id"],
        period=str(row["period"]),
        eligible=bool(row["eligible"]),
        amount=amount,
        stacking_group=row["stacking_group"],
        level=row["level"],
        reasons_json=reasons,
        rule_version=row["rule_version"],
        input_snapshot=row["input_snapshot"],
        account_name=row["account_name"],
        account_no=row["account_no"],
        bank_name=row["bank_name"],
    )


def _scale(decimal_type: str) -> int:
    inside = decimal_type[decimal_type.find("(") + 1 : decimal_type.find(")")]
    return int(inside.split(",")[1]) if "," in inside else 0


def _quote(value: object) -> str:
    return str(value).replace("'", "''")


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise SourceError(f"table name {name!r}: letters, digits and underscores only")
    return name
