"""Read a list of units from CSV or xlsx (headers in Chinese or English).

A unit list comes from another office's spreadsheet, so every cell is checked and every
problem located (``units.csv:7``, ``units.xlsx: Sheet1!A7``) before anything is stored:

* the file is a regular file within the size limit (``io.inputs``), UTF-8 or GBK text for
  CSV (UTF-16, as Excel's "Unicode text" writes it, is named as such);
* a CSV field longer than the csv module's limit is a located refusal, not a crash;
* an xlsx cell holding a formula or an error value (``=1+1``, ``#REF!``) is refused at its
  cell: a formula's text is never taken as a name;
* names, codes, groups and tags follow the one name rule (``inspector.text_rules``), and
  come back normalised;
* a name given twice, or one row's name equal to another row's code, is refused: either
  would make ``score X`` ambiguous.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector.errors import Location, Problem, ProblemsError
from inspector.io.inputs import read_input, stat_input, wide_encoding
from inspector.text_rules import NameKind, name_problem

HEADERS = {
    "name": ("单位名称", "单位", "名称", "name", "unit"),
    "group": ("类别", "单位类别", "分组", "group", "category"),
    "code": ("编码", "单位编码", "代码", "code"),
    "tags": ("标签", "tags", "tag"),
}
KINDS: dict[str, NameKind] = {"name": "unit", "group": "group", "code": "code"}
TAG_SPLIT = re.compile(r"[,，、;；\s]+")
MAX_ROWS = 5000
MAX_BYTES = 5_000_000
SUFFIXES = (".csv", ".xlsx")

# a cell's value, or the catalog key that refuses it (a formula, an error value)
Cell = str | tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class UnitRow:
    where: str
    name: str
    group: str
    code: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """Rows of cells, and where each cell is (for messages)."""

    rows: list[list[Cell]]
    locate: Callable[[int, int], Location]  # (1-based row, 0-based column) -> location
    locate_row: Callable[[int], Location]


def _columns(header: list[Cell], where: Location) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        label = (raw if isinstance(raw, str) else "").strip().lower()
        for field, names in HEADERS.items():
            if label in {n.lower() for n in names} and field not in found:
                found[field] = index
    missing = [f for f in ("name", "group") if f not in found]
    if missing:
        expected = "；".join(f"{'/'.join(HEADERS[f])}" for f in missing)
        raise ProblemsError([Problem("units.missing_columns", {"expected": expected}, where)])
    return found


def _decode(raw: bytes, source: str) -> str:
    encoding = wide_encoding(raw)
    if encoding is not None:
        raise ProblemsError([Problem("file.utf16", {"encoding": encoding}, Location(source))])
    for name in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(name)
        except UnicodeDecodeError:
            continue
    raise ProblemsError([Problem("file.not_utf8", {}, Location(source))])


def _blank(cell: Cell) -> bool:
    return isinstance(cell, str) and not cell.strip()


class _Rows:
    """Turns a table into unit rows, collecting every located problem."""

    def __init__(self, table: Table, source: str) -> None:
        self.table = table
        self.source = source
        self.problems: list[Problem] = []
        self.locations: dict[str, Location] = {}

    def value(self, row: list[Cell], number: int, index: int | None, kind: NameKind | None) -> str:
        if index is None or index >= len(row):
            return ""
        cell = row[index]
        if not isinstance(cell, str):
            key, params = cell
            self.problems.append(Problem(key, params, self.table.locate(number, index)))
            return ""
        if kind is None or not cell.strip():
            return cell.strip()
        text, problem = name_problem(cell, kind, self.table.locate(number, index))
        if problem is not None:
            self.problems.append(problem)
            return ""
        return text

    def read(self) -> list[UnitRow]:
        rows = self.table.rows
        if not rows:
            raise ProblemsError([Problem("units.empty", {}, Location(self.source))])
        cols = _columns(rows[0], self.table.locate_row(1))
        result: list[UnitRow] = []
        for number, row in enumerate(rows[1:], start=2):
            if all(_blank(cell) for cell in row):
                continue
            if len(result) >= MAX_ROWS:
                limit = {"limit": MAX_ROWS}
                raise ProblemsError([Problem("units.too_many", limit, Location(self.source))])
            before = len(self.problems)
            fields = {f: self.value(row, number, cols.get(f), KINDS.get(f)) for f in KINDS}
            tags = self._tags(row, number, cols.get("tags"))
            loc = self.table.locate_row(number)
            if len(self.problems) > before:
                continue
            if not fields["name"]:
                self.problems.append(Problem("units.row_no_name", {}, loc))
                continue
            if not fields["group"]:
                self.problems.append(Problem("units.row_no_group", {"name": fields["name"]}, loc))
                continue
            code = fields["code"] or None
            self.locations[str(loc)] = loc
            result.append(UnitRow(str(loc), fields["name"], fields["group"], code, tags))
        self._clashes(result)
        if self.problems:
            raise ProblemsError(self.problems)
        return result

    def _tags(self, row: list[Cell], number: int, index: int | None) -> tuple[str, ...]:
        raw = self.value(row, number, index, None)
        tags = []
        for word in (w for w in TAG_SPLIT.split(raw) if w):
            text, problem = name_problem(word, "tag", self.table.locate(number, index or 0))
            if problem is not None:
                self.problems.append(problem)
            else:
                tags.append(text)
        return tuple(tags)

    def _clashes(self, rows: list[UnitRow]) -> None:
        """A name twice, a code twice, or a name that is another row's code."""
        names: dict[str, str] = {}
        codes: dict[str, str] = {}
        for row in rows:
            for table, value, key in ((names, row.name, "name"), (codes, row.code, "code")):
                if value is None:
                    continue
                if value in table:
                    params = {"value": value, "first": table[value]}
                    self.problems.append(
                        Problem(f"units.duplicate_{key}", params, self._where(row))
                    )
                else:
                    table[value] = row.where
        for row in rows:
            if row.code is not None and row.code in names and names[row.code] != row.where:
                params = {"code": row.code, "other": names[row.code]}
                self.problems.append(Problem("units.code_is_name", params, self._where(row)))

    def _where(self, row: UnitRow) -> Location:
        return self.locations.get(row.where, Location(self.source))


