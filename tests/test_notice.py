"""The draft 通报 (``export --notice``): GB/T 9704 layout, its content from the round, and
how LibreOffice prints it (page size, margins, fonts)."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Mm
from typer.testing import CliRunner

from tests.helpers import invoke


@pytest.fixture(scope="module")
def notice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("notice")
    db = folder / "d.db"
    result = invoke(CliRunner(), ["demo", "--db", str(db), "--out", str(folder / "l.xlsx")])
    assert result.exit_code == 0, result.output
    assert "通报草稿" in result.output
    path = folder / "通报.docx"
    result = invoke(CliRunner(), ["export", "--notice", "--out", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    status = json.loads(invoke(CliRunner(), ["status", "--json", "--db", str(db)]).output)
    return db, path, status


def east_asian(style: Any) -> str:
    from docx.oxml.ns import qn

    return style.element.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_layout_after_gb_t_9704(notice: tuple[Path, Path, dict[str, Any]]) -> None:
    _, path, _ = notice
    document = Document(str(path))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)  # stored in twips
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1)
    assert abs(section.left_margin - Mm(28)) < Mm(0.1)
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    assert abs(width - Mm(156)) < Mm(0.1) and abs(height - Mm(225)) < Mm(0.1)
    styles = document.styles
    assert east_asian(styles["Notice Title"]) == "宋体" and styles["Notice Title"].font.bold
    assert styles["Notice Title"].font.size.pt == 22
    assert east_asian(styles["Notice Body"]) == "仿宋" and styles["Notice Body"].font.size.pt == 16
    assert east_asian(styles["Notice Heading 1"]) == "黑体"
    assert east_asian(styles["Notice Heading 2"]) == "楷体"
    assert styles["Notice Page Number"].font.size.pt == 14
    with zipfile.ZipFile(path) as archive:
        footers = [archive.read(n).decode() for n in archive.namelist() if "footer" in n]
        settings = archive.read("word/settings.xml").decode()
    assert "w:evenAndOddHeaders" in settings
    sides = sorted(('w:jc w:val="right"' in f, 'w:jc w:val="left"' in f) for f in footers)
    assert sides == [(False, True), (True, False)]
    assert all(" PAGE " in f and "— " in f and " —" in f for f in footers)


def test_content_from_the_round(notice: tuple[Path, Path, dict[str, Any]]) -> None:
    _, path, status = notice
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0].startswith("草稿")  # it never claims to be final
    assert any(t.startswith("关于") and t.endswith("情况的通报") for t in texts)
    for heading in ("一、基本情况", "二、得分及排名", "三、存在的主要问题", "四、整改要求"):
        assert heading in texts
    assert any(t.startswith("（一）总体情况") for t in texts)
    attachments = [t for t in texts if "汇总排名" in t or "问题清单" in t or "共性问题" in t]
    assert attachments[0].startswith("附件：1.") and attachments[1].startswith("2.")
    assert any("前完成整改" in t for t in texts)
    # one ranking table per group, units in the ranks of status --json
    groups: dict[str, list[dict[str, Any]]] = {}
    for unit in status["units"]:
        groups.setdefault(unit["group"], []).append(unit)
    assert len(document.tables) == len(groups)
    for table, members in zip(document.tables, groups.values(), strict=True):
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        ranked = sorted((u for u in members if u["rank"]), key=lambda u: u["rank"])
        assert [r[1] for r in rows[: len(ranked)]] == [u["unit"] for u in ranked]
        assert [r[0] for r in rows[: len(ranked)]] == [str(u["rank"]) for u in ranked]


def test_notice_refuses_with_unit(notice: tuple[Path, Path, dict[str, Any]]) -> None:
    db, _, _ = notice
    result = invoke(CliRunner(), ["export", "--notice", "--unit", "王益区", "--db", str(db)])
    assert result.exit_code == 1 and "--notice" in result.output


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_printed_through_libreoffice(
    notice: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    _, path, _ = notice
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / (path.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    assert "595.3" in size and "841.89" in size  # A4 in points
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Song" in fonts or "Fang" in fonts  # a Chinese font, embedded
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())
    # the text block: its left edge 28 mm, its top 37 mm from the paper's edges (±2 mm)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
    ).stdout
    words = [line for line in bbox.splitlines() if line.strip().startswith("<word")]

    def attr(line: str, name: str) -> float:
        return float(line.split(f'{name}="')[1].split('"')[0])

    left = min(attr(w, "xMin") for w in words)
    top = min(attr(w, "yMin") for w in words)
    mm = 72 / 25.4
    assert abs(left / mm - 28) < 2 and abs(top / mm - 37) < 3
