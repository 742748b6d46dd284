"""The one-line input grammar of the interactive scorer. Pure functions, no I/O.

An item line is an optional scoring part followed by optional commands::

    (Enter)            keep the current result, or full marks for an unscored item
    =                  full marks
    a c3, b, 2.5 …     the item's own scoring, in its form's grammar (core/forms): rule keys
                       with counts, a level's key or points, a direct score…
    /n reason          not applicable
    /nc reason         the whole category not applicable (where the category allows it)
    /p text  /r text   problem found, rectification requirement (also /e evidence,
                       /m note, /d YYYY-MM-DD deadline); several may follow a score:
                       ``b2 /p 门户网站存在2处弱口令``
    /k text            mark the item 待核实 (to verify) with a note; ``/k -`` clears it
    < > /g 2.3 /l /i /v /q ?   back, next, go to an item, list, full text, review, quit, help

Commands start with ``/``; a Chinese input method in Chinese punctuation mode types ``、``
for it, which is accepted too, as are ``《`` ``》`` ``？`` and full-width letters and digits.
Text after a command is kept exactly as typed (never normalised).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from inspector.core.forms import form_of
from inspector.core.forms.base import InputError as InputError
from inspector.core.forms.base import key_of as key_of
from inspector.core.forms.base import normalise
from inspector.core.indicators.model import Item

TEXT_FIELDS = {"problem", "rectify", "evidence", "note", "deadline"}
NAVIGATION = {"back", "skip", "goto", "list", "info", "review", "quit", "help"}
COMMANDS: dict[str, str] = {
    "n": "na",
    "na": "na",
    "nc": "na_category",
    "p": "problem",
    "problem": "problem",
    "r": "rectify",
    "rectify": "rectify",
    "e": "evidence",
    "evidence": "evidence",
    "m": "note",
    "note": "note",
    "d": "deadline",
    "deadline": "deadline",
    "b": "back",
    "back": "back",
    "s": "skip",
    "skip": "skip",
    "next": "skip",
    "g": "goto",
    "go": "goto",
    "l": "list",
    "list": "list",
    "i": "info",
    "info": "info",
    "v": "review",
    "review": "review",
    "q": "quit",
    "quit": "quit",
    "h": "help",
    "help": "help",
    "k": "mark",  # 待核实 (to verify): a note, whether or not the item is scored
    "mark": "mark",
    "take": "take",  # a merge conflict: take the other side's decision
    "mine": "mine",  # a merge conflict: keep this workspace's decision
}
_SLASHES = "/／、\\"
_FULL_WORDS = {"=", "full", "满分"}
_NA_WORDS = {"na", "n/a", "不适用"}
_SEPARATORS = re.compile(r"[\s,;+]*")
MAX_DIGITS = 6


@dataclass(frozen=True)
class Full:
    pass


@dataclass(frozen=True)
class Scored:
    """An answer in the item's form: the form's own value (rules with counts, a level…)."""

    value: Any


@dataclass(frozen=True)
class NotApplicable:
    reason: str  # may be empty: the scorer then asks for it


@dataclass(frozen=True)
class CategoryNotApplicable:
    """Every applicable item of the item's category not applicable, for one reason."""

    reason: str  # may be empty: the scorer then asks for it


Scoring = Full | Scored | NotApplicable | CategoryNotApplicable


@dataclass(frozen=True)
class Command:
    name: str
    arg: str = ""


@dataclass(frozen=True)
class Line:
    """One parsed item line: a scoring decision and/or text edits, or one navigation command."""

    scoring: Scoring | None = None
    texts: tuple[tuple[str, str], ...] = ()  # (field, raw text; "" means "ask")
    command: Command | None = None

    @property
    def empty(self) -> bool:
        return self.scoring is None and not self.texts and self.command is None


def split_commands(raw: str) -> tuple[str, list[tuple[str, str]]]:
    """The part before the first command, and each (command, raw argument) after it.

    A command is a slash (or 、, ／) at the start of the line or after a space, followed by a
    known command word, then a space or the end of the line.
    """
    starts: list[tuple[int, int, str]] = []  # (start, argument start, command)
    i = 0
    while i < len(raw):
        if raw[i] in _SLASHES and (i == 0 or raw[i - 1].isspace()):
            j = i + 1
            while j < len(raw) and not raw[j].isspace():
                j += 1
            word = normalise(raw[i + 1 : j])
            if word in COMMANDS:
                starts.append((i, j, COMMANDS[word]))
                i = j
                continue
            if word[:1] == "g" and word[1:2].isdigit():  # "/g2.3": the item code glued on
                starts.append((i, i + 2, "goto"))
                i = j
                continue
        i += 1
    head = raw[: starts[0][0]] if starts else raw
    commands = []
    for n, (_, arg_start, name) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(raw)
        commands.append((name, raw[arg_start:end].strip()))
    return head, commands


