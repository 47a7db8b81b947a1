"""Where a round's candidates come from: the `CandidateSource` protocol, decoupled from the rules engine.

A source hands over the engine's results for one measure and period (one run: its rule version, as-of date and
input snapshot, which the round freezes), and re-evaluates one enterprise when an objection or a data
correction asks for it. `results.EntitlementResults` reads the engine's long-format results table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

LEVELS = ("national", "municipal", "district")


@dataclass(frozen=True, slots=True)
class CandidateRecord:
    """One enterprise's entitlement under one measure and period, as the rules computed it."""

    credit_code: str
    district_adcode: str
    measure_id: str
    period: str
    eligible: bool
    amount: Decimal  # yuan, two decimals
    stacking_group: str
    level: str
    reasons_json: str  # the explanation, JSON text
    rule_version: str
    input_snapshot: str
    # The account on file for the payment (shared data); empty when the source has none, and then the
    # enterprise is held back at payment unless it confirms with an account.
    account_name: str = ""
    account_no: str = ""
    bank_name: str = ""


@dataclass(frozen=True)
class SourceRun:
    """What a round freezes about the evaluation it was filled from."""

    uri: str
    run_id: str
    as_of: date
    rule_version: str
    input_snapshot: str


class CandidateSource(Protocol):
    def run(self, measure_id: str, period: str) -> SourceRun:
        """The evaluation run the round takes its candidates from."""
        ...

    def batches(self, measure_id: str, period: str, batch_size: int) -> Iterator[list[CandidateRecord]]:
        """The eligible candidates of that run, in batches, each enterprise once."""
        ...

    def evaluate_one(self, credit_code: str, measure_id: str, period: str) -> CandidateRecord | None:
        """The newest result for one enterprise (after an objection or a data correction); None if the
        enterprise has no result at all for this measure and period."""
        ...
