"""One base and one threshold rule: averages over finished units, category flags at the same
share of the category's points as ``inspector compare`` uses, totals that agree."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspector.reports.data import WeakTally
from inspector.selfassess.compare import compare
from tests.report_helpers import Case, build_city, load, row_of, row_values, status_of


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return load(build_city(tmp_path_factory.mktemp("rules") / "ws.db"))


def test_category_flags_are_those_of_compare(case: Case, tmp_path: Path) -> None:
    ctx = case.ctx
    case.leadership(tmp_path / "l.xlsx")
    sheet = load_workbook(tmp_path / "l.xlsx")["自评对比"]
    names = {c.code: ctx.text(c, "name") for c in ctx.indicators.categories}
    checked, flagged = 0, 0
    for status in case.overview.units:
        if status.self_result is None or not status.inspection.complete:
            continue
        comparison = compare(status, ctx.indicators, ctx.round.name, ctx.threshold)
        expected = {names[g.code] for g in comparison.categories if g.flag is not None}
        flag = row_values(sheet, row_of(sheet, 2, status.unit.name))[-1] or ""
        _, _, listed = flag.partition("差距较大的类别：")
        named = {name for name in names.values() if name in listed.split("；")[0]}
        assert named == expected, status.unit.name
        checked += 1
        flagged += bool(expected)
    assert checked >= 3 and flagged >= 1


def test_common_weaknesses_average_finished_units_only(case: Case) -> None:
    tally = WeakTally(case.ctx)
    for status in case.overview.units:
        tally.add(status)
    finished = [s for s in case.overview.units if s.inspection.complete]
    assert len(finished) < len(case.overview.units)  # the city has an unfinished unit
    for weak in tally.weakest():
        rates = [
            r.score / r.max
            for s in finished
            for r in s.inspection.items
            if r.code == weak.item.code and r.score is not None and r.max
        ]
        assert weak.scored == len(rates)
        if rates:
            assert weak.rate == sum(rates, Decimal(0)) / len(rates)


def test_unit_feedback_total_gap_agrees_between_tables(case: Case, tmp_path: Path) -> None:
    status = status_of(case, "王益区")
    case.unit("王益区", tmp_path / "u.xlsx")
    card = load_workbook(tmp_path / "u.xlsx")["评分结果"]
    labels = {row[0].value: row[1].value for row in card.iter_rows() if row[0].value}
    total_row = next(
        [c.value for c in row]
        for row in card.iter_rows()
        if row[0].value == "总分（折算并计入加减分）"
    )
    assert Decimal(str(total_row[6])) == Decimal(str(labels["差距（自评−检查）"])) == status.gap
    assert Decimal(str(total_row[4])) == status.inspection.total
