"""Deductions (扣分制): full marks minus the rules found, never below 0 (扣完为止).

The YAML block is a list of rules (``id``, ``text``, ``points``, optional ``per`` and ``max``,
``excludes``). ``points`` is a fixed amount, or a range ``[0.5, 1]`` (视情扣分) in steps of
``step`` from which the assessor chooses when scoring. An answer is the rules found with their
counts, or for a ranged rule the amount chosen: ``((rule id, count or amount), …)``, written
``deduct: {r1: 1, r3: 2, r4: 0.5}`` (or ``deduct: [r1]``; 0 means "not found"). Rules that
exclude each other (``excludes: [r2]``) are refused together. On the card each rule gets a
key, a, b, c…; ``a c3 d0.5`` takes rule a once, rule c three times and 0.5 points of ranged
rule d. In the template each rule has a row of its own where the unit enters the count (or
the amount).
"""

from __future__ import annotations

import re
from decimal import Decimal
from random import Random
from typing import Annotated, Any, Union

from pydantic import Discriminator, Field, Tag

from inspector.core.forms.base import (
    KEYS,
    MAX_COUNT,
    NUMBER,
    AnswerReader,
    CardEntry,
    Form,
    InputError,
    Path,
    Reason,
    RuleHit,
    join,
    json_number,
    key_of,
    key_range,
    loc,
    scalar,
)
from inspector.core.forms.cells import (
    Blank,
    CellReader,
    CellRefs,
    Entered,
    FormCells,
    SubRow,
    Validation,
    cell_decimal,
    counted_amount,
    counted_text,
    counted_validation,
    is_blank,
    shown,
)
from inspector.core.indicators.model import Code, Counted, Item, Points, PositivePoints
from inspector.core.indicators.rawtree import check_cap, duplicates, entries, num
from inspector.decimals import BadNumber, parse_decimal, plain
from inspector.errors import Problem, Term
from inspector.i18n import tl
from inspector.io.yamlsafe import Located

# (rule id, n), in the set's rule order once canonical: n is the count of a fixed rule (int),
# the amount chosen for a ranged rule (Decimal); None (read from ``deduct: [r2]``) means
# "found, no number given", which a ranged rule refuses.
Number = int | Decimal | None
Value = tuple[tuple[str, Number], ...]

_ENTRY = re.compile(r"([a-z])(?:\s*[*x]\s*(?=[\d.])|\s+(?=[\d.]))?(\d+(?:\.\d+)?|\.\d+)?")
_SEPARATORS = re.compile(r"[\s,;+]*")
_YAML_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?|\.\d+)\s*")
MAX_DIGITS = 6
DEFAULT_STEP = Decimal("0.5")
ZERO = Decimal(0)

# a range [low, high]; the tags (dropped from error locations by the loader) tell the two
# shapes of ``points`` apart, so a wrong value gets one message, not one per shape
Range = Annotated[tuple[Points, ...], Field(min_length=2, max_length=2)]


def _points_shape(value: Any) -> str:
    return "~range" if isinstance(value, (list, tuple)) else "~one"


RulePoints = Annotated[
    Union[Annotated[PositivePoints, Tag("~one")], Annotated[Range, Tag("~range")]],  # noqa: UP007
    Discriminator(_points_shape),
]


class Rule(Counted):
    """A deduction rule of an item, identified by ``id`` within the item. ``points`` is fixed,
    or a range ``[low, high]`` chosen in steps of ``step`` when scoring (视情扣分)."""

    id: Code
    points: RulePoints  # type: ignore[assignment]
    step: PositivePoints | None = None
    excludes: list[Code] = Field(default_factory=list)

    @property
    def ranged(self) -> bool:
        return isinstance(self.points, tuple)

    @property
    def low(self) -> Decimal:
        return self.points[0] if isinstance(self.points, tuple) else self.points

    @property
    def high(self) -> Decimal:
        """The most the rule can take: its points, its range's top, or its cap."""
        if isinstance(self.points, tuple):
            return self.points[1]
        return self.max if self.max is not None and self.per_occurrence else self.points

    @property
    def amount_step(self) -> Decimal:
        return self.step if self.step is not None else DEFAULT_STEP

    def amount(self, count: int) -> Decimal:
        if isinstance(self.points, tuple):
            raise TypeError(f"rule {self.id} is ranged: its amount is chosen, not counted")
        return super().amount(count)

    def takes(self, n: int | Decimal) -> Decimal:
        """Points taken for ``n``: occurrences of a fixed rule, the amount of a ranged one."""
        if isinstance(self.points, tuple):
            return Decimal(n)
        return self.amount(int(n))

    def fits(self, amount: Decimal) -> bool:
        """Whether ``amount`` is a choice of the ranged rule: in [low, high], on its steps."""
        return self.low <= amount <= self.high and (amount - self.low) % self.amount_step == 0


