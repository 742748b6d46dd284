"""The workspace store: schema versions, faults, transactions, audit, concurrency."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from inspector.core.assessment import ItemAnswer
from inspector.errors import ConflictError, NotFoundError, WorkspaceError
from inspector.store import db as dbmod
from inspector.store.workspace import Workspace
from tests.workspace_helpers import make_workspace


def test_create_open_and_pin(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with make_workspace(path) as ws:
        round_ = ws.round()
        assert round_.name == "2026年度督查"
        assert len(round_.set_hash) == 64
        assert [u.name for u in ws.units()][:2] == ["王益区", "印台区"]
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ws.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION


def test_missing_and_existing(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as info:
        Workspace.open(tmp_path / "none.db")
    assert info.value.key == "workspace.missing"
    make_workspace(tmp_path / "w.db").close()
    with pytest.raises(ConflictError):
        Workspace.create(tmp_path / "w.db")


def test_not_sqlite_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(WorkspaceError) as info:
        Workspace.open(path)
    assert info.value.key == "workspace.not_sqlite"
    assert path.read_bytes() == before


def test_newer_schema_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    make_workspace(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError) as info:
        Workspace.open(path)
    assert info.value.key == "workspace.too_new"
    assert "99" in info.value.message()
    assert path.read_bytes() == before


def test_read_only_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.db"
    make_workspace(path).close()
    # tests may run as root, for whom permissions do not apply: ask the OS what it would say
    monkeypatch.setattr(dbmod.os, "access", lambda p, mode: Path(p) != path)
    with pytest.raises(WorkspaceError) as info:
        Workspace.open(path)
    assert info.value.key == "workspace.read_only"


def test_older_schema_migrates_forward_keeping_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    dbmod.migrate(conn, 0, 1)
    conn.execute(
        "INSERT INTO units (name, grp, tags, created_at) VALUES ('市财政局', '市级部门', '[]', 'x')"
    )
    conn.execute(
        "INSERT INTO rounds (name, created_at, set_text, set_hash) VALUES ('旧轮次', 'x', ?, 'h')",
        ((Path(__file__).parent / "data/sets/small.yaml").read_text(encoding="utf-8"),),
    )
    conn.close()
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
        assert ws.unit("市财政局").group == "市级部门"
        assert ws.round().deadline is None  # the column added by migration 2
        assert ws.round().indicators.id == "small-test"


def test_units_errors_list_what_exists(tmp_path: Path) -> None:
    with make_workspace(tmp_path / "w.db") as ws:
        with pytest.raises(NotFoundError) as info:
            ws.unit("市教育局")
        assert "市财政局" in info.value.message()
        with pytest.raises(NotFoundError) as info:
            ws.add_units([("市教育局", "部门", None, ())], "t", "c")
        assert "区县" in info.value.message() and "市级部门" in info.value.message()
        with pytest.raises(NotFoundError):
            ws.add_units([("市教育局", "市级部门", None, ("关键",))], "t", "c")
        with pytest.raises(ConflictError):
            ws.add_units([("市财政局", "市级部门", None, ())], "t", "c")
        assert ws.unit("FIN").name == "市财政局"  # by code


def test_record_audits_every_change_once(tmp_path: Path) -> None:
    with make_workspace(tmp_path / "w.db") as ws:
        round_, unit = ws.round(), ws.unit("市财政局")
        first = {"1.1": ItemAnswer("full"), "1.2": ItemAnswer("deduct", (("r2", 1),))}
        assert ws.record(round_, unit, "inspection", "王磊", "cmd", items=first) == 2
        assert ws.record(round_, unit, "inspection", "王磊", "cmd", items=first) == 0
        changed = {"1.2": ItemAnswer("deduct", (("r1", 1), ("r2", 1)), problem=" 未明确 ")}
        assert ws.record(round_, unit, "inspection", "李娜", "cmd2", items=changed) == 1
        stored = ws.assessment(round_, unit, "inspection")
        assert stored.items["1.2"].answer.problem == "未明确"  # canonical: stripped
        assert stored.items["1.2"].scored_by == "李娜"
        log = ws.audit_log(unit)
        item_rows = [e for e in log if e.target.startswith("item:")]
        assert [(e.target, e.who) for e in item_rows] == [
            ("item:1.1", "王磊"),
            ("item:1.2", "王磊"),
            ("item:1.2", "李娜"),
        ]
        assert item_rows[-1].old == {"form": "deduct", "deductions": {"r2": 1}}
        assert item_rows[-1].new["deductions"] == {"r1": 1, "r2": 1}
        assert item_rows[-1].command == "cmd2"
        ws.record(round_, unit, "inspection", "王磊", "cmd", adjustments={"veto": {"V2": 1}})
        assert ws.assessment(round_, unit, "inspection").veto == {"V2"}
        assert ws.audit_log(unit)[-1].target == "veto"


def test_confirmed_assessment_is_locked_until_reopened(tmp_path: Path) -> None:
    with make_workspace(tmp_path / "w.db") as ws:
        round_, unit = ws.round(), ws.unit("市财政局")
        ws.record(round_, unit, "inspection", "w", "c", items={"1.1": ItemAnswer("full")})
        assert ws.set_confirmed(round_, unit, "inspection", True, "w", "c")
        with pytest.raises(ConflictError):
            ws.record(round_, unit, "inspection", "w", "c", items={"1.1": None})
        ws.record(round_, unit, "self", "w", "c", items={"1.1": ItemAnswer("full")})  # other kind
        assert ws.set_confirmed(round_, unit, "inspection", False, "w", "reopen")
        assert ws.record(round_, unit, "inspection", "w", "c", items={"1.1": None}) == 1
        targets = [e.target for e in ws.audit_log(unit)]
        assert "confirm" in targets and "reopen" in targets


def test_remove_unit_refuses_when_scored(tmp_path: Path) -> None:
    with make_workspace(tmp_path / "w.db") as ws:
        round_, unit = ws.round(), ws.unit("市财政局")
        ws.record(round_, unit, "inspection", "w", "c", items={"1.1": ItemAnswer("full")})
        with pytest.raises(ConflictError):
            ws.remove_unit("市财政局", False, "w", "c")
        ws.remove_unit("市财政局", True, "w", "c")
        assert ws.conn.execute("SELECT COUNT(*) FROM item_answers").fetchone()[0] == 0
        assert any(e.unit_name == "市财政局" for e in ws.audit_log())  # history survives


@pytest.mark.slow
def test_a_second_writer_waits_then_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.db"
    make_workspace(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sqlite3, sys, time
                conn = sqlite3.connect({str(path)!r}, isolation_level=None)
                conn.execute("BEGIN IMMEDIATE")
                print("locked", flush=True)
                time.sleep(3)
                conn.execute("ROLLBACK")
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 300)
        with Workspace.open(path) as ws:
            started = time.monotonic()
            with pytest.raises(WorkspaceError) as info:
                ws.record(
                    ws.round(),
                    ws.unit("市财政局"),
                    "inspection",
                    "w",
                    "c",
                    items={"1.1": ItemAnswer("full")},
                )
            assert info.value.key == "workspace.busy"
            assert time.monotonic() - started < 2.5
    finally:
        holder.wait()
    with Workspace.open(path) as ws:  # and after the other writer is done, it works
        assert (
            ws.record(
                ws.round(),
                ws.unit("市财政局"),
                "inspection",
                "w",
                "c",
                items={"1.1": ItemAnswer("full")},
            )
            == 1
        )


WRITER = """
import sys
from inspector.core.assessment import ItemAnswer
from inspector.store.workspace import Workspace
path, unit_name, marker = sys.argv[1], sys.argv[2], sys.argv[3]
ws = Workspace.open(__import__("pathlib").Path(path))
round_ = ws.round()
unit = ws.unit(unit_name)
codes = [i.code for _, i in round_.indicators.items() if i.applies(unit.group, set(unit.tags))]
n = 0
while True:
    n += 1
    text = f"{marker}-{n}"
    ws.record(round_, unit, "inspection", marker, "writer",
              items={c: ItemAnswer("full", problem=text) for c in codes})
    if n == 1:
        print("started", flush=True)
