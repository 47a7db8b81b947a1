"""The enterprises the network serves, read from the registry: location, district, track, size and ladder tier
as of a date.

Tier is the highest ladder title valid on the as-of date: single_champion > little_giant > ss_sme >
innovative_sme (2022 set) or tech_innovative_sme (2026 set, reported as innovative_sme) > none.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from smeladder.registry.store import RegistryStore

# Ladder titles from the top; the first valid one is the tier.
TIER_RANKS = {
    "single_champion": 4,
    "little_giant": 3,
    "ss_sme": 2,
    "innovative_sme": 1,
    "tech_innovative_sme": 1,
}
TIER_BY_RANK = {4: "single_champion", 3: "little_giant", 2: "ss_sme", 1: "innovative_sme", 0: "none"}
COLUMNS = (
    "credit_code",
    "name_zh",
    "district_adcode",
    "latitude",
    "longitude",
    "industrial_track",
    "size_class",
)


def with_tiers(enterprises: pl.DataFrame, titles: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Add `tier`: the highest ladder title valid on `as_of` (valid_to empty = no end)."""
    valid = titles.filter(
        pl.col("title").is_in(list(TIER_RANKS))
        & (pl.col("valid_from") <= as_of)
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= as_of))
    )
    best = valid.group_by("credit_code").agg(
        pl.col("title").replace_strict(TIER_RANKS, return_dtype=pl.Int8).max().alias("tier_rank")
    )
    return (
        enterprises.join(best, on="credit_code", how="left")
        .with_columns(
            pl.col("tier_rank")
            .fill_null(0)
            .replace_strict(TIER_BY_RANK, return_dtype=pl.String)
            .alias("tier")
        )
        .drop("tier_rank")
    )


def load_enterprises(data_dir: Path | str | None, as_of: date, smes_only: bool = True) -> pl.DataFrame:
    """Enterprises from `<data_dir>/registry.duckdb` with their tier on `as_of`.

    `smes_only` leaves out large enterprises: the 3-km circle is promised to SMEs (M6.2b). Enterprises founded
    after `as_of` are left out too.
    """
    store = RegistryStore(data_dir)
    con = store.connect(read_only=True)
    try:
        where = ["latitude IS NOT NULL", "longitude IS NOT NULL", f"founded_on <= DATE '{as_of.isoformat()}'"]
        if smes_only:
            where.append("size_class <> 'large'")
        enterprises = con.sql(f"SELECT {', '.join(COLUMNS)} FROM enterprise WHERE {' AND '.join(where)}").pl()
        titles = con.sql(
            "SELECT credit_code, title, valid_from, valid_to FROM title WHERE title IN "
            f"({', '.join(repr(t) for t in TIER_RANKS)})"
        ).pl()
    finally:
        con.close()
    return with_tiers(enterprises, titles, as_of)
