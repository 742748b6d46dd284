"""The self-assessment template and its reader with the format's later additions: ranged
rules (the unit enters the amount), rule exclusions, check-only items, a category N/A as a
whole, and totals with an aggravated cap, grade caps and a bonus beyond the cap."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.app.imports import import_file
from inspector.selfassess import layout as L
from inspector.store.workspace import Workspace
from tests.conftest import SETS
from tests.helpers import invoke
from tests.selfassess_support import make_workspace, rows_by_key
from tests.test_selfassess_programs import SOFFICE, convert

SEVEN = SETS / "shapes" / "seven_by_twelve.yaml"
UNIT = "一区"


@pytest.fixture
def blank(tmp_path: Path, runner: CliRunner) -> tuple[Path, Path]:
    db = make_workspace(tmp_path, SEVEN, units=((UNIT, "区县", None, ("网站",)),))
    out = tmp_path / "templates"
    result = invoke(runner, ["template", UNIT, "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return db, out / f"{UNIT}.xlsx"


# what every filled template needs: the levels chosen and the direct scores given
NEEDED: dict[tuple[str, str], object] = {
    ("item K1.2", L.ENTRY): "全面落实",
    ("item K2.2", L.ENTRY): 8,
    ("item K3.2", L.ENTRY): 10,
    ("item K6.1", L.ENTRY): "实战演练",
}


def enter(path: Path, out: Path, cells: dict[tuple[str, str], object]) -> Path:
    """Type values into the template: ``{(row key, column): value}``, with the needed ones
    (but nothing under a category marked N/A)."""
    wb = load_workbook(path)
    sheet = wb["评分表"]
    rows = rows_by_key(sheet)
    needed = dict(NEEDED)
    if ("category K3", L.NA) in cells:
        del needed[("item K3.2", L.ENTRY)]
    for (key, column), value in {**needed, **cells}.items():
        sheet[f"{column}{rows[key]}"] = value
    wb.save(out)
    return out


def imported(db: Path, path: Path) -> object:
    with Workspace.open(db) as ws:
        outcome = import_file(ws, path, "tester", "test")
    assert outcome.status == "imported", [p.render() for p in outcome.problems]
    return outcome.result


def refused(db: Path, path: Path) -> dict[str, str]:
    with Workspace.open(db) as ws:
        outcome = import_file(ws, path, "tester", "test")
    assert outcome.status != "imported"
    return {str(p.location.cell): p.message() for p in outcome.problems}


def test_template_shows_the_new_rows(blank: tuple[Path, Path]) -> None:
    _, path = blank
    wb = load_workbook(path)
    sheet = wb["评分表"]
    rows = rows_by_key(sheet)
    assert sheet["A1"].value == "一区保密和网络安全工作检查自评表"  # the set's report_title
    # a ranged rule takes the amount, from 0 (none) to its top
    ranged = rows["rule K1.1 r3"]
    assert sheet[f"C{ranged}"].value == "视情扣2—6分"
    checks = [dv for dv in sheet.data_validations.dataValidation if f"G{ranged}" in str(dv.sqref)]
    assert checks and checks[0].type == "decimal" and checks[0].formula2 == "6"
    assert "（与r2、r3不同时适用，不重复扣分）" in sheet[f"B{rows['rule K1.1 r1']}"].value
    # a check-only item: one row per check, 1 if found, no points
    assert sheet[f"B{rows['check K1.3 c1']}"].value == "基本情况与核查不一致"
    assert sheet[f"C{rows['check K1.3 c2']}"].value == "不计分"
    assert sheet[f"C{rows['item K1.3']}"].value == 0
    # the whole category K3 may be N/A: its row takes a reason, its items follow it
    category = rows["category K3"]
    assert not sheet[f"I{category}"].protection.locked
    assert f"I{category}" in str(sheet[f"M{rows['item K3.1']}"].value)
    assert sheet[f"I{rows['category K1']}"].protection.locked  # K1 may not
    # totals: aggravated within 20; the bonus on top of the cap; grade caps
    assert sheet[f"H{rows['total aggravated']}"].value.startswith("=MIN(SUM(")
    final = sheet[f"H{rows['total final']}"].value
    assert final.startswith("=ROUND(MIN(MAX(") and final.endswith(f"+H{rows['total bonus']},2)")
    grade = sheet[f"H{rows['total grade']}"].value
    assert grade.startswith("=CHOOSE(MAX(") and f"G{rows['aggravated G1']}" in grade
    guide = " ".join(str(c.value) for row in wb["填表说明"].iter_rows() for c in row if c.value)
    assert "视情扣分的规则" in guide and "不计分的检查项" in guide and "整类不适用" in guide


def test_new_cells_import_as_decisions(
    blank: tuple[Path, Path], runner: CliRunner, tmp_path: Path
) -> None:
    db, path = blank
    filled = enter(
        path,
        tmp_path / "filled.xlsx",
        {
            ("rule K1.1 r2", L.ENTRY): 1,
            ("rule K1.1 r3", L.ENTRY): 4,  # the amount chosen
            ("check K1.3 c1", L.ENTRY): 1,
            ("rule K2.1 r2", L.ENTRY): "１.５",  # full-width, as text
            ("rule K3.1 r1", L.ENTRY): 0,
            ("category K3", L.NA): "网站集约到市级平台",
            ("aggravated G1", L.ENTRY): 1,
            ("aggravated G2", L.ENTRY): 0,
            ("bonus J1", L.ENTRY): 1,
        },
    )
    imported(db, filled)
    text = invoke(runner, ["answers", UNIT, "--self", "--db", str(db)]).output
    assert '"K1.1": {deduct: {r2: 1, r3: 4}}' in text
    assert '"K1.3": {found: [c1]}' in text
    assert '"K2.1": {deduct: {r2: 1.5}}' in text
    assert 'categories: {"K3": {na: 网站集约到市级平台}}' in text
    assert "aggravated: {G1: 1}" in text and "bonus: {J1: 1}" in text


def test_new_cells_refused_at_their_cells(blank: tuple[Path, Path], tmp_path: Path) -> None:
    db, path = blank
    wb = load_workbook(path)
    rows = rows_by_key(wb["评分表"])
    filled = enter(
        path,
        tmp_path / "bad.xlsx",
        {
            ("rule K1.1 r1", L.ENTRY): 1,
            ("rule K1.1 r2", L.ENTRY): 1,  # excluded by r1
            ("rule K5.1 r2", L.ENTRY): 3.5,  # above its range (1–3)
            ("rule K2.1 r2", L.ENTRY): "一点五",
            ("check K1.3 c2", L.ENTRY): 2,
            ("category K3", L.NA): "集约",
            ("rule K3.1 r2", L.ENTRY): 1,  # answered though K3 is N/A
        },
    )
    problems = refused(db, filled)
    assert "规则“r1”与“r2”不同时适用" in problems[f"评分表!G{rows['rule K1.1 r2']}"]
    assert "扣分 3.5 无效" in problems[f"评分表!G{rows['rule K5.1 r2']}"]
    assert "应填扣分值" in problems[f"评分表!G{rows['rule K2.1 r2']}"]
    assert "只能计 1 次" in problems[f"评分表!G{rows['check K1.3 c2']}"]
    assert "已整类填写不适用理由" in problems[f"评分表!G{rows['rule K3.1 r2']}"]


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_live_totals_agree_with_the_engine(blank: tuple[Path, Path], tmp_path: Path) -> None:
    """LibreOffice computes the template's formulas: with a ranged amount, a check-only item,
    a category N/A, an aggravated cap, a grade cap and a bonus beyond the cap, the sheet's
    total and grade are what the import computes."""
    db, path = blank
    cases = {
        # 150 − 10 = 140 + 5 → 145: 优秀 by band, at most 良好 (G1)
        "capped": {("aggravated G1", L.ENTRY): 1, ("bonus J1", L.ENTRY): 1},
        # 2 × 10 + 2 × 4 = 28 → 20 (the cap); 3+ occurrences: at most 不合格
        "counted": {("aggravated G1", L.ENTRY): 2, ("aggravated G2", L.ENTRY): 2},
        "mixed": {
            ("rule K1.1 r3", L.ENTRY): 5,
            ("check K1.3 c1", L.ENTRY): 1,
            ("category K3", L.NA): "集约",
            ("rule K5.1 r2", L.ENTRY): 2.5,
            ("bonus J1", L.ENTRY): 3,
        },
    }
    for name, cells in cases.items():
        filled = enter(path, tmp_path / f"{name}.xlsx", cells)
        result = imported(db, filled)
        converted = convert(filled, tmp_path / f"lo-{name}")
        sheet = load_workbook(converted, data_only=True)["评分表"]
        rows = rows_by_key(sheet)
        assert Decimal(str(sheet[f"H{rows['total final']}"].value)) == result.total, name  # type: ignore[attr-defined]
        assert sheet[f"H{rows['total grade']}"].value == result.grade, name  # type: ignore[attr-defined]
