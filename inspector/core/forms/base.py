"""What a scoring form is: the one interface every form module implements, and the small
values it speaks in (hits, reasons, card lines; its template cells are in ``cells.py``).

A form is the way an item is scored: deduction rules, levels, a direct score, … Each lives in
one module of this package and knows everything about itself: its YAML block and checks, how
an answers file writes it, its terminal grammar and card lines, how an answer is checked and
scored, its default problem text, its cells in the self-assessment template and how they are
read back, and how reports put it in words. Everything else (the engine, answers files, the
scorer, templates, the reader, reports, the store) asks the item's form and never branches on
it. Full marks and N/A are answers every form accepts; they are handled once, outside the
forms (core/forms/common.py, core/answers.py).

A form describes its template cells abstractly (``cells.py``); the template writer renders
them. A form's answer carries a ``value`` of the form's own making (a tuple of (rule, count)
pairs, a level name, a decimal…). It must be immutable and compare by value: the store keeps
it as the JSON ``dump`` gives and ``load`` reads back, and an unchanged value is not
rewritten.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from random import Random
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from inspector.core.indicators.model import localized
from inspector.decimals import BadNumber, parse_decimal
from inspector.text_rules import json_text

if TYPE_CHECKING:
    from inspector.core.forms.cells import Blank, CellReader, Entered, FormCells, SubRow
    from inspector.core.indicators.model import Item
    from inspector.errors import Problem
    from inspector.io.yamlsafe import Located

V = TypeVar("V")

MAX_COUNT = 10_000  # occurrences of one rule or entry
MAX_TEXT = 4000  # characters of one text

# (message key, params) of one reason an answer is refused
Reason = tuple[str, dict[str, Any]]
Path = tuple[str | int, ...]


class InputError(Exception):
    """A line typed on the scorer's card that cannot be understood: a message key and its
    parameters (nothing is recorded)."""

    def __init__(self, message_key: str, /, **params: Any) -> None:
        super().__init__(message_key)
        self.key = message_key
        self.params = params


@dataclass(frozen=True)
class RuleHit:
    """One part of an answer that took points: a rule (or check…) of the item, how many times,
    and the points it took (after its own cap)."""

    rule: str
    count: int
    points: Decimal


# --- typing keys ---------------------------------------------------------------------------

KEYS = "abcdefghijklmnopqrstuvwxyz"


def key_of(index: int) -> str:
    """The key typed for the ``index``-th entry of an item: a, b, c…"""
    return KEYS[index] if index < len(KEYS) else str(index + 1)


def key_range(count: int) -> str:
    """ "a–d" for four keys, "a" for one."""
    if count <= 1:
        return key_of(0)
    return f"{key_of(0)}–{key_of(count - 1)}"


NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
# full-width punctuation that NFKC leaves alone but an input method produces
_EXTRA = str.maketrans({"。": ".", "《": "<", "》": ">", "×": "*", "＊": "*", "，": ","})


def normalise(text: str) -> str:
    """What was typed, compared loosely: full-width letters, digits and punctuation as ASCII,
    lower case, trimmed."""
    return unicodedata.normalize("NFKC", text).translate(_EXTRA).strip().lower()


def parse_number(text: str) -> Decimal | None:
    """A plain non-negative decimal as typed ("2.5", ".5"), else None."""
    text = text.strip()
    if not NUMBER.fullmatch(text) or len(text) > 12:
        return None
    try:
        return parse_decimal(text)
    except BadNumber:  # more places than any score has
        return None


def json_number(value: Decimal) -> int | float:
    """A decimal as a JSON number: integral values as integers, others as the nearest float."""
    return int(value) if value == value.to_integral_value() else float(value)


def loc(obj: object, field: str, lang: str) -> str:
    """A named thing's text in ``lang`` (its ``en`` block), else the Chinese original."""
    return str(localized(obj, field, lang))


def join(values: list[str]) -> str:
    """Known codes or names for a message: "r1、r2", or "—" when there are none."""
    return "、".join(values) or "—"


# --- answers files -------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z\u3400-\u9fff][\w\u3400-\u9fff\-]*$")
_SPECIAL_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "full"}


def scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value`` in any YAML parser.

    Quoted as JSON (a YAML double-quoted scalar) through ``text_rules.json_text``: C1,
    bidirectional and invisible characters and the line separators U+2028, U+2029 and NEL
    (which YAML would read raw as line breaks) are written as ``\\uXXXX`` escapes, so the
    file neither reorders in an editor nor reads back differently."""
    if _PLAIN.match(value) and value.lower() not in _SPECIAL_WORDS:
        return value
    return json_text(value, indent=None)


class AnswerReader(Protocol):
    """How a form reads its value in an answers file: paths are relative to the value (``()``
    is the value itself), problems are collected with their line and column."""

    def fail(self, path: Path, key: str, /, **params: Any) -> None: ...

    def fail_key(self, path: Path, key: str, /, **params: Any) -> None: ...

    def text(self, path: Path, value: Any) -> str | None: ...

    def count(self, path: Path, value: Any) -> int | None: ...


# --- the scorer's card ---------------------------------------------------------------------


@dataclass(frozen=True)
class CardEntry:
    """One line of an item's scoring section on the card.

    With a ``key`` it reads ``key [tag] points text note`` (``a r1 -1.5 未明确…``): the keys
    typed to choose it. Without one it is a single text beside the section's label.
    """

    text: str
    key: str | None = None
    points: str = ""
    short: str | None = None  # ``points`` in fewer cells, used when ``points`` is too wide
    tag: str | None = None  # the entry's id, shown when the item's notes refer to it
    note: str = ""  # shown dim after the text


# --- the interface -------------------------------------------------------------------------


class Form(ABC, Generic[V]):
    """One scoring form. Subclass it in a module of its own and register an instance
    (core/forms/registry.py); its messages go in a catalog pair (i18n/{zh,en}_forms.py)."""

    key: ClassVar[str]  # the item's YAML key holding the form's block: "deductions"
    answer_key: ClassVar[str]  # its key in answers files, and the stored form: "deduct"
    spec: ClassVar[Any]  # the pydantic type of the YAML block: list[Rule]
    # whether its items carry points; a check-only form's items have ``points: 0`` and only
    # record problems
    scored: ClassVar[bool] = True

    # --- the indicator set -------------------------------------------------------------------

    def block(self, item: Item) -> Any:
        """The item's validated block of this form."""
        return getattr(item, self.key)

    def check_set(
        self, located: Located, path: Path, item: dict[str, Any], points: Decimal | None
    ) -> list[Problem]:
        """Checks across the fields of the raw block (``item[self.key]``), located; the
        model has already checked each field on its own."""
        return []

    def set_json(self, item: Item) -> dict[str, Any]:
        """Keys added to the item in ``indicators show --json`` (besides the block itself)."""
        return {}

    @abstractmethod
    def summary(self, item: Item, lang: str) -> str:
        """How the item is scored, in a few words (``indicators show``)."""

    @abstractmethod
    def standard(self, item: Item, lang: str) -> list[str]:
        """The scoring standard, one line per rule or level (the reports' indicator sheet)."""

    # --- answers -----------------------------------------------------------------------------

    @abstractmethod
    def read(self, raw: Any, at: AnswerReader) -> V | None:
        """The value written in an answers file under ``answer_key``; None after a problem."""

    @abstractmethod
    def write(self, value: V) -> str:
        """The value as YAML flow text, read back by ``read`` as the same value."""

    def canonical(self, item: Item, value: V) -> V:
        """The one stored form of a value: equal decisions compare equal."""
        return value

    def empty(self, value: V) -> bool:
        """Whether a value read from an answers file records nothing found (``{r2: 0}``, as
        workbooks take 0 for "none"): the answer is then full marks."""
        return False

    @abstractmethod
    def check(self, item: Item, value: V) -> list[Reason]:
        """Why ``value`` cannot be recorded for ``item`` (empty when it can)."""

    @abstractmethod
    def dump(self, value: V) -> Any:
        """The value as JSON for the store."""

    @abstractmethod
    def load(self, data: Any) -> V:
        """The value from what ``dump`` gave."""

    @abstractmethod
    def fields(self, value: V) -> dict[str, Any]:
        """The value as JSON-ready fields for the audit log: ``{"level": "仅培训"}``."""

    def details(self, value: V | None) -> dict[str, Any]:
        """The keys this form adds to every item of ``show --json`` (None: another form's or
        no answer)."""
        return {}

    def from_fields(self, fields: dict[str, Any]) -> V | None:
        """The value back from what ``fields`` gave (an audit entry), None when it cannot be
        read. ``fields`` gives one key; a mapping there (rule: count) reads as the pairs
        ``load`` takes, anything else as it is. A form whose fields differ overrides this."""
        if len(fields) != 1:
            return None
        (data,) = fields.values()
        try:
            return self.load(list(data.items()) if isinstance(data, dict) else data)
        except (TypeError, ValueError, ArithmeticError):
            return None

    # --- scoring -----------------------------------------------------------------------------

    @abstractmethod
    def score(self, item: Item, value: V) -> tuple[Decimal, tuple[RuleHit, ...]]:
        """The item's score, within [0, item.points], and what took the points."""

    def default_problem(
        self, item: Item, value: V, hits: tuple[RuleHit, ...], lang: str
    ) -> str | None:
        """The problem text when the assessor wrote none; None when the answer found none
        (full marks in this form)."""
        return None

    def default_rectify(
        self, item: Item, value: V, hits: tuple[RuleHit, ...], lang: str
    ) -> str | None:
        """The rectification asked for when the assessor wrote none (None: the reports'
        general wording)."""
        return None

    @abstractmethod
    def explain(
        self, item: Item, value: V, score: Decimal, hits: tuple[RuleHit, ...], lang: str
    ) -> str:
        """How the score came about, in words, for reports ("弱口令（3处）扣1.5分")."""

    @abstractmethod
    def causes(self, item: Item, value: V, hits: tuple[RuleHit, ...], lang: str) -> list[str]:
        """Why points were lost, as texts counted across units (reports' common problems)."""

    # --- the interactive scorer --------------------------------------------------------------

    @abstractmethod
    def parse(self, text: str, item: Item) -> V:
        """A typed scoring part (normalised: NFKC, lower case, trimmed, not a full-marks word)
        as a value; raises InputError saying what was expected."""

    def shadows(self, item: Item, text: str) -> bool:
        """Whether a word the scorer shares across forms ("na") is one of this item's inputs."""
        return False

    @abstractmethod
    def card_label(self, lang: str) -> str:
        """The label of the card's scoring section ("扣分", "档次")."""

    @abstractmethod
    def card(self, item: Item, lang: str) -> tuple[CardEntry, ...]:
        """The card's scoring section: what to type, and what each choice is worth."""

    def card_details(self, item: Item, lang: str) -> str | None:
        """An extra line for the full-text screen (``/i``)."""
        return None

    @abstractmethod
    def hint(self, item: Item, lang: str) -> str:
        """The input hint at the bottom of the card ("a b2 扣分")."""

    @abstractmethod
    def help(self, lang: str) -> str:
        """Its line on the scorer's help screen: ``"typed|meaning"``."""

    def describe(self, item: Item, value: V, lang: str) -> str:
        """Said after the score on the card ("，扣 a c×2")."""
        return ""

    def card_keys(self, item: Item) -> dict[str, str]:
        """The key the card shows for each id a message may name (rule ``r1`` is ``a``): the
        scorer speaks in keys, answers files keep the ids."""
        return {}

    # --- the self-assessment template --------------------------------------------------------

    @abstractmethod
    def guide(self, lang: str, sheet: str) -> str:
        """One step of the template's instructions: how a unit fills in items of this form."""

    @abstractmethod
    def cells(self, item: Item, lang: str) -> FormCells:
        """The item's rows, input cells and live formulas in the template."""

    @abstractmethod
    def read_cells(self, item: Item, sheet: CellReader) -> Entered[V] | Blank | None:
        """What a unit entered in the cells of ``cells``; None after a located problem."""

    def reason_row(self, item: Item, key: str, params: dict[str, Any]) -> str | None:
        """The row whose entry cell a reason of ``check`` is about (None: the item's row)."""
        return None

    def missing_row(self, item: Item, row: SubRow) -> Reason:
        """The message when a returned workbook lacks one of the form's input rows."""
        return ("forms.missing_row", {"item": item.code, "row": row.code or row.name or row.id})

    # --- the demo ----------------------------------------------------------------------------

    @abstractmethod
    def sample(self, rng: Random, item: Item, exclusive: frozenset[str]) -> V:
        """A plausible answer that loses some points (``inspector demo``); ``exclusive``
        names entries of the item that are never chosen together."""
