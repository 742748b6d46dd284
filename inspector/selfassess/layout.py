"""The score sheet's layout: its rows, their keys, and which cells a unit fills in.

The writer and the reader both derive the layout from the same inputs (the indicator set and
the unit's group and tags), so neither trusts what a returned workbook says about its own
shape. Every row carries a key in a hidden column; the reader finds rows by key, so rows that
an office program inserted, or blank rows added at the end, do not shift anything.

Keys are words separated by spaces ("rule 1.2 r1"): codes in a set never contain whitespace,
so two different rows can never share a key. The rows under an item, and whether the item's
own entry cell takes input, are its scoring form's (``Form.cells``); a form's row is keyed
``"<kind> <item code> <id>"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from inspector.core.forms import form_of
from inspector.core.forms.cells import FormCells, SubRow
from inspector.core.indicators.model import Adjustment, Category, IndicatorSet, Item
from inspector.core.indicators.titles import report_title
from inspector.decimals import plain
from inspector.i18n import tl

# Bumped whenever rows, columns or keys change meaning: the identity tag covers it, and a
# workbook of another layout version is refused instead of being misread.
# Not bumped for check rows, ranged amounts and a category's N/A cell: they exist only for sets
# that use those fields, and every row of an earlier set keeps its key and meaning, so workbooks
# already sent out for such a set still import.
LAYOUT_VERSION = "1"

# Columns of the score sheet.
CODE, NAME, POINTS, REQUIREMENT, EVIDENCE, BASIS = "A", "B", "C", "D", "E", "F"
ENTRY, SCORE, NA, NOTE, GIVEN = "G", "H", "I", "J", "K"
KEY, APPLICABLE = "L", "M"  # hidden
VISIBLE_COLUMNS = (CODE, NAME, POINTS, REQUIREMENT, EVIDENCE, BASIS, ENTRY, SCORE, NA, NOTE, GIVEN)
INPUT_COLUMNS = (ENTRY, NA, NOTE, GIVEN)
LAST_COLUMN = APPLICABLE
COLUMN_COUNT = 13

TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 3
FIRST_BODY_ROW = 4

RowKind = Literal[
    "category",
    "item",
    "form",  # a row of the item's scoring form: a rule, a level…
    "aggravated_head",
    "aggravated",
    "bonus_head",
    "bonus",
    "total",
]
TOTAL_LINES = ("applicable", "earned", "base", "aggravated", "bonus", "final", "grade")


@dataclass(frozen=True)
class Row:
    key: str
    kind: RowKind
    category: Category | None = None
    item: Item | None = None
    cells: FormCells | None = None  # the item's form's cells (item rows)
    sub: SubRow | None = None  # the form's row (form rows)
    entry: Adjustment | None = None
    total: str | None = None
    inputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    rows: tuple[Row, ...]
    by_key: dict[str, Row] = field(default_factory=dict)

    @property
    def input_keys(self) -> list[str]:
        """Keys of the rows a unit fills in; each must be present in a returned workbook."""
        return [row.key for row in self.rows if row.inputs]

    def items(self) -> list[tuple[Category, Item]]:
        return [(row.category, row.item) for row in self.rows if row.kind == "item"]  # type: ignore[misc]

    def form_rows(self, item: Item) -> list[Row]:
        """The rows of the item's scoring form, in order."""
        return [r for r in self.rows if r.kind == "form" and r.item is item]


def key(*parts: str) -> str:
    return " ".join(parts)


def item_inputs(item: Item, cells: FormCells) -> tuple[str, ...]:
    inputs = [ENTRY] if cells.entry is not None else []
    if item.na_allowed:
        inputs.append(NA)
    return (*inputs, NOTE, GIVEN)


def _item_rows(category: Category, item: Item, lang: str) -> Iterable[Row]:
    cells = form_of(item).cells(item, lang)
    yield Row(
        key("item", item.code), "item", category, item, cells, inputs=item_inputs(item, cells)
    )
    for sub in cells.rows:
        inputs = (ENTRY,) if sub.input is not None else ()
        yield Row(key(sub.kind, item.code, sub.id), "form", category, item, sub=sub, inputs=inputs)


