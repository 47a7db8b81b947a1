"""The ladder over the whole registry: `funnel` (title holders and firms meeting each rung's criteria, and the
beneficiaries and cost of each money measure) and `invite` (the firms meeting a rung without its title, or a
few conditions short of it, with what they lack and a letter each).

Both can be written to a file whose suffix (or `fmt`) says its format: csv, xlsx or json, one row per line of
the result, with district names beside the codes. A CSV carries a byte-order mark, without which Excel, that
officers open it with, misreads Chinese names.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from smeladder.errors import InvalidInput
from smeladder.registry import districts
from smeladder.rules.errors import PackError
from smeladder.services import exports
from smeladder.services.context import AppContext
from smeladder.services.letters import checked_language
from smeladder.services.models import Result

FILE_FORMATS = ("csv", "xlsx", "json")
LISTING = "invitations"  # the listing's file name in an --out directory
LETTERS = "letters"  # the letters' folder beside the listing


class RungCount(Result):
    """One line of the funnel: a rung (or another designation, which has no holders counted)."""

    name: str
    criterion: str  # the pack variable that decides it on the date
    holders: int | None
    meeting_criteria: int
    meeting_without_title: int | None


class MeasureCost(Result):
    """Beneficiaries and cost of one money measure after stacking; the last line is the total."""

    measure: str
    name: str
    variable: str
    beneficiaries: int | None
    cost: Decimal
    budget: Decimal | None  # the yearly budget parameter, a placeholder until the fund's officer sets it
    figures_confirmed: bool | None


class Funnel(Result):
    as_of: dt.date
    lang: str
    pack: str
    rule_version: str
    rungs: list[RungCount]
    measures: list[MeasureCost]
    out: Path | None = None
    format: str | None = None


class Invitation(Result):
    """One enterprise to invite for one rung, and the conditions it lacks (none: it meets them all)."""

    credit_code: str
    name_zh: str | None
    name_en: str | None
    district_adcode: str | None
    district: str  # the district's name in the result's language
    rung: str
    rung_name: str
    missing: int
    lacking: list[str]


class Invitations(Result):
    as_of: dt.date
    lang: str
    rung: str | None  # the one rung asked for, else every rung
    district_adcode: str | None
    missing: int
    invitations: list[Invitation]
    enterprises: int  # distinct enterprises (one may be invited for two rungs)
    by_rung: dict[str, int]  # rung name -> invitations, lowest rung first
    out: Path | None = None
    format: str | None = None
    letters: Path | None = None  # the folder of the letters written, one per enterprise
    letters_written: int = 0


def funnel(
    ctx: AppContext,
    as_of: dt.date | None = None,
    lang: str = "zh",
    *,
    out: Path | None = None,
    fmt: str | None = None,
) -> Funnel:
    """The ladder funnel and the cost per money measure on `as_of` (default: today in Shanghai); written to
    `out` (rungs, then measures, one table) if given."""
    from smeladder.ladder.funnel import ladder_funnel, measure_costs

    day, language = ctx.as_of(as_of), checked_language(lang)
    chosen = _file_format(out, fmt)
    pack, source = ctx.pack, ctx.source
    try:
        rungs = ladder_funnel(pack, source, day, language)
        costs = measure_costs(pack, source, day, language)
    except PackError as exc:
        raise InvalidInput(str(exc)) from None
    result = Funnel(
        as_of=day,
        lang=language,
        pack=pack.name,
        rule_version=pack.version,
        rungs=[RungCount(name=row.pop("rung"), **row) for row in rungs],
        measures=[MeasureCost(**row) for row in costs],
        out=out,
        format=chosen,
    )
    if out is not None:
        exports.write(funnel_rows(result), out, chosen, for_excel=True)
    return result


def funnel_rows(result: Funnel) -> list[dict[str, Any]]:
    """The funnel as one table for a file: the rungs, then the measures, each line saying which it is."""
    columns = ("part", "measure", *RungCount.model_fields, *MeasureCost.model_fields)
    blank = dict.fromkeys(columns)
    rows = [blank | {"part": "ladder"} | rung.model_dump() for rung in result.rungs]
    rows += [blank | {"part": "measures"} | measure.model_dump() for measure in result.measures]
    return rows


def invite(
    ctx: AppContext,
    as_of: dt.date | None = None,
    lang: str = "zh",
    *,
    rung: str | None = None,
    district: str | None = None,
    missing: int = 0,
    out: Path | None = None,
    fmt: str | None = None,
    letters: bool = True,
    actions: Mapping[str, str] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Invitations:
    """The firms to invite on `as_of`: those that meet a rung's criteria without its title, and with
    `missing` = N those N conditions or fewer from it (the rungs above the first), with what they lack.
    `district`: an adcode or a district's name. `out`: a file (.csv, .xlsx, .json) or a directory (which gets
    invitations.csv); with `letters`, one letter per enterprise in the folder `letters` beside the listing,
    its next actions worded by `actions` (see `letters.render`). `progress(step, total)`: once per letter."""
    from smeladder.ladder.funnel import invitations
    from smeladder.services.enterprises import district_adcode

    day, language = ctx.as_of(as_of), checked_language(lang)
    adcode = district_adcode(district) if district else None
    listing, chosen = _listing_path(out, fmt)
    try:
        rows = invitations(ctx.pack, ctx.source, day, rung, adcode, missing)
    except (PackError, ValueError) as exc:  # ValueError: an unknown rung, a negative count
        raise InvalidInput(str(exc)) from None
    names = districts.by_adcode()
    found = [
        Invitation(
            credit_code=row["credit_code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            district_adcode=row["district_adcode"],
            district=_district_name(names, row["district_adcode"], language),
            rung=row["rung"],
            rung_name=ctx.pack.ladder.rung(row["rung"]).label_in(language, day),
            missing=row["missing"],
            lacking=row[f"lacking_{language}"],
        )
        for row in rows
    ]
    by_rung = dict(Counter(invitation.rung_name for invitation in found))
    codes = list(dict.fromkeys(invitation.credit_code for invitation in found))
    result = Invitations(
        as_of=day,
        lang=language,
        rung=rung,
        district_adcode=adcode,
        missing=missing,
        invitations=found,
        enterprises=len(codes),
        by_rung=by_rung,
        out=listing,
        format=chosen,
    )
    if listing is None:
        return result
    exports.write(invitation_rows(result), listing, chosen, for_excel=True)
    if not (letters and codes):
        return result
    folder = listing.parent / LETTERS
    _write_letters(ctx, codes, day, language, folder, actions, progress)
    return result.model_copy(update={"letters": folder, "letters_written": len(codes)})


def invitation_rows(result: Invitations) -> list[dict[str, Any]]:
    """The invitations as a table for a file: the conditions lacking in one cell."""
    separator = "；" if result.lang == "zh" else "; "
    return [
        {**invitation.model_dump(exclude={"lacking"}), "lacking": separator.join(invitation.lacking)}
        for invitation in result.invitations
    ]


def _write_letters(
    ctx: AppContext,
    codes: list[str],
    day: dt.date,
    lang: str,
    folder: Path,
    actions: Mapping[str, str] | None,
    progress: Callable[[str, int], None] | None,
) -> None:
    from smeladder.services.letters import letter_of, render

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for code in codes:
            # The same document `explain` and `readiness` give.
            text = render(letter_of(ctx, code, day, lang), "text", actions)
            (folder / f"{code}.txt").write_text(text + "\n", encoding="utf-8")
            if progress is not None:
                progress("writing letters", len(codes))
    except OSError as exc:
        raise InvalidInput(f"{folder}: cannot write the letters ({exc.strerror or exc})") from None


def _listing_path(out: Path | None, fmt: str | None) -> tuple[Path | None, str | None]:
    """The listing's file and format: `out` itself if its suffix names a format, else invitations.<fmt>
    (default csv) inside the directory `out`."""
    if out is None:
        return None, _file_format(None, fmt)
    if out.suffix.lower() in exports.BY_SUFFIX:
        return out, _file_format(out, fmt)
    chosen = exports.output_format(None, fmt, allowed=FILE_FORMATS) or "csv"
    return out / f"{LISTING}.{chosen}", chosen


def _file_format(out: Path | None, fmt: str | None) -> str | None:
    if out is None and fmt == "xlsx":
        raise InvalidInput("an Excel workbook is a file: give the file to write (--out NAME.xlsx)")
    return exports.output_format(out, fmt, allowed=FILE_FORMATS)


def _district_name(names: dict[str, districts.District], adcode: str | None, lang: str) -> str:
    place = names.get(adcode or "")
    if place is None:
        return adcode or ""
    return place.name_zh if lang == "zh" else place.name_en
