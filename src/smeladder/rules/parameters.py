"""Parameters: dated values from the legal text, with units, references and a `confirmed` flag.

One YAML file per legal item; its path under `parameters/` is its name (`voucher/cap.yaml` -> `voucher.cap`).

    description: Cap of the innovation voucher
    description_zh: 创新券上限
    unit: yuan
    reference: {document: "Riverside Order 7/2023", article: "Art. 4"}
    confirmed: true
    mid_period: prorate        # a year-period rule over a mid-year change: prorate | start | end | MM-DD
    values:
      2023-01-01: 500000
      2025-07-01: {value: 800000, reference: {document: "Order 2/2025", article: "Art. 1"}, confirmed: false}

Bands (points tables) use `bands:` instead of `values:`: each dated entry has `below` (the value under the first
threshold) and ascending `from` thresholds, lower bound inclusive unless `strict: true` (x > from).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from smeladder.rules.errors import PackError
from smeladder.rules.periods import Eternity, Instant, Period, Year, parse_date
from smeladder.rules.yamlio import load_yaml

MID_PERIOD_RULES = ("prorate", "start", "end")


@dataclass(frozen=True)
class Reference:
    document: str = ""
    article: str = ""
    url: str = ""
    # The Chinese wording where the document or article is not already Chinese ("Area 3" -> "第三方面").
    document_zh: str = ""
    article_zh: str = ""

    def __str__(self) -> str:
        return ", ".join(part for part in (self.document, self.article) if part)

    def text(self, lang: str = "en") -> str:
        """One line in `lang`: a Chinese letter reads the zh labels, and says nothing in English."""
        if lang != "zh":
            return str(self)
        parts = (self.document_zh or self.document, self.article_zh or self.article)
        return "，".join(part for part in parts if part)

    @classmethod
    def parse(cls, raw: Any, where: str) -> Reference:
        if raw is None:
            return cls()
        if isinstance(raw, str):
            return cls(document=raw)
        if not isinstance(raw, dict) or set(raw) - set(REFERENCE_FIELDS):
            raise PackError(f"reference must be a text or {{{', '.join(REFERENCE_FIELDS)}}}", where=where)
        return cls(**{k: str(v) for k, v in raw.items()})


REFERENCE_FIELDS = ("document", "article", "url", "document_zh", "article_zh")


@dataclass(frozen=True)
class Band:
    start: Decimal
    value: Decimal | int
    strict: bool = False  # True: x > start; False: x >= start


@dataclass(frozen=True)
class Bands:
    """A points table: `below` under the first threshold, then one value per ascending threshold."""

    below: Decimal | int
    bands: tuple[Band, ...]

    def value_for(self, x: Decimal | int) -> Decimal | int:
        result = self.below
        for band in self.bands:
            if x > band.start or (x == band.start and not band.strict):
                result = band.value
        return result

    def __str__(self) -> str:
        parts = [f"<{self.bands[0].start}: {self.below}"] if self.bands else [str(self.below)]
        parts += [f"{'>' if b.strict else '≥'}{b.start}: {b.value}" for b in self.bands]
        return "; ".join(parts)


@dataclass(frozen=True)
class DatedValue:
    start: dt.date
    value: Any  # Decimal | int | bool | str | date | Bands | None (None: repealed from `start`)
    reference: Reference
    confirmed: bool


@dataclass(frozen=True)
class Parameter:
    path: str
    file: str
    description: str
    description_zh: str
    unit: str
    mid_period: str | None  # prorate | start | end | MM-DD | None (a mid-period change is an error)
    values: tuple[DatedValue, ...]  # sorted by start
    precision: int  # decimals kept when prorating

    @property
    def is_bands(self) -> bool:
        return any(isinstance(v.value, Bands) for v in self.values)

    def entry_at(self, day: dt.date) -> DatedValue | None:
        chosen = None
        for entry in self.values:
            if entry.start <= day:
                chosen = entry
        return chosen if chosen is not None and chosen.value is not None else None

    def resolve(self, period: Period) -> Resolved:
        """The value a rule computed for `period` reads, following the parameter's mid-period rule."""
        if isinstance(period, Instant):
            return self._single(period.date, f"at {period.date}")
        if isinstance(period, Eternity):
            raise PackError("an eternal variable cannot read a dated parameter", where=self.where)
        assert isinstance(period, Year)
        changes = [e for e in self.values if period.start < e.start <= period.end]
        if not changes:
            return self._single(period.start, f"in force over {period}")
        rule = self.mid_period
        if rule is None:
            raise PackError(
                f"changes on {changes[0].start} inside period {period} and declares no mid_period rule "
                "(prorate, start, end or MM-DD)",
                where=self.where,
            )
        if rule == "start":
            return self._single(period.start, f"at the start of {period} (mid_period: start)")
        if rule == "end":
            return self._single(period.end, f"at the end of {period} (mid_period: end)")
        if rule == "prorate":
            return self._prorated(period)
        month, day = (int(part) for part in rule.split("-"))
        instant = dt.date(period.year, month, day)
        return self._single(instant, f"at {instant} (mid_period: {rule})")

    def _single(self, day: dt.date, how: str) -> Resolved:
        entry = self.entry_at(day)
        if entry is None:
            raise PackError(f"has no value on {day}", where=self.where)
        return Resolved(self, entry.value, how, (entry,))

    def _prorated(self, period: Year) -> Resolved:
        if self.is_bands:
            raise PackError("bands cannot be prorated: use mid_period start, end or MM-DD", where=self.where)
        boundaries = [period.start] + [e.start for e in self.values if period.start < e.start <= period.end]
        boundaries.append(period.end + dt.timedelta(days=1))
        total = Decimal(0)
        used: list[DatedValue] = []
        for begin, stop in itertools.pairwise(boundaries):
            entry = self.entry_at(begin)
            if entry is None or isinstance(entry.value, bool) or not isinstance(entry.value, int | Decimal):
                raise PackError(f"cannot prorate: no numeric value on {begin}", where=self.where)
            total += Decimal(entry.value) * (stop - begin).days
            used.append(entry)
        value = (total / period.days).quantize(Decimal(1).scaleb(-self.precision), rounding=ROUND_HALF_UP)
        return Resolved(self, value, f"prorated by day over {period}", tuple(used))

    @property
    def where(self) -> str:
        return f"parameter {self.path} ({self.file})"


