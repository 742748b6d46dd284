"""Team inspections through the CLI (issue 10): who is scoring, teams and assignments,
versions with ``--if-version``, items marked 待核实 from an answers file, and the refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspector.store.db import SCHEMA_VERSION
from inspector.store.workspace import Workspace
from tests.helpers import invoke

ROUND = "2026年度督查"
UNIT = "市财政局"


@pytest.fixture
def db(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INSPECTOR_USER", "王磊")
    path = tmp_path / "ws.db"
    assert invoke(runner, ["init", "--name", ROUND, "--db", str(path)]).exit_code == 0
    for name in (UNIT, "市教育局", "市卫健委"):
        result = invoke(runner, ["units", "add", name, "--group", "市级部门", "--db", str(path)])
        assert result.exit_code == 0
    return path


def answers_file(tmp_path: Path, body: str, name: str = "a.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"unit: {UNIT}\n{body}", encoding="utf-8")
    return path


def show(runner: CliRunner, db: Path, unit: str = UNIT) -> dict:
    result = invoke(runner, ["show", unit, "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- who is scoring -----------------------------------------------------------------------


def test_whoami_follows_env_then_config_then_system(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("INSPECTOR_USER", "李娜")
    result = invoke(runner, ["whoami", "--json"])
    assert json.loads(result.output)["inspector"] == "李娜"
    assert json.loads(result.output)["source"] == "env"
    monkeypatch.delenv("INSPECTOR_USER")
    result = invoke(runner, ["config", "set", "inspector", "王磊"])
    assert result.exit_code == 0 and "王磊" in result.output
    data = json.loads(invoke(runner, ["whoami", "--json"]).output)
    assert data["inspector"] == "王磊" and data["source"] == "config"
    assert json.loads(Path(data["config"]).read_text(encoding="utf-8")) == {"inspector": "王磊"}
    assert "王磊" in invoke(runner, ["whoami"]).output


def test_config_refuses_bad_names_and_keys(runner: CliRunner) -> None:
    result = invoke(runner, ["config", "set", "inspecter", "王磊"])
    assert result.exit_code == 1 and "inspector" in result.output
    result = invoke(runner, ["config", "set", "inspector", "王\x1b[31m磊"])
    assert result.exit_code != 0 and "\x1b" not in result.output
    assert "Traceback" not in result.output


def test_the_configured_name_scores(runner: CliRunner, db: Path, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("INSPECTOR_USER")
    invoke(runner, ["config", "set", "inspector", "张伟"])
    path = answers_file(tmp_path, 'items: {"1.1": full}\n')
    assert invoke(runner, ["score", UNIT, "--answers", str(path), "--db", str(db)]).exit_code == 0
    data = show(runner, db)
    assert data["items"][0]["scored_by"] == "张伟"
    assert data["scored_by"] == ["张伟"]


# --- teams and assignments ----------------------------------------------------------------


def test_team_add_list_assign_and_status(runner: CliRunner, db: Path) -> None:
    result = invoke(
        runner, ["team", "add", "第一督查组", "--members", "王磊,李娜", "--db", str(db)]
    )
    assert result.exit_code == 0 and "王磊、李娜" in result.output
    invoke(runner, ["team", "add", "第二督查组", "--members", "张伟", "--db", str(db)])
    result = invoke(runner, ["assign", "第一督查组", UNIT, "市教育局", "--db", str(db)])
    assert result.exit_code == 0
    result = invoke(
        runner, ["assign", "第二督查组", "市卫健委", "--categories", "3,4", "--db", str(db)]
    )
    assert result.exit_code == 0
    listed = json.loads(invoke(runner, ["team", "list", "--json", "--db", str(db)]).output)
    assert listed == [
        {"team": "第一督查组", "members": ["王磊", "李娜"], "units": [UNIT, "市教育局"]},
        {"team": "第二督查组", "members": ["张伟"], "units": ["市卫健委"]},
    ]
    status = json.loads(invoke(runner, ["status", "--json", "--db", str(db)]).output)
    teams = {u["unit"]: u["teams"] for u in status["units"]}
    assert teams == {UNIT: ["第一督查组"], "市教育局": ["第一督查组"], "市卫健委": ["第二督查组"]}
    table = invoke(runner, ["status", "--db", str(db)]).output
    assert "第一督查组" in table and "第二督查组" in table
    assert "第一督查组" in show(runner, db)["teams"]
    log = invoke(runner, ["log", UNIT, "--json", "--db", str(db)]).output
    assert any(e["target"] == "assign" for e in json.loads(log))


def test_unknown_team_unit_and_category_suggest_close_names(runner: CliRunner, db: Path) -> None:
    invoke(runner, ["team", "add", "第一督查组", "--members", "王磊", "--db", str(db)])
    result = invoke(runner, ["assign", "第一督察组", UNIT, "--db", str(db)])
    assert result.exit_code == 2 and "第一督查组" in result.output
    result = invoke(runner, ["assign", "第一督查组", "市财政", "--db", str(db)])
    assert result.exit_code == 2 and UNIT in result.output
    result = invoke(runner, ["assign", "第一督查组", UNIT, "--categories", "9", "--db", str(db)])
    assert result.exit_code == 2 and "1、2、3、4、5" in result.output
    assert "Traceback" not in result.output


def test_another_teams_unit_needs_force_with_answers(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    invoke(runner, ["team", "add", "第二督查组", "--members", "张伟,王雷", "--db", str(db)])
    invoke(runner, ["assign", "第二督查组", UNIT, "--db", str(db)])
    path = answers_file(tmp_path, 'items: {"1.1": full}\n')
    result = invoke(runner, ["score", UNIT, "--answers", str(path), "--db", str(db)])
    assert result.exit_code == 4
    assert "第二督查组" in result.output and "王雷" in result.output  # a close member name
    assert show(runner, db)["progress"]["answered"] == 0
    result = invoke(runner, ["score", UNIT, "--answers", str(path), "--force", "--db", str(db)])
    assert result.exit_code == 0
    assert show(runner, db)["progress"]["answered"] == 1
    other = invoke(
        runner,
        ["score", UNIT, "--answers", str(path), "--inspector", "张伟", "--db", str(db)],
    )
    assert other.exit_code == 0  # a member scores without --force


# --- versions ---------------------------------------------------------------------------------


def test_if_version_refuses_a_changed_assessment(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    assert show(runner, db)["version"] == 0
    first = answers_file(tmp_path, 'items: {"1.1": full, "1.2": full}\n')
    args = ["score", UNIT, "--answers", str(first), "--db", str(db)]
    assert invoke(runner, [*args, "--if-version", "0"]).exit_code == 0
    data = show(runner, db)
    assert data["version"] == 1
    assert [i["version"] for i in data["items"][:3]] == [1, 1, None]
    second = answers_file(tmp_path, 'items: {"1.2": {deduct: {r1: 1}}}\n', "b.yaml")
    stale = ["score", UNIT, "--answers", str(second), "--db", str(db), "--if-version", "0"]
    result = invoke(runner, stale)
    assert result.exit_code == 4 and "0 → 1" in result.output
    assert show(runner, db)["items"][1]["form"] == "full"  # nothing recorded
    stale[-1] = "1"
    assert invoke(runner, stale).exit_code == 0
    data = show(runner, db)
    assert data["version"] == 2
    assert [i["version"] for i in data["items"][:2]] == [1, 2]  # each item keeps its own
    # an unchanged file changes nothing and keeps the version
    assert invoke(runner, [*stale[:-1], "2"]).exit_code == 0
    assert show(runner, db)["version"] == 2


def test_if_version_needs_answers(runner: CliRunner, db: Path, monkeypatch) -> None:
    from inspector.ui import interactive

    monkeypatch.setattr(interactive, "has_terminal", lambda: True)
    result = invoke(runner, ["score", UNIT, "--if-version", "1", "--db", str(db)])
    assert result.exit_code == 1 and "--answers" in result.output


def test_a_workspace_of_the_previous_schema_gets_versions(runner: CliRunner, db: Path) -> None:
    """Migrating keeps every answer (version 0 until it changes)."""
    with Workspace.open(db) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = {r[1] for r in ws.conn.execute("PRAGMA table_info(item_answers)")}
    assert "version" in columns


# --- marks from an answers file ------------------------------------------------------------


def test_review_marks_block_confirmation_until_cleared(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    from inspector.core.indicators import load_set

    codes = [i.code for _, i in load_set(None).indicators.items() if i.code != "3.3"]
    items = "".join(f'  "{c}": full\n' for c in codes)
    path = answers_file(tmp_path, f'items:\n{items}review: {{"4.2": 核实通报反馈记录}}\n')
    result = invoke(runner, ["score", UNIT, "--answers", str(path), "--confirm", "--db", str(db)])
    assert result.exit_code == 4 and "4.2" in result.output and "待核实" in result.output
    data = show(runner, db)
    assert data["confirmed"] is False and data["progress"]["answered"] == 0  # all or nothing
    plain = answers_file(
        tmp_path, f'items:\n{items}review: {{"4.2": 核实通报反馈记录}}\n', "p.yaml"
    )
    assert invoke(runner, ["score", UNIT, "--answers", str(plain), "--db", str(db)]).exit_code == 0
    data = show(runner, db)
    assert data["review"] == ["4.2"]
    assert next(i for i in data["items"] if i["code"] == "4.2")["review"] == "核实通报反馈记录"
    status = json.loads(invoke(runner, ["status", "--json", "--db", str(db)]).output)
    assert next(u for u in status["units"] if u["unit"] == UNIT)["review"] == ["4.2"]
    assert "待核实 4.2" in invoke(runner, ["status", "--db", str(db)]).output
    clear = answers_file(tmp_path, 'review: {"4.2": "-"}\n', "c.yaml")
    result = invoke(runner, ["score", UNIT, "--answers", str(clear), "--confirm", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert show(runner, db)["confirmed"] is True


def test_review_of_an_unknown_item_is_located(runner: CliRunner, db: Path, tmp_path: Path):
    path = answers_file(tmp_path, 'review: {"4.9": 文字}\n')
    result = invoke(runner, ["score", UNIT, "--answers", str(path), "--db", str(db)])
    assert result.exit_code == 1 and "a.yaml:2" in result.output and "4.9" in result.output


def test_the_leadership_cover_lists_the_teams_and_their_units(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    invoke(runner, ["team", "add", "第一督查组", "--members", "王磊,李娜", "--db", str(db)])
    invoke(runner, ["team", "add", "=第二督查组", "--members", "张伟", "--db", str(db)])
    invoke(runner, ["assign", "第一督查组", UNIT, "市教育局", "--db", str(db)])
    out = tmp_path / "book.xlsx"
    result = invoke(runner, ["export", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    cover = load_workbook(out).worksheets[0]
    cells = [c.value for row in cover.iter_rows() for c in row if isinstance(c.value, str)]
    assert "督查组与分工" in cells
    assert "第一督查组（王磊、李娜）：市财政局、市教育局" in cells
    assert not any(str(c).startswith("=第二") for c in cells)  # no formula injection


def test_show_says_who_scored_and_where_inspectors_differ(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    first = answers_file(tmp_path, 'items: {"1.1": full, "1.2": full, "1.3": full}\n')
    second = answers_file(tmp_path, 'items: {"2.1": full}\nreview: {"2.2": 待查}\n', "b.yaml")
    invoke(runner, ["score", UNIT, "--answers", str(first), "--db", str(db)])
    invoke(
        runner,
        ["score", UNIT, "--answers", str(second), "--inspector", "李娜", "--db", str(db)],
    )
    text = invoke(runner, ["show", UNIT, "--db", str(db)]).output
    assert "评分人：王磊（3 项）；李娜（2.1）" in text and "待核实 2.2" in text
