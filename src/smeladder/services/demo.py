"""The demo's story on the embedded default and the Shanghai pack, stage by stage: a synthetic registry
imported through the same validation as an officer's files, the ladder and the money measures over it, the
letter to a firm one condition from the pack's example rung (S&S SME), an automatic round of its example
measure (M1.2b: ladder.yaml `example_rung`, measures.yaml `example`) on the pack's evaluation to a payment file,
and the service network. `run` is the whole story, each stage a service call of its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from smeladder.errors import InvalidInput
from smeladder.rules.letter_document import Letter
from smeladder.services import ladder, letters, registry, rounds, siting
from smeladder.services.context import AppContext
from smeladder.services.models import Result

PACK = "shanghai"
YEARS = range(2021, 2026)
# A round after the 2026 ladder took effect, supporting fiscal 2025, the last year of the demo registry.
AS_OF = dt.date(2026, 5, 1)
NEW_STATIONS = 20
ACTOR = "demo"  # who the demo's round records as acting


class NearLetter(Result):
    """The firms one condition from a rung, and the letter to the first of them."""

    rung: str
    as_of: dt.date
    enterprises: int
    key: str | None
    letter: Letter | None


class RoundResults(Result):
    """The evaluation of one measure for every enterprise, as the entitlement results a round reads."""

    measure_id: str
    period: str
    as_of: dt.date
    path: Path


def near_letter(ctx: AppContext, lang: str = "en") -> NearLetter:
    """The letter to the first enterprise one condition short of the pack's example rung: what every enterprise
    can be sent (`invite` writes one to each)."""
    rung = _example_rung(ctx)
    near = letters.near_rung(ctx, AS_OF, rung, missing=1)
    key = near.keys[0] if near.keys else None
    return NearLetter(
        rung=rung,
        as_of=AS_OF,
        enterprises=len(near.keys),
        key=key,
        letter=letters.letter_of(ctx, key, AS_OF, lang) if key else None,
    )


def round_results(ctx: AppContext, measure_id: str | None = None) -> RoundResults:
    """Evaluate `measure_id` (default: the pack's example measure) for every enterprise as of the demo's date
    and write the entitlement results of fiscal year AS_OF.year under the data directory's delivery/ folder."""
    measure_id = measure_id or _example_measure(ctx)
    period = str(AS_OF.year)
    path = rounds.evaluate_entitlements(ctx, measure_id, period, AS_OF)
    return RoundResults(measure_id=measure_id, period=period, as_of=AS_OF, path=path)


def _example_rung(ctx: AppContext) -> str:
    if ctx.pack.ladder is None or ctx.pack.ladder.example_rung is None:
        raise InvalidInput(f"pack {ctx.pack.name} names no example rung (ladder.yaml `example_rung`)")
    return ctx.pack.ladder.example_rung


def _example_measure(ctx: AppContext) -> str:
    if ctx.pack.measures is None or ctx.pack.measures.example is None:
        raise InvalidInput(f"pack {ctx.pack.name} names no example measure (measures.yaml `example`)")
    return ctx.pack.measures.example


class Demo(Result):
    imported: registry.Imported
    summary: registry.RegistrySummary
    funnel: ladder.Funnel
    near: NearLetter
    round_results: RoundResults
    round: rounds.DemoRound
    network: siting.NetworkPlan
    new_stations: int


def run(
    ctx: AppContext,
    enterprises: int = 20_000,
    seed: int = 2025,
    progress: Callable[[str, int], None] | None = None,
) -> Demo:
    """The whole demo in the data directory of `ctx` (on the Shanghai pack whatever `ctx` names);
    `progress(stage, 0)` is told each stage as it starts."""
    ctx = AppContext(dataclasses.replace(ctx.settings, pack=PACK, actor=ACTOR))
    told = progress or (lambda stage, total: None)
    try:
        told(
            f"synthesizing {enterprises:,} enterprises, {YEARS[0]}–{YEARS[-1]}, importing with validation", 0
        )
        imported = registry.demo_registry(ctx, enterprises, seed, YEARS)
        summary = registry.registry_summary(ctx)
        told("evaluating the tier ladder and the Several Measures over the registry", 0)
        funnel = ladder.funnel(ctx, AS_OF, "en")
        rung = ctx.pack.ladder.rung(_example_rung(ctx)).label_in("en", AS_OF) if ctx.pack.ladder else ""
        told(f"finding the firms one condition from the {rung} rung", 0)
        near = near_letter(ctx)
        measure = _example_measure(ctx)
        told(f"evaluating {measure} for every enterprise, and its automatic round", 0)
        results = round_results(ctx, measure)
        done = rounds.demo_round(ctx, results=results.path, measure_id=measure, period=results.period)
        told("placing stations and solving the siting problem", 0)
        network = siting.demo_plan(ctx, AS_OF, NEW_STATIONS, progress=lambda what, _: told(what, 0))
    finally:
        ctx.close()
    return Demo(
        imported=imported,
        summary=summary,
        funnel=funnel,
        near=near,
        round_results=results,
        round=done,
        network=network,
        new_stations=NEW_STATIONS,
    )
