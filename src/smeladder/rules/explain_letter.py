"""An explanation as a letter to the enterprise, in plain words: who it is addressed to, what it receives, which
criteria it meets, and for each one it does not, what it lacks (condition by condition, with the margin; an
alternative read as "or, instead"); references gathered as numbered notes; unconfirmed figures said once.

The letter is built from sections that a layer above may compose with its own (the ladder's letter does): the
heading, `requirements` and `condition_sentence` (what is lacking, in words), `Notes` (the references),
`unconfirmed_paragraph` and `closing`. The full tree is `Explanation.text()` (`--trace`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import ibis

from smeladder.money import plain_decimal
from smeladder.rules.backends import Source, fetch_arrow
from smeladder.rules.criteria import changes_to_flip
from smeladder.rules.explain_text import WORDS, _label

LETTER = {
    "en": {
        "to": "To: {who}",
        "code": "unified social credit code {key}",
        "as_of": "As of {day} (rule version {version}).",
        "as_of_rules": "As of {day}, under {rules} (rule version {version}).",
        "not_found": "{key} is not in the registry.",
        "receives": "You receive:",
        "receives_nothing": "You receive no support under these rules on this date.",
        "met": "Criteria you meet: {items}.",
        "unmet": "Criteria you do not meet yet, and what you lack:",
        "nothing_on_record": "Nothing on record yet for: {items}. These start from an application or a record "
        "of the facts they pay for.",
        "one_of": "{label} — one of:",
        "one_of_plain": "One of:",
        "instead": "or, instead: ",
        "notes": "References:",
        "unconfirmed": "Some figures above rest on parameters the issuing office has not yet confirmed: {items}. "
        "They may still change.",
        "trace": "The full calculation, formula by formula: smeladder explain {key} --as-of {day} --trace",
        # condition sentences
        "needs": "needs",
        "at_least": "at least",
        "above": "above",
        "at_most": "at most",
        "below": "below",
        "equal": "equal to",
        "other": "other than",
        "more": "{amount} more",
        "less": "{amount} less",
        "points": "{points} percentage points or {amount} more",
        "points_less": "{points} percentage points or {amount} less",
        "points_only": "{points} percentage points more",
        "points_only_less": "{points} percentage points less",
        "of": "of",
        "missing": "not on record",
        "none_on_record": "none on record",
        "not_met": "not met",
        "met_already": "met",
        "sep": "; ",
    },
    "zh": {
        "to": "致:{who}",
        "code": "统一社会信用代码 {key}",
        "as_of": "截至 {day}(规则版本 {version})。",
        "as_of_rules": "截至 {day},适用{rules}(规则版本 {version})。",
        "not_found": "登记库中未找到 {key}。",
        "receives": "贵企业可享受:",
        "receives_nothing": "按本规则,贵企业在该日期暂无可享受的资金支持。",
        "met": "已满足:{items}。",
        "unmet": "尚未满足的条件及差距:",
        "nothing_on_record": "以下事项尚无记录:{items}。须先提出申请或提供相关材料。",
        "one_of": "{label}(满足其一即可):",
        "one_of_plain": "满足其一即可:",
        "instead": "或者:",
        "notes": "依据:",
        "unconfirmed": "上述部分数字所依据的参数尚未经发文单位确认:{items}。可能调整。",
        "trace": "逐项计算过程:smeladder explain {key} --as-of {day} --trace",
        "needs": "要求",
        "at_least": "不低于",
        "above": "高于",
        "at_most": "不高于",
        "below": "低于",
        "equal": "等于",
        "other": "不等于",
        "more": "还差{amount}",
        "less": "需减少{amount}",
        "points": "还差{points}个百分点(约{amount})",
        "points_less": "需降低{points}个百分点(约{amount})",
        "points_only": "还差{points}个百分点",
        "points_only_less": "需降低{points}个百分点",
        "of": "占",
        "missing": "无记录",
        "none_on_record": "尚无记录",
        "not_met": "未满足",
        "met_already": "已满足",
        "sep": ";",
    },
}
OPS = {">=": "at_least", ">": "above", "<=": "at_most", "<": "below", "==": "equal", "!=": "other"}


# --- references as numbered notes ------------------------------------------------------------------------------


@dataclass
class Notes:
    """References told once each, numbered in the order the letter first cites them."""

    references: list[str] = field(default_factory=list)

    def cite(self, references: Iterable[str]) -> str:
        """ " [1, 3]" for the given references (empty ones skipped), or "" when there are none."""
        numbers = []
        for reference in references:
            if not reference:
                continue
            if reference not in self.references:
                self.references.append(reference)
            number = self.references.index(reference) + 1
            if number not in numbers:
                numbers.append(number)
        return f" [{', '.join(map(str, sorted(numbers)))}]" if numbers else ""

    def lines(self, lang: str) -> list[str]:
        if not self.references:
            return []
        return ["", LETTER[lang]["notes"], *(f"  [{n}] {r}" for n, r in enumerate(self.references, start=1))]


# --- what is lacking, condition by condition ------------------------------------------------------------------


@dataclass
class Requirement:
    """One thing a criterion still needs: a single condition (one option of one leaf), or a choice between ways
    of meeting it (an `any_of` the enterprise fails)."""

    options: list[list[dict[str, Any]]]
    label: str = ""
    label_zh: str = ""

    @property
    def is_choice(self) -> bool:
        return len(self.options) > 1

    def leaves(self) -> list[dict[str, Any]]:
        return [leaf for option in self.options for leaf in option]


def requirements(tree: Mapping[str, Any]) -> list[Requirement]:
    """What a failing condition tree lacks: every failing branch of an all-of; for a failing any-of, its ways
    in the order of the rule, each the fewest conditions that would meet it (`changes_to_flip`)."""
    if tree["passed"]:
        return []
    if tree["kind"] == "all":
        return [r for child in tree["children"] if not child["passed"] for r in requirements(child)]
    if tree["kind"] == "any":
        options = [list(changes_to_flip(child)) for child in tree["children"]]
        options = [option for option in options if option]
        if len(options) == 1:
            return [Requirement(options)]
        return [Requirement(options, tree.get("label", ""), tree.get("label_zh", ""))]
    return [Requirement([[dict(tree)]])]


def requirement_lines(
    requirement: Requirement,
    lang: str,
    prefix: str,
    indent: str,
    sentence: Callable[[dict[str, Any], str], str] | None = None,
) -> list[str]:
    """A requirement as lines: one sentence, or "label — one of:" with each way on its own line."""
    words = LETTER[lang]
    say = sentence or condition_sentence
    if not requirement.is_choice:
        option = requirement.options[0]
        first = [f"{prefix}{say(option[0], lang)}"]
        return first + [f"{indent}{say(leaf, lang)}" for leaf in option[1:]]
    label = requirement.label_zh if lang == "zh" and requirement.label_zh else requirement.label
    lines = [f"{prefix}{words['one_of'].format(label=label) if label else words['one_of_plain']}"]
    for number, option in enumerate(requirement.options):
        lead = words["instead"] if number else ""
        for position, leaf in enumerate(option):
            bullet = "- " if position == 0 else "  "
            text = say(leaf, lang)
            lines.append(f"{indent}  {bullet}{lead if position == 0 else ''}{_lower_first(text, lang, lead)}")
    return lines


def _lower_first(text: str, lang: str, lead: str) -> str:
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


def nothing_on_record(leaf: Mapping[str, Any]) -> bool:
    """A condition that only asks for an amount to exist ("more than 0 yuan") where none is recorded. A count or
    a score of 0 is a figure, not an absence: "S&T staff points: 0, needs more than 0"."""
    if leaf["kind"] == "truth" or leaf["passed"]:
        return False
    value, threshold = leaf.get("value"), leaf.get("threshold")
    if value is None:
        return True
    return (
        leaf.get("unit_type") == "money"
        and leaf.get("op") == ">"
        and threshold is not None
        and Decimal(threshold) == 0
        and Decimal(value) == 0
    )


def condition_sentence(leaf: Mapping[str, Any], lang: str) -> str:
    """One failing (or met) condition in words, with the margin: "R&D expense (2025): 2.34% of revenue, needs
    at least 3%: 0.66 percentage points or 791,704.30 yuan more"."""
    words = LETTER[lang]
    colon = ":" if lang == "zh" else ": "
    comma = "," if lang == "zh" else ", "
    label = _label(leaf, lang) or leaf.get(f"variable_label{'_zh' if lang == 'zh' else ''}", "")
    period = _period(leaf.get("period", ""), lang)
    head = f"{label}{period}"
    if leaf["kind"] == "truth":
        return f"{head}{colon}{words['met_already'] if leaf['passed'] else words['not_met']}"
    op = words[OPS.get(leaf.get("op", ">="), "at_least")]
    space = "" if lang == "zh" else " "
    if nothing_on_record(leaf) and leaf.get("value") is not None:
        return f"{head}{colon}{words['none_on_record']}"
    if leaf["kind"] == "share":
        share = percent(leaf.get("share"))
        wanted = f"{words['needs']}{space}{op}{space}{share}"
        if leaf.get("value") is None or leaf.get("ratio") is None:
            return f"{head}{colon}{words['missing']}{comma}{wanted}"
        text = f"{head}{colon}{percent(leaf['ratio'])}{comma}{wanted}"
        if leaf["passed"] or leaf.get("margin") is None:
            return text
        points = plain_decimal(abs(Decimal(leaf["share"]) - Decimal(leaf["ratio"])) * 100)
        key = "points" if leaf.get("op") in (">=", ">") else "points_less"
        return f"{text}{colon}{words[key].format(points=points, amount=leaf[f'margin_{lang}'])}"
    threshold = leaf.get(f"threshold_{lang}", "—")
    wanted = f"{words['needs']}{space}{op}{space}{threshold}"
    if leaf.get("value") is None:
        return f"{head}{colon}{words['missing']}{comma}{wanted}"
    text = f"{head}{colon}{leaf[f'value_{lang}']}{comma}{wanted}"
    margin = leaf.get(f"margin_{lang}")
    if leaf["passed"] or margin is None or (leaf.get("margin") == 0):
        return text
    key = "more" if leaf.get("op") in (">=", ">") else "less"
    return f"{text}{colon}{words[key].format(amount=margin)}"


