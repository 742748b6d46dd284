"""Scoring forms: a form defined only in the test suite (tests/forms_checklist.py) works end to
end through every way in and out, and the program outside core/forms never branches on one."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.core.assessment import ItemAnswer
from inspector.core.forms import register, registered, unregister
from inspector.core.forms.base import Form
from inspector.core.indicators import parse_set
from inspector.errors import ProblemsError
from inspector.selfassess import layout as L
from inspector.store.workspace import Workspace
from inspector.ui import interactive
from tests.conftest import SETS
from tests.forms_checklist import MESSAGES, ChecklistForm
from tests.helpers import invoke
from tests.selfassess_support import make_workspace, rows_by_key

UNIT = "电力公司"  # 部门, not 关基: A1 B1 B2 B3 C1 apply
CHECKLIST_ITEM = """\
  - code: C
    name: 资产管理
    points: 6
    items:
      - code: C1
        name: 资产台账
        points: 6
        requirement: 建立并维护网络资产台账。
        checklist:
          - {id: c1, text: 建立资产台账, points: 3}
          - {id: c2, text: 台账明确责任人, points: 2}
          - {id: c3, text: 每半年更新, points: 1}
veto:
"""


def checklist_set(body: str = CHECKLIST_ITEM) -> str:
    text = (SETS / "small.yaml").read_text(encoding="utf-8")
    text = text.replace("total: 50\nfinal_cap: 50", "total: 56\nfinal_cap: 56")
    return text.replace("veto:\n", body, 1)


@pytest.fixture
def checklist() -> Iterator[ChecklistForm]:
    form = ChecklistForm()
    register(form, MESSAGES)
    yield form
    unregister(form)


@pytest.fixture
def db(tmp_path: Path, checklist: ChecklistForm) -> Path:
    path = tmp_path / "set.yaml"
    path.write_text(checklist_set(), encoding="utf-8")
    return make_workspace(tmp_path, path, units=((UNIT, "部门", "DL", ()),))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stored(db: Path, kind: str = "inspection") -> dict[str, ItemAnswer]:
    with Workspace.open(db) as ws:
        held = ws.assessment(ws.round(), ws.unit(UNIT), kind)  # type: ignore[arg-type]
        return {code: s.answer for code, s in held.items.items()}


# --- registering ---------------------------------------------------------------------------


def test_registering_adds_and_removes_the_form(checklist: ChecklistForm) -> None:
    assert registered()[-1] is checklist
    loaded = parse_set(checklist_set(), "set.yaml").indicators
    assert loaded.item("C1").checklist[1].id == "c2"  # type: ignore[union-attr]
    unregister(checklist)
    try:
        with pytest.raises(ProblemsError) as info:
            parse_set(checklist_set(), "set.yaml")
        keys = {p.key for p in info.value.problems}
        assert keys == {"value.unknown_key", "set.no_scoring"}  # a set needs its forms
    finally:
        register(checklist, MESSAGES)


def test_a_form_cannot_take_a_known_key(checklist: ChecklistForm) -> None:
    class Clash(ChecklistForm):
        key = "deductions"

    class AnswerClash(ChecklistForm):
        key = "other"
        answer_key = "na"

    for form in (Clash(), AnswerClash(), ChecklistForm()):
        with pytest.raises(ValueError):
            register(form)


# --- the indicator set ---------------------------------------------------------------------


def test_checklist_set_validates_with_located_errors(checklist: ChecklistForm) -> None:
    broken = CHECKLIST_ITEM.replace("points: 1}", "points: 2}").replace(
        "{id: c2, text: 台账明确责任人, points: 2}",
        "{id: c1, txt: 台账明确责任人, points: 2}",
    )
    text = checklist_set(broken)
    with pytest.raises(ProblemsError) as info:
        parse_set(text, "set.yaml")
    lines = text.splitlines()

    def where(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, start=1) if fragment in line)

    found = {(p.key, p.location.line if p.location else None) for p in info.value.problems}
    assert ("forms.checklist.sum", where("checklist:") + 1) in found  # 3+2+2 ≠ 6, at the list
    assert ("set.duplicate", where("id: c1, txt")) in found
    assert ("value.unknown_key", where("id: c1, txt")) in found
    assert ("value.missing", where("id: c1, txt")) in found  # no text
    message = next(p for p in info.value.problems if p.key == "forms.checklist.sum").render()
    assert message.startswith(f"set.yaml:{where('checklist:') + 1}:") and "7" in message


def test_indicators_show_and_json(runner: CliRunner, tmp_path: Path, checklist) -> None:
    path = write(tmp_path, "set.yaml", checklist_set())
    shown = invoke(runner, ["indicators", "show", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "核对 3 项" in shown.output
    data = json.loads(invoke(runner, ["indicators", "show", "--json", str(path)]).output)
    item = data["categories"][2]["items"][0]
    assert item["scoring"] == "checklist" and item["checks"] == 3
    assert item["checklist"][0] == {"id": "c1", "text": "建立资产台账", "points": 3, "en": None}
    schema = json.loads(invoke(runner, ["indicators", "schema"]).output)
    assert "checklist" in schema["$defs"]["Item"]["properties"]


# --- answers files -------------------------------------------------------------------------

ANSWERS = """\
unit: 电力公司
items:
  "A1": {deduct: {r2: 1}}
  "B2": {level: 仅培训}
  "C1": {missed: [c3, c2], problem: 台账未明确责任人且一年未更新}
