"""The on-site scorer in a team (issue 10), through CliRunner and the real flow: the name
asked once, the header, another session's save since a card was shown (keep mine, take
theirs, edit), leases, another team's unit, /k marks and drafts."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from inspector.app.actors import config_path
from inspector.core.assessment import ItemAnswer
from inspector.store import team as team_store
from inspector.store.workspace import Workspace
from inspector.ui import interactive
from inspector.ui.interactive.flow import run_scorer
from tests.helpers import invoke

ROUND = "2026年度督查"
UNIT = "市财政局"
ITEMS = 29


@pytest.fixture
def db(tmp_path: Path, runner: CliRunner) -> Path:
    path = tmp_path / "ws.db"
    assert invoke(runner, ["init", "--name", ROUND, "--db", str(path)]).exit_code == 0
    result = invoke(runner, ["units", "add", UNIT, "--group", "市级部门", "--db", str(path)])
    assert result.exit_code == 0
    return path


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(interactive, "has_terminal", lambda: True)
    yield


def score(runner: CliRunner, db: Path, lines: list[str], *extra: str):
    return invoke(
        runner, ["score", UNIT, "--db", str(db), *extra], input="".join(x + "\n" for x in lines)
    )


def stored(db: Path) -> dict[str, ItemAnswer]:
    with Workspace.open(db) as ws:
        got = ws.assessment(ws.round(), ws.unit(UNIT), "inspection")
    return {code: s.answer for code, s in got.items.items()}


def scorers(db: Path) -> dict[str, str]:
    with Workspace.open(db) as ws:
        got = ws.assessment(ws.round(), ws.unit(UNIT), "inspection")
    return {code: s.scored_by for code, s in got.items.items()}


def other_saves(db: Path, code: str, answer: ItemAnswer, who: str = "李娜") -> None:
    """Another inspector's session saves an item (its own connection, as another process)."""
    other_session_saves(db, who, items={code: answer})


def other_session_saves(db: Path, who: str, **change: object) -> None:
    from inspector.app import recording

    with Workspace.open(db) as ws:
        recording.save(
            ws,
            ws.round(),
            ws.unit(UNIT),
            "inspection",
            who=who,
            command="other",
            reopen=False,
            **change,  # type: ignore[arg-type]
        )


def scripted(lines: list[str], at: dict[int, Callable[[], None]]) -> Callable[[str], str]:
    """A reader giving ``lines``; before giving line n, runs ``at[n]`` (another session)."""
    feed = iter(enumerate(lines))

    def read(prompt: str) -> str:
        n, line = next(feed)
        if n in at:
            at[n]()
        return line

    return read


def run(db: Path, read: Callable[[str], str], who: str = "王磊") -> tuple[int, str]:
    out = io.StringIO()
    console = Console(file=out, width=100, height=40, highlight=False)
    with Workspace.open(db) as ws:
        code = run_scorer(ws, None, UNIT, "inspection", who=who, console=console, read=read)
    return code, out.getvalue()


# --- who is scoring ----------------------------------------------------------------------------