class DeductionsForm(Form[Value]):
    key = "deductions"
    answer_key = "deduct"
    spec = list[Rule]

    def rules(self, item: Item) -> list[Rule]:
        return list(self.block(item) or ())

    def rule(self, item: Item, rule_id: str) -> Rule | None:
        return next((r for r in self.block(item) or () if r.id == rule_id), None)

    # --- the set -----------------------------------------------------------------------------

    def check_set(
        self, located: Located, path: Path, item: dict[str, Any], points: Decimal | None
    ) -> list[Problem]:
        p: list[Problem] = []
        rules = list(entries(item, self.key, path))
        p += duplicates(located, rules, "id", "rule")
        ids = {rule["id"] for _, rule in rules if isinstance(rule.get("id"), str)}
        for rule_path, rule in rules:
            rule_id = rule.get("id", "?")
            raw = rule.get("points")
            if isinstance(raw, list):
                p += _check_range(located, rule_path, rule, points)
            else:
                if rule.get("step") is not None:
                    p.append(located.problem((*rule_path, "step"), "set.step_without_range"))
                for field in ("points", "max"):
                    taken = num(rule.get(field))
                    if points is not None and taken is not None and taken > points:
                        p.append(
                            located.problem(
                                (*rule_path, field),
                                "set.rule_exceeds_item",
                                rule=rule_id,
                                points=plain(taken),
                                item=plain(points),
                            )
                        )
                p += check_cap(located, rule_path, rule)
            excluded = rule.get("excludes")
            for i, other in enumerate(excluded if isinstance(excluded, list) else []):
                if not isinstance(other, str):
                    continue
                if other == rule_id:
                    p.append(
                        located.problem((*rule_path, "excludes", i), "set.exclude_self", rule=other)
                    )
                elif other not in ids:
                    p.append(
                        located.problem(
                            (*rule_path, "excludes", i),
                            "set.unknown_ref",
                            what=Term("rule"),
                            code=other,
                            known=join(sorted(ids)),
                        )
                    )
        if isinstance(item.get(self.key), list) and not item[self.key]:
            p.append(located.problem((*path, self.key), "value.too_few", min_length="1"))
        return p

    def set_json(self, item: Item) -> dict[str, Any]:
        return {
            "rules": [
                {
                    "id": rule.id,
                    "text": rule.text,
                    "points": json_number(rule.high if rule.ranged else rule.points),  # type: ignore[arg-type]
                    "range": {
                        "min": json_number(rule.low),
                        "max": json_number(rule.high),
                        "step": json_number(rule.amount_step),
                    }
                    if rule.ranged
                    else None,
                    "per_occurrence": rule.per_occurrence,
                    "per": rule.per,
                    "max": json_number(rule.max) if rule.max is not None else None,
                    "excludes": sorted(self.excluded(item, rule.id)),
                }
                for rule in self.rules(item)
            ]
        }

    def excluded(self, item: Item, rule_id: str) -> set[str]:
        """The rules that may not be applied together with ``rule_id`` (either side names
        the other)."""
        found: set[str] = set()
        for rule in self.rules(item):
            if rule.id == rule_id:
                found.update(rule.excludes)
            elif rule_id in rule.excludes:
                found.add(rule.id)
        found.discard(rule_id)
        return found

    def summary(self, item: Item, lang: str) -> str:
        return tl(lang, "indicators.scoring.deductions", count=len(self.rules(item)))

    def standard(self, item: Item, lang: str) -> list[str]:
        lines = []
        for rule in self.rules(item):
            if rule.ranged:
                line = tl(
                    lang,
                    "format.rule.range",
                    text=loc(rule, "text", lang),
                    low=plain(rule.low),
                    high=plain(rule.high),
                )
            elif rule.per_occurrence:
                line = tl(
                    lang,
                    "report.rule.per",
                    text=loc(rule, "text", lang),
                    per=loc(rule, "per", lang),
                    points=plain(rule.points),  # type: ignore[arg-type]
                )
                if rule.max is not None:
                    line += tl(lang, "report.rule.max", max=plain(rule.max))
            else:
                line = tl(
                    lang,
                    "report.rule.once",
                    text=loc(rule, "text", lang),
                    points=plain(rule.points),  # type: ignore[arg-type]
                )
            others = self.excluded(item, rule.id)
            if others:
                line += tl(lang, "format.rule.excludes", rules=join(sorted(others)))
            lines.append(line)
        return lines

    # --- answers -----------------------------------------------------------------------------

    def read(self, raw: Any, at: AnswerReader) -> Value | None:
        pairs: list[tuple[str, Number]] = []
        if isinstance(raw, list):
            for i, rule in enumerate(raw):
                if isinstance(rule, str):
                    pairs.append((rule.strip(), None))
                else:
                    at.fail((i,), "value.text")
        elif isinstance(raw, dict):
            failed = False
            for rule, n in raw.items():
                number = _yaml_number(n)
                if number is None and isinstance(n, str) and n.strip().isdigit():
                    # a whole number too long to be a count: say the range, not the shape
                    at.fail((rule,), "answer.bad_count", rule=rule, max=MAX_COUNT)
                    failed = True
                elif number is None:
                    at.fail((rule,), "answer.deduct_number")
                    failed = True
                else:
                    pairs.append((rule, number))
            if failed:
                return None
        else:
            at.fail((), "answer.deduct_shape")
            return None
        return tuple(pairs)

    def empty(self, value: Value) -> bool:
        """``deduct: {r2: 0}``: every rule written with 0, i.e. nothing found."""
        return bool(value) and all(n is not None and n == 0 for _, n in value)

    def write(self, value: Value) -> str:
        return "{" + ", ".join(f"{scalar(rule)}: {_written(n)}" for rule, n in value) + "}"

    def canonical(self, item: Item, value: Value) -> Value:
        """Rules merged, zeros left out, in the set's rule order; counts of fixed rules as
        whole numbers, amounts of ranged rules as decimals."""
        merged: dict[str, Number] = {}
        for rule_id, n in value:
            if n is not None and n == 0:
                continue
            rule = self.rule(item, rule_id)
            n = _as_amount(n) if rule is not None and rule.ranged else _as_count(n)
            if rule_id not in merged:
                merged[rule_id] = n
            else:
                before = merged[rule_id]
                merged[rule_id] = None if before is None or n is None else before + n
        position = {rule.id: i for i, rule in enumerate(self.rules(item))}
        return tuple(
            sorted(merged.items(), key=lambda rc: (position.get(rc[0], len(position)), rc[0]))
        )

    def check(self, item: Item, value: Value) -> list[Reason]:
        reasons: list[Reason] = []
        if not value:
            reasons.append(("answer.no_rules", {"item": item.code}))
        found: list[str] = []
        for rule_id, n in value:
            rule = self.rule(item, rule_id)
            if rule is None:
                known = join([r.id for r in self.rules(item)])
                reasons.append(
                    ("answer.unknown_rule", {"rule": rule_id, "item": item.code, "known": known})
                )
                continue
            found.append(rule_id)
            if rule.ranged:
                params = {
                    "rule": rule_id,
                    "item": item.code,
                    "low": plain(rule.low),
                    "high": plain(rule.high),
                    "step": plain(rule.amount_step),
                }
                if n is None:
                    reasons.append(("answer.range_amount", params))
                elif not rule.fits(Decimal(n)):
                    reasons.append(("answer.range_bad", {**params, "amount": plain(Decimal(n))}))
                continue
            if n is None:
                n = 1
            if isinstance(n, Decimal) and n != n.to_integral_value():
                reasons.append(("answer.count_whole", {"rule": rule_id, "count": plain(n)}))
            elif n < 1 or n > MAX_COUNT:
                reasons.append(("answer.bad_count", {"rule": rule_id, "max": MAX_COUNT}))
            elif n > 1 and not rule.per_occurrence:
                reasons.append(("answer.count_once", {"rule": rule_id, "count": n}))
        for i, rule_id in enumerate(found):
            for other in found[i + 1 :]:
                if other in self.excluded(item, rule_id):
                    reasons.append(
                        ("answer.excluded", {"rule": rule_id, "other": other, "item": item.code})
                    )
        return reasons

    def dump(self, value: Value) -> Any:
        # amounts as text: exactly the decimal, never a float
        return [[rule, plain(n) if isinstance(n, Decimal) else n] for rule, n in value]

    def load(self, data: Any) -> Value:
        return tuple(
            (str(rule), Decimal(n) if isinstance(n, str) else None if n is None else int(n))
            for rule, n in data
        )

    def fields(self, value: Value) -> dict[str, Any]:
        if not value:
            return {}
        return {"deductions": {r: plain(n) if isinstance(n, Decimal) else n for r, n in value}}

    # --- scoring -----------------------------------------------------------------------------

    def score(self, item: Item, value: Value) -> tuple[Decimal, tuple[RuleHit, ...]]:
        hits = []
        for rule_id, n in value:
            rule = self.rule(item, rule_id)
            if rule is None or n is None or n <= 0:
                continue
            if rule.ranged:
                hits.append(RuleHit(rule_id, 1, min(Decimal(n), rule.high)))
            else:
                hits.append(RuleHit(rule_id, int(n), rule.amount(int(n))))
        taken = min(sum((h.points for h in hits), ZERO), item.points)  # 扣完为止
        return item.points - taken, tuple(hits)

    def _hit_text(self, rule: Rule, hit: RuleHit, lang: str) -> str:
        text = loc(rule, "text", lang)
        if rule.per_occurrence and hit.count:
            per = loc(rule, "per", lang)
            text = tl(lang, "problem.count", text=text, count=hit.count, per=per)
        return text

    def default_problem(
        self, item: Item, value: Value, hits: tuple[RuleHit, ...], lang: str
    ) -> str | None:
        """The texts of the rules applied."""
        parts = [
            self._hit_text(rule, hit, lang)
            for hit in hits
            if (rule := self.rule(item, hit.rule)) is not None
        ]
        return tl(lang, "problem.separator").join(parts) or None

    def explain(
        self, item: Item, value: Value, score: Decimal, hits: tuple[RuleHit, ...], lang: str
    ) -> str:
        parts = [
            tl(lang, "report.hit", text=self._hit_text(rule, hit, lang), points=plain(hit.points))
            for hit in hits
            if (rule := self.rule(item, hit.rule)) is not None
        ]
        return tl(lang, "problem.separator").join(parts)

    def causes(self, item: Item, value: Value, hits: tuple[RuleHit, ...], lang: str) -> list[str]:
        return [
            loc(rule, "text", lang)
            for hit in hits
            if (rule := self.rule(item, hit.rule)) is not None
        ]

    # --- the interactive scorer --------------------------------------------------------------

    def parse(self, text: str, item: Item) -> Value:
        """``a c3``, ``a2 b``, ``a×2``, ``ac3``, ``d0.5`` (a ranged rule's amount) →
        ((rule id, count or amount), …) in the order typed."""
        rules = self.rules(item)
        keys = {key_of(i): rule for i, rule in enumerate(rules)}
        known = key_range(len(rules))
        if NUMBER.fullmatch(text):
            raise InputError("scorer.input.want_keys", keys=known)
        pairs: list[tuple[str, Number]] = []
        pos = 0
        while True:
            pos = _SEPARATORS.match(text, pos).end()  # type: ignore[union-attr]
            if pos >= len(text):
                break
            match = _ENTRY.match(text, pos)
            if match is None:
                bad = re.split(r"[\s,;]", text[pos:])[0]
                raise InputError("scorer.input.bad_keys", text=bad, keys=known)
            letter, digits = match.group(1), match.group(2)
            rule = keys.get(letter)
            if rule is None:
                raise InputError("scorer.input.unknown_key", key=letter, keys=known)
            if digits is not None and len(digits) > MAX_DIGITS:
                raise InputError("scorer.input.big_count", key=letter)
            if rule.ranged:
                if digits is None:
                    raise InputError(
                        "scorer.input.want_amount",
                        key=letter,
                        low=plain(rule.low),
                        high=plain(rule.high),
                        step=plain(rule.amount_step),
                    )
                pairs.append((rule.id, Decimal(digits)))
            elif digits is not None and not digits.isdigit():
                raise InputError("scorer.input.whole_count", key=letter, count=digits)
            else:
                pairs.append((rule.id, int(digits) if digits is not None else 1))
            pos = match.end()
        if not pairs:
            raise InputError("scorer.input.want_keys", keys=known)
        return tuple(pairs)

    def shadows(self, item: Item, text: str) -> bool:
        """With fourteen rules or more, "na" is rule n then rule a."""
        return len(self.rules(item)) > KEYS.index("n")

    def _ids_referenced(self, item: Item) -> bool:
        notes = " ".join(filter(None, [item.notes, item.en.notes if item.en else None]))
        return any(
            re.search(rf"(?<![\w]){re.escape(rule.id)}(?![\w])", notes) for rule in self.rules(item)
        )

    def card_label(self, lang: str) -> str:
        return tl(lang, "scorer.card.rules")

    def card(self, item: Item, lang: str) -> tuple[CardEntry, ...]:
        show_ids = self._ids_referenced(item)
        rules = self.rules(item)
        keys = {rule.id: key_of(i) for i, rule in enumerate(rules)}
        lines = []
        for i, rule in enumerate(rules):
            if rule.ranged:
                points = tl(lang, "format.card.range", low=plain(rule.low), high=plain(rule.high))
                note = tl(
                    lang,
                    "format.card.range_note",
                    key=key_of(i),
                    low=plain(rule.low),
                    step=plain(rule.amount_step),
                )
                fixed = points
            else:
                number = plain(rule.points)  # type: ignore[arg-type]
                fixed = tl(lang, "scorer.card.rule_fixed", points=number)
                points, note = fixed, ""
                if rule.per_occurrence:
                    per = loc(rule, "per", lang)
                    points = tl(lang, "scorer.card.rule_per", points=number, per=per)
                    if rule.max is not None:
                        note = tl(lang, "scorer.card.rule_per_cap", per=per, max=plain(rule.max))
                    else:
                        note = tl(lang, "scorer.card.rule_per_note", per=per)
            others = sorted(self.excluded(item, rule.id), key=lambda r: keys.get(r, r))
            if others:
                note += tl(
                    lang,
                    "format.card.excludes",
                    keys=tl(lang, "format.card.key_sep").join(keys.get(r, r) for r in others),
                )
            lines.append(
                CardEntry(
                    loc(rule, "text", lang),
                    key=key_of(i),
                    points=points,
                    short=fixed,
                    tag=rule.id if show_ids else None,
                    note=note,
                )
            )
        return tuple(lines)

    def card_details(self, item: Item, lang: str) -> str | None:
        ids = "  ".join(f"{key_of(i)}={r.id}" for i, r in enumerate(self.rules(item)))
        return tl(lang, "scorer.card.rule_ids") + ids

    def hint(self, item: Item, lang: str) -> str:
        return tl(lang, "scorer.hint.keys")

    def help(self, lang: str) -> str:
        return tl(lang, "scorer.help.deductions") + "\n" + tl(lang, "format.help.range")

    def describe(self, item: Item, value: Value, lang: str) -> str:
        keys = self.card_keys(item)
        typed = " ".join(
            _capped(_typed(keys.get(rule_id, rule_id), n, rule), n, rule, lang)
            for rule_id, n in value
            for rule in (self.rule(item, rule_id),)
        )
        return tl(lang, "scorer.card.deducted", keys=typed)

    def card_keys(self, item: Item) -> dict[str, str]:
        return {rule.id: key_of(i) for i, rule in enumerate(self.rules(item))}

    # --- the self-assessment template --------------------------------------------------------

    def guide(self, lang: str, sheet: str) -> str:
        return tl(lang, "sa.guide.step2", sheet=sheet, max=MAX_COUNT) + tl(
            lang, "format.guide.range"
        )

    def cells(self, item: Item, lang: str) -> FormCells:
        rules = self.rules(item)
        rows = tuple(_rule_row(self, item, rule, lang) for rule in rules)
        first, last, points = rules[0].id, rules[-1].id, plain(item.points)

        def score(refs: CellRefs) -> str:
            return f"MAX(0,{points}-SUM({refs.span('score', first, last)}))"

        return FormCells(score, rows)

    def read_cells(self, item: Item, sheet: CellReader) -> Entered[Value] | Blank | None:
        pairs: list[tuple[str, Number]] = []
        failed = False
        for rule in self.rules(item):
            if rule.ranged:
                value = sheet.value(rule.id)
                if is_blank(value):
                    continue
                amount = cell_decimal(value)
                if amount is None or amount < 0:
                    sheet.fail(rule.id, "format.sa.amount", value=shown(value))
                    failed = True
                elif amount > 0:
                    pairs.append((rule.id, amount))
                continue
            count = sheet.count(rule.id)
            if count is None:
                failed = True
            elif count > 0:
                pairs.append((rule.id, count))
        if failed:
            return None
        if not pairs:
            return Blank()  # no rule found: full marks
        return Entered(tuple(pairs), at=pairs[0][0])

    def reason_row(self, item: Item, key: str, params: dict[str, Any]) -> str | None:
        rule = params.get("other") if key == "answer.excluded" else params.get("rule")
        return rule if isinstance(rule, str) and self.rule(item, rule) is not None else None

    def missing_row(self, item: Item, row: SubRow) -> Reason:
        return ("sa.missing.rule", {"item": item.code, "rule": row.id})

    # --- the demo ----------------------------------------------------------------------------

    def sample(self, rng: Random, item: Item, exclusive: frozenset[str]) -> Value:
        """Mostly the smaller, specific rules; a rule that wipes out the whole item is rare;
        rules that exclude each other (or are listed in ``exclusive``) never together."""
        rules = self.rules(item)
        candidates = [r for r in rules if r.high < item.points or rng.random() < 0.08] or rules
        weights = [1 / float(r.high) for r in candidates]
        chosen = [rng.choices(candidates, weights)[0]]
        if rng.random() < 0.3:
            first = chosen[0]
            others = [
                r
                for r in candidates
                if r.id != first.id
                and not {r.id, first.id} <= exclusive
                and r.id not in self.excluded(item, first.id)
            ]
            if others:
                chosen.append(rng.choice(others))
        hits: list[tuple[str, Number]] = []
        for rule in chosen:
            if rule.ranged:
                steps = int((rule.high - rule.low) / rule.amount_step)
                hits.append((rule.id, rule.low + rule.amount_step * rng.randint(0, steps)))
                continue
            count = 1
            if rule.per_occurrence:
                most = int((rule.max or rule.points * 4) / rule.points)  # type: ignore[operator]
                count = rng.randint(1, max(1, min(4, most)))
            hits.append((rule.id, count))
        return tuple(hits)


