"""Next year: ``round new NAME --from PREVIOUS`` carries the units taking part and the open
problems (上年遗留); a new problem on an item and rule closed last year is 屡查屡犯."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.app.recheck import Decision, decide
from inspector.core.assessment import ItemAnswer
from inspector.store import ledger as L
from inspector.store import round_extras
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.ledger_support import entries, finance_round, score

OLD, NEW = "2026年度督查", "2027年度督查"


def _set(ws: Workspace, number: str, **values: object) -> None:
    entry = L.by_number(ws.conn, ws.round(OLD).id, number)
    assert entry is not None
    L.update(ws.conn, entry, values, action="reported", who="单位", command="t", round_name=OLD)


@pytest.fixture
def last_year(tmp_path: Path) -> Path:
    """2026: A1 closed, B1 done (awaiting recheck), B2 in progress, B3 and A1 (aggravated)
    open for 市财政局; one provisional problem for 市教育局."""
    db = finance_round(tmp_path)
    with Workspace.open(db) as ws:
        _set(ws, "2026-市财政局-01", status=L.DONE, completed_on="2026-04-01", measures="m")
        entry = L.by_number(ws.conn, ws.round().id, "2026-市财政局-01")
        assert entry is not None
        decide(ws, ws.round(), entry, Decision(entry.number, True, None), who="o", command="t")
        _set(ws, "2026-市财政局-03", status=L.DONE, completed_on="2026-04-02", measures="改密码",
             department="信息科", person="张三")  # fmt: skip
        _set(ws, "2026-市财政局-04", status=L.IN_PROGRESS, measures="筹备演练")
    return db


def new_round(db: Path, *extra: str) -> str:
    result = invoke(CliRunner(), ["round", "new", NEW, "--from", OLD, *extra, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


def test_units_and_open_problems_carry_over(last_year: Path) -> None:
    before = entries(last_year, round_name=OLD)
    said = new_round(last_year, "--without", "市大数据局")
    assert "沿用 2 个单位" in said and "结转未销号问题 5 条" in said
    with Workspace.open(last_year) as ws:
        old, new = ws.round(OLD), ws.round(NEW)
        assert [u.name for u in round_extras.participants(ws.conn, new.id)] == [
            "市财政局",
            "市教育局",
        ]
        assert len(round_extras.participants(ws.conn, old.id)) == 3  # last year keeps its units
        members = {m.unit_id: m for m in round_extras.members(ws.conn, new.id)}
        finance = ws.unit("市财政局")
        assert (members[finance.id].group, members[finance.id].code) == ("部门", "CZJ")
        settings = round_extras.settings(ws.conn, new.id)
        assert settings.previous_id == old.id and settings.timezone == "Asia/Shanghai"
        assert new.set_hash == old.set_hash  # the previous round's set, unless another is named
    carried = {e.number: e for e in entries(last_year, round_name=NEW)}
    assert set(carried) == {
        "2026-市财政局-03",
        "2026-市财政局-04",
        "2026-市财政局-05",
        "2026-市财政局-06",
        "2026-市教育局-03",
    }
    b1 = carried["2026-市财政局-03"]
    assert b1.status == L.DONE and (b1.department, b1.person, b1.measures) == (
        "信息科",
        "张三",
        "改密码",
    )
    assert b1.carried_from is not None and b1.carried_round == OLD and not b1.provisional
    assert carried["2026-市财政局-04"].status == L.IN_PROGRESS
    assert entries(last_year, round_name=OLD) == before  # last year's ledger is as it was
    with Workspace.open(last_year) as ws:
        (change,) = L.history(ws.conn, b1.uid)
        assert change.action == "carried"


def test_status_and_reports_list_the_units_taking_part(last_year: Path, tmp_path: Path) -> None:
    new_round(last_year, "--without", "市大数据局")
    runner = CliRunner()
    status = json.loads(invoke(runner, ["status", "--json", "--db", str(last_year)]).output)
    assert [u["unit"] for u in status["units"]] == ["市财政局", "市教育局"]
    assert status["units"][0]["ledger"]["problems"] == 4
    old = json.loads(
        invoke(runner, ["status", "--json", "--round", OLD, "--db", str(last_year)]).output
    )
    assert len(old["units"]) == 3
    added = invoke(runner, ["units", "add", "市水务局", "--group", "部门", "--db", str(last_year)])
    assert added.exit_code == 0
    status = json.loads(invoke(runner, ["status", "--json", "--db", str(last_year)]).output)
    assert [u["unit"] for u in status["units"]][-1] == "市水务局"  # joins the newest round
    out = tmp_path / "lead.xlsx"
    assert invoke(runner, ["export", "--out", str(out), "--db", str(last_year)]).exit_code == 0
    sheet = load_workbook(out)["问题清单"]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert {r[1] for r in rows} == {"市财政局", "市教育局"}
    flags = {r[0]: r[5].split("\n")[1:] for r in rows}
    assert "上年遗留" in flags["2026-市财政局-03"]  # the leadership ledger says so in a word


def test_a_problem_closed_last_year_found_again_is_repeated(last_year: Path) -> None:
    new_round(last_year)
    with Workspace.open(last_year) as ws:  # the same rule of A1 again, another rule of B1
        score(ws, "市财政局", {"A1": ItemAnswer("deduct", (("r2", 1),)),
                              "B1": ItemAnswer("deduct", (("r2", 1),))}, confirm=False)  # fmt: skip
    found = {(e.source, e.code, e.carried_from is None): e for e in entries(last_year, "市财政局")}
    a1 = found[("item", "A1", True)]
    assert a1.number == "2027-市财政局-01" and a1.repeat_number == "2026-市财政局-01"
    assert found[("item", "B1", True)].repeat_of is None  # B1 was not closed, and r2 is new
    with Workspace.open(last_year) as ws:  # another rule of A1 only: not the same problem
        score(ws, "市财政局", {"A1": ItemAnswer("deduct", (("r1", 1),))}, confirm=False)
    a1 = next(e for e in entries(last_year, "市财政局") if e.code == "A1" and e.source == "item")
    assert a1.repeat_of is None
    with Workspace.open(last_year) as ws:
        from inspector.app.ledger import listing

        score(ws, "市财政局", {"A1": ItemAnswer("deduct", (("r2", 1),))}, confirm=False)
        assert [e.number for e in listing(ws, None, status="屡查屡犯").entries] == [
            "2027-市财政局-01"
        ]
        carried = listing(ws, None, status="上年遗留").entries
        assert len(carried) == 5 and all(e.carried_from for e in carried)


def test_the_round_time_zone_and_refusals(last_year: Path) -> None:
    runner = CliRunner()
    bad = invoke(runner, ["round", "new", NEW, "--from", OLD, "--timezone", "Mars/Base",
                          "--db", str(last_year)])  # fmt: skip
    assert bad.exit_code == 1 and "时区“Mars/Base”无效" in bad.output
    alone = invoke(runner, ["round", "new", NEW, "--without", "市财政局", "--db", str(last_year)])
    assert alone.exit_code == 1 and "--from" in alone.output
    stranger = invoke(runner, ["round", "new", NEW, "--from", OLD, "--without", "不存在",
                               "--db", str(last_year)])  # fmt: skip
    assert stranger.exit_code == 2
    with Workspace.open(last_year) as ws:
        assert [r.name for r in ws.rounds()] == [OLD]  # nothing was made
    new_round(last_year, "--timezone", "Asia/Urumqi")
    with Workspace.open(last_year) as ws:
        new = ws.round(NEW)
        assert round_extras.settings(ws.conn, new.id).timezone == "Asia/Urumqi"
    plain = invoke(runner, ["round", "new", "2028年度督查", "--timezone", "Europe/Berlin",
                            "--db", str(last_year)])  # fmt: skip
    assert plain.exit_code == 0
    with Workspace.open(last_year) as ws:
        latest = ws.round("2028年度督查")
        assert round_extras.settings(ws.conn, latest.id) == round_extras.Settings(
            "Europe/Berlin", None
        )
        assert not round_extras.listed(ws.conn, latest.id)  # every unit takes part, as before


def test_a_carried_problem_is_rechecked_in_the_new_round(last_year: Path) -> None:
    new_round(last_year)
    with Workspace.open(last_year) as ws:
        new = ws.round(NEW)
        entry = L.by_number(ws.conn, new.id, "2026-市财政局-03")
        assert entry is not None and entry.round_id == new.id
        decide(ws, new, entry, Decision(entry.number, True, None), who="o", command="t",
               day=date(2027, 3, 1))  # fmt: skip
        old_entry = L.by_number(ws.conn, ws.round(OLD).id, "2026-市财政局-03")
    assert old_entry is not None and old_entry.status == L.DONE  # last year's record stays
    closed = {e.number: e for e in entries(last_year, round_name=NEW)}["2026-市财政局-03"]
    assert closed.status == L.CLOSED and closed.closed_on == "2027-03-01"
