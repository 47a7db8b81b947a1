"""Exact decimal arithmetic that DuckDB, PostgreSQL and Spark compute alike: the engine rewrites every formula's
expression with `exact` before it compiles it.

Why: the backends disagree on what `a / b` is. DuckDB turns a decimal quotient into a double, Spark into a
decimal rounded half up to a scale of its own choosing (then rounded again by a cast), PostgreSQL into a
numeric with at least 16 significant digits; and a decimal cast to an integer is rounded by DuckDB and
PostgreSQL but truncated by Spark. Sums, differences and products of decimals are exact on all three (Spark
once `spark.sql.decimalOperations.allowPrecisionLoss` is off, which `backends.spark_source` sets).

So a quotient is computed exactly, from integers: a / b at scale S is N / D with N = a * 10^(k+S) and
D = b * 10^k (k covers both operands' decimals). N - N % D is an exact multiple of D, so the double estimate of
(N - N % D) / D rounds to that integer exactly while it has at most 15 digits (QUOTIENT_DIGITS); a longer
quotient is an overflow error on every backend, never a wrong digit. The remainder then rounds it once, half
away from zero like money (smeladder.money). The scale S is the one the formula asks for:
`(a / b).cast("decimal(18,4)")` or `(a / b).round(4)` round to 4 decimals, a cast to an integer to 0, and
`a // b` is the floor. A quotient with no scale (compared, added, returned bare) is refused: a comparison is
written exactly (`share_at_least`, `a >= t * b`), never through a rounded quotient (docs/rules-engine.md,
"Division and rounding").
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import ibis
import ibis.expr.datatypes as idt
import ibis.expr.operations as ops

from smeladder.rules.errors import PackError

WIDE_INTEGER = idt.Decimal(38, 0)
DOUBLE = idt.float64
# The most digits a quotient has, counted at its scale (at 4 decimals: below 100 billion): within them the
# double estimate of an exact integer quotient errs by less than 0.5 (three roundings of 2^-53, times 10^15).
QUOTIENT_DIGITS = 15
TRUNCATED = idt.Decimal(QUOTIENT_DIGITS, 0)


def exact(value: ibis.Value) -> ibis.Value:
    """`value` with every decimal or integer quotient computed exactly (see the module's docstring) and every
    decimal cast to an integer rounded half away from zero first. Raises PackError for a quotient without a
    scale."""
    memo: dict[ops.Node, ops.Node] = {}
    return _rewrite(value.op(), memo).to_expr()


def scale_bound(op: ops.Value) -> int:
    """The most decimals `op` can have on any backend. Ibis's own decimal types are not that: it types a product
    of DECIMAL(18,4) and DECIMAL(18,1) as DECIMAL(18,4), where every backend computes 5 decimals."""
    dtype = op.dtype
    if not dtype.is_numeric() or dtype.is_integer() or dtype.is_boolean():
        return 0
    if isinstance(op, ops.Cast | ops.Literal | ops.Field):
        return dtype.scale or 0
    if isinstance(op, ops.Round):
        return _round_digits(op)
    children = [scale_bound(arg) for arg in _value_args(op) if arg.dtype.is_numeric()]
    if isinstance(op, ops.Multiply):
        return sum(children)
    return max(children, default=dtype.scale or 0)


def _value_args(op: ops.Node) -> list[ops.Value]:
    found = []
    for arg in op.__args__:
        for item in arg if isinstance(arg, tuple) else (arg,):
            if isinstance(item, ops.Value):
                found.append(item)
    return found


def _rewrite(op: ops.Node, memo: dict[ops.Node, ops.Node]) -> ops.Node:
    if op in memo:
        return memo[op]
    if not isinstance(op, ops.Value) or isinstance(op, ops.Field | ops.Literal):
        return op  # a relation (already compiled level) or a leaf
    if isinstance(op, ops.Cast | ops.Round) and type(op.arg) is ops.Divide and _is_exact_quotient(op.arg):
        scale = _target_scale(op)
        if scale is not None:
            left, right = (_rewrite(arg, memo) for arg in (op.arg.left, op.arg.right))
            quotient = _quotient(left.to_expr(), right.to_expr(), scale, _half_away).op()
            result = ops.Cast(quotient, to=op.dtype) if isinstance(op, ops.Cast) else quotient
            memo[op] = result
            return result
    if isinstance(op, ops.FloorDivide) and _is_exact_quotient(op):
        left, right = (_rewrite(arg, memo) for arg in (op.left, op.right))
        result = ops.Cast(_quotient(left.to_expr(), right.to_expr(), 0, _floor).op(), to=op.dtype)
        memo[op] = result
        return result
    if isinstance(op, ops.Divide) and _is_exact_quotient(op):
        raise PackError(
            "a decimal quotient needs the scale it is rounded to: `(a / b).round(4)` or "
            "`(a / b).cast('decimal(18,6)')`; to compare a share, use share_at_least or `a >= t * b` (exact)"
        )
    changed = {}
    for name, arg in zip(op.__argnames__, op.__args__, strict=True):
        if isinstance(arg, tuple):
            new = tuple(_rewrite(item, memo) if isinstance(item, ops.Node) else item for item in arg)
        elif isinstance(arg, ops.Node):
            new = _rewrite(arg, memo)
        else:
            continue
        if new != arg:
            changed[name] = new
    result = op.copy(**changed) if changed else op
    if isinstance(result, ops.Cast) and result.to.is_integer() and result.arg.dtype.is_decimal():
        # Spark truncates a decimal cast to an integer; DuckDB and PostgreSQL round it half away from zero.
        result = ops.Cast(ops.Round(result.arg, digits=0), to=result.to)
    memo[op] = result
    return result


def _is_exact_quotient(op: ops.Node) -> bool:
    """A quotient of decimals or integers (a float quotient is a float: the engine refuses floats elsewhere)."""
    return isinstance(op, ops.Divide) and all(
        arg.dtype.is_decimal() or arg.dtype.is_integer() for arg in (op.left, op.right)
    )


def _round_digits(op: ops.Round) -> int:
    digits = getattr(op.digits, "value", None)  # `round()` without digits rounds to an integer
    return int(digits) if digits is not None else 0


def _target_scale(op: ops.Cast | ops.Round) -> int | None:
    if isinstance(op, ops.Round):
        return _round_digits(op)
    if op.to.is_decimal():
        return op.to.scale or 0
    if op.to.is_integer():
        return 0
    return None


def _integer(value: ibis.Value, scale: int, shift: int) -> ibis.Value:
    """value * 10^shift as an exact integer, for a value with at most `scale` decimals (shift >= scale)."""
    widened = ops.Cast(value.op(), to=idt.Decimal(38, scale)).to_expr()
    if shift == 0:
        return ops.Cast(widened.op(), to=WIDE_INTEGER).to_expr()
    factor = ibis.literal(Decimal(10**shift), type=idt.Decimal(min(38, shift + 1), 0))
    return ops.Cast((widened * factor).op(), to=WIDE_INTEGER).to_expr()


def _as_double(value: ibis.Value) -> ibis.Value:
    return ops.Cast(value.op(), to=DOUBLE).to_expr()


def _half_away(remainder, divisor, negative):
    away = ibis.ifelse(negative, -1, 1)
    return ibis.ifelse(remainder.abs() * 2 >= divisor.abs(), away, 0)


def _floor(remainder, divisor, negative):
    return ibis.ifelse(negative & (remainder != 0), -1, 0)


def _quotient(
    left: ibis.Value, right: ibis.Value, scale: int, rounding: Callable[..., ibis.Value]
) -> ibis.Value:
    """left / right as DECIMAL(38, scale), rounded by `rounding`; NULL when right is zero or NULL."""
    common = max(scale_bound(left.op()), scale_bound(right.op()))
    numerator = _integer(left, scale_bound(left.op()), common + scale)
    denominator = _integer(right, scale_bound(right.op()), common).nullif(0)
    # The remainder takes the numerator's sign on all three backends (truncated division).
    remainder = numerator % denominator
    multiple = numerator - remainder
    # `multiple / denominator` is an integer below 10^15, so its double estimate is off by less than 0.5 and
    # rounds to it exactly; a larger quotient overflows DECIMAL(15,0): an error, never a wrong digit.
    truncated = ops.Cast((_as_double(multiple) / _as_double(denominator)).op(), to=TRUNCATED).to_expr()
    negative = (numerator < 0) != (denominator < 0)
    unscaled = truncated + rounding(remainder, denominator, negative)
    unit = ibis.literal(Decimal(1).scaleb(-scale), type=idt.Decimal(38, scale))
    return ops.Cast((unscaled * unit).op(), to=idt.Decimal(38, scale)).to_expr()
