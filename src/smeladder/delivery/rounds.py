"""Rounds: open, evaluate (fill from a `CandidateSource`, freezing what it was evaluated with), publish,
close. The other steps live with their nouns: objections, confirmations, approval, payment, settlement."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from smeladder.delivery import audit, budgets, states
from smeladder.delivery.candidates import CandidateSource
from smeladder.delivery.errors import NotFound, RefusedTransition
from smeladder.delivery.fen import fen_to_yuan, yuan_to_fen
from smeladder.delivery.models import Candidate, Round
from smeladder.delivery.settings import RoundSettings, build
from smeladder.store.bulk import bulk_insert
from smeladder.store.engine import refresh_statistics

DEFAULT_ITEM = "main"
EVALUATE_BATCH = 20_000

Progress = Callable[[str, int], None]  # (step, rows done so far)


def get_round(session: Session, round_id: int) -> Round:
    found = session.get(Round, round_id)
    if found is None:
        raise NotFound(f"no round {round_id}")
    return found


def lock_round(session: Session, round_id: int) -> Round:
    """The round row, locked until the end of the transaction: two officers acting on one round queue here."""
    found = session.execute(
        select(Round).where(Round.id == round_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"no round {round_id}")
    return found


def settings_of(round_: Round) -> RoundSettings:
    return RoundSettings.from_json(round_.settings_json)


def open_round(
    sessions: sessionmaker[Session],
    *,
    measure_id: str,
    period: str,
    as_of: date,
    fund_id: str,
    actor: str,
    settings: dict[str, Any] | None = None,
    item: str = DEFAULT_ITEM,
    now: datetime | None = None,
) -> Round:
    """A draft round for a measure and period, charged to the fund's budget for the period's year."""
    now = now or datetime.now(UTC)
    frozen = build(settings)
    with sessions.begin() as session:
        budget = budgets.find(session, fund_id, measure_id, _year(period))
        round_ = Round(
            measure_id=measure_id,
            period=period,
            item=item,
            as_of=as_of,
            budget_id=budget.id,
            state=states.DRAFT,
            settings_json=frozen.to_json(),
            candidate_count=0,
            candidate_total_fen=0,
            granted_total_fen=0,
            opened_by=actor,
            opened_at=now,
        )
        session.add(round_)
        session.flush()
        record_change(session, round_, "round.open", actor=actor, before=None, now=now)
    return round_


def evaluate(
    sessions: sessionmaker[Session],
    round_id: int,
    source: CandidateSource,
    *,
    actor: str,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Round:
    """Fill the round with the source's eligible candidates, in one transaction (all or nothing), and freeze
    the run's rule version, as-of date and input snapshot. Enterprises that forfeited this measure and period
    in an earlier round are listed as forfeited, not in play."""
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "evaluate")
        before = describe(round_)
        run = source.run(round_.measure_id, round_.period)
        if run.as_of > round_.as_of:
            raise RefusedTransition(
                round_id, "evaluate", round_.state,
                f"the results are as of {run.as_of}, after the round's as-of date {round_.as_of}",
            )  # fmt: skip
        digest = hashlib.sha256()
        count = 0
        for batch in source.batches(round_.measure_id, round_.period, EVALUATE_BATCH):
            rows = []
            for record in batch:
                if record.rule_version != run.rule_version or record.input_snapshot != run.input_snapshot:
                    raise RefusedTransition(
                        round_id, "evaluate", round_.state,
                        f"enterprise {record.credit_code} was evaluated with another rule version or input "
                        "snapshot than the run's",
                    )  # fmt: skip
                amount_fen = yuan_to_fen(record.amount)
                rows.append(_candidate_row(round_, record, amount_fen))
                digest.update(f"{record.credit_code}\t{amount_fen}\n".encode())
            count += bulk_insert(session, Candidate.__table__, CANDIDATE_COLUMNS, rows)
            if progress:
                progress("evaluate", count)
        refresh_statistics(session, "candidates")
        _forfeit_earlier_waivers(session, round_)
        round_.state = states.UNDER_REVIEW
        round_.source_uri = run.uri
        round_.source_run_id = run.run_id
        round_.rule_version = run.rule_version
        round_.input_snapshot = run.input_snapshot
        refresh_totals(session, round_)
        round_.evaluated_at = now
        record_change(
            session,
            round_,
            "round.evaluate",
            actor=actor,
            before=before,
            now=now,
            as_of_of_results=str(run.as_of),
            candidates_sha256=digest.hexdigest(),
        )
    return round_


def publish(
    sessions: sessionmaker[Session], round_id: int, *, actor: str, now: datetime | None = None
) -> Round:
    """Publish the list (公示): the objection and confirmation windows start now."""
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "publish")
        before = describe(round_)
        frozen = settings_of(round_)
        round_.state = states.PUBLISHED
        round_.published_at = now
        round_.objection_deadline = now + timedelta(days=frozen.objection_window_days)
        round_.confirmation_deadline = now + timedelta(days=frozen.confirmation_window_days)
        record_change(session, round_, "round.publish", actor=actor, before=before, now=now)
    return round_


def close(
    sessions: sessionmaker[Session], round_id: int, *, actor: str, now: datetime | None = None
) -> Round:
    """Close a settled round: from here on nothing in it changes (database triggers enforce it)."""
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "close")
        before = describe(round_)
        round_.state = states.CLOSED
        round_.closed_at = now
        record_change(session, round_, "round.close", actor=actor, before=before, now=now)
    return round_


def refresh_totals(session: Session, round_: Round) -> None:
    """Count and total of the candidates still on the list (not withdrawn, not forfeited)."""
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(Candidate.amount_fen), 0)).where(
            Candidate.round_id == round_.id, Candidate.status.not_in((states.WITHDRAWN, states.FORFEITED))
        )
    ).one()
    round_.candidate_count, round_.candidate_total_fen = count, int(total)


def record_change(
    session: Session, round_: Round, action: str, *, actor: str, before: Any, now: datetime, **extra: Any
) -> None:
    """Audit a step of the round: `before` as the caller took it, after as `describe` sees the round now,
    with `extra` facts of the step."""
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="round",
        entity_id=round_.id,
        before=before,
        after={**describe(round_), **extra},
        now=now,
    )


def describe(round_: Round) -> dict[str, Any]:
    """The round as the audit log and `round show` see it."""
    return {
        "id": round_.id,
        "measure_id": round_.measure_id,
        "period": round_.period,
        "item": round_.item,
        "as_of": str(round_.as_of),
        "state": round_.state,
        "budget_id": round_.budget_id,
        "settings": settings_of(round_).__dict__,
        "source_uri": round_.source_uri,
        "source_run_id": round_.source_run_id,
        "rule_version": round_.rule_version,
        "input_snapshot": round_.input_snapshot,
        "candidate_count": round_.candidate_count,
        "candidate_total": str(fen_to_yuan(round_.candidate_total_fen or 0)),
        "granted_total": str(fen_to_yuan(round_.granted_total_fen or 0)),
        "published_at": _iso(round_.published_at),
        "objection_deadline": _iso(round_.objection_deadline),
        "confirmation_deadline": _iso(round_.confirmation_deadline),
    }


CANDIDATE_COLUMNS = (
    "round_id", "credit_code", "district_adcode", "measure_id", "period", "item", "level", "stacking_group",
    "amount_fen", "status", "reasons_json", "rule_version", "input_snapshot", "bank_account_name",
    "bank_account_no", "bank_name",
)  # fmt: skip


def _candidate_row(round_: Round, record, amount_fen: int) -> tuple:
    return (
        round_.id,
        record.credit_code,
        record.district_adcode,
        round_.measure_id,
        round_.period,
        round_.item,
        record.level,
        record.stacking_group,
        amount_fen,
        states.LISTED,
        record.reasons_json,
        record.rule_version,
        record.input_snapshot,
        record.account_name or None,
        record.account_no.replace(" ", "") or None,
        record.bank_name or None,
    )


def _forfeit_earlier_waivers(session: Session, round_: Round) -> None:
    earlier = aliased(Candidate)
    session.execute(
        update(Candidate)
        .where(
            Candidate.round_id == round_.id,
            exists().where(
                and_(
                    earlier.round_id != round_.id,
                    earlier.measure_id == Candidate.measure_id,
                    earlier.period == Candidate.period,
                    earlier.item == Candidate.item,
                    earlier.credit_code == Candidate.credit_code,
                    earlier.status == states.FORFEITED,
                )
            ),
        )
        .values(
            status=states.FORFEITED, status_reason="waived in an earlier round of this measure and period"
        )
        .execution_options(synchronize_session=False)
    )


def _year(period: str) -> int:
    try:
        return int(period[:4])
    except ValueError as exc:
        raise NotFound(f"period {period!r} does not start with a year") from exc


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
