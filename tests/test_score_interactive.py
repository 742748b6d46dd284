"""The guided scorer driven through Typer's CliRunner: every command and error path, what the
user sees and what the workspace holds afterwards.

CliRunner's stdin is not a terminal, so the tests replace ``inspector.ui.interactive.has_terminal``
(the only thing the command checks) and feed the real flow through ``input()``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner, Result

from inspector.core.assessment import ItemAnswer
from inspector.core.indicators import load_set
from inspector.core.scoring import score_item
from inspector.store.workspace import StoredAssessment, Workspace
from inspector.ui import interactive
from inspector.ui.cli.app import build_app
from inspector.ui.interactive.card import CardInput, item_screen
from inspector.ui.interactive.flow import run_scorer
from inspector.ui.interactive.parse import key_of
from tests.conftest import SETS

ROUND = "2026年度督查"
UNIT = "市财政局"
ITEMS = 29  # the bundled set has 30 items; 3.3 applies only to 关基 units


def invoke(
    runner: CliRunner, args: list[str], lang: str = "zh", input: str | None = None
) -> Result:
    """Run the CLI in a fresh app built for ``lang`` (tests/helpers.py imports click, which
    newer Typer no longer installs)."""
    return runner.invoke(build_app(lang), args, input=input, catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path, runner: CliRunner) -> Path:
    path = tmp_path / "ws.db"
    assert invoke(runner, ["init", "--name", ROUND, "--db", str(path)]).exit_code == 0
    for name in (UNIT, "市教育局"):
        result = invoke(runner, ["units", "add", name, "--group", "市级部门", "--db", str(path)])
        assert result.exit_code == 0
    return path


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(interactive, "has_terminal", lambda: True)
    monkeypatch.setenv("INSPECTOR_USER", "王磊")
    yield


def score(runner: CliRunner, db: Path, lines: list[str], *extra: str, unit: str = UNIT, lang="zh"):
    return invoke(
        runner,
        ["score", unit, "--db", str(db), *extra],
        lang=lang,
        input="".join(line + "\n" for line in lines),
    )


def stored(db: Path, unit: str = UNIT, kind: str = "inspection") -> StoredAssessment:
    with Workspace.open(db) as ws:
        return ws.assessment(ws.round(), ws.unit(unit), kind)  # type: ignore[arg-type]


def answers(db: Path, unit: str = UNIT) -> dict[str, ItemAnswer]:
    return {code: s.answer for code, s in stored(db, unit).items.items()}


def answers_text(runner: CliRunner, db: Path, unit: str = UNIT) -> str:
    result = invoke(runner, ["answers", unit, "--db", str(db)])
    assert result.exit_code == 0
    return result.output


# --- without a terminal -----------------------------------------------------------------


def test_refuses_without_a_terminal(runner: CliRunner, db: Path) -> None:
    result = invoke(runner, ["score", UNIT, "--db", str(db)], input="\n\n")
    assert result.exit_code == 1
    assert "--answers" in result.output
    assert "\x1b" not in result.output
    assert not stored(db).exists


# --- a whole unit --------------------------------------------------------------------------


def test_all_full_unit_takes_one_keystroke_per_item(runner: CliRunner, db: Path, tty) -> None:
    # one Enter per item, Enter past the review, then "y" Enter on the checklist
    result = score(runner, db, [""] * ITEMS + ["", "y"])
    assert result.exit_code == 0, result.output
    held = stored(db)
    assert len(held.items) == ITEMS
    assert {s.answer.form for s in held.items.values()} == {"full"}
    assert {s.scored_by for s in held.items.values()} == {"王磊"}
    assert held.confirmed
    assert "第 1/29 项" in result.output
    assert "第 29/29 项" in result.output
    assert "已确认并锁定：市财政局检查评分，总分 100，等次 优秀" in result.output
    with Workspace.open(db) as ws:
        log = ws.audit_log(ws.unit(UNIT))
    assert [e.target for e in log].count("confirm") == 1


def test_a_typical_unit(runner: CliRunner, db: Path, tty) -> None:
    keys = [
        "",  # 1.1 full
        "c2 /p 财务科、信息科未签订责任书",  # 1.2 per-occurrence rule ×2 with a problem
        "a",  # 1.3
        "/r 下年度预算单列网络安全经费",  # 1.4: text first, kept until scored
        "a",  # 1.4
        "<",  # back to 1.4
        "",  # keep it
        "",  # 1.5
        "",  # 1.6
        "",  # 1.7 (check-only: nothing found)
        "",  # 2.1
        "2.5",  # 2.2 direct score below full: asks for the problem
        "资产台账缺少2个系统",
        "",  # 2.3
        "",  # 2.4
        "",  # 2.5
        "/n",  # 2.6 N/A: asks for the reason
        "未自行开办政务应用",
        "",  # 3.1
        "",  # 3.2
        "a3 b /p 门户网站存在3处弱口令",  # 3.4
        "/g 1.3",  # jump back
        "b",  # change 1.3 and return to 3.5
        "",  # 3.5
        "",  # 3.6
        "",  # 4.1
        "",  # 4.2
        "",  # 4.3
        "c",  # 4.4 level by key
        "",  # 4.5
        "",  # 4.6
        "",
        "",
        "",
        "",
        "",  # 5.1–5.5
        "",  # review → checklist
        "A1×2 B1",  # aggravated and bonus
        "y",
    ]
    result = score(runner, db, keys)
    assert result.exit_code == 0, result.output
    got = answers(db)
    assert got["1.1"] == ItemAnswer("full")
    assert got["1.2"] == ItemAnswer("deduct", (("r3", 2),), problem="财务科、信息科未签订责任书")
    assert got["1.3"] == ItemAnswer("deduct", (("r2", 1),))
    assert got["1.4"] == ItemAnswer("deduct", (("r1", 1),), rectify="下年度预算单列网络安全经费")
    assert got["2.2"] == ItemAnswer("score", Decimal("2.5"), problem="资产台账缺少2个系统")
    assert got["2.6"] == ItemAnswer("na", na_reason="未自行开办政务应用")
    assert got["3.4"] == ItemAnswer(
        "deduct", (("r1", 3), ("r2", 1)), problem="门户网站存在3处弱口令"
    )
    assert got["4.4"] == ItemAnswer("level", "仅培训")
    assert len(got) == ITEMS
    held = stored(db)
    assert held.aggravated == {"A1": 2}
    assert held.bonus == {"B1": 1}
    assert held.confirmed
    # what the inspector saw along the way
    out = result.output
    assert "✓ 1.2 已保存：2/3分，扣 c×2；问题：财务科、信息科未签订责任书" in out
    assert "已记下，评分时一并保存。" in out
    assert "不适用的理由" in out
    assert "存在问题（6 项）" in out
    assert "不适用：2.6（未自行开办政务应用）" in out
    assert "组内第 1 名" in out


def test_byte_for_byte_equal_to_an_answers_file(
    runner: CliRunner, tmp_path: Path, tty, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same decisions, typed or written in an answers file, store the same thing."""
    typed = tmp_path / "typed.db"
    filed = tmp_path / "filed.db"
    for path in (typed, filed):
        invoke(runner, ["init", "--name", ROUND, "--db", str(path)])
        invoke(runner, ["units", "add", UNIT, "--group", "市级部门", "--db", str(path)])
    keys = (
        ["", "c2 /p 财务科未签订责任书", "a /r 成立领导小组", ""]  # 1.1–1.4
        + [""] * 8  # 1.5–2.5
        + ["/n 未开办", "", "", "ac2 /p 门户网站存在弱口令"]  # 2.6, 3.1, 3.2, 3.4
        + [""] * 4  # 3.5–4.2
        + ["a"]  # 4.3
        + [""] * 8  # 4.4–5.5
        + ["/q"]
    )
    result = score(runner, typed, keys)
    assert result.exit_code == 0, result.output
    result = score(runner, typed, ["", "V2 A3*2", "/q"])  # opens on the review
    assert result.exit_code == 0, result.output
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(
        "unit: 市财政局\n"
        "items:\n"
        + "".join(f'  "{code}": full\n' for code in _codes() if code not in DECIDED)
        + '  "1.2": {deduct: {r3: 2}, problem: 财务科未签订责任书}\n'
        '  "1.3": {deduct: [r1], rectify: 成立领导小组}\n'
        '  "2.6": {na: 未开办}\n'
        '  "3.4": {deduct: {r1: 1, r3: 2}, problem: 门户网站存在弱口令}\n'
        '  "4.3": {deduct: {r1: 1}}\n'
        "veto: [V2]\n"
        "aggravated: {A3: 2}\n",
        encoding="utf-8",
    )
    result = invoke(runner, ["score", UNIT, "--answers", str(answers_file), "--db", str(filed)])
    assert result.exit_code == 0, result.output
    assert answers_text(runner, typed) == answers_text(runner, filed)


