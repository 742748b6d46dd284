"""Write a unit's self-assessment workbook: instructions, the score sheet, the identity.

The score sheet lists only the items that apply to the unit. A unit fills in, per item, what
the item's scoring form asks (counts for the deduction rules it admits, one cell per rule; a
level from a dropdown; a direct score…: the form describes its cells, ``Form.cells``, and this
module renders them); an N/A reason where the item allows one; an explanation; and the
evidence it sends. Formulas give live subtotals for the unit's own information; the import
never reads them (it recomputes everything with the scoring engine). Every input cell is
validated by the office program and again on import; every other cell is locked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector.core.answers import MAX_COUNT, MAX_TEXT
from inspector.core.assessment import Unit
from inspector.core.forms import form_of, registered
from inspector.core.forms.cells import (
    Column,
    Validation,
    counted_amount,
    counted_text,
    counted_validation,
)
from inspector.core.indicators.model import Adjustment, IndicatorSet, Item, localized
from inspector.decimals import plain
from inspector.errors import ConflictError
from inspector.i18n import tl
from inspector.io.xlsx_cells import write
from inspector.io.xlsx_style import print_setup
from inspector.selfassess import layout as L
from inspector.selfassess.identity import (
    PROPERTY_PREFIX,
    SHEET,
    Identity,
    new_identity,
    sign,
)
from inspector.selfassess.style import Styles, row_height, styles

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from inspector.store.workspace import Round

WIDTHS = {
    L.CODE: 6,
    L.NAME: 22,
    L.POINTS: 12,
    L.REQUIREMENT: 36,
    L.EVIDENCE: 22,
    L.BASIS: 18,
    L.ENTRY: 11,
    L.SCORE: 8,
    L.NA: 13,
    L.NOTE: 18,
    L.GIVEN: 18,
    L.KEY: 12,
    L.APPLICABLE: 6,
}
HEADERS = (
    (L.CODE, "sa.col.code"),
    (L.NAME, "sa.col.name"),
    (L.POINTS, "sa.col.points"),
    (L.REQUIREMENT, "sa.col.requirement"),
    (L.EVIDENCE, "sa.col.evidence"),
    (L.BASIS, "sa.col.basis"),
    (L.ENTRY, "sa.col.entry"),
    (L.SCORE, "sa.col.score"),
    (L.NA, "sa.col.na"),
    (L.NOTE, "sa.col.note"),
    (L.GIVEN, "sa.col.given"),
)
UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in range(10)
}
MAX_NAME = 80


@dataclass(frozen=True)
class TemplateText:
    """What the instructions sheet says beyond the set itself."""

    due: str | None = None  # ISO date the workbook must be returned by
    contact: str | None = None


def quoted(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + text.replace('"', '""') + '"'


def nice_date(value: str | None, lang: str) -> str | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return tl(lang, "sa.date", y=day.year, m=day.month, d=day.day)


def safe_filename(name: str) -> str:
    """A file name every file system accepts, still recognisably the unit's name."""
    text = unicodedata.normalize("NFC", name)
    text = UNSAFE_NAME.sub("_", text).strip().strip(".").strip()
    if not text or text.upper().split(".")[0] in RESERVED_NAMES:
        text = f"_{text}"
    return text[:MAX_NAME]


def basis_text(indicators: IndicatorSet, item: Item, lang: str) -> str:
    parts = []
    for basis in item.basis:
        law = indicators.law(basis.law)
        article = str(localized(basis, "article", lang))
        if law is None:
            parts.append(f"{basis.law} {article}")
            continue
        title = str(localized(law, "title", lang))
        version = str(localized(law, "version", lang))
        parts.append(tl(lang, "sa.basis", title=title, version=version, article=article))
    return "\n".join(parts)


