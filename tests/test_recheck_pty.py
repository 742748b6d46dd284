"""Re-inspection in a real pseudo-terminal (pexpect, 80×24): close one problem, fail another
with its reason, interrupt with Ctrl-C, resume, go back and change a decision. After each
step the test opens the workspace to see what it holds."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

import inspector
from inspector.store import ledger as L
from inspector.store.workspace import Workspace
from tests.ledger_support import finance_round
from tests.test_recheck import N1, N3, N4, UNIT, reported, state

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty"),
    pytest.mark.slow,
]

ROOT = Path(inspector.__file__).resolve().parent.parent
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")


def environment(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(INSPECTOR_DB=str(db), INSPECTOR_LANG="zh", INSPECTOR_USER="李娜", TERM="xterm",
               LANG="C.UTF-8", LC_ALL="C.UTF-8")  # fmt: skip
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env


class Terminal:
    def __init__(self, db: Path) -> None:
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "inspector", "recheck", UNIT],
            env=environment(db),
            dimensions=(24, 80),
            encoding="utf-8",
            timeout=30,
        )
        self.child.delaybeforesend = None  # type these lines as fast as a person never could

    def wait(self, text: str) -> str:
        self.child.expect_exact(text)
        return ESCAPES.sub("", self.child.before + self.child.after)

    def send(self, line: str) -> None:
        self.child.sendline(line)

    def finish(self) -> tuple[str, int]:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return ESCAPES.sub("", self.child.before), self.child.exitstatus


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = finance_round(tmp_path)
    reported(path, N1, N3, N4)
    return path


def test_decide_interrupt_and_resume(db: Path) -> None:
    term = Terminal(db)
    screen = term.wait(f"{N1}> ")
    assert "第 1/3 项" in screen and "仅研究1次" in screen and "整改报告.pdf" in screen
    term.send("y 已现场核实")
    screen = term.wait(f"{N3}> ")
    assert f"✓ {N1} 已销号" in screen
    assert state(db)[N1] == (L.CLOSED, "passed", "已现场核实")  # saved at once
    term.send("n")
    term.wait("复查未通过的原因")
    term.send("弱口令仍未全部修改")
    term.wait(f"{N4}> ")
    assert state(db)[N3] == (L.IN_PROGRESS, "failed", "弱口令仍未全部修改")
    term.child.sendintr()  # Ctrl-C
    tail, code = term.finish()
    assert code == 130
    said = tail.replace("\n", "")
    assert "已中断" in said and "均已保存" in said and f"recheck {UNIT}" in said
    assert "Traceback" not in tail
    assert state(db)[N4] == (L.DONE, None, None)

    again = Terminal(db)  # resumes with what still awaits re-inspection
    screen = again.wait(f"{N4}> ")
    assert "第 1/1 项" in screen
    again.send("y")
    tail, code = again.finish()
    assert code == 0 and "复查完成" in tail
    assert state(db)[N4][0] == L.CLOSED


def test_back_changes_the_decision_just_made(db: Path) -> None:
    term = Terminal(db)
    term.wait(f"{N1}> ")
    term.send("y")
    term.wait(f"{N3}> ")
    term.send("<")
    screen = term.wait(f"{N1}> ")
    assert "已销号（本次复查通过）" in screen
    term.send("n 纪要缺少签字")
    term.wait(f"{N3}> ")
    term.send("q")
    _, code = term.finish()
    assert code == 0
    with Workspace.open(db) as ws:
        entry = L.by_number(ws.conn, ws.round().id, N1)
        assert entry is not None
        assert (entry.status, entry.recheck_note, entry.closed_on) == (
            L.IN_PROGRESS,
            "纪要缺少签字",
            None,
        )
        actions = [c.action for c in L.history(ws.conn, entry.uid)]
    assert actions[-2:] == ["recheck_passed", "recheck_failed"]
