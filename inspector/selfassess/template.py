"""Write a unit's self-assessment workbook: instructions, the score sheet, the identity.

The score sheet lists only the items that apply to the unit. A unit fills in, per item, what
the item's scoring form asks (counts for the deduction rules it admits, one cell per rule; a
level from a dropdown; a direct score…: the form describes its cells, ``Form.cells``, and this
module renders them); an N/A reason where the item allows one; an explanation; and the
evidence it sends. Formulas give live subtotals for the unit's own information; the import
never reads them (it recomputes everything with the scoring engine). Every input cell is
validated by the office program and again on import; every other cell is locked.

Workbooks are written through ``inspector.io.xlsx_writer`` (looks from its one style table,
row heights from its one estimator). Units of the same group and tags get the same score
sheet but for its title, so its rows are built once per layout (``_ScoreRows``) and written
for every unit that has it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

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
from inspector.io import xlsx_writer as xw
from inspector.io.xlsx_style import STYLES, Style
from inspector.selfassess import layout as L
from inspector.selfassess.identity import (
    PROPERTY_PREFIX,
    SHEET,
    new_identity,
    sign,
)
from inspector.text_rules import distinct_file_names, file_name

if TYPE_CHECKING:
    from inspector.store.workspace import Round

WIDTHS = {
    L.CODE: 6,
    L.NAME: 22,
    L.POINTS: 12,
    L.REQUIREMENT: 36,
    L.EVIDENCE: 22,
    L.BASIS: 22,
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
HEADER_KEY = "key"  # the header row's key cell: the reader skips the row
GUIDE_WIDTHS = (16, 72)
TITLE_HEIGHT = 30.0
HEADER_HEIGHT = 36.0
GUIDE_TITLE_HEIGHT = 54.0
ITEM_MIN_LINES = 2  # an item's row leaves room for the unit's explanation
MAX_WIDTH = 60  # a text column widened so that no row needs more than the tallest row

# column indexes of the score sheet (0-based), as the writer takes them
COLUMN = {letter: index for index, letter in enumerate("ABCDEFGHIJKLM")}
LAST_VISIBLE = COLUMN[L.VISIBLE_COLUMNS[-1]]

Cell = tuple[object, str] | None


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
    return file_name(name, "", "unit")


def basis_text(indicators: IndicatorSet, item: Item, lang: str) -> str:
    """One line per law, its articles listed after its title once ("《数据安全法》（2021年）
    第二十一条、第二十七条"): an item citing eight articles of two laws stays a few lines tall."""
    articles: dict[str, list[str]] = {}  # by law, in the order the set cites them
    for basis in item.basis:
        articles.setdefault(basis.law, []).append(str(localized(basis, "article", lang)))
    parts = []
    for key, cited in articles.items():
        article = tl(lang, "sa.list_sep").join(cited)
        law = indicators.law(key)
        if law is None:
            parts.append(f"{key} {article}")
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


def cell_validation(v: Validation, lang: str) -> xw.Validation:
    """A form's validation as the writer takes it: a stop alert and an input prompt."""
    common = {
        "prompt_title": tl(lang, "sa.prompt.title"),
        "prompt": v.prompt,
        "error_title": tl(lang, "sa.dv.title"),
        "error": v.error,
    }
    if v.kind == "list":
        return xw.Validation("list", source=v.source, **common)
    if v.kind == "text":
        return xw.Validation("textLength", maximum=v.high, **common)
    return xw.Validation(v.kind, minimum=v.low, maximum=v.high, **common)


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


@dataclass(frozen=True)
class _Line:
    """One row of the score sheet, ready for the writer: 13 cells (A to M; None: an empty
    cell, framed by the sheet's frame), how tall, its merges and the validations of its input
    cells (by column index)."""

    cells: tuple[Cell, ...]
    height: float | None = None
    min_height: float = 0
    spans: tuple[xw.Span, ...] = ()
    validations: tuple[tuple[int, xw.Validation], ...] = ()

    @cached_property
    def values(self) -> tuple[object, ...]:
        return tuple(None if cell is None else cell[0] for cell in self.cells)

    @cached_property
    def styles(self) -> tuple[str | None, ...]:
        return tuple(None if cell is None else cell[1] for cell in self.cells)


def _sum(column: str, rows: Iterable[int]) -> str:
    return "SUM(" + ",".join(f"{column}{r}" for r in rows) + ")"


class _ScoreRows:
    """The rows of one layout's score sheet (a plan), built once: texts, formulas, looks and
    validations. Units of the same group and tags share them; only the title differs."""

    def __init__(self, indicators: IndicatorSet, plan: L.Plan, lang: str) -> None:
        self.indicators = indicators
        self.plan = plan
        self.lang = lang
        self.styles: dict[str, Style] = {}  # number-format variants of the score column
        self.rows: dict[str, int] = {}
        for number, spec in enumerate(plan.rows, start=L.FIRST_BODY_ROW):
            self.rows[spec.key] = number
        self.last_row = L.FIRST_BODY_ROW + len(plan.rows) - 1
        self._validations: dict[Validation, xw.Validation] = {}
        self._subs = {
            code: {r.sub.id: self.rows[r.key] for r in rows if r.sub is not None}
            for code, rows in self._form_rows().items()
        }
        self.lines = _with_results(tuple(self._line(spec) for spec in plan.rows))
        self.points = sum((it.points for _, it in plan.items()), Decimal(0))
        self.item_count = len(plan.items())
        self.columns = self._columns()

    def _columns(self) -> list[xw.Column]:
        """The sheet's columns; a text column is made wider where one of its texts would
        need more lines than the tallest row holds (a row never continues below: the
        reader finds rows by their keys, one row each)."""
        widths = dict(WIDTHS)
        for letter in (L.NAME, L.POINTS, L.REQUIREMENT, L.EVIDENCE, L.BASIS):
            texts = [
                text
                for line in self.lines
                if (cell := line.cells[COLUMN[letter]]) is not None
                and isinstance(text := cell[0], str)
            ]
            while widths[letter] < MAX_WIDTH and any(
                xw.text_lines(text, widths[letter]) > xw.MAX_LINES for text in texts
            ):
                widths[letter] += 2
        return [
            xw.Column(width=widths[letter], hidden=letter in (L.KEY, L.APPLICABLE))
            for letter in "ABCDEFGHIJKLM"
        ]

    def _form_rows(self) -> dict[str, list[L.Row]]:
        found: dict[str, list[L.Row]] = {}
        for row in self.plan.rows:
            if row.kind == "form" and row.item is not None:
                found.setdefault(row.item.code, []).append(row)
        return found

    # --- helpers ------------------------------------------------------------------------------

    def _check(self, v: Validation) -> xw.Validation:
        made = self._validations.get(v)
        if made is None:
            made = self._validations[v] = cell_validation(v, self.lang)
        return made

    def _score_style(self, number_format: str | None) -> str:
        """The score column's look, with the form's number format ("扣2分") if it has one."""
        if number_format is None:
            return "top_center"
        name = f"score {number_format}"
        if name not in self.styles:
            self.styles[name] = dataclasses.replace(
                STYLES["top_center"], number_format=number_format
            )
        return name

    def refs(self, item: Item) -> _Refs:
        return _Refs(self.rows[L.key("item", item.code)], self._subs.get(item.code, {}))

    def _line(self, spec: L.Row) -> _Line:
        return getattr(self, f"_{spec.kind}")(spec)

    @staticmethod
    def _cells(key: str, fill: str | None = None, **given: Cell) -> list[Cell]:
        """A row's 13 cells: ``given`` by column letter, the other visible ones empty (in the
        ``fill`` look if any; else not written, the sheet's frame draws their lines), the key
        in the hidden key column."""
        blank: Cell = None if fill is None else (None, fill)
        cells: list[Cell] = [blank] * (LAST_VISIBLE + 1) + [(key, "hidden"), None]
        for letter, cell in given.items():
            cells[COLUMN[letter]] = cell
        return cells

    # --- rows ---------------------------------------------------------------------------------

    def _category(self, spec: L.Row) -> _Line:
        category = spec.category
        assert category is not None
        items = [self.rows[L.key("item", it.code)] for c, it in self.plan.items() if c is category]
        cells = self._cells(
            spec.key,
            "category",
            A=(category.code, "category_center"),
            B=(localized(category, "name", self.lang), "category"),
            C=(xw.Formula(_sum(L.APPLICABLE, items)), "category_center"),
            H=(xw.Formula(_sum(L.SCORE, items)), "category_center"),
        )
        validations: tuple[tuple[int, xw.Validation], ...] = ()
        if L.NA in spec.inputs:  # the whole category may be N/A: its reason here
            cells[COLUMN[L.NA]] = (None, "input")
            check = self._check(text_validation(self.lang, "format.sa.prompt.category_na"))
            validations = ((COLUMN[L.NA], check),)
        return _Line(tuple(cells), validations=validations)

    def _item(self, spec: L.Row) -> _Line:
        lang = self.lang
        item = spec.item
        cells_of_form = spec.cells
        assert item is not None and cells_of_form is not None
        row = self.rows[spec.key]
        refs = self.refs(item)
        score = cells_of_form.score(refs)
        na_cell = f"{L.NA}{row}"
        validations: list[tuple[int, xw.Validation]] = []
        if cells_of_form.entry is not None:
            validations.append((COLUMN[L.ENTRY], self._check(cells_of_form.entry(refs))))
        applicable: object = item.points
        if item.na_allowed:
            na_text = na_cell
            category_key = L.key("category", spec.category.code)  # type: ignore[union-attr]
            if L.NA in self.plan.by_key[category_key].inputs:  # N/A by the item or its category
                na_text = f"{na_cell}&{L.NA}{self.rows[category_key]}"
            score = f'IF({na_text}<>"",{quoted(tl(lang, "sa.na_mark"))},{score})'
            applicable = xw.Formula(f'IF({na_text}<>"",0,{plain(item.points)})')
            validations.append((COLUMN[L.NA], self._check(text_validation(lang, "sa.prompt.na"))))
        validations.append((COLUMN[L.NOTE], self._check(text_validation(lang, "sa.prompt.note"))))
        validations.append((COLUMN[L.GIVEN], self._check(text_validation(lang, "sa.prompt.given"))))
        inputs = spec.inputs
        cells = self._cells(
            spec.key,
            A=(item.code, "top_center_bold"),
            B=(str(localized(item, "name", lang)), "top_bold"),
            C=(item.points, "top_center_bold"),
            D=(requirement_text(item, lang), "top"),
            E=(evidence_text(item, lang), "top"),
            F=(basis_text(self.indicators, item, lang), "top"),
            H=(xw.Formula(score), "top_center_bold"),
            J=(None, "input"),
            K=(None, "input"),
        )
        if L.ENTRY in inputs:
            cells[COLUMN[L.ENTRY]] = (None, "input_center")
        if L.NA in inputs:
            cells[COLUMN[L.NA]] = (None, "input")
        cells[COLUMN[L.APPLICABLE]] = (applicable, "hidden")
        return _Line(
            tuple(cells),
            min_height=xw.lines_height(ITEM_MIN_LINES),
            validations=tuple(validations),
        )

    def _form(self, spec: L.Row) -> _Line:
        """A row of the item's scoring form: a rule with its count, a level…"""
        sub, item = spec.sub, spec.item
        assert sub is not None and item is not None
        given: dict[str, Cell] = {
            L.CODE: (sub.code, "top_center"),
            L.NAME: (sub.name, "top"),
            L.POINTS: (sub.points, "top_center"),
        }
        validations = []
        if sub.input is not None:
            given[L.ENTRY] = (None, "input_center")
            validations.append((COLUMN[L.ENTRY], self._check(sub.input)))
        if sub.score is not None:
            formula = xw.Formula(sub.score(self.refs(item)))
            given[L.SCORE] = (formula, self._score_style(sub.score_format))
        return _Line(tuple(self._cells(spec.key, **given)), validations=tuple(validations))

    def _count_row(self, spec: L.Row, text: str, points_text: str, sign: str) -> _Line:
        """An aggravated or bonus entry: the unit enters how many times."""
        entry: Adjustment | None = spec.entry
        assert entry is not None
        cell = f"{L.ENTRY}{self.rows[spec.key]}"
        # shown as "扣2分" / "加2分", and blank while nothing is entered
        score_style = self._score_style(tl(self.lang, f"sa.format.{sign}"))
        cells = self._cells(
            spec.key,
            A=(entry.code, "top_center"),
            B=(text, "top"),
            C=(points_text, "top_center"),
            G=(None, "input_center"),
            H=(xw.Formula(counted_amount(cell, entry)), score_style),
        )
        check = self._check(counted_validation(entry, self.lang))
        return _Line(tuple(cells), validations=((COLUMN[L.ENTRY], check),))

    def _heading(self, spec: L.Row, text: str) -> _Line:
        cells = self._cells(spec.key, "category", B=(text, "category"))
        return _Line(tuple(cells), spans=(xw.Span(COLUMN[L.NAME], LAST_VISIBLE),))

    def _aggravated_head(self, spec: L.Row) -> _Line:
        return self._heading(spec, tl(self.lang, "sa.head.aggravated"))

    def _bonus_head(self, spec: L.Row) -> _Line:
        bonus = self.indicators.bonus
        assert bonus is not None
        return self._heading(spec, tl(self.lang, "sa.head.bonus", cap=plain(bonus.cap)))

    def _aggravated(self, spec: L.Row) -> _Line:
        entry = spec.entry
        assert entry is not None
        text = str(localized(entry, "text", self.lang))
        return self._count_row(spec, text, counted_text(entry, self.lang, "agg"), "rule")

    def _bonus(self, spec: L.Row) -> _Line:
        entry = spec.entry
        assert entry is not None
        text = str(localized(entry, "text", self.lang))
        return self._count_row(spec, text, counted_text(entry, self.lang, "bonus"), "bonus")

    def _total(self, spec: L.Row) -> _Line:
        lang, indicators = self.lang, self.indicators
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
            text = _sum(L.APPLICABLE, item_rows)
        elif line == "earned":
            text = _sum(L.SCORE, category_rows)
        elif line == "base":
            app, earned = f"{L.SCORE}{at['applicable']}", f"{L.SCORE}{at['earned']}"
            text = f"IF({app}={total},{earned},IF({app}>0,ROUND({earned}*{total}/{app},2),0))"
        elif line in ("aggravated", "bonus"):
            rows = [self.rows[r.key] for r in self.plan.rows if r.kind == line]
            text = _sum(L.SCORE, rows)
            if line == "aggravated":
                text = L.aggravated_formula([f"{L.SCORE}{r}" for r in rows], indicators)
            if line == "bonus":
                assert indicators.bonus is not None
                cap = plain(indicators.bonus.cap)
                params["cap"] = cap
                text = f"MIN({text},{cap})"
        elif line == "final":
            text = L.final_formula(
                f"{L.SCORE}{at['base']}",
                f"{L.SCORE}{at['aggravated']}" if "aggravated" in at else None,
                f"{L.SCORE}{at['bonus']}" if "bonus" in at else None,
                indicators,
            )
        else:
            counts = {
                r.entry.code: f"{L.ENTRY}{self.rows[r.key]}"
                for r in self.plan.rows
                if r.kind == "aggravated" and r.entry is not None
            }
            names = {g.name: quoted(str(localized(g, "name", lang))) for g in indicators.grades}
            text = L.grade_formula(f"{L.SCORE}{at['final']}", counts, indicators, names)
        given: dict[str, Cell] = {
            L.CODE: (tl(lang, f"sa.total.{line}", **params), "total"),
            L.SCORE: (xw.Formula(text), "total_center"),
        }
        for letter in L.VISIBLE_COLUMNS[1 : COLUMN[L.ENTRY] + 1]:
            given[letter] = (None, "total")
        spans = [xw.Span(COLUMN[L.CODE], COLUMN[L.ENTRY])]
        if line == "final":
            given[L.NA] = (tl(lang, "sa.total.hint"), "text")
            for letter in L.VISIBLE_COLUMNS[COLUMN[L.NA] + 1 :]:
                given[letter] = (None, "text")  # a merge's cells keep their lines
            spans.append(xw.Span(COLUMN[L.NA], LAST_VISIBLE))
        return _Line(tuple(self._cells(spec.key, **given)), spans=tuple(spans))


def _with_results(lines: tuple[_Line, ...]) -> tuple[_Line, ...]:
    """``lines`` with each formula's result stored beside it, as the blank template shows
    it: LibreOffice and viewers that do not calculate show the stored result (see
    ``io/xlsx_calc``). A formula that cannot be evaluated here stores no result."""
    from inspector.io.xlsx_calc import Error, Sheet, Unknown

    constants: dict[str, object] = {}
    formulas: dict[str, str] = {}
    for number, line in enumerate(lines, start=L.FIRST_BODY_ROW):
        for index, cell in enumerate(line.cells):
            if cell is None or cell[0] is None:
                continue
            ref = f"{xw.column_letter(index)}{number}"
            if isinstance(cell[0], xw.Formula):
                formulas[ref] = cell[0].text
            else:
                constants[ref] = cell[0]
    sheet = Sheet(constants, formulas)

    def stored(ref: str) -> str | float | int | bool:
        try:
            result = sheet.result(ref)
        except Unknown:
            return ""
        if isinstance(result, Error):
            return result.code
        if isinstance(result, float) and result.is_integer():
            return int(result)
        return result

    done = []
    for number, line in enumerate(lines, start=L.FIRST_BODY_ROW):
        cells = list(line.cells)
        for index, cell in enumerate(cells):
            if cell is not None and isinstance(cell[0], xw.Formula):
                value = stored(f"{xw.column_letter(index)}{number}")
                cells[index] = (xw.Formula(cell[0].text, value), cell[1])
        done.append(dataclasses.replace(line, cells=tuple(cells)))
    return tuple(done)


# --- the workbook -------------------------------------------------------------------------


class _Templates:
    """Writes the workbooks of one round's units in one language: score sheets are built once
    per layout (group and tags), the instructions' steps once."""

    def __init__(self, round_: Round, secret: bytes, lang: str, text: TemplateText) -> None:
        self.round = round_
        self.indicators = round_.indicators
        self.secret = secret
        self.lang = lang
        self.text = text
        self._layouts: dict[tuple[str, frozenset[str]], _ScoreRows] = {}
        self.scores_name = xw.sheet_name(tl(lang, "sa.sheet.scores"))
        self.guide_name = xw.sheet_name(tl(lang, "sa.sheet.guide"))
        self.steps = self._steps()
        self.header: list[Cell] = [(tl(lang, key), "heading") for _, key in HEADERS]
        self.header += [(HEADER_KEY, "hidden"), None]

    def layout(self, unit: Unit) -> _ScoreRows:
        key = (unit.group, frozenset(unit.tags))
        found = self._layouts.get(key)
        if found is None:
            plan = L.plan_for(self.indicators, unit.group, unit.tags, self.lang)
            found = self._layouts[key] = _ScoreRows(self.indicators, plan, self.lang)
        return found

    def _steps(self) -> list[str]:
        lang, sheet = self.lang, self.scores_name

        def step(number: int) -> str:
            return tl(lang, f"sa.guide.step{number}", sheet=sheet, max=MAX_COUNT)

        # how to fill in each form the set uses, between the general steps
        used = {form_of(it).key for _, it in self.indicators.items()}
        forms = [form.guide(lang, sheet) for form in registered() if form.key in used]
        if any(category.na_allowed for category in self.indicators.categories):
            forms.append(tl(lang, "format.guide.category_na"))
        steps = [step(1), *forms, *(step(n) for n in range(5, 10))]
        return [f"{number}. {text}" for number, text in enumerate(steps, start=1)]

    def write(self, path: Path, unit: Unit) -> None:
        """The unit's workbook, written to ``path`` atomically."""
        from inspector.io.fileio import atomic_path

        scores = self.layout(unit)
        lang = self.lang
        title = L.score_sheet_title(self.indicators, unit.name, lang)
        with atomic_path(path) as temp:
            # shared strings, not XlsxWriter's streamed inline strings: openpyxl decodes the
            # escapes of shared strings only, and a unit's "_x0041_" must read back as typed
            book = xw.Book(
                temp,
                lang=lang,
                title=title,
                created=date.today(),
                streaming=False,
                styles=scores.styles,
            )
            try:
                guide = self._guide(book, unit, scores)
                guide.activate()  # a unit opens the workbook on the instructions
                self._scores(book, unit, scores, title)
                self._identity(book, unit)
                # no password: the unit is never asked for one; renaming or deleting sheets
                # is refused
                book.lock_structure()
                book.close()
            except BaseException:
                book.discard()
                raise

    def _guide(self, book: xw.Book, unit: Unit, scores: _ScoreRows) -> xw.Sheet:
        lang, indicators = self.lang, self.indicators
        columns = [xw.Column(width=width, style="note") for width in GUIDE_WIDTHS]
        sheet = book.sheet(self.guide_name, columns, landscape=False, header_rows=0)
        sheet.append(
            [(tl(lang, "sa.guide.title", round=self.round.name), "title"), None],
            GUIDE_TITLE_HEIGHT,
            [xw.Span(0, 1)],
        )
        sheet.blank(xw.ONE_LINE)
        group = indicators.group(unit.group)
        facts = [
            ("sa.guide.unit", unit.name + (f"（{unit.code}）" if unit.code else "")),
            ("sa.guide.group", str(localized(group, "name", lang)) if group else unit.group),
            ("sa.guide.round", self.round.name),
            ("sa.guide.set", f"{localized(indicators, 'title', lang)}（{indicators.version}）"),
            (
                "sa.guide.items",
                tl(
                    lang,
                    "sa.guide.items_value",
                    count=scores.item_count,
                    points=plain(scores.points),
                ),
            ),
            ("sa.guide.due", nice_date(self.text.due, lang) or tl(lang, "sa.guide.due_none")),
            ("sa.guide.contact", self.text.contact or tl(lang, "sa.guide.contact_none")),
        ]
        for label, value in facts:
            sheet.append([(tl(lang, label), "label"), (value, "text")])
        sheet.blank(xw.ONE_LINE)
        sheet.append([(tl(lang, "sa.guide.how"), "guide_heading"), None])
        for step in self.steps:
            sheet.append([(step, "note"), (None, "note")], spans=[xw.Span(0, 1)])
        sheet.print_area(sheet.row_index, 1)
        sheet.protect()
        return sheet

    def _scores(self, book: xw.Book, unit: Unit, scores: _ScoreRows, title: str) -> None:
        lang, indicators = self.lang, self.indicators
        sheet = book.sheet(
            self.scores_name,
            scores.columns,
            landscape=True,
            header_rows=1,
            freeze_cols=2,
            continue_long=False,
        )
        width = sum(c.width for c in scores.columns[: LAST_VISIBLE + 1])
        across = [xw.Span(0, LAST_VISIBLE)]
        blank: list[Cell] = [None] * LAST_VISIBLE
        height = max(TITLE_HEIGHT, xw.text_lines(title, width / 1.6) * 26)
        sheet.append([(title, "title"), *blank], height, across)
        group = indicators.group(unit.group)
        subtitle = tl(
            lang,
            "sa.subtitle",
            round=self.round.name,
            group=localized(group, "name", lang) if group else unit.group,
            set=localized(indicators, "title", lang),
            version=indicators.version,
        )
        sheet.append([(subtitle, "note"), *blank], None, across)
        sheet.append(self.header, HEADER_HEIGHT)
        for line in scores.lines:
            row = sheet.styled(line.values, line.styles, line.height, line.spans, line.min_height)
            for column, check in line.validations:
                sheet.validate(row, column, check)
        assert sheet.row_index == scores.last_row
        sheet.frame(L.FIRST_BODY_ROW, 0, scores.last_row, LAST_VISIBLE)
        sheet.print_area(scores.last_row, LAST_VISIBLE)
        sheet.protect()

    def _identity(self, book: xw.Book, unit: Unit) -> None:
        identity = new_identity(
            self.lang,
            self.scores_name,
            self.round.name,
            unit.name,
            unit.code,
            self.round.set_hash,
            unit.uid,
        )
        values = {**identity.fields(), "tag": sign(identity, self.secret)}
        columns = [xw.Column(width=12, style="hidden"), xw.Column(width=72, style="exact")]
        sheet = book.sheet(SHEET, columns, landscape=False, header_rows=0, fit="none")
        sheet.row([tl(self.lang, "sa.identity.note"), None])
        for name, value in values.items():
            # exactly as signed: a unit or round named "=…" reads back unchanged
            sheet.row([name, xw.Exact(value)])
            if value:  # an empty property is not kept by every program; absent means empty
                book.custom_property(PROPERTY_PREFIX + name, value)
        sheet.very_hidden()
        sheet.protect()


def write_template(
    path: Path, round_: Round, unit: Unit, secret: bytes, lang: str, text: TemplateText
) -> None:
    """One unit's workbook (``generate`` writes many, sharing the work between them)."""
    _Templates(round_, secret, lang, text).write(path, unit)


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
    names = distinct_file_names(((unit.name, unit.code) for unit in units), ".xlsx")
    return [folder / name for name in names]


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
    templates = _Templates(round_, secret, lang, text)
    for done, (unit, path) in enumerate(zip(chosen, paths, strict=True), start=1):
        templates.write(path, unit)
        written.append(Written(unit, path))
        notify(TemplateProgress(done, len(chosen), unit))
    return written
