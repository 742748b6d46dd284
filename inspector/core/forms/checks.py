"""Check-only items (不计分检查项): ``points: 0``; the assessor records which problems were
found, and they go to the problem list with their rectification, but never change a score.

The YAML block is a list of checks (``id``, ``text``, optional ``rectify``)::

    points: 0
    checks:
      - id: c1
        text: 报送的网络安全基本情况与核查结果不一致
        rectify: 10日内报送更正后的基本情况表

An answer is the checks found, ``(id, …)``, written ``found: [c1, c2]`` (a mapping of 0 and 1,
``found: {c1: 1, c2: 0}``, is read too: 0 means "not found"). Full marks means nothing found.
On the card each check gets a key, a, b, c…; in the template each check has a row where the
unit enters 1 when the problem exists. The item adds nothing to the unit's applicable points
(实有项目) or to its score.
"""

from __future__ import annotations

import re
from decimal import Decimal
from random import Random
from typing import Any

from inspector.core.forms.base import (
    KEYS,
    AnswerReader,
    CardEntry,
    Form,
    InputError,
    Path,
    Reason,
    RuleHit,
    join,
    key_of,
    key_range,
    loc,
    scalar,
)
from inspector.core.forms.cells import (
    Blank,
    CellReader,
    Entered,
    FormCells,
    SubRow,
    Validation,
)
from inspector.core.indicators.model import Code, Item, Strict, Text
from inspector.core.indicators.rawtree import duplicates, entries
from inspector.errors import Problem
from inspector.i18n import tl
from inspector.io.yamlsafe import Located

Value = tuple[str, ...]  # the checks found, in the set's order once canonical

ZERO = Decimal(0)
_KEYS = re.compile(r"[a-z]")
_SEPARATORS = re.compile(r"[\s,;+]*")


class CheckEn(Strict):
    text: Text | None = None
    rectify: Text | None = None


class Check(Strict):
    """One thing looked at: its problem text, and what to do about it."""

    id: Code
    text: Text
    rectify: Text | None = None
    en: CheckEn | None = None


