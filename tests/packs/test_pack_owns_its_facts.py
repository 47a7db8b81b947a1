"""The Shanghai pack owns its words and facts: no measure id or name, rung id or title code of the pack is declared
anywhere else in `src/smeladder/`.

How it checks: the facts are read from the pack itself (measures.yaml: every measure's id, name and short name,
the application tiers; ladder.yaml: every rung id, rung name and title code). Every Python file outside
`packs/shanghai/` is parsed, and each string constant that is not a docstring is compared with them: a constant
equal to an id or code, or containing a name of the pack (the zh names, and the long en ones), is a declaration
outside the pack. Every YAML, text or JSON file outside the pack is read line by line the same
way (comments left out). Comments, docstrings and the registry's `used_by` notes are documentation and may name a
measure; so may docs/ and the tests, which are not under `src/`. Two files that write data in the pack's codes
(the synthetic registry, sample entitlement results) are named in `DATA_WRITERS`, each with why.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import smeladder
from smeladder.rules.locate import find_pack

PACKAGE = Path(smeladder.__file__).parent
PACK = PACKAGE / "packs" / "shanghai"
TEXT_SUFFIXES = (".yaml", ".yml", ".txt", ".json")
# Files that write data in the pack's codes rather than declare them, each with why.
DATA_WRITERS = {
    # The synthetic Shanghai registry: rows for the demo and the tests, calibrated to Shanghai's published
    # title counts and application mix; it writes codes as data, as an officer's import file would.
    "registry/synth.py",
    # Entitlement results in the documented format for the delivery tests and the benchmark (its docstring).
    "delivery/sample_results.py",
}


def _facts() -> tuple[set[str], set[str]]:
    """(ids and codes compared whole, names looked for inside strings)."""
    pack = find_pack("shanghai")
    ids: set[str] = set(pack.ladder.titles) | set(pack.ladder.rung_ids) | set(pack.measures.application_tiers)
    names: set[str] = set()
    for measure in pack.measures.measures:
        ids.add(measure.id)
        for text in (measure.name, measure.short_name):
            if text is not None:
                names |= {text.zh, text.en}
    for rung in pack.ladder.rungs:
        names |= {rung.label.zh, rung.label.en}
        names |= {c.label.zh for c in rung.criteria if c.label} | {
            c.label.en for c in rung.criteria if c.label
        }
    # A short English name ("little giant") is also prose (a column's "used by" note); a Chinese name or a long
    # English one is the pack's own wording.
    names = {n for n in names if re.search(r"[\u4e00-\u9fff]", n) or len(n.split()) >= 4}
    return ids, names


def _documentation(tree: ast.AST) -> set[int]:
    """Docstrings, and the `used_by` notes of the registry's columns (docs/data-format.md is made of them)."""
    found = {
        id(node.value) for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == "used_by"
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _strings(path: Path) -> list[tuple[int, str]]:
    if path.suffix == ".py":
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _documentation(tree)
        return [
            (node.lineno, node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        ]
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        (n, line.split("#", 1)[0]) for n, line in enumerate(lines, start=1) if line.split("#", 1)[0].strip()
    ]


def declarations_outside_the_pack() -> list[str]:
    ids, names = _facts()
    id_pattern = re.compile(
        r"(?<![\w.])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")(?![\w])"
    )
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if not path.is_file() or "__pycache__" in relative.parts or path.is_relative_to(PACK):
            continue
        if relative.as_posix() in DATA_WRITERS or path.suffix not in (".py", *TEXT_SUFFIXES):
            continue
        for line, text in _strings(path):
            whole = text.strip() in ids if path.suffix == ".py" else bool(id_pattern.search(text))
            named = [name for name in names if name in text]
            if whole or named:
                found.append(f"{relative}:{line}: {text.strip()[:70]!r}")
    return found


def test_no_fact_of_the_pack_is_declared_outside_it():
    found = declarations_outside_the_pack()
    assert not found, (
        "declare these in packs/shanghai/ (measures.yaml, ladder.yaml, guide.yaml):\n" + "\n".join(found)
    )


def test_the_check_sees_a_declaration(tmp_path, monkeypatch):
    """The check is not vacuous: a module declaring a measure id, a title code or a Chinese measure name fails."""
    ids, names = _facts()
    assert {"M1.2b", "ss_sme", "first_rung", "district.310112.M1.2a"} <= ids
    assert "首次小升规奖励" in names and "talent list" not in names  # a few words of English are prose
    package = tmp_path / "smeladder"
    (package / "ladder").mkdir(parents=True)
    (package / "ladder" / "tiers.py").write_text(
        '"""The tiers (docstrings may name M1.2b)."""\nRUNGS = ("ss_sme",)\nNAME = "首次小升规奖励(默认)"\n',
        encoding="utf-8",
    )
    (package / "ladder" / "fine.py").write_text('LABEL = "M1.2b is named in a sentence"\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    found = declarations_outside_the_pack()
    assert sorted(f.split(":")[0] + ":" + f.split(":")[1] for f in found) == [
        "ladder/tiers.py:2",
        "ladder/tiers.py:3",
    ]
