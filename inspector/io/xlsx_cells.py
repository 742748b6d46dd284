"""Every value written into a workbook passes through here.

* Characters that xlsx cannot hold (C0 controls other than tab, newline and carriage return,
  U+FFFE, U+FFFF) are replaced by U+FFFD, so a stray control character never crashes an export.
* Text that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
  return) is written as text, prefixed with an apostrophe, so opening a workbook never executes
  a unit's or a YAML file's content (CSV/formula injection). Text that looks like inline
  rich-text markup (``<r>…</r>``) gets the same prefix: XlsxWriter copies such a string into the
  file's XML as it is.
* The limit of 32,767 characters per cell (counted in UTF-16 units, as Excel does) is kept.
* Numbers stay numbers (``Decimal`` becomes a float: a cell holds a double anyway) and dates
  stay dates (the cell's number format decides how they read), so they sort and filter.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import lru_cache

ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32_767  # UTF-16 code units


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@lru_cache(maxsize=32_768)  # unit, item and rule texts come back on every row
def safe_text(value: str) -> str:
    """``value`` as text a workbook can hold and no spreadsheet runs."""
    text = ILLEGAL.sub("\ufffd", value)
    if text.startswith(FORMULA_START) or (text.startswith("<r>") and text.endswith("</r>")):
        text = "'" + text
    if len(text) > MAX_CELL // 2 and _utf16_units(text) > MAX_CELL:
        text = text[: MAX_CELL - 1]
        while _utf16_units(text) > MAX_CELL - 1:
            text = text[:-1]
        text += "…"
    return text


def cell_value(value: object) -> str | float | int | bool | date | None:
    """What a cell holds for ``value``: a number, a bool, a date, safe text, or None."""
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):  # datetime is a date too
        return value
    return safe_text(value if isinstance(value, str) else str(value))


def exact_text(value: str) -> str:
    """``value`` kept as it is but for what xlsx cannot hold (illegal characters, the cell
    limit): for a cell written in a quote-prefix style (``Style.quote_prefix``), which every
    spreadsheet treats as text however it starts, so it needs no apostrophe in front."""
    text = ILLEGAL.sub("\ufffd", value)
    while len(text) > MAX_CELL // 2 and _utf16_units(text) > MAX_CELL:
        text = text[: len(text) - (_utf16_units(text) - MAX_CELL + 1) // 2 - 1]
    return text


ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def read_text(value: str) -> str:
    """A text as stored in the file, with OOXML's ``_xHHHH_`` escapes decoded as Excel,
    LibreOffice and XlsxWriter mean them: a text typed as ``_x0041_`` is stored
    ``_x005F_x0041_`` and reads back as typed.

    For what openpyxl leaves escaped: document properties, and strings stored in the cell
    (inline strings, which XlsxWriter writes in ``constant_memory`` mode). A shared string
    (what Excel, WPS, LibreOffice and XlsxWriter's default mode write) openpyxl decodes
    itself, and decoding it twice would be wrong: a workbook that is read back is written
    with shared strings."""
    if "_x" not in value:
        return value
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


def display_width(text: str) -> int:
    """Width in Excel column units: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
