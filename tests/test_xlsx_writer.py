"""The xlsx writer, read back with openpyxl: everything the reports and templates rely on."""

from __future__ import annotations

import dataclasses
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspector.io.xlsx_cells import MAX_CELL, safe_text
from inspector.io.xlsx_style import STYLES
from inspector.io.xlsx_writer import (
    MAX_ROW_HEIGHT,
    ONE_LINE,
    BarChart,
    Book,
    Column,
    Formula,
    Range,
    Span,
    Validation,
    cell_ref,
    column_letter,
    lines_height,
    printed_scale,
    text_lines,
    whole_pixels,
    widest_printable,
)
from tests.chart_xml import charts

DAY = date(2026, 11, 28)


def book(path: Path, streaming: bool = True, **kwargs: object) -> Book:
    return Book(path, lang="zh", title="测试", created=DAY, streaming=streaming, **kwargs)  # type: ignore[arg-type]


COLUMNS = [Column("单位", 12), Column("甲", 8, "num"), Column("乙", 8, "num"), Column("说明", 20)]


@pytest.mark.parametrize("streaming", [True, False])
def test_every_merge_survives_in_both_modes(tmp_path: Path, streaming: bool) -> None:
    path = tmp_path / "m.xlsx"
    b = book(path, streaming)
    sheet = b.sheet("表", COLUMNS, landscape=True, header_rows=2)
    sheet.title("标题", "副标题")
    # a two-row header: three merges going down and one across, all issued with row 3
    top = sheet.headings(
        ["单位", "分数", "", "说明"],
        spans=[Span(0, 0, down=1), Span(1, 2), Span(3, 3, down=1)],
    )
    sheet.headings(["", "甲", "乙", ""])
    sheet.row(["王益区", 1, 2, "无"])
    sheet.merged("小计", "section")
    sheet.row(["合计", None, 3, ""], spans=[Span(0, 1)])
    b.close()
    ws = load_workbook(path)["表"]
    merges = {str(r) for r in ws.merged_cells.ranges}
    assert merges == {"A1:D1", "A2:D2", "A3:A4", "B3:C3", "D3:D4", "A6:D6", "A7:B7"}
    assert top == 3 and ws["A3"].value == "单位" and ws["B3"].value == "分数"
    assert [c.value for c in ws[4]] == [None, "甲", "乙", None]
    assert ws["A4"].border.bottom.style == "thin"  # the covered cells keep their frame
    assert ws.print_title_rows == "$3:$4" and ws.freeze_panes == "A5"


def test_rows_in_order_with_heights_blank_rows_included(tmp_path: Path) -> None:
    path = tmp_path / "h.xlsx"
    b = book(path)
    sheet = b.sheet("表", COLUMNS, landscape=False, title_rows=0, header_rows=0)
    sheet.row(["短", 1, 2, "一行"])
    assert sheet.blank() == 2
    long_text = "网络安全工作责任制落实情况" * 6
    sheet.row(["长", 1, 2, long_text])
    sheet.row(["定", 1, 2, "x"], height=50)
    b.close()
    ws = load_workbook(path)["表"]
    assert ws.sheet_format.defaultRowHeight == ONE_LINE
    assert ws.row_dimensions[1].height in (None, ONE_LINE)
    assert ws.row_dimensions[2].height == 9.75  # a blank row keeps its height when streamed
    lines = text_lines(long_text, COLUMNS[3].width)
    assert lines >= 4 and ws.row_dimensions[3].height == whole_pixels(lines_height(lines))
    assert ws.row_dimensions[4].height == 49.5  # whole pixels, never more than asked


def test_a_text_taller_than_a_row_continues_below(tmp_path: Path) -> None:
    path = tmp_path / "l.xlsx"
    b = book(path)
    columns = [Column("单位", 10, key=True), Column("分", 6, "num"), Column("问题", 20)]
    sheet = b.sheet("表", columns, landscape=True, title_rows=0)
    sheet.headings()
    text = "门户网站后台存在弱口令，" * 120
    first = sheet.row(["王益区", 3, text])
    after = sheet.row(["印台区", 1, "无"])
    b.close()
    ws = load_workbook(path)["表"]
    pieces = [ws.cell(r, 3).value for r in range(first, after)]
    assert len(pieces) >= 2 and "".join(pieces) == text
    assert all(ws.cell(r, 1).value == "王益区" for r in range(first, after))  # key repeated
    assert all(ws.cell(r, 2).value is None for r in range(first + 1, after))  # figure not
    assert all(ws.row_dimensions[r].height <= MAX_ROW_HEIGHT for r in range(first, after))
    assert ws.cell(after, 1).value == "印台区"


