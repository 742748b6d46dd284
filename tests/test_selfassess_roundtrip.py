"""Self-assessment round trip: generate, fill as a unit would, import, and compare with the
answers file that records the same decisions."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.selfassess_support import ROUND, SMALL, fill, make_workspace

DECISIONS = {
    "A1": {"deduct": {"r1": 1, "r2": 1}, "note": "全年未专题研究", "evidence": "党组会议纪要"},
    "A2": {"deduct": {"r1": 1}},
    "B1": {"deduct": {"r1": 3, "r2": 1}, "note": "3处弱口令"},
    "B2": {"level": "仅培训", "evidence": "培训签到表"},
    "B3": {"score": 2.5},
}
ADJUSTMENTS = {"aggravated": {"A1": 2}, "bonus": {"B1": 1}}
ANSWERS_FILE = """\
unit: 市大数据局
items:
  A1: {deduct: {r1: 1, r2: 1}, note: 全年未专题研究, evidence: 党组会议纪要}
  A2: {deduct: {r1: 1}}
  B1: {deduct: {r1: 3, r2: 1}, note: 3处弱口令}
  B2: {level: 仅培训, evidence: 培训签到表}
  B3: {score: 2.5}
aggravated: {A1: 2}
bonus: {B1: 1}
"""


def template_for(runner: CliRunner, db: Path, folder: Path, unit: str, lang: str = "zh") -> Path:
    result = invoke(runner, ["template", unit, "--db", str(db), "--out", str(folder)], lang=lang)
    assert result.exit_code == 0, result.output
    return folder / f"{unit}.xlsx"


def test_round_trip_equals_the_answers_file(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    book = template_for(runner, db, tmp_path / "out", "市大数据局")
    fill(book, DECISIONS, ADJUSTMENTS)
    result = invoke(runner, ["import", str(book), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "已导入" in result.output

    other = tmp_path / "other"
    other.mkdir()
    db2 = make_workspace(other, SMALL)
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS_FILE, encoding="utf-8")
    result = invoke(
        runner, ["score", "市大数据局", "--self", "--answers", str(answers), "--db", str(db2)]
    )
    assert result.exit_code == 0, result.output

    from_workbook = invoke(runner, ["answers", "市大数据局", "--self", "--db", str(db)])
    from_answers = invoke(runner, ["answers", "市大数据局", "--self", "--db", str(db2)])
    assert from_workbook.exit_code == 0
    assert from_workbook.stdout == from_answers.stdout
    assert '"B2": {level: 仅培训, evidence: 培训签到表}' in from_workbook.stdout

    shown = invoke(runner, ["show", "市大数据局", "--self", "--db", str(db)])
    shown2 = invoke(runner, ["show", "市大数据局", "--self", "--db", str(db2)])
    assert shown.exit_code == 0
    assert shown.stdout == shown2.stdout
    assert "自评" in shown.stdout


def test_import_records_source_and_digest_and_audit(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    book = template_for(runner, db, tmp_path / "out", "市财政局")
    fill(book, {"B2": {"level": "实战演练"}, "B3": {"score": 5}})
    assert invoke(runner, ["import", str(book), "--db", str(db)]).exit_code == 0
    with Workspace.open(db) as ws:
        unit = ws.unit("市财政局")
        stored = ws.assessment(ws.round(), unit, "self")
        assert stored.source == "市财政局.xlsx"
        assert stored.source_digest == hashlib.sha256(book.read_bytes()).hexdigest()
        assert set(stored.items) == {"A1", "B1", "B2", "B3"}  # A2 applies to 关基 only
        assert stored.items["A1"].answer.form == "full"
        log = ws.audit_log(unit)
        assert {e.target for e in log if e.kind == "self"} >= {"item:A1", "item:B3"}
        assert all(e.command for e in log)


def test_dry_run_records_nothing(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    book = template_for(runner, db, tmp_path / "out", "市大数据局")
    fill(book, DECISIONS, ADJUSTMENTS)
    with Workspace.open(db) as ws:
        audit_before = ws.audit_log()
    result = invoke(runner, ["import", str(book), "--dry-run", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "检查通过（未记录）" in result.output
    assert "试运行，未记录任何内容" in result.output
    with Workspace.open(db) as ws:
        assert not ws.assessment(ws.round(), ws.unit("市大数据局"), "self").exists
        assert ws.audit_log() == audit_before


def test_dry_run_shows_total_and_grade(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    book = template_for(runner, db, tmp_path / "out", "市财政局")
    fill(book, {"B2": {"level": "实战演练"}, "B3": {"score": 5}})
    result = invoke(runner, ["import", str(book), "--dry-run", "--db", str(db)])
    assert result.exit_code == 0
    assert "50" in result.output and "优秀" in result.output


def test_same_file_twice_is_a_no_op(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    book = template_for(runner, db, tmp_path / "out", "市大数据局")
    fill(book, DECISIONS, ADJUSTMENTS)
    assert invoke(runner, ["import", str(book), "--db", str(db)]).exit_code == 0
    with Workspace.open(db) as ws:
        log_before = ws.audit_log()
        updated = ws.assessment(ws.round(), ws.unit("市大数据局"), "self").updated_at
    result = invoke(runner, ["import", str(book), "--db", str(db)])
    assert result.exit_code == 0
    assert "未变化" in result.output and "同一文件已导入过" in result.output
    with Workspace.open(db) as ws:
        assert ws.audit_log() == log_before
        assert ws.assessment(ws.round(), ws.unit("市大数据局"), "self").updated_at == updated


def test_newer_version_replaces_and_is_audited(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    folder = tmp_path / "out"
    book = template_for(runner, db, folder, "市大数据局")
    blank = tmp_path / "blank.xlsx"
    shutil.copy(book, blank)
    fill(book, DECISIONS, ADJUSTMENTS)
    assert invoke(runner, ["import", str(book), "--db", str(db)]).exit_code == 0
    newer = fill(
        blank,
        {"B2": {"level": "实战演练"}, "B3": {"score": 5}},
        out=tmp_path / "市大数据局-v2.xlsx",
    )
    result = invoke(runner, ["import", str(newer), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "已导入" in result.output
    with Workspace.open(db) as ws:
        unit = ws.unit("市大数据局")
        stored = ws.assessment(ws.round(), unit, "self")
        assert stored.source == "市大数据局-v2.xlsx"
        assert stored.items["A1"].answer.form == "full"
        assert stored.aggravated == {} and stored.bonus == {}
        changes = [e for e in ws.audit_log(unit) if e.kind == "self" and e.target == "item:A1"]
        assert changes[-1].old == {
            "form": "deduct",
            "deductions": {"r1": 1, "r2": 1},
            "note": "全年未专题研究",
            "evidence": "党组会议纪要",
        }
        assert changes[-1].new == {"form": "full"}
        assert [e.target for e in ws.audit_log(unit) if e.target == "aggravated"]


def test_import_never_touches_the_inspection(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    answers = tmp_path / "insp.yaml"
    answers.write_text("unit: 市大数据局\nitems:\n  A1: {deduct: {r1: 1}}\n", encoding="utf-8")
    scored = invoke(
        runner, ["score", "市大数据局", "--answers", str(answers), "--confirm", "--db", str(db)]
    )
    assert scored.exit_code == 0
    with Workspace.open(db) as ws:
        inspection = ws.assessment(ws.round(), ws.unit("市大数据局"), "inspection")
        inspection_log = [e for e in ws.audit_log() if e.kind == "inspection"]
    book = template_for(runner, db, tmp_path / "out", "市大数据局")
    fill(book, DECISIONS, ADJUSTMENTS)
    assert invoke(runner, ["import", str(book), "--db", str(db)]).exit_code == 0
    with Workspace.open(db) as ws:
        assert ws.assessment(ws.round(), ws.unit("市大数据局"), "inspection") == inspection
        assert [e for e in ws.audit_log() if e.kind == "inspection"] == inspection_log
        assert ws.assessment(ws.round(), ws.unit("市大数据局"), "self").exists


def test_confirmed_self_assessment_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    book = template_for(runner, db, tmp_path / "out", "市大数据局")
    fill(book, DECISIONS, ADJUSTMENTS)
    assert invoke(runner, ["import", str(book), "--db", str(db)]).exit_code == 0
    with Workspace.open(db) as ws:
        ws.set_confirmed(ws.round(), ws.unit("市大数据局"), "self", True, "tester", "test")
    fill(book, {"B3": {"score": 1}})
    result = invoke(runner, ["import", str(book), "--db", str(db)])
    assert result.exit_code == 1
    assert "已确认锁定" in result.output
    dry = invoke(runner, ["import", str(book), "--dry-run", "--db", str(db)])
    assert dry.exit_code == 1 and "已确认锁定" in dry.output  # the lock rule, checked early
    with Workspace.open(db) as ws:
        stored = ws.assessment(ws.round(), ws.unit("市大数据局"), "self")
        assert str(stored.items["B3"].answer.value) == "2.5"


def test_batch_reports_each_file_and_fails_if_any_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = make_workspace(tmp_path, SMALL)
    folder = tmp_path / "out"
    assert (
        invoke(runner, ["template", "--all", "--db", str(db), "--out", str(folder)]).exit_code == 0
    )
    fill(folder / "市大数据局.xlsx", DECISIONS, ADJUSTMENTS)
    fill(folder / "市财政局.xlsx", {"B2": {"level": "没这档"}, "B3": {"score": 5}})
    (folder / "~$市财政局.xlsx").write_bytes(b"lock file of an open workbook")
    result = invoke(runner, ["import", str(folder), "--db", str(db)])
    assert result.exit_code == 1
    assert "已导入" in result.output
    assert "拒收（1 个问题）" in result.output
    assert "市财政局.xlsx: 评分表!G" in result.output and "没有档次“没这档”" in result.output
    assert "共 2 个文件：导入 1 个，未变化 0 个，拒收 1 个。" in result.output
    with Workspace.open(db) as ws:
        assert ws.assessment(ws.round(), ws.unit("市大数据局"), "self").exists
        assert not ws.assessment(ws.round(), ws.unit("市财政局"), "self").exists


def test_english_round_trip_and_messages(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL)
    book = template_for(runner, db, tmp_path / "out", "市财政局", lang="en")
    from openpyxl import load_workbook

    wb = load_workbook(book)
    assert wb.sheetnames[:2] == ["Instructions", "Scores"]
    fill(book, {"B2": {"level": "仅培训"}, "B3": {"score": 9}}, sheet="Scores")
    result = invoke(runner, ["import", str(book), "--db", str(db)], lang="en")
    assert result.exit_code == 1
    assert "Scores!G" in result.output
    assert (
        "score 9 for item B3 is invalid: it must be between 0 and 5, in steps of 0.5"
        in result.output
    )
    assert "1 file(s): 0 imported, 0 unchanged, 1 refused." in result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_same_unit_twice_in_a_batch_is_noted(runner: CliRunner, tmp_path: Path, lang: str) -> None:
    db = make_workspace(tmp_path, SMALL)
    book = template_for(runner, db, tmp_path / "out", "市财政局")
    fill(book, {"B2": {"level": "仅培训"}, "B3": {"score": 5}})
    copy = tmp_path / "copy.xlsx"
    fill(book, {"B3": {"score": 4}}, out=copy)
    result = invoke(runner, ["import", str(book), str(copy), "--db", str(db)], lang=lang)
    assert result.exit_code == 0
    assert ("多个文件" if lang == "zh" else "several files") in result.output
    with Workspace.open(db) as ws:
        assert (
            str(ws.assessment(ws.round(), ws.unit("市财政局"), "self").items["B3"].answer.value)
            == "4"
        )
    assert ROUND


def test_import_replaces_the_whole_self_assessment(runner: CliRunner, tmp_path: Path) -> None:
    """Items, aggravated and bonus entries and any veto recorded before by other means."""
    db = make_workspace(tmp_path, SMALL)
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(
        "unit: 市财政局\nitems:\n  A1: {deduct: {r1: 1}, problem: 手工录入}\nveto: [V1]\nbonus: {B1: 1}\n",
        encoding="utf-8",
    )
    assert (
        invoke(
            runner, ["score", "市财政局", "--self", "--answers", str(earlier), "--db", str(db)]
        ).exit_code
        == 0
    )
    book = template_for(runner, db, tmp_path / "out", "市财政局")
    fill(book, {"B2": {"level": "仅培训"}, "B3": {"score": 4}})
    assert invoke(runner, ["import", str(book), "--db", str(db)]).exit_code == 0
    with Workspace.open(db) as ws:
        stored = ws.assessment(ws.round(), ws.unit("市财政局"), "self")
        assert stored.veto == frozenset() and stored.bonus == {}
        assert (
            stored.items["A1"].answer.form == "full" and stored.items["A1"].answer.problem is None
        )
        last = {e.target: e for e in ws.audit_log() if e.kind == "self"}
        assert (last["veto"].old, last["veto"].new) == ({"V1": 1}, None)
        assert (last["bonus"].old, last["bonus"].new) == ({"B1": 1}, None)
        assert last["item:A1"].new == {"form": "full"}
    again = invoke(runner, ["import", str(book), "--db", str(db)])
    assert "未变化" in again.output
