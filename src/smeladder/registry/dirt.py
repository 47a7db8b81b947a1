"""Realistic mistakes for import drills (`smeladder synth --dirty-rate`): the kinds officers' files carry.

Tables come back with every column as text, since several mistakes ("1.2万" in a money column) cannot be
held by the typed column.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

Row = dict[str, str | None]


def _bad_check_character(row: Row, rng: np.random.Generator) -> None:
    code = row["credit_code"]
    replacement = "0" if code[-1] != "0" else "1"
    row["credit_code"] = code[:-1] + replacement


def _three_decimals(row: Row, rng: np.random.Generator) -> None:
    amount = row["operating_revenue"]
    row["operating_revenue"] = amount + ("7" if "." in amount else ".127")  # a warning, not an error


ENTERPRISE_MISTAKES: tuple[Callable[[Row, np.random.Generator], None], ...] = (
    _bad_check_character,
    lambda row, rng: row.update(district_adcode="310199"),
    lambda row, rng: row.update(latitude="12.5"),
    lambda row, rng: row.update(founded_on="2019-02-30"),
    lambda row, rng: row.update(size_class="huge"),
    lambda row, rng: row.update(name_zh=None),
)
YEAR_MISTAKES: tuple[Callable[[Row, np.random.Generator], None], ...] = (
    lambda row, rng: row.update(operating_revenue="-" + row["operating_revenue"]),
    lambda row, rng: row.update(total_assets="0.00"),  # liabilities stay: liabilities without assets
    lambda row, rng: row.update(fiscal_year=str(rng.choice([1899, 2099]))),
    lambda row, rng: row.update(rd_expense="1.2万"),
    _three_decimals,
    lambda row, rng: row.update(rd_staff=str(int(row["employees"]) + 5)),
)
TITLE_MISTAKES: tuple[Callable[[Row, np.random.Generator], None], ...] = (
    lambda row, rng: row.update(valid_to="2020-01-01"),
    lambda row, rng: row.update(title="best_company"),
)
EXCLUSION_MISTAKES: tuple[Callable[[Row, np.random.Generator], None], ...] = (
    lambda row, rng: row.update(kind="late_filing"),
    lambda row, rng: row.update(start_on="yesterday"),
)
APPLICATION_MISTAKES: tuple[Callable[[Row, np.random.Generator], None], ...] = (
    lambda row, rng: row.update(measure="M9.9"),
    lambda row, rng: row.update(fiscal_year="2099"),
)
MISTAKES = {
    "enterprise": ENTERPRISE_MISTAKES,
    "enterprise_year": YEAR_MISTAKES,
    "title": TITLE_MISTAKES,
    "exclusion": EXCLUSION_MISTAKES,
    "application": APPLICATION_MISTAKES,
}


def soil(tables: dict[str, pa.Table], rng: np.random.Generator, rate: float) -> dict[str, pa.Table]:
    """Give about `rate` of each table's rows one mistake; enterprise-years also get duplicated rows."""
    soiled = {}
    for name, table in tables.items():
        rows = as_text(table).to_pylist()
        chosen = np.flatnonzero(rng.random(len(rows)) < rate)
        mistakes = MISTAKES[name]
        for index in chosen:
            mistakes[int(rng.integers(0, len(mistakes)))](rows[index], rng)
        if name == "enterprise_year" and len(rows) > 1:
            duplicates = rng.choice(len(rows), size=max(1, int(len(rows) * rate / 5)), replace=False)
            rows.extend(dict(rows[i]) for i in duplicates)
        soiled[name] = pa.Table.from_pylist(
            rows, schema=pa.schema([(c, pa.string()) for c in table.column_names])
        )
    return soiled


def as_text(table: pa.Table) -> pa.Table:
    return pa.table({name: table[name].cast(pa.string()) for name in table.column_names})