"""


def test_answers_file_round_trips_byte_for_byte(runner: CliRunner, db: Path, tmp_path) -> None:
    result = invoke(
        runner,
        ["score", UNIT, "--answers", str(write(tmp_path, "a.yaml", ANSWERS)), "--db", str(db)],
    )
    assert result.exit_code == 0, result.output
    assert stored(db)["C1"] == ItemAnswer(
        "missed", ("c2", "c3"), problem="台账未明确责任人且一年未更新"
    )
    first = invoke(runner, ["answers", UNIT, "--db", str(db)]).output
    assert '"C1": {missed: [c2, c3], problem: 台账未明确责任人且一年未更新}' in first

    other = tmp_path / "other"
    other.mkdir()
    db2 = make_workspace(other, tmp_path / "set.yaml", units=((UNIT, "部门", "DL", ()),))
    dumped = write(tmp_path, "dumped.yaml", first)
    assert (
        invoke(runner, ["score", UNIT, "--answers", str(dumped), "--db", str(db2)]).exit_code == 0
    )
    assert invoke(runner, ["answers", UNIT, "--db", str(db2)]).output == first
    again = invoke(runner, ["score", UNIT, "--answers", str(dumped), "--db", str(db)])
    assert "变更 0 处" in again.output

    shown = json.loads(invoke(runner, ["show", UNIT, "--json", "--db", str(db)]).output)
    c1 = next(i for i in shown["items"] if i["code"] == "C1")
    assert c1["score"] == 3 and c1["missed"] == ["c2", "c3"] and c1["level"] is None
    assert c1["deductions"] == [
        {"rule": "c2", "count": 1, "points": 2},
        {"rule": "c3", "count": 1, "points": 1},
    ]
    with Workspace.open(db) as ws:
        log = [e for e in ws.audit_log(ws.unit(UNIT)) if e.target == "item:C1"]
    assert log[0].new == {
        "form": "missed",
        "missed": ["c2", "c3"],
        "problem": "台账未明确责任人且一年未更新",
    }


def test_bad_checklist_answers_are_located(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    text = 'unit: 电力公司\nitems:\n  "C1": {missed: [c9]}\n  "B3": {missed: [c1]}\n'
    result = invoke(
        runner, ["score", UNIT, "--answers", str(write(tmp_path, "b.yaml", text)), "--db", str(db)]
    )
    assert result.exit_code != 0
    assert "b.yaml:3:" in result.output and "没有核对项“c9”（可用：c1、c2、c3）" in result.output
    assert "b.yaml:4:" in result.output and "B3" in result.output  # another item's form
    assert not stored(db)


# --- the interactive scorer ----------------------------------------------------------------


def test_interactive_scorer_scores_a_checklist(
    runner: CliRunner, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interactive, "has_terminal", lambda: True)
    monkeypatch.setenv("INSPECTOR_USER", "王磊")
    lines = ["", "", "", "", "?", "", "yx", "yny /p 台账未明确责任人", "", "y"]
    result = invoke(
        runner, ["score", UNIT, "--db", str(db)], input="".join(x + "\n" for x in lines)
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "核对 1 -3" in out and "台账明确责任人" in out  # the card's lines
    assert "y/n×3 核对" in out  # the hint
    assert "核对项：每项一个 y（达标）或 n（未达标）" in out  # its line on the help screen
    assert "按扣分规则扣分" in out and "档次项" in out and "直接评分项" in out
    assert "输入 3 个 y（达标）或 n（未达标）" in out  # "yx" refused, nothing recorded
    assert "✓ C1 已保存：4/6分，未达标 c2；问题：台账未明确责任人" in out
    assert stored(db)["C1"] == ItemAnswer("missed", ("c2",), problem="台账未明确责任人")
    assert "已确认并锁定" in out


# --- the self-assessment template ------------------------------------------------------------


def test_template_has_checklist_cells_and_import_reads_them(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = invoke(runner, ["template", UNIT, "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = out / f"{UNIT}.xlsx"
    wb = load_workbook(book)
    sheet = wb["评分表"]
    rows = rows_by_key(sheet)
    item, c2 = rows[L.key("item", "C1")], rows[L.key("check", "C1", "c2")]
    assert sheet[f"{L.NAME}{c2}"].value == "台账明确责任人"
    assert sheet[f"{L.SCORE}{c2}"].value == f'=IF({L.ENTRY}{c2}="否",2,0)'
    first, last = rows[L.key("check", "C1", "c1")], rows[L.key("check", "C1", "c3")]
    assert sheet[f"{L.SCORE}{item}"].value == f"=MAX(0,6-SUM(H{first}:H{last}))"
    assert sheet[f"{L.ENTRY}{c2}"].protection.locked is False
    assert sheet[f"{L.ENTRY}{item}"].protection.locked is not False  # no input of its own
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.formula1 == '"是,否"']
    assert lists and f"{L.ENTRY}{c2}" in str(lists[0].sqref)
    guide = "\n".join(str(c.value) for row in wb["填表说明"].iter_rows() for c in row if c.value)
    assert "核对项：在“评分表”每个核对项的行中选择“是”或“否”。" in guide

    sheet[f"{L.ENTRY}{c2}"] = "否"
    sheet[f"{L.ENTRY}{rows[L.key('check', 'C1', 'c3')]}"] = "否"
    sheet[f"{L.NOTE}{item}"] = "责任人待明确"
    sheet[f"{L.ENTRY}{rows[L.key('item', 'B2')]}"] = "实战演练"
    sheet[f"{L.ENTRY}{rows[L.key('item', 'B3')]}"] = 5
    wb.save(book)
    result = invoke(runner, ["import", str(book), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert stored(db, "self")["C1"] == ItemAnswer("missed", ("c2", "c3"), note="责任人待明确")

    # a cell the form cannot read is named, and nothing is recorded
    sheet[f"{L.ENTRY}{c2}"] = "也许"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    result = invoke(runner, ["import", str(bad), "--db", str(db)])
    assert result.exit_code != 0
    assert f"评分表!{L.ENTRY}{c2}" in result.output and "而不是“也许”" in result.output


def test_missing_checklist_row_is_named(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke(runner, ["template", UNIT, "--db", str(db), "--out", str(out)])
    book = out / f"{UNIT}.xlsx"
    wb = load_workbook(book)
    sheet = wb["评分表"]
    sheet[f"{L.KEY}{rows_by_key(sheet)[L.key('check', 'C1', 'c2')]}"] = None
    wb.save(book)
    result = invoke(runner, ["import", str(book), "--db", str(db)])
    assert result.exit_code != 0
    assert "找不到指标 C1 的“c2”行" in result.output


# --- reports -------------------------------------------------------------------------------


def test_reports_show_the_checklist(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    # every applicable item scored: 共性问题 counts finished units only
    answers = ANSWERS + '  "B1": {deduct: {r1: 1}}\n  "B3": {score: 2.5, problem: 演练未覆盖}\n'
    scored = invoke(
        runner,
        ["score", UNIT, "--answers", str(write(tmp_path, "a.yaml", answers)), "--db", str(db)],
    )
    assert scored.exit_code == 0, scored.output
    lead = tmp_path / "lead.xlsx"
    result = invoke(runner, ["export", "--db", str(db), "--out", str(lead)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(lead)
    values = {
        name: [str(c.value) for row in wb[name].iter_rows() for c in row if c.value is not None]
        for name in ("问题清单", "指标体系", "共性问题")
    }
    # the compact ledger: the problem (its basis beside it); the deduction in the unit's own
    assert any(v.startswith("台账未明确责任人且一年未更新") for v in values["问题清单"])
    assert (
        "建立资产台账：未达标扣3分\n台账明确责任人：未达标扣2分\n每半年更新：未达标扣1分"
        in values["指标体系"]
    )
    assert any("台账明确责任人" in v for v in values["共性问题"])

    unit_book = tmp_path / "unit.xlsx"
    result = invoke(runner, ["export", "--db", str(db), "--unit", UNIT, "--out", str(unit_book)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(unit_book)
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert "未达标：台账明确责任人、每半年更新，扣3分" in cells


def test_demo_sample_of_a_registered_form(checklist: ChecklistForm) -> None:
    import random

    item = parse_set(checklist_set(), "set.yaml").indicators.item("C1")
    assert item is not None
    value = checklist.sample(random.Random(1), item, frozenset())
    assert checklist.check(item, value) == []


# --- nothing outside the forms branches on a form ---------------------------------------------

PACKAGE = Path(__file__).resolve().parent.parent / "inspector"
BLOCKS = {f.key for f in registered()}  # an item's YAML block: item.deductions…
NAMES = BLOCKS | {f.answer_key for f in registered()}  # "deduct", "levels"…


def test_no_module_outside_the_forms_branches_on_a_form() -> None:
    """No ``item.deductions``/``levels``/``direct`` and no comparison with a form's name: the
    engine, answers files, scorer, template, reader, reports and store ask the form."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "forms" in path.relative_to(PACKAGE).parts[:2] or path.parent.name == "i18n":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in BLOCKS:
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.Compare):
                for part in [node.left, *node.comparators]:
                    if isinstance(part, ast.Constant) and part.value in NAMES:
                        found.append(f"{path.name}:{node.lineno} == {part.value!r}")
    assert not found