DECIDED = {"1.2", "1.3", "2.6", "3.4", "4.3"}


def _codes() -> list[str]:
    return [item.code for _, item in load_set(None).indicators.items() if item.code != "3.3"]


# --- saved as you go -----------------------------------------------------------------------


def test_end_of_input_keeps_what_was_saved_and_resumes(runner: CliRunner, db: Path, tty) -> None:
    result = score(runner, db, ["", "b", "a2"])  # then EOF while 1.3 is on screen... a2 is bad
    assert result.exit_code == 0
    assert set(answers(db)) == {"1.1", "1.2"}  # "a2" on a fixed rule was refused
    assert "只能计 1 次" in result.output
    assert "已退出。已保存 2/29 项；继续评分：inspector score 市财政局 --db" in result.output
    result = score(runner, db, ["/q"])
    assert "继续评分：已评 2/29 项，从 1.3 开始。" in result.output
    assert "第 3/29 项" in result.output
    assert result.exit_code == 0


def test_interrupt_exits_130_and_loses_only_the_line_being_typed(db: Path) -> None:
    typed = iter(["", "b", "a"])

    def read(prompt: str) -> str:
        line = next(typed, None)
        if line is None:
            raise KeyboardInterrupt
        return line

    out = io.StringIO()
    console = Console(file=out, width=80, height=24, highlight=False)
    with Workspace.open(db) as ws:
        code = run_scorer(ws, None, UNIT, "inspection", who="王磊", console=console, read=read)
    assert code == 130
    assert set(answers(db)) == {"1.1", "1.2", "1.3"}
    assert "已中断。已保存 3/29 项；继续评分：inspector score 市财政局" in out.getvalue()
    assert "Traceback" not in out.getvalue()