@dataclass(frozen=True)
class Resolved:
    parameter: Parameter
    value: Any
    how: str
    entries: tuple[DatedValue, ...]

    @property
    def confirmed(self) -> bool:
        return all(e.confirmed for e in self.entries)

    @property
    def references(self) -> tuple[Reference, ...]:
        return tuple(dict.fromkeys(e.reference for e in self.entries))

    def to_json(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter.path,
            "value": str(self.value),
            "unit": self.parameter.unit,
            "how": self.how,
            "since": [e.start.isoformat() for e in self.entries],
            "references": [{name: getattr(r, name) for name in REFERENCE_FIELDS} for r in self.references],
            "confirmed": self.confirmed,
            "file": self.parameter.file,
        }


@dataclass
class ParameterTree:
    parameters: dict[str, Parameter] = field(default_factory=dict)

    def __getitem__(self, path: str) -> Parameter:
        try:
            return self.parameters[path]
        except KeyError:
            raise PackError(f"unknown parameter {path!r}") from None

    def is_prefix(self, path: str) -> bool:
        return any(name.startswith(path + ".") for name in self.parameters)

    def with_overrides(self, overrides: dict[str, Any]) -> ParameterTree:
        """A copy where each overridden parameter takes the given value.

        A key `path` replaces the value at every date; `path@YYYY-MM-DD` adds a value from that date on.
        """
        changed = dict(self.parameters)
        for key, raw in overrides.items():
            path, _, since = key.partition("@")
            parameter = self[path]
            value = _override_value(raw, parameter)
            reference = Reference(document="what-if override")
            if since:
                start = parse_date(since)
                kept = [e for e in parameter.values if e.start != start]
                entries = (*kept, DatedValue(start, value, reference, False))
            else:
                first = parameter.values[0].start if parameter.values else dt.date(1900, 1, 1)
                entries = (DatedValue(first, value, reference, False),)
            changed[path] = replace(parameter, values=tuple(sorted(entries, key=lambda e: e.start)))
        return ParameterTree(changed)


def load_parameters(directory: Path) -> ParameterTree:
    tree = ParameterTree()
    if not directory.is_dir():
        return tree
    for path in sorted(directory.rglob("*.yaml")):
        relative = path.relative_to(directory).with_suffix("")
        name = ".".join(relative.parts)
        tree.parameters[name] = parse_parameter(name, load_yaml(path), str(path))
    return tree


