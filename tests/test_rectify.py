"""Rectification workbooks: what a unit receives, and reading back what it returns, with
every bad input refused at its cell and nothing recorded."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.app import rectify
from inspector.rectify import layout as RL
from inspector.store import ledger as L
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.ledger_support import (
    TODAY,
    by_code,
    done,
    entries,
    fill,
    finance_round,
    ledger_state,
    rows_by_number,
    score,
)

NUMBERS = ["2026-市财政局-01", "2026-市财政局-03", "2026-市财政局-04", "2026-市财政局-05",
           "2026-市财政局-06"]  # fmt: skip


def issue(
    db: Path, folder: Path, *names: str, lang: str = "zh", force: bool = False
) -> rectify.Issued:
    with Workspace.open(db) as ws:
        return rectify.issue(
            ws, None, list(names) or None, folder, lang, who="office", force=force, day=TODAY
        )


def load(db: Path, *paths: Path, dry_run: bool = False, day: date = TODAY) -> list[rectify.Outcome]:
    with Workspace.open(db) as ws:
        return rectify.import_files(ws, list(paths), "office", "test", None, dry_run, None, day)


@pytest.fixture
def issued(tmp_path: Path) -> tuple[Path, Path]:
    """The finance round and 市财政局's workbook."""
    db = finance_round(tmp_path)
    written = issue(db, tmp_path / "out")
    assert [w.unit.name for w in written.written] == ["市财政局"]
    return db, written.written[0].path


def messages(outcome: rectify.Outcome) -> list[str]:
    return [p.render() for p in outcome.problems]


# --- the workbook a unit receives ---------------------------------------------------------------


def test_the_workbook_lists_open_problems_and_unlocks_only_the_units_cells(
    issued: tuple[Path, Path],
) -> None:
    db, path = issued
    wb = load_workbook(path)
    assert wb.sheetnames == ["填表说明", "整改台账", "inspector"]
    assert wb.active.title == "填表说明"
    assert wb["inspector"].sheet_state in ("veryHidden", "hidden")
    assert wb.security is not None and wb.security.lockStructure
    sheet = wb["整改台账"]
    assert sheet.protection.sheet
    rows = rows_by_number(sheet)
    assert list(rows) == NUMBERS
    first = rows[NUMBERS[0]]
    assert sheet[f"C{first}"].value == "仅研究1次"
    assert sheet[f"D{first}"].value == "每年至少专题研究2次"
    assert sheet[f"E{first}"].value == datetime(2026, 4, 30)
    for column in RL.COLUMNS[:-1]:
        locked = sheet[f"{column}{first}"].protection.locked
        assert locked is (column not in RL.INPUT_COLUMNS), column
    assert sheet.column_dimensions[RL.KEY].hidden
    kinds = {}
    for dv in sheet.data_validations.dataValidation:
        for column in {str(r)[0] for r in dv.sqref.ranges}:
            kinds[column] = (dv.type, dv.formula1, dv.formula2)
    assert kinds[RL.STATUS] == ("list", '"整改中,已整改"', None)
    assert kinds[RL.COMPLETED][0] == "date" and kinds[RL.COMPLETED][2] == "TODAY()"
    assert kinds[RL.MEASURES][0] == "textLength"
    with Workspace.open(db) as ws:
        (numbers, _) = L.issued(ws.conn, ws.round().id, ws.unit("市财政局").id) or ([], "")
    assert numbers == NUMBERS


