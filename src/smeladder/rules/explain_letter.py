"""An explanation as a letter to the enterprise (a `letter_document.Letter`), in plain words: who it is
addressed to, what it receives, which criteria it meets, and for each one it does not, what it lacks
(condition by condition, with the margin; an alternative read as "or, instead"; for bands, the enterprise's own
band first); references gathered as numbered notes; unconfirmed figures said once; the full calculation as a
next action (`full_calculation`), which each interface words its own way.

The parts are built here for any pack, and a layer above composes them with its own (the ladder's letter does):
`heading`, `need_item` and `condition_sentence` (what is lacking, in words), `Notes`, `unconfirmed_section`
and `full_calculation`. The whole tree is `Explanation.text()` (`--trace`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

import ibis

from smeladder import messages
from smeladder.messages import N_
from smeladder.money import plain_decimal
from smeladder.rules import flips
from smeladder.rules.backends import Source, fetch_arrow
from smeladder.rules.explain_nodes import Leaf, Need, Outcome, VariableNode
from smeladder.rules.letter_document import Item, Letter, NextAction, Notes, Section
from smeladder.rules.text import punctuate

Sentence = Callable[[Leaf, str], str]
WANTED = {
    ">=": N_("at least {threshold}"),
    ">": N_("above {threshold}"),
    "<=": N_("at most {threshold}"),
    "<": N_("below {threshold}"),
    "==": N_("equal to {threshold}"),
    "!=": N_("other than {threshold}"),
}


def _words(lang: str) -> Callable[[str], str]:
    return messages.for_language(lang).gettext


# --- what is lacking, condition by condition ------------------------------------------------------------------


def nothing_on_record(leaf: Leaf) -> bool:
    """A condition that only asks for an amount to exist ("more than 0 yuan") where none is recorded. A count or
    a score of 0 is a figure, not an absence: "S&T staff points: 0, needs more than 0"."""
    if leaf.kind == "truth" or leaf.passed or leaf.outcome is Outcome.UNCOMPUTABLE:
        return False
    if leaf.value is None:
        return True
    return (
        leaf.unit_type == "money"
        and leaf.op == ">"
        and leaf.threshold is not None
        and Decimal(leaf.threshold) == 0
        and Decimal(leaf.value) == 0
    )


def condition_sentence(leaf: Leaf, lang: str) -> str:
    """One failing (or met) condition in words, with the margin: "R&D expense (2025): 2.34% of revenue, needs
    at least 3%: 0.66 percentage points or 791,704.30 yuan more"."""
    _ = _words(lang)
    condition = punctuate(leaf.label_in(lang), lang) + _period(leaf.period, lang)
    if leaf.kind == "truth":
        verdict = _("met") if leaf.passed else _("not met")
        return _("{condition}: {verdict}").format(condition=condition, verdict=verdict)
    if leaf.outcome is Outcome.UNCOMPUTABLE:
        denominator = (
            punctuate(leaf.denominator_label_zh if lang == "zh" else leaf.denominator_label, lang)
            or leaf.denominator
        )
        if leaf.denominator_value is None:
            return _("{condition}: cannot be computed, no {denominator} on record").format(
                condition=condition, denominator=denominator
            )
        return _("{condition}: cannot be computed, {denominator} is {value}").format(
            condition=condition, denominator=denominator, value=leaf.shown(lang).denominator
        )
    if nothing_on_record(leaf) and leaf.value is not None:
        return _("{condition}: none on record").format(condition=condition)
    shown = leaf.shown(lang)
    threshold = percent(leaf.share) if leaf.kind == "share" else shown.threshold
    wanted = _(WANTED.get(leaf.op, WANTED[">="])).format(threshold=threshold)
    missing = leaf.value is None or (leaf.kind == "share" and leaf.ratio is None)
    if missing:
        return _("{condition}: not on record, needs {wanted}").format(condition=condition, wanted=wanted)
    value = percent(leaf.ratio) if leaf.kind == "share" else shown.value
    text = _("{condition}: {value}, needs {wanted}").format(condition=condition, value=value, wanted=wanted)
    if leaf.passed or leaf.margin is None or leaf.margin == 0:
        return text
    more = leaf.op in (">=", ">")
    if leaf.kind == "share":
        points = plain_decimal(abs(Decimal(leaf.share) - Decimal(leaf.ratio)) * 100)
        words = (
            _("{points} percentage points or {amount} more")
            if more
            else _("{points} percentage points or {amount} less")
        )
        margin = words.format(points=points, amount=shown.margin)
    else:
        margin = (_("{amount} more") if more else _("{amount} less")).format(amount=shown.margin)
    return _("{sentence}: {margin}").format(sentence=text, margin=margin)


