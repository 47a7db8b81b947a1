"""The Shanghai pack's YAML tests (written from MEASURES.md and TIERS.md), one pytest case each, and checks of
the pack's own bookkeeping: every figure a parameter with a reference, unconfirmed where the text is silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from smeladder.rules import load_pack
from smeladder.rules.locate import pack_directory
from smeladder.rules.yamltests import Case, collect
from smeladder.services.packtests import registry_columns

PACK = load_pack(pack_directory("shanghai"))
MEASURES = ("M1.2a", "M1.2b", "M1.3b", "M3.4a", "M3.4b", "M4.1", "M4.2a", "M4.2b", "M4.3", "M6.2c")


@pytest.mark.parametrize("case", collect(PACK, columns=registry_columns()), ids=lambda case: case.id)
def test_shanghai_case(case: Case):
    case.check()


def test_every_money_measure_has_its_legal_item_files():
    for measure in (*MEASURES, "M5.5"):
        for item in ("delivery_mode", "fund", "budget", "over_budget_rule", "stacking_group"):
            assert f"{measure}.{item}" in PACK.parameters.parameters, (measure, item)
    for measure in MEASURES:
        has_cap = any(
            path.startswith(f"{measure}.") and path.endswith("cap") for path in PACK.parameters.parameters
        )
        assert has_cap or measure == "M4.3", measure  # M4.3 exempts the whole charge: no cap


def test_every_money_measure_is_paid_through_a_benefit_and_has_tests():
    test_files = {case.file.stem for case in collect(PACK)}
    for measure in MEASURES:
        name = measure.lower().replace(".", "_")
        assert f"{name}_paid" in PACK.benefits, measure
        assert measure in test_files, measure


def test_every_parameter_cites_a_document():
    for path, parameter in PACK.parameters.parameters.items():
        for entry in parameter.values:
            assert entry.reference.document, path


def test_what_the_text_leaves_open_is_unconfirmed():
    unconfirmed = {
        "M1.2a.amount",
        "M1.2b.schedule",
        "M1.3b.amount",
        "M1.3b.either_measure_suffices",
        "M3.4a.rate",
        "M3.4a.cap",
        "M4.1.cap",
        "M4.2a.cap",
        "M4.2b.fee_rate",
        "M4.2b.cap",
        "M6.2c.cap",
        "ss_sme.points.net_margin",
        "ss_sme.points.debt_ratio",
        "ss_sme.points.rd_amount",
        "ss_sme.points.rd_share",
        "single_champion.min_avg_main_revenue_3y_ss",
        "tech_innovative_sme.innovative_path_applies",
        "gazelle.min_cagr",
        "district.310112.M1.2a.reward",
    }
    for path in unconfirmed:
        assert not any(e.confirmed for e in PACK.parameters[path].values), path
    stated = {
        "M1.2a.cap",
        "M1.2b.cap",
        "M1.3b.cap",
        "M3.4b.rate",
        "M3.4b.cap",
        "M4.1.rate",
        "M4.2b.max_guarantee",
    }
    for path in stated:
        assert all(e.confirmed for e in PACK.parameters[path].values), path


def test_the_default_m1_2b_schedule_says_it_is_a_default():
    parameter = PACK.parameters["M1.2b.schedule"]
    assert "DEFAULT" in parameter.description
    assert "OFFICER: SET THE REAL SCHEDULE HERE" in Path(parameter.file).read_text(encoding="utf-8")
