"""Official-document look for workbooks (after GB/T 9704): the one style table.

Fonts: the title in 方正小标宋简体 where installed is the standard, but most readers' machines
lack it, so titles use 宋体 (bold), headings 黑体 and body text 仿宋: the fallbacks the brief
names, present on Windows, WPS and Kylin/UOS desktops. Everything prints on A4 with the header
rows repeated on each page and the page number as "— 1 —" in the footer.

``STYLES`` names every cell look a workbook uses; ``inspector.io.xlsx_writer`` turns each into
one XlsxWriter format per workbook. A caller needing a variant (a number format in the user's
language, say) adds ``dataclasses.replace(STYLES[name], ...)`` under a new name when it opens
a book. Nothing here knows a spreadsheet library: the writer is the only place that does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
TITLE_SIZE = 18
HEADING_SIZE = 11
BODY_SIZE = 11
FOOTER_SIZE = 12
PAPER_A4 = 9
PAPER_A3 = 8  # a filing copy too wide for A4 (the round's full 整改台账)
FOOTER = "— &P —"
# page margins in inches: left/right, top, bottom, and the footer's distance from the edge
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_FOOTER = 0.5, 0.6, 0.7, 0.3
# Light greys: they print as light greys on a black-and-white printer, so the text on them
# stays readable; nothing is ever told by colour alone.
HEADER_FILL = "D9D9D9"
SECTION_FILL = "F2F2F2"
CATEGORY_FILL = "E7E6E6"
INPUT_FILL = "FFF2CC"  # the cells a unit fills in (light yellow, also named in the header)
# Dates as 2025年3月1日 in Chinese documents; ISO elsewhere.
DATE_FORMATS = {"zh": 'yyyy"年"m"月"d"日"', "en": "yyyy-mm-dd"}
DATE = "date"  # a Style.number_format: the book's date format (it depends on the language)

# font name, size, bold
FONTS: dict[str, tuple[str, int, bool]] = {
    "title": (TITLE_FONT, TITLE_SIZE, True),
    "subtitle": (BODY_FONT, BODY_SIZE, False),
    "heading": (HEADING_FONT, HEADING_SIZE, False),
    "body": (BODY_FONT, BODY_SIZE, False),
    "bold": (BODY_FONT, BODY_SIZE, True),
}


@dataclass(frozen=True)
class Style:
    """How a cell looks. Every bordered cell has a thin black frame on all four sides."""

    font: str = "body"  # a key of FONTS
    border: bool = True
    horizontal: Literal["left", "center", "right"] = "left"
    vertical: Literal["top", "center"] = "center"
    wrap: bool = True
    fill: str | None = None  # RGB, a solid fill
    number_format: str | None = None  # an Excel format code, or DATE
    locked: bool = True  # False: a unit may type here once the sheet is protected
    # the cell's text is text even when it looks like a formula, also once edited (Excel's
    # "quote prefix"): for values that must read back exactly, see ``xlsx_writer.Exact``
    quote_prefix: bool = False
    # no format at all (the workbook's default look): for cells nobody sees, such as a
    # hidden column's keys, which then cost the file nothing beyond their value
    bare: bool = False


STYLES: dict[str, Style] = {
    # reports
    "title": Style("title", border=False, horizontal="center"),
    "subtitle": Style("subtitle", border=False, horizontal="center"),
    "heading": Style("heading", horizontal="center", fill=HEADER_FILL),
    "section": Style("heading", fill=SECTION_FILL),
    "label": Style("bold", fill=SECTION_FILL),
    "text": Style(),
    "text_bold": Style("bold"),
    "center": Style(horizontal="center"),
    "center_bold": Style("bold", horizontal="center"),
    "num": Style(horizontal="center", wrap=False, number_format="General"),
    "num_bold": Style("bold", horizontal="center", wrap=False, number_format="General"),
    "pct": Style(horizontal="center", wrap=False, number_format="0.0%"),
    "pct_bold": Style("bold", horizontal="center", wrap=False, number_format="0.0%"),
    "date": Style(horizontal="center", wrap=False, number_format=DATE),
    "note": Style(border=False),
    "plain": Style(border=False, wrap=False),
    # self-assessment templates: text at the top of tall rows, inputs unlocked and shaded
    "top": Style(vertical="top"),
    "top_bold": Style("bold", vertical="top"),
    "top_center": Style(horizontal="center", vertical="top"),
    "top_center_bold": Style("bold", horizontal="center", vertical="top"),
    "category": Style("heading", fill=CATEGORY_FILL),
    "category_center": Style("heading", horizontal="center", fill=CATEGORY_FILL),
    "total": Style("heading"),
    "total_center": Style("heading", horizontal="center"),
    "input": Style(vertical="top", fill=INPUT_FILL, locked=False),
    "input_center": Style(horizontal="center", vertical="top", fill=INPUT_FILL, locked=False),
    "guide_heading": Style("heading", border=False, wrap=False),
    "exact": Style(border=False, wrap=False, quote_prefix=True),
    "hidden": Style(border=False, wrap=False, bare=True),
}
