"""The letter form of an explanation, written from what an enterprise needs to read: to whom, what it gets, and
for what it does not meet, what it lacks in plain words with the margin; alternatives as alternatives; references
once, as notes; money in its own currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smeladder.money import format_money
from smeladder.rules import PackError, load_pack
from smeladder.rules.explain import explain
from smeladder.rules.explain_letter import condition_sentence, need_item
from smeladder.rules.explain_nodes import Group, Leaf, Outcome, Shown
from smeladder.rules.flips import requirements
from smeladder.rules.letter_document import Letter
from smeladder.rules.letter_render import render
from smeladder.rules.types import MONEY, RATE, Money

from .conftest import duckdb_registry
from .registry_builder import tables
from .test_explain import AS_OF, KEY, registry

ACTIONS = {"full_calculation": "explain {key} on {as_of}"}


def letter(explanation, lang, names=None, fmt="text"):
    return render(explanation.letter(lang, names), fmt, ACTIONS)


def test_the_letter_states_each_shortfall_in_words_with_its_margin(toy_pack):
    explanation = explain(toy_pack, registry(toy_pack), KEY, AS_OF)
    english = letter(explanation, "en", {"zh": "河畔科技"})
    assert f"To: 河畔科技, unified social credit code {KEY}" in english
    assert (
        "Prior-year revenue at least the minimum (2024): 14,200,000.00 yuan, needs at least 15,000,000.00 yuan: "
        "800,000.00 yuan more" in english
    )
    assert (
        "Debt-to-asset ratio at most 70% (2024): 80%, needs at most 70%: 10 percentage points or " in english
    )
    assert "1,000,000.00 yuan less" in english
    assert "needs yes" not in english and "all of" not in english
    # The full calculation is a next action the interface words: here as ACTIONS says.
    assert english.splitlines()[-1] == f"The full calculation, formula by formula: explain {KEY} on {AS_OF}"
    assert "smeladder" not in render(explanation.letter("en"))
    chinese = letter(explanation, "zh", {"zh": "河畔科技"})
    assert f"致：河畔科技（统一社会信用代码 {KEY}）" in chinese
    assert "上年营业收入达到下限（2024年）：1,420.00万元，要求不低于1,500.00万元：还差80.00万元" in chinese
    assert chinese.splitlines()[-1] == f"逐项计算过程：explain {KEY} on {AS_OF}"


def test_the_letter_is_one_document_in_text_markdown_and_html(toy_pack):
    document = explain(toy_pack, registry(toy_pack), KEY, AS_OF).letter("en", {"zh": "河畔科技"})
    assert isinstance(document, Letter) and [s.id for s in document.sections][:2] == ["receives", "lacking"]
    (lacking,) = [s for s in document.sections if s.id == "lacking"]
    (criterion,) = lacking.items
    assert [item.condition.variable for item in criterion.items] == ["revenue", "total_liabilities"]
    markdown = render(document, "markdown", ACTIONS)
    assert markdown.startswith("# Riverside innovation vouchers")
    assert "\n- Eligible for the innovation voucher [1, 2, 3]\n  - Prior-year revenue at least" in markdown
    assert f"`explain {KEY} on {AS_OF}`" in markdown
    html = render(document, "html", ACTIONS)
    assert html.startswith('<article class="letter" lang="en">') and html.endswith("</article>")
    assert '<a href="#note-1">1</a>' in html and '<li id="note-1">Riverside Order 7/2023, Art. 3' in html
    assert 'data-code="full_calculation"' in html and "&amp;" not in html.split("<h1>")[0]


def test_a_reference_is_told_once_as_a_numbered_note(toy_pack):
    english = letter(explain(toy_pack, registry(toy_pack), KEY, AS_OF), "en")
    notes = english.split("References:")[1]
    assert english.count("Riverside Order 7/2023, Art. 3(2)") == 1
    assert "Riverside Order 7/2023, Art. 3(2)" in notes
    body = english.split("References:")[0]
    assert "Riverside Order" not in body  # the body cites [n], never the text


def test_an_alternative_reads_as_an_alternative():
    tree = Group(
        mode="any",
        outcome=Outcome.NOT_MET,
        label="Innovation, or a direct condition",
        label_zh="创新能力或直通条件",
        children=(
            _leaf("R&D share", ">=", value=Decimal("2"), threshold=Decimal("3"), margin=Decimal("1")),
            _leaf("Or an S&T award, top 3", "<=", value=None, threshold=3),
        ),
    )
    needs = requirements(tree)
    assert len(needs) == 1 and needs[0].is_choice
    item = need_item(needs[0], "en")
    assert item.text == "Innovation, or a direct condition — one of:"
    assert item.items[1].lead == "or, instead: "
    assert item.items[1].text == "an S&T award, top 3: not on record, needs at most 3"
    # In Chinese too the label's own "Or" is dropped after "或者：".
    chinese = need_item(needs[0], "zh")
    assert chinese.text == "创新能力或直通条件（满足其一即可）："
    assert chinese.items[1].lead + chinese.items[1].text == "或者：an S&T award，top 3：无记录，要求不高于3"


def test_equally_short_ways_are_all_listed():
    # Both alternatives lack one condition: neither is dropped for the other (it used to keep the first).
    from smeladder.rules.flips import to_flip

    tree = Group(
        mode="all",
        outcome=Outcome.NOT_MET,
        children=(
            Group(
                mode="any",
                outcome=Outcome.NOT_MET,
                children=(
                    _leaf("Revenue", ">=", value=1, threshold=2, margin=Decimal(1)),
                    _leaf("Equity", ">=", value=1, threshold=2, margin=Decimal(1)),
                    Group(
                        mode="all",
                        outcome=Outcome.NOT_MET,
                        children=(
                            _leaf("A", ">=", value=1, threshold=2),
                            _leaf("B", ">=", value=1, threshold=2),
                        ),
                    ),
                ),
            ),
            _leaf("Debt", "<=", value=3, threshold=2, margin=Decimal(1)),
        ),
    )
    need = to_flip(tree)
    assert need.kind == "all" and need.cost == 2
    choice, debt = need.parts
    assert [part.leaf.label for part in choice.parts] == ["Revenue", "Equity"]  # not A + B: two changes
    assert debt.leaf.label == "Debt"


def test_nothing_on_record_is_said_so_not_as_zero_above_zero():
    leaf = _leaf(
        "A contract with a qualified provider",
        ">",
        value=Decimal("0.00"),
        threshold=Decimal("0.00"),
        margin=Decimal("0.00"),
        unit_type="money",
    )
    assert condition_sentence(leaf, "en") == "A contract with a qualified provider: none on record"
    assert "0.00" not in condition_sentence(leaf, "zh")
    # A score of 0 is a figure, not a missing record.
    points = _leaf("S&T staff points not zero", ">", value=0, threshold=0, margin=0, unit_type="int")
    assert condition_sentence(points, "en").startswith("S&T staff points not zero: 0, needs above 0")


def test_a_share_that_cannot_be_computed_says_so():
    leaf = Leaf(
        kind="share",
        variable="rd_staff",
        outcome=Outcome.UNCOMPUTABLE,
        op=">=",
        period="2024",
        value=0,
        share=Decimal("0.5"),
        denominator="employees",
        denominator_value=0,
        denominator_label="Employees",
        denominator_label_zh="从业人员",
        label="R&D staff share",
        label_zh="研发人员占比",
        shown_en=Shown("0", denominator="0"),
        shown_zh=Shown("0", denominator="0"),
    )
    assert condition_sentence(leaf, "en") == "R&D staff share (2024): cannot be computed, Employees is 0"
    assert condition_sentence(leaf, "zh") == "研发人员占比（2024年）：无法计算，从业人员为0"
    assert not leaf.passed


def test_money_in_another_currency_and_plain_decimals():
    assert format_money(Decimal("1000000000"), "USD", "en") == "US$1,000,000,000"
    assert format_money(Decimal("1000000000"), "USD", "zh") == "10亿美元"
    assert format_money(Decimal("50000000"), "USD", "zh") == "5000万美元"
    assert format_money(Decimal("1234.5"), "USD", "en") == "US$1,234.50"
    assert Money("usd").show(Decimal("100000000.00"), "en") == "US$100,000,000"
    assert MONEY.show(Decimal("14200000.00"), "en") == "14,200,000.00 yuan"
    assert RATE.show(Decimal("7.500000")) == "7.5"
    assert RATE.show(Decimal("10.000000")) == "10"


def _usd_pack(tmp_path, variable_type: str):
    (tmp_path / "parameters").mkdir()
    (tmp_path / "variables").mkdir()
    (tmp_path / "pack.yaml").write_text(
        "name: usd\nlabel: Valuation test\nentity: {table: enterprise, key: credit_code}\n"
        "tables:\n  enterprise_year: {period_column: fiscal_year}\n"
    )
    (tmp_path / "parameters" / "min_valuation.yaml").write_text(
        "description: Minimum valuation, US dollars\nunit: USD\nreference: {document: Order 1}\nconfirmed: true\n"
        "values:\n  2020-01-01: 1000000000\n"
    )
    (tmp_path / "variables" / "rules.py").write_text(
        "from smeladder.rules import MONEY, Input, Money, at_least, criterion, param\n"
        f"valuation = Input('enterprise_year.operating_revenue', type={variable_type}, default=0, label='Valuation')\n"
        "big = criterion(at_least('valuation', param('min_valuation'), at='last_year', label='Valued enough'),"
        " label='Big')\n"
    )
    return load_pack(tmp_path)


def _usd_registry(pack):
    return duckdb_registry(
        tables(
            enterprise=[{"credit_code": KEY, "name_zh": "河畔科技", "district_adcode": "310115"}],
            enterprise_year=[{"credit_code": KEY, "fiscal_year": 2024, "operating_revenue": "250000000.00"}],
        ),
        pack,
    )


def test_a_threshold_in_us_dollars_prints_in_us_dollars(tmp_path):
    pack = _usd_pack(tmp_path, 'Money("USD")')
    explanation = explain(pack, _usd_registry(pack), KEY, AS_OF)
    english = letter(explanation, "en")
    assert (
        "Valued enough (2024): US$250,000,000, needs at least US$1,000,000,000: US$750,000,000 more"
        in english
    )
    assert "yuan" not in english and "万元" not in letter(explanation, "zh")
    assert "≥ 10亿美元" in explanation.text("zh")


def test_a_yuan_variable_held_to_a_dollar_threshold_is_refused(tmp_path):
    pack = _usd_pack(tmp_path, "MONEY")
    with pytest.raises(PackError, match="Money"):
        explain(pack, _usd_registry(pack), KEY, dt.date(2025, 8, 1))


def _leaf(label, op, *, value, threshold, margin=None, unit_type=""):
    """A failing compare condition as the engine explains it (displayed values as plain numbers)."""
    shown = "" if value is None else str(value)
    words = Shown(shown, str(threshold), "" if margin is None else str(margin))
    return Leaf(
        kind="compare",
        variable="x",
        outcome=Outcome.NOT_MET,
        op=op,
        period="2025-08-01",
        value=value,
        threshold=threshold,
        margin=margin,
        label=label,
        label_zh=label,
        unit_type=unit_type,
        shown_en=words,
        shown_zh=words,
    )
