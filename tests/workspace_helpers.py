"""Building workspaces for tests."""

from __future__ import annotations

from pathlib import Path

from inspector.core.indicators import load_set
from inspector.store.workspace import Workspace

CITY_UNITS = [
    ("王益区", "区县", "610202", ("关基",)),
    ("印台区", "区县", "610203", ()),
    ("耀州区", "区县", "610204", ()),
    ("市财政局", "市级部门", "FIN", ()),
    ("市卫健委", "市级部门", "HEALTH", ("关基",)),
]


def make_workspace(path: Path, set_path: Path | None = None, units: bool = True) -> Workspace:
    ws = Workspace.create(path)
    ws.new_round(
        "2026年度督查", load_set(set_path), "测试", "test", str(set_path) if set_path else None
    )
    if units:
        ws.add_units(CITY_UNITS, "测试", "test")
    return ws
