"""Exact decimals as people write them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def plain(value: Decimal) -> str:
    """4, 0.5, 2.25: no exponent (5E+1), no trailing zeros (4.00), nothing rounded."""
    return format(value.normalize(), "f")


def fmt(value: Decimal | None, empty: str = "—") -> str:
    """A score for people: 94, 89.5, 89.48 (rounded to cents, half up; no trailing zeros)."""
    if value is None:
        return empty
    text = format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
