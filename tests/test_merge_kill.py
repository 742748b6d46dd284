"""``kill -9`` during ``inspector merge`` leaves this workspace as before or as after."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspector.core.assessment import FULL, ItemAnswer
from inspector.core.indicators import load_set
from inspector.store.workspace import Workspace
from tests.test_score_pty import environment

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX"),
    pytest.mark.slow,
]
UNITS = 300


def build(source: Path, target: Path) -> None:
    loaded = load_set()
    with Workspace.create(target) as empty:
        empty.new_round("2026年度督查", loaded, "t", "t")
    with Workspace.create(source) as ws:
        ws.new_round("2026年度督查", loaded, "t", "t")
        units = ws.add_units(
            [(f"单位{i:03d}", "市级部门", None, ()) for i in range(UNITS)], "李娜", "t"
        )
        round_ = ws.round()
        items = [i for _, i in loaded.indicators.items() if i.applies("市级部门", frozenset())]
        answers: dict[str, ItemAnswer | None] = {i.code: FULL for i in items}
        with ws.transaction():
            for unit in units:
                ws.record(round_, unit, "inspection", "李娜", "t", answers)


def test_kill_at_any_moment_leaves_before_or_after(tmp_path: Path) -> None:
    source, target = tmp_path / "laptop.db", tmp_path / "office.db"
    build(source, target)
    seen = set()
    for n, delay in enumerate((0.2, 0.35, 0.5, 0.65, 0.8, 1.0, 1.3, 1.8)):
        copy = tmp_path / f"copy{n}.db"
        shutil.copy(target, copy)
        child = subprocess.Popen(
            [sys.executable, "-m", "inspector", "merge", str(source), "--db", str(copy)],
            env=environment(copy),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        with Workspace.open(copy) as ws:
            assert ws.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            units = ws.conn.execute("SELECT COUNT(*) FROM units").fetchone()[0]
            answers = ws.conn.execute("SELECT COUNT(*) FROM item_answers").fetchone()[0]
            merges = ws.conn.execute("SELECT COUNT(*) FROM merges").fetchone()[0]
        assert (units, merges) in {(0, 0), (UNITS, 1)}
        assert answers == (0 if units == 0 else UNITS * 29)
        seen.add(units)
    assert UNITS in seen  # the longest wait lets it finish
