"""Rounds on the service layer: a round takes the evaluation it needs from the registry and the pack when no
results file is given (issue 10 §5), every step returns its result model, and bad input or a refusal is an
error of the one hierarchy, whatever the interface."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import duckdb
import pytest

from smeladder.errors import InvalidInput, NotFound, Refused
from smeladder.rules.results import read_results
from smeladder.services import budgets, evaluation, rounds
from smeladder.services.context import AppContext

from .conftest import NOW, context

AS_OF = dt.date(2026, 5, 1)
MEASURE, PERIOD, FUND = "M1.2b", "2026", "sme-development-fund"


@pytest.fixture(scope="module")
def evaluated(home, tmp_path_factory):
    """The pack's own evaluation of M1.2b as of the round's date (not the round's code)."""
    out = tmp_path_factory.mktemp("oracle") / "m1_2b.parquet"
    run = evaluation.evaluate(context(home), AS_OF, out, variables=["m1_2b_eligible", "m1_2b_paid"])
    return run, read_results(out).table.to_pylist()


@pytest.fixture(scope="module")
def oracle(evaluated):
    """Who the pack says is owed M1.2b, and how much."""
    _, table = evaluated
    return {r["credit_code"]: r["m1_2b_paid"] for r in table if r["m1_2b_eligible"] and r["m1_2b_paid"] > 0}


def test_a_round_without_results_evaluates_the_pack_over_the_registry(ctx, oracle, evaluated):
    opened = rounds.open_round(ctx, MEASURE, PERIOD, FUND, AS_OF)
    assert (opened.state, opened.as_of, opened.candidate_count) == ("draft", AS_OF, 0)
    filled = rounds.evaluate(ctx, opened.id)
    assert oracle, "the synthetic registry must have M1.2b beneficiaries"
    assert filled.state == "under_review"
    assert filled.candidate_count == len(oracle)
    assert filled.candidate_total == sum(oracle.values(), Decimal(0))
    assert filled.rule_version == evaluated[0].rule_version
    assert filled.source_uri.startswith(str(ctx.data_dir / "delivery" / "entitlements"))
    shown = rounds.show(ctx, opened.id, limit=len(oracle))
    assert {c.credit_code: c.amount for c in shown.candidates} == oracle


@pytest.fixture(scope="module")
def registry_home(home, evaluated, tmp_path_factory):
    """A copy of the shared registry in which three M1.2b beneficiaries have no account on file (besides those
    the synthetic registry leaves without one)."""
    copy = tmp_path_factory.mktemp("rounds") / "home"
    shutil.copytree(home, copy)
    _, table = evaluated
    owed = sorted(r["credit_code"] for r in table if r["m1_2b_eligible"] and r["m1_2b_paid"] > 0)
    con = duckdb.connect(str(copy / "registry.duckdb"))
    con.execute(
        "UPDATE enterprise SET bank_account_name = NULL, bank_account_no = NULL, bank_name = NULL "
        "WHERE credit_code IN (?, ?, ?)",
        owed[:3],
    )
    unbanked = {
        code
        for (code,) in con.execute(
            "SELECT credit_code FROM enterprise WHERE bank_account_no IS NULL"
        ).fetchall()
    }
    con.close()
    return copy, unbanked


@pytest.fixture
def ctx(registry_home, tmp_path):
    """The registry, with a transactional store of the test's own."""
    context_ = context(registry_home[0], db_url=f"sqlite:///{tmp_path / 'store.sqlite'}")
    budgets.set_budget(context_, FUND, MEASURE, 2026, "1000000000")
    yield context_
    context_.close()


@pytest.fixture(scope="module")
def unbanked(registry_home, oracle):
    """The beneficiaries the registry has no account on file for."""
    return registry_home[1] & set(oracle)


def test_a_run_pays_the_accounts_on_file_and_holds_back_the_others(ctx, oracle, unbanked, tmp_path):
    assert unbanked and len(unbanked) < len(oracle), "the synthetic registry must have both"
    done = rounds.run(ctx, MEASURE, PERIOD, FUND, tmp_path / "payments", as_of=AS_OF)
    assert done.state == "closed"
    banked_total = sum((v for c, v in oracle.items() if c not in unbanked), Decimal(0))
    assert (done.lines, done.control_total) == (len(oracle) - len(unbanked), banked_total)
    paid_codes = {
        line.split(",")[4] for line in done.payment_file.read_text(encoding="utf-8").splitlines()[1:-1]
    }
    assert paid_codes == set(oracle) - unbanked
    held = done.detail.held_back
    assert {line.credit_code for line in held.lines} == unbanked and held.enterprises == len(unbanked)
    assert held.total == sum((oracle[c] for c in unbanked), Decimal(0))
    assert {line.status for line in held.lines} == {"held"}
    assert all("no bank account" in line.reason for line in held.lines)
    assert done.detail.round.granted_total == banked_total
    assert budgets.list_budgets(ctx).budgets[0].committed == banked_total
    again = rounds.run(ctx, MEASURE, PERIOD, FUND, tmp_path / "payments", as_of=AS_OF, item="second")
    assert again.round_id == done.round_id + 1
    assert [r.id for r in rounds.list_rounds(ctx).rounds] == [done.round_id, again.round_id]


def test_an_enterprise_without_an_account_on_file_is_paid_once_it_confirms_with_one(
    ctx, oracle, unbanked, tmp_path
):
    opened = rounds.open_round(ctx, MEASURE, PERIOD, FUND, AS_OF)
    rounds.evaluate(ctx, opened.id)
    rounds.publish(ctx, opened.id)
    code = sorted(unbanked)[0]
    answered = rounds.confirm(
        ctx,
        opened.id,
        code,
        account_name="某某科技有限公司",
        account_no="6222 0210 0100 1234 567",
        bank="工商银行",
    )
    assert (answered.response, answered.status, answered.account_changed) == ("confirmed", "listed", True)
    later = AppContext(ctx.settings, clock=lambda: NOW + dt.timedelta(days=30))  # after both windows
    rounds.close_objections(later, opened.id)
    rounds.approve(later, opened.id)
    paid = rounds.pay(later, opened.id, tmp_path / "payments")
    assert paid.batch.lines == len(oracle) - len(unbanked) + 1
    assert {line.credit_code for line in paid.held_back.lines} == unbanked - {code}
    assert paid.batch.control_total + paid.held_back.total == sum(oracle.values(), Decimal(0))
    assert "6222021001001234567" in paid.batch.file.read_text(encoding="utf-8")
    settled = rounds.settle(later, opened.id)
    assert (settled.state, settled.batch_kind, settled.failed) == ("settled", "round", [])
    later.close()


def test_bad_input_and_refusals_are_errors_of_the_one_hierarchy(ctx, tmp_path):
    with pytest.raises(NotFound, match="no budget for fund 'other-fund'") as missing:
        rounds.open_round(ctx, MEASURE, PERIOD, "other-fund", AS_OF)
    assert missing.value.next_action == "set_budget"
    with pytest.raises(InvalidInput, match="overflow_policy"):
        rounds.open_round(ctx, MEASURE, PERIOD, FUND, AS_OF, assignments=["overflow_policy=lottery"])
    with pytest.raises(NotFound, match="settings file"):
        rounds.open_round(ctx, MEASURE, PERIOD, FUND, AS_OF, settings_file=tmp_path / "none.yaml")
    with pytest.raises(NotFound, match="no round 99"):
        rounds.show(ctx, 99)
    opened = rounds.open_round(ctx, MEASURE, PERIOD, FUND, AS_OF)
    with pytest.raises(Refused, match=r"cannot publish round \d+ \(state 'draft'\)"):
        rounds.publish(ctx, opened.id)
    with pytest.raises(InvalidInput, match="missing column"):
        rounds.evaluate(ctx, opened.id, results=_write(tmp_path / "bad.csv.parquet"))
    rounds.evaluate(ctx, opened.id)
    rounds.publish(ctx, opened.id)
    with pytest.raises(InvalidInput, match="8 to 32 digits"):
        rounds.confirm(ctx, opened.id, "913101150000000019", account_no="12", account_name="a", bank="b")
    with pytest.raises(NotFound, match="bank returns file"):
        rounds.settle(ctx, opened.id, failed=tmp_path / "returns.csv")
    returns = tmp_path / "returns.csv"
    returns.write_text("credit_code,reason\n913101150000000019,\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"returns\.csv line 2: needs credit_code and reason"):
        rounds.settle(ctx, opened.id, failed=returns)


def _write(path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"credit_code": ["913101150000000019"]}), path)
    return path
