"""Text a pack writes (labels, references, descriptions), made fit for a Chinese sentence: full-width
punctuation (,;:() and straight quotes become ，；：（）“”), except inside numbers, dates, times and codes
("1,000", "2026-05-01", "06:34", "M1.2a"). The catalogue's own Chinese is written full-width already."""

from __future__ import annotations

import re

_PAIRS = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
# A comma or colon between two digits belongs to a number or a time.
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[,:](?=\d)")
_PUNCTUATION = re.compile(r"\s*([,;:()!?])\s*")
_QUOTED = re.compile(r'"([^"]*)"')


def punctuate(text: str, lang: str) -> str:
    """`text` with Chinese punctuation when `lang` is zh; unchanged otherwise."""
    if lang != "zh" or not text:
        return text
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _BETWEEN_DIGITS.sub(keep, text)
    text = _QUOTED.sub(lambda m: f"“{m.group(1)}”", text)
    text = _PUNCTUATION.sub(lambda m: _PAIRS[m.group(1)], text)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
