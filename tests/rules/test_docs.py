"""docs/rules-engine.md cannot drift: its parameter and YAML-test examples load with the engine."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from smeladder.rules.parameters import parse_parameter
from smeladder.rules.yamlio import loads_yaml

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules-engine.md"


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_every_yaml_example_parses_and_parameters_are_valid():
    blocks = yaml_blocks()
    assert len(blocks) >= 4
    parameters = 0
    for block in blocks:
        document = loads_yaml(block)
        if isinstance(document, dict) and ("values" in document or "bands" in document):
            parse_parameter("doc.example", document, str(DOC))
            parameters += 1
    assert parameters >= 2


def test_the_yaml_test_example_is_a_valid_case(toy_pack):
    from smeladder.rules.yamltests import Case
    from smeladder.services.packtests import registry_columns

    block = next(b for b in yaml_blocks() if b.lstrip().startswith("# tests/voucher.yaml"))
    spec = loads_yaml(block)[0]
    failures = Case(toy_pack, DOC, 0, spec, registry_columns()).run()
    # The example caps the voucher at 20,000 and expects eligibility; it must hold on the toy pack.
    assert failures == [], "\n".join(failures)


def test_the_ladder_and_measure_examples_are_valid_pack_files():
    from smeladder.rules.packfile import Ladder, Measures

    ladder = next(b for b in yaml_blocks() if b.lstrip().startswith("# ladder.yaml"))
    measures = next(b for b in yaml_blocks() if b.lstrip().startswith("# measures.yaml"))
    assert (
        Ladder.model_validate(loads_yaml(ladder)).rung("starter").criterion(dt.date(2025, 6, 1))
        == "starter_eligible"
    )
    assert Measures.model_validate(loads_yaml(measures)).money[0].id == "G1"