def plan_for(indicators: IndicatorSet, group: str, tags: Iterable[str], lang: str) -> Plan:
    """The rows of one unit's score sheet, with their texts in ``lang``: only the items that
    apply to its group and tags."""
    tag_set = frozenset(tags)
    rows: list[Row] = []
    for category in indicators.categories:
        applicable = [it for it in category.items if it.applies(group, tag_set)]
        if not applicable:
            continue
        inputs = (NA,) if category.na_allowed else ()
        rows.append(Row(key("category", category.code), "category", category, inputs=inputs))
        for item in applicable:
            rows.extend(_item_rows(category, item, lang))
    if indicators.aggravated:
        rows.append(Row(key("aggravated"), "aggravated_head"))
        for entry in indicators.aggravated:
            rows.append(
                Row(key("aggravated", entry.code), "aggravated", entry=entry, inputs=(ENTRY,))
            )
    if indicators.bonus is not None:
        rows.append(Row(key("bonus"), "bonus_head"))
        for entry in indicators.bonus.items:
            rows.append(Row(key("bonus", entry.code), "bonus", entry=entry, inputs=(ENTRY,)))
    for line in TOTAL_LINES:
        if line == "aggravated" and not indicators.aggravated:
            continue
        if line == "bonus" and indicators.bonus is None:
            continue
        rows.append(Row(key("total", line), "total", total=line))
    return Plan(tuple(rows), {row.key: row for row in rows})


def score_sheet_title(indicators: IndicatorSet, unit: str, lang: str) -> str:
    """The score sheet's title (评分表!A1), the set's report title for ``unit``: written by the
    template, compared by the import with the unit the identity names."""
    return tl(lang, "format.sa.title", unit=unit, title=report_title(indicators, lang))


# --- the totals' live formulas (for the unit's information; the import recomputes) ----------


def aggravated_formula(amounts: list[str], indicators: IndicatorSet) -> str:
    """The aggravated deductions taken: the entries' amounts, within ``aggravated_cap``."""
    text = "SUM(" + ",".join(amounts) + ")"
    cap = indicators.aggravated_cap
    return f"MIN({text},{plain(cap)})" if cap is not None else text


def final_formula(base: str, aggravated: str | None, bonus: str | None, ind: IndicatorSet) -> str:
    """The final score: within [0, final_cap], the bonus inside or on top of the cap."""
    cap = plain(ind.cap)
    kept = base + (f"-{aggravated}" if aggravated else "")
    if bonus and ind.bonus_beyond_cap:
        return f"ROUND(MIN(MAX({kept},0),{cap})+{bonus},2)"
    if bonus:
        kept += f"+{bonus}"
    return f"ROUND(MIN(MAX({kept},0),{cap}),2)"


def grade_formula(
    final: str, counts: dict[str, str], indicators: IndicatorSet, names: dict[str, str]
) -> str:
    """The grade: the band of ``final``, lowered by the aggravated entries entered (their
    ``grade_cap``, and ``aggravated_grades`` on the number entered). ``counts`` gives the
    entry cell of each aggravated entry by code, ``names`` each grade's (quoted) text."""
    order = indicators.grade_order()  # best first: position 1, 2, …
    position = {g.name: i for i, g in enumerate(order, start=1)}
    band = str(len(order))
    for grade in reversed(order[:-1]):
        band = f"IF({final}>={plain(grade.min)},{position[grade.name]},{band})"
    caps = [band]
    for entry in indicators.aggravated:
        if entry.grade_cap and entry.grade_cap in position and entry.code in counts:
            caps.append(f"IF(N({counts[entry.code]})>0,{position[entry.grade_cap]},1)")
    if indicators.aggravated_grades and counts:
        total = "+".join(f"N({cell})" for cell in counts.values())
        for rule in indicators.aggravated_grades:
            if rule.grade in position:
                caps.append(f"IF({total}>={rule.count},{position[rule.grade]},1)")
    index = caps[0] if len(caps) == 1 else "MAX(" + ",".join(caps) + ")"
    return f"CHOOSE({index}," + ",".join(names[g.name] for g in order) + ")"
