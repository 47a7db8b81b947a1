"""An explanation as a letter to the enterprise: what it receives, which conditions it meets, and, for each one
it does not, the failing conditions with the value, the threshold, the margin and the article. The full tree
(formulas, every input) is `Explanation.text()`; this is what an officer would send."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from smeladder.rules.explain_text import WORDS, _conditions, _label

LETTER = {
    "en": {
        "to": "Explanation for enterprise",
        "as_of": "as of",
        "not_found": "This enterprise is not in the registry.",
        "receives": "You receive:",
        "receives_nothing": "You receive no support under these rules on this date.",
        "met": "Conditions you meet:",
        "unmet": "Conditions you do not meet yet, and what is lacking:",
        "unconfirmed": "Figures marked UNCONFIRMED come from parameters not yet confirmed by the issuing office: ",
        "trace": "The full calculation, formula by formula: add --trace.",
    },
    "zh": {
        "to": "致企业",
        "as_of": "截至",
        "not_found": "登记库中未找到该企业。",
        "receives": "贵企业可享受:",
        "receives_nothing": "按本规则,贵企业在该日期暂无可享受的资金支持。",
        "met": "已满足的条件:",
        "unmet": "尚未满足的条件及差距:",
        "unconfirmed": "标注“未确认”的数字来自尚未经发文单位确认的参数:",
        "trace": "逐项计算过程:加 --trace 查看。",
    },
}


def render_letter(explanation: Any, lang: str = "en") -> str:
    words = LETTER[lang]
    pack = explanation.pack
    lines = [
        pack.label_zh if lang == "zh" else pack.label,
        f"{words['to']} {explanation.key}({words['as_of']} {explanation.as_of})"
        if lang == "zh"
        else f"{words['to']} {explanation.key} ({words['as_of']} {explanation.as_of})",
        "",
    ]
    if not explanation.found:
        return "\n".join([*lines, words["not_found"]])
    items = list(_walk(explanation.roots))
    paying = [r for r in explanation.roots if r.get("benefit") and r.get("value")]
    lines.append(words["receives"] if paying else words["receives_nothing"])
    lines += [f"  • {_label(item, lang)}: {item[f'value_{lang}']}" for item in paying]
    criteria = [item for item in items if item.get("conditions")]
    met = [c for c in criteria if c["conditions"]["passed"]]
    unmet = [c for c in criteria if not c["conditions"]["passed"]]
    if met:
        lines += ["", words["met"], *(f"  ✓ {_label(c, lang)} [{c['period']}]" for c in met)]
    if unmet:
        lines += ["", words["unmet"]]
        for criterion in unmet:
            lines.append(f"  ✗ {_label(criterion, lang)} [{criterion['period']}]")
            _conditions(_failing_only(criterion["conditions"]), lines, "      ", lang)
    unconfirmed = sorted(
        {read["parameter"] for item in items for read in item.get("parameters", []) if not read["confirmed"]}
    )
    if unconfirmed:
        lines += ["", words["unconfirmed"] + ", ".join(unconfirmed)]
    lines += ["", words["trace"]]
    return "\n".join(lines)


def _walk(roots: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every variable of the tree once (a repeated node is only a pointer to the first)."""
    for item in roots:
        if item.get("repeated"):
            continue
        yield item
        yield from _walk(item.get("inputs", []))


def _failing_only(node: dict[str, Any]) -> dict[str, Any]:
    """The condition tree pruned to its failing branches: what the enterprise lacks, not what it has."""
    if node["kind"] not in ("all", "any"):
        return node
    return {**node, "children": [_failing_only(c) for c in node["children"] if not c["passed"]]}


__all__ = ["WORDS", "render_letter"]