def test_finished_unit_opens_on_its_review(runner: CliRunner, db: Path, tty) -> None:
    score(runner, db, [""] * ITEMS + ["/q"])
    result = score(runner, db, ["/q"])
    assert "本单位已全部评完，这是复核页。" in result.output
    assert "复核  已评 29/29" in result.output
    assert "第 1/29 项" not in result.output
    assert "全部指标已评完，但尚未确认" in result.output


# --- input that is refused -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        (["z"], "本项没有规则键“z”（可用：a–e）"),
        (["a2"], "“a”不是按次计的条目，只能计 1 次"),  # the card's key, not r1
        (["d9"], ""),  # a per-occurrence rule: 9 occurrences are fine (capped)
        (["2"], "本项按扣分规则评分"),
        (["/n 理由"], "指标 1.1 不允许标记为不适用"),
        (["/d 2026-13-01 /p x", "", ""], "日期“2026-13-01”无效"),  # Enter twice: a draft
        (["/g 9.9"], "没有指标“9.9”"),
        (["/g 3.3"], "指标 3.3 不适用于“市财政局”"),
        (["a /q"], "须单独输入一行"),
    ],
)
def test_bad_input_is_explained_and_records_nothing(
    runner: CliRunner, db: Path, tty, keys: list[str], shown: str
) -> None:
    result = score(runner, db, keys)
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert shown in result.output
    if keys == ["d9"]:
        assert answers(db) == {"1.1": ItemAnswer("deduct", (("r4", 9),))}
    else:
        assert answers(db) == {}


def test_direct_score_range_and_step(runner: CliRunner, db: Path, tty) -> None:
    result = score(runner, db, ["/g 2.2", "3.5", "1.3", "1.5 /p 台账不全"])
    assert "指标 2.2 的得分 3.5 无效：须在 0 到 3 之间，且为 0.5 的整数倍" in result.output
    assert "得分 1.3 无效" in result.output
    assert answers(db) == {"2.2": ItemAnswer("score", Decimal("1.5"), problem="台账不全")}


def test_na_needs_a_reason(runner: CliRunner, db: Path, tty) -> None:
    result = score(runner, db, ["/g 2.6", "/n", ""])
    assert "未填写理由，未标记不适用。" in result.output
    assert answers(db) == {}


