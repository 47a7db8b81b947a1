"""Automatic-entitlement rounds (免申即享): open, evaluate, publish, objections, confirmations, approve, pay,
settle, close, correct, run end to end, show and list (docs/delivery.md).

A round reads its candidates from an entitlement-results table (`results`), or, when none is given, from an
evaluation of the context's pack over its registry, made for the round's measure, period and as-of date and
kept under `<data dir>/delivery/entitlements/` (the round freezes its run id, rule version and snapshot).
"""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smeladder.delivery import (
    approval,
    audit,
    budgets,
    confirmations,
    corrections,
    objections,
    payment,
    rounds,
    settings,
    settlement,
)
from smeladder.delivery.auto import run_automatic_round
from smeladder.delivery.candidates import CandidateSource
from smeladder.delivery.fen import fen_to_yuan
from smeladder.delivery.models import Budget as BudgetRow
from smeladder.delivery.models import Candidate, LedgerEntry, PaymentBatch
from smeladder.delivery.models import Objection as ObjectionRow
from smeladder.delivery.models import Round as RoundRow
from smeladder.delivery.results import DEFAULT_TABLE, EntitlementResults
from smeladder.delivery.settings import RoundSettings
from smeladder.errors import InvalidInput, NotFound
from smeladder.services.context import AppContext
from smeladder.services.models import Result

DEFAULT_ITEM = rounds.DEFAULT_ITEM
POST_CHUNK = payment.POST_CHUNK
Progress = Callable[[str, int], None]  # (what is being done, total steps or 0): cli.common.progress_bar


# -- result models ---------------------------------------------------------------------------------------------


class Round(Result):
    id: int
    measure_id: str
    period: str
    item: str
    state: str
    as_of: dt.date
    candidate_count: int
    candidate_total: Decimal
    granted_total: Decimal
    rule_version: str | None
    input_snapshot: str | None
    source_uri: str | None
    source_run_id: str | None
    published_at: dt.datetime | None
    objection_deadline: dt.datetime | None
    confirmation_deadline: dt.datetime | None
    rules: RoundSettings  # frozen in the round (round_defaults.yaml, overridden at opening)

    @classmethod
    def of(cls, row: RoundRow) -> Round:
        return cls(
            id=row.id,
            measure_id=row.measure_id,
            period=row.period,
            item=row.item,
            state=row.state,
            as_of=row.as_of,
            candidate_count=row.candidate_count,
            candidate_total=fen_to_yuan(row.candidate_total_fen or 0),
            granted_total=fen_to_yuan(row.granted_total_fen or 0),
            rule_version=row.rule_version,
            input_snapshot=row.input_snapshot,
            source_uri=row.source_uri,
            source_run_id=row.source_run_id,
            published_at=row.published_at,
            objection_deadline=row.objection_deadline,
            confirmation_deadline=row.confirmation_deadline,
            rules=rounds.settings_of(row),
        )


class Rounds(Result):
    rounds: list[Round]


class StatusCount(Result):
    status: str
    enterprises: int
    amount: Decimal
    granted: Decimal


class CandidateLine(Result):
    credit_code: str
    district_adcode: str
    amount: Decimal
    granted: Decimal | None
    status: str
    reason: str | None


class Batch(Result):
    id: int
    kind: str
    lines: int
    control_total: Decimal
    file_sha256: str
    file: Path

    @classmethod
    def of(cls, row: PaymentBatch) -> Batch:
        return cls(
            id=row.id,
            kind=row.kind,
            lines=row.line_count,
            control_total=fen_to_yuan(row.control_total_fen),
            file_sha256=row.file_sha256,
            file=Path(row.file_name),
        )


class HeldBack(Result):
    """Approved enterprises not paid for want of an account, and what they would have received."""

    enterprises: int
    total: Decimal
    lines: list[CandidateLine]


