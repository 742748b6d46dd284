"""The draft 通报 laid out after GB/T 9704 with python-docx.

A4; 版心 156 × 225 mm (top 37 mm, left 28 mm); title 2号 (22 pt) 宋体 bold, the fallback for
方正小标宋 that every machine has; body 3号 (16 pt) 仿宋, 22 lines a page, first lines
indented two characters; 一、 headings 黑体, （一） headings 楷体; page numbers "— 1 —" in
4号 宋体, right on odd pages and left on even pages, one character in from the edge.

Only python-docx's public API, plus what its documentation itself uses for what it has no
call for: the East Asian font of a style (``w:eastAsia`` on the style's ``element``) and the
PAGE field of the footers (built with ``OxmlElement``/``parse_xml`` into the footer part's
``element``). The writer lays out the ``Notice`` it is given; it never reads the round.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from inspector.io.fileio import atomic_path
from inspector.io.xlsx_cells import ILLEGAL
from inspector.reports.notice import Notice, Table

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, LEFT = Mm(37), Mm(28)
TEXT_WIDTH, TEXT_HEIGHT = Mm(156), Mm(225)
LINE = Pt(28.95)  # 225 mm / 22 lines
BODY_SIZE, TITLE_SIZE, PAGE_NUMBER_SIZE, TABLE_SIZE = 16, 22, 14, 12
INDENT = Pt(2 * BODY_SIZE)  # two characters
TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "宋体", "仿宋", "黑体", "楷体", "宋体"

STYLES = {  # name: (font, size, bold, first-line indent, alignment)
    "Notice Title": (TITLE_FONT, TITLE_SIZE, True, None, WD_ALIGN_PARAGRAPH.CENTER),
    "Notice Draft": (H1_FONT, BODY_SIZE, False, None, WD_ALIGN_PARAGRAPH.LEFT),
    "Notice Body": (BODY_FONT, BODY_SIZE, False, INDENT, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "Notice Recipients": (BODY_FONT, BODY_SIZE, False, None, WD_ALIGN_PARAGRAPH.LEFT),
    "Notice Heading 1": (H1_FONT, BODY_SIZE, False, INDENT, WD_ALIGN_PARAGRAPH.LEFT),
    "Notice Heading 2": (H2_FONT, BODY_SIZE, False, INDENT, WD_ALIGN_PARAGRAPH.LEFT),
    "Notice Table": (BODY_FONT, TABLE_SIZE, False, None, WD_ALIGN_PARAGRAPH.CENTER),
    "Notice Caption": (H1_FONT, TABLE_SIZE + 2, False, None, WD_ALIGN_PARAGRAPH.CENTER),
    "Notice Signature": (BODY_FONT, BODY_SIZE, False, None, WD_ALIGN_PARAGRAPH.RIGHT),
    "Notice Page Number": (PAGE_FONT, PAGE_NUMBER_SIZE, False, None, WD_ALIGN_PARAGRAPH.RIGHT),
}


def clean_text(text: str) -> str:
    """Characters XML cannot hold (C0 controls…) become U+FFFD; nothing else changes."""
    return ILLEGAL.sub("\ufffd", text)


def _style(document: Any, name: str) -> None:
    font, size, bold, indent, alignment = STYLES[name]
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = bold
    # python-docx sets the Latin fonts; Chinese text takes the East Asian one
    fonts = style.element.find(qn("w:rPr")).find(qn("w:rFonts"))
    fonts.set(qn("w:eastAsia"), font)
    layout = style.paragraph_format
    layout.alignment = alignment
    layout.space_before = Pt(0)
    layout.space_after = Pt(0)
    if name == "Notice Table":
        layout.line_spacing = 1.0
    elif name == "Notice Title":
        layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        layout.line_spacing = Pt(TITLE_SIZE * 1.5)
    else:
        layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        layout.line_spacing = LINE
    if indent is not None:
        layout.first_line_indent = indent


def _page_number(footer: Any, style_id: str, odd: bool) -> None:
    """ "— N —" with a PAGE field, at the outer edge, one character in."""
    side = "right" if odd else "left"
    edge = f'w:{side}="{PAGE_NUMBER_SIZE * 20}"'
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    xml = (
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style_id}"/>'
        f'<w:ind {edge}/><w:jc w:val="{side}"/></w:pPr>'
        + run.format("— ")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run.format("1")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + run.format(" —")
        + "</w:p>"
    )
    root = footer.part.element
    for child in list(root):
        root.remove(child)
    root.append(parse_xml(xml))


def _table(document: Any, table: Table) -> None:
    document.add_paragraph(clean_text(table.caption), style="Notice Caption")
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(table.widths)
    widths = [int(TEXT_WIDTH * w / total) for w in table.widths]
    for index, row in enumerate([table.header, *table.rows]):
        cells = grid.rows[index].cells
        for column, text in enumerate(row):
            cell = cells[column]
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Notice Table"]
            run = paragraph.add_run(clean_text(text))
            run.bold = index == 0 or None
    # the header row repeats on every page (w:tblHeader), which python-docx has no call for
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    properties = OxmlElement("w:trPr")
    properties.append(mark)
    _first_row_element(grid).insert(0, properties)


def _first_row_element(grid: Any) -> Any:
    """The first ``w:tr`` of a table, found from the document part's public ``element``."""
    return grid.rows[0].cells[0].paragraphs[0].part.element.xpath(".//w:tbl[last()]/w:tr[1]")[0]


