"""``template``, ``import`` and ``compare`` through the CLI: options, outputs, error paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.selfassess_support import SMALL, fill, make_workspace

SELF = {"B1": {"deduct": {"r1": 1}}, "B2": {"level": "实战演练"}, "B3": {"score": 5}}
INSPECTION = """\
unit: 市财政局
items:
  A1: {deduct: {r1: 1}}
  B1: full
  B2: {level: 仅培训}
  B3: {score: 2, problem: 抽查缺3项}
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_workspace(tmp_path, SMALL)


def run(runner: CliRunner, db: Path, *args: str, lang: str = "zh") -> object:
    return invoke(runner, [*args, "--db", str(db)], lang=lang)


# --- template -------------------------------------------------------------------------------


def test_template_needs_units_or_all(runner: CliRunner, db: Path) -> None:
    result = run(runner, db, "template")
    assert result.exit_code == 1
    assert "请指定单位，或使用 --all" in result.output
    result = run(runner, db, "template", "市财政局", "--all")
    assert result.exit_code == 1
    assert "--all" in result.output


def test_template_unknown_unit_and_round(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    result = run(runner, db, "template", "市教育局", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "没有名为“市教育局”的单位" in result.output
    result = run(runner, db, "template", "--all", "--round", "2030", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert not (tmp_path / "o").exists()


def test_template_all_without_units(runner: CliRunner, tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL, units=())
    result = run(runner, db, "template", "--all")
    assert result.exit_code == 2
    assert "还没有单位" in result.output


def test_template_default_folder_and_codes(
    runner: CliRunner, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, db, "template", "CZJ")  # by code
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "自评表" / "市财政局.xlsx").is_file()
    assert "已生成 1 份自评表" in result.output
    assert "提示：填表说明中没有联系人" in result.output


def test_template_never_overwrites_silently(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(runner, db, "template", "--all", "--out", str(out)).exit_code == 0
    returned = fill(out / "市财政局.xlsx", SELF)  # a unit's filled copy saved over the template
    before = returned.read_bytes()
    result = run(runner, db, "template", "--all", "--out", str(out))
    assert result.exit_code == 4
    assert "2 个文件已存在" in result.output and "--force" in result.output
    assert returned.read_bytes() == before
    result = run(runner, db, "template", "--all", "--out", str(out), "--force")
    assert result.exit_code == 0
    assert returned.read_bytes() != before
    leftovers = [p for p in out.iterdir() if p.name.startswith(".")]
    assert not leftovers


def test_contact_and_due_are_remembered(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(
        runner,
        db,
        "template",
        "市财政局",
        "--out",
        str(out),
        "--contact",
        "李四 0919-7654321",
        "--due",
        "2026-05-15",
    )
    assert result.exit_code == 0, result.output
    result = run(runner, db, "template", "市大数据局", "--out", str(out))
    assert result.exit_code == 0
    assert "联系人" not in result.output
    guide = load_workbook(out / "市大数据局.xlsx")["填表说明"]
    facts = {guide[f"A{r}"].value: guide[f"B{r}"].value for r in range(3, 10)}
    assert facts["联系人"] == "李四 0919-7654321"
    assert facts["报送截止"] == "2026年5月15日"


def test_bad_due_date(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    result = run(runner, db, "template", "市财政局", "--out", str(tmp_path), "--due", "5月15日")
    assert result.exit_code == 1
    assert "报送截止日期“5月15日”无效" in result.output
    english = run(
        runner, db, "template", "市财政局", "--out", str(tmp_path), "--due", "2026-13-01", lang="en"
    )
    assert english.exit_code == 1
    assert "Invalid return date '2026-13-01'" in english.output


def test_template_in_a_missing_workspace(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, tmp_path / "none.db", "template", "--all")
    assert result.exit_code == 3


def test_template_into_an_unwritable_place(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(runner, db, "template", "--all", "--out", str(blocker / "sub"))
    assert result.exit_code == 1
    assert "无法写入" in result.output
    assert "Traceback" not in result.output


# --- import ---------------------------------------------------------------------------------


def test_import_unknown_round_and_missing_workspace(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    assert run(runner, db, "template", "市财政局", "--out", str(tmp_path / "o")).exit_code == 0
    book = tmp_path / "o" / "市财政局.xlsx"
    result = run(runner, db, "import", str(book), "--round", "2030")
    assert result.exit_code == 2
    result = run(runner, tmp_path / "none.db", "import", str(book))
    assert result.exit_code == 3


def test_import_help_in_both_languages(runner: CliRunner) -> None:
    assert "导入单位报回的自评表" in invoke(runner, ["import", "--help"]).output
    assert (
        "dry run" in invoke(runner, ["import", "--help"], lang="en").output.lower()
        or "without recording" in invoke(runner, ["import", "--help"], lang="en").output
    )


def test_import_refused_file_messages_in_english(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_text("not a workbook")
    result = run(runner, db, "import", str(bogus), lang="en")
    assert result.exit_code == 1
    assert f"{bogus}: not an xlsx workbook" in result.output
    assert "1 file(s): 0 imported, 0 unchanged, 1 refused." in result.output


def test_import_as_subprocess_shows_no_progress_noise(
    db: Path, tmp_path: Path, runner: CliRunner
) -> None:
    import subprocess
    import sys

    assert run(runner, db, "template", "市财政局", "--out", str(tmp_path / "o")).exit_code == 0
    book = fill(tmp_path / "o" / "市财政局.xlsx", SELF)
    done = subprocess.run(
        [sys.executable, "-m", "inspector", "import", str(book), "--db", str(db)],
        capture_output=True,
        text=True,
        env={**os.environ, "INSPECTOR_LANG": "zh"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "已导入（变更 4 处）" in done.stdout
    assert "正在导入" not in done.stdout


# --- compare --------------------------------------------------------------------------------


@pytest.fixture
def scored(runner: CliRunner, db: Path, tmp_path: Path) -> Path:
    assert run(runner, db, "template", "市财政局", "--out", str(tmp_path / "o")).exit_code == 0
    book = fill(tmp_path / "o" / "市财政局.xlsx", SELF)
    assert run(runner, db, "import", str(book)).exit_code == 0
    answers = tmp_path / "inspection.yaml"
    answers.write_text(INSPECTION, encoding="utf-8")
    assert run(runner, db, "score", "市财政局", "--answers", str(answers)).exit_code == 0
    return db


def test_compare_table_flags_gaps(runner: CliRunner, scored: Path) -> None:
    result = run(runner, scored, "compare", "市财政局")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()

    def line(code: str) -> str:
        return next(x for x in lines if x.strip().strip("│┃").strip().startswith(code + " "))

    assert "+10" in line("A1") and "⚑ 自评偏高" in line("A1")
    assert "-1.5" in line("B1") and "⚑" not in line("B1")
    assert "⚑ 自评偏高" in line("B2") and "⚑ 自评偏高" in line("B3")
    total = next(x for x in lines if "总分" in x)
    assert "48.13" in total and "26.25" in total and "+21.88" in total and "⚑ 自评偏高" in total
    assert "共 6 处差距达到标记线" in result.output
    assert "各项、各类按其分值的 20% 计" in result.output


def test_compare_json(runner: CliRunner, scored: Path) -> None:
    result = run(runner, scored, "compare", "市财政局", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["unit"] == "市财政局" and data["round"] == "2026年度督查"
    assert data["threshold"] == 10 and data["item_ratio"] == 0.2
    assert data["total"] == {
        "code": "total",
        "max": 50,
        "self": 48.13,
        "inspection": 26.25,
        "gap": 21.88,
        "flag": "higher",
    }
    cats = {c["code"]: c for c in data["categories"]}
    assert (
        cats["A"]["gap"] == 10 and cats["A"]["flag"] == "higher" and cats["A"]["name"] == "组织领导"
    )
    assert cats["B"]["gap"] == 7.5 and cats["B"]["flag"] == "higher"
    items = {i["code"]: i for i in data["items"]}
    assert set(items) == {"A1", "B1", "B2", "B3"}
    assert items["B1"] == {
        "code": "B1",
        "name": "弱口令",
        "max": 15,
        "self": 13.5,
        "inspection": 15,
        "gap": -1.5,
        "flag": None,
        "category": "B",
        "self_na": False,
        "inspection_na": False,
    }
    assert data["flagged"] == 6


def test_compare_threshold_option(runner: CliRunner, scored: Path) -> None:
    data = json.loads(
        run(runner, scored, "compare", "市财政局", "--json", "--threshold", "30").stdout
    )
    assert data["total"]["flag"] is None
    flags = {i["code"]: i["flag"] for i in data["items"]}
    assert flags == {"A1": "higher", "B1": None, "B2": "higher", "B3": "higher"}
    for bad, words in (
        ("0", "须为正数"),
        ("-3", "须为正数"),
        ("abc", "应为数字"),
        ("nan", "应为数字"),
        ("1e999999999", "数值过大"),
    ):
        result = run(runner, scored, "compare", "市财政局", "--threshold", bad)
        assert result.exit_code == 1, bad
        assert "--threshold 的值" in result.output and words in result.output, result.output


def test_compare_without_self_assessment(runner: CliRunner, db: Path) -> None:
    result = run(runner, db, "compare", "市财政局")
    assert result.exit_code == 2
    assert "还没有自评结果" in result.output and "inspector import" in result.output


def test_compare_incomplete_inspection_and_na(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    assert run(runner, db, "template", "市财政局", "--out", str(tmp_path / "o")).exit_code == 0
    book = fill(tmp_path / "o" / "市财政局.xlsx", {**SELF, "B1": {"na": "无信息系统"}})
    assert run(runner, db, "import", str(book)).exit_code == 0
    answers = tmp_path / "partial.yaml"
    answers.write_text(
        "unit: 市财政局\nitems:\n  A1: full\n  B1: {deduct: {r2: 1}}\n", encoding="utf-8"
    )
    assert run(runner, db, "score", "市财政局", "--answers", str(answers)).exit_code == 0
    data = json.loads(run(runner, db, "compare", "市财政局", "--json").stdout)
    items = {i["code"]: i for i in data["items"]}
    assert (
        items["B1"]["flag"] == "na_differs"
        and items["B1"]["self_na"]
        and items["B1"]["gap"] is None
    )
    assert items["B2"]["gap"] is None and items["B2"]["inspection"] is None
    assert items["A1"]["gap"] == 0
    cats = {c["code"]: c for c in data["categories"]}
    assert cats["A"]["gap"] == 0 and cats["B"]["gap"] is None
    assert data["total"]["gap"] is None and data["inspection_complete"] is False
    table = run(runner, db, "compare", "市财政局")
    assert "⚑ 适用性不一致" in table.output and "不适用" in table.output
    assert "检查尚未评完" in table.output
    english = run(runner, db, "compare", "市财政局", lang="en")
    assert "⚑ N/A differs" in english.output and "inspection is not complete" in english.output


def test_show_self_after_import(runner: CliRunner, scored: Path) -> None:
    result = run(runner, scored, "show", "市财政局", "--self")
    assert result.exit_code == 0
    assert "自评" in result.output and "48.13" in result.output
    data = json.loads(run(runner, scored, "show", "市财政局", "--self", "--json").stdout)
    assert data["kind"] == "self" and data["total"] == 48.13
    with Workspace.open(scored) as ws:
        assert (
            ws.assessment(ws.round(), ws.unit("市财政局"), "inspection").items["B2"].answer.value
            == "仅培训"
        )