class RoundDetail(Result):
    """A round as `show` lists it: its state and provenance, candidates by status, the lines an officer has
    to be able to explain first (cut and reduced ones), what is held back, and the payment batches."""

    round: Round
    statuses: list[StatusCount]
    open_objections: int
    candidates: list[CandidateLine]
    held_back: HeldBack
    batches: list[Batch]


class Objection(Result):
    id: int
    round_id: int
    credit_code: str
    state: str
    amount_before: Decimal | None
    amount_after: Decimal | None

    @classmethod
    def of(cls, row: ObjectionRow) -> Objection:
        return cls(
            id=row.id,
            round_id=row.round_id,
            credit_code=row.credit_code,
            state=row.state,
            amount_before=None if row.amount_before_fen is None else fen_to_yuan(row.amount_before_fen),
            amount_after=None if row.amount_after_fen is None else fen_to_yuan(row.amount_after_fen),
        )


class Response(Result):
    """An enterprise's answer to the published list."""

    round_id: int
    credit_code: str
    response: str
    status: str
    account_changed: bool


class Payment(Result):
    """The round's payment file and what was held back beside it: approved = control total + held back."""

    round_id: int
    batch: Batch
    held_back: HeldBack


class Settlement(Result):
    round_id: int
    state: str  # the round's
    batch_id: int
    batch_kind: str  # the round's batch, or an adjustment batch after a correction
    failed: list[str]  # credit codes reversed in the ledger


class LedgerLine(Result):
    id: int
    kind: str
    credit_code: str
    amount: Decimal
    reason: str


class Correction(Result):
    round_id: int
    credit_code: str
    entry: LedgerLine | None  # None: the corrected data changes nothing
    adjustment_batch: Batch | None


class RoundRun(Result):
    """A round run (or resumed) end to end: the round as shown, and its payment file."""

    round_id: int
    state: str
    payment_file: Path | None
    lines: int
    control_total: Decimal
    detail: RoundDetail


class DemoRound(Result):
    run: RoundRun
    audit_intact: bool
    audit_records: int
    audit_problem: str | None


# -- where candidates come from -----------------------------------------------------------------------------


def entitlement_source(
    ctx: AppContext,
    measure_id: str,
    period: str,
    as_of: dt.date,
    *,
    results: Path | None = None,
    table: str = DEFAULT_TABLE,
    run_id: str | None = None,
) -> CandidateSource:
    """The entitlement results a round reads: `results` as given, else one evaluation of the pack over the
    registry as of `as_of` (`evaluate_entitlements`)."""
    if results is not None:
        return EntitlementResults(results, run_id=run_id, table=table)
    return EntitlementResults(evaluate_entitlements(ctx, measure_id, period, as_of))


def evaluate_entitlements(ctx: AppContext, measure_id: str, period: str, as_of: dt.date) -> Path:
    """Evaluate `measure_id` over the registry as of `as_of` and write the entitlement results of `period` under
    `<data dir>/delivery/entitlements/`, one new file per evaluation; its path."""
    from smeladder.delivery.from_pack import write_entitlement_results
    from smeladder.rules.errors import PackError

    stamp = f"{ctx.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"  # a fixed clock (--at) still gets a new file
    path = ctx.data_dir / "delivery" / "entitlements" / f"{measure_id}-{period}-as-of-{as_of}-{stamp}.parquet"
    try:
        write_entitlement_results(ctx.pack, ctx.source, as_of, [measure_id], period, path)
    except PackError as exc:
        raise InvalidInput(str(exc)) from None
    return path


# -- the steps ----------------------------------------------------------------------------------------------


def round_settings(assignments: list[str] | None = None, settings_file: Path | None = None) -> dict[str, Any]:
    """The settings an officer gives: a YAML file, then `key=value` assignments over it."""
    chosen: dict[str, Any] = {}
    if settings_file is not None:
        if not settings_file.is_file():
            raise NotFound(f"settings file {settings_file} does not exist")
        chosen.update(settings.load_file(settings_file))
    chosen.update(settings.parse_assignments(assignments or []))
    return chosen


