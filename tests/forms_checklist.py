"""A scoring form that exists only in the test suite: a yes/no checklist (核对清单).

It proves that a new form is one module plus its messages: nothing outside this file knows
it. Each check is met or missed; a missed check takes its points.

    checklist:
      - {id: c1, text: 建立资产台账, points: 3}
      - {id: c2, text: 台账明确责任人, points: 2}

An answer is the checks missed, ``missed: [c2]``; on the card a line of y/n, one letter per
check (``yny``); in the template one row per check with a 是/否 dropdown.
"""

from __future__ import annotations

from decimal import Decimal
from random import Random
from typing import Any

from inspector.core.forms.base import (
    AnswerReader,
    CardEntry,
    Form,
    InputError,
    Path,
    Reason,
    RuleHit,
    join,
    loc,
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
from inspector.core.indicators.model import Code, NameEn, PositivePoints, Strict, Text
from inspector.core.indicators.rawtree import duplicates, entries, num
from inspector.decimals import plain
from inspector.errors import Problem
from inspector.i18n import tl
from inspector.io.yamlsafe import Located

Value = tuple[str, ...]  # the ids of the checks missed, in the set's order


class Check(Strict):
    id: Code
    text: Text
    points: PositivePoints
    en: NameEn | None = None


class ChecklistForm(Form[Value]):
    key = "checklist"
    answer_key = "missed"
    spec = list[Check]

    def checks(self, item: Any) -> list[Check]:
        return list(self.block(item) or ())

    def check_of(self, item: Any, check_id: str) -> Check | None:
        return next((c for c in self.checks(item) if c.id == check_id), None)

    # the set
    def check_set(
        self, located: Located, path: Path, item: dict[str, Any], points: Decimal | None
    ) -> list[Problem]:
        found = list(entries(item, self.key, path))
        problems = duplicates(located, found, "id", "rule")
        values = [num(c.get("points")) for _, c in found]
        if points is not None and found and None not in values:
            total = sum(values, Decimal(0))  # type: ignore[arg-type]
            if total != points:
                problems.append(
                    located.problem(
                        (*path, self.key),
                        "forms.checklist.sum",
                        checks=plain(total),
                        item=plain(points),
                    )
                )
        return problems

    def set_json(self, item: Any) -> dict[str, Any]:
        return {"checks": len(self.checks(item))}

    def summary(self, item: Any, lang: str) -> str:
        return tl(lang, "forms.checklist.summary", count=len(self.checks(item)))

    def standard(self, item: Any, lang: str) -> list[str]:
        return [
            tl(lang, "forms.checklist.line", text=c.text, points=plain(c.points))
            for c in self.checks(item)
        ]

    # answers
    def read(self, raw: Any, at: AnswerReader) -> Value | None:
        if not isinstance(raw, list):
            at.fail((), "value.list")
            return None
        ids = [at.text((i,), v) for i, v in enumerate(raw)]
        return tuple(i for i in ids if i is not None)

    def write(self, value: Value) -> str:
        return "[" + ", ".join(scalar(v) for v in value) + "]"

    def canonical(self, item: Any, value: Value) -> Value:
        order = {c.id: i for i, c in enumerate(self.checks(item))}
        return tuple(sorted(set(value), key=lambda v: (order.get(v, len(order)), v)))

    def check(self, item: Any, value: Value) -> list[Reason]:
        if not value:
            return [("forms.checklist.none", {"item": item.code})]
        known = join([c.id for c in self.checks(item)])
        return [
            ("forms.checklist.unknown", {"check": v, "item": item.code, "known": known})
            for v in value
            if self.check_of(item, v) is None
        ]

    def dump(self, value: Value) -> Any:
        return list(value)

    def load(self, data: Any) -> Value:
        return tuple(data)

    def fields(self, value: Value) -> dict[str, Any]:
        return {"missed": list(value)}

    def details(self, value: Value | None) -> dict[str, Any]:
        return {"missed": list(value) if value is not None else None}

    # scoring
    def score(self, item: Any, value: Value) -> tuple[Decimal, tuple[RuleHit, ...]]:
        hits = tuple(
            RuleHit(c.id, 1, c.points) for v in value if (c := self.check_of(item, v)) is not None
        )
        return max(item.points - sum((h.points for h in hits), Decimal(0)), Decimal(0)), hits

    def default_problem(
        self, item: Any, value: Value, hits: tuple[RuleHit, ...], lang: str
    ) -> str | None:
        texts = [loc(c, "text", lang) for h in hits if (c := self.check_of(item, h.rule))]
        return tl(lang, "forms.checklist.problem", texts="、".join(texts)) if texts else None

    def explain(
        self, item: Any, value: Value, score: Decimal, hits: tuple[RuleHit, ...], lang: str
    ) -> str:
        texts = "、".join(c.text for h in hits if (c := self.check_of(item, h.rule)))
        return tl(lang, "forms.checklist.explain", texts=texts, points=plain(item.points - score))

    def causes(self, item: Any, value: Value, hits: tuple[RuleHit, ...], lang: str) -> list[str]:
        return [c.text for h in hits if (c := self.check_of(item, h.rule))]

    # the interactive scorer
    def parse(self, text: str, item: Any) -> Value:
        letters = text.replace(" ", "")
        checks = self.checks(item)
        if len(letters) != len(checks) or set(letters) - {"y", "n"}:
            raise InputError("forms.checklist.want_yn", count=len(checks))
        return tuple(c.id for c, yes in zip(checks, letters, strict=True) if yes == "n")

    def card_label(self, lang: str) -> str:
        return tl(lang, "forms.checklist.label")

    def card(self, item: Any, lang: str) -> tuple[CardEntry, ...]:
        return tuple(
            CardEntry(c.text, key=str(i), points=f"-{plain(c.points)}")
            for i, c in enumerate(self.checks(item), start=1)
        )

    def hint(self, item: Any, lang: str) -> str:
        return tl(lang, "forms.checklist.hint", count=len(self.checks(item)))

    def help(self, lang: str) -> str:
        return tl(lang, "forms.checklist.help")

    def describe(self, item: Any, value: Value, lang: str) -> str:
        return tl(lang, "forms.checklist.describe", checks=" ".join(value))

    # the template
    def guide(self, lang: str, sheet: str) -> str:
        return tl(lang, "forms.checklist.guide", sheet=sheet)

    def cells(self, item: Any, lang: str) -> FormCells:
        yes_no = Validation(
            "list",
            tl(lang, "forms.checklist.dv"),
            tl(lang, "forms.checklist.prompt"),
            source='"'
            + tl(lang, "forms.checklist.yes")
            + ","
            + tl(lang, "forms.checklist.no")
            + '"',
        )
        no = tl(lang, "forms.checklist.no")
        rows = tuple(
            SubRow(
                "check",
                c.id,
                code=c.id,
                name=c.text,
                points=plain(c.points),
                input=yes_no,
                score=lambda refs, c=c: (
                    f'IF({refs.cell("entry", c.id)}="{no}",{plain(c.points)},0)'
                ),
                score_format=tl(lang, "sa.format.rule"),
            )
            for c in self.checks(item)
        )
        first, last = rows[0].id, rows[-1].id

        def score(refs: CellRefs) -> str:
            return f"MAX(0,{plain(item.points)}-SUM({refs.span('score', first, last)}))"

        return FormCells(score, rows)

    def read_cells(self, item: Any, sheet: CellReader) -> Entered[Value] | Blank | None:
        missed: list[str] = []
        failed = False
        noes = {"否", "no", "n"}
        yeses = {"是", "yes", "y"}
        for c in self.checks(item):
            value = sheet.value(c.id)
            if value is UNREADABLE:
                failed = True
                continue
            if is_blank(value):
                continue
            said = normal(shown(value)).lower()
            if said in noes:
                missed.append(c.id)
            elif said not in yeses:
                sheet.fail(c.id, "forms.checklist.yes_no", value=shown(value))
                failed = True
        if failed:
            return None
        return Entered(tuple(missed), at=missed[0]) if missed else Blank()

    def reason_row(self, item: Any, key: str, params: dict[str, Any]) -> str | None:
        check = params.get("check")
        return check if isinstance(check, str) and self.check_of(item, check) else None

    # the demo
    def sample(self, rng: Random, item: Any, exclusive: frozenset[str]) -> Value:
        return (rng.choice(self.checks(item)).id,)


MESSAGES = {
    "zh": {
        "forms.checklist.sum": "各核对项分值之和 {checks} 应等于本项分值 {item}",
        "forms.checklist.summary": "核对 {count} 项",
        "forms.checklist.line": "{text}：未达标扣{points}分",
        "forms.checklist.none": "指标 {item} 未列出未达标的核对项；全部达标请记为满分",
        "forms.checklist.unknown": "指标 {item} 没有核对项“{check}”（可用：{known}）",
        "forms.checklist.problem": "未达标：{texts}",
        "forms.checklist.explain": "未达标：{texts}，扣{points}分",
        "forms.checklist.want_yn": "本项逐项核对：输入 {count} 个 y（达标）或 n（未达标），如 yny。",
        "forms.checklist.label": "核对",
        "forms.checklist.hint": "y/n×{count} 核对",
        "forms.checklist.help": "yny|核对项：每项一个 y（达标）或 n（未达标）",
        "forms.checklist.describe": "，未达标 {checks}",
        "forms.checklist.guide": "核对项：在“{sheet}”每个核对项的行中选择“是”或“否”。",
        "forms.checklist.dv": "请选择“是”或“否”。",
        "forms.checklist.prompt": "本单位达到该项要求选“是”，未达到选“否”。",
        "forms.checklist.yes": "是",
        "forms.checklist.no": "否",
        "forms.checklist.yes_no": "应选择“是”或“否”，而不是“{value}”",
    },
    "en": {
        "forms.checklist.sum": "the checks add up to {checks}, not the item's {item} points",
        "forms.checklist.summary": "{count} checks",
        "forms.checklist.line": "{text}: {points} if missed",
        "forms.checklist.none": "item {item} names no missed check; record full marks instead",
        "forms.checklist.unknown": "item {item} has no check {check} (known: {known})",
        "forms.checklist.problem": "Missed: {texts}",
        "forms.checklist.explain": "Missed: {texts}, {points} off",
        "forms.checklist.want_yn": "Type {count} letters, y (met) or n (missed), e.g. yny.",
        "forms.checklist.label": "Checks",
        "forms.checklist.hint": "y/n×{count} checks",
        "forms.checklist.help": "yny|a checklist: one y (met) or n (missed) per check",
        "forms.checklist.describe": ", missed {checks}",
        "forms.checklist.guide": "Checks: choose Yes or No on each check's row of “{sheet}”.",
        "forms.checklist.dv": "Choose Yes or No.",
        "forms.checklist.prompt": "Yes if your unit meets the check, No if not.",
        "forms.checklist.yes": "Yes",
        "forms.checklist.no": "No",
        "forms.checklist.yes_no": "choose Yes or No, not “{value}”",
    },
}
