"""The officer's letter of a pack with a ladder, in Chinese or English: to whom and under which rules, the titles
held (with expiry), what the enterprise receives this round (measure by measure), the apply-mode measures it
could still apply for (and what to prepare), what it lacks for the next rung (condition by condition, with the
margin; alternatives as alternatives), the other designations, unconfirmed figures said once, references as
numbered notes, and where to find the full calculation.

It is the engine's letter (smeladder.rules.explain_letter: heading, sentences, notes, closing) composed with
the ladder's readiness (readiness.py); `smeladder explain` and `smeladder readiness` both print it.
"""

from __future__ import annotations

from typing import Any

from smeladder import money
from smeladder.ladder.readiness import Readiness
from smeladder.policy_guide.content import ENTRIES
from smeladder.rules.explain_letter import (
    Notes,
    closing,
    condition_sentence,
    heading,
    percent,
    requirement_lines,
    unconfirmed_paragraph,
)

WORDS = {
    "en": {
        "rules": "the {rules} ladder rules and the Several Measures (2025)",
        "not_found": "We could not find {key} in the registry.",
        "excluded": "Your enterprise is currently excluded from support (a dishonesty or abnormal-operations listing, "
        "or a major violation in the last 3 years). Until that ends, no title or payment can be granted.",
        "holds": "Titles you hold: {titles}.",
        "holds_none": "You hold no title on the ladder yet.",
        "valid_to": "valid to {day}",
        "support": "This round you receive:",
        "support_none": "This round you qualify for no money measure.",
        "listing": "a listing, not money",
        "no_money": "No money measure pays you this round.",
        "auto": "Automatic measures are paid without an application; apply-mode amounts follow your application.",
        "could_apply": "You could also apply for these measures (no application is on file):",
        "next_met": "You already meet the criteria of the next rung, {rung}{notes}. You may apply for the designation.",
        "next": "To reach the next rung, {rung}{notes}, you still need:",
        "top": "You have reached the top of the ladder open to you.",
        "designations": "Other designations:",
        "designation_met": "{name}{notes}: you meet the criteria; you may apply.",
        "designations_unmet": "You do not meet the criteria of: {names} (the conditions: --trace).",
        "growth": "{label} is {rate}, below {threshold}",
        "growth_label": "2-year average main-business growth",
    },
    "zh": {
        "rules": "{rules}年梯度培育标准及《若干措施》",
        "not_found": "登记库中未找到 {key}。",
        "excluded": "贵企业目前属于不予支持情形(列入严重失信或经营异常名录,或近三年有重大违法违规),在此期间不能认定称号或兑现资金。",
        "holds": "现有称号:{titles}。",
        "holds_none": "目前尚无梯度培育称号。",
        "valid_to": "有效期至 {day}",
        "support": "本轮可享受:",
        "support_none": "本轮暂无可享受的资金支持。",
        "listing": "列入名单(非资金)",
        "no_money": "本轮暂无资金支持。",
        "auto": "免申即享事项无需申请;申请类事项金额以申请材料为准。",
        "could_apply": "贵企业还可申请以下事项(目前尚无申请记录):",
        "next_met": "贵企业已满足下一梯度({rung}){notes}的认定条件,可申报认定。",
        "next": "迈向下一梯度({rung}){notes},尚需:",
        "top": "贵企业已达到可申报的最高梯度。",
        "designations": "其他称号:",
        "designation_met": "{name}{notes}:已满足条件,可申报。",
        "designations_unmet": "尚不符合以下称号的条件:{names}(逐项条件见 --trace)。",
        "growth": "{label}为{rate},低于{threshold}",
        "growth_label": "近两年主营业务收入平均增长率",
    },
}
PREPARE = {entry.id: (entry.prepare_en, entry.prepare_zh) for entry in ENTRIES}


def render_letter(report: Readiness, pack: Any, lang: str = "zh") -> str:
    """The letter of `report`, computed with `pack` (its title, rule version and parameter descriptions)."""
    words = WORDS[lang]
    rules = words["rules"].format(rules=report.rule_set)
    lines = heading(pack, report.key, report.as_of, report.names, lang, rules)
    if not report.found:
        lines.append(words["not_found"].format(key=report.key))
        return "\n".join(lines)
    notes = Notes()
    if report.excluded:
        lines += [words["excluded"], ""]
    lines += [_titles(report, lang), ""]
    lines += _support(report, notes, lang)
    lines += _could_apply(report, notes, lang)
    lines += _next_rung(report, notes, lang)
    lines += _designations(report, notes, lang)
    lines += unconfirmed_paragraph(pack, report.unconfirmed, lang)
    lines += notes.lines(lang)
    lines += closing(report.key, report.as_of, lang)
    return "\n".join(lines)


