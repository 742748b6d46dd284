"""Direct scoring (直接评分): the assessor gives a score in [0, points], in multiples of ``step``.

The YAML block is ``direct: {step: 0.5}``; an answer is the score, written ``score: 2.5``,
typed as a number on the card and entered as a number in the template.
"""

from __future__ import annotations

from decimal import Decimal
from random import Random
from typing import Any

from inspector.core.forms.base import (
    MAX_COUNT,
    AnswerReader,
    CardEntry,
    Form,
    InputError,
    Path,
    Reason,
    RuleHit,
    json_number,
    parse_number,
)
from inspector.core.forms.cells import (
    UNREADABLE,
    Blank,
    CellReader,
    CellRefs,
    Entered,
    FormCells,
    Validation,
    cell_number,
    is_blank,
    shown,
)
from inspector.core.indicators.model import Item, PositivePoints, Strict
from inspector.core.indicators.rawtree import num
from inspector.decimals import BadNumber, parse_decimal, plain
from inspector.errors import Problem
from inspector.i18n import tl
from inspector.io.yamlsafe import Located

Value = Decimal  # the score

ZERO = Decimal(0)


class Direct(Strict):
    step: PositivePoints = Decimal("0.5")


class DirectForm(Form[Value]):
    key = "direct"
    answer_key = "score"
    spec = Direct

    def step(self, item: Item) -> Decimal:
        block = self.block(item)
        return block.step if block is not None else Decimal("0.5")

    # --- the set -----------------------------------------------------------------------------

    def check_set(
        self, located: Located, path: Path, item: dict[str, Any], points: Decimal | None
    ) -> list[Problem]:
        direct = item.get(self.key)
        if not isinstance(direct, dict):
            return []
        step = num(direct.get("step"))
        if step is not None and step > 0 and points is not None and points % step != 0:
            return [
                located.problem(
                    (*path, self.key, "step"),
                    "set.step_mismatch",
                    step=plain(step),
                    item=plain(points),
                )
            ]
        return []

    def set_json(self, item: Item) -> dict[str, Any]:
        return {
            "range": {
                "min": 0,
                "max": json_number(item.points),
                "step": json_number(self.step(item)),
            }
        }

    def summary(self, item: Item, lang: str) -> str:
        return tl(lang, "indicators.scoring.direct", step=plain(self.step(item)))

    def standard(self, item: Item, lang: str) -> list[str]:
        return [
            tl(lang, "report.rule.direct", points=plain(item.points), step=plain(self.step(item)))
        ]

    # --- answers -----------------------------------------------------------------------------

    def read(self, raw: Any, at: AnswerReader) -> Value | None:
        try:
            return parse_decimal(raw)  # bounded: 1e999999999 or 1E-999999999 never reach a sum
        except BadNumber as exc:
            at.fail((), exc.key, **exc.params)
            return None

    def write(self, value: Value) -> str:
        return plain(value)

    def canonical(self, item: Item, value: Value) -> Value:
        return value.normalize() + 0  # +0 turns -0 into 0

    def check(self, item: Item, value: Value) -> list[Reason]:
        step = self.step(item)
        if value < 0 or value > item.points or value % step != 0:
            return self._refused(item, value)
        return []

    def _refused(self, item: Item, value: Value) -> list[Reason]:
        params = {
            "score": value,
            "item": item.code,
            "max": item.points.normalize(),
            "step": self.step(item).normalize(),
        }
        return [("answer.bad_score", params)]

    def dump(self, value: Value) -> Any:
        return plain(value)  # text: exactly the decimal, never a float

    def load(self, data: Any) -> Value:
        return Decimal(data)

    def fields(self, value: Value) -> dict[str, Any]:
        return {"score": plain(value)}

    # --- scoring -----------------------------------------------------------------------------

    def score(self, item: Item, value: Value) -> tuple[Decimal, tuple[RuleHit, ...]]:
        return min(max(value, ZERO), item.points), ()

    def explain(
        self, item: Item, value: Value, score: Decimal, hits: tuple[RuleHit, ...], lang: str
    ) -> str:
        return tl(lang, "report.direct", points=plain(score))

    def causes(self, item: Item, value: Value, hits: tuple[RuleHit, ...], lang: str) -> list[str]:
        return [tl(lang, "report.direct_cause")]

    # --- the interactive scorer --------------------------------------------------------------

    def parse(self, text: str, item: Item) -> Value:
        """A number; its range and step are checked by ``check``, as for every other way in."""
        number = parse_number(text)
        if number is None:
            raise InputError(
                "scorer.input.want_score",
                text=text,
                max=plain(item.points),
                step=plain(self.step(item)),
            )
        return number

    def card_label(self, lang: str) -> str:
        return tl(lang, "scorer.card.direct")

    def card(self, item: Item, lang: str) -> tuple[CardEntry, ...]:
        text = tl(
            lang,
            "scorer.card.direct_range",
            max=plain(item.points),
            step=plain(self.step(item)),
        )
        return (CardEntry(text),)

    def hint(self, item: Item, lang: str) -> str:
        return tl(lang, "scorer.hint.direct", max=plain(item.points))

    def help(self, lang: str) -> str:
        return tl(lang, "scorer.help.direct")

    # --- the self-assessment template --------------------------------------------------------

    def guide(self, lang: str, sheet: str) -> str:
        return tl(lang, "sa.guide.step4", sheet=sheet, max=MAX_COUNT)

    def cells(self, item: Item, lang: str) -> FormCells:
        points, step = plain(item.points), plain(self.step(item))

        def entry(refs: CellRefs) -> Validation:
            return Validation(
                "decimal",
                tl(lang, "sa.dv.score", max=points, step=step),
                tl(lang, "sa.prompt.score", max=points, step=step),
                high=points,
            )

        def score(refs: CellRefs) -> str:
            given = refs.cell("entry")
            return f'IF({given}="","",MIN(MAX({given}*1,0),{points}))'

        return FormCells(score, (), entry)

    def read_cells(self, item: Item, sheet: CellReader) -> Entered[Value] | Blank | None:
        value = sheet.value()
        if value is UNREADABLE:
            return None
        if is_blank(value):
            return Blank("sa.score_missing")
        try:
            score = cell_number(value)
        except BadNumber as exc:
            if exc.key == "value.too_large":  # a number, far above full marks
                ((key, params),) = self._refused(item, exc.params["number"])
                sheet.fail(None, key, **params)
            else:
                sheet.fail(None, "sa.score_number", value=shown(value))
            return None
        return Entered(score)

    # --- the demo ----------------------------------------------------------------------------

    def sample(self, rng: Random, item: Item, exclusive: frozenset[str]) -> Value:
        """One to three steps below full marks."""
        return item.points - self.step(item) * rng.randint(1, 3)
