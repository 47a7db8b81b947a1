"""The policy's words and facts that a pack carries beside its parameters and variables, read once at load and
checked by Pydantic, so a typo fails at load with the file and the field, not mid-letter:

    ladder.yaml     the rungs from the bottom (the title codes that hold each, the aggregate that says a firm
                    holds it, the criterion in force on a date, `only_if` for a rung only some firms can reach),
                    the rule sets by date, the titles held off the ladder, the designations, the exclusion
    measures.yaml   the measure catalogue: id, names, mode (auto / apply / listing / service / target), the
                    variables that compute it, what to prepare, who reviews, whether the registry takes
                    applications for it, the district of a district layer, its guide words
    guide.yaml      the plain-language guide's own words (headings, intro, closing notes), zh and en

Each file is optional: a pack without a ladder has no `ladder.yaml` and the ladder's commands say so. The engine
defines the formats and knows no city; the layers above (ladder, guide, network, delivery) read them from the
loaded pack (`pack.ladder`, `pack.measures`, `pack.guide`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from smeladder.rules.errors import PackError
from smeladder.rules.yamlio import load_yaml


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Model):
    """The same words in both languages."""

    en: str
    zh: str

    def in_(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class RungCriterion(_Model):
    """The criterion that decides a rung from a date on, and the rung's name under that rule set."""

    since: dt.date
    criterion: str
    label: Text | None = None


class Rung(_Model):
    id: str
    label: Text
    holds: str  # the BOOL variable: holds the rung's title on the date
    titles: tuple[str, ...]  # the registry's title codes that hold the rung
    criteria: tuple[RungCriterion, ...] = Field(min_length=1)
    # Met by any one of several titles or awards (a first rung's direct conditions): nearly every firm lacks
    # "one condition" for it, so counting the conditions lacking says nothing about how close a firm is.
    met_by_one_title: bool = False
    only_if: str | None = None  # the BOOL variable a firm needs for this rung to be open to it
    siting_weight: float = 1.0  # demand weight of its firms when siting stations by tier (network)

    def _in_force(self, day: dt.date) -> RungCriterion:
        current = [c for c in self.criteria if c.since <= day]
        return current[-1] if current else self.criteria[0]

    def criterion(self, day: dt.date) -> str:
        return self._in_force(day).criterion

    def label_in(self, lang: str, day: dt.date | None = None) -> str:
        dated = self._in_force(day).label if day is not None else None
        return (dated or self.label).in_(lang)

    @property
    def all_criteria(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.criterion for c in self.criteria))


class RuleSet(_Model):
    since: dt.date
    name: str


class OtherTitle(_Model):
    """A title held off the ladder that a letter names (with its expiry)."""

    holds: str
    titles: tuple[str, ...]
    label: Text


class Designation(_Model):
    """A designation off the ladder: the letter says whether it is met, the funnel counts it."""

    criterion: str
    holds: str  # held already: the letter says nothing more
    label: Text
    funnel_label: Text | None = None


class Counted(_Model):
    variable: str
    label: Text


class ShownRate(_Model):
    """A yes/no condition computed exactly from several years, told with the rate behind it."""

    rate: str  # the variable with the rate
    against: str  # the parameter it is held to
    label: Text


class Ladder(_Model):
    rungs: tuple[Rung, ...] = Field(min_length=1)
    rule_sets: tuple[RuleSet, ...] = Field(min_length=1)
    rules_title: Text  # how a letter names the rules it applies; {rules} is the rule set's name
    other_titles: tuple[OtherTitle, ...] = ()
    designations: tuple[Designation, ...] = ()
    excluded: Counted
    shown_with: dict[str, ShownRate] = {}
    titles: dict[str, Text]  # every title code the registry takes, with its name
    example_rung: str | None = None  # the rung the demo and examples show

    @model_validator(mode="after")
    def _codes_are_declared(self) -> Ladder:
        ids = [rung.id for rung in self.rungs]
        if len(set(ids)) != len(ids):
            raise ValueError(f"rung ids repeat: {ids}")
        used = {code for item in (*self.rungs, *self.other_titles) for code in item.titles}
        if unknown := sorted(used - set(self.titles)):
            raise ValueError(f"title codes not in `titles`: {', '.join(unknown)}")
        if self.example_rung is not None and self.example_rung not in ids:
            raise ValueError(f"example_rung {self.example_rung!r} is not a rung: {', '.join(ids)}")
        return self

    def rung(self, rung_id: str) -> Rung:
        for rung in self.rungs:
            if rung.id == rung_id:
                return rung
        raise KeyError(rung_id)

    @property
    def rung_ids(self) -> tuple[str, ...]:
        return tuple(rung.id for rung in self.rungs)

    def rule_set(self, day: dt.date) -> str:
        current = [r for r in self.rule_sets if r.since <= day]
        return (current[-1] if current else self.rule_sets[0]).name

    @property
    def variables(self) -> set[str]:
        """Every variable the ladder names, for the load check."""
        names = {self.excluded.variable}
        for rung in self.rungs:
            names |= {rung.holds, *rung.all_criteria, *([rung.only_if] if rung.only_if else [])}
        names |= {t.holds for t in self.other_titles}
        names |= {n for d in self.designations for n in (d.criterion, d.holds)}
        names |= {s.rate for s in self.shown_with.values()} | set(self.shown_with)
        return names


