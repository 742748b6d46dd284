"""The printed size of the demo's leadership workbook, computed from the file (fast: no
LibreOffice): each sheet is fitted to the page's width, so its text prints at its font size
times the scale the sheet's width calls for (``xlsx_writer.printed_scale``, measured against
LibreOffice; tests/test_leadership_print.py checks the PDF itself)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree
from typer.testing import CliRunner

from inspector.io.xlsx_writer import MIN_PRINTED_PT, printed_scale
from tests.helpers import invoke

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Every sheet prints at 10 pt at least: 问题清单 too, the leadership workbook's 整改台账 in
# its compact form (9 columns; the full 18 are in each unit's feedback and ``ledger --json``).


def sheet_prints(path: Path) -> dict[str, tuple[float, float, float]]:
    """Per sheet: its width in units, the scale it prints at, and the smallest font size
    (pt) of its cells that hold a value."""
    with zipfile.ZipFile(path) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        sizes = [float(f.find("m:sz", NS).get("val")) for f in styles.find("m:fonts", NS)]
        xf_font = [int(xf.get("fontId", 0)) for xf in styles.find("m:cellXfs", NS)]
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        found = {}
        for sheet in book.find("m:sheets", NS):
            xml = ElementTree.fromstring(z.read("xl/" + targets[sheet.get(RELS)].lstrip("/")))
            width = sum(
                (int(c.get("max")) - int(c.get("min")) + 1) * float(c.get("width"))
                for c in xml.iter(f"{{{NS['m']}}}col")
                if c.get("hidden") != "1"
            )
            setup = xml.find("m:pageSetup", NS)
            landscape = setup is not None and setup.get("orientation") == "landscape"
            fitted = xml.find("m:sheetPr/m:pageSetUpPr", NS)
            assert fitted is not None and fitted.get("fitToPage") == "1", sheet.get("name")
            smallest = min(
                sizes[xf_font[int(c.get("s", 0))]]
                for c in xml.iter(f"{{{NS['m']}}}c")
                if c.find("m:v", NS) is not None
            )
            found[sheet.get("name")] = (width, printed_scale(width, landscape), smallest)
    return found


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    book = folder / "lead.xlsx"
    result = invoke(CliRunner(), ["demo", "--db", str(folder / "d.db"), "--out", str(book)])
    assert result.exit_code == 0, result.output
    return book


def test_every_sheet_prints_its_text_at_10_pt(demo_book: Path) -> None:
    prints = sheet_prints(demo_book)
    assert len(prints) == 9
    for name, (width, scale, smallest) in prints.items():
        printed = smallest * scale
        assert printed >= MIN_PRINTED_PT, (
            f"{name}: {width:.1f} units wide prints at {printed:.1f} pt"
        )


def test_chart_tables_share_their_page_with_the_first_chart(demo_book: Path) -> None:
    """The charts' data tables stand side by side on one page, the first chart below."""
    from openpyxl import load_workbook

    from tests.chart_xml import charts

    sheet = load_workbook(demo_book)["统计图表"]
    breaks = sorted(b.id for b in sheet.row_breaks.brk)
    filled = [r for r in range(1, sheet.max_row + 1) if any(c.value is not None for c in sheet[r])]
    assert max(filled) < breaks[0] and max(filled) < 20  # one page, a few rows
    anchors = sorted(c.first_row for c in charts(demo_book, "统计图表"))
    assert anchors[0] <= breaks[0] < anchors[1]
    assert len(breaks) == 3 and len(anchors) == 7  # 1 + 2 + 2 + 2 charts on 4 pages
