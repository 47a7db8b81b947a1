"""Readiness as an officer's letter, in Chinese or English: what the enterprise holds, what it receives, and
what it lacks for the next rung, each shortfall with its margin. Unconfirmed figures are flagged."""

from __future__ import annotations

from decimal import Decimal

from smeladder import money
from smeladder.ladder.readiness import Readiness, Shortfall

WORDS = {
    "en": {
        "title": "Support and readiness for {key}, as of {day} ({rules} ladder rules in force)",
        "not_found": "We could not find {key} in the registry.",
        "excluded": "Your enterprise is currently excluded from support (a dishonesty or abnormal-operations listing, "
        "or a major violation in the last 3 years). Until that ends, no title or payment can be granted.",
        "holds": "Titles you hold: {titles}.",
        "holds_none": "You hold no title on the ladder yet.",
        "support": "This round you qualify for:",
        "support_none": "This round you qualify for no money measure.",
        "auto": "Automatic measures are paid without an application; apply-mode amounts follow your application.",
        "next_met": "You already meet the criteria of the next rung, {rung}. You may apply for the designation.",
        "next": "To reach the next rung, {rung}, you still need:",
        "top": "You have reached the top of the ladder open to you.",
        "more": "{amount} more",
        "less": "{amount} less",
        "points": "{points} percentage points or {amount} more",
        "points_less": "{points} percentage points or {amount} less",
        "needs": "needs",
        "at_least": "at least",
        "at_most": "at most",
        "above": "above",
        "below": "below",
        "yes": "yes",
        "no": "no",
        "missing": "not on record",
        "unconfirmed": "Figures marked * come from parameters not yet confirmed by the issuing office: {names}.",
        "yuan": "yuan",
    },
    "zh": {
        "title": "{key} 的支持与梯度培育情况(截至 {day},适用{rules}年梯度培育标准)",
        "not_found": "登记库中未找到 {key}。",
        "excluded": "贵企业目前属于不予支持情形(列入严重失信或经营异常名录,或近三年有重大违法违规),在此期间不能认定称号或兑现资金。",
        "holds": "现有称号:{titles}。",
        "holds_none": "目前尚无梯度培育称号。",
        "support": "本轮可享受:",
        "support_none": "本轮暂无可享受的资金支持。",
        "auto": "免申即享事项无需申请;申请类事项金额以申请材料为准。",
        "next_met": "贵企业已满足下一梯度({rung})的认定条件,可申报认定。",
        "next": "迈向下一梯度({rung}),尚需:",
        "top": "贵企业已达到可申报的最高梯度。",
        "more": "还差 {amount}",
        "less": "需减少 {amount}",
        "points": "还差 {points} 个百分点(约 {amount})",
        "points_less": "需降低 {points} 个百分点(约 {amount})",
        "needs": "要求",
        "at_least": "不低于",
        "at_most": "不高于",
        "above": "高于",
        "below": "低于",
        "yes": "是",
        "no": "否",
        "missing": "无记录",
        "unconfirmed": "标 * 的数字来自尚未经发文单位确认的参数:{names}。",
        "yuan": "元",
    },
}
OPS = {">=": "at_least", ">": "above", "<=": "at_most", "<": "below"}


def render_letter(report: Readiness, lang: str = "zh") -> str:
    words = WORDS[lang]
    lines = [words["title"].format(key=report.key, day=report.as_of, rules=report.rule_set), ""]
    if not report.found:
        lines.append(words["not_found"].format(key=report.key))
        return "\n".join(lines)
    if report.excluded:
        lines += [words["excluded"], ""]
    titles = [report.rung_label(rung, lang) for rung in report.titles]
    titles += [zh if lang == "zh" else en for en, zh in report.other_titles]
    separator = "、" if lang == "zh" else ", "
    lines.append(words["holds"].format(titles=separator.join(titles)) if titles else words["holds_none"])
    lines.append("")
    if report.support:
        lines.append(words["support"])
        for item in report.support:
            name = item.name_zh if lang == "zh" else item.name_en
            lines.append(f"  - {item.measure} {name}: {money.format_yuan(item.amount, lang)}")
        lines.append(f"  {words['auto']}")
    else:
        lines.append(words["support_none"])
    lines.append("")
    if report.next_rung is None:
        lines.append(words["top"])
    elif report.next_rung_met:
        lines.append(words["next_met"].format(rung=report.rung_label(report.next_rung, lang)))
    else:
        lines.append(words["next"].format(rung=report.rung_label(report.next_rung, lang)))
        for number, shortfall in enumerate(report.shortfalls, start=1):
            lines.append(f"  {number}. {shortfall_sentence(shortfall, lang)}")
    if report.unconfirmed:
        lines += ["", words["unconfirmed"].format(names=", ".join(report.unconfirmed))]
    return "\n".join(lines)


def shortfall_sentence(item: Shortfall, lang: str) -> str:
    words = WORDS[lang]
    label = item.label_zh if lang == "zh" else item.label_en
    star = "" if item.confirmed else "*"
    period = (
        f" ({item.period})" if item.period and item.period[:4].isdigit() and len(item.period) == 4 else ""
    )
    if item.kind == "truth":
        shown = words["missing"] if item.value is None else (words["yes"] if item.value else words["no"])
        wanted = words["yes"] if item.threshold else words["no"]
        rate = f" ({Decimal(item.shown_rate) * 100:.2f}%)" if item.shown_rate is not None else ""
        return f"{label}{period}: {shown}{rate}; {words['needs']} {wanted}"
    op = words[OPS.get(item.op, "at_least")]
    if item.kind == "share":
        ratio = "—" if item.ratio is None else f"{Decimal(item.ratio) * 100:.2f}%"
        share = f"{Decimal(item.share) * 100:.2f}%"
        if item.value is None:
            return f"{label}{period}: {words['missing']}; {words['needs']} {op} {share}{star}"
        gap = None
        if item.ratio is not None:
            gap = abs(Decimal(item.share) - Decimal(item.ratio)) * 100
        amount = _amount(item.margin, "money", lang)
        if gap is not None and item.margin is not None:
            key = "points" if item.op in (">=", ">") else "points_less"
            extra = words[key].format(points=f"{gap:.2f}", amount=amount)
        else:
            extra = ""
        return f"{label}{period}: {ratio}; {words['needs']} {op} {share}{star}" + (
            f": {extra}" if extra else ""
        )
    value = words["missing"] if item.value is None else _amount(item.value, item.unit, lang)
    threshold = _amount(item.threshold, item.unit, lang)
    text = f"{label}{period}: {value}; {words['needs']} {op} {threshold}{star}"
    if item.margin is not None and item.value is not None:
        key = "more" if item.op in (">=", ">") else "less"
        text += f": {words[key].format(amount=_amount(item.margin, item.unit, lang))}"
    return text


def _amount(value, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    if unit == "money":
        return money.format_yuan(money.to_fen(Decimal(value)), lang)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value)
