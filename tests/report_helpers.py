"""A round with every case the reports must handle, and helpers to read workbooks back."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from inspector.core.assessment import FULL, ItemAnswer
from inspector.core.indicators.model import IndicatorSet
from inspector.reports.data import ReportContext
from inspector.reports.export import Written, context, export_leadership, export_unit
from inspector.store.overview import RoundOverview, UnitStatus, build_overview
from inspector.store.workspace import Workspace
from tests.workspace_helpers import make_workspace

TODAY = date(2026, 11, 28)
INJECTED_UNIT = '=HYPERLINK("http://evil.example","点我")'
LONG_UNIT = "某某市某某新区管理委员会网络安全和信息化工作领导小组办公室（综合协调与技术保障科）"
LONG_PROBLEM = "门户网站后台存在弱口令，" * 40
INJECTED_PROBLEMS = {
    "3.4": "=cmd|' /C calc'!A0",
    "1.1": "@SUM(1+1)*cmd|' /C calc'!A0",
    "1.3": "-2+3 台账\x01缺失\x1f，\x0b未更新",
}
INJECTED_RECTIFY = "+1+1 立即整改"


def answers_for(
    indicators: IndicatorSet,
    group: str,
    tags: tuple[str, ...],
    overrides: Mapping[str, ItemAnswer] | None = None,
    limit: int | None = None,
) -> dict[str, ItemAnswer | None]:
    """Full marks on every applicable item, except ``overrides``; only ``limit`` items."""
    overrides = overrides or {}
    answers: dict[str, ItemAnswer | None] = {}
    for _, item in indicators.items():
        if not item.applies(group, frozenset(tags)):
            continue
        if limit is not None and len(answers) >= limit:
            break
        answers[item.code] = overrides.get(item.code, FULL)
    return answers


def build_city(path: Path) -> Path:
    """The default 5×30 set; units covering: bonus, N/A, aggravated, veto, incomplete,
    not started, no self-assessment, a formula-like name, a very long name, hostile texts."""
    ws = make_workspace(path)
    try:
        ws.add_units([(LONG_UNIT, "区县", None, ())], "测试", "test")
        # the name rule refuses a name starting with "=" now; a workspace from before it may
        # hold one, and the reports must still never write it as a formula
        with ws.transaction():
            ws.conn.execute(
                "INSERT INTO units (name, grp, tags, created_at, uid)"
                " VALUES (?, '市级部门', '[]', 'x', 'u-injected')",
                (INJECTED_UNIT,),
            )
        round_ = ws.round()
        ind = round_.indicators
        units = {u.name: u for u in ws.units()}

        def record(name: str, kind: str, answers: dict, **adjustments: dict) -> None:
            unit = units[name]
            ws.record(round_, unit, kind, "测试", "test", answers, adjustments)  # type: ignore[arg-type]

        wangyi = units["王益区"]
        record(
            "王益区",
            "inspection",
            answers_for(
                ind,
                wangyi.group,
                wangyi.tags,
                {
                    "3.4": ItemAnswer(
                        "deduct",
                        (("r1", 3),),
                        problem=INJECTED_PROBLEMS["3.4"],
                        rectify=INJECTED_RECTIFY,
                    ),
                    "1.1": ItemAnswer("deduct", (("r2", 1),), problem=INJECTED_PROBLEMS["1.1"]),
                    "2.2": ItemAnswer("score", Decimal("2.5")),
                    "4.4": ItemAnswer("level", "仅培训"),
                    "3.3": ItemAnswer("deduct", (("r2", 1),)),
                    "5.1": ItemAnswer("deduct", (("r1", 1),)),
                    "1.4": ItemAnswer("deduct", (("r1", 1),)),
                },
            ),
            bonus={"B1": 2},
        )
        record("王益区", "self", answers_for(ind, wangyi.group, wangyi.tags))

        yintai = units["印台区"]
        overrides = {
            "2.6": ItemAnswer("na", na_reason="门户网站由市政府统一承载"),
            "1.3": ItemAnswer(
                "deduct", (("r1", 1),), problem=INJECTED_PROBLEMS["1.3"], deadline="2026-12-31"
            ),
            "3.2": ItemAnswer("deduct", (("r1", 2), ("r3", 1))),
        }
        inspection = answers_for(ind, yintai.group, yintai.tags, overrides)
        record("印台区", "inspection", inspection, aggravated={"A1": 1})
        record("印台区", "self", inspection)

        yaozhou = units["耀州区"]
        record(
            "耀州区",
            "inspection",
            answers_for(
                ind,
                yaozhou.group,
                yaozhou.tags,
                {
                    "4.5": ItemAnswer("deduct", (("r2", 1),)),
                    "5.4": ItemAnswer("deduct", (("r1", 1),)),
                },
            ),
            veto={"V2": 1},
        )
        record("耀州区", "self", answers_for(ind, yaozhou.group, yaozhou.tags, limit=12))

        finance = units["市财政局"]
        record(
            "市财政局",
            "inspection",
            answers_for(
                ind,
                finance.group,
                finance.tags,
                {"1.2": ItemAnswer("deduct", (("r3", 2),))},
                limit=10,
            ),
        )
        record("市财政局", "self", answers_for(ind, finance.group, finance.tags))

        record("市卫健委", "self", answers_for(ind, "市级部门", ("关基",)))  # never inspected

        record(
            INJECTED_UNIT,
            "inspection",
            answers_for(ind, "市级部门", (), {"5.1": ItemAnswer("deduct", (("r2", 1),))}),
        )
        record(
            LONG_UNIT,
            "inspection",
            answers_for(
                ind,
                "区县",
                (),
                {
                    "3.6": ItemAnswer(
                        "deduct", (("r2", 2),), problem=LONG_PROBLEM, rectify=LONG_PROBLEM
                    )
                },
            ),
        )
        record(LONG_UNIT, "self", answers_for(ind, "区县", ()))
    finally:
        ws.close()
    return path


def build_small(path: Path, set_path: Path) -> Path:
    """The 2-category, 5-item, 50-point test set with three units."""
    ws = make_workspace(path, set_path, units=False)
    try:
        ws.add_units(
            [
                ("甲区", "区县", None, ("关基",)),
                ("乙区", "区县", None, ()),
                ("丙局", "部门", None, ()),
            ],
            "测试",
            "test",
        )
        round_ = ws.round()
        ind = round_.indicators
        units = {u.name: u for u in ws.units()}
        plans = {
            "甲区": {
                "A1": ItemAnswer("deduct", (("r2", 1),), problem="仅研究1次"),
                "A2": ItemAnswer("deduct", (("r1", 1),)),
                "B1": ItemAnswer("deduct", (("r1", 4),)),
                "B2": ItemAnswer("level", "仅培训"),
                "B3": ItemAnswer("score", Decimal("3.5")),
            },
            "乙区": {"B1": ItemAnswer("na", na_reason="无信息系统")},
            "丙局": {"B2": ItemAnswer("level", "未开展")},
        }
        for name, overrides in plans.items():
            unit = units[name]
            answers = answers_for(ind, unit.group, unit.tags, overrides)
            ws.record(round_, unit, "inspection", "测试", "test", answers, {"bonus": {"B1": 1}})
            ws.record(round_, unit, "self", "测试", "test", answers_for(ind, unit.group, unit.tags))
    finally:
        ws.close()
    return path


def open_ws(path: Path) -> Workspace:
    return Workspace.open(path)


@dataclass(frozen=True)
class Case:
    """A workspace to export, the export's context, and the round as the engine sees it all
    at once (``build_overview``): what the streamed workbooks must agree with."""

    db: Path
    ctx: ReportContext
    overview: RoundOverview

    def leadership(self, path: Path) -> Written:
        with open_ws(self.db) as ws:
            return export_leadership(ws, self.ctx, path)

    def unit(self, name: str, path: Path) -> Written:
        with open_ws(self.db) as ws:
            return export_unit(ws, self.ctx, ws.unit(name), path)

    def ordered(self) -> list[UnitStatus]:
        """Units as the ranking sheets list them: groups in the set's order, ranked first."""
        return [status for _, members in self.overview.groups() for status in members]

    def ledger(self) -> list[UnitStatus]:
        """Units as the problem ledger and the detail list them: groups in the set's order,
        then the office's own list."""
        position = {g.code: i for i, g in enumerate(self.ctx.indicators.groups)}
        return sorted(
            self.overview.units,
            key=lambda s: (position.get(s.unit.group, len(position)), s.unit.group, s.unit.id),
        )


