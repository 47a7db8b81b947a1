"""Delivery round benchmark (issue 5): one automatic round over 1,000,000 enterprises, from evaluation to the
payment file, on the embedded SQLite store and on PostgreSQL.

    .venv/bin/python benchmarks/delivery.py [--enterprises 1000000] [--db URL] [--keep DIR]

The entitlement results (the engine's long format, `docs/delivery.md`) are generated first in their own
process (about 60 % of enterprises eligible, amounts up to 400,000 yuan); the round then runs alone in a fresh
process (`_measure.measure`), so its peak memory (max RSS) is its own: evaluate (read the results, insert and
freeze the candidates), publish, close objections, approve (budget, stacking), pay (post every grant to the
ledger, write and checksum the payment file). The payment file is verified afterwards, as a bank would.
Without --db the store is a fresh SQLite file; with --db a fresh PostgreSQL schema is created and dropped.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from _measure import measure

MEASURE, PERIOD, FUND = "M1.2b", "2025", "sme-development-fund"


def generate(path: str, enterprises: int) -> int:
    from smeladder.delivery.sample_results import write_sample

    write_sample(path, enterprises)
    return enterprises


def run_round(url: str, results: str, out_dir: str) -> dict[str, object]:
    from smeladder.delivery import approval, budgets, objections, payment, rounds
    from smeladder.delivery.results import EntitlementResults
    from smeladder.store import open_store

    sessions = open_store(url)
    budgets.set_budget(
        sessions, fund_id=FUND, measure_id=MEASURE, year=2025, amount=Decimal(10**12), actor="bench"
    )
    clock = datetime(2026, 2, 2, 9, tzinfo=UTC)
    timings: dict[str, float] = {}

    def step(name: str, action):
        start = time.perf_counter()
        value = action()
        timings[name] = time.perf_counter() - start
        return value

    opened = rounds.open_round(
        sessions,
        measure_id=MEASURE,
        period=PERIOD,
        as_of=date(2026, 1, 31),
        fund_id=FUND,
        actor="bench",
        now=clock,
    )
    source = EntitlementResults(results)
    step("evaluate", lambda: rounds.evaluate(sessions, opened.id, source, actor="bench", now=clock))
    step("publish", lambda: rounds.publish(sessions, opened.id, actor="bench", now=clock))
    clock += timedelta(days=30)
    step(
        "close objections", lambda: objections.close_objections(sessions, opened.id, actor="bench", now=clock)
    )
    step("approve", lambda: approval.approve(sessions, opened.id, actor="bench", now=clock))
    batch = step(
        "pay (ledger + file)", lambda: payment.pay(sessions, opened.id, out_dir, actor="bench", now=clock)
    )
    sessions.kw["bind"].dispose()
    return {
        "timings": timings,
        "lines": batch.line_count,
        "control_total_fen": batch.control_total_fen,
        "file": batch.file_name,
    }


def verify(path: str) -> tuple[bool, int]:
    from smeladder.delivery import payment_file

    check = payment_file.verify(path)
    return check.ok, check.line_count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--db", help="PostgreSQL URL (a fresh schema is used); default: a fresh SQLite file")
    parser.add_argument("--keep", type=Path, help="Directory to keep the results, store and payment file in")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="smeladder-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = str(work / "entitlements.parquet")
    seconds, _, _ = measure(generate, results, args.enterprises)
    print(f"generated {args.enterprises:,} entitlement results in {seconds:.1f} s")

    schema = None
    if args.db:
        import psycopg

        schema = f"bench_delivery_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.db, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        url = f"{args.db}{'&' if '?' in args.db else '?'}options=-csearch_path%3D{schema}"
        backend = "PostgreSQL"
    else:
        url = f"sqlite:///{work / 'smeladder.sqlite'}"
        backend = "SQLite"
    try:
        seconds, peak_mib, outcome = measure(run_round, url, results, str(work / "payments"))
        verify_seconds, _, (ok, lines) = measure(verify, outcome["file"])
    finally:
        if schema:
            with psycopg.connect(args.db, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    size_mib = Path(outcome["file"]).stat().st_size / 2**20
    print(f"\n{backend}, {args.enterprises:,} enterprises, {outcome['lines']:,} beneficiaries\n")
    print("| step | seconds |\n|---|---:|")
    for name, value in outcome["timings"].items():
        print(f"| {name} | {value:.1f} |")
    print(f"| **evaluation to payment file** | **{sum(outcome['timings'].values()):.1f}** |")
    print(
        f"\npeak memory (max RSS) {peak_mib:,.0f} MiB; whole process {seconds:.1f} s (incl. imports, migration)"
    )
    print(
        f"payment file {size_mib:.0f} MiB, control total {Decimal(outcome['control_total_fen']) / 100:,} yuan; "
        f"verified {'OK' if ok else 'FAILED'} ({lines:,} lines) in {verify_seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