def percent(value: Any) -> str:
    """A ratio as a percentage, without trailing zeros: 0.0234 -> 2.34%, 0.030 -> 3%."""
    if value is None:
        return "—"
    return f"{plain_decimal(Decimal(value) * 100)}%"


def _period(period: str, lang: str) -> str:
    """A fiscal year is worth saying ("(2025)"); a date is the letter's own date."""
    if len(period) == 4 and period.isdigit():
        return f"({period}年)" if lang == "zh" else f" ({period})"
    return ""


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
    """ "上海某某有限公司(统一社会信用代码 …)" / "Shanghai X Co. (上海某某有限公司), unified social credit code …"."""
    words = LETTER[lang]
    code = words["code"].format(key=key)
    if lang == "zh":
        name = names.get("zh") or names.get("en")
        return f"{name}({code})" if name else code
    name = names.get("en")
    local = names.get("zh")
    if name and local and name != local:
        name = f"{name} ({local})"
    name = name or local
    return f"{name}, {code}" if name else code


def unconfirmed_paragraph(pack: Any, paths: Iterable[str], lang: str) -> list[str]:
    """The unconfirmed parameters behind the letter, once, in words (their descriptions), with their names."""
    paths = sorted(set(paths))
    if not paths:
        return []
    items = []
    for path in paths:
        parameter = pack.parameters.parameters.get(path)
        description = ""
        if parameter is not None:
            description = parameter.description_zh if lang == "zh" and parameter.description_zh else ""
            description = description or parameter.description
        items.append(f"{description} ({path})" if description else path)
    separator = ";" if lang == "zh" else "; "
    return ["", LETTER[lang]["unconfirmed"].format(items=separator.join(items))]


