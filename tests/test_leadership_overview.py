"""Page 1 of the leadership workbook (总体情况): every figure its text gives equals the figure
``status --json`` gives and the figure of the key table."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.core.scoring import round2
from inspector.decimals import fmt
from inspector.reports.summary import pct
from tests.helpers import invoke


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("demo")
    db, book = folder / "d.db", folder / "lead.xlsx"
    result = invoke(CliRunner(), ["demo", "--db", str(db), "--out", str(book)])
    assert result.exit_code == 0, result.output
    status = invoke(CliRunner(), ["status", "--json", "--db", str(db)])
    return db, book, json.loads(status.output)


def page_one(book: Path) -> tuple[str, list[list[Any]]]:
    sheet = load_workbook(book).worksheets[0]
    assert sheet.title == "总体情况"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    text = "\n".join(str(r[0]) for r in rows if isinstance(r[0], str))
    return text, rows


def d(value: float | int) -> Decimal:
    return Decimal(str(value))


def test_the_text_gives_the_figures_of_status_json(
    demo: tuple[Path, Path, dict[str, Any]],
) -> None:
    _, book, status = demo
    text, rows = page_one(book)
    units = status["units"]
    finished = [u for u in units if u["complete"]]
    average = round2(sum((d(u["total"]) for u in finished), Decimal(0)) / len(finished))
    assert f"共涉及{len(units)}个单位，已完成评分{len(finished)}个" in text
    assert f"平均得分{fmt(average)}分" in text
    for grade in ("优秀", "良好", "合格", "不合格"):
        count = sum(1 for u in finished if u["grade"] == grade)
        assert f"{grade}{count}个" in text
    # the key table says the same
    total = next(r for r in rows if r[0] == "合计")
    assert total[1:3] == [len(units), len(finished)] and d(total[3]) == average
    # top units per group, by the stored ranks
    groups: dict[str, list[dict[str, Any]]] = {}
    for u in units:
        groups.setdefault(u["group"], []).append(u)
    for members in groups.values():
        ranked = sorted((u for u in members if u["rank"]), key=lambda u: u["rank"])[:3]
        names = "、".join(f"{u['unit']}（{fmt(d(u['total']))}分）" for u in ranked)
        assert names in text
        done = [d(u["total"]) for u in members if u["complete"]]
        assert f"（平均{fmt(round2(sum(done, Decimal(0)) / len(done)))}分）" in text
    # who failed and why
    failed = [u for u in finished if u["grade"] == "不合格"]
    assert failed
    for u in failed:
        assert f"{u['unit']}检查得分{fmt(d(u['total']))}分" in text
        for code in u["veto"]:
            assert code in text
    # suspected inflated self-assessments: a total gap at the threshold or above
    for u in finished:
        flagged = u["gap"] is not None and u["gap"] >= 10
        assert (f"{u['unit']}（自评高出{fmt(d(u['gap'] or 0))}分）" in text) == flagged
    # units not finished
    for u in units:
        if not u["complete"]:
            progress = u["progress"]
            assert f"{u['unit']}（已评{progress['answered']}/{progress['applicable']}项）" in text


def test_page_one_names_the_weakest_items_from_the_common_weaknesses_sheet(
    demo: tuple[Path, Path, dict[str, Any]],
) -> None:
    _, book, _ = demo
    text, _ = page_one(book)
    weak = load_workbook(book)["共性问题"]
    listed = [r for r in weak.iter_rows(min_row=4, values_only=True) if r[0]]
    for row in listed[:3]:
        assert f"{row[1]}“{row[2]}”（平均得分率{pct(Decimal(str(row[5])))}" in text


def test_last_year_in_the_text_and_the_ranking(demo: tuple[Path, Path, dict[str, Any]]) -> None:
    db, book, status = demo
    text, _ = page_one(book)
    trend = json.loads(invoke(CliRunner(), ["trend", "--json", "--db", str(db)]).output)
    assert len(trend["rounds"]) == 2
    before = [u["rounds"][0] for u in trend["units"] if u["rounds"][0] is not None]
    last_average = round2(
        sum((d(s["total"]) for s in before if s["complete"]), Decimal(0))
        / sum(1 for s in before if s["complete"])
    )
    assert f"与{trend['rounds'][0]}相比，平均得分由{fmt(last_average)}分变为" in text
    # the ranking sheet: last year's total and rank, the change, 新增
    summary = load_workbook(book)["汇总排名"]
    header = [c.value for c in summary[3]]
    at = {name: header.index(name) for name in ("上年得分", "上年名次", "名次变化", "问题数")}
    rows = {r[1]: r for r in summary.iter_rows(min_row=4, values_only=True) if r[1]}
    for unit in trend["units"]:
        row = rows[unit["unit"]]
        last = unit["rounds"][0]
        if last is None:
            assert row[at["名次变化"]] == "新增"
            continue
        assert d(row[at["上年得分"]]) == d(last["total"]) and row[at["上年名次"]] == last["rank"]
        moved = unit["rank_change"]
        expected = "—" if not moved else (f"↑{moved}" if moved > 0 else f"↓{-moved}")
        assert row[at["名次变化"]] == expected
        if moved and moved >= 4:
            assert f"{unit['unit']}（↑{moved}）" in text or f"{unit['unit']}（↓" in text
    # last year's problems and how many are rectified
    from inspector.store import ledger as L
    from inspector.store.workspace import Workspace

    with Workspace.open(db) as ws:
        last_round = ws.round(trend["rounds"][0])
        problems = [e for e in L.entries(ws.conn, last_round.id) if e.status != L.WITHDRAWN]
    assert f"上年发现问题{len(problems)}个" in text
    assert status["units"]  # the same workspace
