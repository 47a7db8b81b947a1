"""`round …` (services/rounds.py), in the order of a round's life: open, evaluate, publish, object, resolve,
confirm, decline, close-objections, approve, pay, settle, close, correct; `run` end to end; `show` and `list`;
and how the demo's round is shown (`render_demo_round`).

Every command works on the embedded SQLite store in the data directory, or on the database named by `--db`
(or $SMELADDER_DB_URL), e.g. PostgreSQL in production. Without `--results`, a round is filled from the pack's
evaluation of the registry in the data directory. The examples run in this order on the demo data, whose own
round is round 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from smeladder.cli.common import (
    ActorOption,
    AtOption,
    DataDirOption,
    DbOption,
    PackOption,
    command,
    console,
    context,
    group,
    parse_day,
    progress_bar,
    yuan,
)

DEFAULT_ITEM = "main"  # services.rounds.DEFAULT_ITEM, without importing the services for --help
DEFAULT_TABLE = "entitlement_results"
POST_CHUNK = 10_000

RoundArg = Annotated[int, typer.Argument(help="Round id.")]
CodeArg = Annotated[str, typer.Argument(help="The enterprise's unified social credit code.")]
MeasureArg = Annotated[str, typer.Argument(help="Measure id, e.g. M1.2b.")]
PeriodArg = Annotated[str, typer.Argument(help="Period, e.g. 2026 (starts with the budget year).")]
FundOption = Annotated[str, typer.Option("--fund", help="Fund whose budget pays.")]
ResultsOption = Annotated[
    Path | None,
    typer.Option(
        "--results",
        help="Entitlement results: Parquet file, directory or glob, or a .duckdb file "
        "(default: evaluate the pack over the registry as of the round's date).",
    ),
]
TableOption = Annotated[str, typer.Option("--table", help="Table name inside a .duckdb results file.")]
PaymentsDirOption = Annotated[Path, typer.Option("--out", help="Directory for the payment file.")]
ChunkSizeOption = Annotated[int, typer.Option("--chunk-size", min=1, help="Ledger entries per transaction.")]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="A round setting, key=value (see round_defaults.yaml); repeatable."),
]
SettingsFileOption = Annotated[Path | None, typer.Option("--settings", help="YAML file of round settings.")]
ItemOption = Annotated[str, typer.Option("--item", help="Ledger item (one payment per item).")]

round_app = group("round", "Automatic-entitlement rounds (免申即享): open → … → closed.")


def register(app: typer.Typer) -> None:
    app.add_typer(round_app)


def _ctx(db, data_dir, actor=None, at=None, pack=None):
    return context(db=db, data_dir=data_dir, actor=actor, at=at, pack=pack)


# -- rendering ----------------------------------------------------------------------------------------------


def _state(r) -> None:
    console.print(f"round {r.id}: {r.state}")


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def render_detail(detail, limit: int | None = None, out: Console = console) -> None:
    """Print a round as `round show` does (`round run` and the demo too)."""
    r, frozen = detail.round, detail.round.rules
    summary = Table(
        show_header=False, title=f"Round {r.id}: {r.measure_id} {r.period} ({r.item})", title_justify="left"
    )
    summary.add_column(style="bold")
    summary.add_column()
    for key, value in (
        ("state", r.state),
        ("as of", str(r.as_of)),
        ("candidates", f"{r.candidate_count:,} — {yuan(r.candidate_total)} yuan"),
        ("granted", f"{yuan(r.granted_total)} yuan"),
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
    ):
        summary.add_row(key, value)
    out.print(summary)
    statuses = Table("status", "enterprises", "amount (yuan)", "granted (yuan)", title="Candidates by status")
    for s in detail.statuses:
        statuses.add_row(s.status, f"{s.enterprises:,}", yuan(s.amount), yuan(s.granted))
    out.print(statuses)
    if detail.open_objections:
        out.print(f"[yellow]{detail.open_objections} open objection(s)[/]")
    shown = detail.candidates if limit is None else detail.candidates[:limit]
    if shown:
        out.print(_candidate_table("Candidates", shown))
    _render_held_back(detail.held_back, out)
    if detail.batches:
        batches = Table(
            "batch", "kind", "lines", "control total (yuan)", "sha256", "file", title="Payment batches"
        )
        for b in detail.batches:
            batches.add_row(
                str(b.id),
                b.kind,
                f"{b.lines:,}",
                yuan(b.control_total),
                b.file_sha256[:16] + "…",
                str(b.file),
            )
        out.print(batches)


def _candidate_table(title: str, lines) -> Table:
    table = Table(title=title)
    table.add_column("credit code", no_wrap=True)
    for name in ("district", "amount", "granted", "status", "why"):
        table.add_column(name)
    for c in lines:
        granted = "—" if c.granted is None else yuan(c.granted)
        table.add_row(c.credit_code, c.district_adcode, yuan(c.amount), granted, c.status, c.reason or "")
    return table


def _render_held_back(held, out: Console = console, limit: int = 10) -> None:
    if not held.enterprises:
        return
    out.print(
        f"[yellow]held back: {held.enterprises:,} enterprise(s), {yuan(held.total)} yuan[/]: no bank account to "
        "pay to, so not in the payment file; a later round pays each once it confirms with an account"
    )
    shown = held.lines[:limit]
    title = "Held back" if len(held.lines) <= limit else f"Held back (first {limit}; --json lists all)"
    table = Table("credit code", "district", "granted (yuan)", title=title)
    for c in shown:
        table.add_row(c.credit_code, c.district_adcode, yuan(c.granted or 0))
    out.print(table)


def _step(name: str, service: str, doc: str) -> None:
    """Declare a step that takes only the round (publish, close-objections, approve, close); `service` names
    its function in services/rounds.py."""

    def step(
        round_id: RoundArg,
        db: DbOption = None,
        data_dir: DataDirOption = None,
        actor: ActorOption = None,
        at: AtOption = None,
    ):
        from smeladder.services import rounds

        return getattr(rounds, service)(_ctx(db, data_dir, actor, at), round_id)

    step.__doc__ = doc
    step.__name__ = step.__qualname__ = f"round_{service}"
    command(round_app, name, "rounds:Round", _state)(step)


# -- the steps ----------------------------------------------------------------------------------------------


def _opened(r) -> None:
    console.print(f"round {r.id} opened: {r.measure_id} {r.period} ({r.state})")


@command(round_app, "open", "rounds:Round", _opened)
def round_open(
    measure: MeasureArg,
    period: PeriodArg,
    fund: FundOption,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As-of date of the data, YYYY-MM-DD (default: today).")
    ] = None,
    item: ItemOption = DEFAULT_ITEM,
    set_: SetOption = None,
    settings_file: SettingsFileOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
):
    """Open a draft round; its settings are frozen now.

    Example: [bold]smeladder round open M1.2b 2026 --fund sme-development-fund --as-of 2026-05-01
    --set objection_window_days=7 --set overflow_policy=pro_rata --at 2026-05-04T09:00:00[/]
    """
    from smeladder.services import rounds

    return rounds.open_round(
        _ctx(db, data_dir, actor, at),
        measure,
        period,
        fund,
        parse_day(as_of),
        item=item,
        assignments=set_,
        settings_file=settings_file,
    )


def _evaluated(r) -> None:
    console.print(
        f"round {r.id}: {r.candidate_count:,} candidates, {yuan(r.candidate_total)} yuan "
        f"(rule version {r.rule_version}, input {r.input_snapshot})"
    )


@command(round_app, "evaluate", "rounds:Round", _evaluated)
def round_evaluate(
    round_id: RoundArg,
    results: ResultsOption = None,
    run_id: Annotated[str | None, typer.Option("--run-id", help="Run to use (default: the newest).")] = None,
    table: TableOption = DEFAULT_TABLE,
    pack: PackOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
):
    """Fill the round with its candidates and freeze rule version, as-of date and input snapshot.

    The candidates come from the pack's evaluation of the registry as of the round's date, or from the
    entitlement results the engine wrote (--results out/entitlements.parquet).

    Example: [bold]smeladder round evaluate 2 --at 2026-05-04T10:00:00[/]
    """
    from smeladder.services import rounds

    with progress_bar() as progress:
        return rounds.evaluate(
            _ctx(db, data_dir, actor, at, pack),
            round_id,
            results=results,
            table=table,
            run_id=run_id,
            progress=progress,
        )


_step(
    "publish",
    "publish",
    "Publish the list (公示): the objection and confirmation windows start.\n\n"
    "Example: [bold]smeladder round publish 2 --at 2026-05-05T09:00:00[/]",
)


def _objection(o) -> None:
    if o.state == "open":
        console.print(f"objection {o.id} raised on round {o.round_id} for {o.credit_code}")
        return
    after = "not on the list" if o.amount_after is None else f"{yuan(o.amount_after)} yuan"
    console.print(f"objection {o.id}: {o.state} ({after})")


@command(round_app, "object", "rounds:Objection", _objection)
def round_object(
    round_id: RoundArg,
    credit_code: CodeArg,
    reason: Annotated[str, typer.Option("--reason", help="What is wrong.")],
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
):
    """Raise an objection for an enterprise (listed or not) during publication.

    Example: [bold]smeladder round object 2 91310101MA00P4YK4U --reason "2025 revenue misreported"
    --at 2026-05-06T09:00:00[/]
    """
    from smeladder.services import rounds

    return rounds.raise_objection(_ctx(db, data_dir, actor, at), round_id, credit_code, reason)


@command(round_app, "resolve", "rounds:Objection", _objection)
def round_resolve(
    objection_id: Annotated[int, typer.Argument(help="Objection id.")],
    note: Annotated[str, typer.Option("--note", help="The officer's note.")] = "",
    results: ResultsOption = None,
    table: TableOption = DEFAULT_TABLE,
    pack: PackOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
):
    """Resolve an objection by re-evaluating that one enterprise.

    Its newest result in --results, or the pack's evaluation of the registry as of the round's date.

    Example: [bold]smeladder round resolve 1 --note "tax data checked" --at 2026-05-07T09:00:00[/]
    """
    from smeladder.services import rounds

    return rounds.resolve_objection(
        _ctx(db, data_dir, actor, at, pack), objection_id, note=note, results=results, table=table
    )


def _responded(r) -> None:
    changed = ", account changed" if r.account_changed else ""
    console.print(f"round {r.round_id}: {r.credit_code} {r.response}{changed}")


@command(round_app, "confirm", "rounds:Response", _responded)
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
):
    """Confirm for an enterprise, optionally giving the account the payment goes to.

    An enterprise with no account, on file or given here, is held back at payment.

    Example: [bold]smeladder round confirm 2 91310101MA2BJ9885W --account-name "某某科技有限公司"
    --account-no 6222021001001234567 --bank "工商银行上海分行" --at 2026-05-08T09:00:00[/]
    """
    from smeladder.services import rounds

    return rounds.confirm(
        _ctx(db, data_dir, actor, at),
        round_id,
        credit_code,
        account_name=account_name,
        account_no=account_no,
        bank=bank,
    )


@command(round_app, "decline", "rounds:Response", _responded)
def round_decline(
    round_id: RoundArg,
    credit_code: CodeArg,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
):
    """Decline for an enterprise (handled at approval by the round's on_decline rule).

    Example: [bold]smeladder round decline 2 91310101MA3Y3ATW3U --at 2026-05-08T10:00:00[/]
    """
    from smeladder.services import rounds

    return rounds.decline(_ctx(db, data_dir, actor, at), round_id, credit_code)


_step(
    "close-objections",
    "close_objections",
    "End the objection phase (after its deadline, every objection resolved).\n\n"
    "Example: [bold]smeladder round close-objections 2 --at 2026-05-13T09:00:00[/]",
)


_step(
    "approve",
    "approve",
    "Approve: apply the silence/decline rules, 'the higher applies' and the budget policy.\n\n"
    "Example: [bold]smeladder round approve 2 --at 2026-05-21T09:00:00[/]",
)


def _paid(p) -> None:
    b = p.batch
    console.print(
        f"round {p.round_id}: {b.lines:,} lines, control total {yuan(b.control_total)} yuan\n{b.file}\n"
        f"sha256 {b.file_sha256}"
    )
    _render_held_back(p.held_back)


@command(round_app, "pay", "rounds:Payment", _paid)
def round_pay(
    round_id: RoundArg,
    out: PaymentsDirOption,
    chunk_size: ChunkSizeOption = POST_CHUNK,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
):
    """Post the approved grants to the ledger and write the payment file (CSV, checksums, control total).

    Enterprises without an account are held back, listed and counted beside the control total. Safe to rerun
    after a crash: nothing is posted twice.

    Example: [bold]smeladder round pay 2 --out payments/ --at 2026-05-22T09:00:00[/]
    """
    from smeladder.services import rounds

    with progress_bar() as progress:
        return rounds.pay(
            _ctx(db, data_dir, actor, at), round_id, out, chunk_size=chunk_size, progress=progress
        )


def _settled(s) -> None:
    what = (
        f"round {s.round_id}: {s.state}"
        if s.batch_kind == "round"
        else f"adjustment batch {s.batch_id}: settled"
    )
    console.print(f"{what}, {len(s.failed)} failed line(s) reversed")


@command(round_app, "settle", "rounds:Settlement", _settled)
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
):
    """Record the bank's result: every line paid except those in --failed (reversed in the ledger).

    --failed bank-returns.csv: one line per payment the bank could not make, columns credit_code,reason.

    Example: [bold]smeladder round settle 2 --at 2026-05-25T09:00:00[/]
    """
    from smeladder.services import rounds

    return rounds.settle(_ctx(db, data_dir, actor, at), round_id, failed=failed, batch_id=batch)


_step(
    "close",
    "close",
    "Close a settled round; nothing in it can change afterwards.\n\n"
    "Example: [bold]smeladder round close 2 --at 2026-05-26T09:00:00[/]",
)


def _corrected(c) -> None:
    if c.entry is None:
        console.print(f"round {c.round_id}: {c.credit_code} unchanged, nothing appended")
    else:
        console.print(
            f"ledger entry {c.entry.id}: {c.entry.kind} {yuan(c.entry.amount)} yuan for {c.credit_code}"
        )
    if c.adjustment_batch is not None:
        console.print(f"adjustment batch {c.adjustment_batch.id}: {c.adjustment_batch.file}")


@command(round_app, "correct", "rounds:Correction", _corrected)
def round_correct(
    round_id: RoundArg,
    credit_code: CodeArg,
    note: Annotated[str, typer.Option("--note", help="What was corrected.")],
    results: ResultsOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also export pending adjustments to a payment file here.")
    ] = None,
    table: TableOption = DEFAULT_TABLE,
    pack: PackOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
    at: AtOption = None,
):
    """After payment: re-evaluate one enterprise and append an adjustment or claw-back to the ledger.

    Its newest result in --results, or the pack's evaluation of the registry as of the round's date.

    Example: [bold]smeladder round correct 2 91310101MA2BJ9885W --note "revenue restated" --out payments/
    --at 2026-06-01T09:00:00[/]
    """
    from smeladder.services import rounds

    return rounds.correct(
        _ctx(db, data_dir, actor, at, pack),
        round_id,
        credit_code,
        note,
        results=results,
        table=table,
        out_dir=out,
    )


def render_run(done, out: Console = console) -> None:
    render_detail(done.detail, out=out)
    if done.payment_file:
        out.print(
            f"payment file {done.payment_file}: {done.lines:,} lines, control total {yuan(done.control_total)} yuan"
        )


@command(round_app, "run", "rounds:RoundRun", render_run)
def round_run(
    measure: MeasureArg,
    period: PeriodArg,
    fund: FundOption,
    out: PaymentsDirOption,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="As-of date of the round and its evaluation, YYYY-MM-DD (default: today)."
        ),
    ] = None,
    results: ResultsOption = None,
    table: TableOption = DEFAULT_TABLE,
    item: ItemOption = DEFAULT_ITEM,
    chunk_size: ChunkSizeOption = POST_CHUNK,
    set_: SetOption = None,
    settings_file: SettingsFileOption = None,
    pack: PackOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
):
    """Run (or resume) one round end to end with a simulated clock that jumps to each window's end.

    open → evaluate → publish → close objections → approve → pay → settle → close. For demos, tests and
    rehearsals; real rounds wait for their windows. Without --results the pack is evaluated over the registry
    as of --as-of.

    Example: [bold]smeladder round run M1.2b 2026 --fund sme-development-fund --as-of 2026-05-01 --item rehearsal
    --out payments/[/]
    """
    from smeladder.services import rounds

    with progress_bar() as progress:
        return rounds.run(
            _ctx(db, data_dir, actor, pack=pack),
            measure,
            period,
            fund,
            out,
            as_of=parse_day(as_of),
            results=results,
            table=table,
            item=item,
            assignments=set_,
            settings_file=settings_file,
            chunk_size=chunk_size,
            progress=progress,
        )


# -- reading ------------------------------------------------------------------------------------------------


@command(round_app, "show", "rounds:RoundDetail", render_detail)
def round_show(
    round_id: RoundArg,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Candidates to list (cut ones first).")] = 10,
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """Show a round: state, provenance, candidates by status, who was cut or held back and why, the batches.

    Example: [bold]smeladder round show 2 --limit 20[/]
    """
    from smeladder.services import rounds

    return rounds.show(_ctx(db, data_dir), round_id, limit=limit)


def _list(result) -> None:
    table = Table(
        "id", "measure", "period", "item", "state", "candidates", "total (yuan)", "granted", title="Rounds"
    )
    for r in result.rounds:
        table.add_row(
            str(r.id),
            r.measure_id,
            r.period,
            r.item,
            r.state,
            f"{r.candidate_count:,}",
            yuan(r.candidate_total),
            yuan(r.granted_total),
        )
    console.print(table)


@command(round_app, "list", "rounds:Rounds", _list)
def round_list(db: DbOption = None, data_dir: DataDirOption = None):
    """List rounds.

    Example: [bold]smeladder round list[/]
    """
    from smeladder.services import rounds

    return rounds.list_rounds(_ctx(db, data_dir))


# -- the demo -----------------------------------------------------------------------------------------------


def render_demo_round(done, out: Console = console) -> None:
    """The demo's round (services.rounds.DemoRound): its run and whether the audit chain holds."""
    render_run(done.run, out)
    audit = "intact" if done.audit_intact else done.audit_problem
    out.print(f"audit chain: {audit} ({done.audit_records} records)")
