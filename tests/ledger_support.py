"""Helpers for the ledger tests: a small round with problems, and filling a rectification
workbook the way a unit clerk would (openpyxl standing in for WPS or Excel)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from inspector.app import recording
from inspector.core.assessment import ItemAnswer
from inspector.rectify import layout as RL
from inspector.store import ledger as L
from inspector.store.workspace import Workspace
from tests.selfassess_support import SMALL, make_workspace

ROUND = "2026年度督查"
TODAY = date(2026, 5, 10)  # after the round's deadline (2026-04-30)
UNITS = (
    ("市财政局", "部门", "CZJ", ()),
    ("市教育局", "部门", "JYJ", ()),
    ("市大数据局", "部门", None, ("关基",)),
)
# 市财政局's inspection: a rule with the inspector's words, a rule three times, a level, a
# direct score (no words: its deduction speaks), and an aggravated deduction
FINANCE = {
    "A1": ItemAnswer("deduct", (("r2", 1),), problem="仅研究1次", rectify="每年至少专题研究2次"),
    "A2": None,
    "B1": ItemAnswer("deduct", (("r1", 3),)),
    "B2": ItemAnswer("level", "仅培训", deadline="2026-06-30"),
    "B3": ItemAnswer("score", Decimal("2.5")),
}
FULL_MARKS = {"A1": ItemAnswer("full"), "B1": ItemAnswer("full"), "B2": ItemAnswer("full"),
              "B3": ItemAnswer("full")}  # fmt: skip


def small_round(folder: Path, name: str = "t.db") -> Path:
    return make_workspace(folder, SMALL, units=UNITS, name=name)


def score(
    ws: Workspace,
    unit: str,
    items: Mapping[str, ItemAnswer | None],
    *,
    confirm: bool = True,
    reopen: bool = False,
    adjustments: Mapping[str, Mapping[str, int]] | None = None,
    who: str = "王磊",
    round_name: str | None = None,
) -> recording.Recorded:
    round_ = ws.round(round_name)
    return recording.record(
        ws,
        round_,
        ws.unit(unit),
        "inspection",
        who=who,
        command="test",
        items={k: v for k, v in items.items() if v is not None},
        adjustments=adjustments,  # type: ignore[arg-type]
        confirm=confirm,
        reopen=reopen,
    )


def finance_round(folder: Path) -> Path:
    """The small round with 市财政局 inspected and confirmed (5 problems: A1, B1, B2, B3 and
    the aggravated A1) and 市教育局 inspected but not confirmed (1 provisional problem)."""
    db = small_round(folder)
    with Workspace.open(db) as ws:
        score(ws, "市财政局", FINANCE, adjustments={"aggravated": {"A1": 1}})
        score(
            ws, "市教育局", {**FULL_MARKS, "B1": ItemAnswer("deduct", (("r2", 1),))}, confirm=False
        )
    return db


def entries(db: Path, unit: str | None = None, round_name: str | None = None) -> list[L.Entry]:
    with Workspace.open(db) as ws:
        round_ = ws.round(round_name)
        ids = [ws.unit(unit).id] if unit else None
        return L.entries(ws.conn, round_.id, ids)


def by_code(db: Path, unit: str = "市财政局") -> dict[tuple[str, str], L.Entry]:
    return {(e.source, e.code): e for e in entries(db, unit)}


def rows_by_number(sheet: Any) -> dict[str, int]:
    found = {}
    for row in range(1, sheet.max_row + 1):
        value = sheet[f"{RL.KEY}{row}"].value
        if isinstance(value, str) and value != RL.HEADER_KEY:
            found[value] = row
    return found


def fill(
    path: Path,
    rows: Mapping[str, Mapping[str, object]],
    out: Path | None = None,
    sheet: str = "整改台账",
) -> Path:
    """Enter values by problem number and column letter (``{"F": "已整改", "G": date}``)."""
    wb = load_workbook(path)
    ws = wb[sheet]
    where = rows_by_number(ws)
    for number, cells in rows.items():
        for column, value in cells.items():
            ws[f"{column}{where[number]}"] = value
    target = out or path
    wb.save(target)
    return target


def done(day: str = "2026-05-01", measures: str = "已整改") -> dict[str, object]:
    return {"F": "已整改", "G": date.fromisoformat(day), "H": "信息科", "I": "张三", "J": measures}


def ledger_state(db: Path) -> list[tuple[Any, ...]]:
    """Everything the ledger holds (entries and changes), to prove a refusal changed nothing."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT * FROM ledger ORDER BY id").fetchall()
        rows += conn.execute("SELECT * FROM ledger_changes ORDER BY id").fetchall()
        rows += conn.execute("SELECT COUNT(*) FROM audit").fetchall()
        return rows
    finally:
        conn.close()
