"""Build the guide from the pack: entries as data (for the web), Markdown in zh and en (for docs/guide/).

The words are the pack's: each measure's lines in measures.yaml (`guide`), the guide's own in guide.yaml, the
rungs from ladder.yaml; `{name}` placeholders are parameter values of that measure, formatted here (money as
yuan, rates as percentages); a figure the text leaves open is marked with * and explained at the end."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from smeladder import money
from smeladder.rules.errors import PackError
from smeladder.rules.explain_letter import percent
from smeladder.rules.pack import Pack
from smeladder.rules.packfile import GuideText, Measure
from smeladder.rules.parameters import Bands, Parameter

LANGS = ("zh", "en")


def guide_text(pack: Pack) -> GuideText:
    if pack.guide is None or pack.measures is None:
        raise PackError("has no guide (guide.yaml and measures.yaml)", where=pack.name)
    return pack.guide


def guided_measures(pack: Pack) -> tuple[Measure, ...]:
    """The measures the guide explains, in the catalogue's order: those with guide words."""
    guide_text(pack)
    assert pack.measures is not None
    return tuple(m for m in pack.measures.measures if m.guide is not None)


def guide_entries(pack: Pack, as_of: dt.date, lang: str) -> list[dict[str, Any]]:
    """One dict per measure: the texts in `lang` with the figures in force on `as_of`, and the metadata."""
    words = guide_text(pack)
    entries = []
    for measure in guided_measures(pack):
        assert measure.guide is not None
        values, unconfirmed = _figures(pack, measure.id, as_of, lang)
        mode = _text(pack, f"{measure.id}.delivery_mode", as_of)
        group = _text(pack, f"{measure.id}.stacking_group", as_of)
        entries.append(
            {
                "id": measure.id,
                "variable": measure.paid,
                "title": measure.name.in_(lang),
                "who": _fill(measure.guide.who.in_(lang), values),
                "amount": _fill(measure.guide.amount.in_(lang), values),
                "delivery_mode": mode,
                "delivery": (words.auto if mode == "auto" else words.apply).in_(lang),
                "prepare": measure.prepare.in_(lang) if measure.prepare else "",
                "stacking_group": group,
                "not_combined_with": words.groups[group].in_(lang) if group in words.groups else "",
                "budget": _text(pack, f"{measure.id}.budget", as_of),
                "fund": _text(pack, f"{measure.id}.fund", as_of),
                "reference": _reference(pack, measure),
                "unconfirmed": sorted(unconfirmed),
            }
        )
    return entries


def guide_markdown(pack: Pack, as_of: dt.date, lang: str) -> str:
    words = guide_text(pack)
    lines = [f"# {words.heading.in_(lang)}", "", words.intro.in_(lang).format(day=as_of.isoformat()), ""]
    if pack.ladder is not None:
        ladder_text = words.ladder_text.in_(lang).format(rungs=_rungs(pack, lang))
        lines += [f"## {words.ladder.in_(lang)}", "", ladder_text, ""]
    for item in guide_entries(pack, as_of, lang):
        lines += [f"## {item['id']} — {item['title']}", ""]
        lines.append(f"- **{words.who.in_(lang)}**: {item['who']}")
        lines.append(f"- **{words.amount.in_(lang)}**: {item['amount']}")
        lines.append(f"- **{words.delivery.in_(lang)}**: {item['delivery']}")
        lines.append(f"- **{words.prepare.in_(lang)}**: {item['prepare']}")
        if item["not_combined_with"]:
            lines.append(f"- **{words.stacking.in_(lang)}**: {item['not_combined_with']}")
        lines.append(f"- **{words.reference.in_(lang)}**: {item['reference']}")
        lines.append("")
    lines += ["---", "", words.stacking_rule.in_(lang), "", words.exclusions.in_(lang), ""]
    if words.districts is not None and words.district_examples:
        examples = " ".join(
            _fill(text.in_(lang), _figures(pack, prefix, as_of, lang)[0])
            for prefix, text in words.district_examples.items()
        )
        lines += [words.districts.in_(lang).format(example=examples), ""]
    lines += [f"\\* {words.unconfirmed.in_(lang)}", ""]
    return "\n".join(lines)


def _rungs(pack: Pack, lang: str) -> str:
    """The ladder from the bottom, a rung renamed by a later rule set with its new name and date."""
    assert pack.ladder is not None
    names = []
    for rung in pack.ladder.rungs:
        first, *later = rung.criteria
        name = (first.label or rung.label).in_(lang)
        for dated in later:
            renamed = (dated.label or rung.label).in_(lang)
            day = dated.since
            name += (
                f"({day.year}年{day.month}月{day.day}日起为{renamed})"
                if lang == "zh"
                else f" (from {day.isoformat()}: {renamed})"
            )
        names.append(name)
    text = " → ".join(names)
    return text[:1].upper() + text[1:]


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


def _reference(pack: Pack, measure: Measure) -> str:
    stem = measure.id.lower().replace(".", "_")
    for name in (measure.eligible or f"{stem}_eligible", f"{stem}_amount", measure.paid or ""):
        variable = pack.variables.get(name)
        if variable is not None and variable.reference:
            return variable.reference
    return ""


def _fill(template: str, values: dict[str, str]) -> str:
    class Missing(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(Missing(values))