class ChecksForm(Form[Value]):
    key = "checks"
    answer_key = "found"
    spec = list[Check]
    scored = False

    def checks(self, item: Item) -> list[Check]:
        return list(self.block(item) or ())

    def check_of(self, item: Item, check_id: str) -> Check | None:
        return next((c for c in self.block(item) or () if c.id == check_id), None)

    # --- the set -----------------------------------------------------------------------------

    def check_set(
        self, located: Located, path: Path, item: dict[str, Any], points: Decimal | None
    ) -> list[Problem]:
        p: list[Problem] = []
        p += duplicates(located, list(entries(item, self.key, path)), "id", "check")
        if isinstance(item.get(self.key), list) and not item[self.key]:
            p.append(located.problem((*path, self.key), "value.too_few", min_length="1"))
        return p

    def summary(self, item: Item, lang: str) -> str:
        return tl(lang, "format.checks.summary", count=len(self.checks(item)))

    def standard(self, item: Item, lang: str) -> list[str]:
        return [
            tl(lang, "format.checks.standard", text=loc(check, "text", lang))
            for check in self.checks(item)
        ]

    # --- answers -----------------------------------------------------------------------------

    def read(self, raw: Any, at: AnswerReader) -> Value | None:
        found: list[str] = []
        if isinstance(raw, list):
            for i, check in enumerate(raw):
                if isinstance(check, str):
                    found.append(check.strip())
                else:
                    at.fail((i,), "value.text")
            return tuple(found)
        if isinstance(raw, dict):
            for check, n in raw.items():
                if isinstance(n, str) and n.strip() in ("0", "1"):
                    if n.strip() == "1":
                        found.append(check)
                else:
                    at.fail((check,), "format.answer.found_flag")
                    return None
            return tuple(found)
        at.fail((), "format.answer.found_shape")
        return None

    def empty(self, value: Value) -> bool:
        """``found: []`` or every check written with 0: nothing found, full marks."""
        return not value

    def write(self, value: Value) -> str:
        return "[" + ", ".join(scalar(check) for check in value) + "]"

    def canonical(self, item: Item, value: Value) -> Value:
        position = {check.id: i for i, check in enumerate(self.checks(item))}
        unique = dict.fromkeys(value)
        return tuple(sorted(unique, key=lambda c: (position.get(c, len(position)), c)))

    def check(self, item: Item, value: Value) -> list[Reason]:
        if not value:
            return [("format.answer.no_checks", {"item": item.code})]
        known = join([c.id for c in self.checks(item)])
        return [
            ("format.answer.unknown_check", {"check": c, "item": item.code, "known": known})
            for c in value
            if self.check_of(item, c) is None
        ]

    def dump(self, value: Value) -> Any:
        return list(value)

    def load(self, data: Any) -> Value:
        return tuple(str(c) for c in data)

    def fields(self, value: Value) -> dict[str, Any]:
        return {"found": list(value)}

    def details(self, value: Value | None) -> dict[str, Any]:
        return {"found": list(value) if value is not None else None}

    # --- scoring -----------------------------------------------------------------------------

    def score(self, item: Item, value: Value) -> tuple[Decimal, tuple[RuleHit, ...]]:
        return ZERO, tuple(RuleHit(c, 1, ZERO) for c in value if self.check_of(item, c))

    def default_problem(
        self, item: Item, value: Value, hits: tuple[RuleHit, ...], lang: str
    ) -> str | None:
        """The texts of the checks found: a problem at full marks (0 of 0)."""
        texts = [loc(c, "text", lang) for h in hits if (c := self.check_of(item, h.rule))]
        return tl(lang, "problem.separator").join(texts) or None

    def default_rectify(
        self, item: Item, value: Value, hits: tuple[RuleHit, ...], lang: str
    ) -> str | None:
        texts = [
            loc(c, "rectify", lang)
            for h in hits
            if (c := self.check_of(item, h.rule)) is not None and c.rectify
        ]
        return tl(lang, "problem.separator").join(texts) or None

    def explain(
        self, item: Item, value: Value, score: Decimal, hits: tuple[RuleHit, ...], lang: str
    ) -> str:
        found = self.default_problem(item, value, hits, lang)
        return tl(lang, "format.checks.explain", found=found or "—")

    def causes(self, item: Item, value: Value, hits: tuple[RuleHit, ...], lang: str) -> list[str]:
        return [loc(c, "text", lang) for h in hits if (c := self.check_of(item, h.rule))]

    # --- the interactive scorer --------------------------------------------------------------

    def parse(self, text: str, item: Item) -> Value:
        """``a c`` → the checks of keys a and c."""
        checks = self.checks(item)
        keys = {key_of(i): c.id for i, c in enumerate(checks)}
        known = key_range(len(checks))
        found: list[str] = []
        pos = 0
        while True:
            pos = _SEPARATORS.match(text, pos).end()  # type: ignore[union-attr]
            if pos >= len(text):
                break
            match = _KEYS.match(text, pos)
            if match is None:
                bad = re.split(r"[\s,;]", text[pos:])[0]
                raise InputError("format.input.bad_checks", text=bad, keys=known)
            if match.group(0) not in keys:
                raise InputError("scorer.input.unknown_key", key=match.group(0), keys=known)
            found.append(keys[match.group(0)])
            pos = match.end()
        if not found:
            raise InputError("format.input.bad_checks", text=text, keys=known)
        return tuple(found)

    def shadows(self, item: Item, text: str) -> bool:
        return len(self.checks(item)) > KEYS.index("n")

    def card_label(self, lang: str) -> str:
        return tl(lang, "format.card.checks")

    def card(self, item: Item, lang: str) -> tuple[CardEntry, ...]:
        note = tl(lang, "format.card.check_note")
        return tuple(
            CardEntry(loc(check, "text", lang), key=key_of(i), points=note, short=note)
            for i, check in enumerate(self.checks(item))
        )

    def hint(self, item: Item, lang: str) -> str:
        return tl(lang, "format.hint.checks")

    def help(self, lang: str) -> str:
        return tl(lang, "format.help.checks")

    def card_keys(self, item: Item) -> dict[str, str]:
        return {c.id: key_of(i) for i, c in enumerate(self.checks(item))}

    def describe(self, item: Item, value: Value, lang: str) -> str:
        keys = self.card_keys(item)
        return tl(lang, "format.card.found", keys=" ".join(keys.get(c, c) for c in value))

    # --- the self-assessment template --------------------------------------------------------

    def guide(self, lang: str, sheet: str) -> str:
        return tl(lang, "format.guide.checks", sheet=sheet)

    def cells(self, item: Item, lang: str) -> FormCells:
        validation = Validation(
            "whole", tl(lang, "sa.dv.once"), tl(lang, "format.sa.prompt.check"), high="1"
        )
        rows = tuple(
            SubRow(
                "check",
                check.id,
                code=check.id,
                name=loc(check, "text", lang),
                points=tl(lang, "format.sa.check_points"),
                input=validation,
            )
            for check in self.checks(item)
        )
        return FormCells(lambda refs: "0", rows)

    def read_cells(self, item: Item, sheet: CellReader) -> Entered[Value] | Blank | None:
        found: list[str] = []
        failed = False
        for check in self.checks(item):
            count = sheet.count(check.id)
            if count is None:
                failed = True
            elif count > 1:
                sheet.fail(check.id, "answer.count_once", rule=check.id, count=count)
                failed = True
            elif count == 1:
                found.append(check.id)
        if failed:
            return None
        if not found:
            return Blank()
        return Entered(tuple(found), at=found[0])

    def reason_row(self, item: Item, key: str, params: dict[str, Any]) -> str | None:
        check = params.get("check")
        return check if isinstance(check, str) and self.check_of(item, check) else None

    def missing_row(self, item: Item, row: SubRow) -> Reason:
        return ("format.sa.missing_check", {"item": item.code, "check": row.id})

    # --- the demo ----------------------------------------------------------------------------

    def sample(self, rng: Random, item: Item, exclusive: frozenset[str]) -> Value:
        return (rng.choice(self.checks(item)).id,)
