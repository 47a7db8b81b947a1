"""The demo's story, stage by stage, on the embedded default and the Shanghai pack: a synthetic registry
imported through the same validation as an officer's files, the ladder and the money measures over it, the
letter to a firm one condition from the S&S rung, the evaluation an automatic round reads, and the service
network. Each stage is one call, so an interface shows each as it is done."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smeladder.errors import InvalidInput
from smeladder.rules.errors import PackError
from smeladder.rules.letter_document import Letter
from smeladder.services import letters
from smeladder.services.context import AppContext
from smeladder.services.models import Result

PACK = "shanghai"
YEARS = range(2021, 2026)
# A round after the 2026 ladder took effect, supporting fiscal 2025, the last year of the demo registry.
AS_OF = dt.date(2026, 5, 1)
ROUND_MEASURE = "M1.2b"
NEAR_RUNG = "ss_sme"


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
    """The letter to the first enterprise one condition short of the S&S rung: what every enterprise can be
    sent (`invite` writes one to each)."""
    near = letters.near_rung(ctx, AS_OF, NEAR_RUNG, missing=1)
    key = near.keys[0] if near.keys else None
    return NearLetter(
        rung=NEAR_RUNG,
        as_of=AS_OF,
        enterprises=len(near.keys),
        key=key,
        letter=letters.letter_of(ctx, key, AS_OF, lang) if key else None,
    )


def round_results(ctx: AppContext, measure_id: str = ROUND_MEASURE) -> RoundResults:
    """Evaluate `measure_id` for every enterprise as of the demo's date and write the entitlement results
    of fiscal year AS_OF.year under the data directory's delivery/ folder."""
    from smeladder.delivery.from_pack import write_entitlement_results

    period = str(AS_OF.year)
    path = ctx.data_dir / "delivery" / f"entitlements-{measure_id}-{period}.parquet"
    try:
        write_entitlement_results(ctx.pack, ctx.source, AS_OF, [measure_id], period, path)
    except PackError as exc:
        raise InvalidInput(str(exc)) from None
    return RoundResults(measure_id=measure_id, period=period, as_of=AS_OF, path=path)
