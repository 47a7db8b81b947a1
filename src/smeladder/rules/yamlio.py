"""YAML as policy packs need it: numbers with a decimal point are `Decimal`, never float (0.1 stays 0.1)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml


class _DecimalLoader(yaml.SafeLoader):
    pass


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_DecimalLoader)


def loads_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_DecimalLoader)
