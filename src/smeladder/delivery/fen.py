"""Yuan <-> integer fen, exactly. The database keeps money as integer fen; people and files see yuan."""

from __future__ import annotations

from decimal import Decimal

from smeladder import money


def yuan_to_fen(amount: Decimal) -> int:
    """An amount already rounded to the fen (see smeladder.money.to_fen) as integer fen."""
    rounded = money.to_fen(amount)
    if rounded != amount:
        raise ValueError(
            f"{amount} yuan has more than two decimals; round it with smeladder.money.to_fen first"
        )
    return int(rounded * 100)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(money.FEN)
