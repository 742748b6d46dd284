"""Read a filled self-assessment workbook back into answers, with every problem located.

Nothing a workbook says is trusted: its identity must carry a valid tag, its rows are found by
the keys the layout expects, and every input cell is checked again (pasting bypasses an
office program's validation). The decisions then go through ``answers.check_answer``, the
same checks as answers files and the interactive scorer. Problems are collected, not raised
one by one, so a unit hears about every cell to fix in one phone call.

What office programs do to a workbook, and what happens here:

* values where formulas were (the subtotal columns): never read;
* numbers stored as text ("2"), full-width digits ("２"), stray spaces: read as numbers;
* whole numbers stored as floats (2.0): read as whole numbers;
* blank rows inserted or added at the end: rows are found by key, blank rows are ignored;
* a renamed score sheet, a missing identity, deleted rows: refused with a clear message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from inspector.core.answers import MAX_TEXT, check_adjustment, check_answer
from inspector.core.assessment import ItemAnswer, Unit
from inspector.core.forms import FULL, NA, form_of
from inspector.core.forms.cells import (
    UNREADABLE,
    Blank,
    Entered,
    is_blank,
    normal,
    shown,
)
from inspector.core.indicators.model import IndicatorSet, Item
from inspector.errors import Location, Problem, ProblemsError, Term
from inspector.io.xlsx_cells import read_text
from inspector.io.xlsx_safety import Limits, parse_failure
from inspector.selfassess import layout as L
from inspector.selfassess.identity import PROPERTY_PREFIX, SHEET, Identity, from_fields

MAX_ROWS = 3000
# A filled template is a few hundred kilobytes (its score sheet's XML about 200 kB; texts at
# their longest add about 1 MB of shared strings). These bounds keep memory small and time short
# whatever comes: openpyxl parses a whole sheet once just to look for its dimensions when a
# sheet does not declare them, so the size of a part bounds the time too.
LIMITS = Limits(
    file_bytes=10_000_000,
    uncompressed_bytes=40_000_000,
    part_bytes=8_000_000,
    scan_entities=True,
)
HEADER_KEY = "key"
INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")
COLUMN_INDEX = {letter: i for i, letter in enumerate("ABCDEFGHIJKLM")}


@dataclass(frozen=True)
class Found:
    """An identity as a workbook states it (not yet verified) and its tag."""

    identity: Identity
    tag: str


@dataclass(frozen=True)
class SheetAnswers:
    items: dict[str, ItemAnswer] = field(default_factory=dict)
    aggravated: dict[str, int] = field(default_factory=dict)
    bonus: dict[str, int] = field(default_factory=dict)


def refuse(source: str, key: str, /, cell: str | None = None, **params: Any) -> ProblemsError:
    return ProblemsError([Problem(key, params, Location(source, cell=cell))])


# --- identity ---------------------------------------------------------------------------------


def _identity_from_sheet(wb: Any) -> dict[str, object] | None:
    if SHEET not in wb.sheetnames:
        return None
    values: dict[str, object] = {}
    for row in wb[SHEET].iter_rows(min_row=1, max_row=40, max_col=2, values_only=True):
        if row and isinstance(row[0], str):
            values[row[0].strip()] = row[1] if len(row) > 1 else None
    return values


def _identity_from_properties(wb: Any) -> dict[str, object] | None:
    values: dict[str, object] = {}
    for prop in getattr(wb, "custom_doc_props", ()):
        name = getattr(prop, "name", "") or ""
        if name.startswith(PROPERTY_PREFIX):
            value = getattr(prop, "value", None)
            # openpyxl leaves a property's _xHHHH_ escapes as stored (cells it decodes)
            values[name[len(PROPERTY_PREFIX) :]] = (
                read_text(value) if isinstance(value, str) else value
            )
    return values or None


def find_identity(wb: Any, source: str) -> Found:
    """The identity the workbook carries: the hidden sheet, else the document properties."""
    candidates = [c for c in (_identity_from_sheet(wb), _identity_from_properties(wb)) if c]
    if not candidates:
        raise refuse(source, "sa.no_identity")
    for values in candidates:
        identity, tag = from_fields(values)
        if identity is not None and tag is not None:
            return Found(identity, tag)
    raise refuse(source, "sa.bad_identity")


# --- cell values ------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


# --- the score sheet -------------------------------------------------------------------------


class _Sheet:
    """Reads one score sheet: rows by key, problems collected with their cells."""

    def __init__(
        self, sheet: Any, title: str, indicators: IndicatorSet, plan: L.Plan, source: str
    ) -> None:
        self.sheet = sheet
        self.title = title
        self.indicators = indicators
        self.plan = plan
        self.source = source
        self.problems: list[Problem] = []
        self.rows: dict[str, tuple[int, tuple[Any, ...]]] = {}

    def where(self, column: str, row: int) -> Location:
        return Location(self.source, cell=f"{self.title}!{column}{row}")

    def fail(self, column: str, row: int, key: str, /, **params: Any) -> None:
        self.problems.append(Problem(key, params, self.where(column, row)))

    def fail_sheet(self, key: str, /, **params: Any) -> None:
        self.problems.append(Problem(key, params, Location(self.source, cell=self.title)))

    # --- scanning ---

    def _rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        declared = getattr(self.sheet, "max_row", None)
        if isinstance(declared, int) and declared > MAX_ROWS:
            raise refuse(
                self.source,
                "sa.too_many_rows",
                sheet=self.title,
                rows=declared,
                limit=MAX_ROWS,
            )
        rows = self.sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=L.COLUMN_COUNT)
        for number, cells in enumerate(rows, start=1):
            if number > MAX_ROWS:
                if any(not is_blank(getattr(c, "value", None)) for c in cells):
                    raise refuse(
                        self.source,
                        "sa.too_many_rows",
                        sheet=self.title,
                        rows=f"{MAX_ROWS}+",
                        limit=MAX_ROWS,
                    )
                return
            yield number, tuple(cells)

    def scan(self) -> None:
        key_index = COLUMN_INDEX[L.KEY]
        for number, cells in self._rows():
            key_cell = cells[key_index] if len(cells) > key_index else None
            raw_key = getattr(key_cell, "value", None)
            row_key = raw_key.strip() if isinstance(raw_key, str) else None
            if row_key == HEADER_KEY:
                continue
            if not row_key:
                self._check_stray(number, cells)
                continue
            spec = self.plan.by_key.get(row_key)
            if spec is None:
                self.fail(L.CODE, number, "sa.unexpected_row", key=row_key)
                continue
            if row_key in self.rows:
                first = self.rows[row_key][0]
                self.fail(L.CODE, number, "sa.duplicate_row", key=row_key, first=first)
                continue
            self.rows[row_key] = (number, cells)
            if spec.kind != "total":
                self._check_locked(spec, number, cells)

    def _value(self, cells: tuple[Any, ...], column: str) -> Any:
        index = COLUMN_INDEX[column]
        return getattr(cells[index], "value", None) if index < len(cells) else None

    def _is_formula(self, cells: tuple[Any, ...], column: str) -> bool:
        index = COLUMN_INDEX[column]
        if index >= len(cells):
            return False
        cell = cells[index]
        return getattr(cell, "data_type", None) == "f"

    def _check_stray(self, number: int, cells: tuple[Any, ...]) -> None:
        for column in L.INPUT_COLUMNS:
            if not is_blank(self._value(cells, column)):
                self.fail(column, number, "sa.stray_input")
                return

    def _check_locked(self, spec: L.Row, number: int, cells: tuple[Any, ...]) -> None:
        for column in L.INPUT_COLUMNS:
            if column not in spec.inputs and not is_blank(self._value(cells, column)):
                self.fail(column, number, "sa.not_input")

    def get(self, row_key: str, column: str) -> tuple[int, Any] | None:
        """(row number, value) of an input cell; None (and a problem) for a formula."""
        number, cells = self.rows[row_key]
        if self._is_formula(cells, column):
            self.fail(column, number, "sa.formula")
            return None
        return number, self._value(cells, column)

    # --- typed inputs ---

    def count(self, row_key: str) -> int | None:
        got = self.get(row_key, L.ENTRY)
        if got is None:
            return None
        number, value = got
        if is_blank(value):
            return 0
        if isinstance(value, bool):
            self.fail(L.ENTRY, number, "sa.count_number", value=shown(value))
            return None
        text = normal(value) if isinstance(value, str) else None
        if isinstance(value, int):
            whole = value
        elif isinstance(value, float) and value.is_integer():
            whole = int(value)
        elif text is not None and INTEGER.fullmatch(text):
            whole = int(Decimal(text))
        else:
            self.fail(L.ENTRY, number, "sa.count_number", value=shown(value))
            return None
        if whole < 0:
            self.fail(L.ENTRY, number, "sa.count_negative", value=whole)
            return None
        return whole

    def text(self, row_key: str, column: str) -> str | None:
        got = self.get(row_key, column)
        return _text(got[1]) if got is not None else None

    # --- items ---

    def category_na(self, category_code: str) -> str | None:
        """The reason a whole category is not applicable, where its row takes one."""
        row_key = L.key("category", category_code)
        spec = self.plan.by_key.get(row_key)
        if spec is None or L.NA not in spec.inputs or row_key not in self.rows:
            return None
        reason = self.text(row_key, L.NA)
        if reason is not None and len(reason) > MAX_TEXT:
            number = self.rows[row_key][0]
            self.fail(L.NA, number, "sa.text_too_long", field=Term("sa_na"), max=MAX_TEXT)
        return reason

    def item(self, item: Item, category_na: str | None = None) -> ItemAnswer | None:
        """The item's answer: N/A and the texts here, the rest read by the item's form.
        ``category_na``: the reason its whole category is not applicable."""
        item_key = L.key("item", item.code)
        number = self.rows[item_key][0]
        spec = self.plan.by_key[item_key]
        note = self.text(item_key, L.NOTE)
        evidence = self.text(item_key, L.GIVEN)
        na_reason = self.text(item_key, L.NA) if L.NA in spec.inputs else None
        texts = {"note": note, "evidence": evidence}
        for column, text, term in ((L.NA, na_reason, "sa_na"), (L.NOTE, note, "sa_note")):
            if text is not None and len(text) > MAX_TEXT:
                self.fail(column, number, "sa.text_too_long", field=Term(term), max=MAX_TEXT)
        if evidence is not None and len(evidence) > MAX_TEXT:
            self.fail(L.GIVEN, number, "sa.text_too_long", field=Term("sa_evidence"), max=MAX_TEXT)
        form = form_of(item)
        cells = _ItemCells(self, item)
        got = form.read_cells(item, cells)
        if got is None:
            return None
        answer: ItemAnswer
        if category_na is not None and na_reason is None:
            if isinstance(got, Entered):
                category = spec.category.code if spec.category is not None else "?"
                self.fail(
                    L.ENTRY,
                    cells.row(got.at),
                    "format.sa.category_na_and_answer",
                    code=category,
                    item=item.code,
                )
                return None
            answer = ItemAnswer(NA, na_reason=category_na, **texts)
        elif na_reason is not None:
            if isinstance(got, Entered):
                self.fail(L.ENTRY, cells.row(got.at), "sa.na_and_answer", item=item.code)
                return None
            answer = ItemAnswer(NA, na_reason=na_reason, **texts)
        elif isinstance(got, Blank):
            if got.missing is not None:
                self.fail(L.ENTRY, number, got.missing, item=item.code)
                return None
            answer = ItemAnswer(FULL, **texts)
        else:
            answer = ItemAnswer(form.answer_key, got.value, **texts)
        for key, params in check_answer(item, answer, True):
            if key == "answer.text_too_long":
                continue  # reported above, cell by cell, by the same limit (MAX_TEXT)
            if key.startswith("answer.na"):
                self.fail(L.NA, number, key, **params)
            else:
                row = form.reason_row(item, key, params)
                self.fail(L.ENTRY, cells.row(row), key, **params)
        return answer

    def adjustments(self, kind: str) -> dict[str, int]:
        if kind == "aggravated":
            entries = list(self.indicators.aggravated)
        else:
            entries = list(self.indicators.bonus.items) if self.indicators.bonus else []
        found: dict[str, int] = {}
        for entry in entries:
            row_key = L.key(kind, entry.code)
            count = self.count(row_key)
            if not count:
                continue
            reason = check_adjustment(entries, entry.code, count)
            if reason is not None:
                self.fail(L.ENTRY, self.rows[row_key][0], reason[0], **reason[1])
                continue
            found[entry.code] = count
        return found

    def missing(self) -> list[str]:
        absent = [k for k in self.plan.input_keys if k not in self.rows]
        for row_key in absent:
            spec = self.plan.by_key[row_key]
            if spec.kind == "item":
                assert spec.item is not None
                self.fail_sheet("sa.missing.item", item=spec.item.code)
            elif spec.kind == "category":
                assert spec.category is not None
                self.fail_sheet("format.sa.missing_category", code=spec.category.code)
            elif spec.kind == "form":
                assert spec.item is not None and spec.sub is not None
                key, params = form_of(spec.item).missing_row(spec.item, spec.sub)
                self.fail_sheet(key, **params)
            else:
                assert spec.entry is not None
                self.fail_sheet(f"sa.missing.{spec.kind}", code=spec.entry.code)
        return absent


class _ItemCells:
    """One item's cells as its form reads them: rows by the form's row ids."""

    def __init__(self, sheet: _Sheet, item: Item) -> None:
        self.sheet = sheet
        self.item_key = L.key("item", item.code)
        self.keys = {r.sub.id: r.key for r in sheet.plan.form_rows(item) if r.sub is not None}

    def key(self, row: str | None) -> str:
        return self.item_key if row is None else self.keys[row]

    def row(self, row: str | None) -> int:
        return self.sheet.rows[self.key(row)][0]

    def count(self, row: str) -> int | None:
        return self.sheet.count(self.key(row))

    def value(self, row: str | None = None) -> Any:
        got = self.sheet.get(self.key(row), L.ENTRY)
        return UNREADABLE if got is None else got[1]

    def fail(self, row: str | None, key: str, /, **params: Any) -> None:
        self.sheet.fail(L.ENTRY, self.row(row), key, **params)


_PLANS: dict[tuple[int, str, frozenset[str], str], tuple[IndicatorSet, L.Plan]] = {}


def _plan(indicators: IndicatorSet, unit: Unit, lang: str) -> L.Plan:
    """The layout a unit's sheet must have, worked out once per set, group, tags and language
    (a batch of returned workbooks has a few layouts; each takes its forms a while to plan)."""
    key = (id(indicators), unit.group, frozenset(unit.tags), lang)
    found = _PLANS.get(key)
    if found is None or found[0] is not indicators:  # the set is held: its id stays its own
        if len(_PLANS) >= 64:
            _PLANS.clear()
        found = _PLANS[key] = (indicators, L.plan_for(indicators, unit.group, unit.tags, lang))
    return found[1]


def read_scores(
    wb: Any, identity: Identity, indicators: IndicatorSet, unit: Unit, source: str
) -> SheetAnswers:
    """The unit's answers from its score sheet; every problem at once as a ProblemsError."""
    title = identity.sheet
    if title not in wb.sheetnames:
        found = "、".join(n for n in wb.sheetnames if n != SHEET) or "—"
        raise refuse(source, "sa.no_scores_sheet", sheet=title, found=found)
    plan = _plan(indicators, unit, identity.lang)
    reader = _Sheet(wb[title], title, indicators, plan, source)
    try:
        reader.scan()
    except ProblemsError:
        raise
    except Exception as exc:  # the sheet XML is parsed lazily, here
        raise parse_failure(exc, source) from None
    absent = set(reader.missing())
    items: dict[str, ItemAnswer] = {}
    whole = {c.code: reader.category_na(c.code) for c in indicators.categories}
    for category, item in plan.items():
        needed = [L.key("item", item.code)] + [r.key for r in plan.form_rows(item)]
        if absent.intersection(needed):
            continue
        answer = reader.item(item, whole.get(category.code))
        if answer is not None:
            items[item.code] = answer
    adjustments = {}
    for kind in ("aggravated", "bonus"):
        keys = [r.key for r in plan.rows if r.kind == kind]
        if not absent.intersection(keys):
            adjustments[kind] = reader.adjustments(kind)
    if reader.problems:
        raise ProblemsError(reader.problems)
    return SheetAnswers(items, adjustments.get("aggravated", {}), adjustments.get("bonus", {}))
