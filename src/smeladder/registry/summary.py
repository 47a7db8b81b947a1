"""What is in the registry, as small tables of plain rows (the CLI and the web render them)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from smeladder.registry import districts


@dataclass(frozen=True)
class Summary:
    title: str
    columns: tuple[str, ...]
    rows: list[tuple]


def registry_summaries(con: duckdb.DuckDBPyConnection) -> list[Summary]:
    latest = con.execute("SELECT max(fiscal_year) FROM enterprise_year").fetchone()[0]
    names = districts.by_adcode()
    by_district = con.execute(
        """SELECT e.district_adcode, count(*) AS n,
                  count(*) FILTER (WHERE y.above_designated_size) AS above_size,
                  sum(y.operating_revenue) AS revenue, sum(y.rd_expense) AS rd
           FROM enterprise e LEFT JOIN enterprise_year y
             ON y.credit_code = e.credit_code AND y.fiscal_year = ?
           GROUP BY 1 ORDER BY n DESC""",
        [latest],
    ).fetchall()
    total = sum(r[1] for r in by_district) or 1
    district_rows = [
        (
            f"{names[a].name_zh} {names[a].name_en}" if a in names else a,
            n,
            f"{100 * n / total:.1f}%",
            above,
            _yi(revenue),
            _yi(rd),
        )
        for a, n, above, revenue, rd in by_district
    ]
    as_of = f"{latest}-12-31" if latest else "2025-12-31"
    titles = con.execute(
        """SELECT title, level, count(DISTINCT credit_code) FROM title
           WHERE valid_from <= CAST(? AS DATE) AND (valid_to IS NULL OR valid_to >= CAST(? AS DATE))
           GROUP BY 1, 2 ORDER BY 3 DESC""",
        [as_of, as_of],
    ).fetchall()
    exclusions = con.execute(
        """SELECT kind, count(*) FILTER (WHERE end_on IS NULL OR end_on >= CAST(? AS DATE)), count(*)
           FROM exclusion GROUP BY 1 ORDER BY 3 DESC""",
        [as_of],
    ).fetchall()
    tracks = con.execute(
        "SELECT industrial_track, count(*), count(*) FILTER (WHERE strategic_emerging) FROM enterprise "
        "GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    return [
        Summary(
            f"Enterprises by district (figures for {latest})",
            ("district", "enterprises", "share", "above designated size", "revenue (亿元)", "R&D (亿元)"),
            district_rows,
        ),
        Summary("Enterprises by industrial track", ("track", "enterprises", "strategic emerging"), tracks),
        Summary(f"Titles valid on {as_of}", ("title", "level", "enterprises"), titles),
        Summary(f"Exclusions (in force on {as_of} / ever)", ("kind", "in force", "ever"), exclusions),
    ]


def _yi(amount) -> str:
    """Yuan to 亿元 (100 million yuan), the unit district reports use."""
    return "—" if amount is None else f"{amount / 100_000_000:,.1f}"