def _csv_table(text: str, source: str) -> Table:
    reader = csv.reader(io.StringIO(text))
    rows: list[list[Cell]] = []
    lines: list[int] = []  # the line each record starts on (a quoted field may span lines)
    start = 1
    try:
        for record in reader:
            rows.append(list(record))
            lines.append(start)
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        line = start  # where the record began: an unclosed quote opened there
        if "field larger than field limit" in str(exc):
            limit = {"limit": csv.field_size_limit()}
            raise ProblemsError(
                [Problem("units.field_too_long", limit, Location(source, line))]
            ) from None
        raise ProblemsError([Problem("units.csv_error", {}, Location(source, line))]) from None

    def locate_row(number: int) -> Location:
        return Location(source, lines[number - 1] if number <= len(lines) else number)

    return Table(rows, lambda number, _index: locate_row(number), locate_row)


def _xlsx_cell(cell: Any) -> Cell:
    """A cell's value as text, or why it is refused."""
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", None)
    if value is None:
        return ""
    if kind == "f":  # the text of a formula is never a name, whatever it computes
        shown = getattr(value, "text", None) or str(value)
        return ("units.formula", {"formula": shown[:40]})
    if kind == "e":
        return ("units.error_value", {"value": str(value)[:20]})
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ("units.not_text", {"value": str(value)[:40]})
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_table(path: Path, source: str) -> Table:
    from openpyxl.utils import get_column_letter

    from inspector.io.xlsx_safety import open_workbook_safely, parse_failure

    workbook = open_workbook_safely(path)
    try:
        if not workbook.worksheets:
            raise ProblemsError([Problem("units.empty", {}, Location(source))])
        sheet = workbook.worksheets[0]
        title = sheet.title
        try:
            rows = [
                [_xlsx_cell(cell) for cell in row] for row in sheet.iter_rows(max_row=MAX_ROWS + 1)
            ]
        except ProblemsError:
            raise
        except Exception as exc:  # the sheet's XML is parsed lazily, here
            raise parse_failure(exc, source) from None
    finally:
        workbook.close()

    def locate(number: int, index: int) -> Location:
        return Location(source, cell=f"{title}!{get_column_letter(index + 1)}{number}")

    return Table(rows, locate, lambda number: Location(source, cell=f"{title}!A{number}"))


def read_units(path: Path) -> list[UnitRow]:
    source = str(path)
    stat_input(path, source, MAX_BYTES, too_big="units.too_big")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        key = "units.bad_type"
        raise ProblemsError([Problem(key, {"suffix": suffix or "—"}, Location(source))])
    if suffix == ".csv":
        raw = read_input(path, source, MAX_BYTES, too_big="units.too_big")
        table = _csv_table(_decode(raw, source), source)
    else:
        table = _xlsx_table(path, source)
    return _Rows(table, source).read()
