"""The ledger and payment files on the service layer (issue 10 §1), on SQLite and PostgreSQL: the ledger's
totals are the rounds' paid totals, its filters select only what they name, and a payment file changed after
it was written is reported not intact, naming the line."""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal

import pytest
from delivery import conftest as delivery_fixtures

from smeladder.errors import NotFound
from smeladder.services import ledger, payments, rounds
from smeladder.services.context import AppContext, Settings

from .conftest import NOW

# The delivery tests' store, on SQLite and on PostgreSQL (a fresh schema per test).
store_url, migrated_sqlite = delivery_fixtures.store_url, delivery_fixtures.migrated_sqlite
ENTERPRISES = 60


@pytest.fixture
def paid(store_url, tmp_path):
    """Two demo rounds paid on the test's own store: (context, [their runs])."""
    ctx = AppContext(
        Settings(data_dir=tmp_path / "home", db_url=store_url, actor="officer"),
        clock=lambda: NOW,
    )
    runs = [rounds.demo_round(ctx, enterprises=ENTERPRISES).run for _ in range(2)]
    yield ctx, runs
    ctx.close()


def everything(ctx, **filters) -> ledger.Ledger:
    return ledger.list_entries(ctx, limit=10 * ENTERPRISES, **filters)


def test_each_rounds_ledger_totals_are_its_paid_totals(paid):
    ctx, runs = paid
    for run in runs:
        assert run.lines > 0, "the sample must pay someone"
        listed = everything(ctx, round_id=run.round_id)
        assert (listed.count, listed.total) == (run.lines, run.control_total)
        assert listed.total == run.detail.round.granted_total
        assert sum((e.amount for e in listed.entries), Decimal(0)) == run.control_total
        assert [(k.kind, k.entries, k.amount) for k in listed.by_kind] == [
            ("payment", run.lines, run.control_total)
        ]
        assert {e.round_id for e in listed.entries} == {run.round_id}
    whole = everything(ctx)
    assert (whole.count, whole.total) == (sum(r.lines for r in runs), sum(r.control_total for r in runs))


def test_the_enterprise_filter_returns_only_its_entries(paid):
    ctx, _ = paid
    whole = everything(ctx).entries
    per_enterprise = Counter(e.credit_code for e in whole)
    code = next(iter(per_enterprise))
    mine = everything(ctx, credit_code=code)
    assert mine.entries and {e.credit_code for e in mine.entries} == {code}
    assert mine.count == per_enterprise[code]
    assert [e.id for e in mine.entries] == [e.id for e in whole if e.credit_code == code]
    assert mine.total == sum((e.amount for e in whole if e.credit_code == code), Decimal(0))


def test_filters_without_entries_give_an_empty_ledger_and_an_unknown_round_is_not_found(paid):
    ctx, _ = paid
    for filters in ({"credit_code": "91310000000000000X"}, {"measure_id": "M9.9"}, {"period": "1999"}):
        empty = ledger.list_entries(ctx, **filters)
        assert (empty.entries, empty.count, empty.total, empty.next_after) == ([], 0, Decimal(0), None)
    with pytest.raises(NotFound, match="no round 99"):
        ledger.list_entries(ctx, round_id=99)


def test_pages_after_the_last_id_list_every_entry_once(paid):
    ctx, _ = paid
    whole = everything(ctx)
    seen, after = [], 0
    while True:
        page = ledger.list_entries(ctx, after=after, limit=7)
        assert (page.count, page.total) == (whole.count, whole.total)  # totals never depend on the page
        seen += [e.id for e in page.entries]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == [e.id for e in whole.entries]


def test_a_written_payment_file_is_intact(paid):
    ctx, runs = paid
    check = payments.verify_file(ctx, runs[0].payment_file)
    assert (check.intact, check.lines, check.total, check.problem) == (
        True,
        runs[0].lines,
        runs[0].control_total,
        None,
    )


def tamper(path, sidecar: bool) -> int:
    """Change the amount of the second detail line (file line 3) by one yuan; with `sidecar`, also write the
    new file's checksum beside it, as someone covering their tracks would. Returns the changed line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[2].split(",")
    fields[12] = str(Decimal(fields[12]) + 1)
    lines[2] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    if sidecar:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return 3


def test_a_changed_amount_is_not_intact_and_the_line_is_named(paid):
    ctx, runs = paid
    path = runs[0].payment_file
    line = tamper(path, sidecar=True)
    check = payments.verify_file(ctx, path)
    assert not check.intact
    assert check.problem == f"line {line}: line checksum does not match its content"
    assert check.lines == line - 2  # the detail lines before it held


def test_a_changed_amount_fails_the_checksum_beside_the_file_first(paid):
    ctx, runs = paid
    path = runs[0].payment_file
    tamper(path, sidecar=False)
    check = payments.verify_file(ctx, path)
    assert not check.intact
    assert check.problem == f"{path.name}: file checksum does not match {path.name}.sha256"


def test_a_mangled_trailer_is_not_intact_and_a_missing_file_not_found(paid, tmp_path):
    ctx, runs = paid
    path = runs[0].payment_file
    path.with_name(path.name + ".sha256").unlink()
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]) + "T,many\n", encoding="utf-8")
    check = payments.verify_file(ctx, path)
    assert not check.intact and check.problem.startswith(f"{path.name}: not a payment file")
    with pytest.raises(NotFound, match="does not exist"):
        payments.verify_file(ctx, tmp_path / "missing.csv")


def test_a_correction_after_payment_is_listed_as_a_claw_back_and_the_net_total_follows(paid, tmp_path):
    ctx, runs = paid
    first = everything(ctx, round_id=runs[0].round_id).entries[0]
    corrected = (first.amount / 2).quantize(Decimal("0.01"))
    results = delivery_fixtures.write_correction(
        tmp_path, first.credit_code, str(corrected), stacking_group=first.stacking_group
    )
    rounds.correct(ctx, runs[0].round_id, first.credit_code, "revenue restated", results=results)
    mine = everything(ctx, credit_code=first.credit_code, round_id=runs[0].round_id)
    assert [(e.revision, e.kind, e.amount) for e in mine.entries] == [
        (0, "payment", first.amount),
        (1, "clawback", corrected - first.amount),
    ]
    assert mine.total == corrected
    assert [(k.kind, k.entries) for k in mine.by_kind] == [("payment", 1), ("clawback", 1)]
