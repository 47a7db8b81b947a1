"""The explanation of one enterprise as typed nodes: a variable with its value, formula, parameters and inputs;
a criterion's conditions (leaves and groups) with values, thresholds, margins and outcomes; and what it takes
to flip an outcome (`Need`). Plain frozen dataclasses: the letter, the trace and an interface's JSON (Pydantic
reads dataclasses) are made from the same nodes.

An outcome has three states: met, not met, and cannot be computed (a share of a zero or missing denominator:
no revenue, no employees). A condition that cannot be computed is never met: in every result it counts as not
met (a batch column, a round, a YAML case), and an explanation says "cannot be computed" instead of a margin.
Groups combine outcomes as Kleene's logic does: an all-of with a failing child fails whatever the others are;
an any-of with a met child is met; otherwise a child that cannot be computed makes the group so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from smeladder.rules.parameters import Reference

Value = bool | int | Decimal | dt.date | str | None


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNCOMPUTABLE = "uncomputable"

    @property
    def passed(self) -> bool:
        return self is Outcome.MET

    @classmethod
    def of(cls, passed: bool) -> Outcome:
        return cls.MET if passed else cls.NOT_MET


def combine(conjunctive: bool, outcomes: Iterable[Outcome]) -> Outcome:
    """An all-of (`conjunctive`) or an any-of over its children's outcomes, by Kleene's three-valued logic."""
    seen = set(outcomes)
    decisive, other = (Outcome.NOT_MET, Outcome.MET) if conjunctive else (Outcome.MET, Outcome.NOT_MET)
    if decisive in seen:
        return decisive
    if Outcome.UNCOMPUTABLE in seen:
        return Outcome.UNCOMPUTABLE
    return other


@dataclass(frozen=True)
class Shown:
    """A condition's figures in words, in one language: "14,200,000.00 yuan", "2.6%", "800,000.00 yuan"."""

    value: str = ""
    threshold: str = ""
    margin: str = ""
    denominator: str = ""  # a share's denominator, when it is zero or missing (the share cannot be computed)


@dataclass(frozen=True)
class ParameterRead:
    """One parameter a formula or a condition read: its value on the period, and where it comes from."""

    path: str
    value: str
    unit: str
    how: str
    since: tuple[str, ...]
    references: tuple[Reference, ...]
    confirmed: bool
    file: str
    description: str = ""
    description_zh: str = ""

    def description_in(self, lang: str) -> str:
        return (self.description_zh or self.description) if lang == "zh" else self.description

    def reference_text(self, lang: str) -> str:
        separator = "；" if lang == "zh" else "; "
        return separator.join(r.text(lang) for r in self.references if r.text(lang))


@dataclass(frozen=True)
class Leaf:
    """One condition: a variable compared with a threshold (compare), a share of another variable (share:
    `value >= share * denominator_value`), or a yes/no (truth). `threshold` is the amount compared with (for a
    share, share × denominator); `margin` how far the value must move to flip the outcome."""

    kind: Literal["compare", "share", "truth"]
    variable: str
    outcome: Outcome
    op: str = "=="
    at: str | None = None
    period: str = ""
    value: Value = None
    threshold: Value = None
    margin: Decimal | None = None
    denominator: str = ""
    denominator_value: Value = None
    denominator_label: str = ""
    denominator_label_zh: str = ""
    share: Decimal | None = None
    ratio: Decimal | None = None
    expected: bool | None = None
    threshold_parameter: str = ""
    threshold_variable: str = ""
    label: str = ""
    label_zh: str = ""
    reference: str = ""
    reference_zh: str = ""
    variable_label: str = ""
    variable_label_zh: str = ""
    unit_type: str = ""
    unit: str = ""
    currency: str = ""
    shown_en: Shown = field(default_factory=Shown)
    shown_zh: Shown = field(default_factory=Shown)
    parameter: ParameterRead | None = None
    # A yes/no computed exactly over several years is said with the rate behind it and the rate it must reach.
    shown_rate: Decimal | None = None
    shown_against: Decimal | None = None

    @property
    def passed(self) -> bool:
        return self.outcome.passed

    def shown(self, lang: str) -> Shown:
        return self.shown_zh if lang == "zh" else self.shown_en

    def label_in(self, lang: str) -> str:
        """The condition's own label, else the label of the variable it tests."""
        if lang == "zh":
            return self.label_zh or self.variable_label_zh or self.label or self.variable_label
        return self.label or self.variable_label


