"""Answers files: record an assessment without interaction, and write one back out.

The same checks (``check_answer``) guard the interactive scorer, answers files and workbook
imports, so all three accept and refuse exactly the same decisions.

Format (docs/answers-format.md)::

    unit: 市财政局
    inspector: 王磊
    items:
      "1.1": full
      "1.2": {deduct: {r2: 1}, problem: 仅研究1次, rectify: 每年至少专题研究2次}
      "3.4": {deduct: {r1: 3}}
      "4.4": {level: 仅培训}
      "2.2": {score: 2.5}
      "3.3": {na: 未认定关键信息基础设施}
      "3.5": {deduct: {r4: 0.5}}     # a ranged rule: the amount chosen
    categories: {"6": {na: 本单位未运营关键信息基础设施}}  # a whole category N/A
    veto: [V2]
    aggravated: {A1: 1}
    bonus: {B1: 2}
    review: {"4.2": 核实通报反馈记录}  # marked 待核实 with a note ("-" clears a mark)
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspector.core.assessment import (
    ADJUSTMENT_KINDS,
    TEXT_FIELDS,
    AdjustmentKind,
    ItemAnswer,
    Unit,
)
from inspector.core.forms import FULL, NA, canonical, form_named, form_of, registered
from inspector.core.forms.base import MAX_COUNT as MAX_COUNT
from inspector.core.forms.base import MAX_TEXT as MAX_TEXT
from inspector.core.forms.base import Path, join, scalar
from inspector.core.forms.base import Reason as Reason
from inspector.core.indicators.model import Adjustment, IndicatorSet, Item
from inspector.errors import Problem, ProblemsError, Term
from inspector.io.yamlsafe import Located, load_text
from inspector.text_rules import name_problem, printable

TOP_KEYS = (
    "unit",
    "inspector",
    "round",
    "categories",
    "items",
    "veto",
    "aggravated",
    "bonus",
    "review",
)
TEXT_KEYS = TEXT_FIELDS
FULL_WORDS = ("full", "满分")


def form_keys() -> tuple[str, ...]:
    """The keys that say how an item was scored: each registered form's, then N/A."""
    return (*(form.answer_key for form in registered()), NA)


@dataclass(frozen=True)
class ParsedAnswers:
    unit: str
    inspector: str | None
    items: dict[str, ItemAnswer | None] = field(default_factory=dict)
    adjustments: dict[AdjustmentKind, dict[str, int]] = field(default_factory=dict)
    review: dict[str, str | None] = field(default_factory=dict)  # 待核实 notes; None clears


def check_answer(item: Item, answer: ItemAnswer, applies: bool) -> list[Reason]:
    """Why ``answer`` cannot be recorded for ``item`` (empty when it can). The one check behind
    answers files, the interactive scorer and workbook imports: N/A and the texts here, the
    rest by the item's form."""
    if not applies:
        return [] if answer.form == NA else [("answer.not_applicable", {"item": item.code})]
    reasons: list[Reason] = []
    if answer.form == NA:
        if not item.na_allowed:
            reasons.append(("answer.na_not_allowed", {"item": item.code}))
        elif not (answer.na_reason or "").strip():
            reasons.append(("answer.na_reason", {"item": item.code}))
    elif answer.form != FULL:
        form = form_of(item)
        if answer.form != form.answer_key:
            reasons.append(("answer.wrong_form", {"item": item.code, "form": form.key}))
        else:
            reasons += form.check(item, answer.value)
    for name, value in answer.texts().items():
        if len(value) > MAX_TEXT:
            reasons.append(("answer.text_too_long", {"field": name, "max": MAX_TEXT}))
    if answer.deadline is not None and not _is_date(answer.deadline):
        reasons.append(("answer.bad_date", {"value": answer.deadline}))
    return reasons


# texts that say what is wrong: refused on a full-marks item (evidence and notes may stay)
FINDING_FIELDS = ("problem", "rectify", "deadline")


def check_decision(
    item: Item,
    answer: ItemAnswer,
    today: date | None = None,
    before: ItemAnswer | None = None,
) -> list[Reason]:
    """What an inspector's decision must say besides being valid (``check_answer``): the rule
    behind the interactive scorer and answers files alike.

    * a problem, rectification or deadline on a full-marks item is refused;
    * a score below full needs a problem: rules and levels give their own text by default,
      a direct score has none, so it needs a typed one;
    * a deadline before ``today`` (the round's) is refused, unless it is the one already
      stored (``before``): replaying a file changes nothing.
    """
    reasons: list[Reason] = []
    if answer.form == NA:
        return reasons
    full = answer.form == FULL
    below = False
    if not full:
        form = form_of(item)
        if answer.form != form.answer_key or form.check(item, answer.value):
            return reasons  # check_answer says why
        score, hits = form.score(item, answer.value)
        full = form.scored and score >= item.points
        below = form.scored and score < item.points
        if (
            below
            and not answer.problem
            and not form.default_problem(item, answer.value, hits, "zh")
        ):
            reasons.append(("trust.problem_needed", {"item": item.code}))
    if full:
        for name in FINDING_FIELDS:
            if getattr(answer, name):
                field_ = Term(f"trust.{name}")
                reasons.append(("trust.full_with_text", {"item": item.code, "field": field_}))
    deadline = answer.deadline
    if (
        today is not None
        and deadline is not None
        and _is_date(deadline)
        and date.fromisoformat(deadline) < today
        and not (before is not None and before.deadline == deadline)
    ):
        reasons.append(("trust.deadline_past", {"value": deadline, "today": today.isoformat()}))
    return reasons


