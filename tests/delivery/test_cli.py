"""`smeladder round …`, `budget …` and `audit verify`, driven as an officer would, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from smeladder.cli import app
from smeladder.delivery.sample_results import credit_code, write_sample

runner = CliRunner()


@pytest.fixture
def cli(store_url):
    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(app, [*args, "--db", store_url], env={"COLUMNS": "200"})
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return invoke


def test_an_officer_takes_a_round_from_open_to_closed(cli, tmp_path):
    results = write_sample(tmp_path / "results" / "run-1.parquet", 30)
    code = credit_code(1)
    cli("budget", "set", "fund", "M1.2b", "2025", "1000000000")
    assert "round 1 opened" in cli(
        "round", "open", "M1.2b", "2025", "--fund", "fund", "--as-of", "2026-01-31",
        "--set", "objection_window_days=5", "--at", "2026-02-01T09:00:00",
    ).output  # fmt: skip
    assert "candidates" in cli("round", "evaluate", "1", "--results", str(results.parent)).output
    cli("round", "publish", "1", "--at", "2026-02-02T09:00:00")
    cli("round", "object", "1", code, "--reason", "revenue misreported", "--at", "2026-02-03T09:00:00")
    refused = cli("round", "approve", "1", "--at", "2026-03-01T09:00:00", ok=False)
    assert refused.exit_code == 1 and "objections are still open" in refused.output
    assert (
        "objection 1:"
        in cli("round", "resolve", "1", "--results", str(results.parent), "--note", "checked").output
    )
    cli("round", "close-objections", "1", "--at", "2026-02-08T09:00:00")
    cli("round", "confirm", "1", code, "--account-name", "某某科技有限公司", "--account-no", "6222021001001234567",
        "--bank", "工商银行上海分行", "--at", "2026-02-09T09:00:00")  # fmt: skip
    cli("round", "approve", "1", "--at", "2026-03-01T09:00:00")
    paid = cli("round", "pay", "1", "--out", str(tmp_path / "payments"), "--at", "2026-03-02T09:00:00").output
    assert "control total" in paid and "sha256" in paid
    failed = tmp_path / "returns.csv"
    failed.write_text(f"credit_code,reason\n{code},account closed\n", encoding="utf-8")
    assert "1 failed line(s) reversed" in cli("round", "settle", "1", "--failed", str(failed)).output
    cli("round", "close", "1")
    shown = cli("round", "show", "1").output
    assert "closed" in shown and "Payment batches" in shown and "failed" in shown
    assert "M1.2b" in cli("round", "list").output
    assert "audit chain intact" in cli("audit", "verify").output
    assert "1,000,000,000.00" in cli("budget", "show").output


def test_refusals_exit_with_a_clear_error(cli, tmp_path):
    cli("budget", "set", "fund", "M1.2b", "2025", "100")
    cli("round", "open", "M1.2b", "2025", "--fund", "fund", "--as-of", "2026-01-31")
    refused = cli("round", "pay", "1", "--out", str(tmp_path), ok=False)
    assert refused.exit_code == 1
    assert "cannot pay round 1 (state 'draft'): payment needs an approved round" in refused.output
    assert "no round 9" in cli("round", "show", "9", ok=False).output
    assert "more than two decimals" in cli("budget", "set", "f", "M1", "2025", "1.001", ok=False).output


def test_round_run_then_audit_verify_names_a_tampered_record(cli, tmp_path, store_url, sessions):
    results = write_sample(tmp_path / "r.parquet", 50)
    cli("budget", "set", "fund", "M1.2b", "2025", "1000000000")
    run = cli(
        "round", "run", "M1.2b", "2025", "--fund", "fund", "--results", str(results), "--out", str(tmp_path)
    )
    assert "payment file" in run.output and "closed" in run.output
    with sessions.begin() as session:
        if store_url.startswith("postgresql"):
            session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("UPDATE audit_log SET after_json = '{}' WHERE id = 4"))
    broken = cli("audit", "verify", ok=False)
    assert broken.exit_code == 1 and "audit chain broken at record 4" in broken.output


def test_every_command_has_an_example_in_its_help():
    for group, commands in {
        "round": ["open", "evaluate", "publish", "object", "resolve", "close-objections", "confirm", "decline",
                  "approve", "pay", "settle", "close", "correct", "show", "list", "run"],
        "budget": ["set", "show"],
        "audit": ["verify"],
    }.items():  # fmt: skip
        for command in commands:
            result = runner.invoke(app, [group, command, "--help"], env={"COLUMNS": "200"})
            assert result.exit_code == 0 and "Example:" in result.output, (group, command)


def test_the_demo_round_runs_end_to_end_to_a_payment_file(tmp_path):
    import io

    from rich.console import Console

    from smeladder.cli.rounds import render_demo_round
    from smeladder.delivery import payment_file
    from smeladder.services import rounds
    from smeladder.services.context import AppContext, Settings

    def demo_round():
        ctx = AppContext(Settings(data_dir=tmp_path / "home", actor="demo"))
        try:
            return rounds.demo_round(ctx, enterprises=300)
        finally:
            ctx.close()

    done = demo_round()
    outcome = done.run
    assert outcome.state == "closed" and outcome.lines > 0
    assert payment_file.verify(outcome.payment_file).ok
    printed = io.StringIO()
    render_demo_round(done, Console(file=printed, width=160))
    assert "Payment batches" in printed.getvalue() and "audit chain: intact" in printed.getvalue()
    again = demo_round().run
    assert again.round_id == outcome.round_id + 1 and again.lines > 0


def test_a_correction_after_payment_from_the_command_line(cli, tmp_path):
    from .conftest import write_correction

    results = write_sample(tmp_path / "results" / "run-1.parquet", 20)
    cli("budget", "set", "fund", "M1.2b", "2025", "1000000000")
    cli("round", "run", "M1.2b", "2025", "--fund", "fund", "--results", str(results), "--out", str(tmp_path))
    code = credit_code(1)
    write_correction(results.parent, code, "399999.99")
    corrected = cli(
        "round", "correct", "1", code, "--results", str(results.parent), "--note", "revenue restated",
        "--out", str(tmp_path),
    ).output  # fmt: skip
    assert "adjustment" in corrected and "adjustment batch 2" in corrected
    assert "adjustment batch 2: settled" in cli("round", "settle", "1", "--batch", "2").output
    assert "no payment batch 7" in cli("round", "settle", "1", "--batch", "7", ok=False).output
    assert "audit chain intact" in cli("audit", "verify").output
