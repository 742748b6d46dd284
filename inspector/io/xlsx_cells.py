"""Every text written into a workbook passes through here.

* Characters that xlsx cannot hold (C0 controls other than tab, newline and carriage return)
  are replaced by U+FFFD, so a stray control character never crashes an export.
* Text that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
  return) is written as text, prefixed with an apostrophe, so opening a workbook never executes
  a unit's or a YAML file's content (CSV/formula injection).
* Excel's limit of 32,767 characters per cell is respected.
* Dates stay dates (the cell's number format decides how they read), so they sort and filter.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32_767


def safe_text(value: object) -> str:
    text = ILLEGAL.sub("\ufffd", str(value))
    if text.startswith(FORMULA_START):
        text = "'" + text
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text


def write(cell: Any, value: object) -> Any:
    """Set a cell to ``value``: numbers stay numbers, everything else becomes safe text."""
    from decimal import Decimal

    if value is None:
        cell.value = None
    elif isinstance(value, (bool, int, float)):
        cell.value = value
    elif isinstance(value, Decimal):
        cell.value = int(value) if value == value.to_integral_value() else float(value)
    elif isinstance(value, date):  # datetime is a date too
        cell.value = value
    else:
        cell.value = safe_text(value)
        cell.data_type = "s"
    return cell


def display_width(text: str) -> int:
    """Width in Excel column units: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
