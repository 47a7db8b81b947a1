"""The pack's YAML tests as a service: every case's verdict, and a wrong expectation reported with what was
expected, what came out and the explanation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smeladder.errors import InvalidInput
from smeladder.services import packtests

from .conftest import context

TOY_PACK = Path(__file__).parents[1] / "rules" / "toy_pack"


def test_the_toy_packs_case_passes():
    result = packtests.run(context(None, pack=str(TOY_PACK)), "voucher:1:")
    assert [(c.id, c.passed) for c in result.cases] == [
        ("voucher:1:eligible under the 2023 rules with exactly 3% R&D", True)
    ]
    assert result.ok and result.passed == 1 and result.failed == 0


def test_a_wrong_expectation_fails_with_the_values_and_the_explanation(tmp_path):
    pack = tmp_path / "toy"
    shutil.copytree(TOY_PACK, pack)
    case = (TOY_PACK / "tests" / "voucher.yaml").read_text(encoding="utf-8").split("\n\n")[0]
    # voucher.yaml case 1: 10% of 360,000 is 36,000; expect 36,001 instead.
    wrong = case.replace("voucher_paid: 36000.00", "voucher_paid: 36001.00")
    (pack / "tests" / "wrong.yaml").write_text(wrong, encoding="utf-8")
    result = packtests.run(context(None, pack=str(pack)), "wrong:")
    (only,) = result.cases
    assert not only.passed and not result.ok and result.failed == 1
    assert "voucher_paid" in only.failures[0] and "expected" in only.failures[0]
    assert "36,001.00" in only.failures[0] and "36,000.00" in only.failures[0]
    assert len(only.failures) >= 2  # the explanation follows


def test_no_case_is_not_a_pass_and_the_language_is_checked():
    result = packtests.run(context(None, pack=str(TOY_PACK)), "no such case")
    assert result.cases == [] and not result.ok
    with pytest.raises(InvalidInput, match="zh or en"):
        packtests.run(context(None, pack=str(TOY_PACK)), lang="fr")
