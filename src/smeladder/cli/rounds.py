"""Round commands: `round open`, `evaluate`, `publish`, `object`, `resolve`, `close-objections`, `confirm`,
`decline`, `approve`, `pay`, `settle`, `close`, `correct`, `run`, `show` and `list`; how a round is shown
(`show_round`), and the demo's round (`demo_round`).

Every command works on the embedded SQLite store in the data directory, or on the database named by `--db`
(or $SMELADDER_DB_URL), e.g. PostgreSQL in production. The service layer is `smeladder.delivery`; these
functions only parse, call it and print.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from smeladder import config
from smeladder.cli.common import (
    ActorOption,
    DataDirOption,
    DbOption,
    actor_name,
    console,
    delivery_store,
    fail,
)
from smeladder.cli.common import (
    fen_yuan as yuan,
)
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
from smeladder.delivery.auto import RoundOutcome, run_automatic_round
from smeladder.delivery.errors import DeliveryError
from smeladder.delivery.models import Budget, Candidate, PaymentBatch, Round
from smeladder.store import open_store

PaymentsDirOption = Annotated[Path, typer.Option("--out", help="Directory for the payment file.")]
ChunkSizeOption = Annotated[int, typer.Option("--chunk-size", min=1, help="Ledger entries per transaction.")]
AtOption = Annotated[
    datetime | None,
    typer.Option("--at", help="When the action happens (UTC; default: now). For replaying records."),
]
RoundArg = Annotated[int, typer.Argument(help="Round id.")]
CodeArg = Annotated[str, typer.Argument(help="The enterprise's unified social credit code.")]
ResultsOption = Annotated[
    Path,
    typer.Option(
        "--results", help="Entitlement results: Parquet file, directory or glob, or a .duckdb file."
    ),
]
TableOption = Annotated[str, typer.Option("--table", help="Table name inside a .duckdb results file.")]
DEFAULT_TABLE = (
    "entitlement_results"  # smeladder.delivery.results.DEFAULT_TABLE, without importing DuckDB here
)

round_app = typer.Typer(
    help="Automatic-entitlement rounds (免申即享): open → … → closed.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(round_app, name="round")


# -- plumbing ---------------------------------------------------------------------------------------------


def _results_source(path: Path, **options: Any):
    """The results source, imported when a command needs it: DuckDB and pyarrow cost a second at startup."""
    from smeladder.delivery.results import EntitlementResults as Results

    return Results(path, **options)


def _at(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str, int], None]]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(label)

        def report(step: str, done: int) -> None:
            bar.update(task, description=f"{label}: {step} {done:,} rows")

        yield report


# -- round steps ------------------------------------------------------------------------------------------


def _settings(assignments: list[str] | None, settings_file: Path | None) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    if settings_file:
        chosen.update(settings.load_file(settings_file))
    chosen.update(settings.parse_assignments(assignments or []))
    return chosen


SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="A round setting, key=value (see round_defaults.yaml); repeatable."),
]
SettingsFileOption = Annotated[Path | None, typer.Option("--settings", help="YAML file of round settings.")]


@round_app.command("open")
def round_open(
    measure: Annotated[str, typer.Argument(help="Measure id, e.g. M1.2b.")],
    period: Annotated[str, typer.Argument(help="Period, e.g. 2025.")],
    fund: Annotated[str, typer.Option("--fund", help="Fund whose budget pays.")],
    as_of: Annotated[datetime, typer.Option("--as-of", formats=["%Y-%m-%d"], help="As-of date of the data.")],
    item: Annotated[
        str, typer.Option("--item", help="Ledger item (one payment per item).")
    ] = rounds.DEFAULT_ITEM,
    set_: SetOption = None,
    settings_file: SettingsFileOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
) -> None:
    """Open a draft round; its settings are frozen now.

    Example: [bold]smeladder round open M1.2b 2025 --fund sme-development-fund --as-of 2026-01-31
    --set objection_window_days=7 --set overflow_policy=pro_rata[/]
    """
    with delivery_store(db, data_dir) as sessions:
        opened = rounds.open_round(
            sessions,
            measure_id=measure,
            period=period,
            as_of=as_of.date(),
            fund_id=fund,
            actor=actor_name(actor),
            settings=_settings(set_, settings_file),
            item=item,
            now=_at(at),
        )
    console.print(f"round {opened.id} opened: {measure} {period} ({opened.state})")


@round_app.command("evaluate")
def round_evaluate(
    round_id: RoundArg,
    results: ResultsOption,
    run_id: Annotated[str | None, typer.Option("--run-id", help="Run to use (default: the newest).")] = None,
    table: TableOption = DEFAULT_TABLE,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
) -> None:
    """Fill the round from the engine's entitlement results and freeze rule version, as-of and input snapshot.

    Example: [bold]smeladder round evaluate 1 --results out/entitlements.parquet[/]
    """
    with delivery_store(db, data_dir) as sessions, _progress(f"round {round_id}") as report:
        source = _results_source(results, run_id=run_id, table=table)
        done = rounds.evaluate(
            sessions, round_id, source, actor=actor_name(actor), now=_at(at), progress=report
        )
    console.print(
        f"round {round_id}: {done.candidate_count:,} candidates, {yuan(done.candidate_total_fen)} yuan "
        f"(rule version {done.rule_version}, input {done.input_snapshot})"
    )


def _simple_step(name: str, action: Callable[..., Round], doc: str) -> None:
    def command(
        round_id: RoundArg,
        db: DbOption = None,
        data_dir: DataDirOption = None,
        actor: ActorOption = None,
        at: AtOption = None,
    ) -> None:
        with delivery_store(db, data_dir) as sessions:
            done = action(sessions, round_id, actor=actor_name(actor), now=_at(at))
        console.print(f"round {round_id}: {done.state}")

    command.__doc__ = doc
    round_app.command(name)(command)


_simple_step(
    "publish",
    rounds.publish,
    "Publish the list (公示): the objection and confirmation windows start.\n\n"
    "Example: [bold]smeladder round publish 1[/]",
)
_simple_step(
    "close-objections",
    objections.close_objections,
    "End the objection phase (after its deadline, every objection resolved).\n\n"
    "Example: [bold]smeladder round close-objections 1[/]",
)
_simple_step(
    "approve",
    approval.approve,
    "Approve: apply the silence/decline rules, 'the higher applies' and the budget policy.\n\n"
    "Example: [bold]smeladder round approve 1[/]",
)
_simple_step(
    "close",
    rounds.close,
    "Close a settled round; nothing in it can change afterwards.\n\nExample: [bold]smeladder round close 1[/]",
)


@round_app.command("object")
def round_object(
    round_id: RoundArg,
    credit_code: CodeArg,
    reason: Annotated[str, typer.Option("--reason", help="What is wrong.")],
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
) -> None:
    """Raise an objection for an enterprise (listed or not) during publication.

    Example: [bold]smeladder round object 1 91310115MA1K3YJ12X --reason "2024 revenue misreported"[/]
    """
    with delivery_store(db, data_dir) as sessions:
        raised = objections.raise_objection(
            sessions, round_id, credit_code, reason, actor=actor_name(actor), now=_at(at)
        )
    console.print(f"objection {raised.id} raised on round {round_id} for {credit_code}")


@round_app.command("resolve")
def round_resolve(
    objection_id: Annotated[int, typer.Argument(help="Objection id.")],
    results: ResultsOption,
    note: Annotated[str, typer.Option("--note", help="The officer's note.")] = "",
    table: TableOption = DEFAULT_TABLE,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
) -> None:
    """Resolve an objection by re-evaluating that one enterprise (newest result in --results).

    Example: [bold]smeladder round resolve 3 --results out/entitlements/ --note "tax data corrected"[/]
    """
    with delivery_store(db, data_dir) as sessions:
        resolved = objections.resolve_objection(
            sessions,
            objection_id,
            _results_source(results, table=table),
            actor=actor_name(actor),
            note=note,
            now=_at(at),
        )
    after = (
        "not on the list" if resolved.amount_after_fen is None else f"{yuan(resolved.amount_after_fen)} yuan"
    )
    console.print(f"objection {objection_id}: {resolved.state} ({after})")


@round_app.command("confirm")
def round_confirm(
    round_id: RoundArg,
    credit_code: CodeArg,
    account_name: Annotated[str | None, typer.Option("--account-name", help="Account holder.")] = None,
    account_no: Annotated[str | None, typer.Option("--account-no", help="Account number.")] = None,
    bank: Annotated[str | None, typer.Option("--bank", help="Bank and branch.")] = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
) -> None:
    """Confirm for an enterprise, optionally correcting the account the payment goes to.

    Example: [bold]smeladder round confirm 1 91310115MA1K3YJ12X --account-name "某某科技有限公司"
    --account-no 6222021001001234567 --bank "工商银行上海分行"[/]
    """
    account = None
    if any((account_name, account_no, bank)):
        try:
            account = confirmations.BankAccount(account_name or "", account_no or "", bank or "")
        except ValueError as exc:
            raise fail(str(exc)) from None
    with delivery_store(db, data_dir) as sessions:
        confirmations.confirm(
            sessions, round_id, credit_code, actor=actor_name(actor), account=account, now=_at(at)
        )
    console.print(f"round {round_id}: {credit_code} confirmed")


@round_app.command("decline")
def round_decline(
    round_id: RoundArg,
    credit_code: CodeArg,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
) -> None:
    """Decline for an enterprise (handled at approval by the round's on_decline rule).

    Example: [bold]smeladder round decline 1 91310115MA1K3YJ12X[/]
    """
    with delivery_store(db, data_dir) as sessions:
        confirmations.decline(sessions, round_id, credit_code, actor=actor_name(actor), now=_at(at))
    console.print(f"round {round_id}: {credit_code} declined")


@round_app.command("pay")
def round_pay(
    round_id: RoundArg,
    out: PaymentsDirOption,
    chunk_size: ChunkSizeOption = payment.POST_CHUNK,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
) -> None:
    """Post the approved grants to the ledger and write the payment file (CSV, checksums, control total).
    Safe to rerun after a crash: nothing is posted twice.

    Example: [bold]smeladder round pay 1 --out payments/[/]
    """
    with delivery_store(db, data_dir) as sessions, _progress(f"round {round_id}") as report:
        batch = payment.pay(
            sessions,
            round_id,
            out,
            actor=actor_name(actor),
            now=_at(at),
            progress=report,
            chunk_size=chunk_size,
        )
    console.print(
        f"round {round_id}: {batch.line_count:,} lines, control total {yuan(batch.control_total_fen)} yuan\n"
        f"{batch.file_name}\nsha256 {batch.file_sha256}"
    )


@round_app.command("settle")
def round_settle(
    round_id: RoundArg,
    failed: Annotated[
        Path | None, typer.Option("--failed", help="CSV of lines the bank could not pay: credit_code,reason.")
    ] = None,
    batch: Annotated[
        int | None, typer.Option("--batch", help="Settle this adjustment batch instead of the round's batch.")
    ] = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
) -> None:
    """Record the bank's result: every line paid except those in --failed (reversed in the ledger).

    Example: [bold]smeladder round settle 1 --failed bank-returns.csv[/]
    """
    failures: dict[str, str] = {}
    if failed:
        with failed.open(encoding="utf-8", newline="") as stream:
            for number, row in enumerate(csv.DictReader(stream), start=2):
                if not row.get("credit_code") or not row.get("reason"):
                    raise fail(f"{failed} line {number}: needs credit_code and reason")
                failures[row["credit_code"].strip()] = row["reason"].strip()
    with delivery_store(db, data_dir) as sessions:
        if batch is not None:
            with sessions() as session:
                found = session.get(PaymentBatch, batch)
            if found is None or found.round_id != round_id:
                raise fail(f"round {round_id} has no payment batch {batch}")
            settlement.settle_adjustments(
                sessions, batch, failed=failures, actor=actor_name(actor), now=_at(at)
            )
            console.print(f"adjustment batch {batch}: settled, {len(failures)} failed line(s) reversed")
            return
        done = settlement.settle(sessions, round_id, failed=failures, actor=actor_name(actor), now=_at(at))
    console.print(f"round {round_id}: {done.state}, {len(failures)} failed line(s) reversed")


@round_app.command("correct")
def round_correct(
    round_id: RoundArg,
    credit_code: CodeArg,
    results: ResultsOption,
    note: Annotated[str, typer.Option("--note", help="What was corrected.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Also export pending adjustments to a payment file here.")
    ] = None,
    table: TableOption = DEFAULT_TABLE,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
) -> None:
    """After payment: re-evaluate one enterprise and append an adjustment or claw-back to the ledger.

    Example: [bold]smeladder round correct 1 91310115MA1K3YJ12X --results out/corrected/ --note "revenue restated"
    --out payments/[/]
    """
    with delivery_store(db, data_dir) as sessions:
        source = _results_source(results, table=table)
        entry = corrections.correct(
            sessions, round_id, credit_code, source, actor=actor_name(actor), note=note, now=_at(at)
        )
        batch = corrections.pay_adjustments(sessions, round_id, out, actor=actor_name(actor)) if out else None
    if entry is None:
        console.print(f"round {round_id}: {credit_code} unchanged, nothing appended")
    else:
        console.print(
            f"ledger entry {entry.id}: {entry.kind} {yuan(entry.amount_fen)} yuan for {credit_code}"
        )
    if batch is not None:
        console.print(f"adjustment batch {batch.id}: {batch.file_name}")


@round_app.command("run")
def round_run(
    measure: Annotated[str, typer.Argument(help="Measure id, e.g. M1.2b.")],
    period: Annotated[str, typer.Argument(help="Period, e.g. 2025.")],
    fund: Annotated[str, typer.Option("--fund", help="Fund whose budget pays.")],
    results: ResultsOption,
    out: PaymentsDirOption,
    chunk_size: ChunkSizeOption = payment.POST_CHUNK,
    set_: SetOption = None,
    settings_file: SettingsFileOption = None,
    table: TableOption = DEFAULT_TABLE,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
) -> None:
    """Run (or resume) one round end to end with a simulated clock that jumps to each window's end:
    open → evaluate → publish → close objections → approve → pay → settle → close. For demos, tests and
    rehearsals; real rounds wait for their windows.

    Example: [bold]smeladder round run M1.2b 2025 --fund sme-development-fund --results out/entitlements.parquet
    --out payments/[/]
    """
    with delivery_store(db, data_dir) as sessions, _progress(f"{measure} {period}") as report:
        outcome = run_automatic_round(
            sessions,
            _results_source(results, table=table),
            measure_id=measure,
            period=period,
            fund_id=fund,
            out_dir=out,
            settings=_settings(set_, settings_file),
            actor=actor_name(actor),
            progress=report,
            chunk_size=chunk_size,
        )
        show_round(sessions, outcome.round_id)
    _print_outcome(outcome)


def _print_outcome(outcome: RoundOutcome, out: Console = console) -> None:
    if outcome.payment_file:
        out.print(
            f"payment file {outcome.payment_file}: {outcome.lines:,} lines, "
            f"control total {yuan(outcome.control_total_fen)} yuan"
        )


# -- reading ----------------------------------------------------------------------------------------------


@round_app.command("show")
def round_show(
    round_id: RoundArg,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Candidates to list (cut ones first).")] = 10,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Show a round: state, windows, frozen provenance, candidates by status, who was cut and why, the batch.

    Example: [bold]smeladder round show 1 --limit 20[/]
    """
    with delivery_store(db, data_dir) as sessions:
        show_round(sessions, round_id, limit=limit)


@round_app.command("list")
def round_list(db: DbOption = None, data_dir: DataDirOption = None) -> None:
    """List rounds.

    Example: [bold]smeladder round list[/]
    """
    with delivery_store(db, data_dir) as sessions, sessions() as session:
        table = Table(
            "id",
            "measure",
            "period",
            "item",
            "state",
            "candidates",
            "total (yuan)",
            "granted",
            title="Rounds",
        )
        for r in session.execute(select(Round).order_by(Round.id)).scalars():
            table.add_row(
                str(r.id),
                r.measure_id,
                r.period,
                r.item,
                r.state,
                f"{r.candidate_count:,}",
                yuan(r.candidate_total_fen),
                yuan(r.granted_total_fen),
            )
    console.print(table)


def show_round(
    sessions: sessionmaker[Session], round_id: int, *, limit: int = 10, out: Console = console
) -> None:
    """Print a round as `round show` does (the demo calls this too)."""
    try:
        with sessions() as session:
            r = rounds.get_round(session, round_id)
            _print_summary(out, r)
            _print_statuses(out, session, round_id)
            _print_lines(out, session, round_id, limit)
            _print_batches(out, session, round_id)
    except DeliveryError as exc:
        raise fail(str(exc)) from None


def _print_summary(out: Console, r: Round) -> None:
    frozen = rounds.settings_of(r)
    table = Table(
        show_header=False, title=f"Round {r.id}: {r.measure_id} {r.period} ({r.item})", title_justify="left"
    )
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("state", r.state),
        ("as of", str(r.as_of)),
        ("candidates", f"{r.candidate_count:,} — {yuan(r.candidate_total_fen)} yuan"),
        ("granted", f"{yuan(r.granted_total_fen)} yuan"),
        ("rule version", r.rule_version or "—"),
        ("input snapshot", r.input_snapshot or "—"),
        ("source", f"{r.source_uri or '—'} (run {r.source_run_id or '—'})"),
        ("published", _when(r.published_at)),
        ("objections until", _when(r.objection_deadline)),
        ("confirmations until", _when(r.confirmation_deadline)),
        (
            "rules",
            f"silence: {frozen.on_no_confirmation}; decline: {frozen.on_decline}; budget overflow: "
            f"{frozen.overflow_policy} ({frozen.rank_by} {frozen.rank_order})"
            + ("" if frozen.confirmed else "  [yellow](settings not confirmed)[/]"),
        ),
    ]
    for key, value in rows:
        table.add_row(key, value)
    out.print(table)


