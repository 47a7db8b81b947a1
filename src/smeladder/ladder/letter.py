"""The officer's letter of a pack with a ladder, as a document (rules.letter_document), in Chinese or English:
to whom and under which rules, the titles held (with expiry), what the enterprise receives this round
(measure by measure), the apply-mode measures it could still apply for (and what to prepare), what it lacks
for the next rung (condition by condition, with the margin; alternatives as alternatives; a band's own
requirement first), the other designations, unconfirmed figures said once, references as numbered notes, and
the full calculation as a next action.

It is the engine's letter parts (smeladder.rules.explain_letter) composed with the ladder's readiness
(readiness.py); `smeladder explain` and `smeladder readiness` both send it, and so does every invitation.
"""

from __future__ import annotations

from typing import Any

from smeladder import messages, money
from smeladder.ladder.readiness import Readiness
from smeladder.rules.explain_letter import (
    Notes,
    condition_sentence,
    full_calculation,
    heading,
    need_item,
    percent,
    unconfirmed_section,
)
from smeladder.rules.explain_nodes import Leaf
from smeladder.rules.letter_document import Item, Letter, Section
from smeladder.rules.packfile import Ladder
from smeladder.rules.text import punctuate


def letter_document(report: Readiness, pack: Any, lang: str = "zh") -> Letter:
    """The letter of `report`, computed with `pack` (its title, rule version and parameter descriptions)."""
    _ = messages.for_language(lang).gettext
    rules = report.ladder.rules_title.in_(lang).format(rules=report.rule_set)
    head = heading(pack, report.key, report.as_of, report.names, lang, rules)
    if not report.found:
        text = _("We could not find {key} in the registry.").format(key=report.key)
        return Letter(**head, sections=(Section("not_found", text),))
    notes = Notes()
    sections: list[Section] = []
    if report.excluded:
        sections.append(
            Section(
                "excluded",
                _(
                    "Your enterprise is currently excluded from support (a dishonesty or abnormal-operations "
                    "listing, or a major violation in the last 3 years). Until that ends, no title or payment "
                    "can be granted."
                ),
            )
        )
    sections.append(_titles(report, lang))
    sections.append(_support(report, pack, notes, lang))
    sections += _could_apply(report, pack, notes, lang)
    sections.append(_next_rung(report, notes, lang))
    sections += _designations(report, notes, lang)
    sections += unconfirmed_section(pack, report.unconfirmed, lang)
    return Letter(
        **head,
        sections=tuple(sections),
        notes_heading=_("References:"),
        notes=notes.notes(),
        next_actions=(full_calculation(report.key, report.as_of, lang),),
    )


def _reference(reference: str, reference_zh: str, lang: str) -> str:
    return punctuate((reference_zh or reference) if lang == "zh" else reference, lang)


def _measure_id(measure: str, pack: Any) -> str:
    """A measure's id as the letter shows it: "M1.2a"; a district layer's is its parameter path, which its
    name says in words already."""
    found = pack.measures.get(measure) if pack.measures else None
    return "" if found is not None and found.district else measure


def _titles(report: Readiness, lang: str) -> Section:
    _ = messages.for_language(lang).gettext
    named = [(rung, punctuate(report.rung_label(rung, lang), lang)) for rung in report.titles]
    named += [(en, zh if lang == "zh" else en) for en, zh in report.other_titles]
    shown = []
    for key, label in named:
        ends = report.expiry.get(key)
        if ends:
            label = _("{title} (valid to {day})").format(title=label, day=ends)
        shown.append(label)
    if not shown:
        return Section("titles", _("You hold no title on the ladder yet."))
    separator = "、" if lang == "zh" else ", "
    return Section("titles", _("Titles you hold: {titles}.").format(titles=separator.join(shown)))