def unconfirmed_reads(nodes: Iterable[Mapping[str, Any]]) -> set[str]:
    """Unconfirmed parameters read anywhere under these explanation nodes (and their condition thresholds)."""
    found: set[str] = set()
    for node in nodes:
        for read in node.get("parameters", []):
            if not read["confirmed"]:
                found.add(read["parameter"])
        found |= unconfirmed_reads(node.get("inputs", []))
    return found


def unconfirmed_leaves(leaves: Iterable[Mapping[str, Any]]) -> set[str]:
    """Unconfirmed parameters that are the thresholds of these conditions."""
    return {
        leaf["parameter"]["parameter"]
        for leaf in leaves
        if leaf.get("parameter") and not leaf["parameter"]["confirmed"]
    }


def closing(key: str, as_of: Any, lang: str) -> list[str]:
    return ["", LETTER[lang]["trace"].format(key=key, day=as_of)]


def heading(
    pack: Any, key: str, as_of: Any, names: Mapping[str, str], lang: str, rules: str = ""
) -> list[str]:
    """The pack's title, the addressee (name and key) and the date, rules and rule version."""
    words = LETTER[lang]
    label = pack.label_zh if lang == "zh" and pack.label_zh else pack.label
    day = words["as_of"].format(day=as_of, version=pack.version[:12])
    if rules:
        day = words["as_of_rules"].format(day=as_of, rules=rules, version=pack.version[:12])
    return [label, words["to"].format(who=addressee(key, names, lang)), day, ""]