def _print_statuses(out: Console, session: Session, round_id: int) -> None:
    table = Table("status", "enterprises", "amount (yuan)", "granted (yuan)", title="Candidates by status")
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
    for status, count, amount, granted in rows:
        table.add_row(status, f"{count:,}", yuan(int(amount)), yuan(int(granted)))
    open_objections = objections.open_count(session, round_id)
    out.print(table)
    if open_objections:
        out.print(f"[yellow]{open_objections} open objection(s)[/]")


def _print_lines(out: Console, session: Session, round_id: int, limit: int) -> None:
    if not limit:
        return
    # Cut and reduced lines first: they are what an officer has to be able to explain.
    reduced_first = (Candidate.status_reason.is_(None), Candidate.credit_code)
    table = Table(title="Candidates")
    table.add_column("credit code", no_wrap=True)
    for name in ("district", "amount", "granted", "status", "why"):
        table.add_column(name)
    for c in session.execute(
        select(Candidate).where(Candidate.round_id == round_id).order_by(*reduced_first).limit(limit)
    ).scalars():
        granted = "—" if c.granted_fen is None else yuan(c.granted_fen)
        table.add_row(
            c.credit_code, c.district_adcode, yuan(c.amount_fen), granted, c.status, c.status_reason or ""
        )
    out.print(table)


