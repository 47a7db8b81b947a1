"""The ladder and the measure catalogue of a loaded pack (its ladder.yaml and measures.yaml, read by the engine's
packfile.py), or a clear error for a pack that has none."""

from __future__ import annotations

from smeladder.rules.errors import PackError
from smeladder.rules.pack import Pack
from smeladder.rules.packfile import Ladder, Measures


def ladder_of(pack: Pack) -> Ladder:
    if pack.ladder is None:
        raise PackError(
            "has no ladder (ladder.yaml): funnel, readiness and invitations need one", where=pack.name
        )
    return pack.ladder


def measures_of(pack: Pack) -> Measures:
    if pack.measures is None:
        raise PackError("has no measure catalogue (measures.yaml)", where=pack.name)
    return pack.measures
