"""The Excel reports, read back with openpyxl and checked against the scoring engine."""

from __future__ import annotations

import itertools
import os
import re
import tempfile
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from inspector.core.scoring import round2
from inspector.errors import InspectorError
from inspector.io import xlsx_writer
from inspector.io.xlsx_cells import display_width, safe_text
from inspector.reports.data import WeakTally
from inspector.reports.export import leadership_path, safe_name, unit_targets
from tests.chart_xml import Chart, charts
from tests.conftest import SETS
from tests.report_helpers import (
    INJECTED_PROBLEMS,
    INJECTED_RECTIFY,
    INJECTED_UNIT,
    LONG_PROBLEM,
    LONG_UNIT,
    TODAY,
    Case,
    build_city,
    build_small,
    cells,
    framed,
    load,
    row_of,
    row_values,
    status_of,
    xml_text,
)

ZH_SHEETS = [
    "总体情况",
    "汇总排名",
    "统计图表",
    "分类得分",
    "问题清单",
    "共性问题",
    "自评对比",
    "评分明细",
    "指标体系",
]
EN_SHEETS = [
    "Overview",
    "Ranking",
    "Charts",
    "Category scores",
    "Problems",
    "Common weaknesses",
    "Self vs inspection",
    "Score detail",
    "Indicator set",
]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_city(tmp_path_factory.mktemp("city") / "ws.db")


@pytest.fixture(scope="module")
def city_book(city: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Case, Path]:
    case = load(city)
    path = tmp_path_factory.mktemp("out") / "leadership.xlsx"
    case.leadership(path)
    return case, path


def num(value: Any) -> Decimal:
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return round2(Decimal(str(value)))


# --- figures ---------------------------------------------------------------------------------


def test_sheets_in_reading_order(city_book: tuple[Case, Path]) -> None:
    _, path = city_book
    assert load_workbook(path).sheetnames == ZH_SHEETS


def test_summary_matches_the_engine(city_book: tuple[Case, Path]) -> None:
    case, path = city_book
    ctx = case.ctx
    ws = load_workbook(path)["汇总排名"]
    n = len(ctx.indicators.categories)
    for status in case.overview.units:
        values = row_values(ws, row_of(ws, 2, safe_text(status.unit.name)))
        result = status.inspection
        assert values[0] == (status.rank if status.rank is not None else "—")
        if result.answered:
            for index, category in enumerate(result.categories):
                assert num(values[2 + index]) == category.score
            assert num(values[2 + n]) == result.base
            assert num(values[3 + n]) == result.aggravated
            assert num(values[4 + n]) == result.bonus
            assert num(values[6 + n]) == result.total
        else:
            assert values[2 : 2 + n] == ["—"] * n
        assert values[5 + n] == (" ".join(result.veto) or "—")
        if result.complete:
            grade = result.grade + ("（否决）" if result.veto else "")
            assert values[7 + n] == grade
        else:
            assert values[7 + n] == "—"
        if status.gap is not None:
            assert num(values[9 + n]) == status.gap
        else:
            assert values[9 + n] == "—"


def test_summary_marks_incomplete_vetoed_and_flagged_units(
    city_book: tuple[Case, Path],
) -> None:
    case, path = city_book
    ws = load_workbook(path)["汇总排名"]
    remark = len(row_values(ws, 3)) - 1
    finance = row_values(ws, row_of(ws, 2, "市财政局"))
    assert finance[0] == "—" and "评分未完成（10/29项）" in finance[remark]
    assert "未开始检查" in row_values(ws, row_of(ws, 2, "市卫健委"))[remark]
    yaozhou_row = row_of(ws, 2, "耀州区")
    assert "一票否决：V2" in ws.cell(yaozhou_row, remark + 1).value
    grade_cell = ws.cell(yaozhou_row, 2 + 5 + 6)
    assert grade_cell.value == "不合格（否决）" and grade_cell.font.b  # bold, not colour
    wangyi = status_of(case, "王益区")
    assert wangyi.gap is not None and wangyi.gap >= 10
    assert "疑似自评不实" in row_values(ws, row_of(ws, 2, "王益区"))[remark]
    # group blocks: a heading row per group, ranked units first
    headings = [c.value for c in ws["A"] if isinstance(c.value, str) and "个单位" in c.value]
    assert headings[0].startswith("区县及功能区") and headings[1].startswith("市级部门")