def test_provisional_and_empty_units_get_no_workbook(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    written = issue(db, tmp_path / "out")
    skipped = {s.unit.name: s.reason for s in written.skipped}
    assert skipped == {"市教育局": "unconfirmed", "市大数据局": "no_problems"}
    from inspector.errors import InspectorError

    with pytest.raises(InspectorError) as refused:
        issue(db, tmp_path / "other", "市教育局")
    assert "尚未确认" in refused.value.message()


def test_existing_files_are_never_overwritten_without_force(issued: tuple[Path, Path]) -> None:
    from inspector.errors import ConflictError

    db, path = issued
    before = path.read_bytes()
    with pytest.raises(ConflictError):
        issue(db, path.parent)
    assert path.read_bytes() == before
    issue(db, path.parent, force=True)


# --- round trip ------------------------------------------------------------------------------------


def test_round_trip_records_what_the_unit_reported(issued: tuple[Path, Path]) -> None:
    db, path = issued
    fill(
        path,
        {
            NUMBERS[0]: {
                **done("2026-05-02", "已召开2次专题会议"),
                "K": "会议纪要.pdf：第1次专题会议\n纪要2.pdf",
            },
            NUMBERS[1]: {"F": "整改中", "H": "信息科", "J": "已修改2处"},
            NUMBERS[2]: {"H": "办公室"},  # no status: in progress once anything is filled in
        },
    )
    state = ledger_state(db)
    (checked,) = load(db, path, dry_run=True)
    assert checked.status == "checked" and checked.changes == 3
    assert ledger_state(db) == state  # a dry run records nothing
    (outcome,) = load(db, path)
    assert outcome.status == "imported" and outcome.changes == 3 and outcome.done == 1
    found = {e.number: e for e in entries(db, "市财政局")}
    a1 = found[NUMBERS[0]]
    assert a1.status == L.DONE and a1.completed_on == "2026-05-02"
    assert (a1.department, a1.person, a1.measures) == ("信息科", "张三", "已召开2次专题会议")
    assert [(e.file, e.description) for e in a1.evidence] == [
        ("会议纪要.pdf", "第1次专题会议"),
        ("纪要2.pdf", ""),
    ]
    assert found[NUMBERS[1]].status == L.IN_PROGRESS
    assert found[NUMBERS[2]].status == L.IN_PROGRESS
    assert found[NUMBERS[3]].status == L.OPEN  # untouched
    assert a1.updated_by == "office"
    with Workspace.open(db) as ws:
        actions = [c.action for c in L.history(ws.conn, a1.uid)]
        commands = [c.command for c in L.history(ws.conn, a1.uid)]
    assert actions == ["created", "reported"] and path.name in commands[-1]
    # the same file again is a no-op
    state = ledger_state(db)
    (again,) = load(db, path)
    assert again.status == "unchanged" and ledger_state(db) == state


def test_a_new_workbook_carries_what_was_reported(issued: tuple[Path, Path]) -> None:
    db, path = issued
    fill(path, {NUMBERS[0]: done()})
    assert load(db, path)[0].status == "imported"
    again = issue(db, path.parent, force=True).written[0].path
    sheet = load_workbook(again)["整改台账"]
    row = rows_by_number(sheet)[NUMBERS[0]]
    assert sheet[f"F{row}"].value == "已整改" and sheet[f"G{row}"].value == datetime(2026, 5, 1)
    assert sheet[f"J{row}"].value == "已整改"
    assert load(db, again)[0].status == "unchanged"  # what it says is what is stored


def test_office_program_spellings_are_accepted(issued: tuple[Path, Path]) -> None:
    db, path = issued
    fill(
        path,
        {
            NUMBERS[0]: {**done(), "G": "2026年5月1日", "F": " 已整改 "},
            NUMBERS[1]: {**done(), "G": "２０２６-０５-０１"},
            NUMBERS[2]: {**done(), "G": 46143},  # a date whose cell lost its format
            NUMBERS[3]: {**done(), "F": "Done"},  # a machine set to English
        },
    )
    (outcome,) = load(db, path)
    assert outcome.status == "imported", messages(outcome)
    assert {e.completed_on for e in entries(db, "市财政局") if e.status == L.DONE} == {"2026-05-01"}


def test_an_english_workbook_reads_back(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    path = issue(db, tmp_path / "en", lang="en").written[0].path
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Rectification", "inspector"]
    fill(path, {NUMBERS[0]: {**done(), "F": "Done"}}, sheet="Rectification")
    assert load(db, path)[0].status == "imported"


# --- refused, each at its cell, nothing recorded ----------------------------------------------------


def refused(db: Path, path: Path) -> list[str]:
    state = ledger_state(db)
    (outcome,) = load(db, path)
    assert outcome.status == "refused"
    assert ledger_state(db) == state
    return messages(outcome)


def cell_of(path: Path, number: str, column: str) -> str:
    sheet = load_workbook(path)["整改台账"]
    return f"整改台账!{column}{rows_by_number(sheet)[number]}"


def test_a_unit_cannot_close_its_own_problems(issued: tuple[Path, Path]) -> None:
    db, path = issued
    fill(path, {NUMBERS[0]: {**done(), "F": "已销号"}})
    (message,) = refused(db, path)
    assert message.startswith(f"{path}: {cell_of(path, NUMBERS[0], 'F')}: ")
    assert "单位不能自行销号" in message


def test_a_future_completion_date_is_refused(issued: tuple[Path, Path]) -> None:
    db, path = issued
    fill(path, {NUMBERS[1]: done("2026-05-11")})  # the day after TODAY
    (message,) = refused(db, path)
    assert cell_of(path, NUMBERS[1], "G") in message and "晚于今天" in message


def test_text_where_a_date_belongs_is_refused(issued: tuple[Path, Path]) -> None:
    db, path = issued
    fill(
        path, {NUMBERS[1]: {**done(), "G": "上周已完成"}, NUMBERS[2]: {**done(), "G": "2026-02-30"}}
    )
    found = refused(db, path)
    assert len(found) == 2 and all("不是日期" in m for m in found)
    assert cell_of(path, NUMBERS[1], "G") in found[0]


def test_done_needs_a_date_and_measures_and_a_date_needs_done(issued: tuple[Path, Path]) -> None:
    db, path = issued
    fill(
        path,
        {
            NUMBERS[0]: {"F": "已整改", "J": "已整改"},
            NUMBERS[1]: {"F": "已整改", "G": date(2026, 5, 1)},
            NUMBERS[2]: {"F": "整改中", "G": date(2026, 5, 1)},
        },
    )
    found = refused(db, path)
    assert any(cell_of(path, NUMBERS[0], "G") in m and "完成时间" in m for m in found)
    assert any(cell_of(path, NUMBERS[1], "J") in m and "整改措施" in m for m in found)
    assert any(cell_of(path, NUMBERS[2], "G") in m and "不是“已整改”" in m for m in found)


def test_an_unknown_status_a_formula_and_too_long_a_text_are_refused(
    issued: tuple[Path, Path],
) -> None:
    db, path = issued
    fill(
        path,
        {
            NUMBERS[0]: {"F": "差不多了"},
            NUMBERS[1]: {"J": "=1+1"},
            NUMBERS[2]: {"H": "科" * (RL.MAX_NAME + 1)},
        },
    )
    found = refused(db, path)
    assert len(found) == 3
    assert "整改状态“差不多了”无效" in found[0]
    assert cell_of(path, NUMBERS[1], "J") in found[1] and "公式" in found[1]
    assert cell_of(path, NUMBERS[2], "H") in found[2] and "过长" in found[2]


def test_a_deleted_or_inserted_row_is_refused(issued: tuple[Path, Path], tmp_path: Path) -> None:
    db, path = issued
    fill(path, {NUMBERS[0]: done()})
    deleted = tmp_path / "deleted.xlsx"
    wb = load_workbook(path)
    sheet = wb["整改台账"]
    sheet.delete_rows(rows_by_number(sheet)[NUMBERS[2]])
    wb.save(deleted)
    (message,) = refused(db, deleted)
    assert f"{deleted}: 整改台账: " in message and NUMBERS[2] in message and "删除" in message

    inserted = tmp_path / "inserted.xlsx"
    wb = load_workbook(path)
    sheet = wb["整改台账"]
    at = rows_by_number(sheet)[NUMBERS[1]]
    sheet.insert_rows(at)
    sheet[f"J{at}"] = "新增的整改措施"
    wb.save(inserted)
    (message,) = refused(db, inserted)
    assert f"整改台账!J{at}" in message and "插入的行" in message

    blank = tmp_path / "blank-row.xlsx"  # a blank row inserted is harmless
    wb = load_workbook(path)
    wb["整改台账"].insert_rows(at)
    wb.save(blank)
    assert load(db, blank)[0].status == "imported"


def test_a_duplicated_row_is_refused(issued: tuple[Path, Path], tmp_path: Path) -> None:
    db, path = issued
    copy = tmp_path / "copy.xlsx"
    wb = load_workbook(path)
    sheet = wb["整改台账"]
    last = sheet.max_row + 1
    source = rows_by_number(sheet)[NUMBERS[0]]
    for column in RL.COLUMNS:
        sheet[f"{column}{last}"] = sheet[f"{column}{source}"].value
    wb.save(copy)
    (message,) = refused(db, copy)
    assert f"整改台账!A{last}" in message and "重复" in message


def test_another_units_or_rounds_workbook_is_refused(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    with Workspace.open(db) as ws:  # 市教育局 confirmed too: its own workbook
        ws.set_confirmed(ws.round(), ws.unit("市教育局"), "inspection", True, "王磊", "t")
    written = {w.unit.name: w.path for w in issue(db, tmp_path / "out").written}
    finance, education = written["市财政局"], written["市教育局"]
    # the identity of 市教育局's workbook pasted onto 市财政局's rows
    pasted = tmp_path / "pasted.xlsx"
    shutil.copy(finance, pasted)
    theirs, mine = load_workbook(education), load_workbook(pasted)
    for src, dst in zip(
        theirs["inspector"].iter_rows(), mine["inspector"].iter_rows(), strict=False
    ):
        dst[1].value = src[1].value
    mine.custom_doc_props = theirs.custom_doc_props
    mine.save(pasted)
    found = refused(db, pasted)
    assert any("不在本表下发的问题清单中" in m for m in found)
    # the identity edited to claim another unit: the tag does not verify
    forged = tmp_path / "forged.xlsx"
    wb = load_workbook(finance)
    for row in wb["inspector"].iter_rows():
        if row[0].value == "unit":
            row[1].value = "市教育局"
    wb.custom_doc_props = type(wb.custom_doc_props)()
    wb.save(forged)
    assert any("身份核验失败" in m for m in refused(db, forged))
    # a workbook of another round
    with Workspace.open(db) as ws:
        from inspector.app.carryover import create

        create(ws, "2027年度督查", indicators=None, deadline=None, timezone=None,
               previous="2026年度督查", without=[], command="t")  # fmt: skip
    with Workspace.open(db) as ws:
        state = ledger_state(db)
        (outcome,) = rectify.import_files(ws, [finance], "office", "t", None, False, None, TODAY)
    assert outcome.status == "refused" and "不是当前导入的轮次" in messages(outcome)[0]
    assert ledger_state(db) == state


def test_a_workbook_for_an_older_problem_list_is_refused(issued: tuple[Path, Path]) -> None:
    db, path = issued
    old = path.with_name("old.xlsx")
    shutil.copy(path, old)
    with Workspace.open(db) as ws:  # a new problem found: the list changes, a new workbook goes out
        score(ws, "市财政局", {}, adjustments={"veto": {"V1": 1}}, reopen=True)
    issue(db, path.parent, force=True)
    fill(old, {NUMBERS[1]: done()})
    (message,) = refused(db, old)
    assert "不是“市财政局”最近下发的报告表" in message


def test_a_closed_problem_cannot_change_any_more(issued: tuple[Path, Path]) -> None:
    from inspector.app.recheck import Decision, decide

    db, path = issued
    fill(path, {NUMBERS[0]: done()})
    assert load(db, path)[0].status == "imported"
    with Workspace.open(db) as ws:
        entry = L.by_number(ws.conn, ws.round().id, NUMBERS[0])
        assert entry is not None
        decide(ws, ws.round(), entry, Decision(NUMBERS[0], True, None), who="o", command="t")
    assert load(db, path)[0].status == "unchanged"  # the same report: fine
    fill(path, {NUMBERS[0]: {"J": "改了措施"}})
    (message,) = refused(db, path)
    assert cell_of(path, NUMBERS[0], "J") in message and "已于" in message and "销号" in message


def test_a_self_assessment_workbook_is_named_as_such(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    result = invoke(
        CliRunner(), ["template", "市财政局", "--db", str(db), "--out", str(tmp_path / "sa")]
    )
    assert result.exit_code == 0, result.output
    (message,) = refused(db, tmp_path / "sa" / "市财政局.xlsx")
    assert "这是自评表" in message and "inspector import" in message


def test_cli_rectify_template_and_import(tmp_path: Path) -> None:
    db = finance_round(tmp_path)
    runner = CliRunner()
    out = tmp_path / "out"
    result = invoke(runner, ["rectify", "template", "--all", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "市财政局：5 条问题" in result.output and "市教育局：检查评分尚未确认" in result.output
    path = out / "市财政局.xlsx"
    bad = fill(path, {NUMBERS[0]: {**done(), "F": "已销号"}}, out=tmp_path / "bad.xlsx")
    good = fill(path, {NUMBERS[0]: done()}, out=tmp_path / "good.xlsx")
    result = invoke(runner, ["rectify", "import", str(good), str(bad), "--db", str(db)])
    assert result.exit_code == 1
    assert "bad.xlsx: 整改台账!F4: " in result.output
    assert "共 2 个文件：导入 1 个，未变化 0 个，拒收 1 个。" in result.output
    result = invoke(runner, ["rectify", "import", str(good), "--db", str(db)])
    assert result.exit_code == 0 and "未变化" in result.output
    assert by_code(db)[("item", "A1")].status == L.DONE
    result = invoke(runner, ["rectify", "--help"])
    assert result.exit_code == 0 and "template" in result.output


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_libreoffice_resave_reads_back(issued: tuple[Path, Path], tmp_path: Path) -> None:
    db, path = issued
    fill(path, {NUMBERS[0]: done(), NUMBERS[1]: {"F": "整改中", "J": "进行中"}})
    folder = tmp_path / "resaved"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(folder), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (outcome,) = load(db, folder / path.name)
    assert outcome.status == "imported", messages(outcome)
    assert by_code(db)[("item", "A1")].status == L.DONE
