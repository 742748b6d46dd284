"""The workspace commands through the CLI, as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspector.store.workspace import Workspace
from tests.conftest import SETS
from tests.helpers import invoke

ISSUE_EXAMPLE = """\
unit: 市财政局          # must match UNIT
inspector: 王磊         # optional; defaults to the OS user
items:
  "1.1": full                      # full marks
  "1.2": {deduct: {r2: 1}, problem: 仅研究1次, rectify: 每年至少专题研究2次}
  "3.4": {deduct: {r1: 3}}         # per-occurrence rule applied 3 times
  "4.4": {level: 仅培训}            # tier, by its name
  "2.2": {score: 2.5, problem: 台账缺2个系统}  # direct score
  "3.3": {na: 未认定关键信息基础设施}  # not applicable, with the reason
veto: [V2]
aggravated: {A1: 1}
bonus: {B1: 2}
"""


@pytest.fixture
def db(tmp_path: Path, runner: CliRunner) -> Path:
    path = tmp_path / "ws.db"
    assert invoke(runner, ["init", "--name", "2026年度督查", "--db", str(path)]).exit_code == 0
    units = tmp_path / "units.csv"
    units.write_text(
        "单位名称,类别,编码,标签\n王益区,区县,610202,关基\n印台区,区县,610203,\n耀州区,区县,,\n"
        "市财政局,市级部门,FIN,\n市卫健委,市级部门,,关基\n",
        encoding="utf-8",
    )
    result = invoke(runner, ["units", "import", str(units), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_init_refuses_an_existing_workspace(runner: CliRunner, db: Path) -> None:
    result = invoke(runner, ["init", "--name", "x", "--db", str(db)])
    assert result.exit_code == 4
    assert "已存在" in result.output and "round new" in result.output


def test_commands_without_workspace_explain(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, ["status", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3
    assert "inspector init" in result.output
    assert "Traceback" not in result.output


def test_workspace_from_environment(
    runner: CliRunner, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTOR_DB", str(db))
    result = invoke(runner, ["units", "list", "--json"])
    assert result.exit_code == 0
    assert [u["name"] for u in json.loads(result.output)][:2] == ["王益区", "印台区"]


def test_units_add_list_remove(runner: CliRunner, db: Path) -> None:
    assert (
        invoke(
            runner,
            ["units", "add", "市教育局", "--group", "市级部门", "--code", "EDU", "--db", str(db)],
        ).exit_code
        == 0
    )
    listed = json.loads(invoke(runner, ["units", "list", "--json", "--db", str(db)]).output)
    assert {"name": "市教育局", "code": "EDU", "group": "市级部门", "tags": []} in listed
    assert next(u for u in listed if u["name"] == "王益区")["tags"] == ["关基"]
    bad = invoke(runner, ["units", "add", "市公安局", "--group", "部门", "--db", str(db)])
    assert bad.exit_code == 2 and "区县" in bad.output and "市级部门" in bad.output
    table = invoke(runner, ["units", "list", "--db", str(db)])
    assert "市教育局" in table.output and "6 个单位" in table.output
    assert invoke(runner, ["units", "remove", "市教育局", "--db", str(db)]).exit_code == 0
    unknown = invoke(runner, ["units", "remove", "市教育局", "--db", str(db)])
    assert unknown.exit_code == 2 and "王益区" in unknown.output


def test_units_import_bad_row_imports_nothing(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    invoke(runner, ["init", "--name", "r", "--db", str(path)])
    csv = tmp_path / "bad.csv"
    csv.write_bytes("name,group,code,tags\n宜君县,区县,,\n新区管委会,功能区,,\n".encode("gb18030"))
    result = invoke(runner, ["units", "import", str(csv), "--db", str(path)])
    assert result.exit_code != 0
    assert f"{csv}:3" in result.output and "功能区" in result.output
    assert json.loads(invoke(runner, ["units", "list", "--json", "--db", str(path)]).output) == []
    missing = tmp_path / "missing.csv"
    missing.write_text("单位,编码\n宜君县,1\n", encoding="utf-8")
    result = invoke(runner, ["units", "import", str(missing), "--db", str(path)])
    assert result.exit_code == 1 and "类别" in result.output


def test_units_import_xlsx(runner: CliRunner, tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "w.db"
    invoke(runner, ["init", "--name", "r", "--db", str(path)])
    book = Workbook()
    sheet = book.active
    sheet.title = "单位名单"
    sheet.append(["单位名称", "类别", "编码", "标签"])
    sheet.append(["宜君县", "区县", "610222", None])
    sheet.append([None, None, None, None])
    sheet.append(["市大数据局", "市级部门", 1001, "关基"])
    sheet.append(["市水务局", None, None, None])
    xlsx = tmp_path / "units.xlsx"
    book.save(xlsx)
    result = invoke(runner, ["units", "import", str(xlsx), "--db", str(path)])
    assert result.exit_code == 1
    assert f"{xlsx}: 单位名单!A5" in result.output
    sheet.delete_rows(5)
    book.save(xlsx)
    assert invoke(runner, ["units", "import", str(xlsx), "--db", str(path)]).exit_code == 0
    listed = json.loads(invoke(runner, ["units", "list", "--json", "--db", str(path)]).output)
    assert listed == [
        {"name": "宜君县", "code": "610222", "group": "区县", "tags": []},
        {"name": "市大数据局", "code": "1001", "group": "市级部门", "tags": ["关基"]},
    ]


def test_score_the_issue_example_and_show(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    answers = write(tmp_path, "answers.yaml", ISSUE_EXAMPLE)
    result = invoke(runner, ["score", "市财政局", "--answers", str(answers), "--db", str(db)])
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke(runner, ["show", "市财政局", "--json", "--db", str(db)]).output)
    assert {"unit", "group", "total", "grade", "rank", "veto", "categories", "items"} <= set(shown)
    assert shown["unit"] == "市财政局" and shown["group"] == "市级部门"
    assert shown["veto"] == ["V2"] and shown["rank"] is None and not shown["complete"]
    items = {i["code"]: i for i in shown["items"]}
    assert items["1.2"]["score"] == 2 and items["1.2"]["problem"] == "仅研究1次"
    assert items["3.4"]["deductions"] == [{"rule": "r1", "count": 3, "points": 1.5}]
    assert items["3.3"]["applicable"] is False
    assert items["4.4"]["score"] == 1 and items["2.2"]["score"] == 2.5
    assert {"code", "score", "max"} <= set(shown["categories"][0])
    card = invoke(runner, ["show", "市财政局", "--db", str(db)]).output
    assert "仅研究1次" in card and "一票否决" in card


def test_answers_round_trip_exactly(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    text = ISSUE_EXAMPLE.replace(
        '"1.1": full',
        '"1.1": {deduct: [r1, r3], problem: "=未研究, 仅\\"传达\\"", evidence: "会议纪要\\n2份"}',
    )
    invoke(
        runner,
        ["score", "市财政局", "--answers", str(write(tmp_path, "a.yaml", text)), "--db", str(db)],
    )
    first = invoke(runner, ["answers", "市财政局", "--db", str(db)]).output
    other = tmp_path / "other.db"
    invoke(runner, ["init", "--name", "2026年度督查", "--db", str(other)])
    invoke(runner, ["units", "add", "市财政局", "--group", "市级部门", "--db", str(other)])
    dumped = write(tmp_path, "dumped.yaml", first)
    assert (
        invoke(
            runner, ["score", "市财政局", "--answers", str(dumped), "--db", str(other)]
        ).exit_code
        == 0
    )
    second = invoke(runner, ["answers", "市财政局", "--db", str(other)]).output
    assert first == second
    assert (
        '"1.1": {deduct: {r1: 1, r3: 1}, problem: "=未研究, 仅\\"传达\\"", evidence: "会议纪要\\n2份"}'
        in first
    )
    assert "veto: [V2]" in first and "bonus: {B1: 2}" in first
    # re-recording the dump changes nothing
    again = invoke(runner, ["score", "市财政局", "--answers", str(dumped), "--db", str(db)])
    assert "变更 0 处" in again.output


BROKEN_ANSWERS = """\
unit: 市财政局
items:
  "1.1": ful
  "1.2": {deduct: {r9: 1}}
  "3.4": {deduct: {r1: 两}}
  "4.4": {level: 没有}
  "2.2": {score: 2.7, problem: 台账不全}
  "1.3": {na: 无}
  "9.9": full
  "2.1": {deduct: {r1: 1}, level: x}
  "5.1": {deduct: {r1: 2}}
