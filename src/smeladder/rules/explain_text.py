"""An explanation as indented text (`--trace`), in English or Chinese: every variable with its value, formula,
parameters and inputs, each criterion's conditions with outcome and margin, and what would flip it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from smeladder import messages
from smeladder.money import format_money, is_currency
from smeladder.rules.explain_nodes import Group, Leaf, Need, Outcome, ParameterRead, VariableNode
from smeladder.rules.text import punctuate

SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
MARKS = {Outcome.MET: "✓", Outcome.NOT_MET: "✗", Outcome.UNCOMPUTABLE: "?"}


def render(explanation: Any, lang: str = "en") -> str:
    """An `explain.Explanation` as the trace."""
    pack = explanation.pack
    title = pack.label_zh if lang == "zh" and pack.label_zh else pack.label
    return render_tree(title, explanation.key, explanation.as_of, explanation.roots, lang, explanation.found)


def render_tree(
    title: str, key: str, as_of: Any, roots: Iterable[VariableNode], lang: str = "en", found: bool = True
) -> str:
    _ = messages.for_language(lang).gettext
    lines = [_("{title} — {key}, as of {day}").format(title=title, key=key, day=as_of)]
    if not found:
        lines.append("  " + _("{key}: not found in the registry").format(key=key))
    for root in roots:
        _node(root, lines, "", lang)
    return "\n".join(lines)


def _node(item: VariableNode, lines: list[str], indent: str, lang: str) -> None:
    _ = messages.for_language(lang).gettext
    period = "" if item.period == "eternal" else f" [{item.period}]"
    head = f"{indent}{punctuate(item.label_in(lang), lang)} ({item.variable}){period}: {item.shown(lang)}"
    if item.repeated:
        lines.append(head + " " + _("(see above)"))
        return
    if item.source:
        head += f"  ← {item.source}"
        if item.default is not None:
            head += " " + _("(empty reads as {value})").format(value=item.default)
    if item.reference_in(lang):
        head += f"  [{punctuate(item.reference_in(lang), lang)}]"
    lines.append(head)
    inner = indent + "    "
    if item.formula:
        formula = item.formula
        where = f"{formula.file.rsplit('/', 1)[-1]}:{formula.line}"
        text = _("formula: {where}").format(where=where)
        if formula.since:
            text = _("formula: {where}, since {day}").format(where=where, day=formula.since)
        if formula.not_in_force_before:
            text = _("not in force before {day}").format(day=formula.not_in_force_before)
        lines.append(f"{inner}{text}")
    for read in item.parameters:
        lines.append(f"{inner}{_parameter(read, lang)}")
    if item.conditions is not None:
        _conditions(item.conditions, lines, inner, lang)
        if item.to_flip is not None:
            flip = _("To flip the outcome: {need}").format(need=need_text(item.to_flip, lang))
            lines.append(f"{inner}→ {flip}")
    for child in item.inputs:
        _node(child, lines, inner, lang)


def _parameter(read: ParameterRead, lang: str) -> str:
    _ = messages.for_language(lang).gettext
    value = f"{read.value} {read.unit}"
    if is_currency(read.unit):
        # A money parameter may also be a points table in yuan (bands): only plain amounts are formatted.
        with contextlib.suppress(ArithmeticError):
            value = format_money(Decimal(read.value), read.unit, lang)
    text = _("parameter {path} = {value} ({how}; since {since}) [{references}]").format(
        path=read.path,
        value=value,
        how=read.how,
        since=", ".join(read.since),
        references=punctuate(read.reference_text(lang), lang),
    )
    return text if read.confirmed else text + " ⚠ " + _("UNCONFIRMED")


def margin_text(leaf: Leaf, lang: str) -> str:
    """ "short by 800,000.00 yuan", "margin 2 years", or "cannot be computed"."""
    _ = messages.for_language(lang).gettext
    if leaf.outcome is Outcome.UNCOMPUTABLE:
        return _("cannot be computed")
    margin = leaf.shown(lang).margin or str(leaf.margin)
    if leaf.passed:
        return _("margin {amount}").format(amount=margin)
    if leaf.op in (">=", ">"):
        return _("short by {amount}").format(amount=margin)
    return _("over by {amount}").format(amount=margin)


def need_text(need: Need, lang: str) -> str:
    """A need on one line: "A (short by …); B", a choice as "one of: A | B"."""
    _ = messages.for_language(lang).gettext
    separator = "；" if lang == "zh" else "; "
    if need.leaf is not None:
        leaf = need.leaf
        text = punctuate(leaf.label_in(lang), lang)
        if leaf.margin is not None or leaf.outcome is Outcome.UNCOMPUTABLE:
            text = f"{text} ({margin_text(leaf, lang)})"
    elif need.kind == "all":
        text = separator.join(need_text(part, lang) for part in need.parts)
    else:
        text = _("one of: {ways}").format(ways=" | ".join(need_text(part, lang) for part in need.parts))
    if need.band == "own":
        return _("in its own band ({band}): {need}").format(
            band=punctuate(need.label_in(lang), lang), need=text
        )
    if need.band == "other":
        return _("moving to the band {band}: {need}").format(
            band=punctuate(need.label_in(lang), lang), need=text
        )
    return text


def _conditions(node: Leaf | Group, lines: list[str], indent: str, lang: str) -> None:
    _ = messages.for_language(lang).gettext
    mark = MARKS[node.outcome]
    if isinstance(node, Group):
        title = punctuate(node.label_in(lang), lang)
        words = {
            "all": _("all of"),
            "any": _("any of"),
            "bands": _("the conditions of its band"),
            "band": _("the band and its conditions"),
        }[node.mode]
        lines.append(f"{indent}{mark} {title + ': ' if title else ''}{words}")
        for index, child in enumerate(node.children):
            if node.mode == "bands" and index == node.own_band:
                lines.append(indent + "    " + _("(its own band:)"))
            _conditions(child, lines, indent + "    ", lang)
        return
    verdict = {
        Outcome.MET: _("met"),
        Outcome.NOT_MET: _("not met"),
        Outcome.UNCOMPUTABLE: _("cannot be computed"),
    }[node.outcome]
    label = punctuate(node.label_in(lang), lang)
    var_label = node.variable_label_zh if lang == "zh" else node.variable_label
    shown = node.shown(lang)
    if node.kind == "truth":
        expected = _("yes") if node.expected else _("no")
        needs = _("(needs {expected})").format(expected=expected)
        detail = f"{var_label} [{node.period}] = {shown.value} {needs}"
    elif node.kind == "share":
        ratio = f" = {node.ratio * 100:.2f}%" if node.ratio is not None else ""
        share = node.share if node.share is not None else Decimal(0)
        needs = _("needs {condition}").format(
            condition=f"{SYMBOLS[node.op]} {share * 100:.2f}% = {shown.threshold}"
        )
        detail = f"{var_label} [{node.period}] {shown.value}{ratio}; {needs}"
        if node.outcome is Outcome.UNCOMPUTABLE:
            detail = _("{numerator} [{period}] of {denominator}: {denominator} is {value}").format(
                numerator=var_label,
                period=node.period,
                denominator=node.denominator,
                value=node.denominator_value,
            )
    else:
        detail = f"{var_label} [{node.period}] {shown.value} {SYMBOLS[node.op]} {shown.threshold}"
    margin = ""
    if node.margin is not None and node.outcome is not Outcome.UNCOMPUTABLE:
        margin = f" — {margin_text(node, lang)}"
    reference = node.reference_zh or node.reference if lang == "zh" else node.reference
    reference = f" [{punctuate(reference, lang)}]" if reference else ""
    flag = " ⚠ " + _("UNCONFIRMED") if node.parameter and not node.parameter.confirmed else ""
    lines.append(f"{indent}{mark} {label}: {detail}: {verdict}{margin}{reference}{flag}")
