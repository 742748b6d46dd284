"""Helpers for the self-assessment tests: a workspace with units, and filling a template the
way a unit clerk would (openpyxl standing in for WPS or Excel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from inspector.core.indicators import load_set
from inspector.selfassess import layout as L
from inspector.store.workspace import Workspace
from tests.conftest import SETS

ROUND = "2026年度督查"
SMALL = SETS / "small.yaml"


def make_workspace(
    folder: Path,
    set_path: Path | None = None,
    units: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] | None = None,
    name: str = "t.db",
) -> Path:
    """A workspace with one round and some units; returns its path."""
    db = folder / name
    ws = Workspace.create(db)
    try:
        loaded = load_set(set_path)
        ws.new_round(ROUND, loaded, "tester", "test", None, "2026-04-30")
        if units is None:
            default = set_path is None
            group = "市级部门" if default else "部门"
            units = (
                ("市财政局", group, "CZJ", ()),
                ("市大数据局", group, None, ("关基",)),
            )
        ws.add_units(units, "tester", "test")
    finally:
        ws.close()
    return db


def rows_by_key(sheet: Any) -> dict[str, int]:
    found = {}
    for row in range(1, sheet.max_row + 1):
        value = sheet[f"{L.KEY}{row}"].value
        if isinstance(value, str):
            found[value] = row
    return found


def cell(path: Path, key: str, column: str = L.ENTRY, sheet: str = "评分表") -> str:
    """The cell reference a message should name, e.g. '评分表!G12'."""
    wb = load_workbook(path)
    try:
        return f"{sheet}!{column}{rows_by_key(wb[sheet])[key]}"
    finally:
        wb.close()


def fill(
    path: Path,
    items: dict[str, Any],
    adjustments: dict[str, dict[str, int]] | None = None,
    out: Path | None = None,
    sheet: str = "评分表",
) -> Path:
    """Enter decisions like an answers file's ``items`` into the template at ``path``."""
    wb = load_workbook(path)
    ws = wb[sheet]
    rows = rows_by_key(ws)
    for code, answer in items.items():
        row = rows[L.key("item", code)]
        if answer == "full":
            continue
        for name, value in answer.items():
            if name == "deduct":
                for rule, count in value.items():
                    ws[f"{L.ENTRY}{rows[L.key('rule', code, rule)]}"] = count
            elif name in ("level", "score"):
                ws[f"{L.ENTRY}{row}"] = value
            elif name == "na":
                ws[f"{L.NA}{row}"] = value
            elif name == "note":
                ws[f"{L.NOTE}{row}"] = value
            elif name == "evidence":
                ws[f"{L.GIVEN}{row}"] = value
            else:
                raise ValueError(name)
    for kind, entries in (adjustments or {}).items():
        for code, count in entries.items():
            ws[f"{L.ENTRY}{rows[L.key(kind, code)]}"] = count
    target = out or path
    wb.save(target)
    return target


SMALL_FULL_ANSWERS = {
    "A1": {"deduct": {"r2": 1}, "note": "仅研究1次"},
    "B1": {"deduct": {"r1": 3}, "evidence": "弱口令整改报告"},
    "B2": {"level": "仅培训"},
    "B3": {"score": 2.5},
}
