"""The ledger follows the inspection: entries made, updated, withdrawn and reinstated with the
scores, in the same transaction; every status change; overdue as of a fixed day and time zone;
every change with who and when."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from inspector.app import ledger as ledger_app
from inspector.app import recording
from inspector.app.recheck import Decision, correctable, decide
from inspector.core.assessment import ItemAnswer
from inspector.errors import ConflictError, InspectorError
from inspector.reports import ledger_sync
from inspector.store import ledger as L
from inspector.store import round_extras
from inspector.store.workspace import Workspace
from tests.ledger_support import (
    FINANCE,
    FULL_MARKS,
    by_code,
    entries,
    finance_round,
    ledger_state,
    score,
    small_round,
)


def test_problems_become_entries_with_numbers_texts_and_deadlines(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    found = by_code(db)
    assert set(found) == {
        ("item", "A1"),
        ("item", "B1"),
        ("item", "B2"),
        ("item", "B3"),
        ("aggravated", "A1"),
    }
    a1 = found[("item", "A1")]
    # the number: the round's year, the unit, the item's place in the set (A2 is 02)
    assert a1.number == "2026-市财政局-01"
    assert found[("item", "B1")].number == "2026-市财政局-03"
    assert found[("aggravated", "A1")].number == "2026-市财政局-06"  # after the 5 items
    assert a1.status == L.OPEN and a1.rules == ("r2",) and a1.lost == 3
    assert a1.text("problem", "zh") == "仅研究1次"
    assert a1.text("requirement", "zh") == "每年至少专题研究2次"
    assert "网络安全法" in a1.text("basis", "zh")
    assert a1.text("item", "en") == "研究部署"  # the set has no English name for it
    b1 = found[("item", "B1")]
    assert b1.text("problem", "zh") == "发现弱口令（3处）"
    assert b1.text("requirement", "en").startswith("Rectify to meet")
    assert b1.text("requirement", "zh").startswith("对照")
    # a direct score without words: its deduction says what is wrong
    assert found[("item", "B3")].text("problem", "zh") == found[("item", "B3")].text(
        "deduction", "zh"
    )
    # deadlines: the item's own, else the round's
    assert found[("item", "B2")].deadline == "2026-06-30"
    assert a1.deadline == "2026-04-30"
    assert not a1.provisional and a1.confirmed
    edu = entries(db, "市教育局")
    assert len(edu) == 1 and edu[0].provisional  # its inspection is not confirmed


def test_uids_are_the_same_in_every_workspace(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = by_code(finance_round(tmp_path / "a"))
    second = by_code(finance_round(tmp_path / "b"))
    assert {k: e.uid for k, e in first.items()} == {k: e.uid for k, e in second.items()}
    assert len({e.uid for e in first.values()}) == len(first)


def test_a_changed_problem_updates_its_entry_with_who_and_when(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    before = by_code(db)[("item", "A1")]
    with Workspace.open(db) as ws:
        answer = ItemAnswer(
            "deduct",
            (("r2", 1),),
            problem="全年仅研究1次，且无会议纪要",
            rectify="每年至少专题研究2次",
        )
        score(ws, "市财政局", {"A1": answer}, reopen=True, who="李娜")
        history = L.history(ws.conn, before.uid)
        log = [e for e in ws.audit_log() if e.target == f"ledger:{before.number}"]
    after = by_code(db)[("item", "A1")]
    assert (after.uid, after.number, after.status) == (before.uid, before.number, L.OPEN)
    assert after.text("problem", "zh") == "全年仅研究1次，且无会议纪要"
    assert [c.action for c in history] == ["created", "updated"]
    change = history[-1]
    assert change.who == "李娜" and change.at and change.command == "test"
    assert change.old == {"problem": "仅研究1次"}
    assert change.new == {"problem": "全年仅研究1次，且无会议纪要"}
    assert len({c.uid for c in history}) == 2
    assert [e.who for e in log] == ["王磊", "李娜"] and log[-1].kind == "ledger"
    assert log[-1].new["change"] == change.uid and log[-1].new["action"] == "updated"


def test_full_marks_withdraw_and_a_new_deduction_reinstates_the_same_entry(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    entry = by_code(db)[("item", "B1")]
    with Workspace.open(db) as ws:
        score(ws, "市财政局", {"B1": ItemAnswer("full")}, reopen=True)
    withdrawn = by_code(db)[("item", "B1")]
    assert withdrawn.status == L.WITHDRAWN and withdrawn.uid == entry.uid  # kept, not deleted
    with Workspace.open(db) as ws:
        score(ws, "市财政局", {"B1": ItemAnswer("na", na_reason="无互联网系统")}, reopen=True)
    assert by_code(db)[("item", "B1")].status == L.WITHDRAWN
    with Workspace.open(db) as ws:
        score(ws, "市财政局", {"B1": ItemAnswer("deduct", (("r1", 1),))}, reopen=True)
        history = [c.action for c in L.history(ws.conn, entry.uid)]
    back = by_code(db)[("item", "B1")]
    assert (back.uid, back.number, back.status) == (entry.uid, entry.number, L.OPEN)
    assert back.text("problem", "zh") == "发现弱口令（1处）"
    assert history == ["created", "withdrawn", "reinstated"]


def test_vetoes_and_adjustments_follow_too(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    with Workspace.open(db) as ws:
        score(ws, "市财政局", {}, adjustments={"veto": {"V1": 1}, "aggravated": {}}, reopen=True)
    found = by_code(db)
    assert found[("veto", "V1")].status == L.OPEN and found[("veto", "V1")].number.endswith("-07")
    assert found[("aggravated", "A1")].status == L.WITHDRAWN


def test_the_ledger_is_written_in_the_transaction_of_the_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = finance_round(tmp_path)
    state = ledger_state(db)

    def broken(*args: object, **kwargs: object) -> int:
        raise InspectorError("error.prefix")

    monkeypatch.setattr(ledger_sync, "sync_unit", broken)
    with Workspace.open(db) as ws, pytest.raises(InspectorError):
        score(ws, "市财政局", {"B1": ItemAnswer("full")}, reopen=True)
    with Workspace.open(
        db
    ) as ws:  # the score rolled back with the ledger: still locked, B1 deducted
        stored = ws.assessment(ws.round(), ws.unit("市财政局"), "inspection")
        assert stored.confirmed and stored.items["B1"].answer.form == "deduct"
    assert ledger_state(db) == state


def test_a_write_around_the_app_is_caught_up_before_the_ledger_is_read(tmp_path: Path) -> None:
    db = small_round(tmp_path)
    with Workspace.open(db) as ws:  # the store's own write: no ledger yet
        ws.record(ws.round(), ws.unit("市财政局"), "inspection", "王磊", "t", dict(FINANCE))
        assert L.entries(ws.conn, ws.round().id) == []
        found = ledger_app.listing(ws, None)
    assert len(found.entries) == 4 and {e.created_by for e in found.entries} == {"王磊"}
    with Workspace.open(db) as ws:
        assert ledger_app.listing(ws, None).entries == found.entries  # nothing more to do


def test_the_ledger_never_changes_scores(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    with Workspace.open(db) as ws:
        round_, unit = ws.round(), ws.unit("市财政局")
        before = ws.assessment(round_, unit, "inspection")
        for entry in L.entries(ws.conn, round_.id, [unit.id]):
            L.update(ws.conn, entry, {"status": L.DONE, "completed_on": "2026-04-01",
                                      "measures": "x"}, action="reported", who="u", command="t",
                     round_name=round_.name)  # fmt: skip
        for entry in L.entries(ws.conn, round_.id, [unit.id]):
            decide(ws, round_, entry, Decision(entry.number, True, None), who="o", command="t")
        after = ws.assessment(round_, unit, "inspection")
    assert after == before


# --- status changes ---------------------------------------------------------------------------


def _entry(ws: Workspace, number: str) -> L.Entry:
    found = L.by_number(ws.conn, ws.round().id, number)
    assert found is not None
    return found


def _report(ws: Workspace, entry: L.Entry, status: str, day: str | None = None) -> None:
    values = {"status": status, "measures": "措施", "completed_on": day}
    L.update(ws.conn, entry, values, action="reported", who="单位", command="t",
             round_name=ws.round().name)  # fmt: skip


def test_every_status_change_with_its_recheck_rules(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    number = "2026-市财政局-01"
    with Workspace.open(db) as ws:
        round_ = ws.round()
        # 待整改: nothing to recheck, and it says what state it is in
        with pytest.raises(ConflictError) as refused:
            decide(
                ws, round_, _entry(ws, number), Decision(number, True, None), who="o", command="t"
            )
        assert "待整改" in refused.value.message() and "已整改" in refused.value.message()
        _report(ws, _entry(ws, number), L.IN_PROGRESS)  # 待整改 → 整改中
        with pytest.raises(ConflictError) as refused:
            decide(
                ws, round_, _entry(ws, number), Decision(number, True, None), who="o", command="t"
            )
        assert "整改中" in refused.value.message()
        _report(ws, _entry(ws, number), L.DONE, "2026-04-20")  # → 已整改（待复查）
        with pytest.raises(ConflictError):  # a failure needs its reason
            decide(
                ws, round_, _entry(ws, number), Decision(number, False, None), who="o", command="t"
            )
        fail = Decision(number, False, "纪要不全")
        assert decide(ws, round_, _entry(ws, number), fail, who="李娜", command="t")
        entry = _entry(ws, number)  # 复查未通过 → back to 整改中
        assert entry.status == L.IN_PROGRESS and entry.failed_recheck and correctable(ws, entry)
        assert entry.recheck_note == "纪要不全" and entry.recheck_by == "李娜"
        assert not decide(ws, round_, entry, fail, who="李娜", command="t")  # the same again
        # corrected at once (the interactive "<"): passing it instead
        assert decide(ws, round_, entry, Decision(number, True, "补正后核实"), who="李娜",
                      command="t", day=date(2026, 5, 3))  # fmt: skip
        entry = _entry(ws, number)
        assert entry.status == L.CLOSED and entry.closed_on == "2026-05-03"
        assert entry.recheck == "passed" and entry.recheck_note == "补正后核实"
        # back to failed, then the unit continues: no longer correctable
        decide(ws, round_, entry, fail, who="李娜", command="t")
        _report(ws, _entry(ws, number), L.IN_PROGRESS)
        assert not correctable(ws, _entry(ws, number))
        with pytest.raises(ConflictError):
            decide(
                ws, round_, _entry(ws, number), Decision(number, True, None), who="o", command="t"
            )
        _report(ws, _entry(ws, number), L.DONE, "2026-05-05")  # reported done again
        entry = _entry(ws, number)
        assert entry.status == L.DONE and entry.recheck == "failed"  # the last recheck shows
        decide(ws, round_, entry, Decision(number, True, None), who="李娜", command="t",
               day=date(2026, 5, 8))  # fmt: skip
        actions = [c.action for c in L.history(ws.conn, entry.uid)]
    assert actions == [
        "created",
        "reported",
        "reported",
        "recheck_failed",
        "recheck_passed",
        "recheck_failed",
        "reported",
        "reported",
        "recheck_passed",
    ]


# --- overdue, today and time zones ------------------------------------------------------------


def test_overdue_as_of_a_fixed_day(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    with Workspace.open(db) as ws:
        round_ = ws.round()
        on_time = ledger_app.listing(ws, None, day=date(2026, 4, 30))
        assert not any(e.overdue(on_time.today) for e in on_time.entries)  # the day itself
        late = ledger_app.listing(ws, None, "市财政局", overdue=True, day=date(2026, 5, 1))
        assert {e.code for e in late.entries} == {"A1", "B1", "B3"}  # B2 is due 2026-06-30
        # reported done is not overdue; closed neither
        entry = _entry(ws, "2026-市财政局-01")
        _report(ws, entry, L.DONE, "2026-04-29")
        counts = ledger_app.unit_counts(ws, round_, date(2026, 5, 1))
        finance = counts[ws.unit("市财政局").id]
        assert (finance.problems, finance.completed, finance.closed, finance.overdue) == (
            5,
            1,
            0,
            3,
        )
        assert counts[ws.unit("市教育局").id].overdue == 1  # provisional problems count too
        # the JSON says it
        data = ledger_app.entry_json(_entry(ws, "2026-市财政局-03"), date(2026, 5, 1), "zh", "r")
        assert data["overdue"] is True and data["status"] == "open"


def test_today_is_the_date_in_the_rounds_time_zone(tmp_path: Path) -> None:
    db = small_round(tmp_path)
    moment = datetime(2026, 4, 30, 17, 30, tzinfo=UTC)  # 01:30 on 1 May in Beijing
    with Workspace.open(db) as ws:
        round_id = ws.round().id
        assert round_extras.round_timezone(ws.conn, round_id) == "Asia/Shanghai"
        assert round_extras.today(ws.conn, round_id, moment) == date(2026, 5, 1)
        round_extras.save_settings(ws.conn, round_id, "Europe/London", None)
        assert round_extras.today(ws.conn, round_id, moment) == date(2026, 4, 30)


def test_status_filters_take_words_in_either_language(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    with Workspace.open(db) as ws:
        for word in ("待整改", "open", "Open"):
            assert len(ledger_app.listing(ws, None, status=word).entries) == 6
        assert [e.unit_name for e in ledger_app.listing(ws, None, status="暂定").entries] == [
            "市教育局"
        ]
        with pytest.raises(InspectorError) as bad:
            ledger_app.listing(ws, None, status="完成了")
        assert "复查未通过" in bad.value.message()


def test_status_json_and_table_count_problems_closed_and_overdue(
    tmp_path: Path, runner: object
) -> None:
    from typer.testing import CliRunner

    from tests.helpers import invoke

    db = finance_round(tmp_path)
    result = invoke(CliRunner(), ["status", "--json", "--db", str(db)])
    units = {u["unit"]: u for u in json.loads(result.output)["units"]}
    assert units["市财政局"]["ledger"]["problems"] == 5
    assert units["市大数据局"]["ledger"] == {
        "problems": 0,
        "completed": 0,
        "closed": 0,
        "overdue": 0,
    }
    table = invoke(CliRunner(), ["status", "--db", str(db)], env={"COLUMNS": "80"}).output
    assert "问题" in table and "销号" in table and "逾期" in table and "市大数据局" in table


def test_recording_through_the_scorer_save_follows_too(tmp_path: Path) -> None:
    db = small_round(tmp_path)
    with Workspace.open(db) as ws:
        round_, unit = ws.round(), ws.unit("市财政局")
        recording.save(ws, round_, unit, "inspection", who="王磊", command="score", reopen=False,
                       items={"B1": ItemAnswer("deduct", (("r1", 2),))})  # fmt: skip
        (entry,) = L.entries(ws.conn, round_.id)
    assert entry.code == "B1" and entry.provisional and entry.created_by == "王磊"


def test_full_marks_everywhere_make_no_entries(tmp_path: Path) -> None:
    db = small_round(tmp_path)
    with Workspace.open(db) as ws:
        score(ws, "市财政局", FULL_MARKS)
    assert entries(db) == []


def test_the_ledger_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tests.helpers import invoke

    db = finance_round(tmp_path)
    runner = CliRunner()
    table = invoke(runner, ["ledger", "--db", str(db)], env={"COLUMNS": "160"}).output
    assert "2026-市财政局-01" in table and "2026-市教育局-03" in table
    assert "共 6 条：待整改 6；逾期" in table
    one = invoke(runner, ["ledger", "市教育局", "--db", str(db)], env={"COLUMNS": "160"}).output
    assert "2026-市财政局" not in one and "暂定" in one
    data = json.loads(invoke(runner, ["ledger", "--json", "--overdue", "--db", str(db)]).output)
    assert data["round"] == "2026年度督查" and all(e["overdue"] for e in data["entries"])
    bad = invoke(runner, ["ledger", "--status", "乱写", "--db", str(db)])
    assert bad.exit_code == 1 and "状态“乱写”无效" in bad.output
    unknown = invoke(runner, ["ledger", "不存在的单位", "--db", str(db)])
    assert unknown.exit_code == 2
