"""Payment files as a bank would check them: the file checksum beside it, every line's checksum, the line
count and the control total in the trailer (delivery/payment_file.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from smeladder.delivery import payment_file
from smeladder.errors import NotFound
from smeladder.services.context import AppContext
from smeladder.services.models import Result


class PaymentFileCheck(Result):
    file: Path
    intact: bool
    lines: int  # detail lines read before the first problem (all of them when intact)
    total: Decimal  # their sum in yuan
    problem: str | None  # the first line or check that fails, None when intact


def verify_file(ctx: AppContext, path: Path) -> PaymentFileCheck:
    """Check a written payment file (no store needed); one that is not intact names its first failing line
    or check."""
    if not path.is_file():
        raise NotFound(f"payment file {path} does not exist")
    check = payment_file.verify(path)
    return PaymentFileCheck(
        file=path, intact=check.ok, lines=check.line_count, total=check.control_total, problem=check.problem
    )
