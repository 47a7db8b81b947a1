"""Approval: apply the round's rules for silence and refusals, "the higher applies" against the ledger, and
the budget with its overflow policy; commit the granted total to the budget. One transaction, holding the
round's row and then the budget's row (SELECT ... FOR UPDATE): two officers approving at the same moment,
even different rounds on one budget, queue at the budget, and the second sees what the first took."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from smeladder.delivery import budgets, stacking, states
from smeladder.delivery.allocation import Claim, Cut, allocate
from smeladder.delivery.errors import RefusedTransition
from smeladder.delivery.fen import fen_to_yuan
from smeladder.delivery.models import Candidate, Round
from smeladder.delivery.objections import open_count
from smeladder.delivery.rounds import describe, lock_round, record_change, settings_of

RULE_STATUS = {"forfeit": states.FORFEITED, "carry_over": states.CARRIED_OVER}


def approve(
    sessions: sessionmaker[Session], round_id: int, *, actor: str, now: datetime | None = None
) -> Round:
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        if round_.state == states.PUBLISHED and open_count(session, round_id):
            raise RefusedTransition(
                round_id, "approve", round_.state,
                "objections are still open: resolve them and close the objection phase first",
            )  # fmt: skip
        states.require(round_id, round_.state, "approve")
        _check_window_and_objections(session, round_, now)
        before = describe(round_)
        rules = settings_of(round_)
        silent = _apply_response_rules(session, round_, rules.on_no_confirmation, rules.on_decline)
        stacked = _apply_stacking(session, round_id)
        budget = budgets.lock(session, round_.budget_id)
        available = budgets.remaining_fen(budget)
        cuts = _apply_budget(session, round_, available, rules)
        _cut_nothing_to_pay(session, round_id)
        granted_total = session.execute(
            select(
                func.coalesce(func.sum(func.coalesce(Candidate.granted_fen, Candidate.amount_fen)), 0)
            ).where(Candidate.round_id == round_id, Candidate.status == states.LISTED)
        ).scalar_one()
        budgets.commit(session, budget.id, int(granted_total))
        session.execute(
            update(Candidate)
            .where(Candidate.round_id == round_id, Candidate.status == states.LISTED)
            .values(
                status=states.APPROVED_C,
                granted_fen=func.coalesce(Candidate.granted_fen, Candidate.amount_fen),
            )
            .execution_options(synchronize_session=False)
        )
        round_.state = states.APPROVED
        round_.approved_at = now
        round_.granted_total_fen = int(granted_total)
        record_change(
            session,
            round_,
            "round.approve",
            actor=actor,
            before=before,
            now=now,
            budget_available_before=str(fen_to_yuan(available)),
            silent_or_declined_handled=silent,
            reduced_by_stacking=stacked,
            reduced_by_budget=len(cuts),
        )
    return round_


def _check_window_and_objections(session: Session, round_: Round, now: datetime) -> None:
    if open_count(session, round_.id):
        raise RefusedTransition(round_.id, "approve", round_.state, "an objection is still open")
    objected = session.execute(
        select(Candidate.credit_code).where(
            Candidate.round_id == round_.id, Candidate.status == states.OBJECTED
        )
    ).first()
    if objected is not None:
        raise RefusedTransition(
            round_.id,
            "approve",
            round_.state,
            f"enterprise {objected[0]} has an objection that is not resolved",
        )
    unanswered = session.execute(
        select(func.count()).where(
            Candidate.round_id == round_.id, Candidate.status == states.LISTED, Candidate.response.is_(None)
        )
    ).scalar_one()
    if unanswered and now < round_.confirmation_deadline:
        raise RefusedTransition(
            round_.id, "approve", round_.state,
            f"the confirmation window is open until {round_.confirmation_deadline:%Y-%m-%d %H:%M} UTC and "
            f"{unanswered} enterprise(s) have not answered yet",
        )  # fmt: skip


def _apply_response_rules(session: Session, round_: Round, on_silence: str, on_decline: str) -> int:
    handled = 0
    if on_silence != "pay":
        handled += session.execute(
            update(Candidate)
            .where(
                Candidate.round_id == round_.id,
                Candidate.status == states.LISTED,
                Candidate.response.is_(None),
            )
            .values(
                status=RULE_STATUS[on_silence], status_reason=f"no confirmation in the window: {on_silence}"
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    handled += session.execute(
        update(Candidate)
        .where(Candidate.round_id == round_.id, Candidate.status == states.DECLINED)
        .values(status=RULE_STATUS[on_decline], status_reason=f"declined by the enterprise: {on_decline}")
        .execution_options(synchronize_session=False)
    ).rowcount
    return handled


def _apply_stacking(session: Session, round_id: int) -> int:
    reduced = []
    for candidate_id, amount, received in stacking.received_by_candidate(session, round_id, states.LISTED):
        room = stacking.room_fen(amount, received)
        reason = f"the higher applies: {fen_to_yuan(received)} yuan already received in this stacking group"
        reduced.append(
            {
                "cid": candidate_id,
                "granted_fen": room,
                "status": states.LISTED if room else states.CUT,
                "status_reason": reason,
            }
        )
    _update_candidates(session, reduced)
    return len(reduced)


def _apply_budget(session: Session, round_: Round, available: int, rules) -> list[Cut]:
    claimed = func.coalesce(Candidate.granted_fen, Candidate.amount_fen)
    total = session.execute(
        select(func.coalesce(func.sum(claimed), 0)).where(
            Candidate.round_id == round_.id, Candidate.status == states.LISTED
        )
    ).scalar_one()
    if total <= available:
        return []
    rows = session.execute(
        select(
            Candidate.id, Candidate.credit_code, claimed, Candidate.reasons_json, Candidate.responded_at
        ).where(Candidate.round_id == round_.id, Candidate.status == states.LISTED)
    ).all()
    claims = [
        Claim(cid, code, amount, _rank_value(reasons, rules.rank_by), responded_at)
        for cid, code, amount, reasons, responded_at in rows
    ]
    cuts = allocate(
        claims, available, rules.overflow_policy, rank_by=rules.rank_by, rank_order=rules.rank_order
    )
    _update_candidates(
        session,
        [
            {
                "cid": cut.candidate_id,
                "granted_fen": cut.granted_fen,
                "status": states.LISTED if cut.granted_fen else states.CUT,
                "status_reason": cut.reason,
            }
            for cut in cuts
        ],
    )
    return cuts


def _cut_nothing_to_pay(session: Session, round_id: int) -> None:
    """An eligible enterprise whose amount is 0 gets no payment line: it is listed as cut, with the reason."""
    session.execute(
        update(Candidate)
        .where(
            Candidate.round_id == round_id,
            Candidate.status == states.LISTED,
            func.coalesce(Candidate.granted_fen, Candidate.amount_fen) == 0,
        )
        .values(
            status=states.CUT,
            granted_fen=0,
            status_reason=func.coalesce(Candidate.status_reason, "amount is 0"),
        )
        .execution_options(synchronize_session=False)
    )


def _rank_value(reasons_json: str, rank_by: str) -> Decimal | None:
    if not rank_by.startswith("reasons."):
        return None
    value = json.loads(reasons_json)
    for key in rank_by.removeprefix("reasons.").split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    try:
        return (
            Decimal(str(value))
            if isinstance(value, int | float | str) and not isinstance(value, bool)
            else None
        )
    except InvalidOperation:
        return None


def _update_candidates(session: Session, changes: list[dict]) -> None:
    if not changes:
        return
    session.execute(
        update(Candidate.__table__)
        .where(Candidate.__table__.c.id == bindparam("cid"))
        .values(
            granted_fen=bindparam("granted_fen"),
            status=bindparam("status"),
            status_reason=bindparam("status_reason"),
        ),
        changes,
    )