def test_every_form_implements_the_interface() -> None:
    for form in registered():
        assert isinstance(form, Form)
        assert not getattr(type(form), "__abstractmethods__", None)


# --- the store -----------------------------------------------------------------------------


def v2_workspace(path: Path) -> None:
    """A workspace as version 2 wrote it: a column per form and a CHECK on the form."""
    import sqlite3

    from inspector.store import db as dbmod

    conn = sqlite3.connect(path, isolation_level=None)
    dbmod.migrate(conn, 0, 2)
    conn.execute(
        "INSERT INTO units (id, name, grp, tags, created_at) VALUES (1, ?, '部门', '[]', 'x')",
        (UNIT,),
    )
    conn.execute(
        "INSERT INTO rounds (id, name, created_at, set_text, set_hash) VALUES (1, 'R', 'x', ?, 'h')",
        ((SETS / "small.yaml").read_text(encoding="utf-8"),),
    )
    conn.execute(
        "INSERT INTO assessments (id, round_id, unit_id, kind, updated_at) "
        "VALUES (1, 1, 1, 'inspection', 'x')"
    )
    rows = [
        ("A1", "deduct", '[["r1", 1], ["r2", 1]]', None, None, None, "未研究", "2026-12-31"),
        ("B1", "na", "[]", None, None, '无"自建"系统', None, None),
        ("B2", "level", "[]", "仅培训", None, None, None, None),
        ("B3", "score", "[]", None, "2.5", None, "台账\n不全", None),
    ]
    for code, form, deductions, level, score, na, problem, deadline in rows:
        conn.execute(
            "INSERT INTO item_answers (assessment_id, item_code, form, deductions, level, score,"
            " na_reason, problem, deadline, scored_by, scored_at)"
            " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, '王磊', '2026-11-20T10:00:00+08:00')",
            (code, form, deductions, level, score, na, problem, deadline),
        )
    with pytest.raises(sqlite3.IntegrityError):  # version 2 knew its forms
        conn.execute(
            "INSERT INTO item_answers (assessment_id, item_code, form, scored_by, scored_at)"
            " VALUES (1, 'A2', 'missed', 'x', 'x')"
        )
    conn.close()