def _yaml_number(raw: Any) -> int | Decimal | None:
    """A count (``2``) or an amount (``0.5``) as written in an answers file."""
    if not isinstance(raw, str) or not _YAML_NUMBER.fullmatch(raw) or len(raw.strip()) > 12:
        return None
    text = raw.strip()
    if text.isdigit():
        return int(text)
    try:
        return parse_decimal(text)
    except BadNumber:
        return None


def _written(n: Number) -> str:
    if isinstance(n, Decimal):
        return plain(n)
    return str(1 if n is None else n)


def _as_count(n: Number) -> Number:
    """A fixed rule's count: ``deduct: [r1]`` is once; ``2`` and ``2.0`` the same count."""
    if n is None:
        return 1
    if isinstance(n, Decimal) and n == n.to_integral_value():
        return int(n)
    return n


def _as_amount(n: Number) -> Number:
    return None if n is None else Decimal(plain(Decimal(n)))


def _typed(key: str, n: Number, rule: Rule | None) -> str:
    """A rule as it is typed on the card: ``a``, ``c×3``, ``d0.5``."""
    if rule is not None and rule.ranged and n is not None:
        return f"{key}{plain(Decimal(n))}"
    return key if n in (1, None) else f"{key}×{n}"


def _capped(typed: str, n: Number, rule: Rule | None, lang: str) -> str:
    """ "c×4 → 已达上限，扣1.5分" where a rule counted per occurrence reached its own cap."""
    if rule is None or rule.ranged or rule.max is None or not rule.per_occurrence:
        return typed
    count = 1 if n is None else int(n)
    if rule.points * count <= rule.max:
        return typed
    return tl(lang, "trust.cap_reached", typed=typed, points=plain(rule.max))


