"""A district layer concerns that district's firms only (MEASURES.md: "each district will be encouraged to refine
and tailor supporting measures": a district layer on top of the municipal one; across levels the same item is
supported once, the higher applies).

Two firms alike in every figure, one registered in Xuhui (310104), one in Minhang (310112), both in their first
year above designated size (M1.2a). The Xuhui firm's letter names M1.2a and nothing of Minhang's illustrative
layer, not even its unconfirmed figures; the Minhang firm's letter names Minhang's own reward, paid instead of
M1.2a because it is the higher (600,000 against 500,000 yuan, parameters/district/310112/M1.2a/reward.yaml).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from smeladder.ladder.letter import letter_document
from smeladder.ladder.readiness import readiness
from smeladder.registry.store import RegistryStore
from smeladder.rules.backends import open_source
from smeladder.rules.evaluate import evaluate
from smeladder.rules.letter_render import render

from .conftest import AS_OF

XUHUI, MINHANG = "310104", "310112"
TWIN = "91310112MA1H2B3C4Y"


@pytest.fixture(scope="module")
def twins(registry_dir, pack, source, tmp_path_factory):
    """The ladder registry, plus a Minhang twin of a Xuhui firm that receives M1.2a."""
    paid = evaluate(pack, source, AS_OF, ["district", "m1_2a_paid"], with_snapshot=False).table
    xuhui = [
        r["credit_code"] for r in paid.to_pylist() if r["district"] == XUHUI and (r["m1_2a_paid"] or 0) > 0
    ]
    assert xuhui, "the ladder registry should hold a Xuhui firm in its first year above size"
    original = xuhui[0]
    con = RegistryStore(registry_dir).connect(read_only=True)
    try:
        tables = {name: con.sql(f"SELECT * FROM {name}").to_arrow_table() for name in pack.tables}
    finally:
        con.close()
    twinned = {}
    for name, table in tables.items():
        rows = table.filter(pc.equal(table["credit_code"], original)).to_pylist()
        for row in rows:
            row["credit_code"] = TWIN
            if name == "enterprise":
                row["district_adcode"] = MINHANG
            if "application_id" in row:
                row["application_id"] += "-twin"
        twinned[name] = pa.concat_tables([table, pa.Table.from_pylist(rows, schema=table.schema)])
    directory = tmp_path_factory.mktemp("district-twins")
    RegistryStore(directory).load_tables(twinned)
    return original, open_source("duckdb", table_names=pack.tables, data_dir=directory)


def _letter(pack, source, key, lang):
    report = readiness(pack, source, key, AS_OF)
    return report, render(letter_document(report, pack, lang), "text")


def test_a_xuhui_firm_hears_nothing_of_minhang(pack, twins):
    original, source = twins
    report, english = _letter(pack, source, original, "en")
    assert [s.measure for s in report.support if s.amount] == ["M1.2a"]
    assert not [path for path in report.unconfirmed if MINHANG in path]
    assert "Minhang" not in english and MINHANG not in english
    _, chinese = _letter(pack, source, original, "zh")
    assert "M1.2a" in chinese and "闵行" not in chinese


def test_its_minhang_twin_gets_the_higher_district_reward(pack, twins):
    _, source = twins
    report, english = _letter(pack, source, TWIN, "en")
    paid = {s.measure: s.amount for s in report.support if s.amount}
    assert paid == {"district.310112.M1.2a": 600_000}
    assert "district.310112.M1.2a.reward" in report.unconfirmed  # an illustrative figure, said once
    assert "Minhang first-year reward (ILLUSTRATIVE): 600,000.00 yuan" in english
    _, chinese = _letter(pack, source, TWIN, "zh")
    assert "闵行区首次小升规奖励" in chinese
