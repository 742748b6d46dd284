"""The scorer a team trusts, in a real pseudo-terminal (pexpect): a direct score below full
asks for its problem, a cap reached says so, words point to /q and ?, a stray Enter asks once,
provisional totals, review codes only as the set writes them, and a narrow terminal (50×14)
still shows the rules, the self-assessment and the input line. After each step the test reads
the screen and opens the workspace."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pexpect
import pytest

from inspector.core.assessment import ItemAnswer
from tests.test_score_pty import CODES, UNIT, Terminal, answered, cli, environment, held

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty"),
    pytest.mark.slow,
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ws.db"
    assert cli(path, "init", "--name", "2026年度督查").returncode == 0
    assert cli(path, "units", "add", UNIT, "--group", "市级部门").returncode == 0
    own = tmp_path / "self.yaml"
    own.write_text('unit: 市财政局\nitems:\n  "1.3": {deduct: {r1: 1}}\n', encoding="utf-8")
    assert cli(path, "score", UNIT, "--self", "--answers", str(own)).returncode == 0
    return path


def flat(screen: str) -> str:
    return screen.replace("\n", "")


def test_a_scorer_a_team_can_trust(db: Path) -> None:
    term = Terminal(db)
    screen = term.wait("1.1> ")
    assert "第 1/29 项  暂计 100（已评 0/29）" in screen

    # words people type point to the commands; nothing is recorded
    screen = term.type("退出", "1.1> ")
    assert "“退出”不是命令：退出请输入 /q" in flat(screen)
    screen = term.type("help", "1.1> ")
    assert "“help”不是命令：帮助请输入 ?" in flat(screen)
    assert answered(db) == {}

    # a cap reached says so, in the card's keys
    screen = term.type("d9", "1.2> ")
    assert "扣 d×9 → 已达上限，扣1分" in flat(screen)
    assert answered(db) == {"1.1": ItemAnswer("deduct", (("r4", 9),))}
    assert "暂计 98.95（已评 1/29）" in screen
    screen = term.type("a2", "1.2> ")
    assert "“a”不是按次计的条目" in flat(screen) and "“r1”" not in screen

    # a stray Enter on an item the unit's self-assessment took points from asks once
    term.type("", "1.3> ")
    screen = term.type("", "1.3> ")
    assert "单位自评 1.3 扣了" in flat(screen) and "再按一次回车" in flat(screen)
    assert "1.3" not in answered(db)
    term.type("", "1.4> ")
    assert answered(db)["1.3"] == ItemAnswer("full")

    # a direct score below full asks for its problem
    term.type("/g 2.2", "2.2> ")
    screen = term.type("2.5", "> ")
    assert "2.2 得分低于满分，请写明存在的问题" in flat(screen)
    screen = term.type("资产台账缺少2个系统", "1.4> ")
    assert "✓ 2.2 已保存：2.5/3分；问题：资产台账缺少2个系统" in flat(screen)
    assert answered(db)["2.2"] == ItemAnswer("score", Decimal("2.5"), problem="资产台账缺少2个系统")

    # the review before everything is scored: provisional, no grade
    screen = term.type("/v", "复核> ")
    assert "评完全部指标后给出等次" in flat(screen) and "等次 优秀" not in screen
    term.child.sendline("/q")
    status, _ = term.finish()
    assert status == 0

    # finish, then codes only as the set writes them
    term = Terminal(db)
    term.wait("1.4> ")
    for code in CODES[CODES.index("1.4") + 1 :]:  # Enter keeps 2.2 as it is
        term.type("", f"{code}> ")
    screen = term.type("", "复核> ")
    assert "等次" in screen and "暂计" not in screen.split("复核")[-1]
    screen = term.type("v2", "复核> ")
    assert "“v2”与本指标体系的写法不符：请照原样输入 V2" in flat(screen)
    assert held(db).veto == frozenset()
    screen = term.type("A3×4", "复核> ")
    assert "A3×4 → 已达上限，扣6分" in flat(screen)
    assert held(db).aggravated == {"A3": 4}
    term.child.sendline("/q")
    assert term.finish()[0] == 0


def test_a_narrow_terminal_keeps_what_scoring_needs(db: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "inspector", "score", UNIT, "--db", str(db)],
        env=environment(db),
        dimensions=(14, 50),
        encoding="utf-8",
        timeout=30,
    )
    term = Terminal.__new__(Terminal)
    term.child, term.log = child, ""
    term.wait("1.1> ")
    term.type("", "1.2> ")
    screen = term.type("", "1.3> ")
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) <= 14
    assert any(line.startswith("扣分 a") for line in lines)
    assert any(line.startswith("自评") for line in lines)  # the unit's deduction on 1.3
    assert "暂计 100（已评 2/29）" in lines[0]  # the header cuts the name, not a figure
    child.sendline("/q")
    assert term.finish()[0] == 0
    assert set(answered(db)) == {"1.1", "1.2"}