def test_category_matrix_rates_and_heat_map(city_book: tuple[Case, Path]) -> None:
    case, path = city_book
    ctx = case.ctx
    ws = load_workbook(path)["分类得分"]
    for status in case.overview.units:
        if not status.inspection.answered:
            continue
        values = row_values(ws, row_of(ws, 2, safe_text(status.unit.name)))
        for index, category in enumerate(status.inspection.categories):
            expected = category.rate
            if expected is None:
                assert values[2 + index] == "—"
            else:
                assert values[2 + index] == pytest.approx(float(expected))
                assert (
                    ws.cell(row_of(ws, 2, safe_text(status.unit.name)), 3 + index).number_format
                    == "0.0%"
                )
    rules = list(ws.conditional_formatting)
    assert rules and rules[0].rules[0].type == "colorScale"
    all_row = row_values(ws, row_of(ws, 1, "全部单位平均"))
    complete = [s for s in case.overview.units if s.inspection.complete]
    for index in range(len(ctx.indicators.categories)):
        rates = [r for s in complete if (r := s.inspection.categories[index].rate) is not None]
        assert all_row[2 + index] == pytest.approx(float(sum(rates) / len(rates)))
    assert ws.merged_cells.ranges and f"A{row_of(ws, 1, '全部单位平均')}:B" in str(
        ws.merged_cells.ranges
    )


def deadline_of(text: str) -> date:
    """The deadline a compact ledger's 整改要求及期限 cell ends with."""
    match = re.search(r"（(\d{4})年(\d{1,2})月(\d{1,2})日前）$", text)
    assert match, text
    return date(*(int(x) for x in match.groups()))


