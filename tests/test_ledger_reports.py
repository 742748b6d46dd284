"""The 整改台账 in the workbooks: every status in words, overdue in bold, the rectification
rates on the cover, a unit's own ledger in its feedback, and the demo's whole cycle."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.app.recheck import Decision, decide
from inspector.core.assessment import ItemAnswer
from inspector.reports.export import context, export_leadership, export_unit
from inspector.store import ledger as L
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.ledger_support import TODAY, finance_round, score

EVERY_STATUS = {"待整改", "整改中", "整改中（复查未通过）", "已整改（待复查）", "已销号", "已撤销"}


def _report(ws: Workspace, number: str, status: str, **more: object) -> L.Entry:
    entry = L.by_number(ws.conn, ws.round().id, number)
    assert entry is not None
    values = {
        "status": status,
        "measures": "措施",
        "department": "信息科",
        "person": "张三",
        **more,
    }
    L.update(ws.conn, entry, values, action="reported", who="单位", command="t",
             round_name=ws.round().name)  # fmt: skip
    found = L.by_number(ws.conn, ws.round().id, number)
    assert found is not None
    return found


@pytest.fixture
def cycle(tmp_path: Path) -> Path:
    """市财政局: A1 closed, B1 failed, B2 done, B3 in progress, the aggravated A1 open; a
    withdrawn problem; 市教育局's provisional one."""
    db = finance_round(tmp_path)
    with Workspace.open(db) as ws:
        round_ = ws.round()
        a1 = _report(ws, "2026-市财政局-01", L.DONE, completed_on="2026-04-28")
        decide(ws, round_, a1, Decision(a1.number, True, "已核实"), who="李娜", command="t",
               day=date(2026, 5, 6))  # fmt: skip
        b1 = _report(ws, "2026-市财政局-03", L.DONE, completed_on="2026-04-29",
                     evidence=[{"file": "改密记录.xlsx", "description": "全部账号"}])  # fmt: skip
        decide(ws, round_, b1, Decision(b1.number, False, "仍有弱口令"), who="李娜", command="t")
        _report(ws, "2026-市财政局-04", L.DONE, completed_on="2026-05-02")
        _report(ws, "2026-市财政局-05", L.IN_PROGRESS)
        score(ws, "市大数据局", {"A2": ItemAnswer("deduct", (("r1", 1),))}, confirm=False)
        score(ws, "市大数据局", {"A2": ItemAnswer("full")}, confirm=False)
    return db


def leadership(db: Path, path: Path, lang: str = "zh") -> Path:
    with Workspace.open(db) as ws:
        export_leadership(ws, context(ws, None, lang, None, TODAY), path)
    return path


def test_the_problem_sheet_is_a_real_ledger(cycle: Path, tmp_path: Path) -> None:
    """The leadership workbook's compact 整改台账: a field or two a cell, every fact a
    leader chases (number, status, responsible, measures, completion date, re-inspection,
    closing date, overdue in bold words)."""
    wb = load_workbook(leadership(cycle, tmp_path / "l.xlsx"))
    sheet = wb["问题清单"]
    headers = [c.value for c in sheet[3]]
    assert headers == ["问题编号", "单位", "指标", "存在问题（依据）", "整改要求及期限", "整改状态",
                       "责任部门／责任人", "整改措施及完成时间", "复查意见及销号时间"]  # fmt: skip
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=4) if r[0].value}
    status = {number: r[5].value.split("\n")[0] for number, r in rows.items()}
    assert set(status.values()) == EVERY_STATUS
    a1, b1 = rows["2026-市财政局-01"], rows["2026-市财政局-03"]
    assert a1[5].value == "已销号"
    assert a1[8].value.startswith("复查通过") and "已核实" in a1[8].value
    assert a1[8].value.endswith("2026年5月6日销号")
    assert a1[6].value == "信息科／张三"
    assert a1[7].value == "措施（2026年4月28日完成）"
    assert b1[5].value == "整改中（复查未通过）\n逾期" and "仍有弱口令" in b1[8].value
    assert b1[5].font.b
    assert "复查未通过" in b1[8].value
    # the deadline with the requirement, the short citation with the problem
    assert a1[4].value.endswith("（2026年4月30日前）")
    assert a1[2].value.startswith("A1 ")
    # overdue as of the report's date (2026-05-10; the deadline was 2026-04-30), in bold words
    b3 = rows["2026-市财政局-05"]
    assert b3[5].value.split("\n") == ["整改中", "逾期"] and b3[5].font.b
    assert "逾期" not in rows["2026-市财政局-04"][5].value  # done is not overdue
    assert not rows["2026-市财政局-04"][5].font.b
    edu = next(r for n, r in rows.items() if n.startswith("2026-市教育局"))
    assert "暂定" in edu[5].value
    assert sheet.auto_filter.ref.startswith("A3:I")
    assert sheet.print_title_rows == "$3:$3" and sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0


