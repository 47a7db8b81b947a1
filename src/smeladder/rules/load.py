"""Loading a policy pack from its directory, the same way for built-in and third-party packs, and checking it:
every formula of every variable is planned at a date it is in force, so a broken pack fails at load, not
mid-run."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from functools import cache
from pathlib import Path
from typing import Any

from smeladder.rules.errors import PackError
from smeladder.rules.pack import Pack, pack_version
from smeladder.rules.packfile import GuideText, Ladder, Measures, read_packfile
from smeladder.rules.parameters import load_parameters
from smeladder.rules.periods import Period, period_for
from smeladder.rules.plan import make_plan
from smeladder.rules.variables import Variable
from smeladder.rules.yamlio import load_yaml


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
        ladder=read_packfile(directory / "ladder.yaml", Ladder),
        measures=read_packfile(directory / "measures.yaml", Measures),
        guide=read_packfile(directory / "guide.yaml", GuideText),
    )
    modules = manifest.get("variables") or ["variables"]
    for module_path in modules:
        for file in _python_files(directory / module_path):
            _collect(pack, _import(pack, file), file)
    check_pack(pack)
    return pack


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
    """Plan every formula version of every variable once, at a date it is in force; check that the ladder and
    the measure catalogue name variables the pack declares and modes its parameters agree with."""
    _check_packfiles(pack)
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


def _check_packfiles(pack: Pack) -> None:
    for filename, facts in (("ladder.yaml", pack.ladder), ("measures.yaml", pack.measures)):
        if facts is None:
            continue
        if unknown := sorted(facts.variables - set(pack.variables)):
            raise PackError(
                f"names variables the pack does not declare: {', '.join(unknown)}",
                where=str(pack.directory / filename),
            )
    for measure in pack.measures.measures if pack.measures else ():
        path = f"{measure.id}.delivery_mode"
        if measure.mode not in ("auto", "apply") or path not in pack.parameters.parameters:
            continue
        modes = {str(entry.value) for entry in pack.parameters[path].values if entry.value is not None}
        if modes - {measure.mode}:
            raise PackError(
                f"{measure.id} is mode {measure.mode}, but its parameter {path} says {', '.join(sorted(modes))}",
                where=str(pack.directory / "measures.yaml"),
            )
