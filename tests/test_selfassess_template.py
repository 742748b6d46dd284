"""The template as a unit receives it: its items, input cells, validation, protection, print
setup and identity."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from typer.testing import CliRunner

from inspector.selfassess import layout as L
from inspector.selfassess.identity import SECRET_META, from_fields, verify
from inspector.selfassess.template import safe_filename, target_paths
from inspector.store.workspace import Workspace
from inspector.text_rules import file_name
from tests.helpers import invoke
from tests.selfassess_support import SMALL, make_workspace, rows_by_key


@pytest.fixture
def books(tmp_path: Path, runner: CliRunner) -> tuple[Path, Path]:
    db = make_workspace(tmp_path, SMALL)
    out = tmp_path / "out"
    result = invoke(
        runner,
        ["template", "--all", "--db", str(db), "--out", str(out), "--contact", "张三 0919-1234567"],
    )
    assert result.exit_code == 0, result.output
    return db, out


def validation_of(sheet: object, ref: str) -> DataValidation:
    found = [dv for dv in sheet.data_validations.dataValidation if ref in dv.sqref]  # type: ignore[attr-defined]
    assert len(found) == 1, ref
    return found[0]


def test_only_the_units_items(books: tuple[Path, Path]) -> None:
    _, out = books
    plain = rows_by_key(load_workbook(out / "市财政局.xlsx")["评分表"])
    tagged = rows_by_key(load_workbook(out / "市大数据局.xlsx")["评分表"])
    assert "item A2" not in plain and "rule A2 r1" not in plain
    assert "item A2" in tagged and "rule A2 r1" in tagged
    assert [k for k in plain if k.startswith("item")] == [
        "item A1",
        "item B1",
        "item B2",
        "item B3",
    ]


def test_items_show_what_a_unit_needs(books: tuple[Path, Path]) -> None:
    _, out = books
    sheet = load_workbook(out / "市财政局.xlsx")["评分表"]
    rows = rows_by_key(sheet)
    a1 = rows["item A1"]
    assert sheet[f"A{a1}"].value == "A1"
    assert sheet[f"B{a1}"].value == "研究部署"
    assert sheet[f"C{a1}"].value == 10
    assert sheet[f"D{a1}"].value.startswith("每年至少专题研究2次。")
    assert sheet[f"E{a1}"].value == "会议纪要"
    assert sheet[f"F{a1}"].value == "《中华人民共和国网络安全法》（2025年修正）第三条"
    r1 = rows["rule B1 r1"]
    assert (sheet[f"A{r1}"].value, sheet[f"B{r1}"].value) == ("r1", "发现弱口令")
    assert sheet[f"C{r1}"].value == "每处扣1.5分，最多扣9分"
    assert sheet[f"C{rows['rule B1 r2']}"].value == "扣8分"
    levels = [sheet[f"B{rows[f'level B2 {i}']}"].value for i in (1, 2, 3)]
    assert levels == ["实战演练", "仅培训", "未开展"]
    assert "本项可申请不适用" in sheet[f"D{rows['item B1']}"].value
    assert sheet["A1"].value == "市财政局网络安全工作责任制督查检查自评表"


def test_input_cells_are_open_and_validated_with_alerts(books: tuple[Path, Path]) -> None:
    _, out = books
    sheet = load_workbook(out / "市财政局.xlsx")["评分表"]
    rows = rows_by_key(sheet)
    inputs: set[str] = set()
    plan_rows = {k: r for k, r in rows.items() if k != "key"}
    for key, row in plan_rows.items():
        kind = key.split()[0]
        if kind == "item":
            inputs |= {f"J{row}", f"K{row}"}
            if key in ("item B2", "item B3"):
                inputs.add(f"G{row}")
            if key == "item B1":
                inputs.add(f"I{row}")
        elif kind in ("rule", "aggravated", "bonus") and len(key.split()) > 1:
            inputs.add(f"G{row}")
    for ref in inputs:
        assert not sheet[ref].protection.locked, ref
        dv = validation_of(sheet, ref)
        # a stop alert: XlsxWriter leaves out errorStyle="stop", the schema's default
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop"), ref
        assert dv.error and dv.errorTitle and dv.prompt and dv.showInputMessage, ref
        assert dv.allow_blank
    for row in range(1, sheet.max_row + 1):
        for column in "ABCDEFGHIJKLM":
            ref = f"{column}{row}"
            if ref not in inputs:
                assert sheet[ref].protection.locked, ref
    once = validation_of(sheet, f"G{rows['rule A1 r1']}")
    assert (once.type, once.formula1, once.formula2) == ("whole", "0", "1")
    per = validation_of(sheet, f"G{rows['rule B1 r1']}")
    assert (per.type, per.formula1, per.formula2) == ("whole", "0", "10000")
    level = validation_of(sheet, f"G{rows['item B2']}")
    first = rows["level B2 1"]
    assert (level.type, level.formula1) == ("list", f"$B${first}:$B${first + 2}")
    score = validation_of(sheet, f"G{rows['item B3']}")
    assert (score.type, score.formula1, score.formula2) == ("decimal", "0", "5")
    assert "0.5" in score.error
    text = validation_of(sheet, f"J{rows['item A1']}")
    assert (text.type, text.operator, text.formula1) == ("textLength", "lessThanOrEqual", "4000")


def test_protected_without_password_and_print_ready(books: tuple[Path, Path]) -> None:
    _, out = books
    wb = load_workbook(out / "市财政局.xlsx")
    assert wb.sheetnames == ["填表说明", "评分表", "inspector"]
    assert wb.active.title == "填表说明"
    assert wb.security.lockStructure and not wb.security.workbookPassword
    for name in ("填表说明", "评分表", "inspector"):
        protection = wb[name].protection
        assert protection.sheet and not protection.password, name
    sheet = wb["评分表"]
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    setup = sheet.page_setup
    assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0  # absent means 1
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.oddFooter.center.text == "— &P —"
    assert str(sheet.print_area).endswith(f"$A$1:$K${sheet.max_row}")
    assert sheet.column_dimensions["L"].hidden and sheet.column_dimensions["M"].hidden
    assert sheet["B4"].font.name == "黑体"
    assert wb["填表说明"].page_setup.orientation == "portrait"


def test_instructions_name_the_unit_deadline_and_contact(books: tuple[Path, Path]) -> None:
    _, out = books
    guide = load_workbook(out / "市财政局.xlsx")["填表说明"]
    facts = {guide[f"A{r}"].value: guide[f"B{r}"].value for r in range(3, 10)}
    assert facts["被检查单位"] == "市财政局（CZJ）"
    assert facts["督查轮次"] == "2026年度督查"
    assert facts["报送截止"] == "2026年4月30日"
    assert facts["联系人"] == "张三 0919-1234567"
    assert facts["实有项目"] == "4 项，合计 40 分"
    assert guide["A11"].value == "填写方法"
    steps = [guide[f"A{r}"].value for r in range(12, 25) if guide[f"A{r}"].value]
    assert len(steps) == 9 and steps[0].startswith("1. ")


def test_identity_is_hidden_signed_and_in_properties(books: tuple[Path, Path]) -> None:
    db, out = books
    wb = load_workbook(out / "市财政局.xlsx")
    sheet = wb["inspector"]
    assert sheet.sheet_state == "veryHidden"
    values = {r[0].value: r[1].value for r in sheet.iter_rows(min_row=2)}
    identity, tag = from_fields(values)
    assert identity is not None and tag is not None
    assert (identity.unit, identity.unit_code, identity.round) == (
        "市财政局",
        "CZJ",
        "2026年度督查",
    )
    assert identity.layout == L.LAYOUT_VERSION and identity.sheet == "评分表"
    with Workspace.open(db) as ws:
        secret = ws.meta(SECRET_META)
        assert secret is not None and len(secret) == 64
        assert identity.set_hash == ws.round().set_hash
        assert verify(identity, tag, bytes.fromhex(secret))
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["inspector.tag"] == tag and props["inspector.unit"] == "市财政局"


def test_secret_is_made_once(books: tuple[Path, Path], runner: CliRunner) -> None:
    db, out = books
    with Workspace.open(db) as ws:
        first = ws.meta(SECRET_META)
    result = invoke(runner, ["template", "市财政局", "--db", str(db), "--out", str(out / "again")])
    assert result.exit_code == 0
    with Workspace.open(db) as ws:
        assert ws.meta(SECRET_META) == first


def test_text_from_outside_cannot_become_a_formula(tmp_path: Path, runner: CliRunner) -> None:
    db = make_workspace(tmp_path, SMALL, units=())
    # the name rule refuses such a name now; a workspace from before it may hold one
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO units (name, grp, tags, created_at, uid)"
            " VALUES ('=HYPERLINK(\"http://evil\")', '部门', '[]', 'x', 'u1')"
        )
    out = tmp_path / "out"
    assert invoke(runner, ["template", "--all", "--db", str(db), "--out", str(out)]).exit_code == 0
    (book,) = out.iterdir()
    assert book.name == "_HYPERLINK(_http___evil_).xlsx"  # one file-name rule: no leading =
    wb = load_workbook(book)
    title = wb["评分表"]["A1"]
    assert title.data_type == "s" and not str(title.value).startswith("=")
    assert wb["填表说明"]["B3"].value.startswith("'=")


def test_file_names_are_safe_and_distinct() -> None:
    from inspector.core.assessment import Unit

    assert safe_filename('a/b:c*?"<>|d') == "a_b_c______d"
    assert safe_filename("CON") == "_CON"
    assert safe_filename("  ..市局.. ") == "市局"
    units = [Unit(1, "a/b", "g", "X1"), Unit(2, "a:b", "g", None), Unit(3, "a?b", "g", None)]
    names = [p.name for p in target_paths(units, Path("out"))]
    assert names == ["a_b.xlsx", "a_b-2.xlsx", "a_b-3.xlsx"]
    assert len({n.lower() for n in names}) == 3


def test_formulas_give_full_marks_before_anything_is_entered(books: tuple[Path, Path]) -> None:
    _, out = books
    sheet = load_workbook(out / "市财政局.xlsx")["评分表"]
    rows = rows_by_key(sheet)
    assert sheet[f"H{rows['item A1']}"].value == "=MAX(0,10-SUM(H6:H7))".replace(
        "H6", f"H{rows['rule A1 r1']}"
    ).replace("H7", f"H{rows['rule A1 r2']}")
    assert sheet[f"H{rows['rule B1 r1']}"].value == f"=MIN(G{rows['rule B1 r1']}*1.5,9)"
    assert sheet[f"H{rows['rule A1 r1']}"].value == f"=MIN(G{rows['rule A1 r1']}*1,1)*10"
    assert sheet[f"M{rows['item A1']}"].value == 10
    assert str(sheet[f"M{rows['item B1']}"].value).startswith("=IF(I")
    assert Decimal(10) == 10


def test_english_template(tmp_path: Path, runner: CliRunner) -> None:
    db = make_workspace(tmp_path, SMALL)
    out = tmp_path / "out"
    result = invoke(runner, ["template", "市财政局", "--db", str(db), "--out", str(out)], lang="en")
    assert result.exit_code == 0
    assert "Wrote 1 self-assessment workbook(s)" in result.output
    wb = load_workbook(out / "市财政局.xlsx")
    sheet = wb["Scores"]
    rows = rows_by_key(sheet)
    assert sheet[f"C{rows['rule B1 r1']}"].value == "−1.5 per 处, at most −9"
    assert sheet[f"B{rows['category A']}"].value == "Leadership"
    assert wb["Instructions"]["A12"].value.startswith("1. Assess each item")


def test_formulas_store_what_the_blank_template_shows(books: tuple[Path, Path]) -> None:
    """LibreOffice and previews show a formula's stored result: the blank template's."""
    _, out = books
    sheet = load_workbook(out / "市财政局.xlsx", data_only=True)["评分表"]
    rows = rows_by_key(sheet)
    assert sheet[f"H{rows['item A1']}"].value == 10  # no deduction entered: full marks
    assert sheet[f"H{rows['item B1']}"].value == 15 and sheet[f"M{rows['item B1']}"].value == 15
    assert sheet[f"H{rows['item B2']}"].value in ("", None)  # no level chosen yet
    assert sheet[f"H{rows['rule B1 r1']}"].value == 0  # shown blank by its number format
    assert sheet[f"C{rows['category A']}"].value == 10
    assert sheet[f"H{rows['category B']}"].value == 15
    assert sheet[f"H{rows['total applicable']}"].value == 40
    assert sheet[f"H{rows['total base']}"].value == 31.25  # 25 of 40 points, out of 50
    assert sheet[f"H{rows['total final']}"].value == 31.25
    assert sheet[f"H{rows['total grade']}"].value == "合格"


UNUSUAL = (
    ('=HYPERLINK("http://evil")', "部门", None, ()),
    ("单位_x0041_", "部门", "C_x0042_", ()),
)


@pytest.mark.parametrize("name", [u[0] for u in UNUSUAL], ids=["formula", "escape"])
def test_names_like_formulas_or_escapes_read_back_exactly(
    tmp_path: Path, runner: CliRunner, name: str
) -> None:
    """The identity is written exactly (no apostrophe, a quote-prefix cell) and an escape-like
    text ("_x0041_", which XlsxWriter stores "_x005F_x0041_") reads back as written, in the
    cells and in the document properties; a unit's note "_x0041_" too."""
    from inspector.app.imports import import_file
    from inspector.selfassess.reader import find_identity
    from tests.selfassess_support import fill

    db = make_workspace(tmp_path, SMALL, units=UNUSUAL[1:])
    # a name starting with "=" can no longer be added (the name rule); one stored before the
    # rule must still get a template that reads back
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO units (name, grp, code, uid, created_at)"
            " VALUES (?, '部门', NULL, 'ulegacy', '2026-01-01T00:00:00')",
            (UNUSUAL[0][0],),
        )
    out = tmp_path / "out"
    assert invoke(runner, ["template", "--all", "--db", str(db), "--out", str(out)]).exit_code == 0
    with Workspace.open(db) as ws:
        unit = ws.unit(name)
    (book,) = [p for p in out.iterdir() if p.name.startswith(file_name(name)[:2])]
    wb = load_workbook(book)
    assert wb["inspector"]["B7"].value == name
    assert find_identity(wb, "x").identity.unit == name
    del wb["inspector"]  # the properties alone carry it as well
    assert find_identity(wb, "x").identity.unit_code == (unit.code or "")
    filled = fill(
        book,
        {"B2": {"level": "仅培训", "note": "_x0041_"}, "B3": {"score": 2.5}},
        out=tmp_path / "filled.xlsx",
    )
    with Workspace.open(db) as ws:
        outcome = import_file(ws, filled, "tester", "test")
        assert outcome.status == "imported", [p.render() for p in outcome.problems]
        held = ws.assessment(ws.round(), ws.unit(name), "self")
    assert held.items["B2"].answer.note == "_x0041_"