def test_problem_typed_as_its_default_is_stored_as_default(
    runner: CliRunner, db: Path, tty
) -> None:
    keys = ["", "b", "<", "/p", "未制定网络安全责任清单，或责任未分解到内设机构和岗位", "/r", "-"]
    score(runner, db, keys)
    assert answers(db)["1.2"] == ItemAnswer("deduct", (("r2", 1),))
    score(runner, db, ["<", "/p 清单未覆盖直属单位", "/r 补充责任清单"])
    assert answers(db)["1.2"] == ItemAnswer(
        "deduct", (("r2", 1),), problem="清单未覆盖直属单位", rectify="补充责任清单"
    )
    score(runner, db, ["<", "/p", "-", "="])  # back to the default text, then full marks
    assert answers(db)["1.2"] == ItemAnswer("full")


def test_text_typed_before_leaving_an_unscored_item_is_kept_as_a_draft(
    runner: CliRunner, db: Path, tty
) -> None:
    """Issue 10: not lost, and not an answer either (tests/test_team_scorer.py)."""
    result = score(runner, db, ["/p 待定", ">"])
    assert "刚才输入的文字已作为草稿保留" in result.output
    assert answers(db) == {}


# --- review, confirmation, lock ----------------------------------------------------------


def test_review_jump_adjustments_and_incomplete_confirmation(
    runner: CliRunner, db: Path, tty
) -> None:
    result = score(runner, db, ["", "/v", "y", "V9", "A3×9", "V1", "-V1", "/q"])
    out = result.output
    assert "尚有未评指标：1.2" in out
    assert "没有编码“V9”" in out
    held = stored(db)
    assert held.veto == frozenset()
    assert held.aggravated == {"A3": 9}
    assert not held.confirmed
    with Workspace.open(db) as ws:
        targets = [e.target for e in ws.audit_log(ws.unit(UNIT))]
    assert targets.count("veto") == 2  # added, then removed


def test_review_goto_returns_to_the_review(runner: CliRunner, db: Path, tty) -> None:
    score(runner, db, [""] * ITEMS + ["/q"])
    result = score(runner, db, ["/g 1.2", "b", "/q"])
    assert result.output.count("复核  已评 29/29") == 2
    assert answers(db)["1.2"] == ItemAnswer("deduct", (("r2", 1),))


def test_confirmed_is_locked_until_reopened(runner: CliRunner, db: Path, tty) -> None:
    score(runner, db, [""] * ITEMS + ["", "y"])
    assert stored(db).confirmed
    result = score(runner, db, [""])
    assert result.exit_code == 4
    assert "--reopen" in result.output
    # --reopen opens the review; looking changes nothing, so nothing is unlocked
    result = score(runner, db, ["/q"], "--reopen")
    assert "该评分已确认锁定" in result.output
    assert stored(db).confirmed
    # the first change unlocks it, audited
    result = score(runner, db, ["/g 1.1", "a", "", "y"], "--reopen")
    assert result.exit_code == 0, result.output
    held = stored(db)
    assert held.confirmed
    assert held.items["1.1"].answer == ItemAnswer("deduct", (("r1", 1),))
    with Workspace.open(db) as ws:
        targets = [e.target for e in ws.audit_log(ws.unit(UNIT))]
    assert targets.count("reopen") == 1
    assert targets.count("confirm") == 2


def test_self_assessment_uses_the_same_flow(runner: CliRunner, db: Path, tty) -> None:
    result = score(runner, db, ["", "b /m 责任清单正在修订", "/q"], "--self")
    assert "单位自评" in result.output
    own = stored(db, kind="self")
    assert own.items["1.2"].answer == ItemAnswer("deduct", (("r2", 1),), note="责任清单正在修订")
    assert not stored(db).exists
    # the inspector sees the unit's own score and explanation on the card
    result = score(runner, db, ["", "/q"])
    assert "自评 2/3分，扣 b；问题（默认）：未制定网络安全责任清单" in result.output
    assert "备注：责任清单正在修订" in result.output


def test_inspector_name_is_recorded(runner: CliRunner, db: Path, tty) -> None:
    score(runner, db, ["", "/q"], "--inspector", "李娜")
    assert stored(db).items["1.1"].scored_by == "李娜"
    with Workspace.open(db) as ws:
        entries = ws.audit_log(ws.unit(UNIT))
    assert [(e.who, e.target) for e in entries if e.target.startswith("item:")] == [
        ("李娜", "item:1.1")
    ]


