"""Crash test: a round over 100,000 enterprises, run by a subprocess that is killed with SIGKILL while it posts
to the ledger; running it again completes the round with exactly one ledger entry per beneficiary and the
right control total."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow.compute as pc
import pytest
from sqlalchemy import func, select

from smeladder.delivery import audit, budgets, payment_file
from smeladder.delivery.models import LedgerEntry, PaymentBatch, Round
from smeladder.delivery.results import write_results
from smeladder.delivery.sample_results import entitlement_results

ENTERPRISES = 100_000
CHUNK = 2_000
SMELADDER = str(Path(sys.executable).parent / "smeladder")
# The victim is the real CLI, with the ledger's chunk poster wrapped so that the process SIGKILLs itself after
# writing its fourth chunk and before committing it: three chunks committed, one in flight. Polling the database
# and killing from outside raced with fast machines (the round could finish between two polls).
VICTIM = """
import os, signal, sys
from smeladder.delivery import ledger
from smeladder.cli import main

post_round_chunk, calls = ledger.post_round_chunk, []

def post_then_die(*args, **kwargs):
    result = post_round_chunk(*args, **kwargs)
    calls.append(1)
    if len(calls) == 4:
        os.kill(os.getpid(), signal.SIGKILL)
    return result

ledger.post_round_chunk = post_then_die
sys.argv[0] = "smeladder"
main()
"""


def _command(store_url: str, results: Path, out: Path, program: list[str] | None = None) -> list[str]:
    return [
        *(program or [SMELADDER]), "round", "run", "M1.2b", "2025", "--fund", "fund", "--results", str(results), "--out", str(out),
        "--db", store_url, "--chunk-size", str(CHUNK), "--actor", "crash-test",
    ]  # fmt: skip


@pytest.mark.slow
def test_a_round_killed_while_posting_completes_exactly_once_on_rerun(sessions, store_url, tmp_path):
    table = entitlement_results(ENTERPRISES)
    results = write_results(table, tmp_path / "results.parquet")
    eligible = table.filter(table.column("eligible"))
    expected_lines = eligible.num_rows
    expected_total_fen = int(pc.sum(eligible.column("amount")).as_py() * 100)
    budgets.set_budget(
        sessions, fund_id="fund", measure_id="M1.2b", year=2025, amount=Decimal(10**12), actor="t"
    )
    out = tmp_path / "payments"
    env = {**os.environ, "COLUMNS": "120"}

    victim = subprocess.run(
        _command(store_url, results, out, [sys.executable, "-c", VICTIM]),
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert victim.returncode == -signal.SIGKILL, victim.stderr.decode()
    with sessions() as session:
        posted_at_kill = session.scalar(select(func.count()).select_from(LedgerEntry))
        assert session.scalar(select(Round.state)) == "approved"
    # Three chunks committed; the fourth, written but not committed, left nothing behind.
    assert posted_at_kill == 3 * CHUNK < expected_lines
    assert not list(out.glob("*.csv"))

    rerun = subprocess.run(
        _command(store_url, results, out), env=env, capture_output=True, text=True, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr

    with sessions() as session:
        entries = session.execute(select(LedgerEntry.credit_code, LedgerEntry.amount_fen)).all()
        batch = session.execute(select(PaymentBatch)).scalar_one()
        assert session.scalar(select(Round.state)) == "closed"
        assert audit.verify(session).ok
    assert len(entries) == len({code for code, _ in entries}) == expected_lines
    assert sum(amount for _, amount in entries) == expected_total_fen
    assert (batch.line_count, batch.control_total_fen) == (expected_lines, expected_total_fen)
    check = payment_file.verify(batch.file_name)
    assert check.ok and check.line_count == expected_lines
    assert check.control_total == Decimal(expected_total_fen) / 100
