"""Read a list of units from CSV or xlsx (headers in Chinese or English)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inspector.errors import Location, Problem, ProblemsError

HEADERS = {
    "name": ("单位名称", "单位", "名称", "name", "unit"),
    "group": ("类别", "单位类别", "分组", "group", "category"),
    "code": ("编码", "单位编码", "代码", "code"),
    "tags": ("标签", "tags", "tag"),
}
TAG_SPLIT = re.compile(r"[,，、;；\s]+")
MAX_ROWS = 5000
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class UnitRow:
    where: str
    name: str
    group: str
    code: str | None
    tags: tuple[str, ...]


def _columns(header: list[str], source: str, where: Location) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        label = (raw or "").strip().lower()
        for field, names in HEADERS.items():
            if label in {n.lower() for n in names} and field not in found:
                found[field] = index
    missing = [f for f in ("name", "group") if f not in found]
    if missing:
        expected = "；".join(f"{'/'.join(HEADERS[f])}" for f in missing)
        raise ProblemsError([Problem("units.missing_columns", {"expected": expected}, where)])
    return found


def _decode(raw: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ProblemsError([Problem("file.not_utf8", {}, Location(source))])


def _rows_from_table(
    rows: list[list[str]], source: str, locate: Callable[[int], Location]
) -> list[UnitRow]:
    if not rows:
        raise ProblemsError([Problem("units.empty", {}, Location(source))])
    cols = _columns(rows[0], source, locate(1))
    result: list[UnitRow] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows[1:], start=2):

        def get(field: str, row: list[str] = row) -> str:
            index = cols.get(field)
            return (row[index] if index is not None and index < len(row) else "").strip()

        if not any((cell or "").strip() for cell in row):
            continue
        loc = locate(number)
        where = str(loc)
        name, group = get("name"), get("group")
        if not name:
            problems.append(Problem("units.row_no_name", {}, loc))
            continue
        if not group:
            problems.append(Problem("units.row_no_group", {"name": name}, loc))
            continue
        tags = tuple(t for t in TAG_SPLIT.split(get("tags")) if t)
        result.append(UnitRow(where, name, group, get("code") or None, tags))
        if len(result) > MAX_ROWS:
            raise ProblemsError([Problem("units.too_many", {"limit": MAX_ROWS}, Location(source))])
    if problems:
        raise ProblemsError(problems)
    return result


def read_units(path: Path) -> list[UnitRow]:
    source = str(path)
    if not path.is_file():
        raise ProblemsError([Problem("file.not_found", {}, Location(source))])
    if path.stat().st_size > MAX_BYTES:
        raise ProblemsError([Problem("units.too_big", {"limit": MAX_BYTES}, Location(source))])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = _decode(path.read_bytes(), source)
        table = [list(r) for r in csv.reader(io.StringIO(text))]
        return _rows_from_table(table, source, lambda n: Location(source, n))
    if suffix == ".xlsx":
        from inspector.io.xlsx_safety import open_workbook_safely

        workbook = open_workbook_safely(path)
        try:
            sheet = workbook.worksheets[0]
            table = [
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)
            ]
        finally:
            workbook.close()
        title = sheet.title
        return _rows_from_table(table, source, lambda n: Location(source, cell=f"{title}!A{n}"))
    raise ProblemsError([Problem("units.bad_type", {"suffix": suffix or "—"}, Location(source))])
