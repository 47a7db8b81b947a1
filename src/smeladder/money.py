"""Money is exact: `Decimal` yuan with two places (fen). One rounding rule, used everywhere.

Rounding: half away from zero to the fen (`ROUND_HALF_UP` in Python's decimal module, which rounds
half away from zero), the rule DuckDB, PostgreSQL and Spark all apply in `round()` on decimals, so a
batch result and a single-enterprise explanation agree to the fen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
# DECIMAL(18, 2): up to 9,999,999,999,999,999.99 yuan, stored as a 64-bit integer of fen by DuckDB.
PRECISION = 18
SCALE = 2
SQL_TYPE = f"DECIMAL({PRECISION},{SCALE})"


def to_fen(value: Decimal | int | str) -> Decimal:
    """Round a yuan amount to the fen by the one rounding rule."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def parse_yuan(text: str) -> Decimal:
    """Parse a yuan amount written with at most two decimals; raise ValueError otherwise."""
    cleaned = text.strip().replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {text!r}")
    if amount != amount.quantize(FEN, rounding=ROUND_HALF_UP):
        raise ValueError(f"more than two decimals (fen): {text!r}")
    return amount.quantize(FEN)


def format_yuan(amount: Decimal, lang: str = "en") -> str:
    """Human form: 14,200,000.00 yuan / 1,420.00万元."""
    if lang == "zh":
        if abs(amount) >= 10_000:
            return f"{(amount / 10_000).quantize(FEN, rounding=ROUND_HALF_UP):,}万元"
        return f"{amount:,}元"
    return f"{amount:,} yuan"
