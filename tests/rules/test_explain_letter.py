"""The letter form of an explanation, written from what an enterprise needs to read: what it gets, what it
meets, and for what it does not meet, the failing conditions with their margins (and not the passing ones)."""

from __future__ import annotations

import datetime as dt
import re

from smeladder.rules.explain import explain
from smeladder.rules.explain_letter import _failing_only, render_letter

from .conftest import duckdb_registry
from .registry_builder import credit_code, random_registry


def test_failing_only_keeps_the_failing_branches():
    tree = {
        "kind": "all",
        "passed": False,
        "children": [
            {"kind": "compare", "passed": True, "label": "Revenue"},
            {
                "kind": "any",
                "passed": False,
                "children": [
                    {"kind": "truth", "passed": False, "label": "Award"},
                    {"kind": "truth", "passed": False, "label": "Title"},
                ],
            },
        ],
    }
    pruned = _failing_only(tree)
    assert [c["kind"] for c in pruned["children"]] == ["any"]
    assert [c["label"] for c in pruned["children"][0]["children"]] == ["Award", "Title"]


def test_letter_on_the_toy_pack(toy_pack):
    source = duckdb_registry(random_registry(60, seed=3), toy_pack)
    letters = [
        render_letter(explain(toy_pack, source, credit_code(i), dt.date(2025, 8, 1)), "en") for i in range(60)
    ]
    assert all(letter.startswith(toy_pack.label) for letter in letters)
    assert not any(re.search(r"formula: \S+\.py:\d+", letter) for letter in letters)
    # Some enterprise fails the voucher criterion: its letter names the failing condition with its margin,
    # and never lists a passing condition under what is lacking.
    lacking = [letter for letter in letters if "do not meet yet" in letter]
    assert lacking
    section = lacking[0].split("do not meet yet")[1]
    assert "✗" in section
    assert "  ✓" not in section.split("Figures marked")[0].split("The full calculation")[0]
