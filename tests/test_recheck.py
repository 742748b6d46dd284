"""Re-inspection (复查) through Typer's CliRunner: the cards, every key, back, resume, the
answers file and its round trip, and what the workspace holds after each step.

CliRunner's stdin is not a terminal, so the tests replace ``inspector.ui.interactive.has_terminal``
(the only thing the command checks) and feed the real session through ``input()``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from inspector.store import ledger as L
from inspector.store.workspace import Workspace
from inspector.ui import interactive
from inspector.ui.interactive.recheck import run_recheck
from tests.helpers import invoke
from tests.ledger_support import finance_round

UNIT = "市财政局"
N1, N3, N4, N5, N6 = (f"2026-{UNIT}-0{n}" for n in (1, 3, 4, 5, 6))


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(interactive, "has_terminal", lambda: True)
    monkeypatch.setenv("INSPECTOR_USER", "李娜")
    yield


def reported(db: Path, *numbers: str) -> None:
    """The unit reports these problems done, as an import records it."""
    with Workspace.open(db) as ws:
        for number in numbers:
            entry = L.by_number(ws.conn, ws.round().id, number)
            assert entry is not None
            values = {
                "status": L.DONE,
                "completed_on": "2026-04-20",
                "measures": f"{number} 已整改",
                "department": "信息科",
                "evidence": [{"file": "整改报告.pdf", "description": "情况说明"}],
            }
            L.update(ws.conn, entry, values, action="reported", who="单位", command="t",
                     round_name=ws.round().name)  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = finance_round(tmp_path)
    reported(path, N1, N3, N4)
    return path


def state(db: Path) -> dict[str, tuple[str, str | None, str | None]]:
    with Workspace.open(db) as ws:
        return {
            e.number: (e.status, e.recheck, e.recheck_note)
            for e in L.entries(ws.conn, ws.round().id, [ws.unit(UNIT).id])
        }


def recheck(db: Path, lines: list[str], *extra: str) -> Result:
    return invoke(
        CliRunner(),
        ["recheck", UNIT, "--db", str(db), *extra],
        input="".join(line + "\n" for line in lines),
    )


def test_cards_show_what_the_unit_did_and_decisions_are_saved(tty: None, db: Path) -> None:
    result = recheck(db, ["y 已现场核实", "n 演练记录不完整", "s"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "市财政局 复查" in out and "第 1/3 项" in out
    assert "仅研究1次" in out and "每年至少专题研究2次" in out  # problem, requirement
    assert f"{N1} 已整改" in out and "整改报告.pdf：情况说明" in out  # measures, evidence
    assert "✓ " + N1 + " 已销号" in out
    assert "复查完成：销号 1，未通过 1；仍待复查 1 条。" in out
    found = state(db)
    assert found[N1] == (L.CLOSED, "passed", "已现场核实")
    assert found[N3] == (L.IN_PROGRESS, "failed", "演练记录不完整")
    assert found[N4] == (L.DONE, None, None)  # skipped
    with Workspace.open(db) as ws:
        entry = L.by_number(ws.conn, ws.round().id, N1)
        assert entry is not None and entry.recheck_by == "李娜" and entry.closed_on
    # re-running shows only what still awaits re-inspection
    again = recheck(db, ["y"])
    assert "第 1/1 项" in again.output and N4 in again.output
    assert state(db)[N4][0] == L.CLOSED


def test_back_changes_a_decision_and_a_failure_asks_for_its_reason(tty: None, db: Path) -> None:
    result = recheck(db, ["y", "<", "n", "", "n", "整改措施未覆盖下属单位", "q"])
    assert result.exit_code == 0, result.output
    assert "未写原因，未作决定。" in result.output
    assert state(db)[N1] == (L.IN_PROGRESS, "failed", "整改措施未覆盖下属单位")
    said = result.output.replace("\n", "")
    assert "已退出" in said and f"inspector recheck {UNIT}" in said


def test_unknown_input_and_enter_decide_nothing(tty: None, db: Path) -> None:
    result = recheck(db, ["", "maybe", "?", "", "q"])
    assert "回车不作决定" in result.output and "无法识别“maybe”" in result.output
    assert "复查按键" in result.output
    assert state(db)[N1] == (L.DONE, None, None)


def test_end_of_input_keeps_what_was_decided(tty: None, db: Path) -> None:
    result = recheck(db, ["y"])
    assert result.exit_code == 0 and "输入结束" in result.output
    assert state(db)[N1][0] == L.CLOSED


def test_ctrl_c_loses_nothing_and_the_next_run_resumes(db: Path) -> None:
    answers = iter(["y"])

    def read(prompt: str) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    buffer = io.StringIO()
    with Workspace.open(db) as ws:
        code = run_recheck(ws, None, UNIT, [], who="李娜", console=Console(file=buffer, width=80),
                           read=read)  # fmt: skip
    assert code == 130
    assert "已中断。本次销号 1，未通过 0，均已保存；仍待复查 2 条" in buffer.getvalue()
    assert state(db)[N1][0] == L.CLOSED
    buffer = io.StringIO()
    with Workspace.open(db) as ws:
        lines = iter(["y", "y"])
        code = run_recheck(ws, None, UNIT, [], who="李娜", console=Console(file=buffer, width=80),
                           read=lambda prompt: next(lines))  # fmt: skip
    assert code == 0 and "第 1/2 项" in buffer.getvalue()
    assert all(status == L.CLOSED for status, _, _ in (state(db)[n] for n in (N1, N3, N4)))


def test_a_problem_not_marked_done_is_explained(tty: None, db: Path) -> None:
    result = recheck(db, [], N5)
    assert result.exit_code == 1
    assert f"问题 {N5} 当前状态为“待整改”" in result.output.replace("\n", "")
    assert state(db)[N1] == (L.DONE, None, None)
    result = recheck(db, ["y"], N5, N3)  # the one that awaits re-inspection is rechecked
    assert "第 1/1 项" in result.output and state(db)[N3][0] == L.CLOSED
    with Workspace.open(db) as ws:
        ws.conn.execute("UPDATE ledger SET status = 'in_progress'")
    result = recheck(db, [])
    said = result.output.replace("\n", "")
    assert "没有待复查的问题" in said and "整改中 5" in said
    unknown = recheck(db, [], "2026-市财政局-99")
    assert unknown.exit_code == 2 and "没有编号为“2026-市财政局-99”的问题" in unknown.output


def test_without_a_terminal_it_points_to_the_answers_file(db: Path) -> None:
    result = recheck(db, [])
    assert result.exit_code == 1 and "--answers" in result.output


ANSWERS = f"""# 复查答卷：2026年度督查 市财政局
# （inspector recheck 市财政局 --answers 本文件 可重放）
unit: 市财政局
recheck:
  "{N1}": pass
  "{N3}": {{fail: 演练记录不完整}}
  "{N4}": {{pass: 已现场核实}}