def load(db: Path, lang: str = "zh", threshold: Decimal | None = None) -> Case:
    with open_ws(db) as ws:
        ctx = context(ws, None, lang, threshold, TODAY)
        return Case(db, ctx, build_overview(ws, ctx.round))


def status_of(case: Case, name: str) -> UnitStatus:
    status = case.overview.unit(name)
    assert status is not None
    return status


def cells(ws: Any) -> Iterator[Any]:
    for row in ws.iter_rows():
        yield from row


def row_of(ws: Any, column: int, value: object) -> int:
    """The first row whose cell in ``column`` holds ``value``."""
    for row in ws.iter_rows(min_col=column, max_col=column):
        if row[0].value == value:
            return row[0].row
    raise AssertionError(f"{value!r} not in column {column} of {ws.title}")


def row_values(ws: Any, row: int) -> list[Any]:
    return [c.value for c in ws[row]]


def xml_text(path: Path) -> str:
    """Every part of an xlsx file as text, entities decoded, for scanning."""
    import html

    with zipfile.ZipFile(path) as archive:
        parts = [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    text = "\n".join(parts)
    return html.unescape(re.sub(r"<[^>]+>", " ", text)) + "\n" + text


def framed(ws: Any, row: int, column: int) -> bool:
    """The cell prints with thin lines on all four sides: its own border, or a conditional
    format that frames a range holding it (the writer frames empty cells that way)."""
    from openpyxl.utils import get_column_letter

    own = ws.cell(row, column).border
    if all(getattr(own, side).style == "thin" for side in ("left", "right", "top", "bottom")):
        return True
    ref = f"{get_column_letter(column)}{row}"
    for frame in ws.conditional_formatting:
        if ref in frame.sqref:
            for rule in frame.rules:
                border = rule.dxf.border if rule.dxf is not None else None
                if rule.formula == ["1"] and border is not None:
                    sides = (border.left, border.right, border.top, border.bottom)
                    if all(side is not None and side.style == "thin" for side in sides):
                        return True
    return False