def percent(value: Any) -> str:
    """A ratio as a percentage, without trailing zeros: 0.0234 -> 2.34%, 0.030 -> 3%."""
    if value is None:
        return "—"
    return f"{plain_decimal(Decimal(value) * 100)}%"


def _period(period: str, lang: str) -> str:
    """A fiscal year is worth saying ("(2025)"); a date is the letter's own date."""
    if len(period) == 4 and period.isdigit():
        _ = _words(lang)
        return _(" ({year})").format(year=period)
    return ""


def need_item(need: Need, lang: str, sentence: Sentence = condition_sentence, lead: str = "") -> Item:
    """A need as a letter item: one sentence; several (the first on the bullet, the others below it); or
    "label — one of:" with each way under it (the first as it is, the others "or, instead"), a band's way
    saying whether it stays in the enterprise's band or moves to another."""
    _ = _words(lang)
    lead = lead + _band_lead(need, lang)
    if need.leaf is not None:
        text = sentence(need.leaf, lang)
        return Item(
            _after_lead(text, lang, lead), kind="way" if lead else "line", lead=lead, condition=need.leaf
        )
    if need.kind == "all":
        first, *rest = [need_item(part, lang, sentence) for part in need.parts]
        more = tuple(replace(item, kind="more") for item in rest)
        return replace(
            first,
            text=_after_lead(first.text, lang, lead),
            lead=lead,
            kind="way" if lead else first.kind,
            items=first.items + more,
        )
    label = punctuate(need.label_in(lang), lang)
    heading = _("{label} — one of:").format(label=label) if label else _("One of:")
    ways = [
        need_item(part, lang, sentence, "" if index == 0 else _("or, instead: "))
        for index, part in enumerate(need.parts)
    ]
    return Item(heading, kind="choice" if not lead else "way", lead=lead, items=tuple(ways))


def need_labels(need: Need, lang: str) -> list[str]:
    """A need as short labels, one per thing to change (for a list of firms): a choice is one entry naming
    its ways ("A or B + C"), a band's way saying whether it stays in the firm's band."""
    _ = _words(lang)
    if need.leaf is not None:
        labels = [punctuate(need.leaf.label_in(lang), lang)]
    elif need.kind == "all":
        labels = [label for part in need.parts for label in need_labels(part, lang)]
    else:
        plus = " + "
        ways = [plus.join(need_labels(part, lang)) for part in need.parts]
        labels = [_(" or ").join(ways)]
    lead = _band_lead(need, lang)
    if lead and labels:
        labels = [lead + " + ".join(labels)]
    return labels


def _band_lead(need: Need, lang: str) -> str:
    _ = _words(lang)
    band = punctuate(need.label_in(lang), lang)
    if need.band == "own":
        return _("in your band ({band}): ").format(band=band)
    if need.band == "other":
        return _("in the band {band}: ").format(band=band)
    return ""


def _after_lead(text: str, lang: str, lead: str) -> str:
    """After "or, instead:" a label that itself begins with "Or"/"或" drops it."""
    if not lead:
        return text
    for word in ("Or ", "or ", "或"):
        if text.startswith(word):
            text = text[len(word) :]
            break
    if lang == "en" and text[:1].isupper() and text[1:2].islower():
        text = text[0].lower() + text[1:]
    return text


# --- the parts around it ----------------------------------------------------------------------------------------


