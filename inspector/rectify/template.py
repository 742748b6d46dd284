"""Write a unit's rectification workbook: instructions, its open problems, the identity.

The ledger sheet lists the unit's open problems (待整改, 整改中, 已整改 awaiting the office's
re-inspection), each with the office's columns (number, item, problem, requirement, deadline,
the last re-inspection's opinion) locked, and the unit's own columns unlocked, shaded and
validated: status (a dropdown of 整改中 / 已整改), completion date (a date no later than
today), department, person, measures, evidence. What the unit reported before is filled in,
so a workbook issued again continues where the last one stopped.

Written through ``inspector.io.xlsx_writer`` (XlsxWriter), like every workbook the tool
writes; the identity is signed as the self-assessment templates' is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from inspector.core.assessment import Unit
from inspector.errors import ConflictError
from inspector.i18n import tl
from inspector.io.fileio import atomic_path
from inspector.io.xlsx_style import DATE, STYLES
from inspector.io.xlsx_writer import Book, Column, Validation
from inspector.rectify import layout as L
from inspector.rectify.identity import RectifyIdentity, new_identity
from inspector.selfassess.identity import PROPERTY_PREFIX, SHEET, sign
from inspector.store.ledger import DONE, IN_PROGRESS, Entry
from inspector.text_rules import distinct_file_names

EXTRA_STYLES = {
    "input_date": replace(STYLES["input_center"], number_format=DATE),
    "top_date": replace(STYLES["top_center"], number_format=DATE),
}
WIDTHS = {
    L.NUMBER: 17,
    L.ITEM: 14,
    L.PROBLEM: 26,
    L.REQUIREMENT: 24,
    L.DEADLINE: 15,
    L.STATUS: 10,
    L.COMPLETED: 15,
    L.DEPARTMENT: 12,
    L.PERSON: 9,
    L.MEASURES: 28,
    L.EVIDENCE: 22,
    L.RECHECK: 16,
    L.KEY: 10,
}


@dataclass(frozen=True)
class TemplateText:
    due: str | None = None  # ISO date the report is due
    contact: str | None = None


@dataclass(frozen=True)
class Sheet:
    """One unit's workbook, as values: what ``write_workbook`` lays out."""

    round_name: str
    unit: Unit
    entries: tuple[Entry, ...]
    lang: str
    text: TemplateText


def status_word(status: str, lang: str) -> str:
    return tl(lang, f"rx.choice.{status}")


def evidence_text(entry: Entry, lang: str) -> str:
    sep = tl(lang, "rx.evidence.sep")
    return "\n".join(
        e.file + (sep + e.description if e.description else "") for e in entry.evidence
    )


def recheck_text(entry: Entry, lang: str) -> str:
    if entry.recheck == "failed":
        return tl(lang, "rx.recheck.failed", note=entry.recheck_note or "")
    return ""


def nice_date(value: str | None, lang: str) -> str | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return tl(lang, "report.date", year=day.year, month=day.month, day=day.day)


def _columns(lang: str) -> list[Column]:
    headers = {
        L.NUMBER: ("rx.col.number", "center"),
        L.ITEM: ("rx.col.item", "top"),
        L.PROBLEM: ("rx.col.problem", "top"),
        L.REQUIREMENT: ("rx.col.requirement", "top"),
        L.DEADLINE: ("rx.col.deadline", "top_date"),
        L.STATUS: ("rx.col.status", "input_center"),
        L.COMPLETED: ("rx.col.completed", "input_date"),
        L.DEPARTMENT: ("rx.col.department", "input"),
        L.PERSON: ("rx.col.person", "input"),
        L.MEASURES: ("rx.col.measures", "input"),
        L.EVIDENCE: ("rx.col.evidence", "input"),
        L.RECHECK: ("rx.col.recheck", "top"),
        L.KEY: ("", "plain"),
    }
    columns = []
    for letter in L.COLUMNS:
        key, style = headers[letter]
        header = tl(lang, key) if key else L.HEADER_KEY
        columns.append(Column(header, WIDTHS[letter], style, hidden=letter == L.KEY))
    return columns