def test_the_cover_gives_the_rates_per_group_and_the_overdue(cycle: Path, tmp_path: Path) -> None:
    cover = load_workbook(leadership(cycle, tmp_path / "l.xlsx"))["总体情况"]
    rows = [[c.value for c in r] for r in cover.iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[0] == "整改情况")
    assert rows[at + 1][:7] == [
        "单位类别",
        "问题数",
        "已整改",
        "已销号",
        "整改完成率",
        "销号率",
        "逾期",
    ]
    group = rows[at + 2]
    # 6 problems (the withdrawn one does not count): A1 closed and B2 done are rectified
    assert group[:4] == ["部门", 6, 2, 1]
    assert group[4] == pytest.approx(2 / 6) and group[5] == pytest.approx(1 / 6)
    assert group[6] == 4  # B1 (failed: back in progress), B3, the aggravated A1, 市教育局's B1
    assert rows[at + 3][0] == "合计" and rows[at + 3][1] == 6


def test_a_unit_gets_its_own_ledger_and_nothing_of_others(cycle: Path, tmp_path: Path) -> None:
    path = tmp_path / "u.xlsx"
    with Workspace.open(cycle) as ws:
        export_unit(ws, context(ws, None, "zh", None, TODAY), ws.unit("市财政局"), path)
    sheet = load_workbook(path)["问题与整改"]
    numbers = [r[0] for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert numbers[:5] == [f"2026-市财政局-0{n}" for n in (1, 3, 4, 5, 6)]
    with zipfile.ZipFile(path) as archive:
        xml = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    for other in ("市教育局", "市大数据局", "JYJ"):
        assert other not in xml


def test_the_english_ledger(cycle: Path, tmp_path: Path) -> None:
    wb = load_workbook(leadership(cycle, tmp_path / "en.xlsx", "en"))
    rows = [r for r in wb["Problems"].iter_rows(min_row=4, values_only=True) if r[0]]
    statuses = {r[5].split("\n")[0] for r in rows}
    assert {"Closed", "In progress (re-inspection failed)", "Withdrawn"} <= statuses
    b1 = next(r for r in rows if r[0] == "2026-市财政局-03")
    assert b1[4].startswith("Rectify to meet")  # the requirement in the report's language
    assert b1[4].endswith(" (by 2026-04-30)") and b1[8].startswith("Failed")


def test_the_demo_shows_the_whole_cycle(tmp_path: Path) -> None:
    db, out = tmp_path / "demo.db", tmp_path / "demo.xlsx"
    result = invoke(CliRunner(), ["demo", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [
        r for r in load_workbook(out)["问题清单"].iter_rows(min_row=4, values_only=True) if r[0]
    ]
    statuses = {r[5].split("\n")[0] for r in rows if r[5]}  # (None: a long text continues)
    assert statuses == EVERY_STATUS
    assert any("暂定" in (r[5] or "") for r in rows)  # 市水务局 is still being scored
    flags = {f for r in rows if r[5] for f in r[5].split("\n")[1:]}
    assert {"逾期", "上年遗留", "屡查屡犯", "暂定"} <= flags
    ledger = invoke(CliRunner(), ["ledger", "--status", "复查未通过", "--json", "--db", str(db)])
    (failed,) = __import__("json").loads(ledger.output)["entries"]
    assert failed["unit"] == "王益区" and failed["recheck"]["result"] == "failed"