def _print_batches(out: Console, session: Session, round_id: int) -> None:
    batches = session.execute(select(PaymentBatch).where(PaymentBatch.round_id == round_id)).scalars().all()
    if not batches:
        return
    table = Table("batch", "kind", "lines", "control total (yuan)", "sha256", "file", title="Payment batches")
    for b in batches:
        table.add_row(
            str(b.id),
            b.kind,
            f"{b.line_count:,}",
            yuan(b.control_total_fen),
            b.file_sha256[:16] + "…",
            b.file_name,
        )
    out.print(table)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


# -- the demo ---------------------------------------------------------------------------------------------


def demo_round(
    data_dir: Path | None = None,
    *,
    results: Path | None = None,
    measure_id: str = "M1.2b",
    period: str = "2025",
    enterprises: int = 2_000,
    out: Console = console,
) -> RoundOutcome:
    """Run one automatic round end to end, to a payment file, and show it. `smeladder demo` calls this.

    `results`: an entitlement-results table (docs/delivery.md) for `measure_id` and `period`, e.g. what the
    pack adapter wrote for the demo registry; without it, `enterprises` rows of sample results are generated."""
    from smeladder.delivery.sample_results import write_sample

    sessions = open_store(data_dir=data_dir)
    base = config.data_dir(data_dir).resolve()
    fund, measure, year = "sme-development-fund", measure_id, int(period[:4])
    number = _next_demo_number(sessions)
    if results is None:
        # Each demo run is its own item and stacking group, so a second run pays again instead of showing
        # everyone cut by "the higher applies".
        results = write_sample(
            base / "delivery" / f"demo-{number}-entitlements.parquet",
            enterprises,
            measure_id=measure_id,
            period=period,
            stacking_group=f"demo-{number}",
        )
    with sessions() as session:
        has_budget = session.scalar(
            select(func.count()).where(
                Budget.fund_id == fund, Budget.measure_id == measure, Budget.year == year
            )
        )
    if not has_budget:
        # A budget smaller than the eligible total of the sample, so the demo shows the overflow policy at work.
        budgets.set_budget(
            sessions, fund_id=fund, measure_id=measure, year=year, amount=Decimal("150000000"), actor="demo"
        )
    outcome = run_automatic_round(
        sessions,
        _results_source(results),
        measure_id=measure,
        period=period,
        fund_id=fund,
        out_dir=base / "delivery" / "payments",
        item=f"demo-{number}",
        actor="demo",
    )
    show_round(sessions, outcome.round_id, out=out)
    with sessions() as session:
        check = audit.verify(session)
    out.print(f"audit chain: {'intact' if check.ok else check.problem} ({check.records} records)")
    _print_outcome(outcome, out)
    sessions.kw["bind"].dispose()
    return outcome


def _next_demo_number(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Round)) + 1