def entity_name(pack: Any, source: Source, key: str) -> dict[str, str]:
    """The entity's name by language, if its table has `name_zh` / `name_en` (or `name`) columns: {} if not."""
    table = source.tables.get(pack.entity_table)
    if table is None:
        return {}
    columns = [c for c in ("name", "name_zh", "name_en") if c in table.columns]
    if not columns:
        return {}
    rows = fetch_arrow(source, table.filter(table[pack.entity_key] == ibis.literal(key)).select(columns))
    row = rows.to_pylist()[0] if rows.num_rows else {}
    names = {"zh": row.get("name_zh") or row.get("name"), "en": row.get("name_en") or row.get("name")}
    return {lang: name for lang, name in names.items() if name}


def addressee(key: str, names: Mapping[str, str], lang: str) -> str:
    """ "上海某某有限公司（统一社会信用代码 …）" / "Shanghai X Co. (上海某某有限公司), unified social credit code …"."""
    _ = _words(lang)
    if lang == "zh":
        name = names.get("zh") or names.get("en")
        if name:
            return _("{name}, unified social credit code {key}").format(name=name, key=key)
        return _("unified social credit code {key}").format(key=key)
    name = names.get("en")
    local = names.get("zh")
    if name and local and name != local:
        name = f"{name} ({local})"
    name = name or local
    if name:
        return _("{name}, unified social credit code {key}").format(name=name, key=key)
    return _("unified social credit code {key}").format(key=key)


def heading(
    pack: Any, key: str, as_of: Any, names: Mapping[str, str], lang: str, rules: str = ""
) -> dict[str, Any]:
    """The letter's head: the pack's title, the addressee (name and key), the date, rules and rule version."""
    _ = _words(lang)
    version = pack.version[:12]
    dateline = _("As of {day} (rule version {version}).").format(day=as_of, version=version)
    if rules:
        dateline = _("As of {day}, under {rules} (rule version {version}).").format(
            day=as_of, rules=rules, version=version
        )
    return {
        "lang": lang,
        "title": (pack.label_zh or pack.label) if lang == "zh" else pack.label,
        "key": key,
        "name": names.get(lang) or names.get("zh") or names.get("en") or "",
        "addressee": _("To: {who}").format(who=addressee(key, names, lang)),
        "dateline": dateline,
        "as_of": as_of,
        "rule_version": version,
    }


def unconfirmed_section(pack: Any, paths: Iterable[str], lang: str) -> list[Section]:
    """The unconfirmed parameters behind the letter, once, in words (their descriptions), with their names."""
    paths = sorted(set(paths))
    if not paths:
        return []
    _ = _words(lang)
    items = []
    for path in paths:
        parameter = pack.parameters.parameters.get(path)
        description = ""
        if parameter is not None:
            description = parameter.description_zh if lang == "zh" and parameter.description_zh else ""
            description = punctuate(description or parameter.description, lang)
        items.append(
            _("{description} ({path})").format(description=description, path=path) if description else path
        )
    separator = "；" if lang == "zh" else "; "
    text = _(
        "Some figures above rest on parameters the issuing office has not yet confirmed: {items}. "
        "They may still change."
    ).format(items=separator.join(items))
    return [Section("unconfirmed", text)]


def unconfirmed_reads(nodes: Iterable[VariableNode], roots: Iterable[VariableNode] = ()) -> set[str]:
    """Unconfirmed parameters read anywhere under these explanation nodes, following a repeated node (a
    pointer) to where `roots` tell it in full: an amount told first inside another measure's tree still counts
    for its own."""
    full = {(n.variable, n.period): n for root in roots for n in root.walk()}
    seen: set[tuple[str, str]] = set()
    found: set[str] = set()

    def visit(node: VariableNode) -> None:
        node = full.get((node.variable, node.period), node)
        if (node.variable, node.period) in seen:
            return
        seen.add((node.variable, node.period))
        found.update(read.path for read in node.parameters if not read.confirmed)
        for child in node.inputs:
            visit(child)

    for node in nodes:
        visit(node)
    return found


def unconfirmed_leaves(leaves: Iterable[Leaf]) -> set[str]:
    """Unconfirmed parameters that are the thresholds of these conditions."""
    return {leaf.parameter.path for leaf in leaves if leaf.parameter and not leaf.parameter.confirmed}