def test_a_version_2_workspace_migrates_with_every_form(runner: CliRunner, tmp_path: Path) -> None:
    from decimal import Decimal

    from inspector.store import db as dbmod

    path = tmp_path / "v2.db"
    v2_workspace(path)
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
        held = ws.assessment(ws.round(), ws.unit(UNIT), "inspection")
        got = {code: s.answer for code, s in held.items.items()}
        assert held.items["A1"].scored_by == "王磊"
        assert held.items["B3"].scored_at == "2026-11-20T10:00:00+08:00"
    assert got == {
        "A1": ItemAnswer("deduct", (("r1", 1), ("r2", 1)), problem="未研究", deadline="2026-12-31"),
        "B1": ItemAnswer("na", na_reason='无"自建"系统'),
        "B2": ItemAnswer("level", "仅培训"),
        "B3": ItemAnswer("score", Decimal("2.5"), problem="台账\n不全"),
    }
    dumped = invoke(runner, ["answers", UNIT, "--db", str(path)]).output
    assert '"A1": {deduct: {r1: 1, r2: 1}, problem: 未研究, deadline: "2026-12-31"}' in dumped
    assert '"B1": {na: "无\\"自建\\"系统"}' in dumped
    assert '"B2": {level: 仅培训}' in dumped
    assert '"B3": {score: 2.5, problem: "台账\\n不全"}' in dumped
    shown = json.loads(invoke(runner, ["show", UNIT, "--json", "--db", str(path)]).output)
    # A1 0/10 (r1 + r2 take 13), B1 N/A, B2 4/10, B3 2.5/5: 6.5 of 25 applicable × 50 / 25
    assert shown["total"] == 13
    # re-recording what was migrated changes nothing: the stored values are canonical
    again = invoke(
        runner,
        ["score", UNIT, "--answers", str(write(tmp_path, "d.yaml", dumped)), "--db", str(path)],
    )
    assert again.exit_code == 0, again.output
    assert "变更 0 处" in again.output


