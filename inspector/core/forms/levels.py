"""Levels (分档): the assessor picks one level by name; the item scores that level's points.

The YAML block is a list of levels (``name``, ``points``); the highest must equal the item's
points, so "full marks" always means something. An answer is the level's name, written
``level: 仅培训``. On the card each level gets a key, a, b, c…, and may also be chosen by its
points or its name; in the template the unit picks the level from a dropdown list.
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
    join,
    key_of,
    key_range,
    loc,
    normalise,
    parse_number,
    scalar,
)
from inspector.core.forms.cells import (
    UNREADABLE,
    Blank,
    CellReader,
    CellRefs,
    Entered,
    FormCells,
    SubRow,
    Validation,
    is_blank,
    normal,
    shown,
)
from inspector.core.indicators.model import Item, Name, NameEn, Points, Strict
from inspector.core.indicators.rawtree import duplicates, entries, num
from inspector.decimals import plain
from inspector.errors import Problem
from inspector.i18n import tl
from inspector.io.yamlsafe import Located

Value = str  # the level's name


class Level(Strict):
    name: Name
    points: Points
    en: NameEn | None = None


class LevelsForm(Form[Value]):
    key = "levels"
    answer_key = "level"
    spec = list[Level]

    def levels(self, item: Item) -> list[Level]:
        return list(self.block(item) or ())

    def level(self, item: Item, name: str) -> Level | None:
        return next((lv for lv in self.block(item) or () if lv.name == name), None)

    # --- the set -----------------------------------------------------------------------------

    def check_set(
        self, located: Located, path: Path, item: dict[str, Any], points: Decimal | None
    ) -> list[Problem]:
        p: list[Problem] = []
        levels = list(entries(item, self.key, path))
        p += duplicates(located, levels, "name", "level")
        level_points = [(lp, num(lv.get("points"))) for lp, lv in levels]
        for level_path, lv_points in level_points:
            if points is not None and lv_points is not None and lv_points > points:
                p.append(
                    located.problem(
                        (*level_path, "points"),
                        "set.level_exceeds_item",
                        points=plain(lv_points),
                        item=plain(points),
                    )
                )
        known = [v for _, v in level_points if v is not None]
        if (
            points is not None
            and known
            and len(known) == len(level_points)
            and max(known) != points
        ):
            p.append(located.problem((*path, self.key), "set.level_no_full", item=plain(points)))
        if isinstance(item.get(self.key), list) and not item[self.key]:
            p.append(located.problem((*path, self.key), "value.too_few", min_length="1"))
        return p

    def summary(self, item: Item, lang: str) -> str:
        levels = " / ".join(
            f"{loc(lv, 'name', lang)} {plain(lv.points)}" for lv in self.levels(item)
        )
        return tl(lang, "indicators.scoring.levels", levels=levels)

    def standard(self, item: Item, lang: str) -> list[str]:
        return [
            tl(lang, "report.rule.level", name=loc(level, "name", lang), points=plain(level.points))
            for level in self.levels(item)
        ]

    # --- answers -----------------------------------------------------------------------------

    def read(self, raw: Any, at: AnswerReader) -> Value | None:
        level = at.text((), raw)
        if level is None and (raw is None or isinstance(raw, str)):
            at.fail((), "value.empty")
        return level

    def write(self, value: Value) -> str:
        return scalar(value)

    def canonical(self, item: Item, value: Value) -> Value:
        return value.strip()

    def check(self, item: Item, value: Value) -> list[Reason]:
        if self.level(item, value) is None:
            known = join([lv.name for lv in self.levels(item)])
            return [("answer.unknown_level", {"level": value, "item": item.code, "known": known})]
        return []

    def dump(self, value: Value) -> Any:
        return value

    def load(self, data: Any) -> Value:
        return str(data)

    def fields(self, value: Value) -> dict[str, Any]:
        return {"level": value}

    def details(self, value: Value | None) -> dict[str, Any]:
        return {"level": value}

    # --- scoring -----------------------------------------------------------------------------

    def score(self, item: Item, value: Value) -> tuple[Decimal, tuple[RuleHit, ...]]:
        level = self.level(item, value)
        return (level.points if level is not None else Decimal(0)), ()

    def default_problem(
        self, item: Item, value: Value, hits: tuple[RuleHit, ...], lang: str
    ) -> str | None:
        """The level chosen, when it is below full marks."""
        level = self.level(item, value)
        if level is None or level.points >= item.points:
            return None
        return loc(level, "name", lang)

    def explain(
        self, item: Item, value: Value, score: Decimal, hits: tuple[RuleHit, ...], lang: str
    ) -> str:
        level = self.level(item, value)
        name = loc(level, "name", lang) if level is not None else value or "—"
        return tl(lang, "report.level", level=name, points=plain(score))

    def causes(self, item: Item, value: Value, hits: tuple[RuleHit, ...], lang: str) -> list[str]:
        level = self.level(item, value)
        return [loc(level, "name", lang)] if level is not None else []

    # --- the interactive scorer --------------------------------------------------------------

    def parse(self, text: str, item: Item) -> Value:
        """A level by its key (a, b…), its name, or its points."""
        levels = self.levels(item)
        known = key_range(len(levels))
        for i, level in enumerate(levels):
            if text == key_of(i) or text == normalise(level.name):
                return level.name
        number = parse_number(text)
        if number is not None:
            matching = [lv for lv in levels if lv.points == number]
            if len(matching) == 1:
                return matching[0].name
            points = "、".join(plain(lv.points) for lv in levels)
            raise InputError("scorer.input.no_level_points", score=plain(number), points=points)
        raise InputError("scorer.input.bad_level", text=text, keys=known)

    def card_label(self, lang: str) -> str:
        return tl(lang, "scorer.card.levels")

    def card(self, item: Item, lang: str) -> tuple[CardEntry, ...]:
        return tuple(
            CardEntry(
                loc(level, "name", lang),
                key=key_of(i),
                points=tl(lang, "scorer.card.level_pts", points=plain(level.points)),
            )
            for i, level in enumerate(self.levels(item))
        )

    def hint(self, item: Item, lang: str) -> str:
        return tl(lang, "scorer.hint.levels")

    def help(self, lang: str) -> str:
        return tl(lang, "scorer.help.levels")

    def describe(self, item: Item, value: Value, lang: str) -> str:
        level = self.level(item, value)
        name = loc(level, "name", lang) if level is not None else value or ""
        return tl(lang, "scorer.card.level_chosen", level=name)

    # --- the self-assessment template --------------------------------------------------------

    def guide(self, lang: str, sheet: str) -> str:
        return tl(lang, "sa.guide.step3", sheet=sheet, max=MAX_COUNT)

    def cells(self, item: Item, lang: str) -> FormCells:
        levels = self.levels(item)
        rows = tuple(
            SubRow("level", str(i), name=loc(level, "name", lang), points=level.points)
            for i, level in enumerate(levels, start=1)
        )
        first, last = rows[0].id, rows[-1].id

        def entry(refs: CellRefs) -> Validation:
            return Validation(
                "list",
                tl(lang, "sa.dv.level"),
                tl(lang, "sa.prompt.level"),
                source=refs.span("name", first, last, fixed=True),
            )

        def score(refs: CellRefs) -> str:
            names = refs.span("name", first, last, fixed=True)
            values = refs.span("points", first, last, fixed=True)
            chosen = refs.cell("entry")
            return f'IF({chosen}="","",IFERROR(INDEX({values},MATCH({chosen},{names},0)),""))'

        return FormCells(score, rows, entry)

    def read_cells(self, item: Item, sheet: CellReader) -> Entered[Value] | Blank | None:
        value = sheet.value()
        if value is UNREADABLE:
            return None
        if is_blank(value):
            return Blank("sa.level_missing")
        chosen = normal(shown(value))
        names: dict[str, str] = {}
        for level in self.levels(item):
            names[normal(level.name)] = level.name
            if level.en is not None and level.en.name:
                names.setdefault(normal(level.en.name), level.name)
        return Entered(names.get(chosen, chosen))

    # --- the demo ----------------------------------------------------------------------------

    def sample(self, rng: Random, item: Item, exclusive: frozenset[str]) -> Value:
        """A level below the top one, milder levels likelier."""
        levels = self.levels(item)
        top = max(level.points for level in levels)
        lower = [lv for lv in levels if lv.points < top]
        return rng.choices(lower, list(range(len(lower), 0, -1)))[0].name
