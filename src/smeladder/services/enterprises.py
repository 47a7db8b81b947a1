"""Enterprises of the registry: look one up by its credit code, or search them by name, district, title and
track, a page at a time.

The record models are made from the registry's table specs (registry/schema.py), the one place a column is
declared, so a column added there appears here, in `--json` and in the API without being written twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field, create_model

from smeladder.errors import InvalidInput, NotFound
from smeladder.registry import credit_code as codes
from smeladder.registry import districts, schema
from smeladder.services.context import AppContext
from smeladder.services.models import Result

PYTHON_TYPES: dict[str, type] = {
    "str": str,
    "int": int,
    "bool": bool,
    "date": dt.date,
    "money": Decimal,
    "percent": Decimal,
    "float": float,
}
MAX_PAGE = 1000
SEARCHED = ("name_zh", "name_en", "credit_code")  # the columns a search's words are looked for in


def row_model(name: str, table: schema.Table, doc: str, leave_out: tuple[str, ...] = ()) -> type[Result]:
    """A result model with one field per column of `table` (required columns are never null once
    imported), described as the schema describes it, with its unit (`unit_of`)."""
    fields: dict[str, Any] = {}
    for column in table.columns:
        if column.name in leave_out:
            continue
        kind = PYTHON_TYPES[column.dtype]
        described = {"description": column.description, "json_schema_extra": {"unit": column.unit}}
        if column.required:
            fields[column.name] = (kind, Field(**described))
        else:
            fields[column.name] = (kind | None, Field(default=None, **described))
    return create_model(name, __base__=Result, __doc__=doc, **fields)


def unit_of(model: type[Result], field: str) -> str:
    """The unit of a field made from a registry column (yuan, persons, %...); empty if it has none."""
    extra = model.model_fields[field].json_schema_extra
    return str(extra.get("unit", "")) if isinstance(extra, dict) else ""


EnterpriseRecord = row_model("EnterpriseRecord", schema.ENTERPRISE, "An enterprise as registered.")
Figures = row_model(
    "Figures", schema.ENTERPRISE_YEAR, "An enterprise's figures for one fiscal year.", ("credit_code",)
)
TitleRecord = row_model("TitleRecord", schema.TITLE, "A designation held or once held.", ("credit_code",))
ExclusionRecord = row_model(
    "ExclusionRecord", schema.EXCLUSION, "A fact that excludes from support.", ("credit_code",)
)


class TitleHeld(TitleRecord):  # type: ignore[misc,valid-type]
    valid: bool = Field(description="Valid on the as-of date.")


class ExclusionHeld(ExclusionRecord):  # type: ignore[misc,valid-type]
    in_force: bool = Field(description="In force on the as-of date.")


class Enterprise(EnterpriseRecord):  # type: ignore[misc,valid-type]
    district_zh: str
    district_en: str
    as_of: dt.date = Field(description="The date the titles' validity and the exclusions are read on.")
    latest: Figures | None = Field(description="The figures of the latest fiscal year on record.")  # type: ignore[valid-type]
    years: list[int] = Field(description="Every fiscal year on record.")
    titles: list[TitleHeld]
    exclusions: list[ExclusionHeld]


class EnterpriseRow(Result):
    credit_code: str
    name_zh: str
    name_en: str | None
    district_adcode: str
    district_zh: str
    district_en: str
    industrial_track: str
    titles: list[str] = Field(description="Titles valid on the as-of date.")


class EnterprisePage(Result):
    """One page of a search, in credit-code order. Pass `next_after` back as `after` for the next page."""

    as_of: dt.date
    matched: int = Field(description="Enterprises matching the search, on every page.")
    enterprises: list[EnterpriseRow]
    next_after: str | None = Field(description="The cursor of the next page; None on the last page.")


def get(ctx: AppContext, credit_code: str, as_of: dt.date | None = None) -> Enterprise:
    """One enterprise: its registration, its latest figures, its titles and exclusions with their validity
    on `as_of` (default: today in Shanghai)."""
    code = credit_code.strip().upper()
    day = ctx.as_of(as_of)
    con = ctx.registry.connect(read_only=True)
    try:
        found = _dicts(con.execute("SELECT * FROM enterprise WHERE credit_code = ?", [code]))
        if not found:
            problem = codes.problem(code)
            why = f" ({code!r} is not a credit code: {problem})" if problem else ""
            raise NotFound(f"no enterprise {code} in the registry{why}", next_action="find_enterprise")
        years = _dicts(
            con.execute("SELECT * FROM enterprise_year WHERE credit_code = ? ORDER BY fiscal_year", [code])
        )
        titles = _dicts(
            con.execute(
                "SELECT *, valid_from <= $day AND (valid_to IS NULL OR valid_to >= $day) AS valid FROM title "
                "WHERE credit_code = $code ORDER BY valid DESC, valid_from DESC, title",
                {"code": code, "day": day},
            )
        )
        exclusions = _dicts(
            con.execute(
                "SELECT *, start_on <= $day AND (end_on IS NULL OR end_on >= $day) AS in_force FROM exclusion "
                "WHERE credit_code = $code ORDER BY in_force DESC, start_on DESC",
                {"code": code, "day": day},
            )
        )
    finally:
        con.close()
    record = found[0]
    district = districts.by_adcode().get(record["district_adcode"])
    return Enterprise(
        **record,
        district_zh=district.name_zh if district else record["district_adcode"],
        district_en=district.name_en if district else record["district_adcode"],
        as_of=day,
        latest=Figures(**_without_code(years[-1])) if years else None,
        years=[year["fiscal_year"] for year in years],
        titles=[TitleHeld(**_without_code(t)) for t in titles],
        exclusions=[ExclusionHeld(**_without_code(e)) for e in exclusions],
    )


def search(
    ctx: AppContext,
    text: str | None = None,
    district: str | None = None,
    title: str | None = None,
    track: str | None = None,
    after: str | None = None,
    limit: int = 50,
    as_of: dt.date | None = None,
) -> EnterprisePage:
    """Enterprises whose name (Chinese or English, any part, any case) or credit code contains every word
    of `text`, registered in `district` (its code or name), holding `title` valid on `as_of` (default: today
    in Shanghai), on industrial `track`; `limit` of them after the credit code `after` (keyset pagination:
    a page never shifts when an earlier one changes)."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit {limit}: ask for 1 to {MAX_PAGE} enterprises a page")
    day = ctx.as_of(as_of)
    titles = tuple(ctx.pack.ladder.titles) if ctx.pack.ladder is not None else None
    where, params = _conditions(text, district, title, track, day, titles)
    con = ctx.registry.connect(read_only=True)
    try:
        # One scan: the window counts every match before the cursor and the limit pick the page.
        page = _dicts(
            con.execute(
                f"""SELECT * FROM (
                        SELECT credit_code, name_zh, name_en, district_adcode, industrial_track,
                               count(*) OVER () AS matched
                        FROM enterprise e WHERE {where})
                    WHERE credit_code > $after ORDER BY credit_code LIMIT $limit""",
                {**params, "after": (after or "").strip().upper(), "limit": limit + 1},
            )
        )
        if page:
            matched = page[0]["matched"]
        elif after:  # past the last page: the count still says how many match
            matched = con.execute(f"SELECT count(*) FROM enterprise e WHERE {where}", params).fetchone()[0]
        else:
            matched = 0
        more, page = len(page) > limit, page[:limit]
        held = dict(
            con.execute(
                """SELECT credit_code, list_sort(list(DISTINCT title)) FROM title
                   WHERE list_contains($codes, credit_code)
                     AND valid_from <= $day AND (valid_to IS NULL OR valid_to >= $day)
                   GROUP BY 1""",
                {"codes": [row["credit_code"] for row in page], "day": day},
            ).fetchall()
        )
    finally:
        con.close()
    names = districts.by_adcode()
    rows = []
    for row in page:
        place = names.get(row["district_adcode"])
        del row["matched"]
        rows.append(
            EnterpriseRow(
                **row,
                district_zh=place.name_zh if place else row["district_adcode"],
                district_en=place.name_en if place else row["district_adcode"],
                titles=held.get(row["credit_code"], []),
            )
        )
    return EnterprisePage(
        as_of=day, matched=matched, enterprises=rows, next_after=rows[-1].credit_code if more else None
    )


