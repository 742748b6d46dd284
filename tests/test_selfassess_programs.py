"""Workbooks saved by other programs: LibreOffice for real (when installed), and what WPS and
Excel do imitated with openpyxl. Each must import to exactly the same decisions."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.app.imports import import_file
from inspector.selfassess import layout as L
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.selfassess_support import SMALL, fill, make_workspace, rows_by_key

SOFFICE = shutil.which("soffice")
DECISIONS = {
    "A1": {"deduct": {"r2": 1}, "note": "仅研究1次", "evidence": "会议纪要"},
    "A2": {"deduct": {"r1": 1}},
    "B1": {"deduct": {"r1": 3}},
    "B2": {"level": "仅培训"},
    "B3": {"score": 2.5},
}
ADJUSTMENTS = {"aggravated": {"A1": 1}, "bonus": {"B1": 2}}


class Setup:
    def __init__(self, folder: Path, runner: CliRunner, set_path: Path | None = SMALL) -> None:
        self.folder = folder
        self.db = make_workspace(folder, set_path)
        out = folder / "templates"
        unit = "市大数据局"
        assert (
            invoke(runner, ["template", unit, "--db", str(self.db), "--out", str(out)]).exit_code
            == 0
        )
        self.blank = out / f"{unit}.xlsx"

    def imported(self, path: Path) -> tuple[str, int, object]:
        with Workspace.open(self.db) as ws:
            outcome = import_file(ws, path, "tester", "test")
        assert outcome.status == "imported", [p.render() for p in outcome.problems]
        return outcome.status, outcome.changes, outcome.result

    def answers(self, runner: CliRunner) -> str:
        result = invoke(runner, ["answers", "市大数据局", "--self", "--db", str(self.db)])
        assert result.exit_code == 0
        return result.stdout


@pytest.fixture
def setup(tmp_path: Path, runner: CliRunner) -> Setup:
    return Setup(tmp_path, runner)


def convert(source: Path, folder: Path) -> Path:
    """Re-save with LibreOffice, as an office clerk's LibreOffice would."""
    assert SOFFICE is not None
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "profile").resolve().as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = folder / source.name
    assert converted.exists()
    return converted


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_resave_imports_the_same_decisions(setup: Setup, runner: CliRunner) -> None:
    filled = fill(setup.blank, DECISIONS, ADJUSTMENTS, out=setup.folder / "filled.xlsx")
    setup.imported(filled)
    direct = setup.answers(runner)
    converted = convert(filled, setup.folder / "lo")
    assert converted.read_bytes() != filled.read_bytes()
    _, changes, _ = setup.imported(converted)
    assert changes == 0
    assert setup.answers(runner) == direct


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_keeps_identity_validation_and_protection(setup: Setup) -> None:
    converted = convert(setup.blank, setup.folder / "lo")
    wb = load_workbook(converted)
    assert "inspector" in wb.sheetnames
    assert wb["inspector"].sheet_state in ("hidden", "veryHidden")
    sheet = wb["评分表"]
    assert sheet.protection.sheet
    rows = rows_by_key(sheet)
    entry = f"G{rows['rule B1 r1']}"
    assert not sheet[entry].protection.locked
    assert sheet[f"B{rows['rule B1 r1']}"].protection.locked
    covered = [dv for dv in sheet.data_validations.dataValidation if entry in dv.sqref]
    assert covered and covered[0].showErrorMessage and covered[0].type == "whole"
    assert {p.name for p in wb.custom_doc_props.props} >= {"inspector.tag", "inspector.unit"}


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_live_subtotals_agree_with_the_engine(setup: Setup) -> None:
    """LibreOffice recalculates the template's formulas on conversion: the sheet's own total,
    grade and item scores must be what the import computes."""
    filled = fill(setup.blank, DECISIONS, ADJUSTMENTS, out=setup.folder / "filled.xlsx")
    _, _, result = setup.imported(filled)
    converted = convert(filled, setup.folder / "lo")
    wb = load_workbook(converted, data_only=True)
    sheet = wb["评分表"]
    rows = rows_by_key(sheet)
    assert Decimal(str(sheet[f"H{rows['total final']}"].value)) == result.total  # type: ignore[attr-defined]
    assert sheet[f"H{rows['total grade']}"].value == result.grade  # type: ignore[attr-defined]
    for item in result.items:  # type: ignore[attr-defined]
        if item.applies:
            assert Decimal(str(sheet[f"H{rows['item ' + item.code]}"].value)) == item.score


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_live_total_with_na_is_normalised_like_the_engine(
    tmp_path: Path, runner: CliRunner
) -> None:
    setup = Setup(tmp_path, runner)
    decisions = {**DECISIONS, "B1": {"na": "无信息系统"}}
    filled = fill(setup.blank, decisions, out=tmp_path / "na.xlsx")
    _, _, result = setup.imported(filled)
    wb = load_workbook(convert(filled, tmp_path / "lo"), data_only=True)
    rows = rows_by_key(wb["评分表"])
    assert Decimal(str(wb["评分表"][f"H{rows['total final']}"].value)) == result.total  # type: ignore[attr-defined]
    assert wb["评分表"][f"H{rows['item B1']}"].value == "不适用"


# --- WPS and Excel, imitated ----------------------------------------------------------------


def imitate(path: Path, change: object) -> Path:
    wb = load_workbook(path)
    change(wb["评分表"])  # type: ignore[operator]
    wb.save(path)
    return path


def values_for_formulas(sheet: object) -> None:
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        for c in row:
            if c.data_type == "f":
                c.value = 0


