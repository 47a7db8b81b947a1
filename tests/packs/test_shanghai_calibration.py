"""The pack's tier criteria, run over the synthetic Shanghai, select about the stock the city published.

The press release of 2025-04-11 gives the stock: more than 22,000 innovative SMEs, more than 12,000 S&S SMEs,
857 little giants and 129 single champions (SHANGHAI_SCALE = 400,000 firms). The generator gives exactly that many
titles (scaled); these tests check the other side: how many firms *meet the criteria* the pack encodes. A change to
the generator or to a tier's rules that moves a count far from the stock fails here (docs/shanghai-results.md
has the full-scale figures). The bands are wide enough for a 20,000-firm sample (about 43 little giants), narrow
enough to catch the first rung's earlier 2.7-fold excess.
"""

from __future__ import annotations

import datetime as dt

import pyarrow.compute as pc
import pytest

from smeladder.registry.store import RegistryStore
from smeladder.registry.synth import PUBLISHED_STOCK, SHANGHAI_SCALE, synthesize
from smeladder.rules.backends import open_source
from smeladder.rules.evaluate import evaluate
from smeladder.rules.locate import find_pack

ENTERPRISES = 20_000
LAST_DAY_2022_RULES = dt.date(2026, 3, 31)
UNDER_2026_RULES = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def counts(tmp_path_factory):
    directory = tmp_path_factory.mktemp("calibration")
    RegistryStore(directory).load_tables(synthesize(ENTERPRISES, range(2021, 2026), seed=2025))
    pack = find_pack("shanghai")
    source = open_source("duckdb", table_names=pack.tables, data_dir=directory)
    found = {}
    for as_of, variables in (
        (
            LAST_DAY_2022_RULES,
            [
                "innovative_sme_eligible",
                "ss_sme_eligible",
                "little_giant_eligible",
                "single_champion_eligible",
            ],
        ),
        (UNDER_2026_RULES, ["tech_innovative_sme_eligible", "ss_sme_eligible"]),
    ):
        table = evaluate(pack, source, as_of, variables, with_snapshot=False).table
        for variable in variables:
            found[(variable, as_of)] = pc.sum(pc.fill_null(table[variable], False)).as_py() or 0
    return found


def _stock(title: str) -> float:
    return PUBLISHED_STOCK[title] * ENTERPRISES / SHANGHAI_SCALE


@pytest.mark.parametrize(
    ("variable", "as_of", "title", "low", "high"),
    [
        # "More than 22,000": the stock is a floor, and some firms that qualify have not applied.
        ("innovative_sme_eligible", LAST_DAY_2022_RULES, "innovative_sme", 0.95, 1.4),
        ("tech_innovative_sme_eligible", UNDER_2026_RULES, "innovative_sme", 0.95, 1.4),
        ("ss_sme_eligible", LAST_DAY_2022_RULES, "ss_sme", 0.8, 1.25),
        ("little_giant_eligible", LAST_DAY_2022_RULES, "little_giant", 0.6, 1.6),
        ("single_champion_eligible", LAST_DAY_2022_RULES, "single_champion", 0.3, 2.0),
    ],
)
def test_firms_meeting_a_rung_are_near_its_published_stock(counts, variable, as_of, title, low, high):
    found = counts[(variable, as_of)]
    assert low * _stock(title) <= found <= high * _stock(title), (variable, found, _stock(title))


def test_the_2026_ss_rules_are_stricter_than_the_2022_ones(counts):
    # 3 niche years instead of 2, revenue 15 million instead of 10, R&D in each of 2 years, the quality score.
    assert counts[("ss_sme_eligible", UNDER_2026_RULES)] < counts[("ss_sme_eligible", LAST_DAY_2022_RULES)]