def evidence_text(item: Item, lang: str) -> str:
    evidence = item.evidence
    if lang == "en" and item.en is not None and item.en.evidence:
        evidence = item.en.evidence
    if len(evidence) == 1:
        return evidence[0]
    return "\n".join(f"{i}. {text}" for i, text in enumerate(evidence, start=1))


def requirement_text(item: Item, lang: str) -> str:
    parts = [str(localized(item, "requirement", lang))]
    notes = localized(item, "notes", lang)
    if notes:
        parts.append(tl(lang, "sa.notes", notes=notes))
    if item.na_allowed:
        parts.append(tl(lang, "sa.na_allowed"))
    return "\n".join(parts)


def text_validation(lang: str, prompt: str) -> Validation:
    return Validation(
        "text", tl(lang, "sa.dv.text", max=MAX_TEXT), tl(lang, prompt), high=str(MAX_TEXT)
    )


class _Validations:
    """Data validations grouped by rule, so a sheet has a handful, not one per cell."""

    def __init__(self, sheet: Any, lang: str) -> None:
        self.sheet = sheet
        self.lang = lang
        self.groups: dict[Validation, Any] = {}

    def add(self, cell: str, validation: Validation) -> None:
        dv = self.groups.get(validation)
        if dv is None:
            dv = self._make(validation)
            self.sheet.add_data_validation(dv)
            self.groups[validation] = dv
        dv.add(cell)

    def _make(self, v: Validation) -> Any:
        from openpyxl.worksheet.datavalidation import DataValidation

        lang = self.lang
        common: dict[str, Any] = {
            "allow_blank": True,
            "showErrorMessage": True,
            "errorStyle": "stop",
            "errorTitle": tl(lang, "sa.dv.title"),
            "showInputMessage": True,
            "promptTitle": tl(lang, "sa.prompt.title"),
            "error": v.error,
            "prompt": v.prompt,
        }
        if v.kind == "list":
            return DataValidation(type="list", formula1=v.source, **common)
        if v.kind == "text":
            return DataValidation(
                type="textLength", operator="lessThanOrEqual", formula1=v.high, **common
            )
        return DataValidation(
            type=v.kind, operator="between", formula1=v.low, formula2=v.high, **common
        )


COLUMNS: dict[Column, str] = {
    "entry": L.ENTRY,
    "score": L.SCORE,
    "name": L.NAME,
    "points": L.POINTS,
}


class _Refs:
    """The A1 names of one item's cells, for its form's formulas and validations."""

    def __init__(self, row: int, subs: dict[str, int]) -> None:
        self.row = row
        self.subs = subs  # the form's row id -> sheet row

    def _row(self, sub: str | None) -> int:
        return self.row if sub is None else self.subs[sub]

    def cell(self, column: Column, row: str | None = None) -> str:
        return f"{COLUMNS[column]}{self._row(row)}"

    def span(self, column: Column, first: str, last: str, fixed: bool = False) -> str:
        letter = COLUMNS[column]
        if fixed:
            return f"${letter}${self._row(first)}:${letter}${self._row(last)}"
        return f"{letter}{self._row(first)}:{letter}{self._row(last)}"


