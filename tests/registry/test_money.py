from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smeladder import money


def test_half_rounds_away_from_zero():
    assert money.to_fen(Decimal("0.005")) == Decimal("0.01")
    assert money.to_fen(Decimal("-0.005")) == Decimal("-0.01")
    assert money.to_fen(Decimal("0.0049")) == Decimal("0.00")


def test_parse_refuses_more_than_two_decimals():
    with pytest.raises(ValueError, match="more than two decimals"):
        money.parse_yuan("12.345")
    assert money.parse_yuan("1,234.5") == Decimal("1234.50")


def test_zh_format_uses_wan():
    assert money.format_yuan(Decimal("14200000"), "zh") == "1,420.00万元"


@given(st.integers(-(10**15), 10**15))
def test_fen_round_trip(fen):
    amount = Decimal(fen) / 100
    assert money.parse_yuan(str(amount)) == amount
