"""The Shanghai pack's evaluation, turned into entitlement results, read by a round's candidate source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smeladder.delivery.from_pack import variable_stem, write_entitlement_results
from smeladder.delivery.results import EntitlementResults
from smeladder.registry.store import RegistryStore
from smeladder.registry.synth import synthesize
from smeladder.rules.backends import open_source
from smeladder.rules.errors import PackError
from smeladder.rules.evaluate import evaluate
from smeladder.rules.locate import find_pack

AS_OF = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    RegistryStore(home).load_tables(synthesize(3_000, range(2021, 2026), seed=5))
    pack = find_pack("shanghai")
    return pack, open_source("duckdb", table_names=pack.tables, data_dir=home), home


def test_measure_ids_map_to_variable_names():
    assert variable_stem("M1.2b") == "m1_2b"
    assert variable_stem("M6.2c") == "m6_2c"


def test_results_carry_the_packs_amounts_and_a_round_can_read_them(shanghai, tmp_path):
    pack, source, _ = shanghai
    path = write_entitlement_results(pack, source, AS_OF, ["M1.2b", "M1.3b"], "2026", tmp_path / "r.parquet")
    paid = evaluate(pack, source, AS_OF, ["m1_2b_paid"]).table
    expected = {
        c: a
        for c, a in zip(paid["credit_code"].to_pylist(), paid["m1_2b_paid"].to_pylist(), strict=True)
        if a
    }
    candidates = EntitlementResults(path)
    run = candidates.run("M1.2b", "2026")
    assert run.rule_version
    got = {
        record.credit_code: record.amount
        for batch in candidates.batches("M1.2b", "2026", 500)
        for record in batch
        if record.eligible
    }
    assert got == expected
    assert expected, "the demo registry should have M1.2b beneficiaries"
    assert all(isinstance(a, Decimal) for a in got.values())
    some = next(iter(got))
    assert candidates.evaluate_one(some, "M1.2b", "2026").stacking_group == "scale_growth"


def test_an_unknown_measure_is_a_clear_error(shanghai, tmp_path):
    pack, source, _ = shanghai
    with pytest.raises(PackError, match=r"no variable m9_9_eligible for measure M9\.9"):
        write_entitlement_results(pack, source, AS_OF, ["M9.9"], "2026", tmp_path / "x.parquet")
