"""The name rule (text_rules.check_name) at every entry point the store and the app own: units
added one by one or from a list, round names, the scorer's name from --inspector,
INSPECTOR_USER or an answers file, and looking a unit up. Stored names are the normalised
ones; no unit's name is another unit's code."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspector.errors import ConflictError, InspectorError, ProblemsError
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.workspace_helpers import make_workspace


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.db"
    make_workspace(path).close()
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def stored_units(db: Path) -> dict[str, str | None]:
    with Workspace.open(db) as ws:
        return {u.name: u.code for u in ws.units()}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王益\x1b[31m区", "单位名称含有控制字符 U+001B"),
        ("王益\x00区", "单位名称含有控制字符 U+0000"),
        ("王益\t区", "单位名称含有控制字符 U+0009"),
        ("\u202e区益王", "单位名称含有改变文字方向的不可见字符 U+202E"),
        ("市财政局\u200b", "单位名称含有不可见字符 U+200B"),
        ("=1+1", "单位名称不能以“=”开头"),
        ("局" * 51, "单位名称过长（51 个字符，最多 50 个）"),
    ],
    ids=["escape", "nul", "tab", "bidi", "zero_width", "formula", "too_long"],
)
def test_units_add_refuses_what_the_rule_refuses(
    runner: CliRunner, db: Path, name: str, expected: str
) -> None:
    before = stored_units(db)
    result = invoke(runner, ["units", "add", name, "--group", "区县", "--db", str(db)])
    assert result.exit_code == 1 and expected in result.output, result.output
    assert stored_units(db) == before


def test_units_add_stores_the_normalised_name_and_prints_it(runner: CliRunner, db: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "  新城区  Café ")
    result = invoke(
        runner, ["units", "add", decomposed, "--group", "区县", "--code", " X9 ", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert "已添加单位“新城区 Café”" in result.output
    assert stored_units(db)["新城区 Café"] == "X9"
    # looked up as typed: decomposed, padded, by code
    for typed in (decomposed, "新城区 Café", " X9"):
        shown = invoke(runner, ["show", typed, "--json", "--db", str(db)])
        assert shown.exit_code == 0 and "新城区 Café" in shown.output, typed


def test_a_code_is_checked_by_the_rule(runner: CliRunner, db: Path) -> None:
    spaced = invoke(
        runner, ["units", "add", "新区", "--group", "区县", "--code", "61 02", "--db", str(db)]
    )
    assert spaced.exit_code == 1 and "单位编码“61 02”不能含空格" in spaced.output
    formula = invoke(
        runner, ["units", "add", "新区", "--group", "区县", "--code", "+86", "--db", str(db)]
    )
    assert formula.exit_code == 1 and "单位编码不能以“+”开头" in formula.output


def test_no_name_is_another_units_code_and_no_code_another_units_name(
    runner: CliRunner, db: Path
) -> None:
    name_is_code = invoke(runner, ["units", "add", "FIN", "--group", "区县", "--db", str(db)])
    assert name_is_code.exit_code == 4
    assert "单位名称“FIN”与单位“市财政局”的编码相同" in name_is_code.output
    code_is_name = invoke(
        runner, ["units", "add", "新区", "--group", "区县", "--code", "王益区", "--db", str(db)]
    )
    assert code_is_name.exit_code == 4
    assert "编码“王益区”与单位“王益区”的名称相同" in code_is_name.output
    # so `score FIN` can only ever mean 市财政局
    with Workspace.open(db) as ws:
        assert ws.unit("FIN").name == "市财政局"


def test_a_list_of_units_goes_through_the_same_rule(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    listing = tmp_path / "u.csv"
    listing.write_text("单位名称,类别,编码\n新区,区县,FIN\n", encoding="utf-8")
    result = invoke(runner, ["units", "import", str(listing), "--db", str(db)])
    assert result.exit_code == 1
    assert f"{listing}:2：单位“市财政局”已存在（名称或编码 FIN 重复）" in result.output
    listing.write_text("单位名称,类别,编码\n610202,区县,X1\n", encoding="utf-8")
    result = invoke(runner, ["units", "import", str(listing), "--db", str(db)])
    assert result.exit_code == 1 and "与单位“王益区”的编码相同" in result.output


def test_the_store_refuses_bad_names_whatever_calls_it(tmp_path: Path) -> None:
    with make_workspace(tmp_path / "w.db") as ws:
        for fields in (
            ("a\x1bb", "区县", None, ()),
            ("新区", "区县", "a\u200bb", ()),
            ("新区", "区\x1b县", None, ()),
            ("新区", "区县", None, ("关\u202e基",)),
        ):
            with pytest.raises(InspectorError):
                ws.add_units([fields], "tester", "test")
        with pytest.raises(ConflictError):
            ws.add_units([("新区", "区县", "N1", ()), ("N1", "区县", None, ())], "tester", "test")
        assert "新区" not in {u.name for u in ws.units()}  # all or nothing
        with pytest.raises(InspectorError) as info:
            ws.new_round("2027\x1b[2J", ws.round().loaded, "tester", "test")
        assert info.value.key == "name.control"


def test_round_names_follow_the_rule_and_init_makes_no_file_for_a_bad_one(
    runner: CliRunner, tmp_path: Path, db: Path
) -> None:
    fresh = tmp_path / "fresh.db"
    result = invoke(runner, ["init", "--name", "2026\x1b[2J", "--db", str(fresh)])
    assert result.exit_code == 1 and "轮次名称含有控制字符 U+001B" in result.output
    assert not fresh.exists()
    bad_date = invoke(runner, ["init", "--name", "2026", "--deadline", "明年", "--db", str(fresh)])
    assert bad_date.exit_code == 1 and "整改截止日期“明年”无效" in bad_date.output
    assert not fresh.exists()
    made = invoke(runner, ["round", "new", "  2027年度 督查 ", "--db", str(db)])
    assert made.exit_code == 0 and "“2027年度 督查”" in made.output
    listed = invoke(runner, ["status", "--round", "2027年度 督查", "--json", "--db", str(db)])
    assert listed.exit_code == 0 and '"round": "2027年度 督查"' in listed.output


def answers(tmp_path: Path, inspector: str, name: str = "a.yaml") -> Path:
    path = tmp_path / name
    path.write_text(
        f'unit: 市财政局\ninspector: "{inspector}"\nitems:\n  "1.1": full\n', encoding="utf-8"
    )
    return path


def test_the_scorers_name_is_checked_wherever_it_comes_from(
    runner: CliRunner, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = answers(tmp_path, "王磊")
    args = ["score", "市财政局", "--answers", str(plain), "--db", str(db)]
    bad_option = invoke(runner, [*args, "--inspector", "张\x1b]0;pwned\x07三"])
    assert bad_option.exit_code == 1
    assert "--inspector: 人员姓名含有控制字符 U+001B" in bad_option.output
    monkeypatch.setenv("INSPECTOR_USER", "李\u202e四")
    bad_env = invoke(runner, ["units", "add", "新区", "--group", "区县", "--db", str(db)])
    assert bad_env.exit_code == 1
    assert "INSPECTOR_USER: 人员姓名含有改变文字方向的不可见字符 U+202E" in bad_env.output
    monkeypatch.setenv("INSPECTOR_USER", "  李四 ")
    in_file = answers(tmp_path, "王\\u200b磊", "b.yaml")
    from_file = invoke(runner, ["score", "市财政局", "--answers", str(in_file), "--db", str(db)])
    assert from_file.exit_code == 1 and "人员姓名含有不可见字符 U+200B" in from_file.output
    assert str(in_file) in from_file.output
    assert invoke(runner, args).exit_code == 0
    assert (
        invoke(runner, ["units", "add", "新区", "--group", "区县", "--db", str(db)]).exit_code == 0
    )
    with Workspace.open(db) as ws:
        who = {e.target: e.who for e in ws.audit_log()}
    assert who["item:1.1"] == "王磊" and who["unit"] == "李四"


def test_clean_name_problems_name_their_place() -> None:
    from inspector.app.actors import acting

    with pytest.raises(ProblemsError) as info:
        acting("a\nb")
    assert info.value.lines() == [
        "--inspector: 人员姓名含有控制字符 U+000A（第 2 个字符，如换行、制表符或终端控制符），请删除"
    ]