def write_notice(notice: Notice, path: Path) -> None:
    """Write ``notice`` to ``path`` atomically."""
    document = Document()
    for name in STYLES:
        _style(document, name)
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.left_margin = TOP, LEFT
    section.right_margin = PAGE_WIDTH - LEFT - TEXT_WIDTH
    section.bottom_margin = PAGE_HEIGHT - TOP - TEXT_HEIGHT
    section.footer_distance = Mm(28) - Mm(7)  # the page number 7 mm below the 版心
    document.settings.odd_and_even_pages_header_footer = True
    style_id = document.styles["Notice Page Number"].style_id
    _page_number(section.footer, style_id, odd=True)
    _page_number(section.even_page_footer, style_id, odd=False)

    document.add_paragraph(clean_text(notice.draft), style="Notice Draft")
    document.add_paragraph("", style="Notice Body")
    document.add_paragraph(clean_text(notice.title), style="Notice Title")
    document.add_paragraph("", style="Notice Body")
    document.add_paragraph(clean_text(notice.recipients), style="Notice Recipients")
    styles = {"h1": "Notice Heading 1", "h2": "Notice Heading 2", "p": "Notice Body"}
    for block in notice.body:
        if block.table is not None:
            _table(document, block.table)
        else:
            document.add_paragraph(clean_text(block.text), style=styles[block.kind])
    document.add_paragraph("", style="Notice Body")
    for index, text in enumerate(notice.attachments, start=1):
        if index == 1:
            line = f"{notice.attachments_label}{index}. {text}"
            document.add_paragraph(clean_text(line), style="Notice Body")
        else:
            paragraph = document.add_paragraph(clean_text(f"{index}. {text}"), style="Notice Body")
            paragraph.paragraph_format.first_line_indent = INDENT + Pt(
                BODY_SIZE * len(notice.attachments_label)
            )
    document.add_paragraph("", style="Notice Body")
    document.add_paragraph("", style="Notice Body")
    for text in (notice.issuer, notice.date):
        paragraph = document.add_paragraph(clean_text(text), style="Notice Signature")
        paragraph.paragraph_format.right_indent = Pt(BODY_SIZE * 4)
    document.core_properties.title = clean_text(notice.core_properties_title)
    document.core_properties.author = clean_text(notice.issuer)
    with atomic_path(path) as temp:
        document.save(str(temp))