def _validations(lang: str) -> dict[str, Validation]:
    title = tl(lang, "rx.dv.title")
    prompt_title = tl(lang, "rx.dv.prompt_title")

    def text(limit: int, prompt: str) -> Validation:
        return Validation(
            "textLength",
            maximum=str(limit),
            prompt_title=prompt_title,
            prompt=tl(lang, prompt),
            error_title=title,
            error=tl(lang, "rx.dv.text", max=limit),
        )

    choices = ",".join(status_word(s, lang) for s in L.UNIT_STATUSES)
    return {
        L.STATUS: Validation(
            "list",
            source=f'"{choices}"',
            prompt_title=prompt_title,
            prompt=tl(lang, "rx.dv.status_prompt"),
            error_title=title,
            error=tl(lang, "rx.dv.status", choices=choices),
        ),
        L.COMPLETED: Validation(
            "date",
            minimum=L.EARLIEST,
            maximum="=TODAY()",
            prompt_title=prompt_title,
            prompt=tl(lang, "rx.dv.date_prompt"),
            error_title=title,
            error=tl(lang, "rx.dv.date"),
        ),
        L.DEPARTMENT: text(L.MAX_NAME, "rx.dv.department_prompt"),
        L.PERSON: text(L.MAX_NAME, "rx.dv.person_prompt"),
        L.MEASURES: text(L.MAX_TEXT, "rx.dv.measures_prompt"),
        L.EVIDENCE: text(L.MAX_TEXT, "rx.dv.evidence_prompt"),
    }


def _row(entry: Entry, lang: str) -> list[object]:
    item = entry.text("item", lang)
    return [
        entry.number,
        f"{entry.code} {item}" if entry.source == "item" else f"{item} {entry.code}",
        entry.text("problem", lang),
        entry.text("requirement", lang),
        entry.deadline_date or entry.deadline,
        status_word(entry.status, lang) if entry.status in (IN_PROGRESS, DONE) else None,
        date.fromisoformat(entry.completed_on) if entry.completed_on else None,
        entry.department,
        entry.person,
        entry.measures,
        evidence_text(entry, lang) or None,
        recheck_text(entry, lang),
        entry.number,
    ]


def _guide(book: Book, data: Sheet, lang: str) -> None:
    guide = book.sheet(
        tl(lang, "rx.sheet.guide"),
        [Column("", 18), Column("", 70)],
        landscape=False,
        header_rows=0,
    )
    unit = data.unit
    guide.title(tl(lang, "rx.guide.title", round=data.round_name), None)
    facts = [
        ("rx.guide.unit", unit.name + (f"（{unit.code}）" if unit.code else "")),
        ("rx.guide.round", data.round_name),
        ("rx.guide.problems", tl(lang, "rx.guide.problems_value", count=len(data.entries))),
        ("rx.guide.due", nice_date(data.text.due, lang) or tl(lang, "rx.guide.due_none")),
        ("rx.guide.contact", data.text.contact or tl(lang, "rx.guide.contact_none")),
    ]
    for key, value in facts:
        guide.label_row(tl(lang, key), value)
    guide.blank()
    guide.merged(tl(lang, "rx.guide.how"), "section")
    sheet_name = tl(lang, "rx.sheet.ledger")
    choices = tl(lang, "sa.list_sep").join(status_word(s, lang) for s in L.UNIT_STATUSES)
    for number in range(1, 8):
        text = tl(lang, f"rx.guide.step{number}", sheet=sheet_name, choices=choices)
        guide.merged(f"{number}. {text}", "note")
    guide.protect()
    guide.activate()


