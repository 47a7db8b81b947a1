"""Objections re-evaluate only the enterprise concerned, through the source's `evaluate_one`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from smeladder.delivery import objections, states
from smeladder.delivery.errors import RefusedTransition
from smeladder.delivery.models import Candidate, Objection
from smeladder.delivery.results import EntitlementResults
from smeladder.delivery.sample_results import credit_code, write_sample

from .conftest import write_correction


@pytest.fixture
def results_dir(tmp_path):
    directory = tmp_path / "results"
    write_sample(directory / "run-1.parquet", 30)
    return directory


def _lines(sessions, round_id):
    with sessions() as session:
        return {
            c.credit_code: (c.amount_fen, c.status)
            for c in session.execute(select(Candidate).where(Candidate.round_id == round_id)).scalars()
        }


def test_upheld_objection_changes_only_that_enterprise(driver, sessions, results_dir):
    source = EntitlementResults(results_dir)
    d = driver(source).evaluate().publish()
    before = _lines(sessions, d.id)
    code = sorted(before)[0]
    objection = objections.raise_objection(
        sessions, d.id, code, "revenue was misreported", actor="enterprise", now=d.published_at
    )
    assert _lines(sessions, d.id)[code][1] == states.OBJECTED
    write_correction(results_dir, code, "123456.78")
    resolved = objections.resolve_objection(
        sessions, objection.id, source, actor="officer", note="tax data fixed"
    )
    assert resolved.state == objections.UPHELD
    after = _lines(sessions, d.id)
    assert after[code] == (12345678, states.LISTED)
    assert {k: v for k, v in after.items() if k != code} == {k: v for k, v in before.items() if k != code}
    assert d.get().candidate_total_fen == sum(v[0] for v in after.values())


def test_objection_for_an_unlisted_enterprise_adds_it_when_eligible(driver, sessions, results_dir):
    source = EntitlementResults(results_dir)
    d = driver(source).evaluate().publish()
    outsider = credit_code(99_999)
    objection = objections.raise_objection(
        sessions, d.id, outsider, "we qualify", actor="enterprise", now=d.published_at
    )
    write_correction(results_dir, outsider, "50000.00")
    assert (
        objections.resolve_objection(sessions, objection.id, source, actor="officer").state
        == objections.UPHELD
    )
    assert _lines(sessions, d.id)[outsider] == (5000000, states.LISTED)


def test_objection_that_makes_an_enterprise_ineligible_withdraws_it(driver, sessions, results_dir):
    source = EntitlementResults(results_dir)
    d = driver(source).evaluate().publish()
    code = sorted(_lines(sessions, d.id))[0]
    objection = objections.raise_objection(
        sessions, d.id, code, "on the dishonesty list", actor="public", now=d.published_at
    )
    write_correction(results_dir, code, "0", eligible=False)
    objections.resolve_objection(sessions, objection.id, source, actor="officer")
    assert _lines(sessions, d.id)[code][1] == states.WITHDRAWN


def test_rejected_objection_keeps_the_line(driver, sessions, results_dir):
    source = EntitlementResults(results_dir)
    d = driver(source).evaluate().publish()
    code = sorted(_lines(sessions, d.id))[0]
    amount = _lines(sessions, d.id)[code][0]
    objection = objections.raise_objection(
        sessions, d.id, code, "too low", actor="enterprise", now=d.published_at
    )
    assert (
        objections.resolve_objection(sessions, objection.id, source, actor="officer").state
        == objections.REJECTED
    )
    assert _lines(sessions, d.id)[code] == (amount, states.LISTED)


def test_re_evaluation_with_other_rules_is_refused(driver, sessions, results_dir):
    source = EntitlementResults(results_dir)
    d = driver(source).evaluate().publish()
    code = sorted(_lines(sessions, d.id))[0]
    objection = objections.raise_objection(sessions, d.id, code, "x", actor="enterprise", now=d.published_at)
    write_correction(results_dir, code, "1.00", rule_version="sha256:" + "cd" * 32)
    with pytest.raises(RefusedTransition, match="the round is frozen on sha256:abab"):
        objections.resolve_objection(sessions, objection.id, source, actor="officer")


def test_a_second_objection_and_resolving_twice_are_refused(driver, sessions, results_dir):
    source = EntitlementResults(results_dir)
    d = driver(source).evaluate().publish()
    code = sorted(_lines(sessions, d.id))[0]
    objection = objections.raise_objection(sessions, d.id, code, "x", actor="enterprise", now=d.published_at)
    with pytest.raises(RefusedTransition, match="already has an open objection"):
        objections.raise_objection(sessions, d.id, code, "again", actor="enterprise", now=d.published_at)
    objections.resolve_objection(sessions, objection.id, source, actor="officer")
    with pytest.raises(RefusedTransition, match=f"objection {objection.id} is already rejected"):
        objections.resolve_objection(sessions, objection.id, source, actor="officer")
    with pytest.raises(RefusedTransition, match="an objection needs a reason"):
        objections.raise_objection(sessions, d.id, code, "  ", actor="enterprise", now=d.published_at)
    with sessions() as session:
        assert session.scalar(select(Objection.resolved_by).where(Objection.id == objection.id)) == "officer"
