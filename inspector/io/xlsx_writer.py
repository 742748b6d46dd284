"""The one xlsx writer: workbooks in the official style through XlsxWriter's public API.

A ``Book`` is a workbook being written to a path; its ``Sheet`` objects take rows in order,
top to bottom. In streaming mode (``streaming=True``, XlsxWriter's ``constant_memory``) every
row goes to a scratch file as soon as the next one starts, so a workbook of any size costs the
memory of one row per sheet. Several sheets may be written at once, each in row order.

Rules the API keeps, so that streaming cannot lose anything:

* Rows are appended, never revisited: ``row``/``append`` write the next row and return its
  number (1-based, as a spreadsheet shows it).
* A merge is part of the row it starts in (``spans=``): the writer issues it with that row,
  after the row's cells and height, and only registers it (the cells are written by their
  rows, the covered ones below by the rows that follow). XlsxWriter drops a merge issued once
  a row below has been written; here there is no other way to ask for one.
* Row heights are estimated from the text and the column widths (one estimator,
  ``text_lines``), because spreadsheet programs differ in whether they grow rows for wrapped
  text on their own; an explicit height reads the same in WPS, LibreOffice and Excel. A text
  too long for the tallest row (409 pt) continues in the rows below, beside the row's key
  columns, so nothing is cut off when printed.
* Every value passes through ``inspector.io.xlsx_cells``: texts are neutralised (no formula
  injection, no illegal characters, the cell limit kept); a formula is written only when the
  caller hands a ``Formula`` (the self-assessment template's subtotals; reports never do).
* Looks come from the one style table, ``inspector.io.xlsx_style.STYLES``.
* Empty cells are not written just to be framed: a run of rows whose cells are all bordered
  gets one conditional format drawing every cell's lines (``Sheet.frame``), and only empty
  cells with a fill, or in a merge, are written.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from inspector.io.xlsx_cells import ILLEGAL, cell_value, display_width, exact_text, safe_text
from inspector.io.xlsx_style import (
    BODY_FONT,
    DATE,
    DATE_FORMATS,
    FONTS,
    FOOTER,
    FOOTER_SIZE,
    HEADING_FONT,
    MARGIN_BOTTOM,
    MARGIN_FOOTER,
    MARGIN_SIDE,
    MARGIN_TOP,
    PAPER_A4,
    STYLES,
    Style,
)
from inspector.io.zip_part import replace_part

# Row heights, measured: LibreOffice 7.4 sets 11 pt CJK text (Noto CJK, standing in for 仿宋)
# 13.6 pt apart, Excel and WPS about 14.25 pt (宋体/仿宋 at 11 pt); a line here is 14.5 pt, so
# a row never cuts its last line off, and one-line rows stay one line tall.
LINE_HEIGHT = 14.5  # points per line of 11 pt text
ROW_PADDING = 4.0
MIN_ROW_HEIGHT = 18.0
MAX_ROW_HEIGHT = 409.0  # the most a spreadsheet row can be
MAX_LINES = int((MAX_ROW_HEIGHT - ROW_PADDING) // LINE_HEIGHT)
# Display-width units (CJK = 2) per column-width unit. Excel and WPS draw a width unit as
# 7 px (5.25 pt) and 11 pt CJK text as 14.67 px a character: 0.95 units. LibreOffice draws
# the unit wider (6 pt, see WIDTH_UNIT_PT) and so never wraps sooner than estimated here.
CHARS_PER_WIDTH = 0.95
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
TOKEN = re.compile(r"[!-~]+|.", re.S)  # ASCII words stay whole; anything else is one token
WORD = re.compile(r"[!-~]+")
PIXELS_PER_CM = 96 / 2.54
# XlsxWriter takes the width a user sees and stores it with 5 pixels of padding (5/7 of a
# character of the default font); widths here are the stored ones, on which the layout and
# the row-height estimate were tuned, so the padding comes off before handing them over.
WIDTH_PADDING = 5 / 7
# Printed size. LibreOffice (7.4, measured) lays a column-width unit out at 6 pt on paper
# (Excel at 5.25 pt): the stricter of the two decides how far a sheet fitted to the page's
# width is shrunk, and so the size its body text prints at.
WIDTH_UNIT_PT = 6.0
EXCEL_UNIT_PT = 5.25
A4_PT = (595.3, 841.9)  # short and long edge
MIN_PRINTED_PT = 10.0  # the smallest body text a sheet may print at


def printable_width(landscape: bool) -> float:
    """The width (points) between an A4 page's side margins."""
    return A4_PT[1 if landscape else 0] - 2 * 72 * MARGIN_SIDE