bonus: {B9: 1}
veto: [V7]
colour: red
"""


def test_broken_answers_are_located_and_nothing_is_recorded(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "answers.yaml", BROKEN_ANSWERS)
    result = invoke(runner, ["score", "市财政局", "--answers", str(path), "--db", str(db)])
    assert result.exit_code == 1
    out = result.output
    for where, what in [
        (":3:10:", "ful"),
        (":4:10:", "r9"),
        (":5:24:", "整数"),
        (":6:10:", "没有"),
        (":7:10:", "2.7"),
        (":8:10:", "不允许"),
        (":9:3:", "9.9"),
        (":10:10:", "deduct / level"),
        (":11:10:", "只能计 1 次"),
        (":12:9:", "B9"),
        (":13:8:", "V7"),
        (":14:1:", "colour"),
    ]:
        assert f"{path}{where}" in out, (where, out)
        line = next(line for line in out.splitlines() if f"{path}{where}" in line)
        assert what in line, (what, line)
    assert "Traceback" not in out and "共发现 12 个问题" in out
    with Workspace.open(db) as ws:
        assert not ws.assessment(ws.round(), ws.unit("市财政局"), "inspection").items


def test_answers_for_another_unit_or_an_inapplicable_item(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "a.yaml", 'unit: 市卫健委\nitems:\n  "1.1": full\n')
    result = invoke(runner, ["score", "市财政局", "--answers", str(path), "--db", str(db)])
    assert result.exit_code == 1 and f"{path}:1:7:" in result.output and "市卫健委" in result.output
    path = write(tmp_path, "b.yaml", 'unit: 市财政局\nitems:\n  "3.3": full\n')
    result = invoke(runner, ["score", "市财政局", "--answers", str(path), "--db", str(db)])
    assert result.exit_code == 1 and f"{path}:3:10:" in result.output and "不适用" in result.output


def test_answers_messages_in_english(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "answers.yaml", BROKEN_ANSWERS)
    result = invoke(
        runner, ["score", "市财政局", "--answers", str(path), "--db", str(db)], lang="en"
    )
    assert "item 1.2 has no deduction rule 'r9' (rules: r1、r2、r3)" in result.output


def test_confirm_lock_and_reopen(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", 'unit: 市财政局\nitems:\n  "1.1": full\n')
    assert (
        invoke(
            runner, ["score", "市财政局", "--answers", str(path), "--confirm", "--db", str(db)]
        ).exit_code
        == 0
    )
    locked = invoke(runner, ["score", "市财政局", "--answers", str(path), "--db", str(db)])
    assert locked.exit_code == 4 and "--reopen" in locked.output
    # reopening to record the same answers changes nothing: it stays locked, and says so
    same = invoke(
        runner, ["score", "市财政局", "--answers", str(path), "--reopen", "--db", str(db)]
    )
    assert same.exit_code == 0 and "仍保持已确认" in same.output
    log = invoke(runner, ["log", "市财政局", "--json", "--db", str(db)])
    assert [e["target"] for e in json.loads(log.output)] == ["unit", "item:1.1", "confirm"]
    assert json.loads(invoke(runner, ["show", "市财政局", "--json", "--db", str(db)]).output)[
        "confirmed"
    ]
    changed = write(tmp_path, "b.yaml", 'unit: 市财政局\nitems:\n  "1.1": {deduct: [r1]}\n')
    reopened = invoke(
        runner, ["score", "市财政局", "--answers", str(changed), "--reopen", "--db", str(db)]
    )
    assert reopened.exit_code == 0 and "变更 1 处" in reopened.output
    log = invoke(runner, ["log", "市财政局", "--json", "--db", str(db)])
    targets = [e["target"] for e in json.loads(log.output)]
    # the deduction made a ledger entry, in the same transaction as the score
    assert targets == [
        "unit",
        "item:1.1",
        "confirm",
        "reopen",
        "item:1.1",
        "ledger:2026-市财政局-01",
    ]
    table = invoke(runner, ["log", "市财政局", "--db", str(db)]).output
    # read in the user's language: the item with its name, not the stored target
    assert "解除确认" in table and "1.1 " in table and "item:1.1" not in table


def test_score_without_terminal_points_to_answers(runner: CliRunner, db: Path) -> None:
    result = invoke(runner, ["score", "市财政局", "--db", str(db)])
    assert result.exit_code == 1
    assert "--answers" in result.output
    assert "\x1b[" not in result.output


FULL = "unit: {unit}\nitems:\n{items}\n"


def full_answers(tmp_path: Path, unit: str, codes: list[str], extra: str = "") -> Path:
    lines = "\n".join(f'  "{c}": full' for c in codes)
    return write(tmp_path, f"{unit}.yaml", FULL.format(unit=unit, items=lines) + extra)


def test_status_ranks_within_groups(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    with Workspace.open(db) as ws:
        s = ws.round().indicators
        codes = {
            u.name: [i.code for _, i in s.items() if i.applies(u.group, set(u.tags))]
            for u in ws.units()
        }
    files = {
        "王益区": full_answers(tmp_path, "王益区", codes["王益区"]),
        "印台区": full_answers(tmp_path, "印台区", codes["印台区"], "aggravated: {A2: 1}\n"),
        "耀州区": full_answers(tmp_path, "耀州区", codes["耀州区"], "bonus: {B3: 1}\n"),
        "市财政局": full_answers(tmp_path, "市财政局", codes["市财政局"], "veto: [V3]\n"),
        "市卫健委": full_answers(tmp_path, "市卫健委", codes["市卫健委"][:-1]),
    }
    for unit, path in files.items():
        assert (
            invoke(runner, ["score", unit, "--answers", str(path), "--db", str(db)]).exit_code == 0
        )
    data = json.loads(invoke(runner, ["status", "--json", "--db", str(db)]).output)
    by_unit = {u["unit"]: u for u in data["units"]}
    # the default set adds the bonus beyond its cap of 100: 100 + 1 ranks above 100
    assert (by_unit["耀州区"]["total"], by_unit["耀州区"]["rank"]) == (101, 1)
    assert (by_unit["王益区"]["total"], by_unit["王益区"]["rank"]) == (100, 2)
    assert (by_unit["印台区"]["total"], by_unit["印台区"]["rank"]) == (97, 3)
    assert by_unit["市财政局"]["grade"] == "不合格" and by_unit["市财政局"]["rank"] == 1
    assert by_unit["市卫健委"]["rank"] is None and by_unit["市卫健委"]["progress"] == {
        "answered": 29,
        "applicable": 30,
    }
    assert "items" not in by_unit["王益区"]
    assert data["set_changed"] is None
    table = invoke(runner, ["status", "--db", str(db)]).output
    assert "王益区" in table and "评分中" in table


def test_round_pins_the_set_and_status_says_when_the_file_changed(
    runner: CliRunner, tmp_path: Path
) -> None:
    set_copy = write(tmp_path, "set.yaml", (SETS / "small.yaml").read_text(encoding="utf-8"))
    db = tmp_path / "w.db"
    assert (
        invoke(
            runner, ["init", "--name", "第一轮", "--indicators", str(set_copy), "--db", str(db)]
        ).exit_code
        == 0
    )
    invoke(runner, ["units", "add", "甲局", "--group", "部门", "--db", str(db)])
    answers = write(tmp_path, "a.yaml", 'unit: 甲局\nitems:\n  "B1": {deduct: {r1: 2}}\n')
    invoke(runner, ["score", "甲局", "--answers", str(answers), "--db", str(db)])
    set_copy.write_text(
        set_copy.read_text(encoding="utf-8").replace("points: 1.5", "points: 3"), encoding="utf-8"
    )
    data = json.loads(invoke(runner, ["status", "--json", "--db", str(db)]).output)
    assert data["set_changed"] is True
    assert data["units"][0]["total"] == 46.25  # (40 − 2 × 1.5) / 40 × 50, the pinned 1.5
    assert "已被修改" in invoke(runner, ["status", "--db", str(db)]).output


def test_rounds_new_list_and_select(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    assert invoke(runner, ["round", "new", "2026年复查", "--db", str(db)]).exit_code == 0
    rounds = json.loads(invoke(runner, ["round", "list", "--json", "--db", str(db)]).output)
    assert [r["name"] for r in rounds] == ["2026年度督查", "2026年复查"] and rounds[1]["current"]
    path = write(tmp_path, "a.yaml", 'unit: 市财政局\nitems:\n  "1.1": full\n')
    invoke(
        runner,
        ["score", "市财政局", "--answers", str(path), "--round", "2026年度督查", "--db", str(db)],
    )
    newest = json.loads(invoke(runner, ["show", "市财政局", "--json", "--db", str(db)]).output)
    older = json.loads(
        invoke(
            runner, ["show", "市财政局", "--json", "--round", "2026年度督查", "--db", str(db)]
        ).output
    )
    assert newest["progress"]["answered"] == 0 and older["progress"]["answered"] == 1
    unknown = invoke(runner, ["status", "--round", "2025年", "--db", str(db)])
    assert unknown.exit_code == 2 and "2026年复查" in unknown.output
    assert invoke(runner, ["round", "new", "2026年复查", "--db", str(db)]).exit_code == 4
    assert "2026年复查" in invoke(runner, ["round", "list", "--db", str(db)]).output


def test_self_assessment_via_answers(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path, "self.yaml", 'unit: 市财政局\nitems:\n  "1.1": {note: 已召开2次专题会议}\n'
    )
    assert (
        invoke(
            runner, ["score", "市财政局", "--self", "--answers", str(path), "--db", str(db)]
        ).exit_code
        == 0
    )
    shown = json.loads(
        invoke(runner, ["show", "市财政局", "--self", "--json", "--db", str(db)]).output
    )
    assert shown["kind"] == "self" and shown["items"][0]["note"] == "已召开2次专题会议"
    inspection = json.loads(invoke(runner, ["show", "市财政局", "--json", "--db", str(db)]).output)
    assert inspection["progress"]["answered"] == 0


def test_workspace_file_that_is_not_sqlite(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "ws.db", "hello")
    result = invoke(runner, ["status", "--db", str(path)])
    assert result.exit_code == 3 and "不是 inspector 工作区" in result.output
    assert path.read_text() == "hello"


def test_status_entries_are_show_without_items(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    """status reads stored figures, show scores the unit: the two agree on every unit."""
    with Workspace.open(db) as ws:
        s = ws.round().indicators
        codes = {
            u.name: [i.code for _, i in s.items() if i.applies(u.group, set(u.tags))]
            for u in ws.units()
        }
    answers = write(tmp_path, "answers.yaml", ISSUE_EXAMPLE)
    assert (
        invoke(runner, ["score", "市财政局", "--answers", str(answers), "--db", str(db)]).exit_code
        == 0
    )
    wangyi = full_answers(tmp_path, "王益区", codes["王益区"], "aggravated: {A2: 1}\n")
    assert (
        invoke(runner, ["score", "王益区", "--answers", str(wangyi), "--db", str(db)]).exit_code
        == 0
    )
    own = full_answers(tmp_path, "王益区", codes["王益区"][:-2])
    assert (
        invoke(
            runner, ["score", "王益区", "--self", "--answers", str(own), "--db", str(db)]
        ).exit_code
        == 0
    )
    yin = full_answers(tmp_path, "印台区", codes["印台区"], "aggravated: {A2: 1}\n")
    assert (
        invoke(
            runner, ["score", "印台区", "--answers", str(yin), "--confirm", "--db", str(db)]
        ).exit_code
        == 0
    )
    yin_self = full_answers(tmp_path, "印台区-self", codes["印台区"])
    yin_self.write_text(yin_self.read_text(encoding="utf-8").replace("印台区-self", "印台区"))
    assert (
        invoke(
            runner, ["score", "印台区", "--self", "--answers", str(yin_self), "--db", str(db)]
        ).exit_code
        == 0
    )
    for lang in ("zh", "en"):
        status = json.loads(invoke(runner, ["status", "--json", "--db", str(db)], lang=lang).output)
        assert len(status["units"]) == 5
        for entry in status["units"]:
            shown = json.loads(
                invoke(runner, ["show", entry["unit"], "--json", "--db", str(db)], lang=lang).output
            )
            del shown["items"]
            ledger = entry.pop("ledger")  # status alone adds the unit's ledger in figures
            assert set(ledger) == {"problems", "completed", "closed", "overdue"}
            assert shown == entry
    by_unit = {u["unit"]: u for u in status["units"]}
    assert by_unit["印台区"]["confirmed"] and by_unit["印台区"]["gap"] == 3  # 100 − 97
    assert by_unit["王益区"]["self_total"] == 100 and by_unit["王益区"]["gap"] is None
    assert by_unit["市财政局"]["rank"] is None and by_unit["王益区"]["rank"] == 1
    assert by_unit["市财政局"]["categories"][0]["name"] == "Leadership and responsibility"
