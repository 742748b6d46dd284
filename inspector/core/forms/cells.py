"""A scoring form's cells in the self-assessment template, described abstractly: the rows
under an item, input cells with what they accept, live formulas built from cell names. The
template writer (selfassess/template.py) renders them, whatever library writes the file; the
reader (selfassess/reader.py) gives a form its cells back through ``CellReader``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from inspector.core.forms.base import MAX_COUNT
from inspector.core.indicators.model import localized
from inspector.decimals import BadNumber, parse_decimal, plain
from inspector.i18n import tl

if TYPE_CHECKING:
    from inspector.core.indicators.model import Counted

V = TypeVar("V")

Column = Literal["entry", "score", "name", "points"]


class CellRefs(Protocol):
    """The A1 names of a form's cells in a written sheet. ``row`` is the id of one of the
    form's rows (``SubRow.id``), None for the item's own row."""

    def cell(self, column: Column, row: str | None = None) -> str: ...

    def span(self, column: Column, first: str, last: str, fixed: bool = False) -> str: ...


Formula = Callable[[CellRefs], str]  # a formula's text, without the leading "="


@dataclass(frozen=True)
class Validation:
    """What an input cell accepts, checked by the office program (and again on import).

    ``whole`` and ``decimal``: a number from ``low`` to ``high``; ``list``: one of ``source``
    (a range, or a quoted comma list); ``text``: at most ``high`` characters.
    """

    kind: Literal["whole", "decimal", "list", "text"]
    error: str
    prompt: str
    low: str = "0"
    high: str = ""
    source: str = ""


@dataclass(frozen=True)
class SubRow:
    """A row below the item's row: a rule with its count, a level to choose from…

    Its key in the sheet is ``"<kind> <item code> <id>"`` ("rule 1.2 r1"), so ``id`` is unique
    within the item and ``kind`` names what the row is.
    """

    kind: str
    id: str
    code: str = ""  # the code column
    name: str = ""
    points: str | Decimal = ""
    input: Validation | None = None  # the unit fills in this row's entry cell
    score: Formula | None = None  # a live formula in the score column
    score_format: str | None = None


@dataclass(frozen=True)
class FormCells:
    """A form's part of an item in the template: the rows under the item, what the item's own
    entry cell takes (None: the item row has no input of its own), and the item's live
    subtotal formula (N/A is wrapped around it by the writer)."""

    score: Formula
    rows: tuple[SubRow, ...] = ()
    entry: Callable[[CellRefs], Validation] | None = None


class Unreadable:
    """The value of a cell that could not be read (a problem is already recorded)."""


UNREADABLE = Unreadable()


class CellReader(Protocol):
    """How a form reads its cells back from a returned workbook. ``row`` is a ``SubRow.id``,
    None for the item's row; every problem is placed on the cell the unit has to change."""

    def count(self, row: str) -> int | None: ...

    def value(self, row: str | None = None) -> Any: ...

    def fail(self, row: str | None, key: str, /, **params: Any) -> None: ...


@dataclass(frozen=True)
class Entered(Generic[V]):
    """What the unit entered, and the row of its first input (None: the item's row)."""

    value: V
    at: str | None = None


@dataclass(frozen=True)
class Blank:
    """Nothing entered: full marks, or (``missing``) a message key saying what is needed."""

    missing: str | None = None


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: object) -> str:
    """A cell value as the unit sees it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def normal(text: str) -> str:
    """Full-width digits, letters and punctuation as their plain forms; spaces trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def cell_number(value: object) -> Decimal:
    """A number from a cell: ints, floats without binary noise, numbers stored as text.

    Read with ``decimals.parse_decimal`` (``BadNumber`` when it is not one): 1e999999999 and
    1E-999999999 typed as text never become an overflow later nor a silent 0."""
    if isinstance(value, str):
        value = normal(value).replace(",", "")
    return parse_decimal(value)


def cell_decimal(value: object) -> Decimal | None:
    """``cell_number``, None when the cell holds no usable number."""
    try:
        return cell_number(value)
    except BadNumber:
        return None


def counted_text(entry: Counted, lang: str, sign: str) -> str:
    """ "扣2分", "每处扣0.5分，最多扣1.5分" (``sign``: "rule", "agg" or "bonus")."""
    points = plain(entry.points)
    if entry.per_occurrence:
        text = tl(lang, f"sa.{sign}.per", per=localized(entry, "per", lang), points=points)
    else:
        text = tl(lang, f"sa.{sign}.fixed", points=points)
    if entry.max is not None:
        text += tl(lang, f"sa.{sign}.max", max=plain(entry.max))
    return text


def counted_validation(entry: Counted, lang: str) -> Validation:
    """The entry cell of a counted row (a rule, an aggravated or bonus entry): a count of
    occurrences, or 0/1 for an entry taken once."""
    if entry.per_occurrence:
        return Validation(
            "whole",
            tl(lang, "sa.dv.count", max=MAX_COUNT),
            tl(lang, "sa.prompt.count"),
            high=str(MAX_COUNT),
        )
    return Validation("whole", tl(lang, "sa.dv.once"), tl(lang, "sa.prompt.once"), high="1")


def counted_amount(cell: str, entry: Counted) -> str:
    """The live formula of the points a counted row takes, from its entry ``cell``."""
    points = plain(entry.points)
    if entry.per_occurrence:
        amount = f"{cell}*{points}"
        if entry.max is not None:
            amount = f"MIN({amount},{plain(entry.max)})"
        return amount
    return f"MIN({cell}*1,1)*{points}"
