"""The network's parameters: YAML files in `smeladder/network/params/`, never constants in code."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load(name: str) -> dict[str, Any]:
    """A parameter file by name (`siting`, `service_day`)."""
    text = resources.files("smeladder.network.params").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def siting_weights(scheme: str) -> dict[str, float]:
    """Demand weight per tier or size class for a weighting scheme (`uniform`, `tier`, `size`)."""
    schemes = load("siting")["weights"]
    if scheme not in schemes:
        raise ValueError(f"unknown weighting {scheme!r}; choose one of {', '.join(schemes)}")
    return {k: float(v) for k, v in (schemes[scheme] or {}).items()}
