"""Readiness: the next rung and what is lacking, condition by condition with margins, in zh and en."""

from __future__ import annotations

from decimal import Decimal

from smeladder.ladder.letter import render_letter
from smeladder.ladder.readiness import readiness

from .conftest import AS_OF, KNOWN


def test_the_known_enterprise_lacks_revenue_and_rd_share_with_margins(pack, source):
    report = readiness(pack, source, KNOWN, AS_OF)
    assert report.found and report.titles == ["first_rung"] and report.next_rung == "ss_sme"
    assert not report.next_rung_met
    by_label = {s.label_en: s for s in report.shortfalls}
    assert by_label["Revenue"].margin == Decimal("800000.00")
    share = by_label["R&D share of revenue"]
    assert share.ratio == Decimal("0.0260") and share.share == Decimal("0.03")
    assert share.margin == Decimal("56800.00")


def test_the_letter_reads_as_sentences_in_both_languages(pack, source):
    report = readiness(pack, source, KNOWN, AS_OF)
    english = render_letter(report, "en")
    assert "To reach the next rung, S&S SME, you still need:" in english
    assert (
        "Revenue (2025): 14,200,000.00 yuan; needs at least 15,000,000.00 yuan: 800,000.00 yuan more"
        in english
    )
    assert "2.60%; needs at least 3.00%: 0.40 percentage points or 56,800.00 yuan more" in english
    chinese = render_letter(report, "zh")
    assert "迈向下一梯度(专精特新中小企业),尚需:" in chinese
    assert "还差 80.00万元" in chinese
    assert "还差 0.40 个百分点(约 5.68万元)" in chinese


def test_an_unknown_code_is_said_plainly(pack, source):
    report = readiness(pack, source, "91310000XXXXXXXXXX", AS_OF)
    assert not report.found
    assert "登记库中未找到" in render_letter(report, "zh")
