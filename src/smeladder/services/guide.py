"""The plain-language guide to the pack's measures (who qualifies, how much, how, what to prepare), with the
figures in force on a date: as Markdown and as one entry per measure, or written to guide.zh.md,
guide.en.md and guide.json."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smeladder.errors import InvalidInput
from smeladder.rules.errors import PackError
from smeladder.services.context import AppContext
from smeladder.services.letters import checked_language
from smeladder.services.models import Result


class GuideMeasure(Result):
    """One measure in the guide's language; figures not yet confirmed against the text end in '*'."""

    id: str
    variable: str
    title: str
    who: str
    amount: str
    delivery_mode: str | None  # auto or apply
    delivery: str
    prepare: str
    stacking_group: str | None
    not_combined_with: str
    budget: str | None
    fund: str | None
    reference: str
    unconfirmed: list[str]  # the parameters behind a starred figure


class Guide(Result):
    pack: str
    rule_version: str
    as_of: dt.date
    lang: str
    markdown: str
    measures: list[GuideMeasure]
    written: list[Path]  # with `out`: the files written


def guide(
    ctx: AppContext, as_of: dt.date | None = None, lang: str = "zh", *, out: Path | None = None
) -> Guide:
    """The guide in `lang` with the figures in force on `as_of` (default: today in Shanghai); with `out`,
    also guide.zh.md, guide.en.md and guide.json written there."""
    from smeladder.policy_guide.build import guide_entries, guide_markdown, write_guide

    lang = checked_language(lang)
    day, pack = ctx.as_of(as_of), ctx.pack
    try:
        written = write_guide(pack, day, out) if out is not None else []
        measures = [GuideMeasure(**entry) for entry in guide_entries(pack, day, lang)]
        markdown = guide_markdown(pack, day, lang)
    except PackError as exc:
        raise InvalidInput(str(exc)) from None
    except OSError as exc:
        raise InvalidInput(f"{out}: cannot write the guide ({exc.strerror or exc})") from None
    return Guide(
        pack=pack.name,
        rule_version=pack.version,
        as_of=day,
        lang=lang,
        markdown=markdown,
        measures=measures,
        written=written,
    )
