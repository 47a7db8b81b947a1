"""Value types of variables: what a formula must return, how the engine stores it, how it is shown.

Money is `DECIMAL(18,2)` yuan, rounded half away from zero at the variable boundary (smeladder.money), so a
batch run on DuckDB, PostgreSQL or Spark and an explanation agree to the fen. Floats are refused. Money in another
currency is `Money("USD")`: stored and rounded the same way (to the cent), shown in its own currency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import ibis
import ibis.expr.datatypes as idt
import pyarrow as pa

from smeladder import money


@dataclass(frozen=True)
class ValueType:
    name: str  # bool, int, money, rate, date, str, enum
    ibis_type: idt.DataType
    arrow_type: pa.DataType
    choices: dict[str, tuple[str, str]] = field(default_factory=dict)  # enum value -> (en, zh) label
    currency: str = ""  # money only: ISO 4217 code, "CNY" for yuan

    def accepts(self, dtype: idt.DataType) -> bool:
        """Whether a formula result of `dtype` can be stored as this type without losing anything."""
        if self.name == "bool":
            return dtype.is_boolean() or dtype.is_null()
        if self.name == "int":
            return dtype.is_integer() or dtype.is_null()
        if self.name in ("money", "rate"):
            return dtype.is_decimal() or dtype.is_integer() or dtype.is_null()
        if self.name == "date":
            return dtype.is_date() or dtype.is_null()
        return dtype.is_string() or dtype.is_null()

    def finish(self, expr: ibis.Value) -> ibis.Value:
        """Cast a formula's result to the stored type (money: rounded to the fen, half away from zero)."""
        # Money is always rounded in SQL: PostgreSQL's NUMERIC product carries more decimals than Ibis infers, and
        # Ibis drops a cast it deems a no-op, so without the round the backend returns unrounded values.
        if self.name == "money" and expr.type().is_decimal():
            expr = expr.round(money.SCALE)
        # A rate is rounded only when it has more decimals than stored: rounding DECIMAL(7,4) to 6 places types it
        # DECIMAL(7,6), which cannot hold 25.65 (a percent column read as a rate).
        if self.name == "rate" and _scale(expr) > RATE_SCALE:
            expr = expr.round(RATE_SCALE)
        return expr.cast(self.ibis_type)

    def to_python(self, value: object) -> object:
        """Normalise a value read back from a backend (or written in a YAML test) to this type."""
        if value is None:
            return None
        if self.name == "bool":
            return bool(value)
        if self.name == "int":
            return int(value)
        if self.name == "money":
            return money.to_fen(Decimal(str(value)))
        if self.name == "rate":
            return Decimal(str(value)).quantize(Decimal(1).scaleb(-RATE_SCALE))
        if self.name == "date":
            if isinstance(value, dt.datetime):
                return value.date()
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return str(value)

    def show(self, value: object, lang: str = "en") -> str:
        if value is None:
            return "—" if lang == "zh" else "(none)"
        if self.name == "bool":
            return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
        if self.name == "money":
            return money.format_money(Decimal(value), self.currency, lang)
        if self.name == "enum" and value in self.choices:
            en, zh = self.choices[value]
            return f"{zh if lang == 'zh' else en} ({value})"
        if self.name in ("rate", "int") and isinstance(value, Decimal | int):
            return money.plain_decimal(Decimal(value))
        return str(value)


def _scale(expr: ibis.Value) -> int:
    dtype = expr.type()
    return (dtype.scale or 0) if dtype.is_decimal() else 0


# Rates and ratios stored by the engine keep six decimals (0.031250 = 3.125%).
RATE_SCALE = 6

BOOL = ValueType("bool", idt.boolean, pa.bool_())
INT = ValueType("int", idt.int64, pa.int64())
MONEY = ValueType(
    "money",
    idt.Decimal(money.PRECISION, money.SCALE),
    pa.decimal128(money.PRECISION, money.SCALE),
    currency="CNY",
)


def Money(currency: str) -> ValueType:
    """Money in `currency` (ISO 4217, e.g. "USD"): exact to the cent like yuan, shown in that currency. A
    threshold parameter compared with it should carry the same code as its unit."""
    return ValueType("money", MONEY.ibis_type, MONEY.arrow_type, currency=currency.upper())


RATE = ValueType("rate", idt.Decimal(18, RATE_SCALE), pa.decimal128(18, RATE_SCALE))
DATE = ValueType("date", idt.date, pa.date32())
STR = ValueType("str", idt.string, pa.string())


def Enum(choices: dict[str, tuple[str, str]] | tuple[str, ...]) -> ValueType:
    """A string with a closed set of values, each with an English and a Chinese label."""
    if not isinstance(choices, dict):
        choices = {c: (c, c) for c in choices}
    return ValueType("enum", idt.string, pa.string(), dict(choices))


def literal(value: object) -> ibis.Value:
    """An Ibis literal with an exact type. Ibis would type every Decimal as DECIMAL(18,3) and silently
    drop digits (0.00005 -> 0.000), so decimals get their own scale, the smallest that holds them: DuckDB gives
    a product of DECIMAL(18) values the scale s1+s2 in 18 digits, so every spare decimal of a rate costs a
    digit of headroom for the amount it multiplies (docs/rules-engine.md, "Decimal headroom")."""
    if isinstance(value, bool):
        return ibis.literal(value, type=idt.boolean)
    if isinstance(value, int):
        return ibis.literal(value, type=idt.int64)
    if isinstance(value, Decimal):
        scale = max(0, -value.normalize().as_tuple().exponent)
        value = value.quantize(Decimal(1).scaleb(-scale))
        digits = len(value.as_tuple().digits)
        precision = max(18, digits + 1, scale + 1)
        return ibis.literal(value, type=idt.Decimal(min(precision, 38), scale))
    if isinstance(value, float):
        raise TypeError(f"float {value!r} in a rule: write it as a decimal string in YAML or Decimal('...')")
    if isinstance(value, dt.date):
        return ibis.literal(value, type=idt.date)
    if value is None:
        return ibis.null()
    return ibis.literal(str(value), type=idt.string)