"""


def test_answers_file_replays_and_writes_back_byte_for_byte(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    runner = CliRunner()
    result = invoke(runner, ["recheck", UNIT, "--answers", str(path), "--inspector", "李娜",
                             "--db", str(db)])  # fmt: skip
    assert result.exit_code == 0 and "3 项决定，3 项有变化" in result.output
    assert state(db)[N1] == (L.CLOSED, "passed", None)
    assert state(db)[N3] == (L.IN_PROGRESS, "failed", "演练记录不完整")
    written = invoke(runner, ["answers", UNIT, "--recheck", "--db", str(db)]).output
    assert written == ANSWERS
    again = invoke(runner, ["recheck", UNIT, "--answers", str(path), "--db", str(db)])
    assert again.exit_code == 0 and "0 项有变化" in again.output


def test_answers_file_mistakes_are_located_and_nothing_is_recorded(
    db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        f'unit: 市财政局\nrecheck:\n  "{N1}": pass\n  "{N5}": pass\n  "{N3}": fail\n'
        '  "2026-市财政局-99": pass\ncolour: red\n',
        encoding="utf-8",
    )
    before = state(db)
    result = invoke(CliRunner(), ["recheck", UNIT, "--answers", str(path), "--db", str(db)])
    assert result.exit_code == 1
    assert f"{path}:7:1: 未知字段“colour”" in result.output
    assert f"{path}:5:" in result.output and "决定无效" in result.output
    assert state(db) == before
    path.write_text(f'unit: 市财政局\nrecheck:\n  "{N1}": pass\n  "{N5}": pass\n', encoding="utf-8")
    result = invoke(CliRunner(), ["recheck", UNIT, "--answers", str(path), "--db", str(db)])
    assert result.exit_code == 1
    assert f"{path}:4:3: 问题 {N5} 当前状态为“待整改”" in result.output
    assert state(db) == before  # N1 was fine, but the file is all or nothing


def test_recheck_has_help(db: Path) -> None:
    result = invoke(CliRunner(), ["recheck", "--help"])
    assert result.exit_code == 0 and "--answers" in result.output
