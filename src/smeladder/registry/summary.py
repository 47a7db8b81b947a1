"""What is in the registry, as plain rows (the services make result models of them, interfaces render them):
enterprises by district (with the district's names), by industrial track, titles valid and exclusions in force
at the end of the latest fiscal year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from smeladder.registry import districts


@dataclass(frozen=True)
class DistrictCount:
    adcode: str
    name_zh: str  # the adcode itself when it is none of the districts
    name_en: str
    enterprises: int
    above_designated_size: int
    operating_revenue: Decimal | None  # yuan, of the latest fiscal year
    rd_expense: Decimal | None


@dataclass(frozen=True)
class TrackCount:
    track: str
    enterprises: int
    strategic_emerging: int


@dataclass(frozen=True)
class TitleCount:
    title: str
    level: str
    enterprises: int


@dataclass(frozen=True)
class ExclusionCount:
    kind: str
    in_force: int
    ever: int


@dataclass(frozen=True)
class RegistrySummary:
    latest_year: int | None
    as_of: dt.date  # the last day of the latest fiscal year: titles valid and exclusions in force on it
    enterprises: int
    districts: list[DistrictCount]
    tracks: list[TrackCount]
    titles: list[TitleCount]
    exclusions: list[ExclusionCount]


def registry_summary(con: duckdb.DuckDBPyConnection) -> RegistrySummary:
    latest = con.execute("SELECT max(fiscal_year) FROM enterprise_year").fetchone()[0]
    names = districts.by_adcode()
    by_district = con.execute(
        """SELECT e.district_adcode, count(*) AS n,
                  count(*) FILTER (WHERE y.above_designated_size) AS above_size,
                  sum(y.operating_revenue) AS revenue, sum(y.rd_expense) AS rd
           FROM enterprise e LEFT JOIN enterprise_year y
             ON y.credit_code = e.credit_code AND y.fiscal_year = ?
           GROUP BY 1 ORDER BY n DESC, 1""",
        [latest],
    ).fetchall()
    district_rows = [
        DistrictCount(
            adcode=a,
            name_zh=names[a].name_zh if a in names else a,
            name_en=names[a].name_en if a in names else a,
            enterprises=n,
            above_designated_size=above,
            operating_revenue=revenue,
            rd_expense=rd,
        )
        for a, n, above, revenue, rd in by_district
    ]
    as_of = dt.date(latest or 2025, 12, 31)
    titles = con.execute(
        """SELECT title, level, count(DISTINCT credit_code) FROM title
           WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
           GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2""",
        [as_of, as_of],
    ).fetchall()
    exclusions = con.execute(
        """SELECT kind, count(*) FILTER (WHERE end_on IS NULL OR end_on >= ?), count(*)
           FROM exclusion GROUP BY 1 ORDER BY 3 DESC, 1""",
        [as_of],
    ).fetchall()
    tracks = con.execute(
        "SELECT industrial_track, count(*), count(*) FILTER (WHERE strategic_emerging) FROM enterprise "
        "GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    return RegistrySummary(
        latest_year=latest,
        as_of=as_of,
        enterprises=sum(d.enterprises for d in district_rows),
        districts=district_rows,
        tracks=[TrackCount(*row) for row in tracks],
        titles=[TitleCount(*row) for row in titles],
        exclusions=[ExclusionCount(*row) for row in exclusions],
    )