def open_round(
    ctx: AppContext,
    measure_id: str,
    period: str,
    fund_id: str,
    as_of: dt.date | None = None,
    *,
    item: str = DEFAULT_ITEM,
    assignments: list[str] | None = None,
    settings_file: Path | None = None,
) -> Round:
    """A draft round charged to the fund's budget for the period's year; its settings are frozen now."""
    opened = rounds.open_round(
        ctx.sessions,
        measure_id=measure_id,
        period=period,
        as_of=ctx.as_of(as_of),
        fund_id=fund_id,
        actor=ctx.actor,
        settings=round_settings(assignments, settings_file),
        item=item,
        now=ctx.now(),
    )
    return Round.of(opened)


def evaluate(
    ctx: AppContext,
    round_id: int,
    *,
    results: Path | None = None,
    table: str = DEFAULT_TABLE,
    run_id: str | None = None,
    progress: Progress | None = None,
) -> Round:
    """Fill the round from the entitlement results (or the pack's evaluation as of the round's date) and
    freeze rule version, as-of date and input snapshot."""
    found = _round(ctx, round_id)
    source = entitlement_source(
        ctx, found.measure_id, found.period, found.as_of, results=results, table=table, run_id=run_id
    )
    done = rounds.evaluate(
        ctx.sessions, round_id, source, actor=ctx.actor, now=ctx.now(), progress=_rows(progress)
    )
    return Round.of(done)


def publish(ctx: AppContext, round_id: int) -> Round:
    """Publish the list (公示): the objection and confirmation windows start."""
    return Round.of(rounds.publish(ctx.sessions, round_id, actor=ctx.actor, now=ctx.now()))


def close_objections(ctx: AppContext, round_id: int) -> Round:
    """End the objection phase (after its deadline, every objection resolved)."""
    return Round.of(objections.close_objections(ctx.sessions, round_id, actor=ctx.actor, now=ctx.now()))


def approve(ctx: AppContext, round_id: int) -> Round:
    """Apply the silence and decline rules, "the higher applies" and the budget's overflow policy."""
    return Round.of(approval.approve(ctx.sessions, round_id, actor=ctx.actor, now=ctx.now()))


def close(ctx: AppContext, round_id: int) -> Round:
    """Close a settled round; nothing in it can change afterwards."""
    return Round.of(rounds.close(ctx.sessions, round_id, actor=ctx.actor, now=ctx.now()))


def raise_objection(ctx: AppContext, round_id: int, credit_code: str, reason: str) -> Objection:
    """An objection for an enterprise, listed or not, while the list is published."""
    raised = objections.raise_objection(
        ctx.sessions, round_id, credit_code, reason, actor=ctx.actor, now=ctx.now()
    )
    return Objection.of(raised)


def resolve_objection(
    ctx: AppContext,
    objection_id: int,
    *,
    note: str = "",
    results: Path | None = None,
    table: str = DEFAULT_TABLE,
) -> Objection:
    """Re-evaluate the one enterprise concerned (its newest result in `results`, else the pack's evaluation
    as of the round's date); its line is replaced, added, withdrawn or kept."""
    with ctx.sessions() as session:
        objection = session.get(ObjectionRow, objection_id)
        if objection is None:
            raise NotFound(f"no objection {objection_id}")
        found = rounds.get_round(session, objection.round_id)
    source = entitlement_source(
        ctx, found.measure_id, found.period, found.as_of, results=results, table=table
    )
    resolved = objections.resolve_objection(
        ctx.sessions, objection_id, source, actor=ctx.actor, note=note, now=ctx.now()
    )
    return Objection.of(resolved)


def confirm(
    ctx: AppContext,
    round_id: int,
    credit_code: str,
    *,
    account_name: str | None = None,
    account_no: str | None = None,
    bank: str | None = None,
) -> Response:
    """Confirm for an enterprise, optionally giving the account the payment goes to (all three parts)."""
    account = None
    if any((account_name, account_no, bank)):
        try:
            account = confirmations.BankAccount(account_name or "", account_no or "", bank or "")
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    done = confirmations.confirm(
        ctx.sessions, round_id, credit_code, actor=ctx.actor, account=account, now=ctx.now()
    )
    return Response(
        round_id=round_id,
        credit_code=credit_code,
        response=done.response,
        status=done.status,
        account_changed=account is not None,
    )