def test_problem_ledger_rows_sorted_with_deadlines(
    city_book: tuple[Case, Path], tmp_path: Path
) -> None:
    case, path = city_book
    ctx = case.ctx
    ws = load_workbook(path)["问题清单"]
    rows = [row_values(ws, r) for r in range(4, ws.max_row + 1)]
    seen: set[str] = set()  # a long text's continuation repeats its row's number
    rows = [r for r in rows if r[0] not in seen and not seen.add(r[0])]
    expected = [p for status in case.ledger() for p in ctx.problems(status)]
    assert len(rows) == len(expected) > 0
    for row, problem in zip(rows, expected, strict=True):
        assert row[1] == safe_text(problem.unit)
        assert row[2].split(" ")[0] == problem.code  # the item: its code and name
        assert row[5].split("\n")[0] == "待整改"
        # the ledger's number: the round's year, the unit, the item's place in the set
        assert re.fullmatch(r"2026-.+-\d{2}", row[0]) and problem.unit in row[0]
    assert ws.auto_filter.ref == f"A3:I{ws.max_row}"
    # the item's own deadline, else scored date + the item's (3.4: 15) or the set's (30) days
    yintai = {r[2].split(" ")[0]: r for r in rows if r[1] == "印台区"}
    assert deadline_of(yintai["1.3"][4]).isoformat() == "2026-12-31"
    wangyi = {r[2].split(" ")[0]: r for r in rows if r[1] == "王益区"}
    scored = deadline_of(wangyi["3.4"][4]) - deadline_of(wangyi["1.1"][4])
    assert scored.days == 15 - 30
    assert "A1" in yintai and yintai["A1"][2] == "A1 加重扣分"
    yaozhou = [r for r in rows if r[1] == "耀州区"]
    assert yaozhou[-1][2].startswith("V2") and "瞒报" in yaozhou[-1][3]
    # legal basis: short citations beside the problem; the full text in 指标体系
    assert "（网安法第" in wangyi["3.4"][3]
    # the points lost and the deadline as a date: in the unit's own full ledger
    unit_path = tmp_path / "wangyi.xlsx"
    case.unit("王益区", unit_path)
    own_sheet = load_workbook(unit_path)["问题与整改"]
    own = {r[1]: r for r in own_sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    mine = [p for p in expected if p.unit == "王益区"]
    assert mine and {p.code for p in mine} <= set(own)
    for problem in mine:
        if problem.lost is not None:
            assert num(own[problem.code][4]) == problem.lost
    assert own["3.4"][7].date() == deadline_of(wangyi["3.4"][4])
    assert own_sheet.cell(4, 8).number_format == 'yyyy"年"m"月"d"日"'


def test_common_weaknesses_worst_first(city_book: tuple[Case, Path]) -> None:
    case, path = city_book
    ctx = case.ctx
    ws = load_workbook(path)["共性问题"]
    rows = [row_values(ws, r) for r in range(4, ws.max_row + 1)]
    assert len(rows) == 30
    rates = [r[5] for r in rows if r[5] != "—"]
    assert rates == sorted(rates)
    by_code = {r[1]: r for r in rows}
    # 3.4: only 王益区 lost points on it (3 weak passwords)
    assert by_code["3.4"][6] == 1 and num(by_code["3.4"][7]) == Decimal("1.5")
    assert "发现弱口令" in by_code["3.4"][8] and "（1个单位）" in by_code["3.4"][8]
    tally = WeakTally(ctx)
    for status in case.overview.units:
        tally.add(status)
    weakest = tally.weakest()[0]
    assert rows[0][1] == weakest.item.code


def test_self_comparison_flags_with_text(city_book: tuple[Case, Path]) -> None:
    case, path = city_book
    ctx = case.ctx
    ws = load_workbook(path)["自评对比"]
    n = len(ctx.indicators.categories)
    for status in case.overview.units:
        values = row_values(ws, row_of(ws, 2, safe_text(status.unit.name)))
        flag = values[2 + 3 * (n + 1)] or ""
        gap = values[2 + 3 * n + 2]
        if status.gap is None:
            assert gap == "—"
        else:
            assert num(gap) == status.gap
        assert ("疑似自评不实" in flag) == (status.gap is not None and abs(status.gap) >= 10)
    assert "未提交自评" in row_values(ws, row_of(ws, 2, safe_text(INJECTED_UNIT)))[-1]
    assert "自评未完成（12/" in row_values(ws, row_of(ws, 2, "耀州区"))[-1]


def test_threshold_changes_the_flags(city: Path, tmp_path: Path) -> None:
    case = load(city, threshold=Decimal("0.5"))
    case.leadership(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["自评对比"]
    flagged = [
        r[1] for r in ws.iter_rows(min_row=5, values_only=True) if "疑似自评不实" in (r[-1] or "")
    ]
    expected = [
        s.unit.name for s in case.ordered() if s.gap is not None and abs(s.gap) >= Decimal("0.5")
    ]
    assert flagged == expected and len(flagged) >= 2


def matrix_cells(ws: Any) -> dict[tuple[str, str], tuple[Any, bool]]:
    """评分明细 read back: (unit, item code) → (the cell's value, bold), over every block."""
    found: dict[tuple[str, str], tuple[Any, bool]] = {}
    codes: list[Any] = []
    for row in ws.iter_rows(min_row=3):
        first = row[0].value
        if first == "单位":
            continue
        if first is None and any(c.value for c in row[3:]):  # the item codes of a block
            codes = [c.value for c in row]
            continue
        if first is None or len(row) < 4 or not codes or row[1].value is None:
            continue
        for cell, code in zip(row[3:], codes[3:], strict=False):
            if code:
                found[(first, code)] = (cell.value, bool(cell.font and cell.font.b))
    return found


def test_score_detail_is_a_matrix_of_every_unit_and_item(city_book: tuple[Case, Path]) -> None:
    """One row per unit and block, a column per item: the score, bold where the item lost
    points, "—" where it does not apply, 未评 where it is not scored."""
    case, path = city_book
    ws = load_workbook(path)["评分明细"]
    assert ws.cell(1, 1).value == "各单位分项得分"
    found = matrix_cells(ws)
    assert len(found) == len(case.overview.units) * 30
    for status in case.overview.units:
        for item_result in status.inspection.items:
            value, bold = found[(safe_text(status.unit.name), item_result.code)]
            if item_result.na:
                assert value == "—"
            elif not item_result.answered:
                assert value == "未评"
            else:
                assert num(value) == item_result.score
                assert bold == (item_result.score < item_result.max)
    assert found[("王益区", "4.4")][1]  # 仅培训（得1分）: lost points, in bold
    assert found[("印台区", "2.6")][0] == "—"  # declared N/A
    assert found[("印台区", "3.3")][0] == "—"  # 关基 item, 印台区 is not tagged
    # units by group in rank order, as on 汇总排名; the total and the grade beside each
    summary = load_workbook(path)["汇总排名"]
    ranked = [r[1] for r in summary.iter_rows(min_row=4, values_only=True) if r[1] is not None]
    names = [r[0] for r in ws.iter_rows(min_row=3, values_only=True) if r[1] not in (None, "总分")]
    assert names[: len(ranked)] == ranked
    for status in case.overview.units:
        row = row_values(ws, row_of(ws, 1, safe_text(status.unit.name)))
        if status.inspection.answered:
            assert num(row[1]) == status.inspection.total
    texts = " ".join(str(c.value) for c in cells(ws) if isinstance(c.value, str))
    assert "问题清单" in texts and "--unit" in texts


def test_indicator_sheet_lists_the_set(city_book: tuple[Case, Path]) -> None:
    case, path = city_book
    ctx = case.ctx
    ws = load_workbook(path)["指标体系"]
    codes = {c.value for c in ws["A"]}
    for _, item in ctx.indicators.items():
        assert item.code in codes
    assert {"V1", "V2", "A1", "B1", "优秀", "不合格"} <= codes
    rules = ws.cell(row_of(ws, 1, "3.4"), 5).value
    assert "发现弱口令（含默认口令、空口令）：每处扣0.5分，最多扣2分" in rules


def test_cover_counts_and_set_identity(city_book: tuple[Case, Path]) -> None:
    case, path = city_book
    ctx = case.ctx
    wb = load_workbook(path)
    ws = wb["总体情况"]
    texts = [c.value for c in cells(ws) if isinstance(c.value, str)]
    total = row_values(ws, row_of(ws, 1, "合计"))
    units = len(case.overview.units)
    finished = [s for s in case.overview.units if s.inspection.complete]
    assert total[1:3] == [units, len(finished)]
    average = sum((s.inspection.total for s in finished), Decimal(0)) / len(finished)
    assert num(total[3]) == round2(average)
    grades = total[4:8]
    assert sum(grades) == len(finished) and total[8] == 1  # one vetoed unit
    assert any("耀州区" in t and "V2" in t for t in texts)  # who failed and why
    assert ctx.round.set_hash not in texts  # the set's identity is at the end of 指标体系
    end = [c.value for c in cells(wb["指标体系"]) if isinstance(c.value, str)]
    assert ctx.round.set_hash in end and "2026年11月28日" in end
    assert "2026年度网络安全工作责任制督查检查指标体系（2026.2版）" in end
    assert any("疑似自评不实" in t for t in end)  # the reading guide


def test_charts_reference_the_ranked_units(city_book: tuple[Case, Path]) -> None:
    _, path = city_book
    wb = load_workbook(path)
    sheet = wb["统计图表"]
    found = charts(path, "统计图表")
    # category rates, totals of each group, the grade distribution of each group
    assert len(found) == 1 + 2 + 2
    refs = [c.series[0].values for c in found]
    assert all(ref.startswith("'统计图表'!$") for ref in refs)  # data on the sheet itself
    labels = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert "耀州区（否决）" in labels  # a veto is never hidden behind a long bar
    # the tables side by side on the first page, with the first chart below them
    first_break = min(b.id for b in sheet.row_breaks.brk)
    last_table_row = max(
        r for r in range(1, sheet.max_row + 1) if any(c.value is not None for c in sheet[r])
    )
    assert last_table_row < first_break
    # (the demo's tables leave room for the first chart: tests/test_print_size.py)
    assert sum(1 for c in found if c.first_row <= first_break) <= 1
    totals = found[1]
    assert totals.value_min is None or totals.value_min > 0  # fitted
    assert_two_charts_a_page(sheet, found)


def assert_two_charts_a_page(sheet: Any, found: list[Chart]) -> None:
    breaks = sorted(b.id for b in sheet.row_breaks.brk)
    anchors = sorted(c.first_row for c in found)
    for index, start in enumerate(breaks):
        end = breaks[index + 1] if index + 1 < len(breaks) else 10**9
        assert 1 <= sum(1 for a in anchors if start < a <= end) <= 2


# --- print-ready ------------------------------------------------------------------------------


def test_print_settings(city_book: tuple[Case, Path]) -> None:
    _, path = city_book
    wb = load_workbook(path)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == 9, ws.title
        assert setup.orientation == ("portrait" if ws.title == "总体情况" else "landscape")
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0  # absent means 1
        assert ws.oddFooter.center.text == "— &P —"
        # 评分明细 stacks blocks of items, each with its own headings on each page
        if ws.title not in ("总体情况", "统计图表", "评分明细"):
            assert ws.print_title_rows in ("$3:$3", "$3:$4"), ws.title
            assert ws.freeze_panes is not None
    assert wb["自评对比"].print_title_rows == "$3:$4"


def test_fonts_widths_and_wrapping(city_book: tuple[Case, Path]) -> None:
    _, path = city_book
    wb = load_workbook(path)
    ws = wb["汇总排名"]
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.b
    assert ws["A3"].font.name == "黑体"
    row = row_of(ws, 2, LONG_UNIT)
    cell = ws.cell(row, 2)
    assert cell.font.name == "仿宋" and cell.alignment.wrap_text
    width = ws.column_dimensions["B"].width
    assert 12 <= width <= 26
    # the long name wraps onto several lines and its row is tall enough for them
    # (Excel and WPS: 0.95 display units a width unit at 11 pt, 14.25 pt a line)
    lines = -(-display_width(LONG_UNIT) // int((width - 1) * 0.95))
    assert ws.row_dimensions[row].height >= lines * 14.25
    # a text too long for the tallest row goes on in the row below: nothing is cut off
    problems = wb["问题清单"]
    long_row = row_of(problems, 2, LONG_UNIT)
    assert problems.row_dimensions[long_row].height >= 300
    first, rest = problems.cell(long_row, 4).value, problems.cell(long_row + 1, 4).value
    assert (first + rest).startswith(LONG_PROBLEM + "（") and rest  # then its short basis
    continued = row_values(problems, long_row + 1)
    assert continued[0] == problems.cell(long_row, 1).value  # its number, for the filters
    assert continued[5] is None  # no status again
    # a filter keeps it with its row
    assert continued[1] == LONG_UNIT and continued[2].startswith("3.6 ")
    assert framed(problems, long_row + 1, 5)  # an empty cell, framed all the same
    assert problems.cell(long_row, 4).alignment.wrap_text
    for row in range(4, problems.max_row + 1):
        assert (
            problems.row_dimensions[row].height is None
            or problems.row_dimensions[row].height <= 409
        )


def test_split_text_keeps_every_character() -> None:
    from inspector.io.xlsx_writer import MAX_LINES, split_text, text_lines

    text = (
        "第一段：" + "门户网站后台存在弱口令，" * 60 + "\nGB/T 22239-2019 8.1.4.5 " * 20 + "\n末段"
    )
    pieces = split_text(text, 28, MAX_LINES)
    assert "".join(pieces) == text and len(pieces) >= 2
    assert all(text_lines(piece, 28) <= MAX_LINES + 1 for piece in pieces)


def test_no_formula_anywhere_and_figures_are_numbers(city_book: tuple[Case, Path]) -> None:
    _, path = city_book
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for cell in cells(ws):
            assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@")), (
                    f"{ws.title}!{cell.coordinate}"
                )
    # the sheets' raw XML has no formula element either (charts refer to ranges, that is all)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name
    summary = wb["汇总排名"]
    total = summary.cell(row_of(summary, 2, "王益区"), 2 + 5 + 5)
    assert total.data_type == "n"


def test_injection_and_control_characters_neutralised(
    city_book: tuple[Case, Path],
) -> None:
    _, path = city_book
    wb = load_workbook(path)
    texts = {c.value for ws in wb.worksheets for c in cells(ws) if isinstance(c.value, str)}
    assert "'" + INJECTED_UNIT in texts
    # the compact ledger's cells start with the problem and the requirement, neutralised
    for text in (INJECTED_PROBLEMS["3.4"], INJECTED_PROBLEMS["1.1"], INJECTED_RECTIFY):
        assert any(t.startswith("'" + text) for t in texts), text
    cleaned = "'-2+3 台账\ufffd缺失\ufffd，\ufffd未更新"
    assert any(t.startswith(cleaned) for t in texts)
    assert not any(ch in t for t in texts for ch in "\x01\x0b\x1f")


# --- the unit's feedback workbook -------------------------------------------------------------


def test_unit_workbook_holds_nothing_of_other_units(city: Path, tmp_path: Path) -> None:
    case = load(city)
    names = [s.unit.name for s in case.overview.units]
    codes = [s.unit.code for s in case.overview.units if s.unit.code]
    for status in case.overview.units:
        path = tmp_path / f"{safe_name(status.unit.name)}.xlsx"
        case.unit(status.unit.name, path)
        text = xml_text(path)
        assert safe_text(status.unit.name) in text
        for other in names:
            if other != status.unit.name:
                assert other not in text, f"{other} found in {status.unit.name}'s workbook"
        for code in codes:
            if code != status.unit.code:
                assert code not in text
        wb = load_workbook(path)
        assert wb.sheetnames == ["评分结果", "问题与整改", "评分明细"]
        assert all(ws.sheet_state == "visible" for ws in wb.worksheets)
        assert not wb.defined_names  # print titles and filters are the sheets' own
        assert not any(ws.defined_names for ws in wb.worksheets)
        for ws in wb.worksheets:
            assert all(c.data_type != "f" for c in cells(ws))


def test_unit_workbook_content(city: Path, tmp_path: Path) -> None:
    case = load(city)
    ctx = case.ctx
    status = status_of(case, "王益区")
    path = tmp_path / "wangyi.xlsx"
    case.unit("王益区", path)
    wb = load_workbook(path)
    card = wb["评分结果"]
    labels = {row[0].value: row[1].value for row in card.iter_rows() if row[0].value}
    result = status.inspection
    assert num(labels["总分"]) == result.total
    assert labels["等次"] == result.grade
    assert labels["组内排名"].startswith(f"第{status.rank}名")
    assert num(labels["差距（自评−检查）"]) == status.gap
    assert "疑似自评不实" in labels["标记"]
    assert num(labels["加分"]) == result.bonus
    problems = wb["问题与整改"]
    rows = [row_values(problems, r) for r in range(4, problems.max_row + 1)]
    codes = [r[1] for r in rows if r[3] is not None]  # not the continuation of a long text
    assert codes == [p.code for p in ctx.problems(status)]
    assert problems.cell(4, 9).value == "待整改"  # status, beside the deadline
    assert (
        problems.page_setup.orientation == "landscape" and card.page_setup.orientation == "portrait"
    )
    detail = wb["评分明细"]
    assert detail.max_row == 3 + 30
    case.unit("耀州区", tmp_path / "yaozhou.xlsx")
    veto_card = load_workbook(tmp_path / "yaozhou.xlsx")["评分结果"]
    veto_labels = {row[0].value: row[1].value for row in veto_card.iter_rows() if row[0].value}
    assert "V2" in veto_labels["一票否决"] and veto_labels["等次"] == "不合格（否决）"


def test_unit_file_names_are_safe_and_distinct(city: Path, tmp_path: Path) -> None:
    case = load(city)
    ctx = case.ctx
    plan = unit_targets([s.unit for s in case.ordered()], tmp_path, ctx, force=False)
    paths = [p for _, p in plan]
    assert len(set(paths)) == len(paths)
    for path in paths:
        assert path.parent == tmp_path and "/" not in path.name and '"' not in path.name
    assert safe_name('a/b\\c:d*e?"f<g>h|i') == "a_b_c_d_e__f_g_h_i"
    assert safe_name("..") == "report" and safe_name("CON") == "_CON"
    assert safe_name("-rf") == "_rf" and safe_name("=1+1") == "_1+1"
    assert len(safe_name("长" * 500).encode()) <= 235  # 255 bytes, less room for "-2" and a temp
    # two units whose safe names coincide still get two files, even with force
    twice = unit_targets([status_of(case, "王益区").unit] * 2, tmp_path, ctx, force=True)
    assert twice[0][1] != twice[1][1]


# --- safety: atomic write ---------------------------------------------------------------------


def test_failed_save_leaves_the_target_untouched(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = load(city)
    out = tmp_path / "out"
    out.mkdir()
    scratch = tmp_path / "scratch"  # where the writer's temporary files go
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    target = out / "out.xlsx"
    target.write_bytes(b"previous report")

    def broken_close(self: Any) -> None:
        self.path.write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_writer.Book, "close", broken_close)
    with pytest.raises(InspectorError) as info:
        case.leadership(target)
    assert "No space left on device" in info.value.message()
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in out.iterdir()) == ["out.xlsx"]
    assert not list(scratch.iterdir())

    def interrupted(self: Any) -> None:
        self.path.write_bytes(b"PK\x03\x04")
        raise KeyboardInterrupt

    monkeypatch.setattr(xlsx_writer.Book, "close", interrupted)
    with pytest.raises(KeyboardInterrupt):
        case.leadership(out / "new.xlsx")
    assert sorted(p.name for p in out.iterdir()) == ["out.xlsx"]
    assert not list(scratch.iterdir())


def test_written_file_respects_umask(city: Path, tmp_path: Path) -> None:
    case = load(city)
    old = os.umask(0o022)
    try:
        case.leadership(tmp_path / "r.xlsx")
    finally:
        os.umask(old)
    assert (tmp_path / "r.xlsx").stat().st_mode & 0o777 == 0o644


def test_default_path() -> None:
    assert leadership_path("2026年度督查", TODAY) == Path("reports/2026年度督查-20261128.xlsx")
    assert leadership_path("a/b", TODAY) == Path("reports/a_b-20261128.xlsx")


# --- English; another set ---------------------------------------------------------------------


def test_english_workbook(city: Path, tmp_path: Path) -> None:
    case = load(city, lang="en")
    path = tmp_path / "en.xlsx"
    case.leadership(path)
    wb = load_workbook(path)
    assert wb.sheetnames == EN_SHEETS
    summary = wb["Ranking"]
    headers = row_values(summary, 3)
    assert headers[:2] == ["Rank", "Unit"]
    assert headers[2] == "1 Leadership and responsibility (20)"
    assert "Total" in headers and "Grade" in headers
    texts = {c.value for ws in wb.worksheets for c in cells(ws) if isinstance(c.value, str)}
    assert "Fail (veto)" in texts
    assert "2026-11-28" in texts
    assert not any("优秀" in t or "良好" in t for t in texts)  # grade names from the set's en:
    assert any("Possibly inaccurate self-assessment" in t for t in texts)
    problems = wb["Problems"]
    assert problems.cell(4, 6).value.split("\n")[0] == "Open"
    requirement = problems.cell(row_of(problems, 2, "印台区"), 5).value
    assert re.search(r" \(by \d{4}-\d{2}-\d{2}\)$", requirement), requirement
    unit_path = tmp_path / "unit-en.xlsx"
    case.unit("王益区", unit_path)
    assert load_workbook(unit_path).sheetnames == ["Result", "Problems", "Score detail"]


def test_a_set_other_than_5x30(tmp_path: Path) -> None:
    db = build_small(tmp_path / "small.db", SETS / "small.yaml")
    case = load(db)
    assert len(case.ctx.indicators.categories) == 2
    path = tmp_path / "small.xlsx"
    case.leadership(path)
    wb = load_workbook(path)
    summary = wb["汇总排名"]
    headers = row_values(summary, 3)
    assert headers[2:4] == ["A 组织领导（20分）", "B 技术防护（30分）"]
    assert len(headers) == 2 + 2 + 10  # … gap, problems, remarks
    for status in case.overview.units:
        values = row_values(summary, row_of(summary, 2, status.unit.name))
        assert [num(v) for v in values[2:4]] == [c.score for c in status.inspection.categories]
        assert num(values[8]) == status.inspection.total
    # 乙区 declared B1 (15 points) N/A and A2 (关基 only) does not apply: 25 of 50 points
    yi = status_of(case, "乙区").inspection
    assert yi.applicable == Decimal(25) and yi.total == Decimal(50)
    detail = matrix_cells(wb["评分明细"])
    assert len(detail) == len(case.overview.units) * 5  # every unit, every item
    matrix = wb["分类得分"]
    assert matrix.cell(row_of(matrix, 2, "甲区"), 3).value == pytest.approx(
        float(status_of(case, "甲区").inspection.categories[0].rate)
    )
    self_sheet = wb["自评对比"]
    assert self_sheet.max_column == 2 + 3 * 3 + 1
    unit_path = tmp_path / "unit.xlsx"
    case.unit("甲区", unit_path)
    card = load_workbook(unit_path)["评分结果"]
    rows = [
        r
        for r in card.iter_rows(values_only=True)
        if r[0] in ("A 组织领导（20分）", "B 技术防护（30分）")
    ]
    assert len(rows) == 2


def test_empty_round_exports(tmp_path: Path) -> None:
    from tests.workspace_helpers import make_workspace

    make_workspace(tmp_path / "e.db", units=False).close()
    load(tmp_path / "e.db").leadership(tmp_path / "e.xlsx")
    wb = load_workbook(tmp_path / "e.xlsx")
    assert wb.sheetnames == ZH_SHEETS
    assert charts(tmp_path / "e.xlsx", "统计图表") == []


def test_a_big_group_gets_one_chart_page_per_25_units(tmp_path: Path) -> None:
    from inspector.reports.charts import PAGE_HEIGHT_CM
    from tests.report_helpers import answers_for
    from tests.workspace_helpers import make_workspace

    ws = make_workspace(tmp_path / "big.db", units=False)
    ws.add_units([(f"单位{i:02d}", "区县", None, ()) for i in range(30)], "测试", "test")
    round_ = ws.round()
    for unit in ws.units():
        ws.record(
            round_, unit, "inspection", "测试", "test", answers_for(round_.indicators, "区县", ())
        )
    ws.close()
    load(tmp_path / "big.db").leadership(tmp_path / "big.xlsx")
    sheet = load_workbook(tmp_path / "big.xlsx")["统计图表"]
    found = charts(tmp_path / "big.xlsx", "统计图表")
    assert len(found) == 1 + 2 + 1  # rates, the group's totals in two parts, its grades
    refs = [c.series[0].values for c in found[1:3]]
    first = int(refs[0].split("$")[-1]) - 24
    column = refs[0].split("!")[1].split("$")[1]  # the group's totals, beside the rates
    assert column != "B" and refs[1].endswith(f"${column}${first + 25}:${column}${first + 29}")
    assert all(c.height_cm <= PAGE_HEIGHT_CM + 0.01 for c in found)
    assert_two_charts_a_page(sheet, found)


def test_round_deadline_applies_where_an_item_has_none(tmp_path: Path) -> None:
    from inspector.core.assessment import ItemAnswer
    from inspector.core.indicators import load_set
    from inspector.store.workspace import Workspace
    from tests.report_helpers import answers_for

    ws = Workspace.create(tmp_path / "d.db")
    ws.new_round("2027年度督查", load_set(), "测试", "test", deadline="2027-01-15")
    (unit,) = ws.add_units([("王益区", "区县", None, ())], "测试", "test")
    overrides = {
        "1.1": ItemAnswer("deduct", (("r2", 1),)),
        "1.2": ItemAnswer("deduct", (("r1", 1),), deadline="2026-12-01"),
    }
    ws.record(
        ws.round(),
        unit,
        "inspection",
        "测试",
        "test",
        answers_for(ws.round().indicators, "区县", (), overrides),
    )
    ws.close()
    load(tmp_path / "d.db").leadership(tmp_path / "d.xlsx")
    wb = load_workbook(tmp_path / "d.xlsx")
    rows = wb["问题清单"].iter_rows(min_row=4, values_only=True)
    problems = {r[2].split(" ")[0]: r for r in rows if r[2]}
    assert deadline_of(problems["1.1"][4]).isoformat() == "2027-01-15"
    assert deadline_of(problems["1.2"][4]).isoformat() == "2026-12-01"
    texts = {c.value for c in cells(wb["指标体系"])}
    assert "2027年1月15日" in texts


def test_every_merge_of_the_exported_workbooks_reads_back(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streaming drops a merge issued once a row below is written: every merge the reports
    ask for must be in the files, and nothing else."""
    asked: dict[str, set[str]] = {}
    real_merge = xlsx_writer.Sheet._merge

    def spy(self: xlsx_writer.Sheet, r: int, span: xlsx_writer.Span) -> None:
        first = xlsx_writer.cell_ref(r + 1, span.first)
        last = xlsx_writer.cell_ref(r + 1 + span.down, span.last)
        asked.setdefault(self.name, set()).add(f"{first}:{last}")
        real_merge(self, r, span)

    monkeypatch.setattr(xlsx_writer.Sheet, "_merge", spy)
    case = load(city)
    case.leadership(tmp_path / "l.xlsx")
    case.unit("王益区", tmp_path / "u.xlsx")
    found: dict[str, set[str]] = {}
    for name in ("l.xlsx", "u.xlsx"):
        for ws in load_workbook(tmp_path / name).worksheets:
            merges = {str(r) for r in ws.merged_cells.ranges}
            if merges:
                found.setdefault(ws.title, set()).update(merges)
    assert found == asked
    assert {"A3:A4", "B3:B4", "C3:E3"} <= found["自评对比"]  # the two-row header
    assert sum(len(m) for m in found.values()) > 60


def test_score_matrix_has_its_headings_on_every_page(tmp_path: Path) -> None:
    """A block longer than a page has its headings (categories, item codes) again at the top
    of every page it runs on to, and no page holds more rows than a printed page does."""
    from inspector.io.xlsx_writer import ONE_LINE, page_height
    from tests.report_helpers import answers_for
    from tests.workspace_helpers import make_workspace

    ws = make_workspace(tmp_path / "big.db", units=False)
    ws.add_units([(f"单位{i:02d}", "区县", None, ()) for i in range(70)], "测试", "test")
    round_ = ws.round()
    for unit in ws.units():
        ws.record(
            round_, unit, "inspection", "测试", "test", answers_for(round_.indicators, "区县", ())
        )
    ws.close()
    load(tmp_path / "big.db").leadership(tmp_path / "big.xlsx")
    sheet = load_workbook(tmp_path / "big.xlsx")["评分明细"]
    breaks = sorted(b.id for b in sheet.row_breaks.brk)
    assert len(breaks) >= 4  # two blocks of 70 units: two pages each at least
    width = sum(sheet.column_dimensions[c].width for c in ("A", "B", "C"))
    width += sum(sheet.column_dimensions[c].width or 0 for c in ("D",)) * (sheet.max_column - 3)
    room = page_height(width, landscape=True)
    edges = [0, *breaks, sheet.max_row]
    for top, bottom in itertools.pairwise(edges):
        if top:
            assert sheet.cell(top + 1, 1).value == "单位"  # headings first
            assert sheet.cell(top + 2, 4).value in ("1.1", "3.1")  # then the item codes
        height = sum(sheet.row_dimensions[r].height or ONE_LINE for r in range(top + 1, bottom + 1))
        assert height <= room
    found = matrix_cells(sheet)
    assert len(found) == 70 * 30
