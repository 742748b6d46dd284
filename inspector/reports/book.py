"""Streamed workbooks in the official style: one ``Book``, sheets written row by row.

Workbooks are written in openpyxl's write-only mode: rows go to disk as they are appended, so a
round of a thousand units costs little memory, and styles are shared, precomputed style arrays
rather than per-cell style objects (that is what keeps a styled export within twice the time of
an unstyled one). The price of streaming: column widths, frozen panes and print titles are fixed
when a sheet is opened, and each row's height is set as it is written. Heights are estimated
from the text and the column widths, because spreadsheet programs differ in whether they grow
rows for wrapped text on their own; an explicit height reads the same in WPS, LibreOffice and
Excel.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from inspector.io import xlsx_cells, xlsx_style
from inspector.io.xlsx_cells import display_width

LINE_HEIGHT = 15.5  # points per line of 11 pt text: CJK faces run about 1.36 em (Noto CJK: 15 pt)
ROW_PADDING = 6.0
MIN_ROW_HEIGHT = 20.0
MAX_ROW_HEIGHT = 409.0  # the most a spreadsheet row can be
MAX_LINES = int((MAX_ROW_HEIGHT - ROW_PADDING) // LINE_HEIGHT)
CHARS_PER_WIDTH = 0.9  # display-width units (CJK = 2) per column-width unit, conservatively
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
TOKEN = re.compile(r"[!-~]+|.", re.S)  # ASCII words stay whole; anything else is one token

# name: (font, bordered, horizontal alignment, wrap, fill, number format)
STYLES: dict[str, tuple[str, bool, str, bool, str | None, str | None]] = {
    "title": ("title", False, "center", True, None, None),
    "subtitle": ("subtitle", False, "center", True, None, None),
    "heading": ("heading", True, "center", True, xlsx_style.HEADER_FILL, None),
    "section": ("heading", True, "left", True, xlsx_style.SECTION_FILL, None),
    "label": ("bold", True, "left", True, xlsx_style.SECTION_FILL, None),
    "text": ("body", True, "left", True, None, None),
    "text_bold": ("bold", True, "left", True, None, None),
    "center": ("body", True, "center", True, None, None),
    "center_bold": ("bold", True, "center", True, None, None),
    "num": ("body", True, "center", False, None, "General"),
    "num_bold": ("bold", True, "center", False, None, "General"),
    "pct": ("body", True, "center", False, None, "0.0%"),
    "pct_bold": ("bold", True, "center", False, None, "0.0%"),
    "date": ("body", True, "center", False, None, "date"),
    "note": ("body", False, "left", True, None, None),
    "plain": ("body", False, "left", False, None, None),
}
WRAPPED = {name for name, spec in STYLES.items() if spec[3]}


class ReportCell(Cell):
    """A streamed cell whose style is fixed when it is made.

    openpyxl works out a cell's style id when writing it, by hashing its style array, and
    ``WriteOnlyWorksheet.append`` probes every value it is given by trying to bind it (an
    exception per ready-made cell). Half the export's time went there; a report cell carries
    its style id, computed once per style, and rows are handed to the writer as they are.
    """

    __slots__ = ("_sid",)

    def __init__(self, ws: Any, style: Any, sid: int) -> None:
        self.parent = ws
        self._style = style  # shared by every cell of the style: streamed cells never change
        self._sid = sid
        self.row = 1
        self.column = 1
        self._value = None
        self.data_type = "n"
        self._hyperlink = None
        self._comment = None

    @property
    def style_id(self) -> int:
        return self._sid

    @property
    def has_style(self) -> bool:
        return True


def _cells_as_given(cells: Sequence[Any], row: int) -> Iterator[Any]:
    """Stands in for ``WriteOnlyWorksheet._values_to_row``: our rows are cells already."""
    for column, cell in enumerate(cells, start=1):
        if cell is not None:
            cell.column = column
            cell.row = row
            yield cell


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    style: str = "text"
    key: bool = False  # identifies a row (unit, code): repeated where a long text continues


def sheet_name(text: str) -> str:
    """A valid sheet name: no []:*?/\\, at most 31 characters."""
    return SHEET_NAME_BAD.sub("_", text).strip("'")[:31] or "Sheet"


@lru_cache(maxsize=8192)  # category, item and rule texts come back on every unit
def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` units wide."""
    per_line = max(1.0, (width - 1.0) * CHARS_PER_WIDTH)
    if len(text) * 2 <= per_line and "\n" not in text:
        return 1
    return sum(_wrapped(part, per_line) for part in text.split("\n"))


