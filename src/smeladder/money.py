"""Money is exact: `Decimal` yuan with two places (fen). One rounding rule, used everywhere.

Other currencies (a valuation in US$) are shown by `format_money`; amounts stay exact the same way.

Rounding: half away from zero to the fen (`ROUND_HALF_UP` in Python's decimal module, which rounds
half away from zero), the rule DuckDB, PostgreSQL and Spark all apply in `round()` on decimals, so a
batch result and a single-enterprise explanation agree to the fen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
# DECIMAL(18, 2): up to 9,999,999,999,999,999.99 yuan, stored as a 64-bit integer of fen by DuckDB.
PRECISION = 18
SCALE = 2
SQL_TYPE = f"DECIMAL({PRECISION},{SCALE})"


def to_fen(value: Decimal | int | str) -> Decimal:
    """Round a yuan amount to the fen by the one rounding rule."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def parse_yuan(text: str) -> Decimal:
    """Parse a yuan amount written with at most two decimals; raise ValueError otherwise."""
    cleaned = text.strip().replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {text!r}")
    if amount != amount.quantize(FEN, rounding=ROUND_HALF_UP):
        raise ValueError(f"more than two decimals (fen): {text!r}")
    return amount.quantize(FEN)


def format_yuan(amount: Decimal, lang: str = "en") -> str:
    """Human form: 14,200,000.00 yuan / 1,420.00万元."""
    if lang == "zh":
        if abs(amount) >= 10_000:
            return f"{(amount / 10_000).quantize(FEN, rounding=ROUND_HALF_UP):,}万元"
        return f"{amount:,}元"
    return f"{amount:,} yuan"


def plain_decimal(value: Decimal) -> str:
    """A decimal without trailing zeros and never in exponent form: 7.500000 -> 7.5, 10.000000 -> 10."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text


# Currencies other than yuan: (English prefix, Chinese suffix). Yuan keeps smeladder.money's form.
CURRENCIES = {
    "USD": ("US$", "美元"),
    "EUR": ("€", "欧元"),
    "HKD": ("HK$", "港元"),
    "GBP": ("£", "英镑"),
    "JPY": ("¥", "日元"),
}
YUAN_CODES = ("", "CNY", "yuan")


def format_money(amount: Decimal, currency: str = "CNY", lang: str = "en") -> str:
    """An amount in its currency: yuan as smeladder.money writes it; others as US$1,000,000,000 / 10亿美元
    (cents only when there are any)."""
    if currency in YUAN_CODES:
        return format_yuan(amount, lang)
    prefix, suffix = CURRENCIES.get(currency, (f"{currency} ", currency))
    if lang == "zh":
        for size, word in ((Decimal(100_000_000), "亿"), (Decimal(10_000), "万")):
            if abs(amount) >= size:
                return f"{plain_decimal((amount / size).quantize(Decimal('0.0001')))}{word}{suffix}"
        return f"{plain_decimal(amount)}{suffix}"
    sign = "-" if amount < 0 else ""
    whole = abs(amount) == abs(amount).to_integral_value()
    shown = f"{abs(amount):,.0f}" if whole else f"{abs(amount):,.2f}"
    return f"{sign}{prefix}{shown}"


def is_currency(unit: str) -> bool:
    """Whether a parameter's unit names money (yuan or a currency code the engine knows)."""
    return unit in YUAN_CODES or unit in CURRENCIES
