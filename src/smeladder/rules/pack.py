"""A policy pack: a directory with `pack.yaml`, `parameters/`, variable modules and YAML tests.

    my_pack/
      pack.yaml            name, labels, the entity table and key, per-period tables, the district column
      parameters/          one YAML file per legal item (see parameters.py)
      variables/*.py       Input, Aggregate, @variable and criterion declarations (module-level names)
      tests/*.yaml         cases: inputs -> expected outputs (see yamltests.py)

Built-in and third-party packs load the same way: `load_pack(path)`. Loading checks the whole pack (every
formula of every variable is planned at a date it is in force), so a broken pack fails at load, not mid-run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from smeladder.rules.errors import PackError
from smeladder.rules.parameters import ParameterTree, load_parameters
from smeladder.rules.periods import Period, period_for
from smeladder.rules.variables import Variable
from smeladder.rules.yamlio import load_yaml


@dataclass(eq=False)  # identity: a loaded pack is immutable and used as a cache key
class Pack:
    name: str
    directory: Path
    label: str
    label_zh: str
    entity_table: str
    entity_key: str
    district_column: str | None
    period_tables: dict[str, str]  # table -> its fiscal-year column
    related_tables: tuple[str, ...]
    parameters: ParameterTree
    table_columns: dict[str, dict[str, str]] = field(default_factory=dict)  # optional column types, for tests
    variables: dict[str, Variable] = field(default_factory=dict)
    version: str = ""

    @property
    def tests_directory(self) -> Path:
        return self.directory / "tests"

    @property
    def benefits(self) -> list[str]:
        return [name for name, v in self.variables.items() if v.benefit]

    @property
    def outputs(self) -> list[str]:
        """What a run computes unless told otherwise: every non-input variable."""
        return [name for name, v in self.variables.items() if v.kind in ("formula", "criterion")]

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.entity_table, *self.period_tables, *self.related_tables)


@cache
def load_pack(directory: Path | str) -> Pack:
    """Load and check a pack. Cached per directory: a pack is immutable once loaded."""
    directory = Path(directory).resolve()
    manifest_path = directory / "pack.yaml"
    if not manifest_path.is_file():
        raise PackError(f"{directory} is not a policy pack: no pack.yaml")
    manifest = load_yaml(manifest_path) or {}
    where = str(manifest_path)
    for required in ("name", "label", "entity"):
        if required not in manifest:
            raise PackError(f"needs `{required}`", where=where)
    entity = manifest["entity"]
    tables = manifest.get("tables") or {}
    period_tables = {
        name: spec["period_column"] for name, spec in tables.items() if (spec or {}).get("period_column")
    }
    related = tuple(name for name, spec in tables.items() if not (spec or {}).get("period_column"))
    pack = Pack(
        name=str(manifest["name"]),
        directory=directory,
        label=str(manifest["label"]),
        label_zh=str(manifest.get("label_zh", manifest["label"])),
        entity_table=entity["table"],
        entity_key=entity["key"],
        district_column=manifest.get("district"),
        period_tables=period_tables,
        related_tables=related,
        parameters=load_parameters(directory / "parameters"),
        table_columns={
            name: dict(spec["columns"]) for name, spec in tables.items() if (spec or {}).get("columns")
        },
        version=pack_version(directory),
    )
    modules = manifest.get("variables") or ["variables"]
    for module_path in modules:
        for file in _python_files(directory / module_path):
            _collect(pack, _import(pack, file), file)
    check_pack(pack)
    return pack


def pack_version(directory: Path) -> str:
    """The rule version: a hash of every file of the pack that can change a result (names and bytes), stable
    across machines. The YAML test cases in `tests/` are left out: adding a case changes no result."""
    digest = hashlib.sha256()
    files = (p for p in directory.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in sorted(p for p in files if p.relative_to(directory).parts[0] != "tests"):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _python_files(path: Path) -> list[Path]:
    if path.with_suffix(".py").is_file():
        return [path.with_suffix(".py")]
    if path.is_dir():
        return sorted(p for p in path.glob("*.py") if p.name != "__init__.py")
    raise PackError(f"no variables module {path}(.py)")


def _import(pack: Pack, file: Path) -> Any:
    # A private module name per pack and file, so two packs may both have variables/tiers.py.
    module_name = f"smeladder_pack_{pack.name}_{pack.version}_{file.stem}"
    spec = importlib.util.spec_from_file_location(module_name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def _collect(pack: Pack, module: Any, file: Path) -> None:
    for attribute, value in vars(module).items():
        if not isinstance(value, Variable):
            continue
        if not value.name:
            value.name = attribute
        if value.name in pack.variables and pack.variables[value.name] is not value:
            raise PackError(
                f"variable {value.name} is defined twice ({pack.variables[value.name].file} and {file})"
            )
        if not value.file:
            value.file = str(file)
        pack.variables[value.name] = value


def check_pack(pack: Pack) -> None:
    """Plan every formula version of every variable once, at a date it is in force."""
    from smeladder.rules.plan import make_plan

    known_tables = set(pack.tables)
    for variable in pack.variables.values():
        if variable.source_table and variable.source_table not in known_tables:
            raise PackError(
                f"reads table {variable.source_table!r}, not declared in pack.yaml", where=variable.where_text
            )
        if variable.kind == "input":
            variable.period = "year" if variable.source_table in pack.period_tables else "eternal"
            if variable.source_table not in pack.period_tables and variable.source_table != pack.entity_table:
                raise PackError(
                    "inputs come from the entity table or a per-period table", where=variable.where_text
                )
    # One plan per check date, for every variable checked on that date: shared dependencies run once.
    by_day: dict[dt.date, list[tuple[str, Period]]] = {}
    for name, variable in pack.variables.items():
        if variable.kind not in ("formula", "criterion"):
            continue
        for day in _check_dates(variable):
            by_day.setdefault(day, []).append((name, period_for(variable.period, day)))
    for day, nodes in sorted(by_day.items()):
        make_plan(pack, nodes, day)


def _check_dates(variable: Variable) -> list[dt.date]:
    starts = sorted(f.since for f in variable.formulas if f.since)
    if starts and all(f.since for f in variable.formulas):
        return starts
    # An undated formula is in force until the first dated one starts (or always).
    return [*starts, (starts[0] - dt.timedelta(days=1)) if starts else dt.date.today()]
