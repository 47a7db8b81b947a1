"""A policy pack: a directory with `pack.yaml`, `parameters/`, variable modules and YAML tests.

    my_pack/
      pack.yaml            name, labels, the entity table and key, per-period tables, the district column
      parameters/          one YAML file per legal item (see parameters.py)
      variables/*.py       Input, Aggregate, @variable and criterion declarations (module-level names)
      tests/*.yaml         cases: inputs -> expected outputs (see yamltests.py)
      ladder.yaml, measures.yaml, guide.yaml   the policy's words and facts, optional (see packfile.py)

Built-in and third-party packs load the same way: `load.load_pack(path)`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from smeladder.rules.packfile import GuideText, Ladder, Measures
from smeladder.rules.parameters import ParameterTree
from smeladder.rules.variables import Variable


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
    ladder: Ladder | None = None
    measures: Measures | None = None
    guide: GuideText | None = None

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