def decline(ctx: AppContext, round_id: int, credit_code: str) -> Response:
    """Decline for an enterprise (handled at approval by the round's on_decline rule)."""
    done = confirmations.decline(ctx.sessions, round_id, credit_code, actor=ctx.actor, now=ctx.now())
    return Response(
        round_id=round_id,
        credit_code=credit_code,
        response=done.response,
        status=done.status,
        account_changed=False,
    )


def pay(
    ctx: AppContext,
    round_id: int,
    out_dir: Path,
    *,
    chunk_size: int = POST_CHUNK,
    progress: Progress | None = None,
) -> Payment:
    """Post the approved grants to the ledger and write the payment file; enterprises without an account are
    held back. Safe to rerun after a crash: nothing is posted twice."""
    batch = payment.pay(
        ctx.sessions,
        round_id,
        out_dir,
        actor=ctx.actor,
        now=ctx.now(),
        progress=_rows(progress),
        chunk_size=chunk_size,
    )
    with ctx.sessions() as session:
        return Payment(round_id=round_id, batch=Batch.of(batch), held_back=_held_back(session, round_id))


def read_failures(path: Path) -> dict[str, str]:
    """The bank's returns: a CSV with the columns credit_code and reason, one failed line each."""
    if not path.is_file():
        raise NotFound(f"bank returns file {path} does not exist")
    failures: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as stream:
        for number, row in enumerate(csv.DictReader(stream), start=2):
            code, reason = (row.get("credit_code") or "").strip(), (row.get("reason") or "").strip()
            if not code or not reason:
                raise InvalidInput(f"{path} line {number}: needs credit_code and reason")
            failures[code] = reason
    return failures


def settle(
    ctx: AppContext,
    round_id: int,
    *,
    failed: Mapping[str, str] | Path | None = None,
    batch_id: int | None = None,
) -> Settlement:
    """Record the bank's result: every line paid except the failed ones (credit code -> the bank's reason, or
    a returns file), which are reversed in the ledger. `batch_id`: an adjustment batch instead of the round's."""
    failures = read_failures(failed) if isinstance(failed, Path) else dict(failed or {})
    if batch_id is not None:
        with ctx.sessions() as session:
            found = session.get(PaymentBatch, batch_id)
        if found is None or found.round_id != round_id:
            raise NotFound(f"round {round_id} has no payment batch {batch_id}")
        settlement.settle_adjustments(ctx.sessions, batch_id, failed=failures, actor=ctx.actor, now=ctx.now())
        with ctx.sessions() as session:
            state = rounds.get_round(session, round_id).state
        return Settlement(
            round_id=round_id,
            state=state,
            batch_id=batch_id,
            batch_kind=payment.ADJUSTMENT_BATCH,
            failed=sorted(failures),
        )
    done = settlement.settle(ctx.sessions, round_id, failed=failures, actor=ctx.actor, now=ctx.now())
    with ctx.sessions() as session:
        batch = session.execute(
            select(PaymentBatch.id).where(
                PaymentBatch.round_id == round_id, PaymentBatch.kind == payment.ROUND_BATCH
            )
        ).scalar_one()
    return Settlement(
        round_id=round_id,
        state=done.state,
        batch_id=batch,
        batch_kind=payment.ROUND_BATCH,
        failed=sorted(failures),
    )


