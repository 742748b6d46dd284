"""Read a returned rectification workbook, every problem located at its cell.

Nothing the workbook says is trusted. Its identity must carry a tag that verifies with the
workspace's key (``importer``); its rows are found by the problem number in the hidden key
column, so rows moved by sorting read right, and a row that was deleted, duplicated or
inserted with content is named; every cell the unit fills in is checked again (pasting
bypasses an office program's validation): a status the unit may set, a real date that is not
in the future, texts within their limits, no formulas. Problems are collected, not raised one
by one, so a unit hears about every cell to fix at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from inspector.errors import Location, Problem, ProblemsError, Term
from inspector.i18n import LANGUAGES, tl
from inspector.io.xlsx_safety import parse_failure
from inspector.rectify import layout as L
from inspector.rectify.identity import FORMAT, RectifyIdentity, from_fields
from inspector.selfassess.identity import FORMAT as SELFASSESS_FORMAT
from inspector.selfassess.identity import PROPERTY_PREFIX, SHEET
from inspector.store.ledger import Evidence
from inspector.text_rules import printable

DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (36526, 73050)  # 2000-01-01 .. 2099-12-31 as spreadsheet day numbers
EVIDENCE_SEPARATORS = ("：", ":")
FIELD_TERMS = {
    L.DEPARTMENT: "rx_department",
    L.PERSON: "rx_person",
    L.MEASURES: "rx_measures",
    L.EVIDENCE: "rx_evidence",
}


def refuse(source: str, key: str, /, cell: str | None = None, **params: Any) -> ProblemsError:
    return ProblemsError([Problem(key, params, Location(source, cell=cell))])


@dataclass(frozen=True)
class Found:
    identity: RectifyIdentity
    tag: str


def _identity_values(wb: Any) -> list[dict[str, object]]:
    candidates: list[dict[str, object]] = []
    if SHEET in wb.sheetnames:
        values: dict[str, object] = {}
        rows = wb[SHEET].iter_rows(min_row=1, max_row=40, max_col=2, values_only=True)
        for row in rows:
            if row and isinstance(row[0], str):
                values.setdefault(row[0].strip(), row[1] if len(row) > 1 else None)
        candidates.append(values)
    props: dict[str, object] = {}
    for prop in getattr(wb, "custom_doc_props", ()):
        name = getattr(prop, "name", "") or ""
        if name.startswith(PROPERTY_PREFIX):
            props[name[len(PROPERTY_PREFIX) :]] = getattr(prop, "value", None)
    if props:
        candidates.append(props)
    return [c for c in candidates if c]


def find_identity(wb: Any, source: str) -> Found:
    """The identity the workbook states (not yet verified): the hidden sheet, else the
    document properties. A self-assessment workbook is named as such."""
    candidates = _identity_values(wb)
    if not candidates:
        raise refuse(source, "rx.no_identity")
    for values in candidates:
        if values.get("format") == SELFASSESS_FORMAT:
            raise refuse(source, "rx.selfassess_workbook")
        identity, tag = from_fields(values)
        if identity is not None and tag is not None and identity.format == FORMAT:
            return Found(identity, tag)
    raise refuse(source, "rx.bad_identity")


# --- cell values ------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


STATUS_WORDS: dict[str, str] = {}  # a word in any language → the status it names


def status_words() -> Mapping[str, str]:
    if not STATUS_WORDS:
        for lang in LANGUAGES:
            for status in ("open", "in_progress", "done", "closed", "withdrawn"):
                STATUS_WORDS[_normal(tl(lang, f"rx.choice.{status}")).lower()] = status
                for word in tl(lang, f"rx.alias.{status}").split("|"):
                    if word:
                        STATUS_WORDS[_normal(word).lower()] = status
    return STATUS_WORDS


def shown(value: object) -> str:
    """A unit's value quoted in a message: short, and unable to drive a terminal."""
    text = printable(str(value))
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass(frozen=True)
class Reported:
    """One row as the unit filled it in (blank cells as None)."""

    number: str
    row: int
    status: str | None  # "in_progress" or "done"
    completed_on: str | None
    department: str | None
    person: str | None
    measures: str | None
    evidence: tuple[Evidence, ...]
    bad: frozenset[str] = frozenset()  # columns whose cell was refused

    def filled(self) -> bool:
        return any(
            (self.status, self.completed_on, self.department, self.person, self.measures)
        ) or bool(self.evidence)


