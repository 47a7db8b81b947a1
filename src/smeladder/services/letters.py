"""Letters and explanations of one enterprise: `explain` (the officer's letter, or the whole calculation as
typed nodes with `trace`), `readiness` (the ladder: titles, support, what is lacking for the next rung, and
the letter), and `letter_of`, the one letter of one enterprise that every invitation sends.

A letter is a document (rules.letter_document.Letter) in one language; `render` makes it text, Markdown or
HTML from the one template set, with each next action worded by the interface (the CLI's command, a page's
link). The JSON of a result is the document and the nodes themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from smeladder.errors import InvalidInput, NotFound
from smeladder.ladder.readiness import Designation, Support
from smeladder.rules.errors import PackError
from smeladder.rules.explain_nodes import Leaf, Need, VariableNode
from smeladder.rules.letter_document import Letter
from smeladder.services import parameters
from smeladder.services.context import AppContext
from smeladder.services.models import Result

FORMATS = ("text", "markdown", "html")


class Explained(Result):
    """One enterprise explained: the letter, or with `trace` the whole calculation as typed nodes."""

    key: str
    as_of: dt.date
    lang: str
    pack: str
    title: str
    rule_version: str
    letter: Letter | None = None
    trace: list[VariableNode] | None = None


class ReadinessView(Result):
    """Where an enterprise stands on the ladder, and the letter that says it."""

    key: str
    as_of: dt.date
    lang: str
    rule_set: str
    names: dict[str, str]
    titles: list[str]  # rung ids held
    other_titles: list[str]  # in the letter's language
    expiry: dict[str, dt.date | None]
    excluded: bool
    next_rung: str | None
    next_rung_met: bool
    needs: list[Need]  # what is lacking for the next rung, as the letter tells it
    shortfalls: list[Leaf]  # every condition the fewest changes name
    support: list[Support]
    could_apply: list[Support]
    designations: list[Designation]
    unconfirmed: list[str]
    letter: Letter


def explain(
    ctx: AppContext,
    key: str,
    as_of: dt.date | None = None,
    lang: str = "zh",
    *,
    trace: bool = False,
    variables: Sequence[str] | None = None,
    overrides: Sequence[str] | Mapping[str, Any] | None = None,
) -> Explained:
    """The letter of `key` on `as_of` (today in Shanghai if not given): for a pack with a ladder the ladder's
    letter, else the engine's; with `trace` (or `variables`) the whole calculation of those variables."""
    from smeladder.ladder.letter import letter_document as ladder_letter
    from smeladder.ladder.readiness import has_ladder, readiness
    from smeladder.rules.explain import explain as explain_one
    from smeladder.rules.explain_letter import entity_name

    day, language, key = ctx.as_of(as_of), checked_language(lang), _key(key)
    pack, changes = ctx.pack, parameters.parse_overrides(overrides)
    head = {
        "key": key,
        "as_of": day,
        "lang": language,
        "pack": pack.name,
        "title": (pack.label_zh or pack.label) if language == "zh" else pack.label,
        "rule_version": pack.version,
    }
    try:
        if not (trace or variables) and has_ladder(pack):
            report = readiness(pack, ctx.source, key, day, changes)
            _found(report.found, key)
            return Explained(**head, letter=ladder_letter(report, pack, language))
        explanation = explain_one(pack, ctx.source, key, day, list(variables or []) or None, changes)
    except PackError as exc:
        raise InvalidInput(str(exc)) from None
    _found(explanation.found, key)
    if trace:
        return Explained(**head, trace=explanation.roots)
    return Explained(**head, letter=explanation.letter(language, entity_name(pack, ctx.source, key)))


def readiness(ctx: AppContext, key: str, as_of: dt.date | None = None, lang: str = "zh") -> ReadinessView:
    """The enterprise's titles, what it receives this round, and what it lacks for the next rung."""
    from smeladder.ladder.letter import letter_document
    from smeladder.ladder.readiness import has_ladder
    from smeladder.ladder.readiness import readiness as ladder_readiness

    day, language, key = ctx.as_of(as_of), checked_language(lang), _key(key)
    if not has_ladder(ctx.pack):
        raise InvalidInput(f"pack {ctx.pack.name} declares no ladder: use explain for its letter")
    try:
        report = ladder_readiness(ctx.pack, ctx.source, key, day)
    except PackError as exc:
        raise InvalidInput(str(exc)) from None
    _found(report.found, key)
    return ReadinessView(
        key=key,
        as_of=day,
        lang=language,
        rule_set=report.rule_set,
        names=report.names,
        titles=report.titles,
        other_titles=[zh if language == "zh" else en for en, zh in report.other_titles],
        expiry=report.expiry,
        excluded=report.excluded,
        next_rung=report.next_rung,
        next_rung_met=report.next_rung_met,
        needs=report.needs,
        shortfalls=report.shortfalls,
        support=report.support,
        could_apply=report.could_apply,
        designations=report.designations,
        unconfirmed=report.unconfirmed,
        letter=letter_document(report, ctx.pack, language),
    )


def letter_of(ctx: AppContext, key: str, as_of: dt.date, lang: str = "zh") -> Letter:
    """The letter of one enterprise, the same document `explain` and `readiness` give: what an invitation
    sends (`invite` writes one per firm with `render`)."""
    return explain(ctx, key, as_of, lang).letter  # type: ignore[return-value]


class NearRung(Result):
    """The enterprises that lack between 1 and `missing` conditions of a rung (the demo's letter goes to the
    first)."""

    rung: str
    missing: int
    keys: list[str]


def near_rung(ctx: AppContext, as_of: dt.date, rung: str, missing: int = 1) -> NearRung:
    from smeladder.ladder.funnel import invitations

    try:
        rows = invitations(ctx.pack, ctx.source, as_of, rung, missing=missing)
    except (PackError, ValueError) as exc:
        raise InvalidInput(str(exc)) from None
    keys = list(dict.fromkeys(row[ctx.pack.entity_key] for row in rows if row["missing"]))
    return NearRung(rung=rung, missing=missing, keys=keys)


def render(letter: Letter, fmt: str = "text", actions: Mapping[str, str] | None = None) -> str:
    """`letter` as text, Markdown or HTML; `actions` words its next actions (code -> text with {key}, {as_of})."""
    from smeladder.rules.letter_render import render as render_letter

    if fmt not in FORMATS:
        raise InvalidInput(f"format {fmt!r}: choose {', '.join(FORMATS)}")
    return render_letter(letter, fmt, actions)


def trace_text(result: Explained) -> str:
    """The trace of an `explain(..., trace=True)` result as indented text."""
    from smeladder.rules.explain_text import render_tree

    return render_tree(result.title, result.key, result.as_of, result.trace or [], result.lang)


def _found(found: bool, key: str) -> None:
    if not found:
        raise NotFound(f"{key} is not in the registry", next_action="import_registry")


def _key(key: str) -> str:
    key = key.strip().upper()
    if not key:
        raise InvalidInput("the credit code is empty")
    return key


def checked_language(lang: str) -> str:
    """`lang` if the platform speaks it (zh, en), else InvalidInput."""
    if lang not in ("zh", "en"):
        raise InvalidInput(f"language {lang!r}: choose zh or en")
    return lang