def test_values_numbers_dates_and_neutralised_text(tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    b = book(path)
    columns = [Column("", 12, "plain") for _ in range(8)]  # no wrapping: one row
    sheet = b.sheet("表", columns, landscape=True, title_rows=0, header_rows=0)
    emoji = "😀" * (MAX_CELL // 2 + 10)  # two UTF-16 units each: over the limit
    sheet.row(
        [
            Decimal("89.48"),
            DAY,
            True,
            "=1+2",
            "<r><t>x</t></r>",
            "台账\x01缺失\uffff",
            emoji,
            "_x0041_",
        ]
    )
    b.close()
    assert b.cells == 8
    ws = load_workbook(path)["表"]
    values = [c.value for c in ws[1]]
    assert values[0] == 89.48 and ws["A1"].data_type == "n"
    assert values[1] == datetime(2026, 11, 28) and ws["B1"].number_format == 'yyyy"年"m"月"d"日"'
    assert values[2] is True
    assert values[3] == "'=1+2" and ws["D1"].data_type == "s"
    assert values[4] == "'<r><t>x</t></r>"
    assert values[5] == "台账\ufffd缺失\ufffd"
    assert len(values[6].encode("utf-16-le")) // 2 <= MAX_CELL and values[6].endswith("…")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    # a text that looks like the file format's escape is escaped itself, so spreadsheet
    # programs show it as written (openpyxl reads the escaped form back as it is)
    assert "_x005F_x0041_" in xml and values[7] in ("_x0041_", "_x005F_x0041_")


def test_safe_text_rules() -> None:
    assert safe_text("+1") == "'+1" and safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("\tx") == "'\tx" and safe_text("-") == "'-"
    assert safe_text("正常") == "正常" and safe_text("a<r>b</r>") == "a<r>b</r>"


def test_styles_print_setup_and_sheet_settings(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    score = dataclasses.replace(STYLES["num"], number_format='"扣"0"分";;""')
    b = book(path, streaming=False, styles={"deducted": score})
    columns = [
        Column("代码", 6, "center"),
        Column("输入", 10, "input"),
        Column("键", 8, hidden=True),
    ]
    sheet = b.sheet("评分表", columns, landscape=True, title_rows=1)
    sheet.merged("标题", "title", height=30)
    sheet.headings()
    sheet.row(["1.1", None, "key"], {1: "input"})
    sheet.row(["1.2", 2, "key2"], {1: "deducted"})
    sheet.autofilter()
    sheet.color_scale(3, 1, 4, 1, ("F8CBAD", "FFEB9C", "C6EFCE"))
    sheet.break_before(4)
    sheet.print_area(4, 1)
    sheet.protect()
    hidden = b.sheet("inspector", [Column("", 10)], landscape=False, title_rows=0, header_rows=0)
    hidden.row(["tag"])
    hidden.very_hidden()
    hidden.protect()
    sheet.activate()
    b.custom_property("inspector.unit", "王益区\x01")
    b.lock_structure()
    b.close()
    wb = load_workbook(path)
    ws = wb["评分表"]
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.b and ws["A1"].font.sz == 18
    assert ws["A2"].font.name == "黑体" and ws["A2"].fill.fgColor.rgb.endswith("D9D9D9")
    assert ws["A3"].font.name == "仿宋" and ws["A3"].border.left.style == "thin"
    assert ws["A3"].alignment.horizontal == "center" and ws["A3"].alignment.wrap_text
    assert ws["B3"].protection.locked is False and ws["B3"].fill.fgColor.rgb.endswith("FFF2CC")
    assert ws["A3"].protection.locked is True
    assert ws["B4"].number_format == '"扣"0"分";;""'
    assert ws.column_dimensions["C"].hidden
    assert ws.protection.sheet and not ws.protection.formatColumns
    assert ws.auto_filter.ref == "A2:C4"
    (scale,) = [cf for cf in ws.conditional_formatting if cf.rules[0].type == "colorScale"]
    assert str(scale.sqref) == "B3:B4"
    assert [brk.id for brk in ws.row_breaks.brk] == [3]
    assert ws.print_area == "'评分表'!$A$1:$B$4"
    setup = ws.page_setup
    assert int(setup.paperSize) == 9 and setup.orientation == "landscape"
    assert ws.oddFooter.center.text == "— &P —" and ws.oddFooter.center.font == "仿宋,Regular"
    assert ws.print_options.horizontalCentered
    assert (ws.page_margins.left, ws.page_margins.top, ws.page_margins.bottom) == (0.5, 0.6, 0.7)
    assert wb["inspector"].sheet_state == "veryHidden" and wb.active.title == "评分表"
    assert wb.security.lockStructure
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props == {"inspector.unit": "王益区\ufffd"}
    assert wb.properties.title == "测试" and wb.properties.creator == "inspector"
    assert wb.properties.created == datetime(2026, 11, 28)


def test_validations_formulas_and_prompts(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    b = book(path, streaming=False)
    columns = [Column("", 10), Column("", 10, "num"), Column("", 10, "input")]
    sheet = b.sheet("表", columns, landscape=True, title_rows=0)
    sheet.headings(["档次", "分值", "填写"])
    sheet.row(["仅培训", 1, None])
    sheet.row(["未开展", 0, None])
    sheet.row(["小计", Formula("SUM(B2:B3)", 1), None])
    count = Validation(
        "whole",
        "0",
        "99",
        prompt_title="提示",
        prompt="填0至99",
        error_title="错误",
        error="x" * 300,
    )
    sheet.validate(2, 2, count)
    sheet.validate(3, 2, count)  # the same rule: one validation, two cells
    sheet.validate(4, 2, Validation("list", source="$A$2:$A$3", error="请选择"))
    sheet.validate(5, 2, Validation("decimal", "0", "2.5"))
    sheet.validate(6, 2, Validation("textLength", maximum="500"))
    b.close()
    ws = load_workbook(path)["表"]
    assert ws["B4"].value == "=SUM(B2:B3)"
    rules = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert set(rules) == {"whole", "list", "decimal", "textLength"}
    whole = rules["whole"]
    assert str(whole.sqref) == "C2 C3" and (whole.formula1, whole.formula2) == ("0", "99")
    assert whole.promptTitle == "提示" and whole.prompt == "填0至99" and whole.showErrorMessage
    assert len(whole.error) == 255 and whole.errorStyle in (None, "stop")
    assert rules["list"].formula1 == "$A$2:$A$3"
    assert rules["decimal"].formula2 == "2.5"
    assert rules["textLength"].operator == "lessThanOrEqual" and rules["textLength"].formula1 == (
        "500"
    )


def test_bar_chart_refers_to_its_ranges(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    b = book(path)
    sheet = b.sheet("图表", [Column("", 20), Column("", 10, "pct")], landscape=True, header_rows=0)
    for name, rate in [("甲", 0.5), ("乙", 0.75)]:
        sheet.row([name, rate])
    chart = BarChart(
        "=得分率",
        Range("图表", 1, 0, 2, 0),
        Range("图表", 1, 1, 2, 1),
        width_cm=25,
        height_cm=6,
        value_min=0,
        value_max=1,
        axis_format="0%",
        label_format="0.0%",
    )
    sheet.insert_chart(4, 0, chart)
    b.close()
    (found,) = charts(path, "图表")
    assert found.series[0].values == "'图表'!$B$1:$B$2"
    assert found.series[0].categories == "'图表'!$A$1:$A$2"
    assert found.first_row == 4
    assert found.title == "'=得分率"  # a title is text, never a reference


def test_failed_close_leaves_no_scratch_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    b = book(tmp_path / "x.xlsx")
    sheet = b.sheet("表", COLUMNS, landscape=True)
    for n in range(50):
        sheet.row([f"单位{n}", n, n, "说明"])
    assert list(scratch.iterdir())  # the streamed rows are on disk meanwhile
    b.discard()
    assert not list(scratch.iterdir())
    b = book(tmp_path / "missing" / "x.xlsx")  # a folder that does not exist
    b.sheet("表", COLUMNS, landscape=True).row(["甲", 1, 2, "x"])
    with pytest.raises(OSError):
        b.close()
    assert not list(scratch.iterdir())


def test_cell_helpers() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert cell_ref(5, 2) == "C5" and cell_ref(5, 2, absolute=True) == "$C$5"
    assert Range("a'b", 1, 0, 2, 1).formula == "='a''b'!$A$1:$B$2"


# --- which library does what --------------------------------------------------------------

# openpyxl reads returned and listed workbooks; everything written goes through xlsx_writer
OPENPYXL_READERS = {
    "inspector.io.xlsx_safety",
    "inspector.io.units_file",
    "inspector.selfassess.reader",
    "inspector.selfassess.importer",
}


def test_openpyxl_only_reads_and_xlsxwriter_only_in_the_writer() -> None:
    from tests.test_layers import PACKAGE, imports, module_name

    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        source = path.read_text(encoding="utf-8")
        for line, target in imports(source, module, path.name == "__init__.py"):
            top = target.split(".")[0]
            if top == "openpyxl" and module not in OPENPYXL_READERS:
                found.append(f"{module}:{line} imports {target}")
            if top == "xlsxwriter" and module != "inspector.io.xlsx_writer":
                found.append(f"{module}:{line} imports {target}")
            # what openpyxl writes with: styles, protection, validations, document properties
            writing = ("openpyxl.styles", "openpyxl.writer", "openpyxl.worksheet.datavalidation")
            writing += ("openpyxl.workbook.protection", "openpyxl.packaging.custom")
            if target.startswith(writing):
                found.append(f"{module}:{line} imports {target} (openpyxl only reads)")
    assert not found, "\n".join(found)
    assert not (PACKAGE / "selfassess" / "style.py").exists()  # one style table


def test_exact_text_keeps_a_leading_equals_sign(tmp_path: Path) -> None:
    """``Exact`` text reads back as given, in a quote-prefix cell (text, even when edited)."""
    from inspector.io.xlsx_writer import Exact

    path = tmp_path / "e.xlsx"
    b = book(path, streaming=False)
    columns = [Column("", 10, "plain"), Column("", 30, "exact")]
    sheet = b.sheet("表", columns, landscape=False, header_rows=0)
    sheet.row(["=1+1", Exact('=HYPERLINK("x")')])
    sheet.row([None, Exact("a\x07b")])
    with pytest.raises(ValueError):  # only in a quote-prefix style
        sheet.row([Exact("x"), None])
    b.close()
    ws = load_workbook(path)["表"]
    assert ws["A1"].value == "'=1+1" and not ws["A1"].quotePrefix
    assert ws["B1"].value == '=HYPERLINK("x")' and ws["B1"].data_type == "s"
    assert ws["B1"].quotePrefix
    assert ws["B2"].value == "a\ufffdb"


def test_escape_like_text_round_trips_through_shared_strings(tmp_path: Path) -> None:
    """XlsxWriter stores a literal "_x0041_" as "_x005F_x0041_" (the OOXML escape): openpyxl
    decodes shared strings, and ``read_text`` decodes what it leaves (properties)."""
    from inspector.io.xlsx_cells import read_text

    path = tmp_path / "x.xlsx"
    b = book(path, streaming=False)
    sheet = b.sheet("表", [Column("", 20)], landscape=False, header_rows=0)
    sheet.row(["单位_x0041_"])
    b.custom_property("p", "C_x0042_")
    b.close()
    wb = load_workbook(path)
    assert wb["表"]["A1"].value == "单位_x0041_"
    (prop,) = wb.custom_doc_props.props
    assert prop.value == "C_x005F_x0042_" and read_text(prop.value) == "C_x0042_"
    assert read_text("a_x000A_b_x41_") == "a\nb_x41_"


def test_empty_bordered_cells_are_framed_not_written(tmp_path: Path) -> None:
    """A run of rows whose cells are all bordered gets one conditional-format frame; their
    empty cells are not written, unless filled or inside a merge. Rows that are not bordered
    (titles, notes, spacers) end a run and are never framed."""
    from tests.report_helpers import framed

    path = tmp_path / "r.xlsx"
    b = book(path)
    sheet = b.sheet("表", COLUMNS, landscape=True)
    sheet.title("标题", "副标题")  # not bordered
    sheet.headings()  # row 3, filled: its empty cells are written
    sheet.row(["王益区", 1, None, ""])  # rows 4-5: two empty cells left to the frame
    sheet.row(["印台区", None, 2, "说明"])
    sheet.merged("小计", "section")  # row 6: filled and merged
    sheet.row(["合计", None, 3, None], spans=[Span(0, 1)])  # row 7: the merge keeps B
    sheet.merged("注：……", "note")  # row 8: no border
    sheet.blank()  # row 9
    sheet.row(["耀州区", 3, None, "无"])  # row 10: a run of its own
    b.close()
    ws = load_workbook(path)["表"]
    frames = sorted(
        str(cf.sqref) for cf in ws.conditional_formatting if cf.rules[0].formula == ["1"]
    )
    assert frames == ["A10:D10", "A3:D7"]
    data = _cells_of(path, "xl/worksheets/sheet1.xml")
    assert "C4" not in data and "D4" not in data and "B5" not in data  # left to the frame
    assert "B7" in data  # a merge's own cell keeps its lines
    for row, column in ((4, 3), (5, 2), (7, 4), (10, 3), (3, 4)):
        assert framed(ws, row, column), (row, column)
    assert not framed(ws, 8, 2) and not framed(ws, 1, 1)


def _cells_of(path: Path, part: str) -> set[str]:
    import re

    with zipfile.ZipFile(path) as z:
        return set(re.findall(r'<c r="([A-Z]+\d+)"', z.read(part).decode()))


def test_row_height_estimate_is_tight_but_never_short() -> None:
    """One line's worth of text gets one line's height; a character more wraps. Measured
    against Excel's and WPS's 7 px width unit (11 pt CJK: 14.67 px a character), the
    narrowest of the programs (LibreOffice draws a unit at 8 px)."""
    width = 26  # 182 px: 12 CJK characters at most, 11 counted (a unit kept for the margins)
    assert text_lines("网" * 11, width) == 1
    assert text_lines("网" * 12, width) == 2
    assert text_lines("网" * 11 * 3, width) == 3
    assert text_lines("第一行\n第二行", width) == 2
    assert text_lines("a" * 21 + "网", width) == 1  # Latin letters are half as wide
    assert text_lines("a" * 24, width) == 2
    # a line is taller than LibreOffice's 13.6 pt and Excel's 14.25 pt at 11 pt, and a
    # one-line row is one line tall (it was drawn at two lines' height before)
    assert 14.25 <= lines_height(2) - lines_height(1) <= 15
    assert lines_height(1) < 20 and ONE_LINE < 20
    assert lines_height(3) == 3 * 14.5 + 4


def test_printed_scale_of_a_sheet_fitted_to_the_width() -> None:
    """LibreOffice fits 128 width units to a landscape A4 page (measured: 770 pt between
    the margins, 6 pt a unit) and 87 to a portrait one."""
    assert printed_scale(100, landscape=True) == 1.0  # never counted as enlarged
    assert printed_scale(256.6, landscape=True) == pytest.approx(0.5, abs=0.001)
    assert printed_scale(87.2, landscape=False) == pytest.approx(1.0, abs=0.001)
    widest = widest_printable(True, 11)  # 11 pt text printed at 10 pt at the least
    assert 11 * printed_scale(widest, True) == pytest.approx(10)
    assert 11 * printed_scale(widest + 1, True) < 10


def test_structure_protection_needs_a_book_in_memory(tmp_path: Path) -> None:
    b = book(tmp_path / "streamed.xlsx")
    with pytest.raises(ValueError, match="streaming=False"):
        b.lock_structure()
    b.discard()