# --- the letter of any pack -------------------------------------------------------------------------------------


def render_letter(explanation: Any, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
    words = LETTER[lang]
    lines = heading(explanation.pack, explanation.key, explanation.as_of, names or {}, lang)
    if not explanation.found:
        return "\n".join([*lines, words["not_found"].format(key=explanation.key)])
    notes = Notes()
    items = list(_walk(explanation.roots))
    paying = [r for r in explanation.roots if r.get("benefit") and r.get("value")]
    lines.append(words["receives"] if paying else words["receives_nothing"])
    lines += [
        f"  • {_label(item, lang)}: {item[f'value_{lang}']}{notes.cite([item['reference']])}"
        for item in paying
    ]
    criteria = [item for item in items if item.get("conditions")]
    met = [c for c in criteria if c["conditions"]["passed"]]
    unmet = [c for c in criteria if not c["conditions"]["passed"]]
    separator = ";" if lang == "zh" else "; "
    if met:
        lines += ["", words["met"].format(items=separator.join(_label(c, lang) for c in met))]
    lacking = [(c, requirements(c["conditions"])) for c in unmet]
    on_record = [
        c for c, needs in lacking if needs and all(nothing_on_record(x) for n in needs for x in n.leaves())
    ]
    told = [(c, needs) for c, needs in lacking if c not in on_record]
    if told:
        lines += ["", words["unmet"]]
        for criterion, needs in told:
            references = [criterion.get("reference", "")]
            references += [leaf.get("reference", "") for need in needs for leaf in need.leaves()]
            lines.append(f"  {_label(criterion, lang)}{notes.cite(references)}")
            for need in needs:
                lines += requirement_lines(need, lang, "    - ", "      ")
    if on_record:
        lines += [
            "",
            words["nothing_on_record"].format(items=separator.join(_label(c, lang) for c in on_record)),
        ]
    shown = [leaf for _, needs in told for need in needs for leaf in need.leaves()]
    lines += unconfirmed_paragraph(
        explanation.pack, unconfirmed_reads(paying) | unconfirmed_leaves(shown), lang
    )
    lines += notes.lines(lang)
    lines += closing(explanation.key, explanation.as_of, lang)
    return "\n".join(lines)


def _walk(roots: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every variable of the tree once (a repeated node is only a pointer to the first)."""
    for item in roots:
        if item.get("repeated"):
            continue
        yield item
        yield from _walk(item.get("inputs", []))


__all__ = [
    "LETTER",
    "WORDS",
    "Notes",
    "Requirement",
    "addressee",
    "closing",
    "condition_sentence",
    "entity_name",
    "heading",
    "nothing_on_record",
    "percent",
    "render_letter",
    "requirement_lines",
    "requirements",
    "unconfirmed_leaves",
    "unconfirmed_paragraph",
    "unconfirmed_reads",
]
