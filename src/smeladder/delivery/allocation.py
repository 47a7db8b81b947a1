"""Who gets what when the budget is smaller than the claims: the round's `overflow_policy`.

Pure functions over integer fen: the sum granted never exceeds what is available, and every claim that gets
less than it asked for is returned with the reason it is shown in the round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from smeladder.delivery.fen import fen_to_yuan


@dataclass(frozen=True, slots=True)
class Claim:
    candidate_id: int
    credit_code: str
    amount_fen: int
    rank_value: Decimal | None = None  # rank: the criterion's value (None ranks last)
    arrived_at: datetime | None = None  # first_come: when the enterprise confirmed (None: silent, last)


@dataclass(frozen=True, slots=True)
class Cut:
    candidate_id: int
    granted_fen: int
    reason: str


def allocate(
    claims: list[Claim], available_fen: int, policy: str, *, rank_by: str = "amount", rank_order: str = "desc"
) -> list[Cut]:
    """The claims that get less than their amount, and why. Nothing is cut if everything fits."""
    total = sum(claim.amount_fen for claim in claims)
    if total <= available_fen:
        return []
    available_fen = max(available_fen, 0)
    if policy == "pro_rata":
        return _pro_rata(claims, available_fen, total)
    if policy == "rank":
        ordered = sorted(claims, key=lambda c: _rank_key(c, rank_by, rank_order))
        return _in_order(ordered, available_fen, f"ranked by {rank_by} ({rank_order})")
    if policy == "first_come":
        ordered = sorted(
            claims, key=lambda c: (c.arrived_at is None, c.arrived_at or datetime.min, c.credit_code)
        )
        return _in_order(ordered, available_fen, "in order of confirmation")
    raise ValueError(f"unknown overflow policy {policy!r}")


def _rank_key(claim: Claim, rank_by: str, order: str) -> tuple:
    value = Decimal(claim.amount_fen) if rank_by == "amount" else claim.rank_value
    if value is None:
        return (1, Decimal(0), claim.credit_code)
    return (0, -value if order == "desc" else value, claim.credit_code)


def _in_order(ordered: list[Claim], available_fen: int, how: str) -> list[Cut]:
    """Grant in order while each claim fits whole; from the first that does not, everyone is cut (a ranking is
    not jumped by a smaller claim further down)."""
    cuts: list[Cut] = []
    left = available_fen
    exhausted_at: int | None = None
    for position, claim in enumerate(ordered, start=1):
        if exhausted_at is None and claim.amount_fen <= left:
            left -= claim.amount_fen
            continue
        if exhausted_at is None:
            exhausted_at = position
            reason_left = fen_to_yuan(left)
        cuts.append(
            Cut(
                claim.candidate_id,
                0,
                f"budget exhausted: position {position} of {len(ordered)} {how}; "
                f"{reason_left} yuan were left at position {exhausted_at}",
            )
        )
    return cuts


def _pro_rata(claims: list[Claim], available_fen: int, total_fen: int) -> list[Cut]:
    """Everyone gets amount x available / total, rounded down to the fen; the fen left over go one each to
    the largest remainders (ties by credit code), so the budget is used to the last fen and never exceeded."""
    shares = []
    for claim in claims:
        share, remainder = divmod(claim.amount_fen * available_fen, total_fen)
        shares.append([claim, share, remainder])
    leftover = available_fen - sum(share for _, share, _ in shares)
    for entry in sorted(shares, key=lambda s: (-s[2], s[0].credit_code))[:leftover]:
        entry[1] += 1
    percent = (Decimal(available_fen) * 100 / Decimal(total_fen)).quantize(Decimal("0.0001"))
    return [
        Cut(claim.candidate_id, share, f"budget short: pro rata, {percent}% of each amount")
        for claim, share, _ in shares
        if share < claim.amount_fen
    ]