def test_the_store_takes_any_form(tmp_path: Path, checklist: ChecklistForm) -> None:
    set_path = write(tmp_path, "set.yaml", checklist_set())
    db = make_workspace(tmp_path, set_path, units=((UNIT, "部门", "DL", ()),))
    with Workspace.open(db) as ws:
        ws.record(
            ws.round(), ws.unit(UNIT), "inspection", "w", "c",
            items={"C1": ItemAnswer("missed", ("c3", "c2"))},
        )  # fmt: skip
        raw = ws.conn.execute("SELECT form, value FROM item_answers").fetchone()
        assert tuple(raw) == ("missed", '["c2", "c3"]')  # the form's own JSON, canonical
    # a workspace opened without the form keeps its answer as it was
    unregister(checklist)
    try:
        from inspector.core.forms import stored_answer, stored_value

        kept = stored_answer("missed", '["c2", "c3"]')
        assert kept.value == '["c2", "c3"]' and stored_value(kept) == '["c2", "c3"]'
    finally:
        register(checklist, MESSAGES)


def test_an_empty_level_is_refused_not_skipped() -> None:
    """``level: ""`` used to drop the item silently; it is a located problem now."""
    from inspector.core.answers import parse_answers
    from inspector.core.assessment import Unit
    from inspector.core.indicators import load_set

    indicators = load_set().indicators
    unit = Unit(1, "市财政局", "市级部门")
    text = 'unit: 市财政局\nitems:\n  "4.4": {level: ""}\n  "2.2": {score: 2.5}\n'
    with pytest.raises(ProblemsError) as info:
        parse_answers(text, "a.yaml", indicators, unit)
    assert [(p.key, p.location.line) for p in info.value.problems] == [("value.empty", 3)]
