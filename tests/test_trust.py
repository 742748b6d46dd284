"""The scorer as a team trusts it (issue 10, item 6), through Typer's CliRunner: problems for
deductions (one rule in core for the scorer and answers files), the card's keys in messages,
caps reached, provisional totals, review codes as the set writes them, words that mean /q and
?, a stray Enter, narrow terminals; and ``log`` in the user's language. Each test checks what
the user sees and what is stored."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from inspector.core.answers import check_decision
from inspector.core.assessment import ItemAnswer
from inspector.core.indicators import load_set
from inspector.core.scoring import score_item
from inspector.store.workspace import Workspace
from inspector.ui.interactive.card import CardInput, item_screen
from inspector.ui.interactive.flow import run_scorer
from tests.test_score_interactive import (
    ITEMS,
    UNIT,
    answers,
    db,  # noqa: F401 - fixture
    invoke,
    score,
    stored,
    tty,  # noqa: F401 - fixture
)

TODAY = date.today()


def write(tmp_path: Path, text: str, name: str = "a.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def record(runner: CliRunner, db: Path, path: Path, *extra: str):  # noqa: F811
    return invoke(runner, ["score", UNIT, "--answers", str(path), "--db", str(db), *extra])


# --- one rule in core ---------------------------------------------------------------------------


def test_check_decision_is_the_one_rule() -> None:
    indicators = load_set(None).indicators
    direct = indicators.item("2.2")
    rules = indicators.item("1.1")
    assert direct is not None and rules is not None
    past = (TODAY - timedelta(days=1)).isoformat()
    future = (TODAY + timedelta(days=30)).isoformat()
    keys = lambda item, answer, before=None: [  # noqa: E731
        k for k, _ in check_decision(item, answer, TODAY, before)
    ]
    assert keys(direct, ItemAnswer("score", Decimal("2.5"))) == ["trust.problem_needed"]
    assert keys(direct, ItemAnswer("score", Decimal("2.5"), problem="台账缺2项")) == []
    assert keys(direct, ItemAnswer("score", Decimal(3), problem="x")) == ["trust.full_with_text"]
    assert keys(rules, ItemAnswer("deduct", (("r1", 1),))) == []  # the rule's text by default
    assert keys(rules, ItemAnswer("full", rectify="x", deadline=future)) == [
        "trust.full_with_text",
        "trust.full_with_text",
    ]
    assert keys(rules, ItemAnswer("full", evidence="会议纪要", note="现场")) == []
    late = ItemAnswer("deduct", (("r1", 1),), deadline=past)
    assert keys(rules, late) == ["trust.deadline_past"]
    assert keys(rules, late, before=late) == []  # kept as stored: replaying changes nothing
    assert keys(rules, ItemAnswer("deduct", (("r1", 1),), deadline=future)) == []


def test_answers_files_follow_the_rule_at_their_places(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    past = (TODAY - timedelta(days=3)).isoformat()
    path = write(
        tmp_path,
        "unit: 市财政局\nitems:\n"
        '  "2.2": {score: 2.5}\n'
        '  "1.1": {problem: 无, rectify: 整改}\n'
        f'  "1.2": {{deduct: {{r1: 1}}, deadline: "{past}"}}\n'
        '  "1.3": {deduct: {r1: 2}}\n',
    )
    result = record(runner, db, path)
    assert result.exit_code == 1
    out = result.output.replace("\n", "")
    assert "a.yaml:3:10: 指标 2.2 的得分低于满分，须写明存在的问题" in out
    assert "a.yaml:4:10: 指标 1.1 为满分，不能填写存在问题" in out
    assert "指标 1.1 为满分，不能填写整改要求" in out
    assert f"a.yaml:5:10: 整改期限 {past} 已过" in out
    assert "“r1”不是按次计的条目" in out  # answers files keep the ids
    assert answers(db) == {}


def test_a_self_assessment_is_not_held_to_the_inspectors_rule(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = write(tmp_path, 'unit: 市财政局\nitems:\n  "2.2": {score: 2.5}\n')
    assert record(runner, db, path, "--self").exit_code == 0


# --- the scorer -------------------------------------------------------------------------------


def test_a_direct_score_below_full_asks_for_its_problem(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tty,  # noqa: F811
) -> None:
    result = score(runner, db, ["/g 2.2", "2.5", "", "2.5", "资产台账缺少2个系统", "/q"])
    out = result.output.replace("\n", "")
    assert "2.2 得分低于满分，请写明存在的问题（直接回车则不保存）" in out
    assert "指标 2.2 的得分低于满分，须写明存在的问题" in out  # Enter alone: not saved
    assert "✓ 2.2 已保存：2.5/3分；问题：资产台账缺少2个系统" in out
    assert answers(db) == {
        "2.2": ItemAnswer("score", Decimal("2.5"), problem="资产台账缺少2个系统")
    }


def test_texts_on_full_marks_and_past_deadlines_are_refused(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tty,  # noqa: F811
) -> None:
    past = (TODAY - timedelta(days=1)).isoformat()
    result = score(runner, db, ["= /p 有问题", f"a /d {past}", "/q"])
    out = result.output.replace("\n", "")
    assert "指标 1.1 为满分，不能填写存在问题" in out
    assert f"整改期限 {past} 已过" in out
    assert answers(db) == {}


def test_messages_use_the_cards_keys(runner: CliRunner, db: Path, tty) -> None:  # noqa: F811
    result = score(runner, db, ["a2", "/q"])
    assert "“a”不是按次计的条目，只能计 1 次" in result.output
    assert "r1" not in result.output.split("1.1>")[-1]
    assert answers(db) == {}


def test_a_cap_reached_says_so(runner: CliRunner, db: Path, tty) -> None:  # noqa: F811
    result = score(runner, db, ["d9", "/q"])
    out = result.output.replace("\n", "")
    assert "✓ 1.1 已保存：3/4分，扣 d×9 → 已达上限，扣1分" in out
    assert answers(db) == {"1.1": ItemAnswer("deduct", (("r4", 9),))}


@pytest.mark.parametrize("word", ["q", "quit", "退出", "help", "帮助"])
def test_words_point_to_the_commands(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tty,  # noqa: F811
    word: str,
) -> None:
    result = score(runner, db, [word, "/q"])
    out = result.output
    assert f"“{word}”不是命令" in out and "/q" in out and "?" in out
    assert "本项没有规则键" not in out
    assert answers(db) == {}
    result = score(runner, db, ["/v", word, "/q"])  # the review page too
    assert f"“{word}”不是命令" in result.output and "没有编码" not in result.output


def test_totals_are_provisional_until_every_item_is_scored(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tty,  # noqa: F811
) -> None:
    result = score(runner, db, ["", "a", "", "", "/v", "/q"])
    out = result.output.replace("\n", "")
    assert "第 1/29 项  暂计 100（已评 0/29）" in out
    assert "第 5/29 项  暂计 98.42（已评 4/29）" in out  # the bar after four items
    assert "暂计 98.42（已评 4/29），评完全部指标后给出等次" in out  # the review page
    assert "等次 优秀" not in out
    everything = score(runner, db, ["/g 1.5"] + [""] * (ITEMS - 4) + ["/q"])
    assert "总分 98.42  等次 优秀" in everything.output.replace("\n", "")


def test_review_codes_only_as_the_set_writes_them(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tty,  # noqa: F811
) -> None:
    score(runner, db, [""] * ITEMS + ["/q"])
    result = score(runner, db, ["v2", "Ｖ２", "a3×4", "/q"])
    out = result.output.replace("\n", "")
    assert "“v2”与本指标体系的写法不符：请照原样输入 V2" in out
    assert "“Ｖ２”与本指标体系的写法不符：请照原样输入 V2" in out
    assert "“a3”与本指标体系的写法不符：请照原样输入 A3" in out
    held = stored(db)
    assert not held.veto and not held.aggravated
    result = score(runner, db, ["V2 A3×4 B1", "", "/q"])
    out = result.output.replace("\n", "")
    assert "A3×4 → 已达上限，扣6分" in out  # the review page
    assert "-2/项，最多6" in out  # the confirmation page's checklist
    held = stored(db)
    assert set(held.veto) == {"V2"} and held.aggravated == {"A3": 4} and held.bonus == {"B1": 1}


def test_a_stray_enter_does_not_give_full_marks_unseen(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tty,  # noqa: F811
    tmp_path: Path,
) -> None:
    own = write(tmp_path, 'unit: 市财政局\nitems:\n  "1.1": {deduct: {r1: 1}}\n')
    assert record(runner, db, own, "--self").exit_code == 0
    result = score(runner, db, ["", "/q"])
    assert "单位自评 1.1 扣了 4 分。确认给满分请再按一次回车" in result.output.replace("\n", "")
    assert answers(db) == {}
    score(runner, db, ["", "", "/q"])
    assert answers(db) == {"1.1": ItemAnswer("full")}
    result = score(runner, db, ["/e 会议纪要", "", "/q"])  # a draft on 1.2
    assert "1.2 有已记下的文字。确认给满分请再按一次回车" in result.output.replace("\n", "")
    assert "1.2" not in answers(db)
    score(runner, db, ["/e 会议纪要", "", "", "/q"])
    assert answers(db)["1.2"] == ItemAnswer("full", evidence="会议纪要")


# --- narrow terminals -------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(60, 16), (50, 14), (40, 12)])
def test_narrow_cards_keep_rules_self_assessment_and_input(width: int, height: int) -> None:
    from rich.text import Text

    indicators = load_set(None).indicators
    for category, item in indicators.items():
        if not item.deductions or len(item.deductions) > 4:
            continue
        own = score_item(item, category, ItemAnswer("deduct", ((item.deductions[0].id, 1),)), True)
        card = CardInput(
            category=category,
            item=item,
            indicators=indicators,
            bar=Text("市财政局（市级部门）检查评分", "reverse"),
            current=None,
            own=own,
            pending={},
            message=Text("✓ 1.1 已保存：4/4分（满分）" * 3),
            hint=Text("回车 满分  a b2 扣分"),
            lang="zh",
        )
        lines, _ = item_screen(card, width, height)
        plain = [line.plain for line in lines]
        assert len(lines) <= height - 1, (item.code, len(lines))
        assert all(cell_len(p) <= width for p in plain)
        assert any(p.startswith("自评") for p in plain), (item.code, plain)
        assert plain[-1].startswith("回车"), item.code
        for key in "abcd"[: len(item.deductions)]:
            assert any(f" {key} " in p for p in plain), (item.code, key, plain)


@pytest.mark.parametrize("width", [30, 40, 60])
def test_the_header_never_cuts_a_number(db: Path, width: int) -> None:  # noqa: F811
    out = io.StringIO()
    console = Console(file=out, width=width, height=20, highlight=False)
    typed = iter(["", "", "/q"])
    with Workspace.open(db) as ws:
        run_scorer(
            ws, None, UNIT, "inspection", who="王磊", console=console, read=lambda _: next(typed)
        )
    screen = out.getvalue()
    assert "暂计 100（已评 0/29）" in screen or "暂计 100（0/29）" in screen
    assert "暂计 100（已评 2/29）" in screen or "暂计 100（2/29）" in screen
    for line in screen.splitlines():
        assert "暂计 1…" not in line and "暂计 10…" not in line


# --- log UNIT ---------------------------------------------------------------------------------


def log(runner: CliRunner, db: Path, lang: str = "zh") -> str:  # noqa: F811
    """``log`` in a terminal wide enough that no cell wraps."""
    from inspector.ui.cli.app import build_app

    args = ["log", UNIT, "--db", str(db)]
    result = runner.invoke(build_app(lang), args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_log_reads_in_the_users_language(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tty,  # noqa: F811
) -> None:
    score(runner, db, ["/g 1.2", "c2 /p 两个科室未签责任书", "/q"])
    score(runner, db, ["/g 1.2", "=", "/q"])
    table = log(runner, db)
    assert "“市财政局”的审计日志（时间为 Asia/Shanghai，UTC+08:00）" in table
    assert "1.2 责任分解落实" in table
    assert "未评 → 扣 c×2（−1）；问题：两个科室未签责任书" in table
    assert "扣 c×2（−1）；问题：两个科室未签责任书 → 满分" in table
    assert "王磊" in table and "item:" not in table and '{"' not in table
    raw = json.loads(invoke(runner, ["log", UNIT, "--json", "--db", str(db)]).output)
    changes = [e for e in raw if e["target"] == "item:1.2"]
    assert changes[0]["new"] == {
        "form": "deduct",
        "deductions": {"r3": 2},
        "problem": "两个科室未签责任书",
    }
    assert changes[-1]["new"] == {"form": "full"} and changes[-1]["at"].endswith("+00:00")
    # local time: the stored UTC time shown in the round's zone
    with Workspace.open(db) as ws:
        at = ws.audit_log(ws.unit(UNIT))[-1].at
    from datetime import datetime
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(at).astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.strftime("%Y-%m-%d %H:%M:%S") in table


def test_log_in_english(runner: CliRunner, db: Path, tty) -> None:  # noqa: F811
    score(runner, db, ["a", "/q"])
    table = log(runner, db, "en")
    assert "Audit log of “市财政局” (times in Asia/Shanghai, UTC+08:00)" in table
    assert "not scored → rules a (−4)" in table


def test_the_answers_dump_never_writes_a_control_character_raw() -> None:
    """A unit named before the name rule (ESC, U+202E) is quoted in ``unit:`` and shown
    visibly in the header comment; the file reads back."""
    from inspector.core.answers import dump_answers, parse_answers
    from inspector.core.assessment import Unit

    indicators = load_set(None).indicators
    unit = Unit(1, "红\x1b[31m局\u202e", "市级部门", None)
    header = f"{unit.name} 的检查评分\n第二行"
    text = dump_answers(indicators, unit, {"1.1": ItemAnswer("full")}, {}, header)
    assert "\x1b" not in text and "\u202e" not in text
    assert text.startswith("# 红\ufffd局\ufffd 的检查评分\n# 第二行\n")
    # a name with a bidirectional character reads back (the reader refuses ESC even escaped)
    bidi = Unit(1, "局政财\u202e", "市级部门", None)
    text = dump_answers(indicators, bidi, {"1.1": ItemAnswer("full")}, {}, bidi.name)
    assert "\u202e" not in text
    parsed = parse_answers(text, "a.yaml", indicators, bidi)
    assert parsed.unit == bidi.name and parsed.items == {"1.1": ItemAnswer("full")}


def test_an_answers_file_for_part_of_a_unit_gives_a_provisional_total(
    runner: CliRunner,
    db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = write(tmp_path, 'unit: 市财政局\nitems:\n  "1.1": full\n  "1.2": {deduct: [r1]}\n')
    result = record(runner, db, path)
    assert result.exit_code == 0, result.output
    out = result.output.replace("\n", "")
    assert "暂计 98.42（已评 2/29），评完全部指标后给出等次。" in out
    assert "等次 " not in out
    assert set(answers(db)) == {"1.1", "1.2"}