class _ScoreSheet:
    """Fills the score sheet row by row from the unit's layout plan."""

    def __init__(
        self, sheet: Worksheet, indicators: IndicatorSet, plan: L.Plan, lang: str, st: Styles
    ) -> None:
        self.sheet = sheet
        self.indicators = indicators
        self.plan = plan
        self.lang = lang
        self.st = st
        self.dv = _Validations(sheet, lang)
        self.rows: dict[str, int] = {}
        row = L.FIRST_BODY_ROW
        for spec in plan.rows:
            self.rows[spec.key] = row
            row += 1
        self.last_row = row - 1

    # --- cells --------------------------------------------------------------------------------

    def put(self, column: str, row: int, value: object, font: Any = None, align: Any = None) -> Any:
        cell = self.sheet[f"{column}{row}"]
        write(cell, value)
        cell.font = font or self.st.body
        cell.alignment = align or self.st.wrap
        return cell

    def formula(self, column: str, row: int, text: str, font: Any = None) -> None:
        cell = self.sheet[f"{column}{row}"]
        cell.value = "=" + text
        cell.font = font or self.st.body
        cell.alignment = self.st.center

    def open_cell(self, column: str, row: int) -> None:
        cell = self.sheet[f"{column}{row}"]
        cell.protection = self.st.unlocked
        cell.fill = self.st.input_fill
        cell.font = self.st.body
        cell.alignment = self.st.center if column == L.ENTRY else self.st.wrap

    def frame(self, row: int, fill: Any = None) -> None:
        for column in L.VISIBLE_COLUMNS:
            cell = self.sheet[f"{column}{row}"]
            cell.border = self.st.border
            if fill is not None:
                cell.fill = fill

    # --- rows ---------------------------------------------------------------------------------

    def write(self, unit: Unit, round_name: str) -> None:
        sheet, st, lang = self.sheet, self.st, self.lang
        indicators = self.indicators
        last = L.VISIBLE_COLUMNS[-1]
        title = tl(lang, "sa.title", unit=unit.name)
        sheet.merge_cells(f"A{L.TITLE_ROW}:{last}{L.TITLE_ROW}")
        self.put("A", L.TITLE_ROW, title, st.title, st.wrap_center)
        sheet.row_dimensions[L.TITLE_ROW].height = 30
        group = indicators.group(unit.group)
        subtitle = tl(
            lang,
            "sa.subtitle",
            round=round_name,
            group=localized(group, "name", lang) if group else unit.group,
            set=localized(indicators, "title", lang),
            version=indicators.version,
        )
        sheet.merge_cells(f"A{L.SUBTITLE_ROW}:{last}{L.SUBTITLE_ROW}")
        self.put("A", L.SUBTITLE_ROW, subtitle, st.subtitle, st.top_left)
        sheet.row_dimensions[L.SUBTITLE_ROW].height = 20
        for column, key in HEADERS:
            self.put(column, L.HEADER_ROW, tl(lang, key), st.heading, st.wrap_center)
        self.frame(L.HEADER_ROW, st.header_fill)
        sheet.row_dimensions[L.HEADER_ROW].height = 36
        write(sheet[f"{L.KEY}{L.HEADER_ROW}"], "key")

        for spec in self.plan.rows:
            row = self.rows[spec.key]
            write(sheet[f"{L.KEY}{row}"], spec.key)
            handler = getattr(self, f"_{spec.kind}")
            handler(spec, row)

        for column, width in WIDTHS.items():
            sheet.column_dimensions[column].width = width
        sheet.column_dimensions[L.KEY].hidden = True
        sheet.column_dimensions[L.APPLICABLE].hidden = True
        sheet.freeze_panes = f"C{L.FIRST_BODY_ROW}"
        print_setup(sheet, landscape=True, title_rows=f"{L.HEADER_ROW}:{L.HEADER_ROW}")
        sheet.print_area = f"A1:{last}{self.last_row}"
        protection = sheet.protection
        protection.sheet = True
        protection.formatColumns = False  # let readers widen columns and rows
        protection.formatRows = False

    def _category(self, spec: L.Row, row: int) -> None:
        st, lang = self.st, self.lang
        category = spec.category
        assert category is not None
        self.put(L.CODE, row, category.code, st.heading, st.center)
        self.put(L.NAME, row, localized(category, "name", lang), st.heading)
        items = [self.rows[L.key("item", it.code)] for c, it in self.plan.items() if c is category]
        self.formula(L.POINTS, row, "SUM(" + ",".join(f"{L.APPLICABLE}{r}" for r in items) + ")")
        self.formula(L.SCORE, row, "SUM(" + ",".join(f"{L.SCORE}{r}" for r in items) + ")")
        self.sheet[f"{L.POINTS}{row}"].font = st.heading
        self.sheet[f"{L.SCORE}{row}"].font = st.heading
        self.frame(row, st.category_fill)
        self.sheet.row_dimensions[row].height = row_height([(str(category.name), WIDTHS[L.NAME])])

    def _item(self, spec: L.Row, row: int) -> None:
        st, lang = self.st, self.lang
        item = spec.item
        assert item is not None
        name = str(localized(item, "name", lang))
        requirement = requirement_text(item, lang)
        evidence = evidence_text(item, lang)
        basis = basis_text(self.indicators, item, lang)
        self.put(L.CODE, row, item.code, st.bold, st.center)
        self.put(L.NAME, row, name, st.bold)
        self.put(L.POINTS, row, item.points, st.bold, st.center)
        self.put(L.REQUIREMENT, row, requirement)
        self.put(L.EVIDENCE, row, evidence)
        self.put(L.BASIS, row, basis)
        points = plain(item.points)
        na_cell = f"{L.NA}{row}"
        cells = spec.cells
        assert cells is not None
        refs = self.refs(spec)
        score = cells.score(refs)
        if cells.entry is not None:
            self.dv.add(f"{L.ENTRY}{row}", cells.entry(refs))
        if item.na_allowed:
            score = f'IF({na_cell}<>"",{quoted(tl(lang, "sa.na_mark"))},{score})'
            self.formula(L.APPLICABLE, row, f'IF({na_cell}<>"",0,{points})')
            self.dv.add(na_cell, text_validation(lang, "sa.prompt.na"))
        else:
            write(self.sheet[f"{L.APPLICABLE}{row}"], item.points)
        self.formula(L.SCORE, row, score, st.bold)
        self.dv.add(f"{L.NOTE}{row}", text_validation(lang, "sa.prompt.note"))
        self.dv.add(f"{L.GIVEN}{row}", text_validation(lang, "sa.prompt.given"))
        self.frame(row)
        for column in spec.inputs:
            self.open_cell(column, row)
        self.sheet.row_dimensions[row].height = row_height(
            [
                (name, WIDTHS[L.NAME]),
                (requirement, WIDTHS[L.REQUIREMENT]),
                (evidence, WIDTHS[L.EVIDENCE]),
                (basis, WIDTHS[L.BASIS]),
            ],
            minimum=2,
        )

    def refs(self, spec: L.Row) -> _Refs:
        """The names of the cells of the item of ``spec`` (an item or a form row)."""
        assert spec.item is not None
        subs = {
            r.sub.id: self.rows[r.key] for r in self.plan.form_rows(spec.item) if r.sub is not None
        }
        return _Refs(self.rows[L.key("item", spec.item.code)], subs)

    def _form(self, spec: L.Row, row: int) -> None:
        """A row of the item's scoring form: a rule with its count, a level…"""
        st = self.st
        sub = spec.sub
        assert sub is not None
        if sub.code:
            self.put(L.CODE, row, sub.code, st.body, st.center)
        self.put(L.NAME, row, sub.name)
        self.put(L.POINTS, row, sub.points, st.body, st.center)
        if sub.input is not None:
            self.dv.add(f"{L.ENTRY}{row}", sub.input)
        if sub.score is not None:
            self.formula(L.SCORE, row, sub.score(self.refs(spec)))
            if sub.score_format is not None:
                self.sheet[f"{L.SCORE}{row}"].number_format = sub.score_format
        self.frame(row)
        if sub.input is not None:
            self.open_cell(L.ENTRY, row)
        self.sheet.row_dimensions[row].height = row_height(
            [(sub.name, WIDTHS[L.NAME]), (str(sub.points), WIDTHS[L.POINTS])]
        )

    def _count_row(
        self, row: int, code: str, text: str, points_text: str, entry: Adjustment, sign: str
    ) -> None:
        """An aggravated or bonus entry: the unit enters how many times."""
        st = self.st
        self.put(L.CODE, row, code, st.body, st.center)
        self.put(L.NAME, row, text)
        self.put(L.POINTS, row, points_text, st.body, st.center)
        cell = f"{L.ENTRY}{row}"
        self.dv.add(cell, counted_validation(entry, self.lang))
        self.formula(L.SCORE, row, counted_amount(cell, entry))
        # shown as "扣2分" / "加2分", and blank while nothing is entered
        self.sheet[f"{L.SCORE}{row}"].number_format = tl(self.lang, f"sa.format.{sign}")
        self.frame(row)
        self.open_cell(L.ENTRY, row)
        self.sheet.row_dimensions[row].height = row_height(
            [(text, WIDTHS[L.NAME]), (points_text, WIDTHS[L.POINTS])]
        )

    def _heading(self, row: int, text: str) -> None:
        last = L.VISIBLE_COLUMNS[-1]
        self.frame(row, self.st.category_fill)
        self.sheet.merge_cells(f"{L.NAME}{row}:{last}{row}")
        self.put(L.NAME, row, text, self.st.heading, self.st.top_left)
        self.sheet.row_dimensions[row].height = 20

    def _aggravated_head(self, spec: L.Row, row: int) -> None:
        self._heading(row, tl(self.lang, "sa.head.aggravated"))

    def _bonus_head(self, spec: L.Row, row: int) -> None:
        bonus = self.indicators.bonus
        assert bonus is not None
        self._heading(row, tl(self.lang, "sa.head.bonus", cap=plain(bonus.cap)))

    def _aggravated(self, spec: L.Row, row: int) -> None:
        entry = spec.entry
        assert entry is not None
        text = str(localized(entry, "text", self.lang))
        points = counted_text(entry, self.lang, "agg")
        self._count_row(row, entry.code, text, points, entry, "rule")

    def _bonus(self, spec: L.Row, row: int) -> None:
        entry = spec.entry
        assert entry is not None
        text = str(localized(entry, "text", self.lang))
        self._count_row(
            row, entry.code, text, counted_text(entry, self.lang, "bonus"), entry, "bonus"
        )

    def _total(self, spec: L.Row, row: int) -> None:
        st, lang, indicators = self.st, self.lang, self.indicators
        line = spec.total
        at = {
            name: self.rows[L.key("total", name)]
            for name in L.TOTAL_LINES
            if L.key("total", name) in self.rows
        }
        item_rows = [self.rows[L.key("item", it.code)] for _, it in self.plan.items()]
        category_rows = [self.rows[r.key] for r in self.plan.rows if r.kind == "category"]
        total = plain(indicators.total)
        params: dict[str, object] = {"total": total}
        if line == "applicable":
            text = "SUM(" + ",".join(f"{L.APPLICABLE}{r}" for r in item_rows) + ")"
        elif line == "earned":
            text = "SUM(" + ",".join(f"{L.SCORE}{r}" for r in category_rows) + ")"
        elif line == "base":
            app, earned = f"{L.SCORE}{at['applicable']}", f"{L.SCORE}{at['earned']}"
            text = f"IF({app}={total},{earned},IF({app}>0,ROUND({earned}*{total}/{app},2),0))"
        elif line in ("aggravated", "bonus"):
            rows = [self.rows[r.key] for r in self.plan.rows if r.kind == line]
            text = "SUM(" + ",".join(f"{L.SCORE}{r}" for r in rows) + ")"
            if line == "bonus":
                assert indicators.bonus is not None
                cap = plain(indicators.bonus.cap)
                params["cap"] = plain(indicators.bonus.cap)
                text = f"MIN({text},{cap})"
        elif line == "final":
            text = f"{L.SCORE}{at['base']}"
            if "aggravated" in at:
                text += f"-{L.SCORE}{at['aggravated']}"
            if "bonus" in at:
                text += f"+{L.SCORE}{at['bonus']}"
            text = f"ROUND(MIN(MAX({text},0),{plain(indicators.cap)}),2)"
        else:
            final = f"{L.SCORE}{at['final']}"
            grades = sorted(indicators.grades, key=lambda g: g.min, reverse=True)
            text = quoted(str(localized(grades[-1], "name", lang)))
            for grade in reversed(grades[:-1]):
                name = quoted(str(localized(grade, "name", lang)))
                text = f"IF({final}>={plain(grade.min)},{name},{text})"
        last = L.ENTRY
        self.sheet.merge_cells(f"{L.CODE}{row}:{last}{row}")
        label = tl(lang, f"sa.total.{line}", **params)
        self.put(L.CODE, row, label, st.heading, st.top_left)
        self.formula(L.SCORE, row, text, st.heading)
        self.frame(row)
        if line == "final":
            self.sheet.merge_cells(f"{L.NA}{row}:{L.GIVEN}{row}")
            self.put(L.NA, row, tl(lang, "sa.total.hint"), st.body, st.top_left)
        self.sheet.row_dimensions[row].height = 20


