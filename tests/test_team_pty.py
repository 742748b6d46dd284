"""Two inspectors score the same unit in two real pseudo-terminals (issue 10): the second
is told who has it open, a save over the other's decision is refused and shown side by side,
and nothing is lost in any order of saves."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pexpect
import pytest

from inspector.store.workspace import Workspace
from tests.test_score_pty import UNIT, Terminal, cli, environment

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty"),
    pytest.mark.slow,
]


class Inspector(Terminal):
    """``inspector score`` as one named inspector."""

    def __init__(self, db: Path, who: str) -> None:
        env = environment(db)
        env["INSPECTOR_USER"] = who
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "inspector", "score", UNIT],
            env=env,
            dimensions=(24, 80),
            encoding="utf-8",
            timeout=30,
        )
        self.log = ""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ws.db"
    assert cli(path, "init", "--name", "2026年度督查").returncode == 0
    assert cli(path, "units", "add", UNIT, "--group", "市级部门").returncode == 0
    return path


def stored(db: Path) -> dict[str, tuple[str, str]]:
    with Workspace.open(db) as ws:
        got = ws.assessment(ws.round(), ws.unit(UNIT), "inspection")
        return {c: (s.answer.form, s.scored_by) for c, s in got.items.items()}


def test_two_terminals_on_one_unit_lose_nothing(db: Path) -> None:
    wang = Inspector(db, "王磊")
    screen = wang.wait("1.1> ")
    assert "王磊" in screen  # the header names the inspector
    li = Inspector(db, "李娜")
    screen = li.wait("1.1> ")
    assert "注意：王磊" in screen and "正在为“市财政局”评分" in screen

    # 王磊 records a deduction on 1.1; 李娜, whose card still shows 1.1 unscored, presses Enter
    wang.type("a /p 全年未专题研究", "1.2> ")
    screen = li.type("", "e 重新编辑> ")
    assert "1.1 在本卡片显示后已被他人修改" in screen
    assert "对方（王磊" in screen and "全年未专题研究" in screen
    assert stored(db)["1.1"] == ("deduct", "王磊")  # her Enter did not overwrite it
    li.type("t", "1.2> ")  # she takes his decision and goes on

    # now 李娜 saves 1.2 first; 王磊's Enter on his stale card asks; he keeps his
    li.type("b", "1.3> ")
    screen = wang.type("", "e 重新编辑> ")
    assert "对方（李娜" in screen
    wang.type("k", "1.3> ")
    assert stored(db) == {"1.1": ("deduct", "王磊"), "1.2": ("full", "王磊")}

    # both type at once on different items: both kept
    wang.type("", "1.4> ")
    li.type("/g 1.4", "1.4> ")
    li.type("", "1.3> ")  # back where she jumped from
    assert set(stored(db)) == {"1.1", "1.2", "1.3", "1.4"}

    for term in (wang, li):
        term.child.sendline("/q")
        status, _ = term.finish()
        assert status == 0
    # every save is in the log, with who made it: 李娜's 1.2 was overwritten knowingly
    log = json.loads(cli(db, "log", UNIT, "--json").stdout)
    saves = [(e["target"], e["who"]) for e in log if e["target"].startswith("item:")]
    assert saves == [
        ("item:1.1", "王磊"),
        ("item:1.2", "李娜"),
        ("item:1.2", "王磊"),
        ("item:1.3", "王磊"),
        ("item:1.4", "李娜"),
    ]
    with Workspace.open(db) as ws:  # both sessions ended: their leases are gone
        assert ws.conn.execute("SELECT COUNT(*) FROM leases").fetchone()[0] == 0


def test_a_killed_session_leaves_no_warning_behind(db: Path) -> None:
    first = Inspector(db, "王磊")
    first.wait("1.1> ")
    first.child.kill(9)
    first.child.close()
    second = Inspector(db, "李娜")
    screen = second.wait("1.1> ")
    assert "注意" not in screen  # the lease of a process gone from this machine is dropped
    second.child.sendline("/q")
    assert second.finish()[0] == 0


def adjustments(db: Path) -> dict[str, dict[str, int]]:
    with Workspace.open(db) as ws:
        got = ws.assessment(ws.round(), ws.unit(UNIT), "inspection")
    return {kind: got.adjustments(kind) for kind in ("veto", "aggravated", "bonus")}


def test_two_review_screens_lose_no_entry(db: Path) -> None:
    """Both review screens are open; 王磊 records A3, then 李娜, whose screen still shows no
    entry, records A1: refused with what is stored now, and kept once she types it again."""
    wang, li = Inspector(db, "王磊"), Inspector(db, "李娜")
    for term in (wang, li):
        term.wait("1.1> ")
        term.type("/v", "复核> ")
    wang.type("A3", "复核> ")
    assert adjustments(db)["aggravated"] == {"A3": 1}
    screen = li.type("A1", "复核> ")
    flat = "".join(screen.split())
    assert "加重扣分条目在本页显示后已被他人修改，未保存" in flat and "现在记录的是：A3" in flat
    assert adjustments(db)["aggravated"] == {"A3": 1}
    li.type("A1", "复核> ")
    assert adjustments(db)["aggravated"] == {"A1": 1, "A3": 1}
    for term in (wang, li):
        term.child.sendline("/q")
        assert term.finish()[0] == 0