class _Rows:
    """Reads the ledger sheet: rows by key, problems collected with their cells."""

    def __init__(self, sheet: Any, title: str, numbers: list[str], today: date, source: str):
        self.sheet = sheet
        self.title = title
        self.numbers = numbers
        self.today = today
        self.source = source
        self.problems: list[Problem] = []
        self.rows: dict[str, tuple[int, tuple[Any, ...]]] = {}

    def where(self, column: str, row: int) -> Location:
        return Location(self.source, cell=f"{self.title}!{column}{row}")

    def fail(self, column: str, row: int, key: str, /, **params: Any) -> None:
        self.problems.append(Problem(key, params, self.where(column, row)))

    def _iter(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        declared = getattr(self.sheet, "max_row", None)
        if isinstance(declared, int) and declared > L.MAX_ROWS:
            raise refuse(
                self.source, "rx.too_many_rows", sheet=self.title, rows=declared, limit=L.MAX_ROWS
            )
        rows = self.sheet.iter_rows(min_row=1, max_row=L.MAX_ROWS + 1, max_col=len(L.COLUMNS))
        for number, cells in enumerate(rows, start=1):
            if number > L.MAX_ROWS:
                if any(not _blank(getattr(c, "value", None)) for c in cells):
                    raise refuse(
                        self.source,
                        "rx.too_many_rows",
                        sheet=self.title,
                        rows=f"{L.MAX_ROWS}+",
                        limit=L.MAX_ROWS,
                    )
                return
            yield number, tuple(cells)

    def value(self, cells: tuple[Any, ...], column: str) -> Any:
        index = L.INDEX[column]
        return getattr(cells[index], "value", None) if index < len(cells) else None

    def is_formula(self, cells: tuple[Any, ...], column: str) -> bool:
        index = L.INDEX[column]
        return index < len(cells) and getattr(cells[index], "data_type", None) == "f"

    def scan(self) -> None:
        wanted = set(self.numbers)
        for number, cells in self._iter():
            raw = self.value(cells, L.KEY)
            key = raw.strip() if isinstance(raw, str) else None
            if key == L.HEADER_KEY:
                continue
            if not key:
                for column in L.INPUT_COLUMNS:
                    if not _blank(self.value(cells, column)):
                        self.fail(column, number, "rx.inserted_row")
                        break
                continue
            if key not in wanted:
                self.fail(L.NUMBER, number, "rx.unexpected_row", number=key)
                continue
            if key in self.rows:
                first = self.rows[key][0]
                self.fail(L.NUMBER, number, "rx.duplicate_row", number=key, first=first)
                continue
            self.rows[key] = (number, cells)
        for key in self.numbers:
            if key not in self.rows:
                self.problems.append(
                    Problem(
                        "rx.deleted_row", {"number": key}, Location(self.source, cell=self.title)
                    )
                )

    # --- typed cells ---

    def text(self, cells: tuple[Any, ...], column: str, row: int, limit: int) -> str | None:
        if self.is_formula(cells, column):
            self.fail(column, row, "sa.formula")
            return None
        value = self.value(cells, column)
        if _blank(value):
            return None
        if isinstance(value, datetime | date):
            text = value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value).strip()
        if len(text) > limit:
            self.fail(column, row, "rx.text_too_long", field=Term(FIELD_TERMS[column]), max=limit)
            return None
        return text

    def status(self, cells: tuple[Any, ...], row: int) -> tuple[str | None, bool]:
        """(the status the unit chose, whether the cell is fine)."""
        if self.is_formula(cells, L.STATUS):
            self.fail(L.STATUS, row, "sa.formula")
            return None, False
        value = self.value(cells, L.STATUS)
        if _blank(value):
            return None, True
        words = status_words()
        found = words.get(_normal(str(value)).lower()) if isinstance(value, str) else None
        choices = tl_list(L.UNIT_STATUSES)
        if found == "closed":
            self.fail(L.STATUS, row, "rx.status.closing", value=shown(value))
            return None, False
        if found not in L.UNIT_STATUSES:
            self.fail(L.STATUS, row, "rx.status.unknown", value=shown(value), choices=choices)
            return None, False
        return found, True

    def day(self, cells: tuple[Any, ...], row: int) -> tuple[str | None, bool]:
        if self.is_formula(cells, L.COMPLETED):
            self.fail(L.COMPLETED, row, "sa.formula")
            return None, False
        value = self.value(cells, L.COMPLETED)
        if _blank(value):
            return None, True
        day: date | None = None
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1] and float(value).is_integer():
                day = EXCEL_EPOCH + timedelta(days=int(value))
        elif isinstance(value, str):
            match = DATE_TEXT.fullmatch(_normal(value))
            if match:
                try:
                    day = date(*(int(part) for part in match.groups()))
                except ValueError:
                    day = None
        if day is None:
            self.fail(L.COMPLETED, row, "rx.date.text", value=shown(value))
            return None, False
        if day < date.fromisoformat(L.EARLIEST):
            self.fail(L.COMPLETED, row, "rx.date.early", value=day.isoformat())
            return None, False
        if day > self.today:
            self.fail(L.COMPLETED, row, "rx.date.future", value=day.isoformat(), today=self.today)
            return None, False
        return day.isoformat(), True

    def evidence(self, cells: tuple[Any, ...], row: int) -> tuple[Evidence, ...]:
        text = self.text(cells, L.EVIDENCE, row, L.MAX_TEXT)
        if text is None:
            return ()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > L.MAX_EVIDENCE:
            self.fail(L.EVIDENCE, row, "rx.evidence.too_many", max=L.MAX_EVIDENCE)
            return ()
        found = []
        for line in lines:
            file, description = line, ""
            for sep in EVIDENCE_SEPARATORS:
                if sep in line:
                    file, _, description = line.partition(sep)
                    break
            found.append(Evidence(file.strip(), description.strip()))
        return tuple(found)

    def reported(self, key: str) -> Reported:
        row, cells = self.rows[key]
        before = len(self.problems)
        status, _ = self.status(cells, row)
        completed, _ = self.day(cells, row)
        department = self.text(cells, L.DEPARTMENT, row, L.MAX_NAME)
        person = self.text(cells, L.PERSON, row, L.MAX_NAME)
        measures = self.text(cells, L.MEASURES, row, L.MAX_TEXT)
        evidence = self.evidence(cells, row)
        bad = frozenset(
            (p.location.cell or "").rsplit("!", 1)[-1].rstrip("0123456789")
            for p in self.problems[before:]
            if p.location is not None
        )
        return Reported(key, row, status, completed, department, person, measures, evidence, bad)


def tl_list(statuses: tuple[str, ...]) -> str:
    from inspector.i18n import get_language

    lang = get_language()
    return tl(lang, "sa.list_sep").join(tl(lang, f"rx.choice.{s}") for s in statuses)


@dataclass(frozen=True)
class SheetReport:
    title: str
    rows: dict[str, Reported]
    problems: list[Problem]


def read_rows(
    wb: Any, identity: RectifyIdentity, numbers: list[str], today: date, source: str
) -> SheetReport:
    """Every listed problem's row as the unit filled it in, and every problem found (not
    raised: the caller adds what it finds against the ledger)."""
    title = identity.sheet
    if title not in wb.sheetnames:
        found = "、".join(n for n in wb.sheetnames if n != SHEET) or "—"
        raise refuse(source, "rx.no_sheet", sheet=title, found=found)
    reader = _Rows(wb[title], title, numbers, today, source)
    try:
        reader.scan()
        rows = {key: reader.reported(key) for key in numbers if key in reader.rows}
    except ProblemsError:
        raise
    except Exception as exc:  # the sheet XML is parsed lazily, here
        raise parse_failure(exc, source) from None
    return SheetReport(title, rows, reader.problems)
