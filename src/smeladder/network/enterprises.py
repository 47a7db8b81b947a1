"""The enterprises the network serves, read from the registry: location, district, track, size and ladder tier
as of a date.

Tier is the highest rung of the pack's ladder (ladder.yaml, from the top) whose title the enterprise holds on the
as-of date, named by the rung's id; `none` when it holds none. `tier_weight` is that rung's `siting_weight` (1 on
no rung), the demand weight of siting by tier.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from smeladder.registry.store import RegistryStore
from smeladder.rules.packfile import Ladder

NO_TIER = "none"
COLUMNS = (
    "credit_code",
    "name_zh",
    "district_adcode",
    "latitude",
    "longitude",
    "industrial_track",
    "size_class",
)


def _ranks(ladder: Ladder) -> dict[str, int]:
    """Each title code of the ladder and its rung's rank, 1 for the lowest rung."""
    return {code: rank for rank, rung in enumerate(ladder.rungs, start=1) for code in rung.titles}


def with_tiers(enterprises: pl.DataFrame, titles: pl.DataFrame, as_of: date, ladder: Ladder) -> pl.DataFrame:
    """Add `tier`: the highest rung whose title is valid on `as_of` (valid_to empty = no end), and its
    `tier_weight`."""
    ranks = _ranks(ladder)
    valid = titles.filter(
        pl.col("title").is_in(list(ranks))
        & (pl.col("valid_from") <= as_of)
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= as_of))
    )
    best = valid.group_by("credit_code").agg(
        pl.col("title").replace_strict(ranks, return_dtype=pl.Int8).max().alias("tier_rank")
    )
    names = {0: NO_TIER} | {rank: rung.id for rank, rung in enumerate(ladder.rungs, start=1)}
    weights = {0: 1.0} | {rank: rung.siting_weight for rank, rung in enumerate(ladder.rungs, start=1)}
    rank = pl.col("tier_rank").fill_null(0)
    return (
        enterprises.join(best, on="credit_code", how="left")
        .with_columns(
            rank.replace_strict(names, return_dtype=pl.String).alias("tier"),
            rank.replace_strict(weights, return_dtype=pl.Float64).alias("tier_weight"),
        )
        .drop("tier_rank")
    )


def load_enterprises(
    data_dir: Path | str | None, as_of: date, ladder: Ladder, smes_only: bool = True
) -> pl.DataFrame:
    """Enterprises from `<data_dir>/registry.duckdb` with their tier on `as_of` on the pack's `ladder`.

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
            f"({', '.join(repr(t) for t in _ranks(ladder))})"
        ).pl()
    finally:
        con.close()
    return with_tiers(enterprises, titles, as_of, ladder)