def correct(
    ctx: AppContext,
    round_id: int,
    credit_code: str,
    note: str,
    *,
    results: Path | None = None,
    table: str = DEFAULT_TABLE,
    out_dir: Path | None = None,
) -> Correction:
    """After payment: re-evaluate one enterprise (from `results`, else the pack as of the round's date) and
    append an adjustment or claw-back; with `out_dir`, export pending adjustments as a payment file."""
    found = _round(ctx, round_id)
    source = entitlement_source(
        ctx, found.measure_id, found.period, found.as_of, results=results, table=table
    )
    entry = corrections.correct(
        ctx.sessions, round_id, credit_code, source, actor=ctx.actor, note=note, now=ctx.now()
    )
    batch = None
    if out_dir is not None:
        batch = corrections.pay_adjustments(ctx.sessions, round_id, out_dir, actor=ctx.actor, now=ctx.now())
    return Correction(
        round_id=round_id,
        credit_code=credit_code,
        entry=None if entry is None else _ledger_line(entry),
        adjustment_batch=None if batch is None else Batch.of(batch),
    )


def run(
    ctx: AppContext,
    measure_id: str,
    period: str,
    fund_id: str,
    out_dir: Path,
    *,
    as_of: dt.date | None = None,
    results: Path | None = None,
    table: str = DEFAULT_TABLE,
    item: str = DEFAULT_ITEM,
    assignments: list[str] | None = None,
    settings_file: Path | None = None,
    chunk_size: int = POST_CHUNK,
    progress: Progress | None = None,
) -> RoundRun:
    """Run (or resume) one round end to end with a simulated clock that jumps to each window's end. Without
    `results`, the pack is evaluated over the registry as of `as_of` (default: today in Shanghai)."""
    day = ctx.as_of(as_of)
    source = entitlement_source(ctx, measure_id, period, day, results=results, table=table)
    outcome = run_automatic_round(
        ctx.sessions,
        source,
        measure_id=measure_id,
        period=period,
        fund_id=fund_id,
        out_dir=out_dir,
        as_of=day,
        settings=round_settings(assignments, settings_file),
        item=item,
        actor=ctx.actor,
        start=ctx.now(),
        progress=_rows(progress),
        chunk_size=chunk_size,
    )
    return RoundRun(
        round_id=outcome.round_id,
        state=outcome.state,
        payment_file=outcome.payment_file,
        lines=outcome.lines,
        control_total=fen_to_yuan(outcome.control_total_fen),
        detail=show(ctx, outcome.round_id),
    )


# -- reading ------------------------------------------------------------------------------------------------


def show(ctx: AppContext, round_id: int, *, limit: int = 10) -> RoundDetail:
    """The round, its candidates by status, the first `limit` candidates (cut and reduced ones first), what is
    held back for want of an account, and its payment batches."""
    with ctx.sessions() as session:
        found = rounds.get_round(session, round_id)
        return RoundDetail(
            round=Round.of(found),
            statuses=_statuses(session, round_id),
            open_objections=objections.open_count(session, round_id),
            candidates=_lines(session, round_id, limit),
            held_back=_held_back(session, round_id),
            batches=[
                Batch.of(b)
                for b in session.execute(
                    select(PaymentBatch).where(PaymentBatch.round_id == round_id).order_by(PaymentBatch.id)
                ).scalars()
            ],
        )


def list_rounds(ctx: AppContext) -> Rounds:
    with ctx.sessions() as session:
        found = session.execute(select(RoundRow).order_by(RoundRow.id)).scalars()
        return Rounds(rounds=[Round.of(r) for r in found])


# -- the demo -----------------------------------------------------------------------------------------------

DEMO_FUND = "sme-development-fund"
# Smaller than the eligible total of the sample results, so the demo shows the overflow policy at work.
DEMO_BUDGET = Decimal("150000000")