def _ledger(book: Book, data: Sheet, lang: str) -> str:
    columns = _columns(lang)
    sheet = book.sheet(tl(lang, "rx.sheet.ledger"), columns, landscape=True, freeze_cols=1)
    sheet.title(
        tl(lang, "rx.title", unit=data.unit.name),
        tl(lang, "rx.subtitle", round=data.round_name, count=len(data.entries)),
    )
    sheet.headings([c.header for c in columns])
    checks = _validations(lang)
    inputs = [L.INDEX[letter] for letter in L.INPUT_COLUMNS]
    for entry in data.entries:
        row = sheet.row(_row(entry, lang))
        for index in inputs:
            sheet.validate(row, index, checks[L.COLUMNS[index]])
    sheet.protect()
    return sheet.name


def _identity(book: Book, identity: RectifyIdentity, tag: str, numbers: Sequence[str]) -> None:
    lang = identity.lang
    sheet = book.sheet(SHEET, [Column("", 16), Column("", 60)], landscape=False, header_rows=0)
    sheet.row([tl(lang, "rx.identity.note"), None])
    values = {**identity.fields(), "tag": tag}
    for name, value in values.items():
        sheet.row([name, value])
        if value:  # an empty property is not kept by every program; absent means empty
            book.custom_property(PROPERTY_PREFIX + name, value)
    for number in numbers:  # for people: which problems the workbook is about
        sheet.row(["problem", number])
    sheet.protect()
    sheet.very_hidden()


def write_workbook(path: Path, data: Sheet, secret: bytes, created: date) -> None:
    """The unit's workbook at ``path``, written atomically."""
    lang = data.lang
    numbers = [e.number for e in data.entries]
    with atomic_path(path) as temp:
        book = Book(
            temp,
            lang=lang,
            title=tl(lang, "rx.title", unit=data.unit.name),
            created=created,
            streaming=False,
            styles=EXTRA_STYLES,
        )
        try:
            _guide(book, data, lang)
            sheet_name = _ledger(book, data, lang)
            identity = new_identity(
                lang, sheet_name, data.round_name, data.unit.name, data.unit.code, numbers
            )
            _identity(book, identity, sign(identity, secret), numbers)
            book.lock_structure()
            book.close()
        except BaseException:
            book.discard()
            raise


# --- batches --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    unit: Unit
    path: Path
    problems: int


@dataclass(frozen=True)
class Progress:
    """An event: ``done`` of ``total`` workbooks are written."""

    done: int
    total: int
    unit: Unit | None


def target_paths(units: Sequence[Unit], folder: Path) -> list[Path]:
    """One file per unit; names that clash once made safe get the unit's code or a number."""
    names = distinct_file_names(((unit.name, unit.code) for unit in units), ".xlsx")
    return [folder / name for name in names]


def generate(
    sheets: Iterable[Sheet],
    folder: Path,
    secret: bytes,
    created: date,
    force: bool = False,
    issued: Callable[[Sheet], None] | None = None,
    listener: Callable[[Progress], None] | None = None,
) -> list[Written]:
    """Write every unit's workbook; refuses up front (writing nothing) if any file exists.
    ``issued`` is told of each workbook once its file is in place."""
    chosen = list(sheets)
    paths = target_paths([s.unit for s in chosen], folder)
    if not force:
        existing = [p for p in paths if p.exists()]
        if existing:
            lang = chosen[0].lang if chosen else "zh"
            listed = tl(lang, "sa.list_sep").join(str(p) for p in existing[:5])
            shown = listed + ("…" if len(existing) > 5 else "")
            raise ConflictError("rx.exists", files=shown, count=len(existing))
    notify = listener or (lambda event: None)
    notify(Progress(0, len(chosen), None))
    written = []
    for done, (data, path) in enumerate(zip(chosen, paths, strict=True), start=1):
        write_workbook(path, data, secret, created)
        if issued is not None:
            issued(data)
        written.append(Written(data.unit, path, len(data.entries)))
        notify(Progress(done, len(chosen), data.unit))
    return written
