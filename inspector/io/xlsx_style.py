"""Official-document look for workbooks (after GB/T 9704), shared by reports and templates.

Fonts: the title in 方正小标宋简体 where installed is the standard, but most readers' machines
lack it, so titles use 宋体 (bold), headings 黑体 and body text 仿宋: the fallbacks the brief
names, present on Windows, WPS and Kylin/UOS desktops. Everything prints on A4 with the header
rows repeated on each page and the page number as "— 1 —" in the footer.
"""

from __future__ import annotations

from typing import Any

TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
TITLE_SIZE = 18
HEADING_SIZE = 11
BODY_SIZE = 11
PAPERSIZE_A4 = "9"
# Light greys: they print as light greys on a black-and-white printer, so the text on them
# stays readable; nothing is ever told by colour alone.
HEADER_FILL = "D9D9D9"
SECTION_FILL = "F2F2F2"
# Dates as 2025年3月1日 in Chinese documents; ISO elsewhere.
DATE_FORMATS = {"zh": 'yyyy"年"m"月"d"日"', "en": "yyyy-mm-dd"}


def fonts() -> dict[str, Any]:
    from openpyxl.styles import Font

    return {
        "title": Font(name=TITLE_FONT, size=TITLE_SIZE, bold=True),
        "subtitle": Font(name=BODY_FONT, size=BODY_SIZE),
        "heading": Font(name=HEADING_FONT, size=HEADING_SIZE),
        "body": Font(name=BODY_FONT, size=BODY_SIZE),
        "bold": Font(name=BODY_FONT, size=BODY_SIZE, bold=True),
    }


def thin_border() -> Any:
    from openpyxl.styles import Border, Side

    side = Side(style="thin", color="000000")
    return Border(left=side, right=side, top=side, bottom=side)


def print_setup(
    sheet: Any,
    landscape: bool,
    title_rows: str | None = None,
    fit_width: bool = True,
) -> None:
    """A4, orientation, fit to page width, repeated header rows, "— n —" page footer."""
    setup = sheet.page_setup
    setup.paperSize = PAPERSIZE_A4  # a constant of Worksheet only, not of write-only sheets
    setup.orientation = "landscape" if landscape else "portrait"
    if fit_width:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth = 1
        setup.fitToHeight = 0
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.5
    margins.top = 0.6
    margins.bottom = 0.7
    margins.footer = 0.3
    footer = sheet.oddFooter.center
    footer.text = "— &P —"
    footer.font = BODY_FONT
    footer.size = 12
    sheet.evenFooter.center.text = "— &P —"


def fit_columns(
    sheet: Any, widths: dict[str, float], minimum: float = 6, maximum: float = 60
) -> None:
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = max(minimum, min(maximum, width))