class GuideWords(_Model):
    """A measure's own lines in the guide; `{name}` is a parameter of the measure, formatted."""

    who: Text
    amount: Text


Mode = Literal["auto", "apply", "listing", "service", "target"]


class Measure(_Model):
    id: str  # the parameter folder: M1.2b, or district.310112.M1.2a for a district layer
    name: Text  # the full name (the guide's title)
    short_name: Text | None = None  # in tables and letters
    mode: Mode
    paid: str | None = None  # the variable with what is paid (after stacking), or the listing
    eligible: str | None = None  # the criterion (default: the name is the address, m1_2b_eligible)
    prepare: Text | None = None
    reviewer: Text | None = None  # who reviews an application
    applications: bool = False  # the registry takes application rows for it
    district: str | None = None  # a district layer: only this district's firms
    partners: str | None = None  # the kind of service partner (network) this measure lists
    guide: GuideWords | None = None

    def short_in(self, lang: str) -> str:
        return (self.short_name or self.name).in_(lang)

    @property
    def money(self) -> bool:
        return self.mode in ("auto", "apply") and self.paid is not None


class Measures(_Model):
    reviewers: dict[str, Text] = {}  # shared reviewer words, for YAML anchors
    measures: tuple[Measure, ...]
    application_tiers: tuple[str, ...] = ()  # tier ids an application can also be for (self-declared items)
    example: str | None = None  # the money measure the demo's round and examples show

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Measures:
        ids = [m.id for m in self.measures]
        if len(set(ids)) != len(ids):
            raise ValueError(f"measure ids repeat: {ids}")
        if self.example is not None and self.example not in [m.id for m in self.measures if m.money]:
            raise ValueError(f"example {self.example!r} is not a money measure of the catalogue")
        return self

    def get(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    @property
    def money(self) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.money)

    @property
    def listings(self) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.mode == "listing" and m.paid)

    @property
    def application_types(self) -> tuple[str, ...]:
        """What an application row may be for: the measures that take applications, then the tiers."""
        return tuple(m.id for m in self.measures if m.applications) + self.application_tiers

    @property
    def variables(self) -> set[str]:
        return {name for m in self.measures for name in (m.paid, m.eligible) if name}

    @property
    def partner_measures(self) -> dict[str, str]:
        """The measure that lists each kind of service partner."""
        return {m.partners: m.id for m in self.measures if m.partners}


class GuideText(_Model):
    heading: Text
    intro: Text  # {day}: the date the guide is made for
    who: Text
    amount: Text
    delivery: Text
    prepare: Text
    stacking: Text
    reference: Text
    auto: Text
    apply: Text
    exclusions: Text
    stacking_rule: Text
    unconfirmed: Text
    ladder: Text
    ladder_text: Text
    groups: dict[str, Text] = {}  # stacking group -> what is not combined
    districts: Text | None = None  # {example}: the district layers' own words
    district_examples: dict[str, Text] = {}  # district layer measure-id prefix -> its words


M = TypeVar("M", bound=BaseModel)


def read_packfile(path: Path, model: type[M]) -> M | None:
    """`path` checked against `model`, or None if the pack has no such file."""
    if not path.is_file():
        return None
    try:
        return model.model_validate(load_yaml(path) or {})
    except yaml.YAMLError as error:
        raise PackError(f"not valid YAML: {error}", where=str(path)) from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors()
        )
        raise PackError(problems, where=str(path)) from None