def test_english(runner: CliRunner, db: Path, tty) -> None:
    result = score(runner, db, ["", "zz", "/q"], lang="en")
    out = result.output
    assert "item 1/29  provisional 100 (0/29 scored)" in out
    assert "Rules" in out and "Req." in out
    assert "Cannot read zz" in out or "no rule key z" in out
    assert "1 of 29 items are saved" in out


def test_small_set_with_levels_and_tags(runner: CliRunner, tmp_path: Path, tty) -> None:
    path = tmp_path / "small.db"
    set_file = str(SETS / "small.yaml")
    invoke(runner, ["init", "--name", "R", "--indicators", set_file, "--db", str(path)])
    invoke(
        runner, ["units", "add", "电力公司", "--group", "部门", "--tag", "关基", "--db", str(path)]
    )
    result = score(runner, path, ["", "a", "a4", "b", "4.5 /p 抽查缺1项", "", "y"], unit="电力公司")
    assert result.exit_code == 0, result.output
    assert "第 5/5 项" in result.output
    got = answers(path, "电力公司")
    assert got["A2"] == ItemAnswer("deduct", (("r1", 1),))
    assert got["B1"] == ItemAnswer("deduct", (("r1", 4),))
    assert got["B2"] == ItemAnswer("level", "仅培训")
    assert got["B3"] == ItemAnswer("score", Decimal("4.5"), problem="抽查缺1项")
    assert stored(path, "电力公司").confirmed


def test_unknown_unit(runner: CliRunner, db: Path, tty) -> None:
    result = score(runner, db, [""], unit="市公安局")
    assert result.exit_code == 2
    assert "没有名为“市公安局”的单位" in result.output


# --- the card fits the terminal ---------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("width", "height"), [(80, 24), (100, 30), (60, 20)])
def test_every_card_fits(lang: str, width: int, height: int) -> None:
    from rich.text import Text

    indicators = load_set(None).indicators
    for category, item in indicators.items():
        answer = ItemAnswer("full")
        if item.deductions:
            answer = ItemAnswer(
                "deduct",
                ((item.deductions[0].id, 1),),
                problem="门户网站存在2处弱口令，且管理后台对互联网开放",
                rectify="立即修改口令并关闭后台的互联网访问",
            )
        result = score_item(item, category, answer, True)
        card = CardInput(
            category=category,
            item=item,
            indicators=indicators,
            bar=Text("市财政局（市级部门）检查评分    第 1/29 项", "reverse"),
            current=result,
            own=result,
            pending={"note": "现场查看了管理后台"},
            message=Text("✓ 1.1 已保存：4/4分（满分）" * 3),
            hint=Text("回车 满分  a b2 扣分  /p 问题 /r 整改  < 上一项  ? 帮助"),
            lang=lang,
        )
        lines, _ = item_screen(card, width, height)
        assert len(lines) <= height - 1, (item.code, len(lines))
        for line in lines:
            assert cell_len(line.plain) <= width, (item.code, line.plain)
        # what to score with is never cut: every rule or level key starts a line
        for i in range(len(item.deductions or item.levels or [])):
            key = key_of(i)
            assert any(re.match(rf"^\S*\s+{key} ", line.plain) for line in lines), (item.code, key)


# --- the format's later additions: ranged rules, exclusions, check-only items, category N/A --

SEVEN = SETS / "shapes" / "seven_by_twelve.yaml"


@pytest.fixture
def seven_db(tmp_path: Path, runner: CliRunner) -> Path:
    """一区 (区县, 网站): K1.1 (r1 excludes r2, r3; r3 ranged 2–6 in steps of 1), K1.3
    (check-only), K3 may be N/A as a whole."""
    path = tmp_path / "seven.db"
    args = ["init", "--name", ROUND, "--indicators", str(SEVEN), "--db", str(path)]
    assert invoke(runner, args).exit_code == 0
    add = ["units", "add", "一区", "--group", "区县", "--tag", "网站", "--db", str(path)]
    assert invoke(runner, add).exit_code == 0
    return path


