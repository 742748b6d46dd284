"""Deductions (扣分制): full marks minus the rules found, never below 0 (扣完为止).

The YAML block is a list of rules (``id``, ``text``, ``points``, optional ``per`` and ``max``);
an answer is the rules found with their counts, ``((rule id, count), …)``, written
``deduct: {r1: 1, r3: 2}`` (or ``deduct: [r1]``). On the card each rule gets a key, a, b, c…;
``a c3`` takes rule a once and rule c three times. In the template each rule has a row of its
own where the unit enters the count.
"""

from __future__ import annotations

import re
from decimal import Decimal
from random import Random
from typing import Any

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
    counted_amount,
    counted_text,
    counted_validation,
)
from inspector.core.indicators.model import Code, Counted, Item
from inspector.core.indicators.rawtree import check_cap, duplicates, entries, num
from inspector.decimals import plain
from inspector.errors import Problem
from inspector.i18n import tl
from inspector.io.yamlsafe import Located

Value = tuple[tuple[str, int], ...]  # (rule id, count), in the set's rule order once canonical

_ENTRY = re.compile(r"([a-z])(?:\s*[*x]\s*(?=\d)|\s+(?=\d))?(\d+)?")
_SEPARATORS = re.compile(r"[\s,;+]*")
MAX_DIGITS = 6


