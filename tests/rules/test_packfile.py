"""A pack's ladder.yaml, measures.yaml and guide.yaml are checked at load: a wrong field, an unknown variable or a
mode its parameter contradicts fails with the file in the message."""

from __future__ import annotations

import pytest

from smeladder.rules import PackError, load_pack

from .test_pack_checks import make_pack

RULES = """
@variable(type=MONEY, period="instant", label="Grant")
def g1_paid(v, period, p):
    return ibis.literal(1)
"""
MODE = """
description: Delivery mode
unit: mode
values: {2025-01-01: "apply"}
"""


def _pack(tmp_path, name, measures, mode=False):
    directory = make_pack(tmp_path, RULES, name=name)
    (directory / "measures.yaml").write_text(measures, encoding="utf-8")
    if mode:
        (directory / "parameters" / "G1").mkdir()
        (directory / "parameters" / "G1" / "delivery_mode.yaml").write_text(MODE, encoding="utf-8")
    return directory


def test_a_catalogue_loads_onto_the_pack(tmp_path):
    pack = load_pack(
        _pack(
            tmp_path, "good", "measures: [{id: G1, name: {en: Grant, zh: 补助}, mode: auto, paid: g1_paid}]"
        )
    )
    assert pack.measures.get("G1").name.zh == "补助" and pack.ladder is None and pack.guide is None


@pytest.mark.parametrize(
    ("measures", "mode", "message"),
    [
        (
            "measures: [{id: G1, name: {en: Grant}, mode: auto}]",
            False,
            r"measures\.0\.name\.zh: Field required",
        ),
        ("measures: [{id: G1, name: {en: G, zh: G}, mode: maybe}]", False, r"measures\.0\.mode"),
        ("measures: [{id: G1, name: {en: G, zh: G}, mode: auto, paid: g2_paid}]", False, "g2_paid"),
        ("measures: [{id: G1, name: {en: G, zh: G}, mode: auto, paid: g1_paid}]", True, "says apply"),
        (
            "measures: [{id: G1, name: {en: G, zh: G}, mode: auto}, {id: G1, name: {en: G, zh: G}, mode: auto}]",
            False,
            "repeat",
        ),
        ("measures: [{id: G1, name: {en: G, zh: {a}, mode: auto}]", False, "not valid YAML"),
    ],
)
def test_a_wrong_catalogue_fails_at_load_naming_the_file(tmp_path, measures, mode, message):
    with pytest.raises(PackError, match=message) as failed:
        load_pack(_pack(tmp_path, "bad", measures, mode))
    assert "measures.yaml" in str(failed.value)


def test_a_ladder_names_only_title_codes_it_declares(tmp_path):
    directory = make_pack(
        tmp_path, RULES + "\nholds = Aggregate('title', 'exists', type=BOOL, label='Holds')\n", name="rungs"
    )
    (directory / "pack.yaml").write_text(
        (directory / "pack.yaml").read_text() + "  title: {}\n", encoding="utf-8"
    )
    (directory / "ladder.yaml").write_text(
        """
rungs: [{id: one, label: {en: one, zh: 一}, holds: holds, titles: [t1], criteria: [{since: 2025-01-01, criterion: g1_paid}]}]
rule_sets: [{since: 2025-01-01, name: "2025"}]
rules_title: {en: rules, zh: 规则}
excluded: {variable: holds, label: {en: x, zh: x}}
titles: {t2: {en: two, zh: 二}}
""",
        encoding="utf-8",
    )
    with pytest.raises(PackError, match="title codes not in `titles`: t1"):
        load_pack(directory)