def check_adjustment(entries: list[Adjustment], code: str, count: int) -> Reason | None:
    entry = next((e for e in entries if e.code == code), None)
    if entry is None:
        return ("answer.unknown_code", {"code": code, "known": join([e.code for e in entries])})
    if count < 1 or count > MAX_COUNT:
        return ("answer.bad_count", {"rule": code, "max": MAX_COUNT})
    if count > 1 and not entry.per_occurrence:
        return ("answer.count_once", {"rule": code, "count": count})
    return None


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


class _At:
    """A form's view of the reader: paths relative to its value (``()`` is the value)."""

    def __init__(self, reader: _Reader, base: Path) -> None:
        self.reader = reader
        self.base = base

    def fail(self, path: Path, key: str, /, **params: Any) -> None:
        self.reader.fail((*self.base, *path), key, **params)

    def fail_key(self, path: Path, key: str, /, **params: Any) -> None:
        self.reader.fail_key((*self.base, *path), key, **params)

    def text(self, path: Path, value: Any) -> str | None:
        return self.reader.text((*self.base, *path), value)

    def count(self, path: Path, value: Any) -> int | None:
        return self.reader.count((*self.base, *path), value)


class _Reader:
    """Reads the located tree into answers, collecting located problems."""

    def __init__(self, located: Located, indicators: IndicatorSet, unit: Unit) -> None:
        self.located = located
        self.indicators = indicators
        self.unit = unit
        self.problems: list[Problem] = []

    def fail(self, path: Path, key: str, /, **params: Any) -> None:
        self.problems.append(self.located.problem(path, key, **params))

    def fail_key(self, path: Path, key: str, /, **params: Any) -> None:
        self.problems.append(Problem(key, params, self.located.key_at(path)))

    def text(self, path: Path, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(path, "value.text")
            return None
        return value.strip() or None

    def person(self, path: Path, value: Any) -> str | None:
        """A scorer's name, by the one name rule, refused at its line and column."""
        text = self.text(path, value)
        if text is None:
            return None
        name, problem = name_problem(text, "person", self.located.at(path))
        if problem is not None:
            self.problems.append(problem)
            return None
        return name

    def count(self, path: Path, value: Any) -> int | None:
        if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
            return int(value)
        self.fail(path, "answer.count_integer")
        return None

    def unknown_keys(self, path: Path, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.fail_key(
                    (*path, key), "value.unknown_key", key=key, allowed="、".join(allowed)
                )

    def item(self, code: str, value: Any) -> ItemAnswer | None:
        path: Path = ("items", code)
        if value is None:
            self.fail(path, "answer.empty")
            return None
        if isinstance(value, str):
            if value.strip() in FULL_WORDS:
                return ItemAnswer(FULL)
            forms = " / ".join(f"{{{form.answer_key}: …}}" for form in registered())
            self.fail(path, "answer.bad_word", value=value, forms=forms)
            return None
        if not isinstance(value, dict):
            self.fail(path, "value.mapping")
            return None
        keys = form_keys()
        self.unknown_keys(path, value, (*keys, *TEXT_KEYS))
        forms = [k for k in keys if k in value]
        if len(forms) > 1:
            self.fail(path, "answer.many_forms", forms=" / ".join(forms))
            return None
        texts = {k: self.text((*path, k), value.get(k)) for k in TEXT_KEYS}
        if not forms:
            return ItemAnswer(FULL, **texts)
        key = forms[0]
        if key == NA:
            reason = self.text((*path, NA), value[NA])
            return ItemAnswer(NA, na_reason=reason, **texts)
        form = form_named(key)
        assert form is not None
        read = form.read(value[key], _At(self, (*path, key)))
        if read is not None and form.empty(read):  # {r2: 0}: nothing found, as workbooks read 0
            return ItemAnswer(FULL, **texts)
        return ItemAnswer(key, read, **texts) if read is not None else None

    def categories(self, raw: Any) -> dict[str, str]:
        """``categories: {"3": {na: 理由}}``: each category N/A as a whole, with its reason."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.fail(("categories",), "value.mapping")
            return {}
        found: dict[str, str] = {}
        codes = [c.code for c in self.indicators.categories]
        for code, value in raw.items():
            path: Path = ("categories", code)
            category = next((c for c in self.indicators.categories if c.code == code), None)
            if category is None:
                self.fail_key(path, "answer.unknown_category", code=code, known=join(codes))
                continue
            if not isinstance(value, dict):
                self.fail(path, "answer.category_shape")
                continue
            self.unknown_keys(path, value, (NA,))
            reason = self.text((*path, NA), value.get(NA))
            if not category.na_allowed:
                self.fail_key(path, "answer.category_na_not_allowed", code=code)
            elif reason is None:
                self.fail(path, "answer.category_na_reason", code=code)
            else:
                found[code] = reason
        return found

    def adjustments(self, kind: AdjustmentKind, raw: Any) -> dict[str, int] | None:
        indicators = self.indicators
        entries: list[Any]
        if kind == "veto":
            entries = list(indicators.veto)
        elif kind == "aggravated":
            entries = list(indicators.aggravated)
        else:
            entries = list(indicators.bonus.items) if indicators.bonus else []
        result: dict[str, int] = {}
        if raw is None:
            return result
        if kind == "veto":
            if not isinstance(raw, list):
                self.fail((kind,), "value.list")
                return None
            for i, code in enumerate(raw):
                if not isinstance(code, str):
                    self.fail((kind, i), "value.text")
                    continue
                veto = next((v for v in indicators.veto if v.code == code), None)
                if veto is None:
                    known = join([v.code for v in indicators.veto])
                    self.fail((kind, i), "answer.unknown_code", code=code, known=known)
                result[code] = 1
            return result
        if not isinstance(raw, dict):
            self.fail((kind,), "value.mapping")
            return None
        for code, n in raw.items():
            number = self.count((kind, code), n)
            if number is None:
                continue
            reason = check_adjustment(entries, code, number or 1)
            if number == 0 and reason is None:  # A1: 0 means none, as workbooks read 0
                continue
            if reason is not None and reason[0] == "answer.unknown_code":
                self.fail_key((kind, code), reason[0], **reason[1])
            elif reason is not None:
                self.fail((kind, code), reason[0], **reason[1])
            result[code] = number
        return result


def parse_answers(
    text: str,
    source: str,
    indicators: IndicatorSet,
    unit: Unit,
    round_name: str | None = None,
    *,
    inspection: bool = False,
    today: date | None = None,
    stored: Mapping[str, ItemAnswer] | None = None,
) -> ParsedAnswers:
    """Validate an answers file for ``unit``. Every problem is raised at once, located.

    An ``inspection``'s decisions are also held to ``check_decision`` (a problem for a score
    below full, none on full marks, no deadline before ``today`` unless ``stored`` has it)."""
    located, problems = load_text(text, source)
    if located.data is None:  # not YAML at all: nothing more to check
        raise ProblemsError(problems)
    data = located.data
    if not isinstance(data, dict):
        raise ProblemsError([*problems, located.problem((), "value.mapping")])
    reader = _Reader(located, indicators, unit)
    reader.problems.extend(problems)  # a duplicate key: the rest of the file is checked too
    reader.unknown_keys((), data, TOP_KEYS)
    named = data.get("unit")
    if named is None:
        reader.fail((), "value.missing", field="unit")
    elif not isinstance(named, str) or named.strip() not in {unit.name, unit.code}:
        reader.fail(("unit",), "answer.other_unit", named=named, unit=unit.name)
    if round_name is not None and data.get("round") not in (None, round_name):
        reader.fail(("round",), "answer.other_round", named=data.get("round"), round=round_name)
    inspector = reader.person(("inspector",), data.get("inspector"))

    items: dict[str, ItemAnswer | None] = {}
    whole = reader.categories(data.get("categories"))
    tags = set(unit.tags)
    for category in indicators.categories:
        if category.code in whole:
            for item in category.items:
                if item.applies(unit.group, tags):
                    items[item.code] = ItemAnswer(NA, na_reason=whole[category.code])
    raw_items = data.get("items")
    if raw_items is not None and not isinstance(raw_items, dict):
        reader.fail(("items",), "value.mapping")
        raw_items = None
    for code, value in (raw_items or {}).items():
        item = indicators.item(code)
        if item is None:
            known = join([it.code for _, it in indicators.items()])
            reader.fail_key(("items", code), "answer.unknown_item", item=code, known=known)
            continue
        category = next(c for c, it in indicators.items() if it is item)
        if category.code in whole:
            reader.fail_key(
                ("items", code), "answer.category_na_item", item=code, code=category.code
            )
            continue
        answer = reader.item(code, value)
        if answer is None:
            continue
        answer = canonical(item, answer)
        applies = item.applies(unit.group, set(unit.tags))
        reasons = check_answer(item, answer, applies)
        if inspection and applies and not reasons:
            before = (stored or {}).get(code)
            reasons = check_decision(item, answer, today, before)
        for key, params in reasons:
            if key == "answer.not_applicable":
                params = {**params, "unit": unit.name}
            reader.fail(("items", code), key, **params)
        if applies:
            items[code] = answer

    adjustments: dict[AdjustmentKind, dict[str, int]] = {}
    for kind in ADJUSTMENT_KINDS:
        if kind in data:
            parsed = reader.adjustments(kind, data[kind])
            if parsed is not None:
                adjustments[kind] = parsed
    review = _review(reader, indicators, data.get("review"))
    if reader.problems:
        raise ProblemsError(reader.problems)
    return ParsedAnswers(str(named).strip(), inspector, items, adjustments, review)


def _review(reader: _Reader, indicators: IndicatorSet, raw: Any) -> dict[str, str | None]:
    """``review: {"4.2": note}``: items marked 待核实 (to verify), scored or not."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        reader.fail(("review",), "value.mapping")
        return {}
    found: dict[str, str | None] = {}
    for code, value in raw.items():
        if indicators.item(code) is None:
            known = join([it.code for _, it in indicators.items()])
            reader.fail_key(("review", code), "answer.unknown_item", item=code, known=known)
            continue
        note = reader.text(("review", code), value)
        if note is not None and len(note) > MAX_TEXT:
            reader.fail(("review", code), "answer.text_too_long", field="review", max=MAX_TEXT)
            continue
        found[code] = None if note in (None, "-") else note
    return found


# --- writing -----------------------------------------------------------------------------------


def _answer_yaml(answer: ItemAnswer) -> str:
    parts: list[str] = []
    form = form_named(answer.form)
    if form is not None and answer.value is not None:
        parts.append(f"{form.answer_key}: {form.write(answer.value)}")
    elif answer.form == NA:
        parts.append(f"{NA}: {scalar(answer.na_reason or '')}")
    for name, value in answer.texts().items():
        parts.append(f"{name}: {scalar(value)}")
    if not parts:
        return "full"
    return "{" + ", ".join(parts) + "}"


def dump_answers(
    indicators: IndicatorSet,
    unit: Unit,
    answers: Mapping[str, ItemAnswer],
    adjustments: Mapping[AdjustmentKind, Mapping[str, int]],
    header: str,
) -> str:
    """The answers file of a stored assessment; parsing it back records the same thing."""
    # a comment names the unit and the round: stored before the name rule, they may hold
    # escape sequences or bidirectional characters, shown visibly rather than written raw
    lines = [f"# {printable(line)}" for line in header.splitlines()]
    lines.append(f"unit: {scalar(unit.name)}")
    whole = whole_categories(indicators, unit, answers)
    if whole:
        inner = ", ".join(
            f"{json.dumps(code, ensure_ascii=False)}: {{{NA}: {scalar(reason)}}}"
            for code, reason in whole.items()
        )
        lines.append(f"categories: {{{inner}}}")
    lines.append("items:")
    written = 0
    for category, item in indicators.items():
        answer = answers.get(item.code)
        if category.code in whole:
            continue
        if answer is not None:
            lines.append(f"  {json.dumps(item.code, ensure_ascii=False)}: {_answer_yaml(answer)}")
            written += 1
    if not written:
        lines[-1] = "items: {}"
    veto = sorted(adjustments.get("veto", {}))
    lines.append("veto: [" + ", ".join(scalar(code) for code in veto) + "]")
    for kind in ("aggravated", "bonus"):
        entries = adjustments.get(kind, {})
        inner = ", ".join(f"{scalar(code)}: {n}" for code, n in sorted(entries.items()))
        lines.append(f"{kind}: {{{inner}}}")
    return "\n".join(lines) + "\n"


def whole_categories(
    indicators: IndicatorSet, unit: Unit, answers: Mapping[str, ItemAnswer]
) -> dict[str, str]:
    """Categories that may be N/A as a whole and whose applicable items are all N/A for the
    same reason, with nothing else written: an answers file says so in one line."""
    found: dict[str, str] = {}
    tags = set(unit.tags)
    for category in indicators.categories:
        if not category.na_allowed:
            continue
        applicable = [it for it in category.items if it.applies(unit.group, tags)]
        reasons = {
            answer.na_reason
            for it in applicable
            if (answer := answers.get(it.code)) is not None
            and answer.form == NA
            and not answer.texts()
        }
        if (
            applicable
            and len(reasons) == 1
            and all(
                (a := answers.get(it.code)) is not None and a.form == NA and not a.texts()
                for it in applicable
            )
        ):
            reason = reasons.pop()
            if reason:
                found[category.code] = reason
    return found