class Rule(Counted):
    """A deduction rule of an item, identified by ``id`` within the item."""

    id: Code


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
        for rule_path, rule in rules:
            for field in ("points", "max"):
                taken = num(rule.get(field))
                if points is not None and taken is not None and taken > points:
                    p.append(
                        located.problem(
                            (*rule_path, field),
                            "set.rule_exceeds_item",
                            rule=rule.get("id", "?"),
                            points=plain(taken),
                            item=plain(points),
                        )
                    )
            p += check_cap(located, rule_path, rule)
        if isinstance(item.get(self.key), list) and not item[self.key]:
            p.append(located.problem((*path, self.key), "value.too_few", min_length="1"))
        return p

    def set_json(self, item: Item) -> dict[str, Any]:
        return {
            "rules": [
                {
                    "id": rule.id,
                    "text": rule.text,
                    "points": json_number(rule.points),
                    "per_occurrence": rule.per_occurrence,
                    "per": rule.per,
                    "max": json_number(rule.max) if rule.max is not None else None,
                }
                for rule in self.rules(item)
            ]
        }

    def summary(self, item: Item, lang: str) -> str:
        return tl(lang, "indicators.scoring.deductions", count=len(self.rules(item)))

    def standard(self, item: Item, lang: str) -> list[str]:
        lines = []
        for rule in self.rules(item):
            if rule.per_occurrence:
                line = tl(
                    lang,
                    "report.rule.per",
                    text=loc(rule, "text", lang),
                    per=loc(rule, "per", lang),
                    points=plain(rule.points),
                )
                if rule.max is not None:
                    line += tl(lang, "report.rule.max", max=plain(rule.max))
            else:
                line = tl(
                    lang,
                    "report.rule.once",
                    text=loc(rule, "text", lang),
                    points=plain(rule.points),
                )
            lines.append(line)
        return lines

    # --- answers -----------------------------------------------------------------------------

    def read(self, raw: Any, at: AnswerReader) -> Value | None:
        pairs: list[tuple[str, int]] = []
        if isinstance(raw, list):
            for i, rule in enumerate(raw):
                if isinstance(rule, str):
                    pairs.append((rule.strip(), 1))
                else:
                    at.fail((i,), "value.text")
        elif isinstance(raw, dict):
            counts = {rule: at.count((rule,), n) for rule, n in raw.items()}
            if None in counts.values():
                return None
            pairs.extend((rule, n) for rule, n in counts.items() if n is not None)
        else:
            at.fail((), "answer.deduct_shape")
            return None
        return tuple(pairs)

    def write(self, value: Value) -> str:
        return "{" + ", ".join(f"{scalar(rule)}: {count}" for rule, count in value) + "}"

    def canonical(self, item: Item, value: Value) -> Value:
        """Rules merged, in the set's rule order."""
        merged: dict[str, int] = {}
        for rule, count in value:
            merged[rule] = merged.get(rule, 0) + count
        position = {rule.id: i for i, rule in enumerate(self.rules(item))}
        return tuple(
            sorted(merged.items(), key=lambda rc: (position.get(rc[0], len(position)), rc[0]))
        )

    def check(self, item: Item, value: Value) -> list[Reason]:
        reasons: list[Reason] = []
        if not value:
            reasons.append(("answer.no_rules", {"item": item.code}))
        for rule_id, count in value:
            rule = self.rule(item, rule_id)
            if rule is None:
                known = join([r.id for r in self.rules(item)])
                reasons.append(
                    ("answer.unknown_rule", {"rule": rule_id, "item": item.code, "known": known})
                )
            elif count < 1 or count > MAX_COUNT:
                reasons.append(("answer.bad_count", {"rule": rule_id, "max": MAX_COUNT}))
            elif count > 1 and not rule.per_occurrence:
                reasons.append(("answer.count_once", {"rule": rule_id, "count": count}))
        return reasons

    def dump(self, value: Value) -> Any:
        return [[rule, count] for rule, count in value]

    def load(self, data: Any) -> Value:
        return tuple((str(rule), int(count)) for rule, count in data)

    def fields(self, value: Value) -> dict[str, Any]:
        return {"deductions": dict(value)} if value else {}

    # --- scoring -----------------------------------------------------------------------------

    def score(self, item: Item, value: Value) -> tuple[Decimal, tuple[RuleHit, ...]]:
        hits = []
        for rule_id, count in value:
            rule = self.rule(item, rule_id)
            if rule is not None and count > 0:
                hits.append(RuleHit(rule_id, count, rule.amount(count)))
        taken = min(sum((h.points for h in hits), Decimal(0)), item.points)  # 扣完为止
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
        """``a c3``, ``a2 b``, ``a×2``, ``ac3`` → ((rule id, count), …) in the order typed."""
        rules = self.rules(item)
        keys = {key_of(i): rule.id for i, rule in enumerate(rules)}
        known = key_range(len(rules))
        if NUMBER.fullmatch(text):
            raise InputError("scorer.input.want_keys", keys=known)
        pairs: list[tuple[str, int]] = []
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
            if letter not in keys:
                raise InputError("scorer.input.unknown_key", key=letter, keys=known)
            if digits is not None and len(digits) > MAX_DIGITS:
                raise InputError("scorer.input.big_count", key=letter)
            pairs.append((keys[letter], int(digits) if digits is not None else 1))
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
        lines = []
        for i, rule in enumerate(self.rules(item)):
            number = plain(rule.points)
            fixed = tl(lang, "scorer.card.rule_fixed", points=number)
            points, note = fixed, ""
            if rule.per_occurrence:
                per = loc(rule, "per", lang)
                points = tl(lang, "scorer.card.rule_per", points=number, per=per)
                if rule.max is not None:
                    note = tl(lang, "scorer.card.rule_per_cap", per=per, max=plain(rule.max))
                else:
                    note = tl(lang, "scorer.card.rule_per_note", per=per)
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
        return tl(lang, "scorer.help.deductions")

    def describe(self, item: Item, value: Value, lang: str) -> str:
        keys = {rule.id: key_of(i) for i, rule in enumerate(self.rules(item))}
        typed = " ".join(
            keys.get(rule_id, rule_id) if count == 1 else f"{keys.get(rule_id, rule_id)}×{count}"
            for rule_id, count in value
        )
        return tl(lang, "scorer.card.deducted", keys=typed)

    # --- the self-assessment template --------------------------------------------------------

    def guide(self, lang: str, sheet: str) -> str:
        return tl(lang, "sa.guide.step2", sheet=sheet, max=MAX_COUNT)

    def cells(self, item: Item, lang: str) -> FormCells:
        rules = self.rules(item)
        rows = tuple(
            SubRow(
                "rule",
                rule.id,
                code=rule.id,
                name=loc(rule, "text", lang),
                points=counted_text(rule, lang, "rule"),
                input=counted_validation(rule, lang),
                score=lambda refs, rule=rule: counted_amount(refs.cell("entry", rule.id), rule),
                # shown as "扣2分", and blank while nothing is entered
                score_format=tl(lang, "sa.format.rule"),
            )
            for rule in rules
        )
        first, last, points = rules[0].id, rules[-1].id, plain(item.points)

        def score(refs: CellRefs) -> str:
            return f"MAX(0,{points}-SUM({refs.span('score', first, last)}))"

        return FormCells(score, rows)

    def read_cells(self, item: Item, sheet: CellReader) -> Entered[Value] | Blank | None:
        pairs: list[tuple[str, int]] = []
        failed = False
        for rule in self.rules(item):
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
        rule = params.get("rule")
        return rule if isinstance(rule, str) and self.rule(item, rule) is not None else None

    def missing_row(self, item: Item, row: SubRow) -> Reason:
        return ("sa.missing.rule", {"item": item.code, "rule": row.id})

    # --- the demo ----------------------------------------------------------------------------

    def sample(self, rng: Random, item: Item, exclusive: frozenset[str]) -> Value:
        """Mostly the smaller, specific rules; a rule that wipes out the whole item is rare."""
        rules = self.rules(item)
        candidates = [r for r in rules if r.points < item.points or rng.random() < 0.08] or rules
        weights = [1 / float(r.points) for r in candidates]
        chosen = [rng.choices(candidates, weights)[0]]
        if rng.random() < 0.3:
            others = [
                r
                for r in candidates
                if r.id != chosen[0].id and not {r.id, chosen[0].id} <= exclusive
            ]
            if others:
                chosen.append(rng.choice(others))
        hits = []
        for rule in chosen:
            count = 1
            if rule.per_occurrence:
                most = int((rule.max or rule.points * 4) / rule.points)
                count = rng.randint(1, max(1, min(4, most)))
            hits.append((rule.id, count))
        return tuple(hits)