def test_ranged_rule_amount_typed_after_its_key(runner: CliRunner, seven_db: Path, tty) -> None:
    result = score(runner, seven_db, ["c", "c7", "c2.5", "b c4", "/q"], unit="一区")
    out = result.output
    assert "c r3 -2–6" in out or "c -2–6" in out  # the card shows the range
    assert "视情扣分，如 c2，步长 1" in out
    assert "规则 c 视情扣 2–6 分：请在键后写扣分，如 c2（步长 1）" in out  # no amount
    assert "指标 K1.1 的规则“c”扣分 7 无效：须在 2 到 6 之间，步长 1" in out  # keys, not ids
    assert "扣分 2.5 无效" in out
    assert answers(seven_db, "一区")["K1.1"] == ItemAnswer(
        "deduct", (("r2", 1), ("r3", Decimal(4)))
    )
    assert "✓ K1.1 已保存：8/20分，扣 b c4" in out
    assert '"K1.1": {deduct: {r2: 1, r3: 4}}' in answers_text(runner, seven_db, "一区")


def test_excluded_rules_are_refused_together(runner: CliRunner, seven_db: Path, tty) -> None:
    result = score(runner, seven_db, ["a b", "a c3", "/q"], unit="一区")
    out = result.output
    assert "（与 b、c 不同时适用）" in out  # the card shows the exclusions
    assert "指标 K1.1 的规则“a”与“b”不同时适用，不重复扣分：请只选其一" in out
    assert "指标 K1.1 的规则“a”与“c”不同时适用" in out
    assert "K1.1" not in answers(seven_db, "一区")


def test_check_only_item_records_problems_without_points(
    runner: CliRunner, seven_db: Path, tty
) -> None:
    result = score(runner, seven_db, ["", "", "a b", "/q"], unit="一区")
    out = result.output.replace("\n", "")  # the messages wrap
    assert "K1.3 基本情况（0分）" in out
    assert "检查 a 不计分" in out
    assert "✓ K1.3 已保存：0/0分，发现 a b；问题（默认）：基本情况与核查不一致；联系人未更新" in out
    assert answers(seven_db, "一区")["K1.3"] == ItemAnswer("found", ("c1", "c2"))
    assert "暂计 150（已评 2/11）" in out  # nothing taken off
    data = invoke(runner, ["show", "一区", "--json", "--db", str(seven_db)]).output
    assert '"rectify": null' in data  # the check's rectification is the reports' default


def test_whole_category_not_applicable_at_once(runner: CliRunner, seven_db: Path, tty) -> None:
    keys = [""] * 5 + ["/nc", "网站集约到市级平台", "/q"]  # K1.1–K2.2, then on K3.1
    result = score(runner, seven_db, keys, unit="一区")
    out = result.output
    assert "/nc 整类不适用" in out  # the hint on K3's cards
    assert "一级指标 K3 网站安全 整类不适用的理由" in out
    assert "✓ 一级指标 K3 整类不适用，已保存 2 项。" in out
    held = answers(seven_db, "一区")
    assert held["K3.1"] == held["K3.2"] == ItemAnswer("na", na_reason="网站集约到市级平台")
    assert "K5.1>" in out  # moved past the category (K4.1 does not apply)
    assert 'categories: {"K3": {na: 网站集约到市级平台}}' in answers_text(runner, seven_db, "一区")
    refused = score(runner, seven_db, ["/g K1.1", "/nc 不适用", "/q"], unit="一区")
    assert "一级指标“K1”不允许整类标记为不适用" in refused.output


def test_review_names_what_set_the_grade(runner: CliRunner, seven_db: Path, tty) -> None:
    keys = [""] * 11 + ["", "G1", "X2", "/q"]  # all full, then the checklist
    result = score(runner, seven_db, keys, unit="一区")
    out = result.output.replace("\n", "")  # the totals line wraps
    assert "[直接评为不合格] 瞒报事件" in out and "[等次不高于合格] 发生较大事件" in out
    assert "[等次不高于良好] 严重违规" in out
    assert "加重扣分共 2 起以上的，等次不高于不合格" in out
    assert "加分（合计不超过 10 分，计在 150 分上限之外）" in out
    # full marks 150 − 10 = 140: 优秀 by its band, at most 良好 after G1, at most 合格 after X2
    assert "等次 良好（加重扣分限定等次：优秀 → 良好）" in out
    assert "等次 合格（一票否决：优秀 → 合格）" in out
