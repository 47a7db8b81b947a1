"""A rate is rounded only where it is shown, never before it is compared with a threshold (docs/rules-engine.md,
"Division and rounding"). Written from the policy text: M1.3b pays little giants whose output value or revenue
"grows by more than 20% for two consecutive years" (MEASURES.md); 20.004% is more than 20%, though it shows as
20.00% at four decimals."""

from __future__ import annotations

from pathlib import Path

import pytest

from smeladder.rules.locate import find_pack
from smeladder.rules.yamltests import Case
from smeladder.services.packtests import registry_columns

LITTLE_GIANT = {"title": [{"title": "little_giant", "level": "national", "valid_from": "2023-07-01"}]}


def case(revenue: dict[int, str], output: dict[str, object]) -> Case:
    spec = {
        "name": "growth near 20%",
        "as_of": "2025-08-01",  # the two years are 2023 over 2022 and 2024 over 2023
        "input": {"revenue": revenue, "main_revenue": revenue},
        "rows": LITTLE_GIANT,
        "output": output,
    }
    return Case(find_pack("shanghai"), Path(__file__), 0, spec, registry_columns())


def test_growth_of_20_004_percent_is_more_than_20_percent_though_shown_as_20_00():
    revenue = {2022: "100000000.00", 2023: "120004000.00", 2024: "144009600.16"}  # +20.004% twice
    case(
        revenue,
        {
            "main_growth_rate": "0.2000",
            "m1_3b_growth_met": True,
            "m1_3b_eligible": True,
            "m1_3b_paid": "500000.00",
        },
    ).check()


@pytest.mark.parametrize(
    ("revenue_2024", "shown"),
    [("144000000.00", "0.2000"), ("143999999.99", "0.2000")],
    ids=["exactly 20%", "a fen short of 20%"],
)
def test_growth_of_20_percent_or_a_fen_less_is_not_more_than_20_percent(revenue_2024, shown):
    revenue = {2022: "100000000.00", 2023: "120000000.00", 2024: revenue_2024}
    case(revenue, {"main_growth_rate": shown, "m1_3b_growth_met": False, "m1_3b_paid": "0.00"}).check()


def test_a_shown_rate_is_rounded_half_away_from_zero():
    # 2024 over 2023: +20.005% shows as 0.2001 (half away from zero), -20.005% as -0.2001.
    up = {2022: "100000000.00", 2023: "100000000.00", 2024: "120005000.00"}
    down = {2022: "100000000.00", 2023: "100000000.00", 2024: "79995000.00"}
    case(up, {"main_growth_rate": "0.2001"}).check()
    case(down, {"main_growth_rate": "-0.2001"}).check()


def test_the_two_year_average_growth_is_shown_to_four_decimals():
    # +3.57% then +3.56%: the mean 3.565% shows as 0.0357 (its label: "shown to 4 decimals").
    revenue = {2022: "100000000.00", 2023: "103570000.00", 2024: "107257092.00"}
    case(revenue, {"main_growth_rate": "0.0356", "main_growth_2y": "0.0357"}).check()
