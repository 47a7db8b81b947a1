"""What-if as a service: the enterprises that gain or lose carry their registered name and district name,
a file holds every one of them, and gainers and losers count enterprises, not rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from smeladder.errors import InvalidInput
from smeladder.registry import districts
from smeladder.services import whatif

from .conftest import context

AS_OF = dt.date(2026, 5, 1)
# A lower M1.2b cap takes from the top band; a higher M4.1 rate gives more to contracts under the cap.
REFORM = {"M1.2b.cap": Decimal(300_000), "M4.1.rate": Decimal("0.4")}


@pytest.fixture(scope="module")
def report(home, tmp_path_factory):
    out = tmp_path_factory.mktemp("whatif") / "changes.parquet"
    return whatif.whatif(context(home), AS_OF, REFORM, ["m1_2b_paid", "m4_1_paid"], out=out), out


def test_each_change_names_the_enterprise_and_its_district(report, rows):
    result, _ = report
    assert result.enterprises, "the reform changes someone's amount"
    registered = {e["credit_code"]: e for e in rows["enterprise"]}
    names = districts.by_adcode()
    for change in result.enterprises:
        own = registered[change.credit_code]
        assert change.name == own["name_zh"]
        assert change.district == own["district_adcode"]
        assert change.district_name == names[own["district_adcode"]].name_en
        assert change.difference == change.after - change.before != 0
    assert {c.measure for c in result.enterprises if c.difference < 0} == {"m1_2b_paid"}
    assert {c.measure for c in result.enterprises if c.difference > 0} == {"m4_1_paid"}


def test_gainers_and_losers_count_enterprises_by_their_total(report):
    result, _ = report
    totals = defaultdict(Decimal)
    for change in result.enterprises:
        totals[change.credit_code] += change.difference
    assert result.gainers == sum(1 for t in totals.values() if t > 0)
    assert result.losers == sum(1 for t in totals.values() if t < 0)
    for measure in ("m1_2b_paid", "m4_1_paid"):
        total = next(r for r in result.measures if r.measure == measure and r.district == "*")
        assert total.district_name == "all"
        assert total.cost_difference == sum(c.difference for c in result.enterprises if c.measure == measure)


def test_the_file_holds_every_change(report):
    result, out = report
    assert result.out == out and result.format == "parquet"
    table = pq.read_table(out)
    assert table.num_rows == len(result.enterprises)
    assert table.column_names == list(whatif.EnterpriseChange.model_fields)
    assert table.column("credit_code").to_pylist() == [c.credit_code for c in result.enterprises]


def test_what_a_whatif_needs(home, tmp_path):
    ctx = context(home)
    with pytest.raises(InvalidInput, match="at least one parameter"):
        whatif.whatif(ctx, AS_OF, {})
    with pytest.raises(InvalidInput, match="--out"):
        whatif.whatif(ctx, AS_OF, REFORM, fmt="csv")
    with pytest.raises(InvalidInput, match="--format"):
        whatif.whatif(ctx, AS_OF, REFORM, out=tmp_path / "changes")
    assert list(tmp_path.iterdir()) == []


def test_a_reform_that_changes_nothing_writes_the_columns_and_no_row(home, tmp_path):
    out = tmp_path / "changes.csv"
    result = whatif.whatif(context(home), AS_OF, {"M1.2b.cap": Decimal(400_000)}, ["m1_2b_paid"], out=out)
    assert result.enterprises == [] and result.gainers == result.losers == 0
    assert out.read_text(encoding="utf-8").splitlines() == [
        ",".join(f'"{name}"' for name in whatif.EnterpriseChange.model_fields)
    ]
