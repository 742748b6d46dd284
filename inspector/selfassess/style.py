"""The look of a self-assessment template, built once per workbook from the shared fonts.

Input cells are unlocked and shaded light yellow; the header also names them ("请填写"), so
they are recognisable on a black-and-white print too. Everything else stays locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspector.io.xlsx_cells import display_width
from inspector.io.xlsx_style import fonts, thin_border

INPUT_FILL = "FFF2CC"
CATEGORY_FILL = "E7E6E6"
HEADER_FILL = "D9D9D9"
LINE_HEIGHT = 15.0  # points per line of 11-pt 仿宋
PADDING = 4.0


@dataclass(frozen=True)
class Styles:
    title: Any
    subtitle: Any
    heading: Any
    body: Any
    bold: Any
    border: Any
    wrap: Any
    wrap_center: Any
    center: Any
    top_left: Any
    input_fill: Any
    category_fill: Any
    header_fill: Any
    locked: Any
    unlocked: Any


def styles() -> Styles:
    from openpyxl.styles import Alignment, PatternFill, Protection

    f = fonts()

    def fill(color: str) -> Any:
        return PatternFill(fill_type="solid", start_color=color, end_color=color)

    return Styles(
        title=f["title"],
        subtitle=f["subtitle"],
        heading=f["heading"],
        body=f["body"],
        bold=f["bold"],
        border=thin_border(),
        wrap=Alignment(wrap_text=True, vertical="top"),
        wrap_center=Alignment(wrap_text=True, vertical="center", horizontal="center"),
        center=Alignment(vertical="top", horizontal="center", wrap_text=True),
        top_left=Alignment(vertical="center", horizontal="left", wrap_text=True),
        input_fill=fill(INPUT_FILL),
        category_fill=fill(CATEGORY_FILL),
        header_fill=fill(HEADER_FILL),
        locked=Protection(locked=True),
        unlocked=Protection(locked=False),
    )


def lines_needed(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` units wide (CJK counts double)."""
    usable = max(width - 1.5, 1.0)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += max(1, -(-display_width(paragraph) // int(usable)))
    return lines


def row_height(texts: list[tuple[str, float]], minimum: int = 1) -> float:
    """A row height (points) that shows every wrapped text whole: office programs do not grow
    rows for wrapped text on their own when a file is opened, so the writer must."""
    lines = max([minimum, *(lines_needed(text, width) for text, width in texts if text)])
    return lines * LINE_HEIGHT + PADDING
