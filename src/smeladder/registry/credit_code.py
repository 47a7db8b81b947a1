"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

Validation is python-stdnum's (`stdnum.cn.uscc`); this module adds what stdnum does not do: making valid
codes for synthetic enterprises, with the district's division code in characters 3-8 as real ones carry.
"""

from __future__ import annotations

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 excludes I, O, Z, S, V
# 9 = registered by market regulation (formerly industry and commerce), 1 = enterprise.
AUTHORITY_AND_TYPE = "91"
# GB 11714-1997 organisation code: 8 body characters and a check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def problem(code: str | None) -> str | None:
    """Why `code` is not a valid credit code, or None when it is valid."""
    if code is None or not str(code).strip():
        return "missing credit code"
    text = str(code)
    if not text.isascii():
        return "credit code must be written in ASCII letters and digits (no full-width or other characters)"
    if text != text.strip().upper():
        return "credit code must be 18 upper-case characters without spaces"
    try:
        uscc.validate(text)
    except InvalidLength:
        return f"credit code must have 18 characters, has {len(text)}"
    except InvalidFormat:
        return (
            "credit code has characters outside GB 32100 (digits 1-8, then 0-9 and A-Y without I, O, S, V, Z)"
        )
    except InvalidChecksum:
        return f"check character should be {uscc.calc_check_digit(text[:17])}, not {text[17]}"
    except ValidationError as exc:  # any other stdnum verdict
        return f"invalid credit code ({type(exc).__name__})"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def division_code(code: str) -> str:
    """Characters 3-8: the administrative division where the enterprise was registered."""
    return code[2:8]


def _org_check_character(body: str) -> str:
    total = sum(_char_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _char_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def make(adcode: str, serial: int) -> str:
    """A valid code for district `adcode`; distinct serials (0 <= serial < 31**6) give distinct codes.

    The organisation part follows the post-2015 form "MA" + 6 characters + GB 11714 check character.
    """
    if not 0 <= serial < 31**6:
        raise ValueError(f"serial out of range: {serial}")
    digits = []
    for _ in range(6):
        serial, rest = divmod(serial, 31)
        digits.append(ALPHABET[rest])
    body = "MA" + "".join(reversed(digits))
    first17 = AUTHORITY_AND_TYPE + adcode + body + _org_check_character(body)
    return first17 + uscc.calc_check_digit(first17)
