"""The errors delivery raises. Every message names the round or enterprise, the rule and what to do next."""

from __future__ import annotations

from smeladder import errors


class DeliveryError(errors.Refused):
    """Something delivery refuses to do; the message is meant for the officer."""


class RefusedTransition(DeliveryError):
    """An action the round's state (or a window, or an open objection) does not allow."""

    def __init__(self, round_id: int, action: str, state: str, why: str) -> None:
        self.round_id, self.action, self.state, self.why = round_id, action, state, why
        super().__init__(f"cannot {action} round {round_id} (state '{state}'): {why}")


class NotFound(DeliveryError, errors.NotFound):
    kind = errors.NotFound.kind


class BudgetExceeded(DeliveryError):
    """Committing the amount would take the budget below zero."""


class InvalidSettings(DeliveryError, errors.InvalidInput):
    kind = errors.InvalidInput.kind


class SourceError(DeliveryError, errors.InvalidInput):
    """Bad candidate results: the message names the row, the field, the value and the rule."""

    kind = errors.InvalidInput.kind