def _rule_row(form: DeductionsForm, item: Item, rule: Rule, lang: str) -> SubRow:
    name = loc(rule, "text", lang)
    others = form.excluded(item, rule.id)
    if others:
        name += tl(lang, "format.rule.excludes", rules=join(sorted(others)))
    if rule.ranged:
        high = plain(rule.high)
        return SubRow(
            "rule",
            rule.id,
            code=rule.id,
            name=name,
            points=tl(lang, "format.sa.range", low=plain(rule.low), high=high),
            input=Validation(
                "decimal",
                tl(
                    lang,
                    "format.sa.dv.amount",
                    low=plain(rule.low),
                    high=high,
                    step=plain(rule.amount_step),
                ),
                tl(lang, "format.sa.prompt.amount", low=plain(rule.low), high=high),
                high=high,
            ),
            score=lambda refs: f"MIN(MAX({refs.cell('entry', rule.id)}*1,0),{high})",
            score_format=tl(lang, "sa.format.rule"),
        )
    return SubRow(
        "rule",
        rule.id,
        code=rule.id,
        name=name,
        points=counted_text(rule, lang, "rule"),
        input=counted_validation(rule, lang),
        score=lambda refs: counted_amount(refs.cell("entry", rule.id), rule),
        # shown as "扣2分", and blank while nothing is entered
        score_format=tl(lang, "sa.format.rule"),
    )


def _check_range(
    located: Located, path: Path, rule: dict[str, Any], points: Decimal | None
) -> list[Problem]:
    """A ranged rule: low below high, within the item, on its steps, and taken once."""
    raw = rule["points"]
    if len(raw) != 2:
        return []  # the model reports it
    low, high = num(raw[0]), num(raw[1])
    p: list[Problem] = []
    if rule.get("per") is not None:
        p.append(located.problem((*path, "per"), "set.range_per"))
    if low is None or high is None:
        return p
    if high <= low:
        p.append(
            located.problem(
                (*path, "points", 1), "set.range_order", low=plain(low), high=plain(high)
            )
        )
        return p
    if points is not None and high > points:
        p.append(
            located.problem(
                (*path, "points", 1),
                "set.rule_exceeds_item",
                rule=rule.get("id", "?"),
                points=plain(high),
                item=plain(points),
            )
        )
    step = num(rule.get("step")) if rule.get("step") is not None else DEFAULT_STEP
    if step is not None and step > 0 and (high - low) % step != 0:
        at = (*path, "step") if rule.get("step") is not None else (*path, "points")
        p.append(
            located.problem(
                at, "set.range_step", low=plain(low), high=plain(high), step=plain(step)
            )
        )
    return p