def district_adcode(text: str) -> str:
    """The adcode of the district `text` names (code, or name in Chinese or English), or InvalidInput."""
    found = districts.find(text)
    if found is None:
        known = ", ".join(f"{d.name_en} ({d.adcode})" for d in districts.load_districts())
        raise InvalidInput(f"district {text!r}: none of Shanghai's districts; choose one of {known}")
    return found.adcode


def _conditions(
    text: str | None,
    district: str | None,
    title: str | None,
    track: str | None,
    day: dt.date,
    titles: tuple[str, ...] | None,
) -> tuple[str, dict[str, Any]]:
    """The WHERE clause and exactly the parameters it names (DuckDB refuses any other); `titles`: the pack's
    title codes (None: any)."""
    clauses, params = ["true"], {}
    for index, word in enumerate((text or "").split()):
        # contains() takes the word literally (% and _ are no wildcards) and keeps DuckDB's fast path.
        params[f"w{index}"] = word.lower()
        either = " OR ".join(f"contains(lower(e.{c}), $w{index})" for c in SEARCHED)
        clauses.append(f"({either})")
    if district:
        params["district"] = district_adcode(district)
        clauses.append("e.district_adcode = $district")
    if title:
        if titles is not None and title not in titles:
            raise InvalidInput(f"title {title!r}: choose one of {', '.join(titles)}")
        params["title"], params["day"] = title, day
        clauses.append(
            "EXISTS (SELECT 1 FROM title t WHERE t.credit_code = e.credit_code AND t.title = $title "
            "AND t.valid_from <= $day AND (t.valid_to IS NULL OR t.valid_to >= $day))"
        )
    if track:
        if track not in schema.TRACKS:
            raise InvalidInput(f"track {track!r}: choose one of {', '.join(schema.TRACKS)}")
        params["track"] = track
        clauses.append("e.industrial_track = $track")
    return " AND ".join(clauses), params


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _without_code(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "credit_code"}