def numbers_as_text(sheet: object) -> None:
    rows = rows_by_key(sheet)
    sheet[f"G{rows['rule B1 r1']}"] = "3"  # type: ignore[index]
    sheet[f"G{rows['rule A1 r2']}"] = " 1 "  # type: ignore[index]
    sheet[f"G{rows['item B3']}"] = "2.5"  # type: ignore[index]
    sheet[f"G{rows['bonus B1']}"] = "2"  # type: ignore[index]


def full_width(sheet: object) -> None:
    rows = rows_by_key(sheet)
    sheet[f"G{rows['rule B1 r1']}"] = "３"  # type: ignore[index]
    sheet[f"G{rows['item B3']}"] = "２．５"  # type: ignore[index]
    sheet[f"G{rows['item B2']}"] = "仅培训　"  # type: ignore[index]


def floats(sheet: object) -> None:
    rows = rows_by_key(sheet)
    sheet[f"G{rows['rule B1 r1']}"] = 3.0  # type: ignore[index]
    sheet[f"G{rows['aggravated A1']}"] = 1.0  # type: ignore[index]
    sheet[f"G{rows['item B3']}"] = 2.4999999999999996  # type: ignore[index]
    sheet[f"G{rows['rule A1 r1']}"] = 0  # type: ignore[index]


def blank_rows(sheet: object) -> None:
    from openpyxl.styles import PatternFill

    rows = rows_by_key(sheet)
    sheet.insert_rows(rows["item B1"], 3)  # type: ignore[attr-defined]
    fill_ = PatternFill(fill_type="solid", start_color="FFFFFF", end_color="FFFFFF")
    for row in range(sheet.max_row + 1, 1500):  # type: ignore[attr-defined]
        sheet[f"A{row}"].fill = fill_  # type: ignore[index]
        sheet[f"G{row}"] = ""  # type: ignore[index]


@pytest.mark.parametrize(
    "change",
    [values_for_formulas, numbers_as_text, full_width, floats, blank_rows],
    ids=lambda f: f.__name__,
)
def test_office_program_habits_import_the_same(
    setup: Setup, runner: CliRunner, change: object
) -> None:
    filled = fill(setup.blank, DECISIONS, ADJUSTMENTS, out=setup.folder / "filled.xlsx")
    setup.imported(filled)
    expected = setup.answers(runner)
    changed = imitate(
        fill(setup.blank, DECISIONS, ADJUSTMENTS, out=setup.folder / "changed.xlsx"), change
    )
    _, changes, _ = setup.imported(changed)
    assert changes == 0
    assert setup.answers(runner) == expected


def test_default_set_round_trip(tmp_path: Path, runner: CliRunner) -> None:
    """The bundled 5×30 set: an untouched template only lacks the level and direct items."""
    setup = Setup(tmp_path, runner, set_path=None)
    with Workspace.open(setup.db) as ws:
        outcome = import_file(ws, setup.blank, "tester", "test")
    keys = sorted({p.key for p in outcome.problems})
    assert keys == ["sa.level_missing", "sa.score_missing"]
    wb = load_workbook(setup.blank)
    rows = rows_by_key(wb["评分表"])
    assert "item 3.3" in rows  # 市大数据局 is tagged 关基
    assert all(key in rows for key in (L.key("total", "final"), L.key("total", "grade")))


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_stored_results_are_what_libreoffice_calculates(setup: Setup) -> None:
    """The results stored with the blank template's formulas (shown by LibreOffice, which
    does not recalculate an xlsx on opening, and by previews) equal LibreOffice's own
    calculation of the same formulas."""
    stored = load_workbook(setup.blank, data_only=True)["评分表"]
    formulas = load_workbook(setup.blank)
    formulas.save(setup.folder / "no-results.xlsx")  # openpyxl keeps no results: all recalculated
    calculated = load_workbook(
        convert(setup.folder / "no-results.xlsx", setup.folder / "lo"), data_only=True
    )["评分表"]
    checked = 0
    for row in formulas["评分表"].iter_rows():
        for cell in row:
            if cell.data_type == "f":
                mine, theirs = stored[cell.coordinate].value, calculated[cell.coordinate].value
                assert (mine or 0) == (theirs or 0) or mine == theirs, (cell.coordinate, mine)
                checked += 1
    assert checked > 20


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_resave_keeps_escape_like_texts(tmp_path: Path, runner: CliRunner) -> None:
    """A unit named "单位_x0041_" and a note "_x0041_" survive a LibreOffice re-save, which
    stores them "_x005F_x0041_"."""
    units = (("单位_x0041_", "部门", "C_x0042_", ()),)
    db = make_workspace(tmp_path, SMALL, units=units)
    out = tmp_path / "out"
    assert invoke(runner, ["template", "--all", "--db", str(db), "--out", str(out)]).exit_code == 0
    filled = fill(
        out / "单位_x0041_.xlsx",
        {"B2": {"level": "仅培训", "note": "_x0041_"}, "B3": {"score": 2.5}},
        out=tmp_path / "filled.xlsx",
    )
    converted = convert(filled, tmp_path / "lo")
    with zipfile.ZipFile(converted) as book:
        assert "_x005F_x0041_" in book.read("xl/sharedStrings.xml").decode()
    with Workspace.open(db) as ws:
        outcome = import_file(ws, converted, "tester", "test")
        assert outcome.status == "imported", [p.render() for p in outcome.problems]
        held = ws.assessment(ws.round(), ws.unit("单位_x0041_"), "self")
    assert held.items["B2"].answer.note == "_x0041_"
