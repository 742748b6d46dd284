"""The application layer: use cases as one transaction each, and the lock rule."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from inspector.app import locking, recording
from inspector.core.assessment import ItemAnswer
from inspector.errors import ConflictError, InspectorError, WorkspaceError
from inspector.store.workspace import Workspace
from tests.workspace_helpers import make_workspace

FULL = ItemAnswer("full")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = make_workspace(tmp_path / "w.db")
    yield workspace
    workspace.close()


def audit_targets(ws: Workspace, unit_name: str) -> list[str]:
    return [e.target for e in ws.audit_log(ws.unit(unit_name))]


def test_store_writes_nest_into_one_transaction(ws: Workspace) -> None:
    round_, unit = ws.round(), ws.unit("市财政局")
    with pytest.raises(RuntimeError), ws.transaction():
        ws.record(round_, unit, "inspection", "w", "c", items={"1.1": FULL})
        ws.set_confirmed(round_, unit, "inspection", True, "w", "c")
        assert ws.is_confirmed(round_, unit, "inspection")  # visible inside
        raise RuntimeError("a later step fails")
    assert not ws.assessment(round_, unit, "inspection").items
    assert not ws.is_confirmed(round_, unit, "inspection")
    assert audit_targets(ws, "市财政局") == ["unit"]
    assert ws.conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 0
    with ws.transaction():
        ws.record(round_, unit, "inspection", "w", "c", items={"1.1": FULL})
        ws.set_confirmed(round_, unit, "inspection", True, "w", "c")
    assert ws.is_confirmed(round_, unit, "inspection")
    assert audit_targets(ws, "市财政局") == ["unit", "item:1.1", "confirm"]


def test_a_failed_inner_write_is_undone_alone_when_the_outer_goes_on(ws: Workspace) -> None:
    round_, unit = ws.round(), ws.unit("市财政局")
    with ws.transaction():
        ws.record(round_, unit, "inspection", "w", "c", items={"1.1": FULL})
        with pytest.raises(InspectorError):
            ws.add_units([("市教育局", "市级部门", None, ()), ("", "区县", None, ())], "w", "c")
        ws.record(round_, unit, "inspection", "w", "c", items={"1.2": FULL})
    assert set(ws.assessment(round_, unit, "inspection").items) == {"1.1", "1.2"}
    assert "市教育局" not in [u.name for u in ws.units()]  # the failed batch left nothing


def test_record_confirm_failing_record_leaves_it_confirmed_and_unchanged(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_, unit = ws.round(), ws.unit("市财政局")
    recording.record(ws, round_, unit, "inspection", who="w", command="c", items={"1.1": FULL})
    recording.confirm(ws, round_, unit, "inspection", who="w", command="c")
    before = ws.assessment(round_, unit, "inspection")
    log_before = audit_targets(ws, "市财政局")

    def broken_record(*args: object, **kwargs: object) -> int:
        # the reopen has been written in this transaction by now; then the disk fails
        assert not ws.is_confirmed(round_, unit, "inspection")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ws, "record", broken_record)
    with pytest.raises(WorkspaceError):  # a disk failure is the workspace's, exit 3
        recording.record(
            ws,
            round_,
            unit,
            "inspection",
            who="w",
            command="c",
            items={"1.1": ItemAnswer("deduct", (("r1", 1),))},
            reopen=True,
            confirm=True,
        )
    monkeypatch.undo()
    after = ws.assessment(round_, unit, "inspection")
    assert after == before and after.confirmed
    assert audit_targets(ws, "市财政局") == log_before  # no reopen left in the log


def test_record_and_confirm_through_the_cli_is_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from inspector.store.workspace import Workspace as StoreWorkspace
    from tests.helpers import invoke

    db = tmp_path / "w.db"
    make_workspace(db).close()
    answers = tmp_path / "a.yaml"
    answers.write_text('unit: 市财政局\nitems:\n  "1.1": full\n', encoding="utf-8")
    runner = CliRunner()
    args = ["score", "市财政局", "--answers", str(answers), "--db", str(db)]
    assert invoke(runner, [*args, "--confirm"]).exit_code == 0
    answers.write_text('unit: 市财政局\nitems:\n  "1.1": {deduct: [r1]}\n', encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(StoreWorkspace, "record", broken)
    failed = invoke(runner, [*args, "--reopen", "--confirm"])
    assert failed.exit_code == 3 and "Traceback" not in failed.output
    assert "disk I/O error" in failed.output
    monkeypatch.undo()
    with Workspace.open(db) as ws:
        stored = ws.assessment(ws.round(), ws.unit("市财政局"), "inspection")
        assert stored.confirmed and stored.items["1.1"].answer == FULL
        assert audit_targets(ws, "市财政局") == ["unit", "item:1.1", "confirm"]


def test_reopen_without_changes_leaves_it_as_it_was(ws: Workspace) -> None:
    round_, unit = ws.round(), ws.unit("市财政局")
    recording.record(
        ws, round_, unit, "inspection", who="w", command="c", items={"1.1": FULL}, confirm=True
    )
    confirmed_at = ws.assessment(round_, unit, "inspection").confirmed_at
    for confirm in (False, True):
        done = recording.record(
            ws,
            round_,
            unit,
            "inspection",
            who="x",
            command="again",
            items={"1.1": FULL},
            reopen=True,
            confirm=confirm,
        )
        assert done.kept_locked and done.confirmed and not done.reopened and done.changes == 0
        assert ws.assessment(round_, unit, "inspection").confirmed_at == confirmed_at
    assert audit_targets(ws, "市财政局") == ["unit", "item:1.1", "confirm"]
    done = recording.record(
        ws,
        round_,
        unit,
        "inspection",
        who="x",
        command="change",
        items={"1.1": None},
        reopen=True,
    )
    assert done.reopened and not done.confirmed and done.changes == 1
    assert audit_targets(ws, "市财政局")[-2:] == ["reopen", "item:1.1"]


def test_the_lock_rule(ws: Workspace) -> None:
    round_, unit = ws.round(), ws.unit("市财政局")
    args = (ws, round_, unit, "inspection")
    assert not locking.open_for_change(*args, reopen=False, who="w", command="c")  # open
    ws.set_confirmed(round_, unit, "inspection", True, "w", "c")
    with pytest.raises(ConflictError) as info:
        locking.open_for_change(*args, reopen=False, who="w", command="c")
    assert info.value.key == "assessment.locked" and info.value.exit_code == 4
    with pytest.raises(ConflictError):
        locking.may_change(*args, reopen=False)
    locking.may_change(*args, reopen=True)  # would be reopened: nothing changes yet
    assert ws.is_confirmed(round_, unit, "inspection")
    with pytest.raises(ConflictError):  # the store refuses by itself too
        ws.record(round_, unit, "inspection", "w", "c", items={"1.1": FULL})
    assert locking.open_for_change(*args, reopen=True, who="李娜", command="c")
    assert not ws.is_confirmed(round_, unit, "inspection")
    entry = ws.audit_log(unit)[-1]
    assert (entry.target, entry.who, entry.new) == ("reopen", "李娜", None)
    assert entry.old["by"] == "w"


def test_the_scorers_save_reopens_and_saves_in_one_transaction(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_, unit = ws.round(), ws.unit("市财政局")
    recording.record(
        ws, round_, unit, "inspection", who="w", command="c", items={"1.1": FULL}, confirm=True
    )
    args = (ws, round_, unit, "inspection")
    with pytest.raises(ConflictError):  # without --reopen: refused, nothing written
        recording.save(*args, who="w", command="c", reopen=False, items={"1.1": None})
    same = recording.save(*args, who="w", command="c", reopen=True, items={"1.1": FULL})
    assert (same.changes, same.reopened) == (0, False)  # the same answer: still confirmed
    assert ws.is_confirmed(round_, unit, "inspection")

    def broken(*a: object, **k: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ws, "record", broken)
    with pytest.raises(WorkspaceError):  # a disk failure is the workspace's, exit 3
        recording.save(*args, who="w", command="c", reopen=True, items={"1.1": None})
    monkeypatch.undo()
    assert ws.is_confirmed(round_, unit, "inspection")
    saved = recording.save(*args, who="w", command="c", reopen=True, items={"1.1": None})
    assert (saved.changes, saved.reopened) == (1, True)
    assert audit_targets(ws, "市财政局")[-2:] == ["reopen", "item:1.1"]
    again = recording.save(*args, who="w", command="c", reopen=True, items={"1.2": FULL})
    assert (again.changes, again.reopened) == (1, False)  # open now: no second reopen