def full_calculation(key: str, as_of: Any, lang: str) -> NextAction:
    _ = _words(lang)
    return NextAction("full_calculation", _("The full calculation, formula by formula"), key, as_of)


def reference_of(node: VariableNode | Leaf, lang: str) -> str:
    """A node's reference in `lang`, with Chinese punctuation in a Chinese letter."""
    text = (node.reference_zh or node.reference) if lang == "zh" else node.reference
    return punctuate(text, lang)


# --- the letter of any pack -------------------------------------------------------------------------------------


def letter_document(explanation: Any, lang: str = "en", names: Mapping[str, str] | None = None) -> Letter:
    _ = _words(lang)
    head = heading(explanation.pack, explanation.key, explanation.as_of, names or {}, lang)
    if not explanation.found:
        text = _("{key} is not in the registry.").format(key=explanation.key)
        return Letter(**head, sections=(Section("not_found", text),))
    notes = Notes()
    sections: list[Section] = []
    items = list(_walk(explanation.roots))
    paying = [r for r in explanation.roots if r.benefit and r.value]
    sections.append(
        Section(
            "receives",
            _("You receive:") if paying else _("You receive no support under these rules on this date."),
            tuple(
                Item(
                    _("{label}: {amount}").format(
                        label=punctuate(r.label_in(lang), lang), amount=r.shown(lang)
                    ),
                    cites=notes.cite([reference_of(r, lang)]),
                )
                for r in paying
            ),
        )
    )
    criteria = [item for item in items if item.conditions is not None]
    met = [c for c in criteria if c.conditions.passed]
    unmet = [c for c in criteria if not c.conditions.passed]
    separator = "；" if lang == "zh" else "; "
    if met:
        labels = separator.join(punctuate(c.label_in(lang), lang) for c in met)
        sections.append(Section("met", _("Criteria you meet: {items}.").format(items=labels)))
    lacking = [(c, flips.requirements(c.conditions)) for c in unmet]
    on_record = [
        c for c, needs in lacking if needs and all(nothing_on_record(x) for n in needs for x in n.leaves())
    ]
    told = [(c, needs) for c, needs in lacking if c not in on_record]
    if told:
        entries = []
        for criterion, needs in told:
            references = [reference_of(criterion, lang)]
            references += [reference_of(leaf, lang) for need in needs for leaf in need.leaves()]
            entries.append(
                Item(
                    punctuate(criterion.label_in(lang), lang),
                    cites=notes.cite(references),
                    items=tuple(need_item(need, lang) for need in needs),
                )
            )
        sections.append(
            Section("lacking", _("Criteria you do not meet yet, and what you lack:"), tuple(entries))
        )
    if on_record:
        labels = separator.join(punctuate(c.label_in(lang), lang) for c in on_record)
        sections.append(
            Section(
                "nothing_on_record",
                _(
                    "Nothing on record yet for: {items}. These start from an application or a record of the "
                    "facts they pay for."
                ).format(items=labels),
            )
        )
    shown = [leaf for _c, needs in told for need in needs for leaf in need.leaves()]
    sections += unconfirmed_section(
        explanation.pack, unconfirmed_reads(paying, explanation.roots) | unconfirmed_leaves(shown), lang
    )
    return Letter(
        **head,
        sections=tuple(sections),
        notes_heading=_("References:"),
        notes=notes.notes(),
        next_actions=(full_calculation(explanation.key, explanation.as_of, lang),),
    )


def _walk(roots: Iterable[VariableNode]) -> Iterator[VariableNode]:
    """Every variable of the tree once (a repeated node is only a pointer to the first)."""
    for root in roots:
        yield from root.walk()


__all__ = [
    "Notes",
    "addressee",
    "condition_sentence",
    "entity_name",
    "full_calculation",
    "heading",
    "letter_document",
    "need_item",
    "need_labels",
    "nothing_on_record",
    "percent",
    "reference_of",
    "unconfirmed_leaves",
    "unconfirmed_reads",
    "unconfirmed_section",
]
