"""Exact decimals as people write them."""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal) -> str:
    """4, 0.5, 2.25: no exponent (5E+1), no trailing zeros (4.00), nothing rounded."""
    return format(value.normalize(), "f")