def _guide(
    sheet: Worksheet,
    indicators: IndicatorSet,
    plan: L.Plan,
    unit: Unit,
    round_name: str,
    text: TemplateText,
    lang: str,
    st: Styles,
) -> None:
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 72
    sheet.merge_cells("A1:B1")
    title = sheet["A1"]
    write(title, tl(lang, "sa.guide.title", round=round_name))
    title.font, title.alignment = st.title, st.wrap_center
    sheet.row_dimensions[1].height = 54
    group = indicators.group(unit.group)
    items = [it for _, it in plan.items()]
    points = sum((it.points for it in items), Decimal(0))
    facts = [
        ("sa.guide.unit", unit.name + (f"（{unit.code}）" if unit.code else "")),
        ("sa.guide.group", str(localized(group, "name", lang)) if group else unit.group),
        ("sa.guide.round", round_name),
        (
            "sa.guide.set",
            f"{localized(indicators, 'title', lang)}（{indicators.version}）",
        ),
        (
            "sa.guide.items",
            tl(lang, "sa.guide.items_value", count=len(items), points=plain(points)),
        ),
        ("sa.guide.due", nice_date(text.due, lang) or tl(lang, "sa.guide.due_none")),
        ("sa.guide.contact", text.contact or tl(lang, "sa.guide.contact_none")),
    ]
    row = 3
    for label_key, value in facts:
        label = sheet[f"A{row}"]
        write(label, tl(lang, label_key))
        label.font, label.alignment, label.border = st.heading, st.top_left, st.border
        cell = sheet[f"B{row}"]
        write(cell, value)
        cell.font, cell.alignment, cell.border = st.body, st.top_left, st.border
        sheet.row_dimensions[row].height = row_height([(value, 72)])
        row += 1
    row += 1
    heading = sheet[f"A{row}"]
    write(heading, tl(lang, "sa.guide.how"))
    heading.font = st.heading
    row += 1
    sheet_name = tl(lang, "sa.sheet.scores")

    def step(number: int) -> str:
        return tl(lang, f"sa.guide.step{number}", sheet=sheet_name, max=MAX_COUNT)

    # how to fill in each form the set uses, between the general steps
    used = {form_of(it).key for _, it in indicators.items()}
    forms = [form.guide(lang, sheet_name) for form in registered() if form.key in used]
    steps = [step(1), *forms, *(step(n) for n in range(5, 10))]
    for number, step in enumerate(steps, start=1):
        sheet.merge_cells(f"A{row}:B{row}")
        cell = sheet[f"A{row}"]
        write(cell, f"{number}. {step}")
        cell.font, cell.alignment = st.body, st.wrap
        sheet.row_dimensions[row].height = row_height([(f"{number}. {step}", 88)])
        row += 1
    print_setup(sheet, landscape=False)
    sheet.print_area = f"A1:B{row - 1}"
    sheet.protection.sheet = True


