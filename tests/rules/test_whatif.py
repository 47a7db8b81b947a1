"""What-if: beneficiaries gained and lost, cost difference, by measure and district."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smeladder.rules import PackError
from smeladder.rules.evaluate import evaluate
from smeladder.rules.whatif import ALL_DISTRICTS, whatif

from .conftest import duckdb_registry
from .registry_builder import random_registry

AS_OF = dt.date(2025, 8, 1)
REFORM = {"voucher.min_revenue": Decimal(5_000_000), "talent.grant": Decimal(100_000)}


@pytest.fixture(scope="module")
def registry(toy_pack):
    return duckdb_registry(random_registry(300, seed=5), toy_pack)


def test_whatif_matches_two_runs_diffed_by_hand(toy_pack, registry):
    report = whatif(toy_pack, registry, AS_OF, REFORM)
    before = evaluate(toy_pack, registry, AS_OF, toy_pack.benefits, with_snapshot=False).table.to_pylist()
    after = evaluate(
        toy_pack, registry, AS_OF, toy_pack.benefits, REFORM, with_snapshot=False
    ).table.to_pylist()
    for measure in toy_pack.benefits:
        total = report.total(measure)
        pairs = list(zip(before, after, strict=True))
        assert total.cost_before == sum(b[measure] for b in before)
        assert total.cost_after == sum(a[measure] for a in after)
        assert total.gained == sum(1 for b, a in pairs if b[measure] <= 0 < a[measure])
        assert total.lost == sum(1 for b, a in pairs if a[measure] <= 0 < b[measure])
        districts = [r for r in report.rows if r.measure == measure and r.district != ALL_DISTRICTS]
        assert sum(r.cost_difference for r in districts) == total.cost_difference
    assert report.total("voucher_paid").gained > 0  # a lower revenue floor lets more in
    assert report.total("talent_paid").cost_difference < 0  # a smaller grant costs less
    assert "talent.grant" in report.unconfirmed_parameters  # an override is never a confirmed value


def test_every_changed_amount_is_listed_per_enterprise(toy_pack, registry):
    report = whatif(toy_pack, registry, AS_OF, REFORM)
    key = toy_pack.entity_key
    before = evaluate(toy_pack, registry, AS_OF, toy_pack.benefits, with_snapshot=False).table.to_pylist()
    after = evaluate(
        toy_pack, registry, AS_OF, toy_pack.benefits, REFORM, with_snapshot=False
    ).table.to_pylist()
    for measure in toy_pack.benefits:
        by_hand = {
            (b[key], b[measure] or 0, a[measure] or 0)
            for b, a in zip(before, after, strict=True)
            if (b[measure] or 0) != (a[measure] or 0)
        }
        listed = [c for c in report.changes if c.measure == measure]
        assert {(c.key, c.before, c.after) for c in listed} == by_hand
        assert [c.difference for c in listed] == sorted((c.difference for c in listed), reverse=True)
        assert sum(c.difference for c in listed) == report.total(measure).cost_difference
    assert any(c.difference > 0 for c in report.changes) and any(c.difference < 0 for c in report.changes)


def test_whatif_json(toy_pack, registry):
    document = whatif(toy_pack, registry, AS_OF, REFORM, ["voucher_paid"]).to_json()
    assert document["overrides"] == {"voucher.min_revenue": "5000000", "talent.grant": "100000"}
    assert {row["district"] for row in document["rows"]} >= {ALL_DISTRICTS, "310115"}


def test_only_money_variables_are_measures(toy_pack, registry):
    with pytest.raises(PackError, match="not a money variable"):
        whatif(toy_pack, registry, AS_OF, REFORM, ["voucher_eligible"])