def _wrapped(part: str, per_line: float) -> int:
    """Greedy line filling as spreadsheet programs do it: CJK text breaks between any two
    characters, a run of Latin letters and digits ("GB/T", "22239-2019") only at its ends."""
    if display_width(part) <= per_line:
        return 1
    lines, used = 1, 0.0
    for token in TOKEN.findall(part):
        size = display_width(token)
        if used + size <= per_line:
            used += size
        elif token.isspace():
            lines, used = lines + 1, 0.0
        elif size > per_line:  # a word longer than a line is cut anywhere
            total = used + size
            lines += math.ceil(total / per_line) - 1
            used = total - (math.ceil(total / per_line) - 1) * per_line
        else:
            lines, used = lines + 1, float(size)
    return lines


def split_text(text: str, width: float, max_lines: int) -> list[str]:
    """``text`` cut into pieces of at most ``max_lines`` wrapped lines each; joined, the
    pieces give ``text`` back."""
    per_line = max(1.0, (width - 1.0) * CHARS_PER_WIDTH)
    lines: list[str] = []  # visual lines; a paragraph's last line keeps its newline
    paragraphs = text.split("\n")
    for number, paragraph in enumerate(paragraphs):
        current, used = "", 0.0
        wrapped: list[str] = []
        for token in TOKEN.findall(paragraph):
            size = display_width(token)
            if used + size > per_line and current:
                wrapped.append(current)
                current, used = "", 0.0
            while size > per_line:  # a word longer than a line is cut anywhere
                cut = 1
                while cut < len(token) and display_width(token[: cut + 1]) <= per_line:
                    cut += 1
                wrapped.append(token[:cut])
                token = token[cut:]
                size = display_width(token)
            current += token
            used += size
        wrapped.append(current)
        if number < len(paragraphs) - 1:
            wrapped[-1] += "\n"
        lines.extend(wrapped)
    return ["".join(lines[i : i + max_lines]) for i in range(0, len(lines), max_lines)]


def word_width(text: str) -> float:
    """The width that holds the longest unbreakable (Latin) word of ``text`` on one line."""
    longest = max((len(w) for w in re.findall(r"[!-~]+", text)), default=0)
    return longest / CHARS_PER_WIDTH + 2 if longest else 0


def fit_width(texts: Sequence[str], minimum: float, maximum: float, padding: float = 3) -> float:
    """A column width that shows the widest of ``texts`` on one line, within bounds."""
    widest = max((display_width(t) for t in texts), default=0)
    return max(minimum, min(maximum, widest / CHARS_PER_WIDTH + padding))


class Book:
    """A write-only workbook with the report styles registered once."""

    def __init__(self, lang: str, title: str, when: date) -> None:
        self.wb = Workbook(write_only=True)
        self.lang = lang
        self.cells = 0
        self._styles: dict[str, Any] | None = None
        props = self.wb.properties
        props.creator = "inspector"
        props.lastModifiedBy = "inspector"
        props.title = xlsx_cells.safe_text(title)
        stamp = datetime(when.year, when.month, when.day)
        props.created = stamp
        props.modified = stamp

    def styles(self, ws: Any) -> dict[str, Any]:
        if self._styles is None:
            fonts = xlsx_style.fonts()
            border = xlsx_style.thin_border()
            self._styles = {}
            for name, (font, bordered, horizontal, wrap, fill, fmt) in STYLES.items():
                cell = WriteOnlyCell(ws)
                cell.font = fonts[font]
                if bordered:
                    cell.border = border
                cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
                if fill:
                    cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
                if fmt == "date":
                    cell.number_format = xlsx_style.DATE_FORMATS.get(self.lang, "yyyy-mm-dd")
                elif fmt:
                    cell.number_format = fmt
                style = cell._style
                self._styles[name] = (style, self.wb._cell_styles.add(style))
        return self._styles

    def sheet(
        self,
        name: str,
        columns: Sequence[Column],
        landscape: bool,
        title_rows: int = 2,
        header_rows: int = 1,
        freeze_cols: int = 0,
    ) -> Sheet:
        return Sheet(self, name, columns, landscape, title_rows, header_rows, freeze_cols)

    def save(self, path: Path) -> None:
        self.wb.save(path)

    def discard(self) -> None:
        """Close the sheets' streams after a failed save (they hold open temporary files)."""
        for ws in self.wb.worksheets:
            with contextlib.suppress(Exception):
                ws.close()


