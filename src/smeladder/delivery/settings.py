"""Round settings: the rules an officer sets (windows, silence and refusals, budget overflow), loaded from
`round_defaults.yaml` and overridden per round, validated, and frozen into the round as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from smeladder.delivery.errors import InvalidSettings

RESPONSE_RULES = ("pay", "forfeit", "carry_over")
DECLINE_RULES = ("forfeit", "carry_over")
OVERFLOW_POLICIES = ("rank", "pro_rata", "first_come")
RANK_ORDERS = ("desc", "asc")


@dataclass(frozen=True)
class RoundSettings:
    objection_window_days: int
    confirmation_window_days: int
    on_no_confirmation: str
    on_decline: str
    overflow_policy: str
    rank_by: str
    rank_order: str
    confirmed: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RoundSettings:
        return cls(**json.loads(text))


def defaults() -> dict[str, Any]:
    text = resources.files("smeladder.delivery").joinpath("round_defaults.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_file(path: Path | str) -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise InvalidSettings(f"{path}: expected a mapping of setting: value")
    return data


def parse_assignments(assignments: list[str]) -> dict[str, Any]:
    """`key=value` pairs from the command line; values are read as YAML scalars (7, true, pro_rata)."""
    parsed: dict[str, Any] = {}
    for assignment in assignments:
        key, sep, value = assignment.partition("=")
        if not sep or not key.strip():
            raise InvalidSettings(f"--set {assignment!r}: expected key=value")
        parsed[key.strip()] = yaml.safe_load(value)
    return parsed


def build(overrides: dict[str, Any] | None = None) -> RoundSettings:
    """Defaults overridden by `overrides`, validated."""
    merged = {**defaults(), **(overrides or {})}
    known = {f.name for f in fields(RoundSettings)}
    unknown = sorted(set(merged) - known)
    if unknown:
        raise InvalidSettings(
            f"unknown round setting(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    for name in ("objection_window_days", "confirmation_window_days"):
        value = merged.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidSettings(f"{name}={value!r}: must be a whole number of days, 0 or more")
    if merged["confirmation_window_days"] < merged["objection_window_days"]:
        raise InvalidSettings(
            f"confirmation_window_days={merged['confirmation_window_days']} is shorter than "
            f"objection_window_days={merged['objection_window_days']}: enterprises must be able to respond "
            "after the objection phase"
        )
    _choice(merged, "on_no_confirmation", RESPONSE_RULES)
    _choice(merged, "on_decline", DECLINE_RULES)
    _choice(merged, "overflow_policy", OVERFLOW_POLICIES)
    _choice(merged, "rank_order", RANK_ORDERS)
    rank_by = merged.get("rank_by")
    if not isinstance(rank_by, str) or not (rank_by == "amount" or rank_by.startswith("reasons.")):
        raise InvalidSettings(f"rank_by={rank_by!r}: must be 'amount' or 'reasons.<key>'")
    if not isinstance(merged.get("confirmed"), bool):
        raise InvalidSettings(f"confirmed={merged.get('confirmed')!r}: must be true or false")
    return RoundSettings(**merged)


def _choice(values: dict[str, Any], name: str, choices: tuple[str, ...]) -> None:
    if values.get(name) not in choices:
        raise InvalidSettings(f"{name}={values.get(name)!r}: must be one of {', '.join(choices)}")
