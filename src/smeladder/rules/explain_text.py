"""An explanation as indented text, in English or Chinese: what the enterprise gets, why, and what it lacks."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

from smeladder.money import format_money, is_currency
from smeladder.rules.parameters import Reference

WORDS = {
    "en": {
        "as_of": "as of",
        "not_found": "not found in the registry",
        "yes": "yes",
        "no": "no",
        "passed": "met",
        "failed": "not met",
        "short": "short by",
        "over": "over by",
        "room": "margin",
        "all": "all of",
        "any": "any of",
        "needs": "To flip the outcome",
        "unconfirmed": "UNCONFIRMED",
        "formula": "formula",
        "since": "since",
        "see_above": "(see above)",
        "of": "of",
        "needs_share": "needs",
        "default": "empty reads as",
        "param": "parameter",
    },
    "zh": {
        "as_of": "截至",
        "not_found": "登记库中未找到",
        "yes": "是",
        "no": "否",
        "passed": "符合",
        "failed": "不符合",
        "short": "差",
        "over": "超出",
        "room": "余量",
        "all": "以下全部满足",
        "any": "以下任一满足",
        "needs": "改变结果所需",
        "unconfirmed": "未确认",
        "formula": "公式",
        "since": "自",
        "see_above": "(见上)",
        "of": "占",
        "needs_share": "需",
        "default": "为空时取",
        "param": "参数",
    },
}
SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}


def render(explanation: Any, lang: str = "en") -> str:
    words = WORDS[lang]
    lines = [
        f"{explanation.pack.label_zh if lang == 'zh' else explanation.pack.label} — {explanation.key}, "
        f"{words['as_of']} {explanation.as_of}"
    ]
    if not explanation.found:
        lines.append(f"  {explanation.key}: {words['not_found']}")
    for root in explanation.roots:
        _node(root, lines, "", lang)
    return "\n".join(lines)


def _label(item: dict[str, Any], lang: str) -> str:
    return item.get("label_zh") if lang == "zh" and item.get("label_zh") else item.get("label", "")


def _node(item: dict[str, Any], lines: list[str], indent: str, lang: str) -> None:
    words = WORDS[lang]
    value = item[f"value_{lang}"]
    period = "" if item["period"] == "eternal" else f" [{item['period']}]"
    head = f"{indent}{_label(item, lang)} ({item['variable']}){period}: {value}"
    if item.get("repeated"):
        lines.append(f"{head} {words['see_above']}")
        return
    if item.get("source"):
        head += f"  ← {item['source']}"
        if item.get("default") is not None:
            head += f" ({words['default']} {item['default']})"
    if item.get("reference"):
        head += f"  [{item['reference']}]"
    lines.append(head)
    inner = indent + "    "
    if item.get("formula"):
        formula = item["formula"]
        since = f", {words['since']} {formula['since']}" if formula["since"] else ""
        lines.append(
            f"{inner}{words['formula']}: {formula['file'].rsplit('/', 1)[-1]}:{formula['line']}{since}"
        )
    for read in item.get("parameters", []):
        lines.append(f"{inner}{_parameter(read, lang)}")
    if item.get("conditions"):
        _conditions(item["conditions"], lines, inner, lang)
        flips = item.get("to_flip") or []
        if flips:
            parts = [
                f"{_label(f, lang)}" + (f" ({_margin_word(f, lang)})" if f.get("margin") is not None else "")
                for f in flips
            ]
            lines.append(f"{inner}→ {words['needs']}: " + "; ".join(parts))
    for child in item.get("inputs", []):
        _node(child, lines, inner, lang)


def _parameter(read: dict[str, Any], lang: str) -> str:
    words = WORDS[lang]
    refs = references_text(read["references"])
    flag = "" if read["confirmed"] else f" ⚠ {words['unconfirmed']}"
    since = ", ".join(read["since"])
    value = f"{read['value']} {read['unit']}"
    if is_currency(read["unit"]):
        # A money parameter may also be a points table in yuan (bands): only plain amounts are formatted.
        with contextlib.suppress(ArithmeticError):
            value = format_money(Decimal(read["value"]), read["unit"], lang)
    return f"{words['param']} {read['parameter']} = {value} ({read['how']}; {words['since']} {since}) [{refs}]{flag}"


def references_text(references: list[dict[str, str]]) -> str:
    """References in their JSON form (`Resolved.to_json`) as one line: "Order 1, Art. 2; Order 9"."""
    return "; ".join(str(Reference(**reference)) for reference in references)


def _margin_word(leaf: dict[str, Any], lang: str) -> str:
    words = WORDS[lang]
    margin = leaf.get(f"margin_{lang}") or str(leaf.get("margin"))
    op = leaf.get("op", ">=")
    if leaf.get("passed"):
        return f"{words['room']} {margin}"
    return f"{words['short'] if op in ('>=', '>') else words['over']} {margin}"


def _conditions(node: dict[str, Any], lines: list[str], indent: str, lang: str) -> None:
    words = WORDS[lang]
    mark = "✓" if node["passed"] else "✗"
    if node["kind"] in ("all", "any"):
        title = _label(node, lang)
        lines.append(f"{indent}{mark} {title + ': ' if title else ''}{words[node['kind']]}")
        for child in node["children"]:
            _conditions(child, lines, indent + "    ", lang)
        return
    verdict = words["passed"] if node["passed"] else words["failed"]
    label = _label(node, lang)
    var_label = node.get("variable_label_zh") if lang == "zh" else node.get("variable_label")
    value = node[f"value_{lang}"]
    if node["kind"] == "truth":
        expected = words["yes"] if node["expected"] else words["no"]
        detail = f"{var_label} [{node['period']}] = {value} ({words['needs_share']} {expected})"
    elif node["kind"] == "share":
        share = node.get("share")
        ratio = node.get("ratio")
        ratio_text = f" = {ratio * 100:.2f}%" if ratio is not None else ""
        detail = (
            f"{var_label} [{node['period']}] {value}{ratio_text}; {words['needs_share']} "
            f"{SYMBOLS[node['op']]} {share * 100:.2f}% = {node[f'threshold_{lang}']}"
        )
    else:
        detail = f"{var_label} [{node['period']}] {value} {SYMBOLS[node['op']]} {node[f'threshold_{lang}']}"
    margin = f" — {_margin_word(node, lang)}" if node.get("margin") is not None else ""
    reference = f" [{node['reference']}]" if node.get("reference") else ""
    flag = ""
    if node.get("parameter") and not node["parameter"]["confirmed"]:
        flag = f" ⚠ {words['unconfirmed']}"
    lines.append(f"{indent}{mark} {label}: {detail}: {verdict}{margin}{reference}{flag}")