def parse_parameter(path: str, raw: Any, file: str) -> Parameter:
    where = f"parameter {path} ({file})"
    if not isinstance(raw, dict):
        raise PackError(
            "a parameter file is a mapping with description, unit and values or bands", where=where
        )
    known = {
        "description",
        "description_zh",
        "unit",
        "reference",
        "confirmed",
        "mid_period",
        "values",
        "bands",
        "precision",
    }
    unknown = set(raw) - known
    if unknown:
        raise PackError(f"unknown keys {sorted(unknown)}", where=where)
    if ("values" in raw) == ("bands" in raw):
        raise PackError("needs exactly one of `values` or `bands`", where=where)
    for required in ("description", "unit"):
        if not raw.get(required):
            raise PackError(f"needs `{required}`", where=where)
    mid_period = raw.get("mid_period")
    if mid_period is not None:
        mid_period = str(mid_period)
        if mid_period not in MID_PERIOD_RULES and not _is_month_day(mid_period):
            raise PackError(f"mid_period {mid_period!r} is not prorate, start, end or MM-DD", where=where)
    default_reference = Reference.parse(raw.get("reference"), where)
    default_confirmed = bool(raw.get("confirmed", False))
    dated = raw.get("values") or raw.get("bands")
    if not isinstance(dated, dict) or not dated:
        raise PackError("values/bands must map start dates to values", where=where)
    is_bands = "bands" in raw
    entries = []
    for start, item in dated.items():
        try:
            start_date = parse_date(start)
        except ValueError:
            raise PackError(f"{start!r} is not a date (YYYY-MM-DD)", where=where) from None
        reference, confirmed = default_reference, default_confirmed
        # A dated entry may carry its own reference and confirmation: {value: V, ...} or a bands mapping.
        if isinstance(item, dict) and (is_bands or "value" in item):
            reference = Reference.parse(item.get("reference"), where) if "reference" in item else reference
            confirmed = bool(item.get("confirmed", confirmed))
            if not is_bands:
                item = item["value"]
        value = _parse_bands(item, where) if is_bands and item is not None else _parse_value(item, where)
        entries.append(DatedValue(start_date, value, reference, confirmed))
    unit = str(raw["unit"])
    precision = int(raw.get("precision", 2 if unit == "yuan" else 6))
    return Parameter(
        path=path,
        file=file,
        description=str(raw["description"]),
        description_zh=str(raw.get("description_zh", raw["description"])),
        unit=unit,
        mid_period=mid_period,
        values=tuple(sorted(entries, key=lambda e: e.start)),
        precision=precision,
    )


def _override_value(raw: Any, parameter: Parameter) -> Any:
    """An override in the parameter's own kind: "0.2" or 0.2 for a number becomes Decimal("0.2")."""
    if isinstance(raw, Bands):
        return raw
    numeric = any(
        isinstance(e.value, int | Decimal) and not isinstance(e.value, bool) for e in parameter.values
    )
    if numeric and isinstance(raw, str | float):
        try:
            return Decimal(str(raw).replace(",", "").replace("_", ""))
        except ArithmeticError:
            raise PackError(f"override {raw!r} is not a number", where=parameter.where) from None
    return _parse_value(raw, parameter.where)


def _is_month_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(f"2000-{text}")
    except ValueError:
        return False
    return True


def _parse_value(item: Any, where: str) -> Any:
    if isinstance(item, float):
        raise PackError(
            f"float {item!r}: write decimals with a point (YAML numbers load as Decimal)", where=where
        )
    if isinstance(item, bool | int | Decimal | str | dt.date) or item is None:
        return item
    raise PackError(f"value {item!r} is not a number, text, date or yes/no", where=where)


def _parse_bands(item: Any, where: str) -> Bands:
    if not isinstance(item, dict) or "below" not in item or not isinstance(item.get("from"), list):
        raise PackError(
            "a bands entry is {below: V, from: [{at: T, value: V, strict: false}, ...]}", where=where
        )
    bands = []
    for band in item["from"]:
        if not isinstance(band, dict) or "at" not in band or "value" not in band:
            raise PackError(f"band {band!r} needs `at` and `value`", where=where)
        bands.append(
            Band(Decimal(band["at"]), _parse_value(band["value"], where), bool(band.get("strict", False)))
        )
    starts = [b.start for b in bands]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise PackError(f"band thresholds must ascend strictly: {starts}", where=where)
    return Bands(_parse_value(item["below"], where), tuple(bands))
