"""services/letters.py: which letter an enterprise gets, errors of the one hierarchy, overrides parsed exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smeladder.errors import InvalidInput, NotFound
from smeladder.services import letters
from smeladder.services.context import AppContext, Settings

TOY_PACK = Path(__file__).resolve().parents[1] / "rules" / "toy_pack"
AS_OF = dt.date(2025, 8, 1)


@pytest.fixture(scope="module")
def toy_ctx(tmp_path_factory):
    import duckdb
    from rules.registry_builder import random_registry  # tests/ is on the path (pytest prepend mode)

    directory = tmp_path_factory.mktemp("toy-letters")
    con = duckdb.connect(str(directory / "registry.duckdb"))
    for name, table in random_registry(30, seed=3).items():
        con.register("incoming", table)
        con.execute(f"create table {name} as select * from incoming")
        con.unregister("incoming")
    con.close()
    ctx = AppContext(Settings(data_dir=directory, pack=str(TOY_PACK)))
    yield ctx
    ctx.close()


def test_a_pack_without_a_ladder_gets_the_engines_letter_and_no_readiness(toy_ctx):
    key = _a_key(toy_ctx)
    result = letters.explain(toy_ctx, key, AS_OF, "en")
    assert result.trace is None and result.letter.sections[0].id == "receives"
    assert result.letter.next_actions[0].code == "full_calculation"
    traced = letters.explain(toy_ctx, key, AS_OF, "en", trace=True, variables=["voucher_eligible"])
    assert traced.letter is None and [node.variable for node in traced.trace] == ["voucher_eligible"]
    assert "formula" in letters.trace_text(traced)
    with pytest.raises(InvalidInput, match="no ladder"):
        letters.readiness(toy_ctx, key, AS_OF, "en")


def test_an_unknown_enterprise_is_not_found_and_a_bad_language_is_invalid(toy_ctx):
    with pytest.raises(NotFound, match="NOPE is not in the registry"):
        letters.explain(toy_ctx, "nope", AS_OF, "en")
    with pytest.raises(InvalidInput, match="zh or en"):
        letters.explain(toy_ctx, _a_key(toy_ctx), AS_OF, "fr")
    with pytest.raises(InvalidInput, match="format"):
        letters.render(letters.explain(toy_ctx, _a_key(toy_ctx), AS_OF, "en").letter, "pdf")


def _a_key(ctx) -> str:
    table = ctx.source.tables[ctx.pack.entity_table]
    return ctx.source.con.to_pyarrow(table.select(ctx.pack.entity_key).limit(1)).column(0)[0].as_py()