def _support(report: Readiness, pack: Any, notes: Notes, lang: str) -> Section:
    _ = messages.for_language(lang).gettext
    if not report.support:
        return Section("receives", _("This round you qualify for no money measure."))
    items = []
    for item in report.support:
        name = punctuate(item.name_zh if lang == "zh" else item.name_en, lang)
        amount = (
            money.format_yuan(item.amount, lang) if item.amount is not None else _("a listing, not money")
        )
        items.append(
            Item(
                _("{measure} {name}: {amount}")
                .format(measure=_measure_id(item.measure, pack), name=name, amount=amount)
                .strip(),
                cites=notes.cite([_reference(item.reference, item.reference_zh, lang)]),
            )
        )
    paid = any(item.amount is not None for item in report.support)
    closing = (
        _("Automatic measures are paid without an application; apply-mode amounts follow your application.")
        if paid
        else _("No money measure pays you this round.")
    )
    return Section("receives", _("This round you receive:"), tuple(items), closing=closing)


def _could_apply(report: Readiness, pack: Any, notes: Notes, lang: str) -> list[Section]:
    if not report.could_apply:
        return []
    _ = messages.for_language(lang).gettext
    items = []
    for item in report.could_apply:
        name = punctuate(item.name_zh if lang == "zh" else item.name_en, lang)
        measure = pack.measures.get(item.measure)
        prepare = punctuate(measure.prepare.in_(lang) if measure and measure.prepare else "", lang)
        text = _("{measure} {name}").format(measure=item.measure, name=name)
        if prepare:
            text = _("{measure} {name}: {prepare}").format(measure=item.measure, name=name, prepare=prepare)
        items.append(Item(text, cites=notes.cite([_reference(item.reference, item.reference_zh, lang)])))
    return [
        Section(
            "could_apply",
            _("You could also apply for these measures (no application is on file):"),
            tuple(items),
        )
    ]


def _next_rung(report: Readiness, notes: Notes, lang: str) -> Section:
    _ = messages.for_language(lang).gettext
    if report.next_rung is None:
        return Section("next_rung", _("You have reached the top of the ladder open to you."))
    rung = punctuate(report.rung_label(report.next_rung, lang), lang)
    reference = _reference(report.next_reference, report.next_reference_zh, lang)
    if report.next_rung_met:
        text = _("You already meet the criteria of the next rung, {rung}. You may apply for the designation.")
        return Section("next_rung", text.format(rung=rung), cites=notes.cite([reference]))
    references = [reference]
    references += [
        _reference(leaf.reference, leaf.reference_zh, lang) for n in report.needs for leaf in n.leaves()
    ]
    return Section(
        "next_rung",
        _("To reach the next rung, {rung}, you still need:").format(rung=rung),
        tuple(
            need_item(need, lang, lambda leaf, lang: leaf_sentence(leaf, lang, report.ladder))
            for need in report.needs
        ),
        numbered=True,
        cites=notes.cite(references),
    )


def _designations(report: Readiness, notes: Notes, lang: str) -> list[Section]:
    if not report.designations:
        return []
    _ = messages.for_language(lang).gettext
    items = []
    for item in report.designations:
        if item.met:
            name = item.name_zh if lang == "zh" else item.name_en
            items.append(
                Item(
                    _("{name}: you meet the criteria; you may apply.").format(name=name),
                    cites=notes.cite([_reference(item.reference, item.reference_zh, lang)]),
                )
            )
    unmet = [
        item.name_zh if lang == "zh" else item.name_en.lower() for item in report.designations if not item.met
    ]
    if unmet:
        separator = "、" if lang == "zh" else ", "
        text = _("You do not meet the criteria of: {names} (the conditions are in the full calculation).")
        items.append(Item(text.format(names=separator.join(unmet))))
    return [Section("designations", _("Other designations:"), tuple(items))]


def leaf_sentence(leaf: Leaf, lang: str, ladder: Ladder) -> str:
    """The engine's sentence, except for a yes/no condition computed over several years, which is said with the
    rate behind it ("2-year average main-business growth is -3.99%, below 5%"; the ladder's `shown_with`)."""
    shown = ladder.shown_with.get(leaf.variable)
    if leaf.kind == "truth" and shown and leaf.shown_rate is not None and leaf.shown_against is not None:
        _ = messages.for_language(lang).gettext
        return _("{label} is {rate}, below {threshold}").format(
            label=shown.label.in_(lang), rate=percent(leaf.shown_rate), threshold=percent(leaf.shown_against)
        )
    return condition_sentence(leaf, lang)
