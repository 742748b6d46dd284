"""Sets in other shapes than 5×30, scored through answers files by the CLI, against totals
worked out by hand (the arithmetic is in the comments).

* ``shapes/seven_by_twelve.yaml``: 7 categories, 12 items, 150 points; ranged rules, check-only
  items, rule exclusions, a category N/A as a whole, an aggravated cap, an aggravated entry that
  caps the grade, "2 or more aggravated occurrences ⇒ 不合格", vetoes that force and cap, a
  bonus beyond the cap, applies_to any/except.
* ``shapes/four_by_sixty.yaml``: 4 categories, 60 items, 120 points; the older shapes
  (applies_to by groups and tags, a bonus within the cap) with a category N/A as a whole and
  vetoes that cap and force.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from inspector.core.indicators import load_set
from tests.conftest import SETS
from tests.helpers import invoke

SEVEN = SETS / "shapes" / "seven_by_twelve.yaml"
SIXTY = SETS / "shapes" / "four_by_sixty.yaml"


def workspace(
    runner: CliRunner, tmp_path: Path, set_path: Path, units: list[tuple[str, str, list[str]]]
) -> Path:
    db = tmp_path / "ws.db"
    args = ["init", "--name", "测试轮次", "--indicators", str(set_path), "--db", str(db)]
    assert invoke(runner, args).exit_code == 0
    for name, group, tags in units:
        extra = [arg for tag in tags for arg in ("--tag", tag)]
        result = invoke(runner, ["units", "add", name, "--group", group, *extra, "--db", str(db)])
        assert result.exit_code == 0, result.output
    return db


def record(runner: CliRunner, db: Path, tmp_path: Path, unit: str, text: str) -> None:
    path = tmp_path / f"{unit}.yaml"
    path.write_text(f"unit: {unit}\n{text}", encoding="utf-8")
    result = invoke(runner, ["score", unit, "--answers", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output


def status(runner: CliRunner, db: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(invoke(runner, ["status", "--json", "--db", str(db)]).output)
    return {u["unit"]: u for u in data["units"]}


def items(runner: CliRunner, db: Path, unit: str) -> dict[str, dict[str, Any]]:
    data = json.loads(invoke(runner, ["show", unit, "--json", "--db", str(db)]).output)
    return {i["code"]: i for i in data["items"]}


def full(set_path: Path, group: str, tags: set[str], *skip: str) -> str:
    """Every applicable item at full marks, except those in ``skip`` (written after)."""
    s = load_set(set_path).indicators
    return "".join(
        f'  "{it.code}": full\n'
        for _, it in s.items()
        if it.applies(group, tags) and it.code not in skip
    )


# --- seven categories, twelve items, 150 points ----------------------------------------------

SEVEN_UNITS = [
    ("一区", "区县", ["网站"]),
    ("二局", "部门", ["关基", "集约"]),
    ("三企", "企业", ["网站"]),
    ("四区", "区县", []),
    ("五局", "部门", []),
    ("六局", "部门", []),
]


@pytest.fixture
def seven(runner: CliRunner, tmp_path: Path) -> Path:
    db = workspace(runner, tmp_path, SEVEN, SEVEN_UNITS)
    # 一区 (区县, 网站): all but K4.1 (关基) apply: 11 items, 150 − 20 = 130 points
    record(
        runner,
        db,
        tmp_path,
        "一区",
        "items:\n"
        + full(
            SEVEN, "区县", {"网站"}, "K1.1", "K1.2", "K1.3", "K2.1", "K2.2", "K3.1", "K5.1", "K6.1"
        )
        + '  "K1.1": {deduct: {r2: 1, r3: 4}}\n'  # 8 + 4 (ranged, chosen) = 12 → 8/20
        '  "K1.2": {level: 部分落实}\n'  # 5/10
        '  "K1.3": {found: [c1]}\n'  # a problem, no points
        '  "K2.1": {deduct: {r1: 5, r2: 1.5}}\n'  # min(5 × 2, 8) + 1.5 = 9.5 → 2.5/12
        '  "K2.2": {score: 6, problem: 台账缺2项}\n'  # 6/8
        '  "K3.1": {deduct: {r1: 0, r2: 2}}\n'  # r1: 0 is none; 2 × 3 = 6 → 9/15
        '  "K5.1": {deduct: {r1: 1, r2: 2.5}}\n'  # 5 + 2.5 = 7.5 → 17.5/25
        '  "K6.1": {level: 桌面推演}\n'  # 9/15
        "aggravated: {G1: 1, G2: 0}\n"  # 10 (G2: 0 is none)
        "bonus: {J1: 1}\n",  # 5, on top of the cap
    )
    # 二局 (部门, 关基, 集约): K3.1 (any 网站/区县) and K3.2 (except 集约) do not apply:
    # 10 items, 150 − 25 = 125 points
    record(
        runner,
        db,
        tmp_path,
        "二局",
        "items:\n"
        + full(SEVEN, "部门", {"关基", "集约"}, "K1.1", "K4.1", "K7.2")
        + '  "K1.1": {deduct: [r1]}\n'  # 20 → 0/20
        '  "K4.1": {deduct: {r2: 1}}\n'  # 10 → 10/20
        '  "K7.2": {found: {c1: 1}}\n'
        "aggravated: {G1: 1}\n"  # 10
        "bonus: {J1: 3}\n",  # 15, capped at 10
    )
    # 三企 (企业, 网站): K4.1 (关基) and K7.1 (区县, 部门) do not apply: 150 − 35 = 115
    record(
        runner,
        db,
        tmp_path,
        "三企",
        "items:\n" + full(SEVEN, "企业", {"网站"}) + "aggravated: {G1: 1}\nbonus: {J1: 2}\n",
    )
    # 四区 (区县): K3 N/A as a whole, K4.1 (关基) does not apply: 150 − 25 − 20 = 105
    record(
        runner,
        db,
        tmp_path,
        "四区",
        'categories: {"K3": {na: 网站集约到市级平台}}\n'
        "items:\n"
        + full(SEVEN, "区县", set(), "K3.1", "K3.2", "K6.1")
        + '  "K6.1": {level: 桌面推演}\n'  # 9/15
        "veto: [X2]\n",
    )
    # 五局 (部门): K3.1 (any 网站/区县) and K4.1 do not apply: 150 − 15 − 20 = 115
    record(
        runner,
        db,
        tmp_path,
        "五局",
        "items:\n" + full(SEVEN, "部门", set()) + "aggravated: {G1: 2, G2: 1}\n",
    )
    # 六局 (部门): as 五局, 115 points
    record(
        runner, db, tmp_path, "六局", "items:\n" + full(SEVEN, "部门", set()) + "veto: [X1, X2]\n"
    )
    return db


def test_seven_by_twelve_totals_by_hand(runner: CliRunner, seven: Path) -> None:
    by_unit = status(runner, seven)

    # 一区: lost 12 + 5 + 9.5 + 2 + 6 + 7.5 + 6 = 48 of 130 → earned 82
    # base 82 / 130 × 150 = 94.615… → 94.62; min(max(94.62 − 10, 0), 150) + 5 = 89.62
    # band 不合格 (< 90); G1's cap (良好) is above it and changes nothing
    one = by_unit["一区"]
    assert (one["base"], one["aggravated"], one["bonus"]) == (94.62, 10, 5)
    assert (one["total"], one["grade"], one["grade_by"]) == (89.62, "不合格", None)
    assert one["progress"] == {"answered": 11, "applicable": 11}
    assert [(c["code"], c["max"], c["score"]) for c in one["categories"]] == [
        ("K1", 30, 13),  # 8 + 5 + 0 (check-only)
        ("K2", 20, 8.5),  # 2.5 + 6
        ("K3", 25, 19),  # 9 + 10
        ("K4", 0, 0),
        ("K5", 25, 17.5),
        ("K6", 15, 9),
        ("K7", 15, 15),  # 15 + 0 (check-only)
    ]

    # 二局: lost 20 + 10 = 30 of 125 → 95; base 95 / 125 × 150 = 114
    # min(114 − 10, 150) + min(15, 10) = 114: 合格 (90–120), G1's cap changes nothing
    two = by_unit["二局"]
    assert (two["base"], two["aggravated"], two["bonus"], two["total"]) == (114, 10, 10, 114)
    assert (two["grade"], two["grade_by"]) == ("合格", None)

    # 三企: full marks 115 of 115 → base 150; min(150 − 10, 150) + 10 = 150: 优秀 by its
    # band, at most 良好 (G1: 严重违规，不得评优)
    three = by_unit["三企"]
    assert (three["base"], three["total"]) == (150, 150)
    assert (three["grade"], three["grade_by"]) == ("良好", "aggravated")

    # 四区: lost 6 of 105 → 99; base 99 / 105 × 150 = 141.428… → 141.43: 优秀 by its band,
    # at most 合格 (veto X2, effect cap)
    four = by_unit["四区"]
    assert (four["total"], four["grade"], four["grade_by"]) == (141.43, "合格", "veto")
    assert four["veto"] == ["X2"]

    # 五局: full marks → 150; aggravated 2 × 10 + 4 = 24, capped at 20 → 130: 良好 by its
    # band; 3 aggravated occurrences (2 or more) ⇒ at most 不合格
    five = by_unit["五局"]
    assert (five["aggravated"], five["total"]) == (20, 130)
    assert (five["grade"], five["grade_by"]) == ("不合格", "aggravated")

    # 六局: full marks → 150; X1 forces 不合格, X2 caps at 合格: the worse wins
    six = by_unit["六局"]
    assert (six["total"], six["grade"], six["grade_by"]) == (150, "不合格", "veto")

    # ranks follow the grades, then the totals within a grade
    # 区县: 四区 (合格, capped) before 一区 (不合格, 89.62)
    assert (four["rank"], one["rank"]) == (1, 2)
    # 部门: 二局 (合格, 114) first; among the 不合格, 六局 (150, forced) before 五局 (130)
    assert (two["rank"], six["rank"], five["rank"]) == (1, 2, 3)
    assert three["rank"] == 1  # alone in 企业


def test_seven_by_twelve_items(runner: CliRunner, seven: Path) -> None:
    one = items(runner, seven, "一区")
    assert one["K1.1"]["score"] == 8
    assert one["K1.1"]["deductions"] == [
        {"rule": "r2", "count": 1, "points": 8},
        {"rule": "r3", "count": 1, "points": 4},  # the amount chosen
    ]
    assert (one["K1.3"]["score"], one["K1.3"]["max"], one["K1.3"]["found"]) == (0, 0, ["c1"])
    assert one["K1.3"]["problem"] == "基本情况与核查不一致"
    assert one["K2.1"]["score"] == 2.5
    four = items(runner, seven, "四区")
    assert four["K3.1"]["na_reason"] == four["K3.2"]["na_reason"] == "网站集约到市级平台"
    assert not four["K3.1"]["applicable"] and four["K4.1"]["na_reason"] is None


def test_answers_files_read_back_byte_for_byte(runner: CliRunner, seven: Path) -> None:
    for unit in ("一区", "二局", "四区"):
        first = invoke(runner, ["answers", unit, "--db", str(seven)]).output
        again = seven.parent / f"again-{unit}.yaml"
        again.write_text(first, encoding="utf-8")
        result = invoke(runner, ["score", unit, "--answers", str(again), "--db", str(seven)])
        assert "变更 0 处" in result.output, result.output
        assert invoke(runner, ["answers", unit, "--db", str(seven)]).output == first
    one = invoke(runner, ["answers", "一区", "--db", str(seven)]).output
    assert '"K1.1": {deduct: {r2: 1, r3: 4}}' in one
    assert '"K2.1": {deduct: {r1: 5, r2: 1.5}}' in one
    assert '"K1.3": {found: [c1]}' in one
    assert "aggravated: {G1: 1}" in one  # G2: 0 was none
    four = invoke(runner, ["answers", "四区", "--db", str(seven)]).output
    assert 'categories: {"K3": {na: 网站集约到市级平台}}' in four
    assert '"K3.1"' not in four


BROKEN = """\
unit: 一区
categories: {"K1": {na: 不适用}, "K9": {na: x}, "K3": {na: 集约}}
items:
  "K1.1": {deduct: {r1: 1, r2: 1}}
  "K5.1": {deduct: {r2: 3.5}}
  "K2.1": {deduct: [r2]}
  "K1.3": {found: [c9]}
  "K3.2": {score: 5, problem: 演练未覆盖全部系统}
  "K2.2": {deduct: {r1: 1}}
