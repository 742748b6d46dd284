"""Defects found while hardening that live in other parts of the package, and that the hostile
corpus cannot express as one command. Each test is what would catch the defect; each is a
strict expected failure naming the owner, so it turns into a failure (XPASS) the day the fix
lands and the mark must go."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector.errors import InspectorError
from inspector.store.workspace import Workspace
from tests.selfassess_support import SMALL, make_workspace


def test_a_full_disk_is_a_clear_error_and_nothing_is_half_written(tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL, name="ws.db")
    ws = Workspace.open(db)
    try:
        before = len(ws.units())
        pages = ws.conn.execute("PRAGMA page_count").fetchone()[0]
        ws.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on
        many = [(f"单位{i}" + "很长的名称" * 5, "部门", None, ()) for i in range(2000)]
        with pytest.raises(InspectorError) as info:
            ws.add_units(many, "tester", "test")
        assert info.value.exit_code == 3
        assert len(ws.units()) == before
    finally:
        ws.close()
