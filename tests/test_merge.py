"""``inspector merge``: two laptops' workspaces brought together (issue 10)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspector.core.indicators import load_set
from inspector.store.workspace import Workspace
from tests.conftest import SETS
from tests.helpers import invoke

ROUND = "2026年度督查"
UNITS = ("市财政局", "市教育局", "市卫健委")
CODES = [i.code for _, i in load_set(None).indicators.items() if i.code != "3.3"]


@pytest.fixture(autouse=True)
def _inspector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECTOR_USER", "王磊")


def workspace(runner: CliRunner, path: Path, units: tuple[str, ...] = UNITS) -> Path:
    assert invoke(runner, ["init", "--name", ROUND, "--db", str(path)]).exit_code == 0
    for name in units:
        result = invoke(runner, ["units", "add", name, "--group", "市级部门", "--db", str(path)])
        assert result.exit_code == 0
    return path


def record(
    runner: CliRunner,
    db: Path,
    unit: str,
    items: dict[str, str],
    *extra: str,
    who: str = "王磊",
) -> None:
    body = "".join(f'  "{code}": {value}\n' for code, value in items.items())
    path = db.parent / f"answers-{abs(hash((unit, str(items))))}.yaml"
    path.write_text(f"unit: {unit}\nitems:\n{body}", encoding="utf-8")
    result = invoke(
        runner,
        ["score", unit, "--answers", str(path), "--inspector", who, "--db", str(db), *extra],
    )
    assert result.exit_code == 0, result.output


def merge(runner: CliRunner, db: Path, *others: Path, extra: tuple[str, ...] = ()):
    return invoke(runner, ["merge", *map(str, others), "--db", str(db), *extra])


def status(runner: CliRunner, db: Path) -> dict:
    return json.loads(invoke(runner, ["status", "--json", "--db", str(db)]).output)


def show(runner: CliRunner, db: Path, unit: str) -> dict:
    return json.loads(invoke(runner, ["show", unit, "--json", "--db", str(db)]).output)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


FIRST = {code: "full" for code in CODES[:15]}
SECOND = {code: "full" for code in CODES[15:]}
DEDUCT = {"1.2": "{deduct: {r1: 1}, problem: 仅研究1次}"}


def test_two_laptops_merge_into_what_one_workspace_records(
    runner: CliRunner, tmp_path: Path
) -> None:
    """王磊 scores on laptop A, 李娜 on laptop B (a workspace made on its own): merged, A's
    status is that of a workspace that recorded everything."""
    a = workspace(runner, tmp_path / "a.db")
    b = workspace(runner, tmp_path / "b.db", ("市卫健委", "市教育局", "市财政局", "市水务局"))
    one = workspace(runner, tmp_path / "one.db", (*UNITS, "市水务局"))
    # A: 市财政局 first half with a deduction; 市教育局 in full, confirmed
    for db in (a, one):
        record(runner, db, "市财政局", {**FIRST, **DEDUCT})
        record(runner, db, "市教育局", {**FIRST, **SECOND}, "--confirm")
    # B: 市财政局 second half; 市卫健委 in full; 市水务局 only there
    for db in (b, one):
        record(runner, db, "市财政局", SECOND, who="李娜")
        record(runner, db, "市卫健委", {**FIRST, **SECOND, **DEDUCT}, "--confirm", who="李娜")
        record(runner, db, "市水务局", FIRST, who="李娜")
    before = digest(b)
    result = merge(runner, a, b)
    assert result.exit_code == 0, result.output
    assert "冲突 0 项" in result.output
    assert digest(b) == before  # only ever read
    merged, expected = status(runner, a), status(runner, one)
    assert [u["unit"] for u in merged["units"]] == [u["unit"] for u in expected["units"]]
    assert merged == expected
    assert show(runner, a, "市财政局")["scored_by"] == ["李娜", "王磊"]
    # the audit trail of both sides: log 市财政局 tells the whole story
    log = json.loads(invoke(runner, ["log", "市财政局", "--json", "--db", str(a)]).output)
    assert {e["who"] for e in log if e["target"].startswith("item:")} == {"王磊", "李娜"}
    assert len([e for e in log if e["target"].startswith("item:")]) == len(CODES)


def test_different_decisions_are_conflicts_until_resolved(
    runner: CliRunner, tmp_path: Path
) -> None:
    a = workspace(runner, tmp_path / "a.db")
    b = tmp_path / "b.db"
    shutil.copy(a, b)
    record(runner, a, "市财政局", {**FIRST, **SECOND})
    record(
        runner, b, "市财政局", {**FIRST, **SECOND, **DEDUCT, "4.2": "{deduct: {r1: 1}}"}, who="李娜"
    )
    result = merge(runner, a, b)
    assert result.exit_code == 0 and "冲突 2 项" in result.output and "市财政局" in result.output
    listed = invoke(runner, ["conflicts", "--json", "--db", str(a)])
    rows = json.loads(listed.output)
    assert [(r["unit"], r["item"]) for r in rows] == [("市财政局", "1.2"), ("市财政局", "4.2")]
    assert rows[0]["mine"]["answer"] == {"form": "full"} and rows[0]["mine"]["by"] == "王磊"
    assert rows[0]["theirs"]["answer"]["problem"] == "仅研究1次"
    assert rows[0]["theirs"]["by"] == "李娜" and rows[0]["source"] == str(b)
    table = invoke(runner, ["conflicts", "市财政局", "--db", str(a)]).output
    assert "仅研究1次" in table and "李娜" in table and "王磊" in table
    assert status(runner, a)["units"][0]["conflicts"] == ["1.2", "4.2"]
    # no confirmation while conflicts are open
    result = invoke(
        runner,
        ["score", "市财政局", "--answers", str(_empty(tmp_path)), "--confirm", "--db", str(a)],
    )
    assert result.exit_code == 4 and "1.2" in result.output
    # unknown item: the conflicting ones are suggested
    result = invoke(runner, ["resolve", "市财政局", "4.3", "--take", "mine", "--db", str(a)])
    assert result.exit_code == 2 and "4.2" in result.output
    assert (
        invoke(runner, ["resolve", "市财政局", "1.2", "--take", "theirs", "--db", str(a)]).exit_code
        == 0
    )
    assert (
        invoke(runner, ["resolve", "市财政局", "4.2", "--take", "mine", "--db", str(a)]).exit_code
        == 0
    )
    items = {i["code"]: i for i in show(runner, a, "市财政局")["items"]}
    assert items["1.2"]["problem"] == "仅研究1次" and items["4.2"]["form"] == "full"
    assert "没有未解决的冲突" in invoke(runner, ["conflicts", "--db", str(a)]).output
    # merging the same workspace again raises nothing resolved before
    result = merge(runner, a, b)
    assert "没有新内容" in result.output
    assert json.loads(invoke(runner, ["conflicts", "--json", "--db", str(a)]).output) == []
    result = invoke(
        runner,
        ["score", "市财政局", "--answers", str(_empty(tmp_path)), "--confirm", "--db", str(a)],
    )
    assert result.exit_code == 0


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.yaml"
    path.write_text("unit: 市财政局\n", encoding="utf-8")
    return path


def test_merging_twice_changes_nothing_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    a = workspace(runner, tmp_path / "a.db")
    b = workspace(runner, tmp_path / "b.db")
    record(runner, b, "市财政局", FIRST, who="李娜")
    assert "已合并" in merge(runner, a, b).output
    with Workspace.open(a) as ws:
        rows = ws.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    again = merge(runner, a, b)
    assert again.exit_code == 0 and "没有新内容" in again.output
    with Workspace.open(a) as ws:
        assert ws.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == rows
        merges = ws.conn.execute("SELECT COUNT(*) FROM merges").fetchone()[0]
    assert merges == 1
    log = json.loads(invoke(runner, ["log", "市财政局", "--json", "--db", str(a)]).output)
    assert len([e for e in log if e["target"] == "item:1.1"]) == 1


def test_dry_run_reports_and_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    a = workspace(runner, tmp_path / "a.db")
    b = workspace(runner, tmp_path / "b.db", ("市水务局",))
    record(runner, b, "市水务局", FIRST, who="李娜")
    before = status(runner, a)
    result = merge(runner, a, b, extra=("--dry-run",))
    assert result.exit_code == 0 and "试合并" in result.output and "新增单位 1 个" in result.output
    assert status(runner, a) == before
    assert "已合并" in merge(runner, a, b).output
    assert [u["unit"] for u in status(runner, a)["units"]][-1] == "市水务局"


def test_a_confirmation_stands_only_where_both_sides_agree(
    runner: CliRunner, tmp_path: Path
) -> None:
    full = {**FIRST, **SECOND}
    a = workspace(runner, tmp_path / "a.db")
    b = tmp_path / "b.db"
    shutil.copy(a, b)
    record(runner, a, "市财政局", full, "--confirm")  # the same on both sides
    record(runner, b, "市财政局", full, "--confirm", who="李娜")
    record(runner, a, "市教育局", FIRST)
    record(runner, b, "市教育局", full, "--confirm", who="李娜")  # theirs has more
    record(runner, a, "市卫健委", full, "--confirm")
    record(runner, b, "市卫健委", {**full, **DEDUCT}, who="李娜")  # a conflict
    result = merge(runner, a, b)
    assert result.exit_code == 0
    confirmed = {u["unit"]: u["confirmed"] for u in status(runner, a)["units"]}
    assert confirmed == {"市财政局": True, "市教育局": True, "市卫健委": False}
    log = json.loads(invoke(runner, ["log", "市卫健委", "--json", "--db", str(a)]).output)
    assert any(e["target"] == "reopen" and e["new"] == {"merge": str(b)} for e in log)


def test_refusals_change_nothing(runner: CliRunner, tmp_path: Path) -> None:
    a = workspace(runner, tmp_path / "a.db")
    before = digest(a)
    text = tmp_path / "notes.db"
    text.write_text("not a workspace", encoding="utf-8")
    assert merge(runner, a, text).exit_code == 3
    assert merge(runner, a, tmp_path / "missing.db").exit_code == 3
    assert merge(runner, a, tmp_path).exit_code == 3  # a directory
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert merge(runner, a, empty).exit_code == 3
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    conn.close()
    assert merge(runner, a, foreign).exit_code == 3
    newer = workspace(runner, tmp_path / "newer.db")
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    result = merge(runner, a, newer)
    assert result.exit_code == 3 and "999" in result.output
    other_set = tmp_path / "other.db"
    result = invoke(
        runner,
        ["init", "--name", ROUND, "--indicators", str(SETS / "small.yaml"), "--db", str(other_set)],
    )
    assert result.exit_code == 0, result.output
    result = merge(runner, a, other_set)
    assert result.exit_code == 4 and ROUND in result.output and "指标体系" in result.output
    assert merge(runner, a, a).exit_code == 4  # itself
    for res in (result,):
        assert "Traceback" not in res.output
    assert digest(a) == before


def test_a_workspace_open_in_a_scorer_here_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    from inspector.store import team as team_store

    a = workspace(runner, tmp_path / "a.db")
    b = workspace(runner, tmp_path / "b.db")
    with Workspace.open(b) as ws:
        import socket

        team_store.take_lease(
            ws,
            ws.round(),
            ws.unit("市财政局"),
            "inspection",
            "李娜",
            socket.gethostname(),
            os.getpid(),
        )
    result = merge(runner, a, b)
    assert result.exit_code == 3 and "李娜" in result.output


def test_a_failure_inside_leaves_the_workspace_as_before(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector.store import merge as store_merge

    a = workspace(runner, tmp_path / "a.db")
    b = workspace(runner, tmp_path / "b.db", ("市水务局",))
    record(runner, b, "市水务局", FIRST, who="李娜")
    before = status(runner, a)

    def broken(*args: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(store_merge, "refresh_results", broken)
    assert merge(runner, a, b).exit_code == 70  # an internal error, reported
    assert status(runner, a) == before
    with Workspace.open(a) as ws:
        assert ws.conn.execute("PRAGMA database_list").fetchall()[-1][1] != "merge_source"


def test_teams_and_the_ledger_come_along(runner: CliRunner, tmp_path: Path) -> None:
    a = workspace(runner, tmp_path / "a.db")
    b = workspace(runner, tmp_path / "b.db")
    invoke(runner, ["team", "add", "第二督查组", "--members", "李娜", "--db", str(b)])
    invoke(runner, ["assign", "第二督查组", "市卫健委", "--db", str(b)])
    record(runner, b, "市卫健委", {**FIRST, **DEDUCT}, who="李娜")
    assert merge(runner, a, b).exit_code == 0
    teams = json.loads(invoke(runner, ["team", "list", "--json", "--db", str(a)]).output)
    assert teams == [{"team": "第二督查组", "members": ["李娜"], "units": ["市卫健委"]}]
    unit = next(u for u in status(runner, a)["units"] if u["unit"] == "市卫健委")
    assert unit["ledger"]["problems"] == 1


def test_a_workspace_being_written_by_another_process_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    import subprocess
    import sys

    a = workspace(runner, tmp_path / "a.db")
    b = workspace(runner, tmp_path / "b.db")
    record(runner, b, "市财政局", FIRST, who="李娜")
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(b)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "c.execute(\"INSERT INTO meta VALUES ('x', 'y')\")\n"
            "print('writing', flush=True)\n"
            "sys.stdin.readline()\n"
            "c.execute('ROLLBACK')\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        before = status(runner, a)
        result = merge(runner, a, b)
        assert result.exit_code == 3 and "正被另一个进程写入" in result.output
        assert status(runner, a) == before
    finally:
        writer.communicate("\n", timeout=30)
    assert "已合并" in merge(runner, a, b).output  # once the write is over


def test_self_assessment_conflicts_are_listed_and_resolved_with_self(
    runner: CliRunner, tmp_path: Path
) -> None:
    a = workspace(runner, tmp_path / "a.db")
    b = tmp_path / "b.db"
    shutil.copy(a, b)
    record(runner, a, "市财政局", {"1.1": "full"}, "--self")
    record(runner, b, "市财政局", {"1.1": "{deduct: {r1: 1}}"}, "--self")
    assert "冲突 1 项" in merge(runner, a, b).output
    assert json.loads(invoke(runner, ["conflicts", "--json", "--db", str(a)]).output) == []
    rows = json.loads(invoke(runner, ["conflicts", "--self", "--json", "--db", str(a)]).output)
    assert [(r["unit"], r["item"]) for r in rows] == [("市财政局", "1.1")]
    args = ["resolve", "市财政局", "1.1", "--take", "theirs", "--self", "--db", str(a)]
    assert invoke(runner, args).exit_code == 0
    shown = json.loads(
        invoke(runner, ["show", "市财政局", "--self", "--json", "--db", str(a)]).output
    )
    assert shown["items"][0]["form"] == "deduct"


def test_a_veto_decided_differently_is_a_conflict_resolved_by_taking_theirs(
    runner: CliRunner, tmp_path: Path
) -> None:
    a = workspace(runner, tmp_path / "a.db")
    b = tmp_path / "b.db"
    shutil.copy(a, b)
    body = "".join(f'  "{code}": full\n' for code in {**FIRST, **SECOND})
    for db, veto, who in ((a, "V1", "王磊"), (b, "V2", "李娜")):  # each laptop its own veto
        path = tmp_path / f"veto-{veto}.yaml"
        path.write_text(f"unit: 市财政局\nveto: [{veto}]\nitems:\n{body}", encoding="utf-8")
        scored = invoke(
            runner,
            ["score", "市财政局", "--answers", str(path), "--inspector", who, "--db", str(db)],
        )
        assert scored.exit_code == 0, scored.output
    assert merge(runner, a, b).exit_code == 0
    assert status(runner, a)["units"][0]["conflicts"] == ["veto"]
    result = invoke(runner, ["resolve", "市财政局", "veto", "--take", "theirs", "--db", str(a)])
    assert result.exit_code == 0, result.output
    shown = show(runner, a, "市财政局")
    assert shown["veto"] == ["V2"] and shown["kind"] == "inspection"
    assert status(runner, a)["units"][0]["conflicts"] == []
    with Workspace.open(a) as ws:  # the veto went to the inspection, no other assessment
        kinds = {row[0] for row in ws.conn.execute("SELECT kind FROM assessments")}
    assert kinds == {"inspection"}
