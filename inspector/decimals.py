"""Exact decimals as people write them, and reading them from untrusted text safely.

``Decimal("1e999999999")`` is a valid, exact Decimal, and so is ``Decimal("1E-999999999")``:
the constructor applies no context. The first later raises ``decimal.Overflow`` in the first
``%`` or ``+`` (an internal error), the second silently becomes 0 once anything rounds it.
``parse_decimal`` refuses both before any arithmetic: it looks only at the digits and the
exponent, which needs no context and cannot overflow.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
MAX_TEXT = 64  # characters: no real score needs more
MAX_PLACES = 6  # decimal places: scores are in steps of 0.5 or 0.01
MAX_WHOLE_DIGITS = 9  # below 1,000,000,000: far beyond any total or count
FLOAT_NOISE_PLACES = 9  # 2.4999999999 from a spreadsheet is 2.5
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,12})?")


def plain(value: Decimal) -> str:
    """4, 0.5, 2.25: no exponent (5E+1), no trailing zeros (4.00), nothing rounded."""
    return format(value.normalize(), "f")


def fmt(value: Decimal | None, empty: str = "—") -> str:
    """A score for people: 94, 89.5, 89.48 (rounded to cents, half up; no trailing zeros)."""
    if value is None:
        return empty
    text = format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class BadNumber(ValueError):
    """Why a text is not a number that can be used; ``key`` and ``params`` make the message."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)


def parse_decimal(
    value: object,
    places: int = MAX_PLACES,
    whole_digits: int = MAX_WHOLE_DIGITS,
) -> Decimal:
    """``value`` (text, int, float or Decimal) as an exact Decimal within sane bounds.

    Text may use full-width digits and point ("２．５"), surrounding spaces and an exponent
    ("2.5e0"). Refused with ``BadNumber``: anything else (``value.number``: words, NaN,
    Infinity, booleans), ``whole_digits`` or more digits before the point
    (``value.too_large``: 1e999999999), more than ``places`` decimal places
    (``value.decimal_places``: 1E-999999999, 0.1234567). The result is normalised exactly
    (no trailing zeros, no exponent beyond the bounds), so any later arithmetic is safe.
    """
    if isinstance(value, bool):
        raise BadNumber("value.number")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise BadNumber("value.number")
        number = Decimal(repr(round(value, FLOAT_NOISE_PLACES)))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise BadNumber("value.number")
        number = value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value[: MAX_TEXT * 4]).strip()
        if len(text) > MAX_TEXT or not _NUMBER.fullmatch(text):
            raise BadNumber("value.number")
        number = Decimal(text)
    else:
        raise BadNumber("value.number")
    return _bounded(number, places, whole_digits)


def _bounded(number: Decimal, places: int, whole_digits: int) -> Decimal:
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    if not any(digits):
        return Decimal(0)
    # trailing zeros carry no value: 2.500 has one place, 2500 has none
    trimmed = len(digits)
    while digits[trimmed - 1] == 0:
        trimmed -= 1
    exponent += len(digits) - trimmed
    digits = digits[:trimmed]
    if len(digits) + exponent > whole_digits:  # adjusted() + 1 without any context
        # the exact number, for a message only ("得分 1E+300 无效"): no arithmetic on it
        raise BadNumber("value.too_large", number=Decimal((sign, digits, exponent)))
    if -exponent > places:
        raise BadNumber("value.decimal_places", decimal_places=places)
    if exponent > 0:  # 25E+2 as 2500: digits within whole_digits, so this is small
        digits = digits + (0,) * exponent
        exponent = 0
    return Decimal((sign, digits, exponent))
