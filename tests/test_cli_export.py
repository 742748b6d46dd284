"""``inspector export`` and ``inspector demo`` as a user types them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.app.demo import PROFILES, ROUND_NAME, build_demo, is_demo_workspace
from inspector.store.workspace import Workspace
from inspector.ui.cli.app import build_app
from tests.helpers import invoke
from tests.report_helpers import build_city, cells, load

STAMP = date.today().strftime("%Y%m%d")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_city(tmp_path / "ws.db")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_export_default_path_refused_when_it_exists_and_force(
    runner: CliRunner, db: Path, here: Path
) -> None:
    result = invoke(runner, ["export", "--db", str(db)])
    assert result.exit_code == 0, result.output
    first = here / "reports" / f"2026年度督查-{STAMP}.xlsx"
    assert first.is_file()
    assert "已导出领导汇总报表" in result.output and "7个单位，其中5个已完成评分" in result.output
    first.write_bytes(b"an older report the user edited")

    again = invoke(runner, ["export", "--db", str(db)])
    assert again.exit_code == 4, again.output
    assert f"{first.relative_to(here)} 已存在，未写入。要替换它请加 --force。" in again.output
    assert first.read_bytes() == b"an older report the user edited"  # never overwritten silently
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name]

    forced = invoke(runner, ["export", "--db", str(db), "--force"])
    assert forced.exit_code == 0
    assert load_workbook(first).sheetnames[0] == "总体情况"
    assert not first.with_name(f"2026年度督查-{STAMP}-3.xlsx").exists()


def test_export_to_a_file_or_a_folder(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "领导报表.xlsx"
    result = invoke(runner, ["export", "--db", str(db), "--out", str(target)])
    assert result.exit_code == 0 and target.is_file()
    folder = tmp_path / "folder"
    folder.mkdir()
    result = invoke(runner, ["export", "--db", str(db), "--out", str(folder)])
    assert result.exit_code == 0
    assert [p.name for p in folder.iterdir()] == [f"2026年度督查-{STAMP}.xlsx"]


def test_export_in_english(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "en.xlsx"
    result = invoke(
        runner, ["--lang", "en", "export", "--db", str(db), "--out", str(target)], lang="en"
    )
    assert result.exit_code == 0
    assert "Leadership workbook written" in result.output
    assert load_workbook(target).sheetnames[:2] == ["Overview", "Ranking"]


def test_export_language_from_environment(
    runner: CliRunner, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTOR_LANG", "en")
    target = tmp_path / "env.xlsx"
    result = runner.invoke(build_app(), ["export", "--db", str(db), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert load_workbook(target).sheetnames[0] == "Overview"


def test_export_one_unit_by_name_or_code(runner: CliRunner, db: Path, here: Path) -> None:
    result = invoke(runner, ["export", "--db", str(db), "--unit", "王益区"])
    assert result.exit_code == 0, result.output
    path = here / "reports" / f"王益区-检查反馈-{STAMP}.xlsx"
    assert path.is_file() and "已导出“王益区”的检查反馈" in result.output
    by_code = invoke(runner, ["export", "--db", str(db), "--unit", "610202"])
    assert by_code.exit_code == 4 and "已存在，未写入" in by_code.output
    forced = invoke(runner, ["export", "--db", str(db), "--unit", "610202", "--force"])
    assert forced.exit_code == 0 and "已导出“王益区”的检查反馈" in forced.output
    assert not path.with_name(f"王益区-检查反馈-{STAMP}-2.xlsx").exists()


def test_export_all_units(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "反馈"
    result = invoke(runner, ["export", "--db", str(db), "--all-units", str(folder)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 7 and f"王益区-检查反馈-{STAMP}.xlsx" in files
    assert "已为 7 个单位导出检查反馈" in result.output
    assert not any(name.startswith(("=", ".", "-")) or "/" in name for name in files)
    assert f"_HYPERLINK(_http___evil.example_,_点我_)-检查反馈-{STAMP}.xlsx" in files
    (folder / files[0]).unlink()  # one file missing, six there: nothing is written
    again = invoke(runner, ["export", "--db", str(db), "--all-units", str(folder)])
    assert again.exit_code == 4 and "6 个文件已存在" in again.output, again.output
    assert len(list(folder.iterdir())) == 6
    forced = invoke(runner, ["export", "--db", str(db), "--all-units", str(folder), "--force"])
    assert forced.exit_code == 0 and len(list(folder.iterdir())) == 7


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--unit", "王益区", "--all-units", "x"], 1, "只能选用其一"),
        (["--all-units", "x", "--out", "y.xlsx"], 1, "不能同时使用 --out"),
        (["--unit", "没有这个单位"], 2, "王益区"),
        (["--gap-threshold", "abc"], 1, "--gap-threshold 的值“abc”无效：应为数字"),
        (["--gap-threshold", "-1"], 1, "--gap-threshold 的值不能为负数（给出了 -1）"),
        (["--gap-threshold", "1e999999999"], 1, "“1e999999999”无效：数值过大"),
        (["--gap-threshold", "1E-999999999"], 1, "“1E-999999999”无效：最多 2 位小数"),
        (["--round", "2025年度"], 2, "2026年度督查"),
    ],
)
def test_export_refuses_clearly(
    runner: CliRunner, db: Path, here: Path, args: list[str], code: int, words: str
) -> None:
    result = invoke(runner, ["export", "--db", str(db), *args])
    assert result.exit_code == code
    assert words in result.output and "Traceback" not in result.output
    assert not (here / "reports").exists()


def test_export_all_units_into_a_file_is_refused(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    file = tmp_path / "a-file"
    file.write_text("x")
    result = invoke(runner, ["export", "--db", str(db), "--all-units", str(file)])
    assert result.exit_code == 1 and "不是目录" in result.output


def test_export_without_workspace(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3 and "inspector init" in result.output


def test_gap_threshold_option(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    loose = tmp_path / "loose.xlsx"
    strict = tmp_path / "strict.xlsx"
    invoke(runner, ["export", "--db", str(db), "--out", str(loose), "--gap-threshold", "100"])
    invoke(runner, ["export", "--db", str(db), "--out", str(strict), "--gap-threshold", "0.5"])

    def flags(path: Path) -> int:
        ws = load_workbook(path)["自评对比"]
        rows = ws.iter_rows(min_row=5, values_only=True)  # below the title and headers
        return sum(1 for row in rows if "疑似自评不实" in (row[-1] or ""))

    assert flags(loose) == 0 and flags(strict) >= 2


# --- demo ------------------------------------------------------------------------------------


def test_demo_builds_a_realistic_workspace_and_workbook(runner: CliRunner, here: Path) -> None:
    result = invoke(runner, ["demo"])
    assert result.exit_code == 0, result.output
    db = here / "inspector-demo.db"
    workbook = here / "reports" / f"{ROUND_NAME}-{STAMP}.xlsx"
    assert db.is_file() and workbook.is_file()
    assert "13个单位" in result.output and str(workbook.relative_to(here)) in result.output
    assert is_demo_workspace(db)
    case = load(db)
    ctx = case.ctx
    units = case.overview.units
    assert {s.unit.group for s in units} == {"区县", "市级部门"}
    assert sum(1 for s in units if "关基" in s.unit.tags) >= 3
    assert sum(1 for s in units if s.inspection.veto) == 1
    vetoed = next(s for s in units if s.inspection.veto)
    assert vetoed.inspection.grade == "不合格" and vetoed.inspection.grade_by == "veto"
    assert any(s.inspection.grade_by == "aggravated" for s in units)  # A4 rules out 优秀
    assert any(s.inspection.aggravated for s in units)
    assert any(s.inspection.bonus for s in units)
    assert any(
        r.answer is not None and r.answer.form == "na" for s in units for r in s.inspection.items
    )
    assert any(not s.inspection.complete for s in units)
    assert any(s.self_result is None for s in units)
    assert any(s.gap is not None and abs(s.gap) >= 10 for s in units)
    assert len({s.inspection.grade for s in units if s.inspection.complete}) >= 3
    decided = [r for s in units for r in s.inspection.items if r.answer is not None]
    ranged = [h for r in decided if r.code == "5.1" for h in r.hits if h.rule == "r3"]
    assert ranged and all(h.points in (Decimal("0.5"), Decimal(1)) for h in ranged)
    problems = [p for s in units for p in ctx.problems(s)]
    assert len(problems) > 50 and sum(1 for p in problems if "（" in p.problem) > 10
    checks = [p for p in problems if p.code == "1.7"]  # check-only: problems, no points
    assert checks and all(p.lost == 0 for p in checks)
    assert any(p.rectify == "更新联络员和应急联系人信息并报市委网信办" for p in checks)
    assert load_workbook(workbook).sheetnames[1] == "汇总排名"


def test_demo_reruns_replace_only_a_demo(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    out = tmp_path / "demo.xlsx"
    assert invoke(runner, ["demo", "--db", str(db), "--out", str(out)]).exit_code == 0
    built = db.read_bytes()
    again = invoke(runner, ["demo", "--db", str(db), "--out", str(out)])
    # neither the workbook nor the draft 通报 beside it is ever replaced
    assert again.exit_code == 4 and "2 个文件已存在" in again.output
    assert "demo.xlsx" in again.output and "通报草稿" in again.output
    assert db.read_bytes() == built  # refused before the workspace is rebuilt
    assert invoke(runner, ["demo", "--db", str(db), "--out", str(out), "--force"]).exit_code == 0
    with Workspace.open(db) as ws:
        assert len(ws.units()) == len(PROFILES)  # rebuilt, not added twice
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == ["demo.xlsx"]


def test_demo_refuses_a_real_workspace(runner: CliRunner, tmp_path: Path) -> None:
    real = build_city(tmp_path / "real.db")
    before = real.read_bytes()
    result = invoke(runner, ["demo", "--db", str(real)])
    assert result.exit_code == 4
    assert "不是由 inspector demo 生成" in result.output
    assert real.read_bytes() == before
    other = tmp_path / "notes.db"
    other.write_text("not a database")
    assert invoke(runner, ["demo", "--db", str(other)]).exit_code == 4
    assert other.read_text() == "not a database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db", "real.db"]


def test_demo_failure_keeps_the_previous_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "demo.db"
    build_demo(db)
    before = db.read_bytes()

    def boom(ws: Workspace) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("inspector.app.demo.fill", boom)
    with pytest.raises(RuntimeError):
        build_demo(db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]


def test_same_demo_same_workbook(tmp_path: Path) -> None:
    values = []
    for name in ("a", "b"):
        db = build_demo(tmp_path / f"{name}.db").path
        path = tmp_path / f"{name}.xlsx"
        load(db).leadership(path)
        wb = load_workbook(path)
        values.append([[c.value for c in cells(ws)] for ws in wb.worksheets])
    assert values[0] == values[1]


def test_demo_marks_its_workspace(tmp_path: Path) -> None:
    db = build_demo(tmp_path / "d.db").path
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'demo'").fetchone() == ("1",)
    conn.close()


@pytest.mark.slow
def test_demo_in_a_real_process(tmp_path: Path) -> None:
    """What the README's first command does, in a process of its own."""
    env = {**os.environ, "INSPECTOR_LANG": "zh"}
    result = subprocess.run(
        [sys.executable, "-m", "inspector", "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "已生成示例工作区：inspector-demo.db" in result.stdout
    assert list((tmp_path / "reports").glob("*.xlsx"))
