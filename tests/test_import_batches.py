"""Batches of returned workbooks (issue 14, point 2): every file gets its own verdict and the
batch ends with the summary table, whatever a file does; the workspace's own failure stops
the batch after saying what was done."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspector.app import imports
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.hostile_gen import ZIP_MUTATIONS
from tests.selfassess_support import SMALL, SMALL_FULL_ANSWERS, fill, make_workspace

UNITS = (("市财政局", "部门", "CZJ", ()), ("市教育局", "部门", "JYJ", ()))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(tmp_path: Path, runner: CliRunner) -> Path:
    path = make_workspace(tmp_path, SMALL, units=UNITS)
    out = tmp_path / "templates"
    assert (
        invoke(runner, ["template", "--all", "--db", str(path), "--out", str(out)]).exit_code == 0
    )
    return path


def books(tmp_path: Path) -> list[Path]:
    return [
        fill(tmp_path / "templates" / f"{unit}.xlsx", SMALL_FULL_ANSWERS, out=tmp_path / name)
        for unit, name in (("市财政局", "a.xlsx"), ("市教育局", "c.xlsx"))
    ]


def self_assessed(db: Path) -> set[str]:
    with Workspace.open(db) as ws:
        round_ = ws.round()
        return {u.name for u in ws.units() if ws.assessment(round_, u, "self").exists}


def test_an_unforeseen_error_is_the_files_verdict_and_the_batch_goes_on(
    db: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, last = books(tmp_path)
    odd = tmp_path / "b.xlsx"
    odd.write_bytes(first.read_bytes())
    real = imports.check_file

    def check(ws: Workspace, path: Path, *args: object) -> object:
        if path.name == "b.xlsx":
            raise RuntimeError("nobody foresaw this")
        return real(ws, path, *args)

    monkeypatch.setattr(imports, "check_file", check)
    monkeypatch.delenv("INSPECTOR_DEBUG", raising=False)
    result = invoke(runner, ["import", str(first), str(odd), str(last), "--db", str(db)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        f"{odd}: 检查这个文件时出现了意外错误（RuntimeError: nobody foresaw this），未记录任何内容"
        in result.output
    )
    assert "共 3 个文件：导入 2 个，未变化 0 个，拒收 1 个。" in result.output
    assert self_assessed(db) == {"市财政局", "市教育局"}
    monkeypatch.setenv("INSPECTOR_DEBUG", "1")  # a developer sees the traceback
    with pytest.raises(RuntimeError):
        invoke(runner, ["import", str(odd), "--db", str(db)])


def test_a_crafted_zip_in_the_middle_of_a_batch(
    db: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """The issue's case: the "encrypted" flag on [Content_Types].xml, or its deflate data
    damaged, gave exit 70 and no summary; a.xlsx was recorded and c.xlsx never checked."""
    first, last = books(tmp_path)
    for mutation in ("encrypted_content_types", "deflate_content_types"):
        bad = tmp_path / f"{mutation}.xlsx"
        bad.write_bytes(ZIP_MUTATIONS[mutation](first.read_bytes()))
        result = invoke(runner, ["import", str(first), str(bad), str(last), "--db", str(db)])
        assert result.exit_code == 1, result.output
        assert f"{bad}: 工作簿部件 [Content_Types].xml" in result.output
        assert "共 3 个文件：" in result.output and "拒收 1 个" in result.output
    assert self_assessed(db) == {"市财政局", "市教育局"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_special_files_in_a_folder_each_get_a_verdict(
    db: Path, tmp_path: Path, runner: CliRunner
) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    good, _ = books(tmp_path)
    (folder / "a.xlsx").write_bytes(good.read_bytes())
    os.mkfifo(folder / "b.xlsx")
    (folder / "c.xlsx").symlink_to("/dev/zero")
    (folder / "d.xlsx").mkdir()
    (folder / "~$a.xlsx").write_bytes(b"office lock file")
    (folder / "notes.txt").write_text("not a workbook", encoding="utf-8")
    assert [p.name for p in imports.expand([folder])] == ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"]
    result = invoke(runner, ["import", str(folder), "--db", str(db)])
    assert result.exit_code == 1
    assert f"{folder / 'b.xlsx'}: 这是命名管道（FIFO）" in result.output
    assert f"{folder / 'c.xlsx'}: 这是设备文件" in result.output
    assert f"{folder / 'd.xlsx'}: 这是一个目录" in result.output
    assert "共 4 个文件：导入 1 个，未变化 0 个，拒收 3 个。" in result.output


def test_the_workspace_failing_stops_the_batch_after_saying_what_was_done(
    db: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, last = books(tmp_path)
    third = tmp_path / "d.xlsx"
    third.write_bytes(last.read_bytes())
    real = Workspace.record

    def record(self: Workspace, round_: object, unit: object, *args: object, **kw: object) -> int:
        if getattr(unit, "name", "") == "市教育局":
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, round_, unit, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Workspace, "record", record)
    result = invoke(runner, ["import", str(first), str(last), str(third), "--db", str(db)])
    assert result.exit_code == 3, result.output
    assert "共 1 个文件：导入 1 个，未变化 0 个，拒收 0 个。" in result.output
    assert f"批量导入在 {last} 处停止" in result.output and "其余 2 个文件没有导入" in result.output
    assert f"错误：磁盘已满，无法写入工作区 {db}" in result.output
    assert self_assessed(db) == {"市财政局"}


def test_units_import_of_a_crafted_workbook_gives_its_located_message(
    db: Path, tmp_path: Path, runner: CliRunner
) -> None:
    from openpyxl import Workbook

    listing = tmp_path / "units.xlsx"
    wb = Workbook()
    wb.active.append(["单位名称", "类别", "编码"])
    wb.active.append(["新区", "部门", "X1"])
    wb.save(listing)
    listing.write_bytes(ZIP_MUTATIONS["encrypted_content_types"](listing.read_bytes()))
    result = invoke(runner, ["units", "import", str(listing), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert f"{listing}: 工作簿部件 [Content_Types].xml 被加密" in result.output
    with Workspace.open(db) as ws:
        assert "新区" not in {u.name for u in ws.units()}