@dataclass(frozen=True)
class Group:
    """All of / any of its children; a choice of mutually exclusive bands (`bands`: each child a `band` whose
    first child says whether the enterprise is in it and whose second is what the band requires)."""

    mode: Literal["all", "any", "bands", "band"]
    outcome: Outcome
    children: tuple[Leaf | Group, ...]
    label: str = ""
    label_zh: str = ""
    reference: str = ""
    reference_zh: str = ""
    own_band: int | None = None  # bands: the band the enterprise is in (its membership is met), if any

    @property
    def passed(self) -> bool:
        return self.outcome.passed

    @property
    def conjunctive(self) -> bool:
        return self.mode in ("all", "band")

    def label_in(self, lang: str) -> str:
        return (self.label_zh or self.label) if lang == "zh" else self.label


@dataclass(frozen=True)
class Need:
    """What it takes to flip a condition's outcome: change one leaf, do all of `parts`, or take one of `parts`
    (a choice: the equally short ways, or an any-of's ways; for bands, the enterprise's own band first).
    `cost`: the fewest leaf conditions that must change. `band`: "own" or "other" when this way stays in the
    enterprise's band or moves to another, labelled `label`."""

    kind: Literal["leaf", "all", "choice"]
    cost: int
    leaf: Leaf | None = None
    parts: tuple[Need, ...] = ()
    label: str = ""
    label_zh: str = ""
    band: Literal["own", "other", ""] = ""

    def leaves(self) -> list[Leaf]:
        """Every leaf named anywhere in this need, in order."""
        if self.leaf is not None:
            return [self.leaf]
        return [leaf for part in self.parts for leaf in part.leaves()]

    def label_in(self, lang: str) -> str:
        return (self.label_zh or self.label) if lang == "zh" else self.label

    @property
    def is_choice(self) -> bool:
        return self.kind == "choice"


@dataclass(frozen=True)
class FormulaRef:
    file: str
    line: int
    since: dt.date | None = None
    not_in_force_before: dt.date | None = None  # the engine's zero: the rule starts on this date


@dataclass(frozen=True)
class VariableNode:
    """One variable of the tree at one period: its value (and in words), how it is computed, what it read.
    A subtree told once is only pointed to the next time (`repeated`)."""

    variable: str
    period: str
    kind: str
    type: str
    label: str
    label_zh: str
    value: Value
    shown_en: str
    shown_zh: str
    reference: str = ""
    reference_zh: str = ""
    benefit: bool = False
    repeated: bool = False
    source: str = ""
    default: str | None = None
    formula: FormulaRef | None = None
    parameters: tuple[ParameterRead, ...] = ()
    conditions: Leaf | Group | None = None
    to_flip: Need | None = None
    inputs: tuple[VariableNode, ...] = ()

    def shown(self, lang: str) -> str:
        return self.shown_zh if lang == "zh" else self.shown_en

    def label_in(self, lang: str) -> str:
        return (self.label_zh or self.label) if lang == "zh" else self.label

    def reference_in(self, lang: str) -> str:
        return (self.reference_zh or self.reference) if lang == "zh" else self.reference

    def walk(self):
        """This node and every node under it told in full (a repeated node is only a pointer)."""
        if self.repeated:
            return
        yield self
        for child in self.inputs:
            yield from child.walk()


ConditionNode = Leaf | Group