def _identity_sheet(wb: Workbook, identity: Identity, tag: str, lang: str) -> None:
    from openpyxl.packaging.custom import StringProperty

    sheet = wb.create_sheet(SHEET)
    write(sheet["A1"], tl(lang, "sa.identity.note"))
    values = {**identity.fields(), "tag": tag}
    for row, (name, value) in enumerate(values.items(), start=2):
        write(sheet[f"A{row}"], name)
        write(sheet[f"B{row}"], value)
        sheet[f"B{row}"].data_type = "s"
        if value:  # an empty property is not kept by every program; absent means empty
            wb.custom_doc_props.append(StringProperty(name=PROPERTY_PREFIX + name, value=value))
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def build_workbook(
    round_: Round, unit: Unit, secret: bytes, lang: str, text: TemplateText
) -> Workbook:
    """The whole workbook for one unit, in memory."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    indicators = round_.indicators
    plan = L.plan_for(indicators, unit.group, unit.tags, lang)
    st = styles()
    wb = Workbook()
    guide = wb.active
    guide.title = tl(lang, "sa.sheet.guide")
    _guide(guide, indicators, plan, unit, round_.name, text, lang, st)
    scores = wb.create_sheet(tl(lang, "sa.sheet.scores"))
    _ScoreSheet(scores, indicators, plan, lang, st).write(unit, round_.name)
    identity = new_identity(
        lang, scores.title, round_.name, unit.name, unit.code, round_.set_hash, unit.uid
    )
    _identity_sheet(wb, identity, sign(identity, secret), lang)
    wb.active = 0  # a unit opens the workbook on the instructions
    scores.sheet_view.tabSelected = False
    # no password: the unit is never asked for one; renaming or deleting sheets is refused
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def write_template(
    path: Path, round_: Round, unit: Unit, secret: bytes, lang: str, text: TemplateText
) -> None:
    from inspector.io.fileio import atomic_path

    wb = build_workbook(round_, unit, secret, lang, text)
    with atomic_path(path) as temp:
        wb.save(temp)


# --- batches --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    unit: Unit
    path: Path


@dataclass(frozen=True)
class TemplateProgress:
    """An event for a progress display: ``done`` of ``total`` templates are written."""

    done: int
    total: int
    unit: Unit | None


def target_paths(units: Sequence[Unit], folder: Path) -> list[Path]:
    """One file per unit; names that clash after cleaning get the unit's code or a number."""
    taken: set[str] = set()
    paths = []
    for unit in units:
        stem = safe_filename(unit.name)
        if stem.lower() in taken:
            stem = safe_filename(f"{unit.name}-{unit.code}") if unit.code else stem
        base, n = stem, 2
        while stem.lower() in taken:
            stem = f"{base}-{n}"
            n += 1
        taken.add(stem.lower())
        paths.append(folder / f"{stem}.xlsx")
    return paths


def generate(
    round_: Round,
    units: Iterable[Unit],
    folder: Path,
    secret: bytes,
    lang: str,
    text: TemplateText,
    force: bool = False,
    listener: Callable[[TemplateProgress], None] | None = None,
) -> list[Written]:
    """Write every unit's template; refuses up front (writing nothing) if any file exists."""
    chosen = list(units)
    paths = target_paths(chosen, folder)
    if not force:
        existing = [p for p in paths if p.exists()]
        if existing:
            listed = tl(lang, "sa.list_sep").join(str(p) for p in existing[:5])
            shown = listed + ("…" if len(existing) > 5 else "")
            raise ConflictError("sa.exists", files=shown, count=len(existing))
    written = []
    notify = listener or (lambda event: None)
    notify(TemplateProgress(0, len(chosen), None))
    for done, (unit, path) in enumerate(zip(chosen, paths, strict=True), start=1):
        write_template(path, round_, unit, secret, lang, text)
        written.append(Written(unit, path))
        notify(TemplateProgress(done, len(chosen), unit))
    return written