"""


@pytest.mark.slow
def test_two_writers_at_once_do_not_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    make_workspace(path).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name, name], stdout=subprocess.PIPE, text=True
        )
        for name in ("王益区", "市财政局")
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    time.sleep(1.0)
    for proc in procs:
        proc.kill()
        proc.wait()
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for name in ("王益区", "市财政局"):
            stored = ws.assessment(ws.round(), ws.unit(name), "inspection")
            assert len({s.answer.problem for s in stored.items.values()}) == 1


@pytest.mark.slow
def test_sigkill_never_leaves_a_half_recorded_assessment(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    make_workspace(path).close()
    for attempt in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), "市财政局", f"k{attempt}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
        time.sleep(0.05 + (attempt % 4) * 0.07)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with Workspace.open(path) as ws:
            assert ws.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = ws.assessment(ws.round(), ws.unit("市财政局"), "inspection")
            problems = {s.answer.problem for s in stored.items.values()}
            assert len(stored.items) == 29 and len(problems) == 1  # one whole write, never half
            audited = ws.conn.execute(
                "SELECT new FROM audit WHERE target = 'item:1.1' ORDER BY id DESC LIMIT 1"
            ).fetchone()[0]
            assert json.loads(audited)["problem"] in problems  # the audit row went in with it


def test_atomic_files_get_ordinary_permissions(tmp_path: Path) -> None:
    from inspector.io.fileio import write_text_atomic

    target = tmp_path / "out.yaml"
    write_text_atomic(target, "a: 1\n")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    write_text_atomic(target, "a: 2\n")
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_text() == "a: 2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]  # no temporary file left
