"""The payment file a bank or treasury system takes: CSV (UTF-8, `\\n` line ends) with a checksum on every
line, a trailer with the line count, the control total and the checksum of everything above it, and a
`<file>.sha256` beside it (`sha256sum -c` format) over the whole file.

    record,line_no,ledger_entry_id,round_id,credit_code,account_name,account_no,bank_name,district_adcode,
        measure_id,period,item,amount_yuan,line_sha256
    D,1,...,400000.00,<sha256 of fields line_no..amount_yuan joined by '|'>
    T,<line count>,,,,,,,,,,,<control total yuan>,<sha256 of all bytes before the trailer line>

Every line names the account it pays: a line without an account holder, number or bank is refused here, so an
enterprise without an account is held back before the file is written (`payment.pay`), never sent to the bank
as a line the settlement would then mark paid. The content depends only on the ledger, never on the clock:
regenerating a batch gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from smeladder import money
from smeladder.delivery.errors import DeliveryError
from smeladder.delivery.fen import fen_to_yuan

HEADER = (
    "record",
    "line_no",
    "ledger_entry_id",
    "round_id",
    "credit_code",
    "account_name",
    "account_no",
    "bank_name",
    "district_adcode",
    "measure_id",
    "period",
    "item",
    "amount_yuan",
    "line_sha256",
)
DETAIL, TRAILER = "D", "T"


@dataclass(frozen=True, slots=True)
class PaymentLine:
    ledger_entry_id: int
    round_id: int
    credit_code: str
    account_name: str
    account_no: str
    bank_name: str
    district_adcode: str
    measure_id: str
    period: str
    item: str
    amount_fen: int

    def missing_account(self) -> list[str]:
        """What the line lacks to be paid: the account holder, number or bank (none: it can be paid)."""
        fields = {
            "account holder": self.account_name,
            "account number": self.account_no,
            "bank": self.bank_name,
        }
        return [name for name, value in fields.items() if not value.strip()]


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    sha256: str
    line_count: int
    control_total_fen: int


def line_checksum(fields: list[str]) -> str:
    return hashlib.sha256("|".join(fields).encode("utf-8")).hexdigest()


def write(lines: Iterable[PaymentLine], path: Path | str) -> WrittenFile:
    """Write atomically (a `.part` file, flushed to disk, then renamed) and return its checksums. Refuses a
    line without an account (`DeliveryError`), leaving no file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        count, total = _write_lines(lines, partial)
    except DeliveryError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    digest = sha256_of(path)
    sidecar = path.with_name(path.name + ".sha256")
    sidecar_partial = sidecar.with_name(sidecar.name + ".part")
    sidecar_partial.write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    os.replace(sidecar_partial, sidecar)
    return WrittenFile(path, digest, count, total)


def _write_lines(lines: Iterable[PaymentLine], partial: Path) -> tuple[int, int]:
    body_hash = hashlib.sha256()
    count = total = 0
    with partial.open("w", encoding="utf-8", newline="") as out:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")

        def emit(row: list[str]) -> str:
            writer.writerow(row)
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            out.write(text)
            return text

        body_hash.update(emit(list(HEADER)).encode("utf-8"))
        for line in lines:
            count += 1
            missing = line.missing_account()
            if missing:
                raise DeliveryError(
                    f"payment line {count} (enterprise {line.credit_code}, ledger entry {line.ledger_entry_id}): "
                    f"no {', '.join(missing)}; a line without an account is held back, never sent to be paid"
                )
            total += line.amount_fen
            fields = [
                str(count),
                str(line.ledger_entry_id),
                str(line.round_id),
                line.credit_code,
                line.account_name,
                line.account_no,
                line.bank_name,
                line.district_adcode,
                line.measure_id,
                line.period,
                line.item,
                str(fen_to_yuan(line.amount_fen)),
            ]
            body_hash.update(emit([DETAIL, *fields, line_checksum(fields)]).encode("utf-8"))
        emit([TRAILER, str(count), *[""] * 10, str(fen_to_yuan(total)), body_hash.hexdigest()])
        out.flush()
        os.fsync(out.fileno())
    return count, total


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileCheck:
    ok: bool
    line_count: int
    control_total: Decimal
    problem: str | None = None


def verify(path: Path | str) -> FileCheck:
    """Check a payment file the way the receiving bank would; name the first line that fails."""
    path = Path(path)
    try:
        return _verify(path)
    except (UnicodeDecodeError, ValueError, IndexError, ArithmeticError, csv.Error) as exc:
        # mangled beyond a checksum mismatch: a trailer count that is no number, a line cut short
        return FileCheck(False, 0, Decimal(0), f"{path.name}: not a payment file ({exc})")


def _verify(path: Path) -> FileCheck:
    raw = path.read_bytes()
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.exists():
        expected = sidecar.read_text(encoding="utf-8").split()[0]
        if hashlib.sha256(raw).hexdigest() != expected:
            return FileCheck(
                False, 0, Decimal(0), f"{path.name}: file checksum does not match {sidecar.name}"
            )
    text = raw.decode("utf-8")
    lines = text.splitlines(keepends=True)
    if not lines or next(csv.reader([lines[0]])) != list(HEADER):
        return FileCheck(False, 0, Decimal(0), "line 1: not the payment file header")
    body_hash = hashlib.sha256(lines[0].encode("utf-8"))
    count, total = 0, Decimal(0)
    for number, line in enumerate(lines[1:], start=2):
        row = next(csv.reader([line]))
        if row[0] == TRAILER:
            if number != len(lines):
                return FileCheck(False, count, total, f"line {number}: trailer before the end of the file")
            declared_count, declared_total, declared_hash = int(row[1]), Decimal(row[12]), row[13]
            if declared_count != count:
                return FileCheck(
                    False, count, total, f"trailer: {declared_count} lines declared, {count} found"
                )
            if declared_total != total:
                return FileCheck(
                    False,
                    count,
                    total,
                    f"trailer: control total {declared_total} declared, lines sum to {total}",
                )
            if declared_hash != body_hash.hexdigest():
                return FileCheck(False, count, total, "trailer: checksum of the lines above does not match")
            return FileCheck(True, count, total)
        if row[0] != DETAIL or len(row) != len(HEADER):
            return FileCheck(False, count, total, f"line {number}: not a detail line")
        fields, checksum = row[1:-1], row[-1]
        if line_checksum(fields) != checksum:
            return FileCheck(False, count, total, f"line {number}: line checksum does not match its content")
        if int(fields[0]) != count + 1:
            return FileCheck(
                False, count, total, f"line {number}: line number {fields[0]}, expected {count + 1}"
            )
        count += 1
        total += money.parse_yuan(fields[11])
        body_hash.update(line.encode("utf-8"))
    return FileCheck(False, count, total, "no trailer line: the file is truncated")
