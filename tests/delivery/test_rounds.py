"""The round's life from draft to closed, and every transition that must be refused, with its error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from smeladder.delivery import approval, audit, confirmations, objections, payment, rounds, settlement, states
from smeladder.delivery.errors import InvalidSettings, NotFound, RefusedTransition
from smeladder.delivery.models import Candidate, LedgerEntry

from .conftest import T0


def test_round_goes_from_draft_to_closed_and_freezes_its_evaluation(driver, sessions, tmp_path):
    d = driver()
    assert d.get().state == states.DRAFT
    d.evaluate()
    frozen = d.get()
    assert frozen.state == states.UNDER_REVIEW
    assert frozen.source_run_id == "run-2026-01-15T000000-0001"
    assert frozen.rule_version.startswith("sha256:")
    assert frozen.input_snapshot == "registry@2026-01-15"
    assert frozen.candidate_count > 0
    d.publish().close_objections().approve()
    batch = payment.pay(sessions, d.id, tmp_path, actor="officer", now=d.after_confirmations())
    assert d.get().state == states.EXPORTED
    assert batch.line_count == frozen.candidate_count
    assert batch.control_total_fen == frozen.candidate_total_fen
    settlement.settle(sessions, d.id, actor="officer", now=d.after_confirmations())
    rounds.close(sessions, d.id, actor="officer", now=d.after_confirmations())
    assert d.get().state == states.CLOSED
    with sessions() as session:
        assert audit.verify(session).ok
        paid = session.scalar(
            select(func.count()).where(Candidate.round_id == d.id, Candidate.status == "paid")
        )
        assert paid == batch.line_count


def test_evaluate_twice_is_refused(driver):
    d = driver().evaluate()
    with pytest.raises(RefusedTransition, match="only a draft round is evaluated"):
        d.evaluate()


def test_publish_before_evaluate_is_refused(driver):
    d = driver()
    with pytest.raises(RefusedTransition, match=r"cannot publish round \d+ \(state 'draft'\)"):
        d.publish()


@pytest.mark.parametrize("stage", ["draft", "under_review", "published", "confirming"])
def test_pay_before_approval_is_refused(driver, sessions, tmp_path, stage):
    d = driver()
    steps = {"under_review": [d.evaluate], "published": [d.evaluate, d.publish]}
    steps["confirming"] = [*steps["published"], d.close_objections]
    for step in steps.get(stage, []):
        step()
    with pytest.raises(
        RefusedTransition, match=f"cannot pay round {d.id} \\(state '{stage}'\\): payment needs"
    ):
        payment.pay(sessions, d.id, tmp_path, actor="officer", now=T0 + timedelta(days=60))
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_approve_while_an_objection_is_open_is_refused(driver, sessions):
    d = driver().evaluate().publish()
    code = _first_code(sessions, d.id)
    objections.raise_objection(sessions, d.id, code, "amount too low", actor="enterprise", now=d.published_at)
    with pytest.raises(RefusedTransition, match="objections are still open"):
        approval.approve(sessions, d.id, actor="officer", now=d.after_confirmations())
    with pytest.raises(RefusedTransition, match=r"1 objection\(s\) are still open"):
        objections.close_objections(sessions, d.id, actor="officer", now=d.after_objections())


def test_close_objections_before_the_window_ends_is_refused(driver, sessions):
    d = driver().evaluate().publish()
    with pytest.raises(RefusedTransition, match="the objection window is open until"):
        objections.close_objections(sessions, d.id, actor="officer", now=d.published_at + timedelta(days=1))


def test_objection_after_the_window_is_refused(driver, sessions):
    d = driver().evaluate().publish()
    with pytest.raises(RefusedTransition, match="the objection window closed at"):
        objections.raise_objection(
            sessions, d.id, _first_code(sessions, d.id), "late", actor="enterprise", now=d.after_objections()
        )


def test_approve_before_the_confirmation_window_ends_is_refused(driver, sessions):
    d = driver().to_confirming()
    with pytest.raises(RefusedTransition, match=r"confirmation window is open until .* have not answered"):
        approval.approve(sessions, d.id, actor="officer", now=d.after_objections())


def test_approve_twice_is_refused(driver):
    d = driver().to_approved()
    with pytest.raises(
        RefusedTransition, match="approval needs a published round whose objection phase is closed"
    ):
        d.approve()


def test_pay_twice_is_refused(driver, sessions, tmp_path):
    d = driver().to_approved()
    payment.pay(sessions, d.id, tmp_path, actor="officer", now=d.after_confirmations())
    with pytest.raises(RefusedTransition, match="state 'exported'"):
        payment.pay(sessions, d.id, tmp_path, actor="officer", now=d.after_confirmations())


def test_settle_before_payment_and_close_before_settlement_are_refused(driver, sessions):
    d = driver().to_approved()
    with pytest.raises(RefusedTransition, match="settlement needs an exported payment batch"):
        settlement.settle(sessions, d.id, actor="officer", now=d.after_confirmations())
    with pytest.raises(RefusedTransition, match="a round closes once its payment batch is settled"):
        rounds.close(sessions, d.id, actor="officer", now=d.after_confirmations())


def test_every_change_to_a_closed_round_is_refused(driver, sessions, tmp_path):
    d = driver().to_approved()
    payment.pay(sessions, d.id, tmp_path, actor="officer", now=d.after_confirmations())
    settlement.settle(sessions, d.id, actor="officer", now=d.after_confirmations())
    rounds.close(sessions, d.id, actor="officer", now=d.after_confirmations())
    code = _first_code(sessions, d.id)
    later = d.after_confirmations()
    attempts = {
        "evaluate": lambda: d.evaluate(),
        "publish": lambda: d.publish(),
        "object": lambda: objections.raise_objection(sessions, d.id, code, "x", actor="e", now=later),
        "confirm": lambda: confirmations.confirm(sessions, d.id, code, actor="e", now=later),
        "approve": lambda: d.approve(),
        "pay": lambda: payment.pay(sessions, d.id, tmp_path, actor="officer", now=later),
        "settle": lambda: settlement.settle(sessions, d.id, actor="officer", now=later),
        "close": lambda: rounds.close(sessions, d.id, actor="officer", now=later),
    }
    for action, attempt in attempts.items():
        closed = (
            f"cannot {action} round {d.id} \\(state 'closed'\\): the round is closed and can no longer change"
        )
        with pytest.raises(RefusedTransition, match=closed):
            attempt()


def test_open_without_a_budget_names_the_command_to_set_one(driver):
    with pytest.raises(
        NotFound, match=r"no budget for fund 'sme-development-fund', measure M1\.2b, year 2025"
    ):
        driver(budget_amount=None)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"objection_window_days": -1}, "objection_window_days=-1: must be a whole number of days"),
        (
            {"on_no_confirmation": "ignore"},
            "on_no_confirmation='ignore': must be one of pay, forfeit, carry_over",
        ),
        ({"overflow_policy": "lottery"}, "overflow_policy='lottery'"),
        ({"rank_by": "size"}, "rank_by='size': must be 'amount' or 'reasons.<key>'"),
        ({"window": 3}, "unknown round setting"),
        ({"objection_window_days": 10, "confirmation_window_days": 5}, "shorter than objection_window_days"),
    ],
)
def test_invalid_settings_are_refused_with_the_rule(driver, override, message):
    with pytest.raises(InvalidSettings, match=message):
        driver(settings=override)


def test_settings_are_frozen_in_the_round(driver):
    d = driver(settings={"objection_window_days": 5, "overflow_policy": "pro_rata"})
    frozen = rounds.settings_of(d.get())
    assert (frozen.objection_window_days, frozen.overflow_policy, frozen.confirmed) == (5, "pro_rata", False)
    d.evaluate().publish()
    assert d.get().objection_deadline == d.published_at + timedelta(days=5)


def _first_code(sessions, round_id: int) -> str:
    with sessions() as session:
        return session.scalar(
            select(Candidate.credit_code)
            .where(Candidate.round_id == round_id)
            .order_by(Candidate.credit_code)
        )
