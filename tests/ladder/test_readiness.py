"""Readiness and the officer's letter: the next rung and what is lacking, condition by condition with margins,
in zh and en; apply-mode measures offered, not failed; alternatives as alternatives; US$ in US$."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from smeladder.ladder.letter import leaf_sentence, letter_document
from smeladder.ladder.readiness import has_ladder, readiness
from smeladder.rules.explain import explain
from smeladder.rules.explain_nodes import Leaf, Outcome
from smeladder.rules.letter_render import render

from .conftest import AS_OF, KNOWN

ACTIONS = {"full_calculation": "smeladder explain {key} --as-of {as_of} --trace"}


def render_letter(report, pack, lang):
    return render(letter_document(report, pack, lang), "text", ACTIONS)


def test_the_known_enterprise_lacks_revenue_and_rd_share_with_margins(pack, source):
    report = readiness(pack, source, KNOWN, AS_OF)
    assert report.found and report.titles == ["first_rung"] and report.next_rung == "ss_sme"
    assert not report.next_rung_met
    by_label = {s.label: s for s in report.shortfalls}
    assert by_label["Revenue"].margin == Decimal("800000.00")
    share = by_label["R&D share of revenue"]
    assert share.ratio == Decimal("0.0260") and share.share == Decimal("0.03")
    assert share.margin == Decimal("56800.00")
    assert report.expiry["first_rung"].isoformat() == "2026-06-30"


def test_the_letter_reads_as_sentences_in_both_languages(pack, source):
    report = readiness(pack, source, KNOWN, AS_OF)
    english = render_letter(report, pack, "en")
    assert f"unified social credit code {KNOWN}" in english.splitlines()[1]
    assert "under the 2026 ladder rules" in english
    assert "tech-and-innovative SME (valid to 2026-06-30)" in english
    assert "To reach the next rung, S&S SME" in english
    assert (
        "Revenue (2025): 14,200,000.00 yuan, needs at least 15,000,000.00 yuan: 800,000.00 yuan more"
        in english
    )
    assert (
        "R&D share of revenue (2025): 2.6%, needs at least 3%: 0.4 percentage points or 56,800.00 yuan more"
        in (english)
    )
    chinese = render_letter(report, pack, "zh")
    assert "迈向下一梯度（专精特新中小企业）" in chinese
    assert "还差80.00万元" in chinese
    assert "还差0.4个百分点（约5.68万元）" in chinese
    assert chinese.splitlines()[-1] == f"逐项计算过程：smeladder explain {KNOWN} --as-of {AS_OF} --trace"
    # The document itself names the action by its code; the interface words it.
    document = letter_document(report, pack, "zh")
    assert [(a.code, a.key, a.as_of) for a in document.next_actions] == [("full_calculation", KNOWN, AS_OF)]


def test_a_chinese_letter_says_nothing_in_english_and_uses_full_width_punctuation(pack, source):
    chinese = render_letter(readiness(pack, source, KNOWN, AS_OF), pack, "zh")
    body = chinese.rsplit("\n", 1)[0]  # the last line is the CLI's command
    # Identifiers stay as they are: credit codes, measure ids (M4.1), parameter paths, the rule version.
    words = re.sub(
        r"[0-9A-Z]{18}|M\d\.\d[a-z]?|[a-z_0-9]+(\.[A-Za-z_0-9]+)+|规则版本 [0-9a-f]{12}|GB/T", "", body
    )
    assert not re.search(r"[A-Za-z]{2,}", words), re.findall(r".{0,20}[A-Za-z]{2,}.{0,20}", words)
    assert "Area" not in chinese and "rule set" not in chinese
    # ASCII punctuation only inside numbers ("1,420.00万元").
    ascii_marks = r"(?<!\d)[,;:()]|[,;:()](?!\d)"
    assert not re.search(ascii_marks, body), re.findall(r".{0,15}(?:" + ascii_marks + r").{0,15}", body)
    assert "第四方面" in chinese  # the Several Measures' areas, in Chinese


def test_apply_mode_measures_without_an_application_are_offered_not_failed(pack, source):
    report = readiness(pack, source, KNOWN, AS_OF)
    assert {item.measure for item in report.could_apply} >= {"M4.1", "M6.2c", "M3.4a"}
    english = render_letter(report, pack, "en")
    offered = english.split("You could also apply for")[1].split("To reach the next rung")[0]
    assert "M4.1 Digital transformation services" in offered and "service contract" in offered
    assert not re.search(r"(?<![\d,.])0\.00 yuan (>|more)|short by 0\.00", english)
    assert "needs yes" not in english and "需 是" not in render_letter(report, pack, "zh")


def test_an_alternative_reads_as_one_of_not_one_more_need(pack, source):
    english = render_letter(readiness(pack, source, KNOWN, AS_OF), pack, "en")
    choice = english.split("— one of:")[1].splitlines()
    assert choice[1].strip().startswith("- Revenue (2025)")
    assert choice[2].strip().startswith("- or, instead: equity financing")


def test_references_are_numbered_notes_not_repeated_on_every_line(pack, source):
    english = render_letter(readiness(pack, source, KNOWN, AS_OF), pack, "en")
    body, notes = english.split("\nReferences:\n")
    assert "工信部" not in body and "《" not in body
    cited = [line for line in notes.splitlines() if re.match(r"  \[\d+\] ", line)]
    assert len(cited) == len(set(cited)) >= 2


def test_unicorn_thresholds_are_in_us_dollars(pack, source):
    explanation = explain(pack, source, KNOWN, AS_OF, ["unicorn_eligible"])
    assert "US$1,000,000,000" in explanation.text("en")
    assert "10亿美元" in explanation.text("zh")
    assert "100,000.00万元" not in explanation.text("zh")


def test_designations_off_the_ladder_are_named_not_dumped(pack, source):
    # The known enterprise meets none of them and has no valuation on record: one sentence, no conditions.
    english = render_letter(readiness(pack, source, KNOWN, AS_OF), pack, "en")
    assert "You do not meet the criteria of: gazelle, unicorn, potential unicorn" in english
    assert "not on record, needs at least US$" not in english


def test_a_yes_no_condition_over_years_is_said_with_its_rate(pack):
    leaf = Leaf(
        kind="truth",
        variable="little_giant_growth_met",
        outcome=Outcome.NOT_MET,
        label="2-year average main-business growth at least 5%",
        shown_rate=Decimal("-0.0399"),
        shown_against=Decimal("0.05"),
    )
    assert leaf_sentence(leaf, "en", pack.ladder) == "2-year average main-business growth is -3.99%, below 5%"
    assert leaf_sentence(leaf, "zh", pack.ladder) == "近两年主营业务收入平均增长率为-3.99%，低于5%"


def test_the_shanghai_pack_has_a_ladder(pack):
    from smeladder.rules import load_pack

    toy = Path(__file__).resolve().parents[1] / "rules" / "toy_pack"
    assert has_ladder(pack) and not has_ladder(load_pack(toy))


def test_an_unknown_code_is_said_plainly(pack, source):
    report = readiness(pack, source, "91310000XXXXXXXXXX", AS_OF)
    assert not report.found
    assert "登记库中未找到" in render_letter(report, pack, "zh")


def test_the_letter_of_one_enterprise_is_the_same_document_for_explain_readiness_and_invitations(
    registry_dir,
):
    from smeladder.services import letters
    from smeladder.services.context import AppContext, Settings

    ctx = AppContext(Settings(data_dir=registry_dir, pack="shanghai"))
    try:
        by_readiness = letters.readiness(ctx, KNOWN, AS_OF, "zh").letter
        by_explain = letters.explain(ctx, KNOWN, AS_OF, "zh").letter
        assert by_readiness == by_explain == letters.letter_of(ctx, KNOWN, AS_OF, "zh")
    finally:
        ctx.close()