def test_the_name_is_asked_once_and_shown_in_the_header(
    runner: CliRunner, db: Path, tty, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INSPECTOR_USER", raising=False)
    result = score(runner, db, ["王磊", "", "/q"])
    assert "本机尚未设置评分人姓名" in result.output
    assert "已保存评分人姓名：王磊" in result.output
    assert " · 王磊" in result.output  # the header
    assert json.loads(config_path().read_text(encoding="utf-8")) == {"inspector": "王磊"}
    assert scorers(db) == {"1.1": "王磊"}
    again = score(runner, db, ["", "/q"])
    assert "本机尚未设置评分人姓名" not in again.output and " · 王磊" in again.output
    assert set(scorers(db).values()) == {"王磊"}


def test_a_bad_name_is_asked_again(runner: CliRunner, db: Path, tty, monkeypatch) -> None:
    monkeypatch.delenv("INSPECTOR_USER", raising=False)
    result = score(runner, db, ["王\x07磊", "李娜", "/q"])
    assert result.output.count("姓名> ") == 2 and "已保存评分人姓名：李娜" in result.output
    assert "\x07" not in result.output


def test_option_and_env_win_over_the_question(runner: CliRunner, db: Path, tty, monkeypatch):
    monkeypatch.delenv("INSPECTOR_USER", raising=False)
    result = score(runner, db, ["", "/q"], "--inspector", "张伟")
    assert "本机尚未设置评分人姓名" not in result.output and " · 张伟" in result.output
    monkeypatch.setenv("INSPECTOR_USER", "李娜")
    result = score(runner, db, ["/q"])
    assert "本机尚未设置评分人姓名" not in result.output and " · 李娜" in result.output


# --- no silent overwrites ------------------------------------------------------------------


def test_enter_on_an_item_saved_meanwhile_refuses_and_takes_theirs(db: Path) -> None:
    """The issue's case: 王磊 records 4.2 with a deduction while 李娜's card of 4.2 is open;
    her Enter no longer overwrites it with full marks."""
    deduction = ItemAnswer("deduct", (("r1", 1),), problem="2次通报未按时反馈")
    read = scripted(
        ["/g 4.2", "", "t", "/q"], {1: lambda: other_saves(db, "4.2", deduction, "王磊")}
    )
    code, screen = run(db, read, who="李娜")
    assert code == 0
    assert "指标 4.2 在本卡片显示后已被他人修改，未保存" in screen
    assert "对方（王磊" in screen and "2次通报未按时反馈" in screen
    assert "已采用对方对 4.2 的评分" in screen
    assert stored(db)["4.2"].problem == "2次通报未按时反馈"
    assert scorers(db) == {"4.2": "王磊"}


def test_keep_mine_saves_over_theirs_and_both_are_in_the_log(runner: CliRunner, db: Path) -> None:
    deduction = ItemAnswer("deduct", (("r1", 1),), problem="仅研究1次")
    read = scripted(["", "k", "/q"], {0: lambda: other_saves(db, "1.1", deduction)})
    code, screen = run(db, read)
    assert code == 0
    assert "对方（李娜" in screen and "仅研究1次" in screen
    assert stored(db)["1.1"].form == "full" and scorers(db)["1.1"] == "王磊"
    log = json.loads(invoke(runner, ["log", UNIT, "--json", "--db", str(db)]).output)
    assert [e["who"] for e in log if e["target"] == "item:1.1"] == ["李娜", "王磊"]


def test_edit_shows_the_latest_decision_on_the_card(db: Path) -> None:
    deduction = ItemAnswer("deduct", (("r1", 1),), problem="仅研究1次")
    read = scripted(["", "x", "e", "b", "/q"], {0: lambda: other_saves(db, "1.1", deduction)})
    code, screen = run(db, read)
    assert code == 0
    assert "请输入 k、t 或 e" in screen
    assert "1.1 已显示最新评分，请重新输入" in screen
    assert stored(db)["1.1"].value == (("r2", 1),)  # "b" on the fresh card: rule r2 once
    assert scorers(db)["1.1"] == "王磊"


def test_a_save_of_another_item_meanwhile_is_no_conflict(db: Path) -> None:
    read = scripted(["", "", "/q"], {0: lambda: other_saves(db, "1.3", ItemAnswer("full"))})
    code, screen = run(db, read)
    assert code == 0
    assert "已被他人修改" not in screen
    assert set(stored(db)) == {"1.1", "1.2", "1.3"}


def other_saves_entries(db: Path, kind: str, entries: dict[str, int], who: str = "李娜") -> None:
    """Another inspector's session saves veto, aggravated or bonus entries."""
    other_session_saves(db, who, adjustments={kind: entries})


def adjustments(db: Path) -> dict[str, dict[str, int]]:
    with Workspace.open(db) as ws:
        got = ws.assessment(ws.round(), ws.unit(UNIT), "inspection")
    return {kind: got.adjustments(kind) for kind in ("veto", "aggravated", "bonus")}


def test_entries_saved_meanwhile_are_not_overwritten(db: Path) -> None:
    """The scorer saves a kind of entries whole: 李娜's A3, saved while 王磊's review screen was
    open, is kept, and his A1 is refused until typed again on what is stored now."""
    read = scripted(
        ["/v", "y", "A1", "A1", "/q"],
        {2: lambda: other_saves_entries(db, "aggravated", {"A3": 1})},
    )
    code, screen = run(db, read)
    assert code == 0
    assert "加重扣分条目在本页显示后已被他人修改，未保存。现在记录的是：A3" in screen
    assert adjustments(db)["aggravated"] == {"A1": 1, "A3": 1}


def test_entries_of_another_kind_saved_meanwhile_are_no_conflict(db: Path) -> None:
    read = scripted(
        ["/v", "y", "A1", "/q"], {2: lambda: other_saves_entries(db, "bonus", {"B1": 1})}
    )
    code, screen = run(db, read)
    assert code == 0
    assert "已被他人修改" not in screen
    assert adjustments(db)["aggravated"] == {"A1": 1}
    assert adjustments(db)["bonus"] == {"B1": 1}


def test_the_app_refuses_entries_changed_since_shown(db: Path) -> None:
    from inspector.app import recording, team

    other_saves_entries(db, "veto", {"V1": 1})
    with Workspace.open(db) as ws, pytest.raises(team.AdjustmentsChanged) as raised:
        recording.save(
            ws,
            ws.round(),
            ws.unit(UNIT),
            "inspection",
            who="王磊",
            command="score",
            reopen=False,
            adjustments={"veto": {"V2": 1}},
            expect_adjustments={"veto": {}},
        )
    assert raised.value.theirs == {"V1": 1}
    assert raised.value.message() == "一票否决条目在显示后已被他人修改。"
    assert adjustments(db)["veto"] == {"V1": 1}


# --- leases --------------------------------------------------------------------------------------


def test_a_second_session_is_told_who_has_the_unit_open(db: Path) -> None:
    seen: list[str] = []

    def second() -> None:
        _, screen = run(db, scripted(["/q"], {}), who="李娜")
        seen.append(screen)

    code, first = run(db, scripted(["", "/q"], {0: second}))
    assert code == 0
    assert "注意：王磊" in seen[0] and "正在为“市财政局”评分" in seen[0]
    assert "注意" not in first
    with Workspace.open(db) as ws:  # both sessions ended: no lease left
        assert ws.conn.execute("SELECT COUNT(*) FROM leases").fetchone()[0] == 0


def test_a_dead_or_expired_lease_is_not_reported(db: Path) -> None:
    import socket
    import time

    with Workspace.open(db) as ws:
        round_, unit = ws.round(), ws.unit(UNIT)
        team_store.take_lease(
            ws, round_, unit, "inspection", "张伟", socket.gethostname(), 2**22 + 7
        )
        team_store.take_lease(ws, round_, unit, "inspection", "赵六", "elsewhere", 1)
        ws.conn.execute("UPDATE leases SET expires = ? WHERE who = '赵六'", (time.time() - 1,))
    _, screen = run(db, scripted(["/q"], {}))
    assert "张伟" not in screen and "赵六" not in screen and "注意" not in screen


# --- another team's unit ----------------------------------------------------------------------


def test_another_teams_unit_asks_first(runner: CliRunner, db: Path, tty, monkeypatch) -> None:
    monkeypatch.setenv("INSPECTOR_USER", "王磊")
    invoke(runner, ["team", "add", "第二督查组", "--members", "张伟", "--db", str(db)])
    invoke(runner, ["assign", "第二督查组", UNIT, "--db", str(db)])
    result = score(runner, db, [""])
    assert "已分配给 第二督查组" in result.output and stored(db) == {}
    result = score(runner, db, ["y", "", "/q"])
    assert set(stored(db)) == {"1.1"}
    result = score(runner, db, ["/q"], "--inspector", "张伟")
    assert "已分配给" not in result.output


# --- marks and drafts -------------------------------------------------------------------------


def test_k_marks_an_item_lists_it_and_blocks_confirmation(
    runner: CliRunner, db: Path, tty, monkeypatch
) -> None:
    monkeypatch.setenv("INSPECTOR_USER", "王磊")
    result = score(runner, db, ["/k 核实会议纪要", "/l", "", "/q"])
    assert "已将 1.1 标记为待核实" in result.output
    assert "待核实 1 项" in result.output and "核实会议纪要" in result.output
    assert stored(db) == {}  # marked, not scored
    status = json.loads(invoke(runner, ["status", "--json", "--db", str(db)]).output)
    assert status["units"][0]["review"] == ["1.1"]
    lines = [""] * ITEMS + ["", "y"]  # every item full marks, then review → finish → confirm
    result = score(runner, db, [*lines, "/q"])
    assert "还有待核实的指标（1.1）" in result.output
    show = json.loads(invoke(runner, ["show", UNIT, "--json", "--db", str(db)]).output)
    assert show["confirmed"] is False
    result = score(runner, db, ["/g 1.1", "/k -", "/v", "", "y"])
    assert "已取消 1.1 的待核实标记" in result.output
    show = json.loads(invoke(runner, ["show", UNIT, "--json", "--db", str(db)]).output)
    assert show["confirmed"] is True and show["review"] == []


def test_text_on_an_unscored_item_is_kept_as_a_draft(runner: CliRunner, db: Path, tty) -> None:
    result = score(runner, db, ["/p 会议记录缺页", ">", "<", "/q"], "--inspector", "王磊")
    assert "已作为草稿保留" in result.output
    assert "已恢复本项的草稿文字" in result.output
    result = score(runner, db, ["a", "/q"], "--inspector", "王磊")  # a later session
    assert stored(db)["1.1"].problem == "会议记录缺页"
    with Workspace.open(db) as ws:  # used: the draft is gone
        assert ws.conn.execute("SELECT COUNT(*) FROM item_drafts").fetchone()[0] == 0


# --- merge conflicts in the scorer -----------------------------------------------------------


def test_the_card_of_a_conflict_shows_theirs_and_settles_it(
    runner: CliRunner, db: Path, tmp_path: Path, tty, monkeypatch
) -> None:
    import shutil

    monkeypatch.setenv("INSPECTOR_USER", "王磊")
    other = tmp_path / "other.db"
    shutil.copy(db, other)
    body = 'items: {"1.1": full, "1.2": full}\n'
    mine = tmp_path / "mine.yaml"
    mine.write_text(f"unit: {UNIT}\n{body}", encoding="utf-8")
    theirs = tmp_path / "theirs.yaml"
    theirs.write_text(
        f'unit: {UNIT}\nitems: {{"1.1": {{deduct: {{r1: 1}}, problem: 未研究}}, "1.2": {{deduct: {{r1: 1}}}}}}\n',
        encoding="utf-8",
    )
    invoke(runner, ["score", UNIT, "--answers", str(mine), "--db", str(db)])
    invoke(
        runner, ["score", UNIT, "--answers", str(theirs), "--inspector", "李娜", "--db", str(other)]
    )
    assert invoke(runner, ["merge", str(other), "--db", str(db)]).exit_code == 0
    result = score(runner, db, ["/g 1.1", "/take", "/g 1.2", "/mine", "/q"])
    assert "合并冲突：对方（李娜" in result.output and "未研究" in result.output
    assert "采用对方的评分" in result.output and "保留本机的评分" in result.output
    got = stored(db)
    assert got["1.1"].problem == "未研究" and got["1.2"].form == "full"
    conflicts = json.loads(invoke(runner, ["conflicts", "--json", "--db", str(db)]).output)
    assert conflicts == []
    result = score(runner, db, ["/g 1.3", "/take", "/q"])
    assert "本项没有合并冲突（1.3）" in result.output


def test_scoring_an_item_in_conflict_again_settles_it(
    runner: CliRunner, db: Path, tmp_path: Path, tty, monkeypatch
) -> None:
    import shutil

    monkeypatch.setenv("INSPECTOR_USER", "王磊")
    other = tmp_path / "other.db"
    shutil.copy(db, other)
    mine = tmp_path / "mine.yaml"
    mine.write_text(f'unit: {UNIT}\nitems: {{"1.1": full}}\n', encoding="utf-8")
    theirs = tmp_path / "theirs.yaml"
    theirs.write_text(f'unit: {UNIT}\nitems: {{"1.1": {{deduct: {{r1: 1}}}}}}\n', encoding="utf-8")
    invoke(runner, ["score", UNIT, "--answers", str(mine), "--db", str(db)])
    invoke(
        runner, ["score", UNIT, "--answers", str(theirs), "--inspector", "李娜", "--db", str(other)]
    )
    invoke(runner, ["merge", str(other), "--db", str(db)])
    score(runner, db, ["/g 1.1", "b", "/q"])
    assert stored(db)["1.1"].value == (("r2", 1),)
    assert json.loads(invoke(runner, ["conflicts", "--json", "--db", str(db)]).output) == []
