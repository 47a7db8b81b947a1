"""Exclusive groups: "no double support, the higher applies" across measures of any level."""

from __future__ import annotations

from collections.abc import Sequence

import ibis

from smeladder.rules import types


def higher_applies(group: Sequence[ibis.Value], index: int) -> ibis.Value:
    """What is paid for `group[index]` when only the highest amount of the group is paid.

    Ties go to the measure listed first, so exactly one measure of a group pays (if any is positive).
    """
    own = group[index]
    tests = [own > other for other in group[:index]] + [own >= other for other in group[index + 1 :]]
    wins = tests[0] if tests else ibis.literal(True)
    for test in tests[1:]:
        wins = wins & test
    return ibis.cases((wins.fill_null(False) & (own > 0), own), else_=types.literal(0))
