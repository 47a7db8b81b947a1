"""The pack's names, as a reader of the policy needs them: its variables (what each is, its type and period,
the dates its formulas are in force, the legal reference) and its parameters (every dated value with its
dates, unit, reference and whether it is confirmed); and the `--set` overrides a run or a what-if reads."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from smeladder.errors import InvalidInput
from smeladder.registry import schema
from smeladder.rules.parameters import Parameter
from smeladder.rules.variables import Variable
from smeladder.rules.yamlio import loads_yaml
from smeladder.services.context import AppContext
from smeladder.services.models import Result

ONE_DAY = dt.timedelta(days=1)


class InForce(Result):
    """One dated formula of a variable, or one dated value of a parameter: from `start` (None: from the
    beginning) to `end` inclusive (None: still in force)."""

    start: dt.date | None
    end: dt.date | None


class VariableInfo(Result):
    name: str
    label: str
    label_zh: str
    kind: str  # input, aggregate, formula or criterion
    type: str  # bool, int, money, rate, date, str, enum
    unit: str  # the currency of money, the registry column's unit of an input; empty if none
    period: str  # eternal, year or instant
    benefit: bool  # a money measure paid to the enterprise
    source: str | None  # the registry table (and column) an input or aggregate reads
    formulas: list[InForce]  # empty for inputs and aggregates, which have no dated formula
    reference: str
    description: str


class Variables(Result):
    pack: str
    rule_version: str
    variables: list[VariableInfo]


class ParameterValue(InForce):
    value: str | None  # the value as the pack writes it; None: repealed from `start`
    reference: str
    url: str
    confirmed: bool


class ParameterInfo(Result):
    path: str
    description: str
    description_zh: str
    unit: str
    mid_period: str | None  # how a yearly rule reads a change inside the year
    values: list[ParameterValue]
    confirmed: bool  # every value is confirmed against the legal text


class Parameters(Result):
    pack: str
    rule_version: str
    parameters: list[ParameterInfo]


def variables(ctx: AppContext, match: str | None = None) -> Variables:
    """The pack's variables in declaration order; `match`: a name prefix or a measure or tier id (M1.2b
    gives m1_2b_*, by the convention that the name is the address)."""
    pack = ctx.pack
    found = [
        _variable(ctx, name, variable)
        for name, variable in pack.variables.items()
        if match is None or _matches(name, match, variable_name=True)
    ]
    if match and not found:
        raise InvalidInput(f"no variable of pack {pack.name} starts with {match!r}")
    return Variables(pack=pack.name, rule_version=pack.version, variables=found)


def parameters(ctx: AppContext, match: str | None = None) -> Parameters:
    """The pack's parameters by path; `match`: a path prefix or a measure or tier id (M1.2b)."""
    pack = ctx.pack
    found = [
        _parameter(parameter)
        for path, parameter in sorted(pack.parameters.parameters.items())
        if match is None or _matches(path, match, variable_name=False)
    ]
    if match and not found:
        raise InvalidInput(f"no parameter of pack {pack.name} starts with {match!r}")
    return Parameters(pack=pack.name, rule_version=pack.version, parameters=found)


def parse_overrides(items: Sequence[str] | Mapping[str, Any] | None) -> dict[str, Any]:
    """`path=value` (every date) or `path@YYYY-MM-DD=value` (from that date), the value read as the pack's
    YAML reads it (0.15 is a decimal, never a float); a mapping is taken as already parsed."""
    if isinstance(items, Mapping):
        return dict(items)
    parsed: dict[str, Any] = {}
    for item in items or []:
        path, sep, raw = item.partition("=")
        if not sep or not path.strip():
            raise InvalidInput(f"--set {item!r}: write path=value or path@YYYY-MM-DD=value")
        try:
            parsed[path.strip()] = loads_yaml(raw)
        except yaml.YAMLError as exc:
            raise InvalidInput(f"--set {item!r}: the value is not YAML ({exc.__class__.__name__})") from None
    return parsed


def _matches(name: str, match: str, *, variable_name: bool) -> bool:
    wanted = match.casefold()
    if variable_name:
        wanted = wanted.replace(".", "_")
    return name.casefold().startswith(wanted)


def _variable(ctx: AppContext, name: str, variable: Variable) -> VariableInfo:
    source = None
    if variable.source_table:
        source = variable.source_table + (f".{variable.source_column}" if variable.source_column else "")
    formulas = []
    if variable.formulas:
        # A variable not in force before a date has its first formula from that date (before it: zero).
        first = variable.in_force
        bounds: list[dt.date | None] = [first] if any(f.since is None for f in variable.formulas) else []
        bounds += sorted(f.since for f in variable.formulas if f.since)
        for start, following in itertools.zip_longest(bounds, bounds[1:]):
            formulas.append(InForce(start=start, end=following - ONE_DAY if following else None))
    return VariableInfo(
        name=name,
        label=variable.label,
        label_zh=variable.label_zh,
        kind=variable.kind,
        type=variable.type.name,
        unit=_unit(variable),
        period=variable.period,
        benefit=variable.benefit,
        source=source,
        formulas=formulas,
        reference=variable.reference,
        description=variable.description,
    )


def _unit(variable: Variable) -> str:
    if variable.type.name == "money":
        return variable.type.currency
    if variable.kind == "input":
        table = schema.TABLES.get(variable.source_table or "")
        if table is not None and variable.source_column in table.column_names:
            return table.column(variable.source_column).unit
    return ""


def _parameter(parameter: Parameter) -> ParameterInfo:
    entries = parameter.values
    values = [
        ParameterValue(
            start=entry.start,
            end=following.start - ONE_DAY if following else None,
            value=None if entry.value is None else str(entry.value),
            reference=str(entry.reference),
            url=entry.reference.url,
            confirmed=entry.confirmed,
        )
        for entry, following in itertools.zip_longest(entries, entries[1:])
    ]
    return ParameterInfo(
        path=parameter.path,
        description=parameter.description,
        description_zh=parameter.description_zh,
        unit=parameter.unit,
        mid_period=parameter.mid_period,
        values=values,
        confirmed=all(v.confirmed for v in values),
    )
