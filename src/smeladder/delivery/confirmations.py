"""Enterprise responses while the list is published: confirm (optionally correcting the bank account the
payment goes to) or decline. Silence is not handled here but at approval, by the round's
`on_no_confirmation` rule; a decline becomes forfeited or carried over by its `on_decline` rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from smeladder.delivery import audit, states
from smeladder.delivery.errors import NotFound, RefusedTransition
from smeladder.delivery.models import Candidate
from smeladder.delivery.objections import find_candidate
from smeladder.delivery.rounds import lock_round

CONFIRMED, DECLINED = "confirmed", "declined"


@dataclass(frozen=True)
class BankAccount:
    account_name: str
    account_no: str
    bank_name: str

    def __post_init__(self) -> None:
        digits = self.account_no.replace(" ", "")
        if not (8 <= len(digits) <= 32 and digits.isdigit()):
            raise ValueError(f"bank account number {self.account_no!r}: 8 to 32 digits")
        if not self.account_name.strip() or not self.bank_name.strip():
            raise ValueError("a bank account needs the account holder's name and the bank's name")


def confirm(
    sessions: sessionmaker[Session],
    round_id: int,
    credit_code: str,
    *,
    actor: str,
    account: BankAccount | None = None,
    now: datetime | None = None,
) -> Candidate:
    return _respond(sessions, round_id, credit_code, CONFIRMED, actor=actor, account=account, now=now)


def decline(
    sessions: sessionmaker[Session],
    round_id: int,
    credit_code: str,
    *,
    actor: str,
    now: datetime | None = None,
) -> Candidate:
    return _respond(sessions, round_id, credit_code, DECLINED, actor=actor, account=None, now=now)


def _respond(
    sessions: sessionmaker[Session],
    round_id: int,
    credit_code: str,
    response: str,
    *,
    actor: str,
    account: BankAccount | None,
    now: datetime | None,
) -> Candidate:
    now = now or datetime.now(UTC)
    action = "confirm" if response == CONFIRMED else "decline"
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, action)
        if now >= round_.confirmation_deadline:
            raise RefusedTransition(
                round_id, action, round_.state,
                f"the confirmation window closed at {round_.confirmation_deadline:%Y-%m-%d %H:%M} UTC",
            )  # fmt: skip
        candidate = find_candidate(session, round_id, credit_code, round_.item)
        if candidate is None:
            raise NotFound(f"enterprise {credit_code} is not on the list of round {round_id}")
        if candidate.status == states.OBJECTED:
            raise RefusedTransition(
                round_id, action, round_.state,
                f"enterprise {credit_code} has an open objection: it responds once the objection is resolved",
            )  # fmt: skip
        if candidate.status != states.LISTED:
            raise RefusedTransition(
                round_id,
                action,
                round_.state,
                f"enterprise {credit_code} is {candidate.status}, not on the list",
            )
        if candidate.response is not None:
            raise RefusedTransition(
                round_id, action, round_.state,
                f"enterprise {credit_code} already {candidate.response} at {candidate.responded_at:%Y-%m-%d %H:%M} UTC",
            )  # fmt: skip
        candidate.response = response
        candidate.responded_at = now
        if response == DECLINED:
            candidate.status = states.DECLINED
            candidate.status_reason = "declined by the enterprise"
        if account is not None:
            candidate.bank_account_name = account.account_name
            candidate.bank_account_no = account.account_no.replace(" ", "")
            candidate.bank_name = account.bank_name
        audit.record(
            session,
            actor=actor,
            action=f"candidate.{action}",
            entity="candidate",
            entity_id=candidate.id,
            before={"status": states.LISTED, "response": None},
            after={
                "round_id": round_id,
                "credit_code": credit_code,
                "status": candidate.status,
                "response": response,
                "bank_account_changed": account is not None,
            },
            now=now,
        )
    return candidate