def demo_round(
    ctx: AppContext,
    *,
    results: Path | None = None,
    measure_id: str | None = None,
    period: str = "2025",
    enterprises: int = 2_000,
) -> DemoRound:
    """One automatic round end to end to a payment file, as `demo` shows it. `results`: an entitlement-results
    table for `measure_id` and `period`; without it, `enterprises` rows of sample results are generated
    (a few of them without an account, to show what is held back), for the sample's measure unless
    `measure_id` names another."""
    from smeladder.delivery.sample_results import SAMPLE_MEASURE, write_sample

    measure_id = measure_id or SAMPLE_MEASURE
    with ctx.sessions() as session:
        number = session.scalar(select(func.count()).select_from(RoundRow)) + 1
        year = int(period[:4])
        has_budget = session.scalar(
            select(func.count()).where(
                BudgetRow.fund_id == DEMO_FUND, BudgetRow.measure_id == measure_id, BudgetRow.year == year
            )
        )
    if results is None:
        # Each demo run is its own item and stacking group, so a second run pays again instead of showing
        # everyone cut by "the higher applies".
        results = write_sample(
            ctx.data_dir / "delivery" / f"demo-{number}-entitlements.parquet",
            enterprises,
            measure_id=measure_id,
            period=period,
            stacking_group=f"demo-{number}",
            without_account_share=0.02,
        )
    if not has_budget:
        budgets.set_budget(
            ctx.sessions,
            fund_id=DEMO_FUND,
            measure_id=measure_id,
            year=year,
            amount=DEMO_BUDGET,
            actor=ctx.actor,
            now=ctx.now(),
        )
    done = run(
        ctx,
        measure_id,
        period,
        DEMO_FUND,
        ctx.data_dir / "delivery" / "payments",
        results=results,
        item=f"demo-{number}",
    )
    with ctx.sessions() as session:
        check = audit.verify(session)
    return DemoRound(
        run=done, audit_intact=check.ok, audit_records=check.records, audit_problem=check.problem
    )


# -- helpers ------------------------------------------------------------------------------------------------


def _round(ctx: AppContext, round_id: int) -> RoundRow:
    with ctx.sessions() as session:
        return rounds.get_round(session, round_id)


def _rows(progress: Progress | None) -> rounds.Progress | None:
    """Delivery reports (step, rows done); the interfaces draw a spinner with the count."""
    if progress is None:
        return None
    return lambda step, done: progress(f"{step}: {done:,} rows", 0)


def _statuses(session: Session, round_id: int) -> list[StatusCount]:
    rows = session.execute(
        select(
            Candidate.status,
            func.count(),
            func.coalesce(func.sum(Candidate.amount_fen), 0),
            func.coalesce(func.sum(Candidate.granted_fen), 0),
        )
        .where(Candidate.round_id == round_id)
        .group_by(Candidate.status)
        .order_by(Candidate.status)
    )
    return [
        StatusCount(
            status=status,
            enterprises=count,
            amount=fen_to_yuan(int(amount)),
            granted=fen_to_yuan(int(granted)),
        )
        for status, count, amount, granted in rows
    ]


def _line(c: Candidate) -> CandidateLine:
    return CandidateLine(
        credit_code=c.credit_code,
        district_adcode=c.district_adcode,
        amount=fen_to_yuan(c.amount_fen),
        granted=None if c.granted_fen is None else fen_to_yuan(c.granted_fen),
        status=c.status,
        reason=c.status_reason,
    )


def _lines(session: Session, round_id: int, limit: int) -> list[CandidateLine]:
    if not limit:
        return []
    # Cut and reduced lines first: they are what an officer has to be able to explain.
    reduced_first = (Candidate.status_reason.is_(None), Candidate.credit_code)
    found = session.execute(
        select(Candidate).where(Candidate.round_id == round_id).order_by(*reduced_first).limit(limit)
    ).scalars()
    return [_line(c) for c in found]


def _held_back(session: Session, round_id: int) -> HeldBack:
    count, total_fen = payment.held_back_totals(session, round_id)
    return HeldBack(
        enterprises=count,
        total=fen_to_yuan(total_fen),
        lines=[_line(c) for c in payment.held_back(session, round_id)],
    )


def _ledger_line(entry: LedgerEntry) -> LedgerLine:
    return LedgerLine(
        id=entry.id,
        kind=entry.kind,
        credit_code=entry.credit_code,
        amount=fen_to_yuan(entry.amount_fen),
        reason=entry.reason,
    )