class Sheet:
    """One streamed sheet: title rows, header rows, then data rows, in that order."""

    def __init__(
        self,
        book: Book,
        name: str,
        columns: Sequence[Column],
        landscape: bool,
        title_rows: int,
        header_rows: int,
        freeze_cols: int,
    ) -> None:
        self.book = book
        self.columns = list(columns)
        self.ws = book.wb.create_sheet(sheet_name(name))
        self.styles = book.styles(self.ws)
        self.row_index = 0
        self.header_first = title_rows + 1
        self.header_last = title_rows + header_rows
        self.last = get_column_letter(len(self.columns))
        # a heading word ("Aggravated", "responsibility") is never cut in two
        self.columns = [
            Column(c.header, max(c.width, word_width(c.header)), c.style, c.key)
            for c in self.columns
        ]
        for index, column in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        if header_rows:
            self.ws.freeze_panes = f"{get_column_letter(freeze_cols + 1)}{self.header_last + 1}"
        titles = f"{self.header_first}:{self.header_last}" if header_rows else None
        xlsx_style.print_setup(self.ws, landscape, titles)
        # rows of one line take this height; only taller rows get a height of their own
        self.ws.sheet_format.defaultRowHeight = MIN_ROW_HEIGHT
        self.ws.sheet_format.customHeight = True
        self.ws._values_to_row = _cells_as_given

    @property
    def total_width(self) -> float:
        return sum(c.width for c in self.columns)

    def append(
        self, cells: Sequence[tuple[object, str] | None], height: float | None = None
    ) -> int:
        """Write one row of (value, style) pairs (None leaves a cell empty); returns its number.

        Without ``height``, the row is as tall as its longest wrapped text. A text too long for
        the tallest row a spreadsheet allows goes on in the rows below, so nothing is cut off.
        """
        if height is None:
            lines = 1
            for index, entry in enumerate(cells):
                if entry is not None and entry[1] in WRAPPED and entry[0].__class__ is str:
                    lines = max(lines, text_lines(entry[0], self.columns[index].width))
            if lines > MAX_LINES:
                return self._append_long(cells)
            height = max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + ROW_PADDING)
        self.row_index += 1
        out: list[Any] = []
        ws = self.ws
        for entry in cells:
            if entry is None:
                out.append(None)
                continue
            value, style = entry
            if isinstance(value, date) and style != "date":
                style = "date"  # a date needs a date format to read as one
            array, sid = self.styles[style]
            cell = ReportCell(ws, array, sid)
            xlsx_cells.write(cell, value)
            out.append(cell)
            if value is not None and value != "":
                self.book.cells += 1
        height = min(height, MAX_ROW_HEIGHT)
        if height != MIN_ROW_HEIGHT:
            ws.row_dimensions[self.row_index].height = height
            ws.append(out)
            del ws.row_dimensions[self.row_index]  # written; keep memory flat
        else:
            ws.append(out)
        return self.row_index

    def _append_long(self, cells: Sequence[tuple[object, str] | None]) -> int:
        """A row whose texts overflow one row: the overflow continues in the rows below, in the
        same columns, beside the row's identifying texts (its other cells stay empty, framed)."""
        pieces: dict[int, list[str]] = {}
        for index, entry in enumerate(cells):
            if entry is not None and entry[1] in WRAPPED and entry[0].__class__ is str:
                text = str(entry[0])
                if text_lines(text, self.columns[index].width) > MAX_LINES:
                    pieces[index] = split_text(text, self.columns[index].width, MAX_LINES)
        first = 0
        for part in range(max(len(p) for p in pieces.values())):
            row: list[tuple[object, str] | None] = []
            for i, entry in enumerate(cells):
                if entry is None:
                    row.append(None)
                elif i in pieces:
                    row.append((pieces[i][part] if part < len(pieces[i]) else None, entry[1]))
                elif part == 0 or self.columns[i].key:
                    row.append(entry)
                else:
                    row.append((None, entry[1]))
            # explicit heights: the pieces are known to fit, no second look needed
            lines = max(
                [1]
                + [
                    text_lines(str(e[0]), self.columns[i].width)
                    for i, e in enumerate(row)
                    if e is not None and e[1] in WRAPPED and e[0].__class__ is str
                ]
            )
            written = self.append(row, min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + ROW_PADDING))
            first = first or written
        return first

    def row(
        self,
        values: Sequence[object],
        styles: dict[int, str] | None = None,
        height: float | None = None,
    ) -> int:
        """A data row in the columns' own styles, with ``styles`` overriding some (by index)."""
        styles = styles or {}
        return self.append(
            [(value, styles.get(i, self.columns[i].style)) for i, value in enumerate(values)],
            height,
        )

    def height_for(self, text: str, width: float) -> float:
        """The row height that shows ``text`` wrapped in ``width`` units."""
        return max(MIN_ROW_HEIGHT, text_lines(text, width) * LINE_HEIGHT + ROW_PADDING)

    def merged(self, text: str, style: str, height: float | None = None, first: int = 1) -> int:
        """One text across the whole width (from column ``first``)."""
        width = sum(c.width for c in self.columns[first - 1 :])
        if height is None:
            height = max(MIN_ROW_HEIGHT, text_lines(text, width) * LINE_HEIGHT + ROW_PADDING)
        cells: list[tuple[object, str] | None] = [None] * (first - 1)
        cells.append((text, style))
        # the covered cells carry the style too, so borders run across the merged range
        cells.extend((None, style) if STYLES[style][1] else None for _ in self.columns[first:])
        row = self.append(cells, height)
        if len(self.columns) > first:
            self.ws.merged_cells.add(f"{get_column_letter(first)}{row}:{self.last}{row}")
        return row

    def title(self, title: str, subtitle: str | None) -> None:
        """The title rows (``title_rows`` = 2): a title and a line saying what this is."""
        self.merged(
            title, "title", height=max(36.0, text_lines(title, self.total_width / 1.6) * 26)
        )
        self.merged(subtitle or "", "subtitle")

    def headings(self, labels: Sequence[str] | None = None) -> int:
        labels = list(labels) if labels is not None else [c.header for c in self.columns]
        return self.append([(label, "heading") for label in labels])

    def label_row(self, label: str, value: object, style: str = "text") -> int:
        """A key–value line: the label in the first column, the value across the rest."""
        width = sum(c.width for c in self.columns[1:])
        text = value if isinstance(value, str) else ""
        height = max(self.height_for(text, width), self.height_for(label, self.columns[0].width))
        cells: list[tuple[object, str] | None] = [(label, "label"), (value, style)]
        cells.extend((None, style) for _ in self.columns[2:])
        row = self.append(cells, height)
        if len(self.columns) > 2:
            self.ws.merged_cells.add(f"B{row}:{self.last}{row}")
        return row

    def blank(self) -> int:
        return self.append([], height=10)

    def merge(self, ref: str) -> None:
        self.ws.merged_cells.add(ref)

    def autofilter(self, last_row: int | None = None) -> None:
        last_row = last_row or self.row_index
        if last_row > self.header_last:
            self.ws.auto_filter.ref = f"A{self.header_last}:{self.last}{last_row}"
