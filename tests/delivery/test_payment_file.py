"""The payment file checks itself: per-line checksums, a control total and a file checksum."""

from __future__ import annotations

from pathlib import Path

import pytest

from smeladder.delivery import payment_file
from smeladder.delivery.errors import DeliveryError
from smeladder.delivery.payment_file import PaymentLine


@pytest.fixture
def written(tmp_path) -> payment_file.WrittenFile:
    lines = [
        PaymentLine(
            i,
            1,
            f"9131011500000000{i:02d}",
            "某公司, 上海",
            f"62220210010012345{i}",
            "工商银行上海分行",
            "310115",
            "M1.2b",
            "2025",
            "main",
            fen,
        )
        for i, fen in enumerate([40_000_000, 1, 12_345], start=1)
    ]
    return payment_file.write(lines, tmp_path / "batch.csv")


def test_a_written_file_verifies_and_carries_its_control_total(written):
    check = payment_file.verify(written.path)
    assert check.ok, check.problem
    assert (check.line_count, str(check.control_total)) == (3, "400123.46")
    assert (written.line_count, written.control_total_fen) == (3, 40_012_346)
    assert Path(str(written.path) + ".sha256").read_text().split() == [written.sha256, "batch.csv"]
    assert not list(written.path.parent.glob("*.part"))


@pytest.mark.parametrize(
    ("name", "number", "bank", "missing"),
    [
        ("某公司", "", "工商银行上海分行", "account number"),
        ("某公司", "6222021001001234567", " ", "bank"),
        ("", "6222021001001234567", "工商银行上海分行", "account holder"),
        ("", "", "", "account holder, account number, bank"),
    ],
)
def test_a_line_without_an_account_or_bank_is_refused_and_no_file_is_left(
    tmp_path, name, number, bank, missing
):
    paid = PaymentLine(1, 1, "913101150000000019", "某公司", "6222021001001234567", "工行", "310115", "M1.2b",
                       "2025", "main", 100)  # fmt: skip
    unpaid = PaymentLine(
        2, 1, "91310115000000027G", name, number, bank, "310115", "M1.2b", "2025", "main", 100
    )
    with pytest.raises(
        DeliveryError,
        match=f"payment line 2 \\(enterprise 91310115000000027G, ledger entry 2\\): no {missing};",
    ):
        payment_file.write([paid, unpaid], tmp_path / "batch.csv")
    assert list(tmp_path.iterdir()) == []


def _tamper(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    Path(str(path) + ".sha256").unlink()


def test_a_changed_amount_is_caught_on_its_line(written):
    _tamper(written.path, "400000.00", "500000.00")
    check = payment_file.verify(written.path)
    assert (check.ok, check.problem) == (False, "line 2: line checksum does not match its content")


def test_a_removed_line_is_caught_by_the_trailer(written):
    lines = written.path.read_text(encoding="utf-8").splitlines(keepends=True)
    written.path.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")
    Path(str(written.path) + ".sha256").unlink()
    assert "line number 3, expected 2" in payment_file.verify(written.path).problem


def test_a_truncated_file_and_a_changed_file_are_caught(written):
    original = written.path.read_bytes()
    written.path.write_bytes(original + b"\n")
    assert "does not match batch.csv.sha256" in payment_file.verify(written.path).problem
    lines = original.decode().splitlines(keepends=True)
    written.path.write_text("".join(lines[:-1]), encoding="utf-8")
    Path(str(written.path) + ".sha256").unlink()
    assert payment_file.verify(written.path).problem == "no trailer line: the file is truncated"
