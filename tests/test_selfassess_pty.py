"""``template`` and ``import`` in a real pseudo-terminal: the progress bar is drawn, then
cleared, and what remains on screen is the result table and the summary."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

import inspector
from inspector.store.workspace import Workspace
from tests.selfassess_support import SMALL, fill, make_workspace

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty"),
    pytest.mark.slow,
]

ROOT = Path(inspector.__file__).resolve().parent.parent
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")


def run_in_terminal(db: Path, *args: str, lang: str = "zh") -> tuple[str, int]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(INSPECTOR_DB=str(db), INSPECTOR_LANG=lang, TERM="xterm", LANG="C.UTF-8")
    env.pop("COLUMNS", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "inspector", *args],
        env=env,
        encoding="utf-8",
        dimensions=(30, 120),
        timeout=120,
    )
    child.expect(pexpect.EOF)
    child.close()
    return child.before or "", child.exitstatus if child.exitstatus is not None else -1


def test_template_and_import_in_a_terminal(tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    out = tmp_path / "out"
    screen, code = run_in_terminal(db, "template", "--all", "--out", str(out), "--contact", "张三")
    assert code == 0, screen
    assert "正在生成自评表" in screen  # the bar was drawn
    assert "已生成 2 份自评表" in ESCAPES.sub("", screen)
    fill(out / "市财政局.xlsx", {"B2": {"level": "仅培训"}, "B3": {"score": 4}})
    (out / "bad.xlsx").write_text("不是工作簿")

    screen, code = run_in_terminal(db, "import", str(out))
    plain = ESCAPES.sub("", screen)
    assert code == 1
    assert "正在导入自评表" in screen
    assert "已导入（变更 4 处）" in plain
    assert "拒收（1 个问题）" in plain and "拒收（2 个问题）" in plain
    assert f"{out / 'bad.xlsx'}: 不是 xlsx 工作簿" in plain
    assert "共 3 个文件：导入 1 个，未变化 0 个，拒收 2 个。" in plain
    with Workspace.open(db) as ws:
        assert ws.assessment(ws.round(), ws.unit("市财政局"), "self").exists
        assert not ws.assessment(ws.round(), ws.unit("市大数据局"), "self").exists

    screen, code = run_in_terminal(db, "import", str(out / "市财政局.xlsx"), lang="en")
    assert code == 0
    assert "unchanged: this file was already imported" in ESCAPES.sub("", screen)
