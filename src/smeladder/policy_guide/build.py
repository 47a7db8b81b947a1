"""Build the guide from the pack: entries as data (for the web), Markdown in zh and en (for docs/guide/)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from smeladder import money
from smeladder.policy_guide.content import COMMON, DISTRICT_EXAMPLE, ENTRIES, Entry
from smeladder.rules.explain_letter import percent
from smeladder.rules.pack import Pack
from smeladder.rules.parameters import Bands, Parameter

LANGS = ("zh", "en")


def guide_entries(pack: Pack, as_of: dt.date, lang: str) -> list[dict[str, Any]]:
    """One dict per measure: the texts in `lang` with the figures in force on `as_of`, and the metadata."""
    words = COMMON[lang]
    entries = []
    for entry in ENTRIES:
        values, unconfirmed = _figures(pack, entry.id, as_of, lang)
        mode = _text(pack, f"{entry.id}.delivery_mode", as_of)
        group = _text(pack, f"{entry.id}.stacking_group", as_of)
        entries.append(
            {
                "id": entry.id,
                "variable": entry.variable,
                "title": entry.title_zh if lang == "zh" else entry.title_en,
                "who": _fill(entry.who_zh if lang == "zh" else entry.who_en, values),
                "amount": _fill(entry.amount_zh if lang == "zh" else entry.amount_en, values),
                "delivery_mode": mode,
                "delivery": words["auto"] if mode == "auto" else words["apply"],
                "prepare": entry.prepare_zh if lang == "zh" else entry.prepare_en,
                "stacking_group": group,
                "not_combined_with": words["groups"].get(group or "", ""),
                "budget": _text(pack, f"{entry.id}.budget", as_of),
                "fund": _text(pack, f"{entry.id}.fund", as_of),
                "reference": _reference(pack, entry),
                "unconfirmed": sorted(unconfirmed),
            }
        )
    return entries


def guide_markdown(pack: Pack, as_of: dt.date, lang: str) -> str:
    words = COMMON[lang]
    lines = [f"# {words['heading']}", "", words["intro"].format(day=as_of.isoformat()), ""]
    lines += [f"## {words['ladder']}", "", words["ladder_text"], ""]
    for item in guide_entries(pack, as_of, lang):
        lines += [f"## {item['id']} — {item['title']}", ""]
        lines.append(f"- **{words['who']}**: {item['who']}")
        lines.append(f"- **{words['amount']}**: {item['amount']}")
        lines.append(f"- **{words['delivery']}**: {item['delivery']}")
        lines.append(f"- **{words['prepare']}**: {item['prepare']}")
        if item["not_combined_with"]:
            lines.append(f"- **{words['stacking']}**: {item['not_combined_with']}")
        lines.append(f"- **{words['reference']}**: {item['reference']}")
        lines.append("")
    values, _ = _figures(pack, "district.310112", as_of, lang)
    lines += [
        "---",
        "",
        words["stacking_rule"],
        "",
        words["exclusions"],
        "",
        words["district"].format(example=_fill(DISTRICT_EXAMPLE[lang], values)),
        "",
        f"\\* {words['unconfirmed']}",
        "",
    ]
    return "\n".join(lines)


def write_guide(pack: Pack, as_of: dt.date, out: Path) -> list[Path]:
    """guide.zh.md, guide.en.md and guide.json (both languages) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGS:
        path = out / f"guide.{lang}.md"
        path.write_text(guide_markdown(pack, as_of, lang), encoding="utf-8")
        written.append(path)
    data = {
        "pack": pack.name,
        "rule_version": pack.version,
        "as_of": as_of.isoformat(),
        "measures": {lang: guide_entries(pack, as_of, lang) for lang in LANGS},
    }
    path = out / "guide.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(path)
    return written


def _figures(pack: Pack, prefix: str, as_of: dt.date, lang: str) -> tuple[dict[str, str], set[str]]:
    """Every parameter under `prefix` (nested paths by their last parts), formatted; and the unconfirmed ones."""
    values: dict[str, str] = {}
    unconfirmed: set[str] = set()
    for path, parameter in pack.parameters.parameters.items():
        if not path.startswith(prefix + "."):
            continue
        entry = parameter.entry_at(as_of)
        if entry is None:
            continue
        name = path[len(prefix) + 1 :].split(".")[-1]
        star = "" if entry.confirmed else "*"
        if not entry.confirmed:
            unconfirmed.add(path)
        values[name] = _format(parameter, entry.value, lang) + star
    return values, unconfirmed


def _format(parameter: Parameter, value: Any, lang: str) -> str:
    if isinstance(value, Bands):
        return _format_bands(value, lang)
    if parameter.unit == "yuan":
        return money.format_yuan(money.to_fen(Decimal(value)), lang)
    if parameter.unit == "ratio":
        return percent(value)
    return str(value)


def _format_bands(bands: Bands, lang: str) -> str:
    parts = []
    for band in bands.bands:
        amount = money.format_yuan(money.to_fen(Decimal(band.value)), lang)
        share = percent(band.start)
        parts.append(f"增长≥{share}:{amount}" if lang == "zh" else f"growth ≥ {share}: {amount}")
    return ("；" if lang == "zh" else "; ").join(parts)


def _text(pack: Pack, path: str, as_of: dt.date) -> str | None:
    if path not in pack.parameters.parameters:
        return None
    entry = pack.parameters[path].entry_at(as_of)
    return None if entry is None else str(entry.value)


def _reference(pack: Pack, entry: Entry) -> str:
    stem = entry.id.lower().replace(".", "_")
    for name in (f"{stem}_eligible", f"{stem}_amount", entry.variable):
        variable = pack.variables.get(name)
        if variable is not None and variable.reference:
            return variable.reference
    return ""


def _fill(template: str, values: dict[str, str]) -> str:
    class Missing(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(Missing(values))