def printed_scale(total_width: float, landscape: bool) -> float:
    """How much a sheet ``total_width`` units wide is shrunk when fitted to the page's width
    (1.0: not at all; a narrower sheet is never counted as enlarged)."""
    return min(1.0, printable_width(landscape) / (max(total_width, 1.0) * WIDTH_UNIT_PT))


def page_height(total_width: float, landscape: bool) -> float:
    """The height of rows (points) that one printed A4 page holds, for a sheet
    ``total_width`` units wide fitted to the width: the least of the programs (LibreOffice
    enlarges a narrow sheet to the width, Excel shrinks a wide one less)."""
    short, long = A4_PT
    height = (long if not landscape else short) - 72 * (MARGIN_TOP + MARGIN_BOTTOM)
    width = printable_width(landscape)
    libreoffice = width / (max(total_width, 1.0) * WIDTH_UNIT_PT)
    excel = min(1.0, width / (max(total_width, 1.0) * EXCEL_UNIT_PT))
    return height / max(libreoffice, excel)


def widest_printable(landscape: bool, size: float, minimum: float = MIN_PRINTED_PT) -> float:
    """The widest sheet (units) whose text of ``size`` pt still prints at ``minimum`` pt."""
    return printable_width(landscape) / WIDTH_UNIT_PT * size / minimum


# XlsxWriter's limits for a data validation's texts (longer ones make it drop the validation)
PROMPT_TITLE_MAX, PROMPT_MAX = 32, 255


# --- text layout: the one row-height estimator --------------------------------------------------


def sheet_name(text: str) -> str:
    """A valid sheet name: no []:*?/\\, at most 31 characters."""
    return SHEET_NAME_BAD.sub("_", text).strip("'")[:31] or "Sheet"


@lru_cache(maxsize=16_384)  # category, item and rule texts come back on every unit
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


def whole_pixels(height: float) -> float:
    """``height`` (points) down to whole pixels (0.75 pt), as XlsxWriter stores it (it would
    round to the nearest, and a page of rows each a little taller can lose its last row)."""
    return math.floor(height * 4 / 3 + 1e-9) * 0.75


ONE_LINE = whole_pixels(max(MIN_ROW_HEIGHT, LINE_HEIGHT + ROW_PADDING))  # rows given no height


def _short(width: float) -> int:
    """The most characters that fit on one line of a column ``width`` wide, each wide."""
    return int(max(1.0, (width - 1.0) * CHARS_PER_WIDTH) // 2)


def lines_height(lines: int) -> float:
    """The row height (points) that shows ``lines`` lines of wrapped text."""
    return min(MAX_ROW_HEIGHT, max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + ROW_PADDING))


def text_height(text: str, width: float) -> float:
    """The row height that shows ``text`` wrapped in ``width`` units."""
    return lines_height(text_lines(text, width))


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
    if not text:
        return 0
    longest = max((len(w) for w in WORD.findall(text)), default=0)
    return longest / CHARS_PER_WIDTH + 2 if longest else 0


def fit_width(texts: Sequence[str], minimum: float, maximum: float, padding: float = 3) -> float:
    """A column width that shows the widest of ``texts`` on one line, within bounds."""
    widest = max((display_width(t) for t in texts), default=0)
    return max(minimum, min(maximum, widest / CHARS_PER_WIDTH + padding))


