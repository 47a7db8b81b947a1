"""Objections during publication (公示). Anyone may object for an enterprise, listed or not, until the
objection deadline; the officer resolves each by re-evaluating that one enterprise through the source
(`evaluate_one`), never by typing an amount. The round cannot leave publication while one is open."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from smeladder.delivery import audit, states
from smeladder.delivery.candidates import CandidateSource
from smeladder.delivery.errors import NotFound, RefusedTransition
from smeladder.delivery.fen import yuan_to_fen
from smeladder.delivery.models import Candidate, Objection
from smeladder.delivery.rounds import describe, lock_round, record_change, refresh_totals

OPEN, UPHELD, REJECTED = "open", "upheld", "rejected"


def raise_objection(
    sessions: sessionmaker[Session],
    round_id: int,
    credit_code: str,
    text: str,
    *,
    actor: str,
    now: datetime | None = None,
) -> Objection:
    now = now or datetime.now(UTC)
    if not text.strip():
        raise RefusedTransition(round_id, "object", "-", "an objection needs a reason")
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "object")
        if now >= round_.objection_deadline:
            raise RefusedTransition(
                round_id,
                "object",
                round_.state,
                f"the objection window closed at {round_.objection_deadline:%Y-%m-%d %H:%M} UTC",
            )
        candidate = find_candidate(session, round_id, credit_code, round_.item)
        if candidate is not None and candidate.status == states.OBJECTED:
            raise RefusedTransition(
                round_id, "object", round_.state, f"enterprise {credit_code} already has an open objection"
            )
        objection = Objection(
            round_id=round_id,
            credit_code=credit_code,
            text=text,
            state=OPEN,
            raised_by=actor,
            raised_at=now,
            amount_before_fen=None if candidate is None else candidate.amount_fen,
        )
        session.add(objection)
        if candidate is not None:
            candidate.status = states.OBJECTED
            candidate.status_reason = f"objection: {text}"
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="objection.raise",
            entity="objection",
            entity_id=objection.id,
            after={
                "round_id": round_id,
                "credit_code": credit_code,
                "text": text,
                "listed": candidate is not None,
            },
            now=now,
        )
    return objection


def resolve_objection(
    sessions: sessionmaker[Session],
    objection_id: int,
    source: CandidateSource,
    *,
    actor: str,
    note: str = "",
    now: datetime | None = None,
) -> Objection:
    """Re-evaluate the one enterprise concerned; the new result replaces its line on the list (upheld) or
    confirms it (rejected). The rules must be the round's frozen rule version."""
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        objection = session.get(Objection, objection_id)
        if objection is None:
            raise NotFound(f"no objection {objection_id}")
        round_ = lock_round(session, objection.round_id)
        states.require(round_.id, round_.state, "resolve")
        if objection.state != OPEN:
            raise RefusedTransition(
                round_.id, "resolve", round_.state, f"objection {objection_id} is already {objection.state}"
            )
        record = source.evaluate_one(objection.credit_code, round_.measure_id, round_.period)
        if record is not None and record.rule_version != round_.rule_version:
            raise RefusedTransition(
                round_.id, "resolve", round_.state,
                f"the re-evaluation used rule version {record.rule_version}, the round is frozen on "
                f"{round_.rule_version}: re-evaluate with the round's rules",
            )  # fmt: skip
        candidate = find_candidate(session, round_.id, objection.credit_code, round_.item)
        before = None if candidate is None else _line(candidate)
        if record is None or not record.eligible:
            if candidate is not None:
                candidate.status = states.WITHDRAWN
                candidate.status_reason = f"objection {objection_id}: not eligible on re-evaluation"
                candidate.reasons_json = record.reasons_json if record else candidate.reasons_json
                candidate.input_snapshot = record.input_snapshot if record else candidate.input_snapshot
        elif candidate is None:
            candidate = Candidate(
                round_id=round_.id,
                credit_code=record.credit_code,
                district_adcode=record.district_adcode,
                measure_id=round_.measure_id,
                period=round_.period,
                item=round_.item,
                level=record.level,
                stacking_group=record.stacking_group,
                amount_fen=yuan_to_fen(record.amount),
                status=states.LISTED,
                status_reason=f"added on objection {objection_id}",
                reasons_json=record.reasons_json,
                rule_version=record.rule_version,
                input_snapshot=record.input_snapshot,
            )
            session.add(candidate)
        else:
            candidate.amount_fen = yuan_to_fen(record.amount)
            candidate.district_adcode = record.district_adcode
            candidate.level = record.level
            candidate.stacking_group = record.stacking_group
            candidate.reasons_json = record.reasons_json
            candidate.input_snapshot = record.input_snapshot
            candidate.status = states.LISTED
            candidate.status_reason = f"re-evaluated on objection {objection_id}"
        session.flush()
        after = None if candidate is None else _line(candidate)
        changed = (
            (before is None) != (after is None)
            or (after is not None and after["status"] == states.WITHDRAWN)
            or (before is not None and after is not None and before["amount_fen"] != after["amount_fen"])
        )
        objection.state = UPHELD if changed else REJECTED
        objection.resolved_by = actor
        objection.resolved_at = now
        objection.resolution_note = note
        objection.amount_after_fen = None if candidate is None else candidate.amount_fen
        refresh_totals(session, round_)
        audit.record(
            session,
            actor=actor,
            action="objection.resolve",
            entity="objection",
            entity_id=objection_id,
            before=before,
            after={"line": after, "state": objection.state, "note": note, "round": describe(round_)},
            now=now,
        )
    return objection


def close_objections(
    sessions: sessionmaker[Session], round_id: int, *, actor: str, now: datetime | None = None
):
    """End the objection phase: after the deadline, with every objection resolved."""
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "close objections of")
        if now < round_.objection_deadline:
            raise RefusedTransition(
                round_id, "close objections of", round_.state,
                f"the objection window is open until {round_.objection_deadline:%Y-%m-%d %H:%M} UTC",
            )  # fmt: skip
        still_open = open_count(session, round_id)
        if still_open:
            raise RefusedTransition(
                round_id, "close objections of", round_.state,
                f"{still_open} objection(s) are still open: resolve each of them first",
            )  # fmt: skip
        before = describe(round_)
        round_.state = states.CONFIRMING
        record_change(session, round_, "round.close_objections", actor=actor, before=before, now=now)
    return round_


def open_count(session: Session, round_id: int) -> int:
    return session.execute(
        select(func.count())
        .select_from(Objection)
        .where(Objection.round_id == round_id, Objection.state == OPEN)
    ).scalar_one()


def find_candidate(session: Session, round_id: int, credit_code: str, item: str) -> Candidate | None:
    return session.execute(
        select(Candidate).where(
            Candidate.round_id == round_id, Candidate.credit_code == credit_code, Candidate.item == item
        )
    ).scalar_one_or_none()


def _line(candidate: Candidate) -> dict[str, object]:
    return {
        "credit_code": candidate.credit_code,
        "amount_fen": candidate.amount_fen,
        "status": candidate.status,
        "stacking_group": candidate.stacking_group,
        "level": candidate.level,
        "input_snapshot": candidate.input_snapshot,
        "reasons_json": candidate.reasons_json,
    }