def _titles(report: Readiness, lang: str) -> str:
    words = WORDS[lang]
    named = [(rung, report.rung_label(rung, lang)) for rung in report.titles]
    named += [(en, zh if lang == "zh" else en) for en, zh in report.other_titles]
    shown = []
    for key, label in named:
        ends = report.expiry.get(key)
        if ends:
            valid = words["valid_to"].format(day=ends)
            label = f"{label}({valid})" if lang == "zh" else f"{label} ({valid})"
        shown.append(label)
    separator = "、" if lang == "zh" else ", "
    return words["holds"].format(titles=separator.join(shown)) if shown else words["holds_none"]


def _support(report: Readiness, notes: Notes, lang: str) -> list[str]:
    words = WORDS[lang]
    money_items = [item for item in report.support if item.amount is not None]
    if not report.support:
        return [words["support_none"]]
    lines = [words["support"]]
    for item in report.support:
        name = item.name_zh if lang == "zh" else item.name_en
        amount = money.format_yuan(item.amount, lang) if item.amount is not None else words["listing"]
        colon = ":" if lang == "zh" else ": "
        lines.append(f"  • {item.measure} {name}{notes.cite([item.reference])}{colon}{amount}")
    lines.append(f"  {words['auto'] if money_items else words['no_money']}")
    return lines


def _could_apply(report: Readiness, notes: Notes, lang: str) -> list[str]:
    if not report.could_apply:
        return []
    words = WORDS[lang]
    lines = ["", words["could_apply"]]
    for item in report.could_apply:
        name = item.name_zh if lang == "zh" else item.name_en
        prepare = PREPARE.get(item.measure, ("", ""))[lang == "zh"]
        colon = ":" if lang == "zh" else ": "
        lines.append(
            f"  • {item.measure} {name}{notes.cite([item.reference])}{colon + prepare if prepare else ''}"
        )
    return lines


def _next_rung(report: Readiness, notes: Notes, lang: str) -> list[str]:
    words = WORDS[lang]
    if report.next_rung is None:
        return ["", words["top"]]
    rung = report.rung_label(report.next_rung, lang)
    if report.next_rung_met:
        return ["", words["next_met"].format(rung=rung, notes=notes.cite([report.next_reference]))]
    references = [
        report.next_reference,
        *(leaf.get("reference", "") for n in report.needs for leaf in n.leaves()),
    ]
    lines = ["", words["next"].format(rung=rung, notes=notes.cite(references))]
    for number, need in enumerate(report.needs, start=1):
        lines += requirement_lines(need, lang, f"  {number}. ", "     ", sentence=leaf_sentence)
    return lines


def _designations(report: Readiness, notes: Notes, lang: str) -> list[str]:
    if not report.designations:
        return []
    words = WORDS[lang]
    lines = ["", words["designations"]]
    for item in report.designations:
        if item.met:
            name = item.name_zh if lang == "zh" else item.name_en
            lines.append(
                f"  {words['designation_met'].format(name=name, notes=notes.cite([item.reference]))}"
            )
    unmet = [
        item.name_zh if lang == "zh" else item.name_en.lower() for item in report.designations if not item.met
    ]
    if unmet:
        lines.append(
            f"  {words['designations_unmet'].format(names=('、' if lang == 'zh' else ', ').join(unmet))}"
        )
    return lines


def leaf_sentence(leaf: dict[str, Any], lang: str) -> str:
    """The engine's sentence, except for a yes/no condition computed over several years, which is said with the
    rate behind it ("2-year average main-business growth is -3.99%, below 5%")."""
    words = WORDS[lang]
    if (
        leaf.get("kind") == "truth"
        and leaf.get("shown_rate") is not None
        and leaf.get("shown_against") is not None
    ):
        return words["growth"].format(
            label=words["growth_label"],
            rate=percent(leaf["shown_rate"]),
            threshold=percent(leaf["shown_against"]),
        )
    return condition_sentence(leaf, lang)
