"""The guided scorer in a real pseudo-terminal (pexpect, 80×24): score a unit, interrupt it
with Ctrl-C, resume, go back, mark N/A, finish the review and confirm. After each step the
test reads the screen (the output since the last clear-screen, escape codes removed) and
opens the workspace to see what it holds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pexpect
import pytest

import inspector
from inspector.core.assessment import ItemAnswer
from inspector.core.indicators import load_set
from inspector.store.workspace import StoredAssessment, Workspace

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty"),
    pytest.mark.slow,
]

ROOT = Path(inspector.__file__).resolve().parent.parent
UNIT = "市财政局"
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")
CLEAR = "\x1b[2J"
CODES = [item.code for _, item in load_set(None).indicators.items() if item.code != "3.3"]


def environment(db: Path, lang: str = "zh") -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(
        INSPECTOR_DB=str(db),
        INSPECTOR_LANG=lang,
        INSPECTOR_USER="王磊",
        TERM="xterm",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector", *args],
        env=environment(db),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


class Terminal:
    """``inspector score`` running in an 80×24 pseudo-terminal."""

    def __init__(self, db: Path, *args: str) -> None:
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "inspector", "score", UNIT, *args],
            env=environment(db),
            dimensions=(24, 80),
            encoding="utf-8",
            timeout=30,
        )
        self.log = ""

    def wait(self, text: str) -> str:
        """Wait for ``text`` (a prompt) and return the screen it ends."""
        self.child.expect_exact(text)
        self.log += self.child.before + self.child.after
        return self.screen()

    def type(self, line: str, prompt: str) -> str:
        self.child.sendline(line)
        return self.wait(prompt)

    def screen(self) -> str:
        return ESCAPES.sub("", self.log.rsplit(CLEAR, 1)[-1])

    def finish(self) -> tuple[int, str]:
        self.child.expect(pexpect.EOF)
        self.log += self.child.before
        self.child.close()
        tail = ESCAPES.sub("", self.log.rsplit(CLEAR, 1)[-1])
        return self.child.exitstatus if self.child.exitstatus is not None else -1, tail


def held(db: Path, kind: str = "inspection") -> StoredAssessment:
    with Workspace.open(db) as ws:
        return ws.assessment(ws.round(), ws.unit(UNIT), kind)  # type: ignore[arg-type]


def answered(db: Path) -> dict[str, ItemAnswer]:
    return {code: s.answer for code, s in held(db).items.items()}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ws.db"
    assert cli(path, "init", "--name", "2026年度督查").returncode == 0
    assert cli(path, "units", "add", UNIT, "--group", "市级部门").returncode == 0
    return path


def test_score_interrupt_resume_back_na_review_confirm(db: Path, tmp_path: Path) -> None:
    term = Terminal(db)
    screen = term.wait("1.1> ")
    assert "第 1/29 项" in screen
    assert "1.1 党委（党组）研究部署（4分）" in screen
    assert "扣分 a r1 -4" in screen
    assert "回车 满分" in screen
    assert len(screen.rstrip("\n").split("\n")) <= 24
    assert all(len(line) <= 80 for line in screen.split("\n"))

    term.type("", "1.2> ")
    term.type("c2 /p 财务科、信息科未签订责任书", "1.3> ")
    screen = term.type("", "1.4> ")
    assert "✓ 1.3 已保存：4/4分（满分）" in screen
    assert set(answered(db)) == {"1.1", "1.2", "1.3"}

    # refused input is explained and records nothing
    screen = term.type("b2", "1.4> ")
    assert "只能计 1 次" in screen
    assert set(answered(db)) == {"1.1", "1.2", "1.3"}
    screen = term.type("b", "1.5> ")
    assert answered(db)["1.4"] == ItemAnswer("deduct", (("r2", 1),))

    # Ctrl-C loses nothing saved, exits 130 without a traceback
    term.child.sendintr()
    status, tail = term.finish()
    assert status == 130
    assert "已中断。已保存 4/29 项；继续评分：inspector score 市财政局" in tail
    assert "Traceback" not in term.log
    assert len(answered(db)) == 4

    # resume where we stopped, and say so
    term = Terminal(db)
    screen = term.wait("1.5> ")
    assert "继续评分：已评 4/29 项，从 1.5 开始。" in screen
    screen = term.type("<", "1.4> ")
    assert "当前 2/3分，扣 b；问题（默认）：因经费未落实导致等级测评" in screen
    assert "回车 保持" in screen
    term.type("", "1.5> ")  # kept as it was

    # jump to a not-applicable item, mark it, come back
    term.type("/g 2.6", "2.6> ")
    screen = term.type("/n", "> ")
    assert "不适用的理由" in screen
    screen = term.type("未自行开办政务应用", "1.5> ")
    assert "✓ 2.6 已保存：不适用：未自行开办政务应用" in screen
    assert answered(db)["2.6"] == ItemAnswer("na", na_reason="未自行开办政务应用")

    for code in CODES[CODES.index("1.5") + 1 :]:
        term.type("", f"{code}> ")
    screen = term.type("", "复核> ")
    assert "复核  已评 29/29" in screen
    assert "存在问题（2 项）" in screen
    assert "1.2  -1    财务科、信息科未签订责任书" in screen
    assert "不适用：2.6（未自行开办政务应用）" in screen
    assert "组内第 1 名（市级部门，已评完 1 个单位）" in screen.replace("\n", "")
    assert len(screen.rstrip("\n").split("\n")) <= 24

    screen = term.type("", "确认> ")
    assert "一票否决" in screen and "存在即评为" not in screen
    # each veto with its own grade and effect, each aggravated grade cap
    assert "[直接评为不合格] 瞒报、谎报网络安全事件" in screen
    assert "[等次不高于良好] 涉密计算机" in screen
    assert "加分（合计不超过 5 分，计在 100 分上限之外）" in screen
    screen = term.type("V2", "确认> ")
    assert "✓  V2" in screen
    assert "等次 不合格" in screen
    assert held(db).veto == frozenset({"V2"})
    screen = term.type("-V2", "确认> ")
    assert held(db).veto == frozenset()
    assert "等次 优秀" in screen

    term.child.sendline("y")
    status, tail = term.finish()
    assert status == 0
    assert "已确认并锁定：市财政局检查评分" in tail
    assert held(db).confirmed

    # the same decisions in an answers file record exactly the same thing
    other = tmp_path / "other.db"
    cli(other, "init", "--name", "2026年度督查")
    cli(other, "units", "add", UNIT, "--group", "市级部门")
    decided = {
        "1.2": "{deduct: {r3: 2}, problem: 财务科、信息科未签订责任书}",
        "1.4": "{deduct: {r2: 1}}",
        "2.6": "{na: 未自行开办政务应用}",
    }
    lines = [f'  "{code}": {decided.get(code, "full")}' for code in CODES]
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text("unit: 市财政局\nitems:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert cli(other, "score", UNIT, "--answers", str(answers_file)).returncode == 0
    typed = cli(db, "answers", UNIT)
    filed = cli(other, "answers", UNIT)
    assert typed.returncode == filed.returncode == 0
    assert typed.stdout == filed.stdout


def test_reopen_and_edit_the_problem_in_place(db: Path, tmp_path: Path) -> None:
    answers_file = tmp_path / "answers.yaml"
    items = "".join(f'  "{code}": full\n' for code in CODES if code != "3.4")
    answers_file.write_text(
        f'unit: 市财政局\nitems:\n{items}  "3.4": {{deduct: {{r1: 2}}}}\n', encoding="utf-8"
    )
    assert cli(db, "score", UNIT, "--answers", str(answers_file), "--confirm").returncode == 0
    assert held(db).confirmed

    started = time.monotonic()
    locked = Terminal(db)
    status, tail = locked.finish()
    assert status == 4
    assert "--reopen" in tail
    assert time.monotonic() - started < 20

    term = Terminal(db, "--reopen")
    screen = term.wait("复核> ")
    assert "该评分已确认锁定" in screen
    assert held(db).confirmed  # looking does not unlock
    term.type("/g 3.4", "3.4> ")
    # /p offers the default text for editing (readline); add the specifics at its end
    screen = term.type("/p", "> ")
    assert "发现弱口令（含默认口令、空口令）（2处）" in screen
    screen = term.type("：门户网站后台", "3.4> ")
    assert (
        held(db).items["3.4"].answer.problem
        == "发现弱口令（含默认口令、空口令）（2处）：门户网站后台"
    )
    assert not held(db).confirmed
    assert "已解除锁定（--reopen）" in screen
    # Ctrl-U clears the offered text; the new text replaces it
    term.type("/r", "> ")
    term.child.send("\x15")
    term.type("15日内修改全部弱口令", "3.4> ")
    assert held(db).items["3.4"].answer.rectify == "15日内修改全部弱口令"
    term.type("", "复核> ")  # keep, and back to the review it came from
    term.type("", "确认> ")
    term.child.sendline("y")
    status, _ = term.finish()
    assert status == 0
    assert held(db).confirmed
    with Workspace.open(db) as ws:
        targets = [e.target for e in ws.audit_log(ws.unit(UNIT))]
    assert targets.count("reopen") == 1
    assert targets.count("confirm") == 2


def test_refuses_quickly_without_a_terminal(db: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "inspector", "score", UNIT],
        env=environment(db),
        input="\n\n\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "--answers" in result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    assert time.monotonic() - started < 20
    assert not held(db).exists


def test_english_in_a_terminal(db: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "inspector", "score", UNIT],
        env=environment(db, "en"),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    child.expect_exact("1.1> ")
    screen = ESCAPES.sub("", child.before)
    assert "item 1/29  provisional 100 (0/29 scored)" in screen
    assert "Rules" in screen
    child.sendline("/q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "0 of 29 items are saved" in ESCAPES.sub("", child.before)


@pytest.mark.parametrize("how", ["kill", "hangup"])
def test_a_killed_or_closed_terminal_keeps_every_saved_item(db: Path, how: str) -> None:
    term = Terminal(db)
    term.wait("1.1> ")
    term.type("", "1.2> ")
    term.type("b", "1.3> ")
    term.child.send("a c")  # typed, not confirmed: this one may be lost
    time.sleep(0.2)
    if how == "kill":
        term.child.kill(9)
    else:
        term.child.close(force=True)  # SIGHUP, as when the terminal window is closed
    term.child.close(force=True)
    assert answered(db) == {
        "1.1": ItemAnswer("full"),
        "1.2": ItemAnswer("deduct", (("r2", 1),)),
    }
    with Workspace.open(db) as ws:
        assert ws.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    term = Terminal(db)
    screen = term.wait("1.3> ")
    assert "继续评分：已评 2/29 项，从 1.3 开始。" in screen
    term.child.sendline("/q")
    status, _ = term.finish()
    assert status == 0


def test_ranged_rule_check_only_item_and_category_na_in_a_terminal(tmp_path: Path) -> None:
    """The seven-category set of the test corpus: a ranged rule's amount typed after its key,
    a check-only item, and a whole category marked N/A with /nc, in a real terminal."""
    db = tmp_path / "seven.db"
    seven = ROOT / "tests" / "data" / "sets" / "shapes" / "seven_by_twelve.yaml"
    assert cli(db, "init", "--name", "测试", "--indicators", str(seven)).returncode == 0
    assert cli(db, "units", "add", UNIT, "--group", "部门", "--tag", "网站").returncode == 0
    term = Terminal(db)
    screen = term.wait("K1.1> ")
    assert "-2–6" in screen and "（与 b、c 不同时适用）" in screen
    screen = term.type("c", "K1.1> ")  # a ranged rule needs its amount
    assert "规则 c 视情扣 2–6 分" in screen.replace("\n", "")
    term.type("c3", "K1.2> ")
    term.type("", "K1.3> ")
    screen = term.type("a", "K2.1> ")
    assert "✓ K1.3 已保存：0/0分" in screen
    term.type("", "K2.2> ")
    screen = term.type("", "K3.1> ")
    assert "/nc 整类不适用" in screen
    screen = term.type("/nc 网站由市级平台集约建设", "K5.1> ")
    assert "✓ 一级指标 K3 整类不适用，已保存 2 项。" in screen
    assert len(screen.rstrip("\n").split("\n")) <= 24
    term.child.sendintr()
    status, _ = term.finish()
    assert status == 130
    got = answered(db)
    assert got["K1.1"] == ItemAnswer("deduct", (("r3", Decimal(3)),))
    assert got["K1.3"] == ItemAnswer("found", ("c1",))
    assert got["K3.1"] == got["K3.2"] == ItemAnswer("na", na_reason="网站由市级平台集约建设")
