"""The round's state machine and the candidate statuses.

    draft ─evaluate→ under_review ─publish→ published ─close-objections→ confirming ─approve→ approved
          ─pay→ exported ─settle→ settled ─close→ closed

Windows (objection, confirmation) are dates frozen at publication; they are checked by the actions
themselves (`objections.py`, `confirmations.py`, `approval.py`), the states here only say what comes after what.
"""

from __future__ import annotations

from smeladder.delivery.errors import RefusedTransition

DRAFT = "draft"
UNDER_REVIEW = "under_review"
PUBLISHED = "published"
CONFIRMING = "confirming"
APPROVED = "approved"
EXPORTED = "exported"
SETTLED = "settled"
CLOSED = "closed"
ROUND_STATES = (DRAFT, UNDER_REVIEW, PUBLISHED, CONFIRMING, APPROVED, EXPORTED, SETTLED, CLOSED)

# action -> (states it is allowed in, what the officer must do otherwise)
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "evaluate": (frozenset({DRAFT}), "only a draft round is evaluated; open a new round to re-evaluate"),
    "publish": (frozenset({UNDER_REVIEW}), "only an evaluated round under review can be published"),
    "object": (frozenset({PUBLISHED}), "objections are raised while the list is published"),
    "resolve": (frozenset({PUBLISHED}), "objections are resolved before the objection phase is closed"),
    "close objections of": (frozenset({PUBLISHED}), "only a published round has an objection phase to close"),
    "confirm": (frozenset({PUBLISHED, CONFIRMING}), "enterprises respond while the list is published"),
    "decline": (frozenset({PUBLISHED, CONFIRMING}), "enterprises respond while the list is published"),
    "approve": (frozenset({CONFIRMING}), "approval needs a published round whose objection phase is closed"),
    "pay": (frozenset({APPROVED}), "payment needs an approved round"),
    "settle": (frozenset({EXPORTED}), "settlement needs an exported payment batch"),
    "close": (frozenset({SETTLED}), "a round closes once its payment batch is settled"),
    "correct": (frozenset({SETTLED, CLOSED}), "corrections after payment apply to settled or closed rounds"),
}


def require(round_id: int, state: str, action: str) -> None:
    """Raise `RefusedTransition` unless `action` is allowed in `state`."""
    allowed, hint = ACTIONS[action]
    if state not in allowed:
        if state == CLOSED:
            hint = "the round is closed and can no longer change"
        raise RefusedTransition(round_id, action, state, f"{hint} (allowed in: {', '.join(sorted(allowed))})")


# Candidate statuses.
LISTED = "listed"  # on the published list, in play
OBJECTED = "objected"  # an objection is open
WITHDRAWN = "withdrawn"  # re-evaluated as not eligible
DECLINED = "declined"  # the enterprise declined
FORFEITED = "forfeited"  # declined or silent, and the round's rule says the entitlement lapses
CARRIED_OVER = "carried_over"  # declined or silent, and the rule leaves it to a later round
CUT = "cut"  # nothing granted: budget exhausted or "the higher applies"
APPROVED_C = "approved"  # granted `granted_fen`
HELD = "held"  # approved, but no account to pay to: not in the payment file, its grant back in the budget
PAID = "paid"
FAILED = "failed"
CANDIDATE_STATUSES = (
    LISTED,
    OBJECTED,
    WITHDRAWN,
    DECLINED,
    FORFEITED,
    CARRIED_OVER,
    CUT,
    APPROVED_C,
    HELD,
    PAID,
    FAILED,
)