def column_letter(index: int) -> str:
    """The letters of the 0-based column ``index`` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int, absolute: bool = False) -> str:
    """ "C5" for row 5 (1-based) and column 2 (0-based); "$C$5" when ``absolute``."""
    mark = "$" if absolute else ""
    return f"{mark}{column_letter(column)}{mark}{row}"


# --- values the caller hands in ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str = ""
    width: float = 10
    style: str = "text"
    key: bool = False  # identifies a row (unit, code): repeated where a long text continues
    hidden: bool = False


@dataclass(frozen=True)
class Span:
    """A merge that starts in the row being written: columns ``first``..``last`` (0-based
    indexes into the row's values), and ``down`` more rows below."""

    first: int
    last: int
    down: int = 0


@dataclass(frozen=True)
class Formula:
    """A formula cell (``text`` without the leading "="); only ever built by the caller."""

    text: str
    value: str | float | bool | None = None  # the result shown by readers that do not calculate


@dataclass(frozen=True)
class Exact:
    """Text that must read back exactly as given (a template's signed identity): written
    without the apostrophe that neutralises a leading "=", in a style with ``quote_prefix``
    instead, which every spreadsheet keeps as text however it starts, also once edited."""

    text: str


@dataclass(frozen=True)
class Validation:
    """What a cell accepts, with the prompt shown on entering it and the error on a bad
    value. ``kind``: whole, decimal (``minimum``..``maximum``), list (``source``, a range
    like "$B$5:$B$8"), textLength (at most ``maximum`` characters), date (``minimum``..
    ``maximum``, each an ISO date or a formula such as "=TODAY()")."""

    kind: Literal["whole", "decimal", "list", "textLength", "date"]
    minimum: str = "0"
    maximum: str = "0"
    source: str = ""
    prompt_title: str = ""
    prompt: str = ""
    error_title: str = ""
    error: str = ""


@dataclass(frozen=True)
class Range:
    """Cells of a sheet: rows 1-based, columns 0-based, both ends included."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def formula(self) -> str:
        name = self.sheet.replace("'", "''")
        first = cell_ref(self.first_row, self.first_col, absolute=True)
        last = cell_ref(self.last_row, self.last_col, absolute=True)
        return f"='{name}'!{first}:{last}"


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart, first category at the top, the figures printed on the bars."""

    title: str
    categories: Range
    values: Range
    width_cm: float
    height_cm: float
    value_min: float | None = None
    value_max: float | None = None
    axis_format: str | None = None
    label_format: str | None = None
    name: str | None = None  # the series' name (shown in the legend when there are several)
    more: tuple[tuple[str, Range], ...] = ()  # further series: (name, values)


class _Look(NamedTuple):
    format: Any  # an XlsxWriter Format
    wraps: bool
    framed: bool  # empty cells keep the look (borders run across)
    is_date: bool
    quoted: bool  # a quote-prefix style: may hold ``Exact`` text
    bordered: bool
    lines_only: bool  # bordered, no fill: an empty cell shows nothing a frame cannot draw


# --- the workbook -------------------------------------------------------------------------------


class Book:
    """A workbook being written to ``path``: ``sheet()`` for sheets, ``close()`` to finish.

    ``styles`` adds looks to the style table for this book (variants made with
    ``dataclasses.replace`` of ``STYLES`` entries). Scratch files live in a temporary folder
    of their own that ``close`` and ``discard`` remove.
    """

    def __init__(
        self,
        path: Path,
        *,
        lang: str,
        title: str,
        created: date,
        streaming: bool = True,
        styles: Mapping[str, Style] | None = None,
    ) -> None:
        import xlsxwriter

        self.path = Path(path)
        self.lang = lang
        self.cells = 0  # cells written with a value
        self.sheets: list[Sheet] = []
        self.styles = {**STYLES, **(styles or {})}
        self._looks: dict[str, _Look] = {}
        self._lock_structure = False
        self._frame: Any = None
        # streamed rows go to scratch files; a book held in memory is zipped from memory
        self._scratch = tempfile.mkdtemp(prefix="inspector-xlsx-") if streaming else None
        # a small book is zipped into memory and written to ``path`` in one go at ``close``
        self._memory = None if streaming else io.BytesIO()
        self.wb = xlsxwriter.Workbook(
            str(self.path) if self._memory is None else self._memory,
            {
                "constant_memory": streaming,
                # a small book (streaming=False) is assembled in memory: no scratch files
                "in_memory": not streaming,
                "tmpdir": self._scratch,
                # text is text: never a formula, a link or a number because of how it reads
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        stamp = datetime(created.year, created.month, created.day)
        self.wb.set_properties({"title": safe_text(title), "author": "inspector", "created": stamp})

    def look(self, name: str) -> _Look:
        """The format of the style ``name``, made once per book."""
        found = self._looks.get(name)
        if found is None:
            style = self.styles[name]
            found = self._looks[name] = _Look(
                None if style.bare else self.wb.add_format(self._format_properties(style)),
                style.wrap,
                style.border or style.fill is not None,
                style.number_format == DATE,
                style.quote_prefix,
                style.border,
                style.border and style.fill is None,
            )
        return found

    def _format_properties(self, style: Style) -> dict[str, Any]:
        face, size, bold = FONTS[style.font]
        props: dict[str, Any] = {
            "font_name": face,
            "font_size": size,
            "bold": bold,
            "align": style.horizontal,
            "valign": "vcenter" if style.vertical == "center" else "top",
            "text_wrap": style.wrap,
        }
        if style.border:
            props.update(border=1, border_color="#000000")
        if style.fill:
            props.update(pattern=1, bg_color="#" + style.fill)
        if style.number_format == DATE:
            props["num_format"] = DATE_FORMATS.get(self.lang, DATE_FORMATS["en"])
        elif style.number_format:
            props["num_format"] = style.number_format
        if not style.locked:
            props["locked"] = False
        if style.quote_prefix:
            props["quote_prefix"] = True
        return props

    def sheet(
        self,
        name: str,
        columns: Sequence[Column],
        *,
        landscape: bool,
        title_rows: int = 2,
        header_rows: int = 1,
        freeze_cols: int = 0,
        fit: Literal["width", "page", "none"] = "width",
        continue_long: bool = True,
        paper: int = PAPER_A4,
    ) -> Sheet:
        """A new sheet, after the others. ``title_rows`` rows come first, then
        ``header_rows`` header rows: those repeat on every printed page, and the panes are
        frozen below them (and right of ``freeze_cols`` columns). Printed, the sheet is
        scaled to the page's width (``fit="width"``), to one page (``"page"``), or not.
        A text taller than the tallest row continues in the rows below, unless
        ``continue_long`` is False (a sheet whose rows are found by number or key): the row
        is then as tall as a row can be. ``paper``: an XlsxWriter paper code (A4 unless
        told)."""
        sheet = Sheet(
            self,
            name,
            columns,
            landscape,
            title_rows,
            header_rows,
            freeze_cols,
            fit,
            continue_long,
            paper,
        )
        self.sheets.append(sheet)
        return sheet

    def frame_format(self) -> Any:
        """The conditional format of ``Sheet.frame``, made once per book."""
        if self._frame is None:
            self._frame = self.wb.add_format({"border": 1, "border_color": "#000000"})
        return self._frame

    def custom_property(self, name: str, value: str) -> None:
        """A custom document property (File › Properties › Custom), as text."""
        self.wb.set_custom_property(name, ILLEGAL.sub("\ufffd", value), "text")

    def lock_structure(self) -> None:
        """Refuse adding, deleting, renaming or unhiding sheets (no password). XlsxWriter has
        no call for it, so ``close`` adds the element to the finished package's workbook
        part: only for a book held in memory (``streaming=False``)."""
        if self._memory is None:
            raise ValueError("lock_structure needs a book held in memory (streaming=False)")
        self._lock_structure = True

    def bar_chart(self, chart: BarChart) -> Any:
        """An XlsxWriter chart for ``chart``, for ``Sheet.insert_chart``."""
        made = self.wb.add_chart({"type": "bar"})

        def font(size: int, bold: bool = False, face: str = BODY_FONT) -> dict[str, Any]:
            return {"name": face, "size": size, "bold": bold}

        # 11 pt: 10 pt and more in print, as the sheets' body text (the chart sheet prints at
        # about 92 %)
        labels: dict[str, Any] = {"value": True, "font": font(11)}
        if chart.label_format:
            labels["num_format"] = chart.label_format
        series = [(chart.name, chart.values), *chart.more]
        greys = ("7F7F7F", "D9D9D9", "404040")  # tell series apart in black and white
        for index, (name, values) in enumerate(series):
            options: dict[str, Any] = {
                "categories": chart.categories.formula,
                "values": values.formula,
                "data_labels": labels,
            }
            if name:
                options["name"] = safe_text(name)
            if chart.more:
                options["fill"] = {"color": greys[index % len(greys)]}
                options["border"] = {"color": "000000", "width": 0.5}
            made.add_series(options)
        made.set_title({"name": safe_text(chart.title), "name_font": font(13, True, HEADING_FONT)})
        if chart.more:
            made.set_legend({"position": "bottom", "font": font(11)})
        else:
            made.set_legend({"none": True})
        made.set_style(2)  # plain, greyscale-friendly
        value_axis: dict[str, Any] = {
            "num_font": font(11),
            "major_gridlines": {"visible": False},
        }
        if chart.value_min is not None:
            value_axis["min"] = chart.value_min
        if chart.value_max is not None:
            value_axis["max"] = chart.value_max
        if chart.axis_format:
            value_axis["num_format"] = chart.axis_format
        made.set_x_axis(value_axis)  # in a bar chart x is the value axis, drawn horizontally
        made.set_y_axis({"reverse": True, "num_font": font(12)})  # the first category on top
        made.set_size(
            {
                "width": round(chart.width_cm * PIXELS_PER_CM),
                "height": round(chart.height_cm * PIXELS_PER_CM),
            }
        )
        return made

    def close(self) -> None:
        """Write the file. An ``OSError`` (disk full…) comes out as itself."""
        from xlsxwriter.exceptions import FileCreateError

        try:
            for sheet in self.sheets:
                sheet.finish()
            self.wb.close()
        except FileCreateError as exc:
            cause = exc.args[0] if exc.args else None
            if isinstance(cause, OSError):
                raise cause from None
            raise OSError(str(exc)) from None
        finally:
            self.discard()
        if self._memory is not None:
            package = self._memory.getvalue()
            if self._lock_structure:
                package = _with_workbook_protection(package)
            self.path.write_bytes(package)

    def discard(self) -> None:
        """Remove the scratch files (after ``close``, or instead of it after a failure)."""
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)


def _with_workbook_protection(package: bytes) -> bytes:
    """``package`` with ``<workbookProtection lockStructure="1"/>`` in xl/workbook.xml, where
    the schema puts it (before ``bookViews``)."""

    def protect(data: bytes) -> bytes:
        element = b'<workbookProtection lockStructure="1"/>'
        return data.replace(b"<bookViews>", element + b"<bookViews>", 1)

    return replace_part(package, "xl/workbook.xml", protect)


# --- the sheet ------------------------------------------------------------------------------------


class Sheet:
    """One sheet, written row by row: title rows, header rows, then data rows."""

    def __init__(
        self,
        book: Book,
        name: str,
        columns: Sequence[Column],
        landscape: bool,
        title_rows: int,
        header_rows: int,
        freeze_cols: int,
        fit: str,
        continue_long: bool = True,
        paper: int = PAPER_A4,
    ) -> None:
        self.book = book
        self.continue_long = continue_long
        self.name = sheet_name(name)
        self.ws = book.wb.add_worksheet(self.name)
        self._write_string = self.ws.write_string
        self._write_number = self.ws.write_number
        self._write_blank = self.ws.write_blank
        self.row_index = 0  # the last row written (1-based); 0 before the first
        self.rows_height = 0.0  # points: the height of every row written so far
        self.header_first = title_rows + 1
        self.header_last = title_rows + header_rows
        # a heading word ("Aggravated", "responsibility") is never cut in two
        self.columns = [
            Column(c.header, max(c.width, word_width(c.header)), c.style, c.key, c.hidden)
            for c in columns
        ]
        self.widths = [c.width for c in self.columns]
        self._letters = [column_letter(index) for index in range(len(self.columns))]
        self._short = [_short(width) for width in self.widths]
        self.looks = [book.look(c.style) for c in self.columns]
        self._breaks: list[int] = []
        self._styled: dict[tuple[str | None, ...], list[_Look | None]] = {}
        # rows whose every cell is bordered: their empty cells are not written, the runs of
        # such rows are framed by a conditional format each (``frame``) when the sheet ends
        self._bordered: dict[int, bool] = {}  # by id of the looks lists kept (columns, styled)
        self._run: int | None = None  # first row (0-based) of the current run
        self._runs: list[tuple[int, int]] = []
        self._bordered[id(self.looks)] = self._all_bordered(self.looks)
        self._validations: dict[Validation, list[str]] = {}
        ws = self.ws
        for index, column in enumerate(self.columns):
            options = {"hidden": True} if column.hidden else None
            ws.set_column(index, index, max(0.0, column.width - WIDTH_PADDING), None, options)
        ws.set_default_row(ONE_LINE)
        if header_rows:
            ws.freeze_panes(self.header_last, freeze_cols)
        ws.set_paper(paper)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        if fit != "none":
            ws.fit_to_pages(1, 1 if fit == "page" else 0)
        if header_rows:
            ws.repeat_rows(self.header_first - 1, self.header_last - 1)
        ws.center_horizontally()
        ws.set_margins(left=MARGIN_SIDE, right=MARGIN_SIDE, top=MARGIN_TOP, bottom=MARGIN_BOTTOM)
        ws.set_footer(f'&C&"{BODY_FONT},Regular"&{FOOTER_SIZE}{FOOTER}', {"margin": MARGIN_FOOTER})

    @property
    def total_width(self) -> float:
        return sum(self.widths)

    @property
    def last_column(self) -> int:
        return len(self.columns) - 1

    # --- rows ---------------------------------------------------------------------------------

    def row(
        self,
        values: Sequence[object],
        styles: Mapping[int, str] | None = None,
        height: float | None = None,
        spans: Sequence[Span] = (),
        min_height: float = 0,
    ) -> int:
        """The next row: ``values`` in the columns' own styles, ``styles`` overriding some
        (by index). Returns the row's number. Without ``height``, the row is as tall as its
        text needs, and at least ``min_height``."""
        looks = self.looks
        if styles:
            looks = list(looks)
            for index, name in styles.items():
                looks[index] = self.book.look(name)
        return self._write(values, looks, height, spans, min_height)

    def append(
        self,
        cells: Sequence[tuple[object, str] | None],
        height: float | None = None,
        spans: Sequence[Span] = (),
        min_height: float = 0,
    ) -> int:
        """The next row as (value, style) pairs; None leaves a cell untouched."""
        values = [None if entry is None else entry[0] for entry in cells]
        styles = tuple(None if entry is None else entry[1] for entry in cells)
        return self.styled(values, styles, height, spans, min_height)

    def styled(
        self,
        values: Sequence[object],
        styles: tuple[str | None, ...],
        height: float | None = None,
        spans: Sequence[Span] = (),
        min_height: float = 0,
    ) -> int:
        """The next row: ``values`` in the ``styles`` named beside them (None leaves a cell
        untouched). Rows written again and again in the same styles (a template's) look
        their formats up once."""
        looks = self._styled.get(styles)
        if looks is None:
            look = self.book.look
            looks = self._styled[styles] = [None if n is None else look(n) for n in styles]
            self._bordered[id(looks)] = self._all_bordered(looks)
        return self._write(values, looks, height, spans, min_height)

    def _write(
        self,
        values: Sequence[object],
        looks: Sequence[_Look | None],
        height: float | None,
        spans: Sequence[Span],
        min_height: float = 0,
    ) -> int:
        """Write one row. Without ``height``, the row is as tall as its longest wrapped text
        (and at least ``min_height``); a text longer than the tallest row goes on in the rows
        below."""
        self.row_index += 1
        r = self.row_index - 1  # XlsxWriter counts from 0
        widths, short = self.widths, self._short
        if spans:
            widths, short = list(widths), list(short)
            for span in spans:
                widths[span.first] = sum(self.widths[span.first : span.last + 1])
                short[span.first] = _short(widths[span.first])
        # this loop runs for every cell of a round: the common cases come first and cheap
        write_string, write_number = self._write_string, self._write_number
        estimate = height is None
        lines = 1
        written = 0
        framed = 0
        bordered = self._bordered.get(id(looks))
        if bordered is None:
            bordered = self._all_bordered(looks)
        if bordered:
            if self._run is None:
                self._run = r
        elif self._run is not None:
            self._runs.append((self._run, r - 1))
            self._run = None
        # empty cells a frame draws are left out; a merge's own cells keep their lines
        skip = bordered and not spans
        for i, value in enumerate(values):
            look = looks[i]
            if look is None:
                continue
            cls = value.__class__
            if cls is str:
                text = safe_text(value)
                if text:
                    write_string(r, i, text, look[0])
                    written += 1
                    # a text that fits even if every character were wide takes one line
                    if estimate and look[1] and (len(text) > short[i] or "\n" in text):
                        count = text_lines(text, widths[i])
                        if count > lines:
                            lines = count
                    continue
            elif cls is Decimal or cls is int or cls is float:
                write_number(r, i, float(value) if cls is Decimal else value, look[0])
                written += 1
                continue
            elif value is not None:
                self._write_other(r, i, value, look)
                written += 1
                continue
            if look[2]:
                if skip and look[6]:
                    continue
                self._write_blank(r, i, None, look[0])
                framed += 1
        self.book.cells += written
        if height is None:
            if lines > MAX_LINES and not spans and self.continue_long:
                self.book.cells -= written
                self.row_index -= 1
                return self._write_long(values, looks)
            height = ONE_LINE if lines == 1 else lines_height(lines)
            if height < min_height:
                height = min_height
        height = whole_pixels(min(height, MAX_ROW_HEIGHT))
        self.rows_height += height
        if height != ONE_LINE:
            self.ws.set_row(r, height)
            if not written and not framed:  # a streamed row is written only with a cell
                self._write_blank(r, 0, None, self.book.look("plain").format)
        for span in spans:
            self._merge(r, span)
        return self.row_index

    def _all_bordered(self, looks: Sequence[_Look | None]) -> bool:
        return len(looks) == len(self.columns) and all(
            look is not None and look.bordered for look in looks
        )

    def _write_other(self, r: int, i: int, value: object, look: _Look) -> None:
        """A cell that is not plain text or a number: a formula, a date, a bool, or an
        object written as its text."""
        ws = self.ws
        if isinstance(value, Formula):
            ws.write_formula(r, i, value.text, look.format, value.value)
            return
        if isinstance(value, Exact):
            if not look.quoted:
                raise ValueError("Exact text needs a style with quote_prefix")
            ws.write_string(r, i, exact_text(value.text), look.format)
            return
        value = cell_value(value)
        if isinstance(value, bool):
            ws.write_boolean(r, i, value, look.format)
        elif isinstance(value, date):  # a date is written in a date format, always
            fmt = look.format if look.is_date else self.book.look("date").format
            ws.write_datetime(r, i, value, fmt)
        elif isinstance(value, str):
            ws.write_string(r, i, value, look.format)
        elif isinstance(value, int | float):
            ws.write_number(r, i, value, look.format)

    def _merge(self, r: int, span: Span) -> None:
        """Register a merge whose cells are written (or, below, will be) by their rows.

        ``merge_range`` writes its data and blank cells of the given format; with no
        format, blanks are skipped, so the row's own cells stay as written and no row
        below is touched (in streaming mode that would close this row, and a second merge
        starting in it would be dropped)."""
        self.ws.merge_range(r, span.first, r + span.down, span.last, "", None)

    def _write_long(self, values: Sequence[object], looks: Sequence[_Look | None]) -> int:
        """A row whose texts overflow one row: the overflow continues in the rows below, in
        the same columns, beside the row's key columns (its other cells stay empty, framed).
        The first piece overwrites the row just written (it is still the current row)."""
        pieces: dict[int, list[str]] = {}
        for index, value in enumerate(values):
            look = looks[index]
            if look is not None and look.wraps and isinstance(value, str):
                text = safe_text(value)
                if text_lines(text, self.widths[index]) > MAX_LINES:
                    pieces[index] = split_text(text, self.widths[index], MAX_LINES)
        first = 0
        for part in range(max(len(p) for p in pieces.values())):
            row: list[object] = []
            for i, value in enumerate(values):
                if i in pieces:
                    row.append(pieces[i][part] if part < len(pieces[i]) else None)
                elif part == 0 or self.columns[i].key:
                    row.append(value)
                else:
                    row.append(None)
            lines = max(
                [1]
                + [
                    text_lines(safe_text(v), self.widths[i])
                    for i, v in enumerate(row)
                    if isinstance(v, str) and (look := looks[i]) is not None and look.wraps
                ]
            )
            written = self._write(row, looks, lines_height(lines), ())
            first = first or written
        return first

    def merged(self, text: str, style: str, height: float | None = None, first: int = 0) -> int:
        """One text across the sheet's width, from column ``first`` (0-based)."""
        cells: list[tuple[object, str] | None] = [None] * first
        cells.append((text, style))
        cells.extend((None, style) for _ in self.columns[first + 1 :])
        last = len(self.columns) - 1
        spans = [Span(first, last)] if last > first else []
        if height is None and not spans:
            height = text_height(text, self.widths[first])
        return self.append(cells, height, spans)

    def title(self, title: str, subtitle: str | None) -> None:
        """The title rows (``title_rows`` = 2): a title and a line saying what this is."""
        self.merged(
            title, "title", height=max(36.0, text_lines(title, self.total_width / 1.6) * 26)
        )
        self.merged(subtitle or "", "subtitle")

    def headings(
        self,
        labels: Sequence[str] | None = None,
        height: float | None = None,
        spans: Sequence[Span] = (),
    ) -> int:
        labels = list(labels) if labels is not None else [c.header for c in self.columns]
        return self.append([(label, "heading") for label in labels], height, spans)

    def label_row(
        self, label: str, value: object, style: str = "text", label_columns: int = 1
    ) -> int:
        """A key–value line: the label across the first ``label_columns`` columns, the value
        across the rest; as tall as the longer of the two needs."""
        last = len(self.columns) - 1
        cells: list[tuple[object, str] | None] = [(label, "label")]
        cells.extend((None, "label") for _ in range(1, label_columns))
        cells.append((value, style))
        cells.extend((None, style) for _ in range(label_columns + 1, last + 1))
        spans = [Span(0, label_columns - 1)] if label_columns > 1 else []
        if last > label_columns:
            spans.append(Span(label_columns, last))
        return self.append(cells, None, spans)

    def blank(self, height: float = 10) -> int:
        return self._write((), (), height, ())

    def height_for(self, text: str, width: float) -> float:
        """The row height that shows ``text`` wrapped in ``width`` units."""
        return text_height(text, width)

    # --- sheet-wide settings --------------------------------------------------------------------

    def autofilter(self, last_row: int | None = None) -> None:
        """Filters on the last header row, over the rows down to ``last_row`` (default: all)."""
        last_row = last_row or self.row_index
        if last_row > self.header_last:
            self.ws.autofilter(self.header_last - 1, 0, last_row - 1, self.last_column)

    def frame(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Thin black lines around every cell of the range, empty ones included, drawn by
        one conditional format: an empty cell need not be written (and styled) to be framed.
        Cells written in a bordered style keep their own lines too. The rule's formula is
        ``1`` (true in Excel, WPS and LibreOffice): XlsxWriter writes a number as it is, where
        a name such as TRUE goes through its function-name rewriting (some 150 regular
        expressions for each rule written)."""
        self.ws.conditional_format(
            first_row - 1,
            first_col,
            last_row - 1,
            last_col,
            {"type": "formula", "criteria": "1", "format": self.book.frame_format()},
        )

    def color_scale(
        self, first_row: int, first_col: int, last_row: int, last_col: int, colors: Sequence[str]
    ) -> None:
        """A three-colour scale (low, middle = 50th percentile, high) behind the cells."""
        low, mid, high = colors
        self.ws.conditional_format(
            first_row - 1,
            first_col,
            last_row - 1,
            last_col,
            {
                "type": "3_color_scale",
                "min_color": "#" + low,
                "mid_type": "percentile",
                "mid_value": 50,
                "mid_color": "#" + mid,
                "max_color": "#" + high,
            },
        )

    def break_before(self, row: int) -> None:
        """Start a new printed page at ``row``."""
        self._breaks.append(row - 1)
        self.ws.set_h_pagebreaks(self._breaks)

    def insert_chart(self, row: int, column: int, chart: BarChart) -> None:
        """``chart`` with its top left corner at the cell (``row``, ``column``)."""
        self.ws.insert_chart(row - 1, column, self.book.bar_chart(chart), {"object_position": 1})

    def validate(self, row: int, column: int, validation: Validation) -> None:
        """``validation`` on a cell; cells with the same rule share one validation."""
        self._validations.setdefault(validation, []).append(f"{self._letters[column]}{row}")

    def protect(self) -> None:
        """Lock every cell whose style is not unlocked (no password); readers may still
        resize columns and rows."""
        self.ws.protect("", {"format_columns": True, "format_rows": True})

    def print_area(self, last_row: int, last_column: int) -> None:
        self.ws.print_area(0, 0, last_row - 1, last_column)

    def very_hidden(self) -> None:
        """Hidden so that Excel and WPS do not offer to unhide it."""
        self.ws.very_hidden()

    def activate(self) -> None:
        """The sheet a reader sees on opening the workbook."""
        self.ws.activate()

    def finish(self) -> None:
        """Settings that need every row first (called by ``Book.close``)."""
        if self._run is not None:
            self._runs.append((self._run, self.row_index - 1))
            self._run = None
        for first, last in self._runs:
            self.frame(first + 1, 0, last + 1, self.last_column)
        self._runs.clear()
        for validation, cells in self._validations.items():
            self.ws.data_validation(*_first_cell(cells[0]), _validation_options(validation, cells))
        self._validations.clear()


def _first_cell(ref: str) -> tuple[int, int, int, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert match is not None
    column = 0
    for ch in match.group(1):
        column = column * 26 + ord(ch) - 64
    row = int(match.group(2)) - 1
    return row, column - 1, row, column - 1


def _validation_options(validation: Validation, cells: Sequence[str]) -> dict[str, Any]:
    kinds = {
        "whole": "integer",
        "decimal": "decimal",
        "list": "list",
        "textLength": "length",
        "date": "date",
    }
    options: dict[str, Any] = {
        "validate": kinds[validation.kind],
        "ignore_blank": True,
        "multi_range": " ".join(cells),
        "error_type": "stop",
        "show_input": bool(validation.prompt),
        "show_error": True,
    }
    if validation.kind == "list":
        source = validation.source.lstrip("=")
        if len(source) > 1 and source[0] == source[-1] == '"':
            # a literal list ("a,b") handed over as a list: XlsxWriter writes it as it is,
            # where a formula goes through its function-name rewriting
            options["source"] = source[1:-1].split(",")
        else:
            options["source"] = "=" + source
    elif validation.kind == "textLength":
        options.update(criteria="<=", value=int(validation.maximum))
    elif validation.kind == "date":
        options.update(
            criteria="between",
            minimum=_date_bound(validation.minimum),
            maximum=_date_bound(validation.maximum),
        )
    else:
        options.update(criteria="between", minimum=validation.minimum, maximum=validation.maximum)
    texts = {
        "input_title": (validation.prompt_title, PROMPT_TITLE_MAX),
        "input_message": (validation.prompt, PROMPT_MAX),
        "error_title": (validation.error_title, PROMPT_TITLE_MAX),
        "error_message": (validation.error, PROMPT_MAX),
    }
    for key, (text, limit) in texts.items():
        if text:
            options[key] = ILLEGAL.sub("\ufffd", text)[:limit]
    return options


def _date_bound(text: str) -> date | str:
    """An ISO date as a date (XlsxWriter stores it as a serial number), else a formula."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text