def parse_item_line(raw: str, item: Item) -> Line:
    """Parse what was typed on an item's card. Raises InputError with the reason."""
    head, commands = split_commands(raw)
    text = normalise(head)
    navigation = _shortcut(text)
    if navigation is not None:
        if commands:
            raise InputError("scorer.input.alone")
        return Line(command=navigation)
    if text in _NA_WORDS and not form_of(item).shadows(item, text):
        scoring: Scoring | None = NotApplicable("")
    else:
        scoring = parse_scoring(text, item) if text else None
    texts: list[tuple[str, str]] = []
    command: Command | None = None
    for name, arg in commands:
        if name in NAVIGATION:
            if scoring is not None or texts or len(commands) > 1:
                raise InputError("scorer.input.alone")
            command = Command(name, arg)
        elif name == "na":
            if scoring is not None:
                raise InputError("scorer.input.two_scores")
            scoring = NotApplicable(arg)
        elif name == "na_category":
            if scoring is not None or texts or len(commands) > 1:
                raise InputError("scorer.input.alone")
            scoring = CategoryNotApplicable(arg)
        else:
            texts.append((name, arg))
    return Line(scoring, tuple(texts), command)


def _shortcut(text: str) -> Command | None:
    if text in {"?", "？"}:
        return Command("help")
    if text == "<":
        return Command("back")
    if text == ">":
        return Command("skip")
    if text.startswith((">", "@")) and len(text) > 1:
        return Command("goto", text[1:].strip())
    return None


def parse_scoring(text: str, item: Item) -> Scoring:
    """A normalised, non-empty scoring part for ``item``: full marks, or the item's form's."""
    if text in _FULL_WORDS:
        return Full()
    return Scored(form_of(item).parse(text, item))


# --- the review screen -------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A veto, aggravated or bonus entry as typed on the review screen: ``V2``, ``A1×2``,
    ``-A1`` (remove); ``加分:1`` when the same code names entries of two kinds."""

    kind: str  # "veto" | "aggravated" | "bonus"
    code: str
    count: int  # 0 removes


_REVIEW_ENTRY = re.compile(
    r"(-?)(?:([^\s,;:*]+):)?([^\s,;*]+?)(?:\s*\*\s*(\d+)|x(\d+)|\s+(\d+))?(?=[\s,;]|$)"
)
KIND_PREFIXES = {
    "v": "veto",
    "veto": "veto",
    "否决": "veto",
    "a": "aggravated",
    "agg": "aggravated",
    "aggravated": "aggravated",
    "加重": "aggravated",
    "b": "bonus",
    "bonus": "bonus",
    "加分": "bonus",
}
CONFIRM_WORDS = {"y", "yes", "ok", "确认", "是"}


# punctuation an input method types, made plain; letters and digits are left as typed, since
# a code counts only as the set writes it
_ENTRY_PUNCTUATION = str.maketrans(
    {"×": "*", "＊": "*", "：": ":", "，": ",", "；": ";", "　": " "}
)


def entry_text(raw: str) -> str:
    """What was typed on the review page, punctuation made plain, letters kept as typed."""
    return raw.translate(_ENTRY_PUNCTUATION).strip()


def parse_entries(text: str, catalogue: list[tuple[str, str]]) -> list[Entry]:
    """Entries typed on the review screen (``entry_text``); ``catalogue`` holds (kind, code).

    A code counts only as the set writes it (``V2``, ``A1×2``): ``v2`` or a full-width
    ``Ｖ２`` is read as a typo, and the codes it is close to are suggested, never registered."""
    known = "、".join(dict.fromkeys(code for _, code in catalogue))
    found: list[Entry] = []
    pos = 0
    while True:
        pos = _SEPARATORS.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            break
        match = _REVIEW_ENTRY.match(text, pos)
        if match is None:
            raise InputError("scorer.review.bad_input", text=text[pos:].split()[0])
        minus, prefix, code, *counts = match.groups()
        digits = next((c for c in counts if c is not None), None)
        typed = code
        kinds = [k for k, c in catalogue if c == code]
        glued = re.fullmatch(r"(.+?)[xX](\d+)", code)  # "A1x2": the count glued on with x
        if not kinds and glued:
            kinds = [k for k, c in catalogue if c == glued.group(1)]
            if kinds:
                code, digits = glued.group(1), glued.group(2)
        if prefix is not None:
            wanted = KIND_PREFIXES.get(normalise(prefix))
            if wanted is None:
                raise InputError("scorer.review.bad_input", text=match.group(0).strip())
            kinds = [k for k in kinds if k == wanted]
        if not kinds:
            bare = {normalise(typed), normalise(glued.group(1)) if glued else ""}
            close = [c for _, c in catalogue if normalise(c) in bare]
            if close:
                raise InputError(
                    "trust.review.as_written", code=typed, codes="、".join(dict.fromkeys(close))
                )
            raise InputError("scorer.review.unknown_code", code=typed, known=known)
        if len(kinds) > 1:
            raise InputError("scorer.review.ambiguous", code=code)
        if digits is not None and len(digits) > MAX_DIGITS:
            raise InputError("scorer.input.big_count", key=code)
        real = next(c for k, c in catalogue if k == kinds[0] and c == code)
        count = 0 if minus else int(digits) if digits is not None else 1
        found.append(Entry(kinds[0], real, count))
        pos = match.end()
    return found