"""


def test_broken_answers_for_the_new_fields_are_located(
    runner: CliRunner, seven: Path, tmp_path: Path
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = invoke(runner, ["score", "一区", "--answers", str(path), "--db", str(seven)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for where, what in [
        (":2:14:", "一级指标“K1”不允许整类标记为不适用"),
        (":2:31:", "没有一级指标“K9”"),
        (":4:11:", "规则“r1”与“r2”不同时适用"),
        (":5:11:", "扣分 3.5 无效：须在 1 到 3 之间，步长 0.5"),
        (":6:11:", "视情扣 1–4 分：须写明扣分"),
        (":7:11:", "没有检查内容“c9”"),
        (":8:3:", "已整类标记为不适用"),
        (":9:11:", "评分方式是 direct"),
    ]:
        line = next((x for x in lines if f"{path}{where}" in x), None)
        assert line is not None and what in line, (where, what, result.output)
    assert items(runner, seven, "一区")["K1.1"]["score"] == 8  # nothing recorded


# --- four categories, sixty items, 120 points ------------------------------------------------


def test_four_by_sixty_totals_by_hand(runner: CliRunner, tmp_path: Path) -> None:
    s = load_set(SIXTY).indicators
    assert len(s.categories) == 4 and sum(1 for _ in s.items()) == 60 and s.total == 120
    db = workspace(
        runner,
        tmp_path,
        SIXTY,
        [("甲区", "区县", []), ("乙局", "部门", ["关基"]), ("丙局", "部门", [])],
    )
    # 甲区 (区县): B15 (关基) does not apply: 59 items, 118 points
    record(
        runner,
        db,
        tmp_path,
        "甲区",
        "items:\n"
        + full(SIXTY, "区县", set(), "A01", "A02", "A03", "A04", "A05", "A06", "B11", "C14")
        + "".join(f'  "A0{n}": {{deduct: {{r1: 1}}}}\n' for n in range(1, 6))  # 5 × 2 = 10
        + '  "A06": {deduct: {r2: 3}}\n'  # 3 × 0.5 = 1.5, capped at 1
        '  "B11": {level: 中}\n'  # 1
        '  "C14": {score: 1.5, problem: 培训覆盖不足}\n'  # 0.5
        "bonus: {J1: 2}\n",  # 4
    )
    # 乙局 (部门, 关基): C15 (区县) does not apply: 59 items, 118 points; D (30) N/A as a whole
    record(
        runner,
        db,
        tmp_path,
        "乙局",
        'categories: {"D": {na: 无宣传职能}}\n'
        "items:\n"
        + full(SIXTY, "部门", {"关基"}, "B15", *(f"D{n:02d}" for n in range(1, 16)))
        + '  "B15": {score: 0, problem: 未开展}\n'  # 0 of 2
        "veto: [V1]\naggravated: {G1: 1}\nbonus: {J1: 5}\n",
    )
    # 丙局 (部门): B15 and C15 do not apply: 58 items, 116 points
    record(
        runner,
        db,
        tmp_path,
        "丙局",
        "items:\n" + full(SIXTY, "部门", set(), "A01") + '  "A01": {deduct: [r1]}\nveto: [V2]\n',
    )
    by_unit = status(runner, db)
    # 甲区: lost 10 + 1 + 1 + 0.5 = 12.5 of 118 → 105.5; base 105.5 / 118 × 120 = 107.288…
    # → 107.29; the bonus stays within the cap: min(107.29 + 4, 120) = 111.29: 优秀 (≥ 108)
    first = by_unit["甲区"]
    assert (first["base"], first["bonus"], first["total"]) == (107.29, 4, 111.29)
    assert (first["grade"], first["grade_by"], first["rank"]) == ("优秀", None, 1)
    # 乙局: 118 − 30 (D N/A) = 88 applicable, lost 2 → 86; base 86 / 88 × 120 = 117.27…
    # min(max(117.27 − 3 + min(10, 6), 0), 120) = min(120.27, 120) = 120: 优秀 by its band,
    # at most 合格 (V1, effect cap)
    second = by_unit["乙局"]
    assert (second["base"], second["aggravated"], second["bonus"]) == (117.27, 3, 6)
    assert (second["total"], second["grade"], second["grade_by"]) == (120, "合格", "veto")
    assert [c["max"] for c in second["categories"]] == [30, 30, 28, 0]
    # 丙局: lost 2 of 116 → 114; base 114 / 116 × 120 = 117.931… → 117.93: forced 不合格 (V2)
    third = by_unit["丙局"]
    assert (third["total"], third["grade"], third["grade_by"]) == (117.93, "不合格", "veto")
    # 部门: 乙局 (合格) before 丙局 (不合格), though 丙局 scored less only by 2.07
    assert (second["rank"], third["rank"]) == (1, 2)
    text = invoke(runner, ["answers", "乙局", "--db", str(db)]).output
    assert 'categories: {"D": {na: 无宣传职能}}' in text and '"D01"' not in text


# --- the default set v2, and a round pinned to v1 ---------------------------------------------

V1 = SETS / "default-v1.yaml"  # the default set as version 2026.1 shipped it


def test_default_v2_has_no_warnings_and_a_new_hash(runner: CliRunner) -> None:
    result = invoke(runner, ["indicators", "validate", str(V1), "indicators/default.yaml"])
    assert result.exit_code == 0
    v1, v2 = load_set(V1), load_set()
    assert not v2.warnings
    assert v1.hash != v2.hash
    assert {w.key for w in v1.warnings} == {
        "warn.veto_effect",
        "warn.bonus_beyond_cap",
        "warn.notes_exclusion",
    }
    s = v2.indicators
    assert (len(s.categories), sum(1 for _ in s.items()), s.total) == (5, 30, 100)
    assert s.item("5.6") is None and s.item("1.7") is not None  # 5.6 retired, never reused


def test_a_round_pinned_to_v1_keeps_scoring_with_its_own_text(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = workspace(
        runner, tmp_path, V1, [("王益区", "区县", ["关基"]), ("市财政局", "市级部门", [])]
    )
    v1_codes = {it.code for _, it in load_set(V1).indicators.items()}
    # decisions that only v1 allows: r1 and r2 of 1.1 together (v2 excludes them), item 5.6
    record(
        runner,
        db,
        tmp_path,
        "王益区",
        "items:\n"
        + "".join(f'  "{c}": full\n' for c in sorted(v1_codes - {"1.1", "5.6"}))
        + '  "1.1": {deduct: [r1, r2]}\n'  # 4 + 2, floored at the item's 4
        '  "5.6": {deduct: [r1]}\n',  # 2
    )
    # v1 keeps the bonus within the cap of 100
    record(
        runner,
        db,
        tmp_path,
        "市财政局",
        "items:\n"
        + "".join(f'  "{c}": full\n' for c in sorted(v1_codes - {"3.3"}))
        + "bonus: {B3: 2}\n",
    )
    before = status(runner, db)
    # 王益区: all 30 items apply (关基); lost 4 + 2 = 6 → 94; 市财政局: min(100 + 2, 100)
    assert (before["王益区"]["total"], before["王益区"]["grade"]) == (94, "优秀")
    assert (before["市财政局"]["total"], before["市财政局"]["bonus"]) == (100, 2)
    # a new round takes the bundled v2; the v1 round stays pinned to its own text
    assert invoke(runner, ["round", "new", "2027年度", "--db", str(db)]).exit_code == 0
    old = ["--round", "测试轮次", "--db", str(db)]
    data = json.loads(invoke(runner, ["status", "--json", *old]).output)
    assert data["set_hash"] == load_set(V1).hash
    assert {u["unit"]: u["total"] for u in data["units"]} == {"王益区": 94, "市财政局": 100}
    # stored results of an older engine are computed again, with the same figures
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE results SET engine = '1', grade_by = 'stale'")
    again = json.loads(invoke(runner, ["status", "--json", *old]).output)
    assert {u["unit"]: (u["total"], u["grade"], u["grade_by"]) for u in again["units"]} == {
        "王益区": (94, "优秀", None),
        "市财政局": (100, "优秀", None),
    }
    # the same v1 answers are refused by the v2 round, each problem located
    path = tmp_path / "王益区.yaml"
    result = invoke(runner, ["score", "王益区", "--answers", str(path), "--db", str(db)])
    assert result.exit_code == 1
    assert "不同时适用" in result.output and "没有指标 5.6" in result.output
    # and the v2 round adds the bonus on top: 100 + 2
    record(
        runner,
        db,
        tmp_path,
        "市财政局",
        "items:\n" + full(Path("indicators/default.yaml"), "市级部门", set()) + "bonus: {B3: 2}\n",
    )
    assert status(runner, db)["市财政局"]["total"] == 102


def test_a_veto_that_changes_nothing_is_not_shown(
    runner: CliRunner, seven: Path, tmp_path: Path
) -> None:
    # 一区 stays at 89.62 (不合格 by its band); veto X2 caps at 合格, which changes nothing
    text = invoke(runner, ["answers", "一区", "--db", str(seven)]).output
    path = tmp_path / "veto.yaml"
    path.write_text(text.replace("veto: []", "veto: [X2]"), encoding="utf-8")
    assert (
        invoke(runner, ["score", "一区", "--answers", str(path), "--db", str(seven)]).exit_code == 0
    )
    one = status(runner, seven)["一区"]
    assert (one["total"], one["grade"], one["grade_by"], one["veto"]) == (
        89.62,
        "不合格",
        None,
        ["X2"],
    )
    assert one["rank"] == 2  # still after 四区 (合格), by grade
    table = invoke(runner, ["status", "--db", str(seven)]).output
    line = next(x for x in table.splitlines() if "一区" in x)
    assert "不合格" in line and "否决" not in line
    line = next(x for x in table.splitlines() if "四区" in x)
    assert "合格（否决）" in line  # there the veto set the grade
    line = next(x for x in table.splitlines() if "五局" in x)
    assert "不合格（限等）" in line  # an aggravated rule set it


def test_reports_of_the_seven_set(runner: CliRunner, seven: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    assert invoke(runner, ["export", "--out", str(out), "--db", str(seven)]).exit_code == 0
    wb = load_workbook(out)
    cells = {
        name: [str(c.value) for row in wb[name].iter_rows() for c in row if c.value is not None]
        for name in wb.sheetnames
    }
    everything = " ".join(v for values in cells.values() for v in values)
    assert "保密和网络安全工作检查总体情况" in everything  # the set's report_title
    assert "网络安全工作责任制督查检查" not in everything
    assert "先按等次（高者在前），同一等次内按总分" in everything  # the reading guide
    assert "加分计在150分之外" in everything
    summary = " ".join(cells["汇总排名"])
    assert "合格（否决）" in summary and "良好（限等）" in summary and "不合格（限等）" in summary
    problems = [
        [c.value for c in row]
        for row in wb["问题清单"].iter_rows(values_only=False)
        if any(str(c.value).startswith("K1.3 ") for c in row)
    ]
    assert problems  # a check-only finding, with the check's own rectification
    assert any("基本情况与核查不一致" in str(v) for row in problems for v in row)
    assert any(str(v).startswith("10日内重新报送（") for row in problems for v in row)
    indicators = " ".join(cells["指标体系"])
    assert "考核等次直接评定为不合格" in indicators and "考核等次不高于合格" in indicators
    assert "存在的，等次不高于良好" in indicators and "合计最多扣20分" in indicators
    assert "视情扣2—6分" in indicators and "不计分" in indicators
    feedback = tmp_path / "feedback.xlsx"
    result = invoke(
        runner, ["export", "--unit", "一区", "--out", str(feedback), "--db", str(seven)]
    )
    assert result.exit_code == 0
    title = load_workbook(feedback).worksheets[0]["A1"].value
    assert title == "保密和网络安全工作检查反馈"


def test_compare_flags_no_zero_point_rows(runner: CliRunner, seven: Path, tmp_path: Path) -> None:
    """A check-only item and a category N/A as a whole have 0 points: no gap, no flag."""
    text = invoke(runner, ["answers", "四区", "--db", str(seven)]).output
    path = tmp_path / "self.yaml"
    path.write_text(text.replace("veto: [X2]", "veto: []"), encoding="utf-8")
    args = ["score", "四区", "--self", "--answers", str(path), "--db", str(seven)]
    assert invoke(runner, args).exit_code == 0
    data = json.loads(invoke(runner, ["compare", "四区", "--json", "--db", str(seven)]).output)
    rows = [*data["items"], *data["categories"]]
    assert {r["code"]: r["flag"] for r in rows if r["code"] in ("K1.3", "K3")} == {
        "K1.3": None,
        "K3": None,
    }
    assert all(r["flag"] is None for r in rows)  # the same decisions everywhere