def test_the_table_is_framed_empty_cells_included(books: tuple[Path, Path]) -> None:
    """Empty cells are not written: one conditional format draws every cell's lines."""
    _, out = books
    sheet = load_workbook(out / "市财政局.xlsx")["评分表"]
    (frame,) = [r for r in sheet.conditional_formatting if r.sqref == f"A4:K{sheet.max_row}"]
    (rule,) = frame.rules
    assert rule.type == "expression" and rule.formula == ["1"]
    sides = rule.dxf.border
    assert {sides.left.style, sides.right.style, sides.top.style, sides.bottom.style} == {"thin"}


def test_a_text_taller_than_a_row_widens_its_column_and_never_splits_a_row(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Rows are found by key, one row each: a requirement too long for the tallest row makes
    its column wider instead of continuing in the row below, and the workbook still imports."""
    from inspector.app.imports import import_file
    from tests.selfassess_support import fill

    text = SMALL.read_text(encoding="utf-8")
    long_requirement = "按照要求落实网络安全工作责任制，" * 60
    custom = tmp_path / "long.yaml"
    custom.write_text(text.replace("每年至少专题研究2次。", long_requirement), encoding="utf-8")
    db = make_workspace(tmp_path, custom)
    out = tmp_path / "out"
    assert (
        invoke(runner, ["template", "市财政局", "--db", str(db), "--out", str(out)]).exit_code == 0
    )
    book = out / "市财政局.xlsx"
    sheet = load_workbook(book)["评分表"]
    rows = rows_by_key(sheet)
    assert rows["rule A1 r1"] == rows["item A1"] + 1  # nothing continued in between
    assert sheet[f"D{rows['item A1']}"].value.startswith(long_requirement)
    assert sheet.column_dimensions["D"].width > 40
    heights = [sheet.row_dimensions[r].height or 0 for r in range(1, sheet.max_row + 1)]
    assert max(heights) <= 409
    filled = fill(book, {"B2": {"level": "仅培训"}, "B3": {"score": 5}}, out=tmp_path / "f.xlsx")
    with Workspace.open(db) as ws:
        outcome = import_file(ws, filled, "tester", "test")
    assert outcome.status == "imported", [p.render() for p in outcome.problems]
