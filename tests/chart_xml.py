"""The charts of a workbook as its XML states them (sheet, anchor, series, axes, caches), read
with the standard library: openpyxl keeps charts it reads only in private attributes."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
EMU_PER_POINT = 12700
CM_PER_POINT = 2.54 / 72


@dataclass(frozen=True)
class Series:
    values: str  # the value range, e.g. '统计图表'!$B$4:$B$8
    categories: str | None
    cached: tuple[str, ...]  # the figures stored beside the reference (none when streamed)


@dataclass(frozen=True)
class Chart:
    sheet: str
    first_row: int  # 1-based, the row the chart's top edge is in
    height_cm: float
    title: str
    series: tuple[Series, ...]
    value_min: float | None  # the value axis' fixed minimum, if any


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", name + ".rels")
    if path not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read(path))
    return {
        r.get("Id"): posixpath.normpath(posixpath.join(folder, r.get("Target")))
        for r in root.iter(f"{PKG}Relationship")
    }


def _row_heights(sheet_xml: bytes) -> tuple[dict[int, float], float]:
    root = ElementTree.fromstring(sheet_xml)
    fmt = root.find(f"{MAIN}sheetFormatPr")
    default = float(fmt.get("defaultRowHeight", "15")) if fmt is not None else 15.0
    heights = {
        int(row.get("r")) - 1: float(row.get("ht"))
        for row in root.iter(f"{MAIN}row")
        if row.get("ht") is not None
    }
    return heights, default


def _text(node: object | None) -> str:
    if node is None:
        return ""
    return "".join(t.text or "" for t in node.iter(f"{A}t"))  # type: ignore[attr-defined]


def _series(chart_root: object) -> tuple[Series, ...]:
    found = []
    for ser in chart_root.iter(f"{C}ser"):  # type: ignore[attr-defined]
        ref = ser.find(f"{C}val/{C}numRef")
        cat = ser.find(f"{C}cat")
        cat_ref = None
        if cat is not None:
            node = cat.find(f"{C}strRef")
            node = node if node is not None else cat.find(f"{C}numRef")
            cat_ref = node.findtext(f"{C}f") if node is not None else None
        cached = tuple(p.findtext(f"{C}v") or "" for p in ref.findall(f"{C}numCache/{C}pt"))
        found.append(Series(ref.findtext(f"{C}f"), cat_ref, cached))
    return tuple(found)


def charts(path: Path, sheet: str | None = None) -> list[Chart]:
    """Every chart of the workbook at ``path`` (of ``sheet`` only, if given), in drawing
    order."""
    found: list[Chart] = []
    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        targets = _rels(archive, "xl/workbook.xml")
        for entry in book.iter(f"{MAIN}sheet"):
            name = entry.get("name")
            if sheet is not None and name != sheet:
                continue
            part = targets[entry.get(f"{REL}id")]
            heights, default = _row_heights(archive.read(part))
            for drawing in _rels(archive, part).values():
                if "/drawings/" not in drawing:
                    continue
                charts_of_drawing = _rels(archive, drawing)
                root = ElementTree.fromstring(archive.read(drawing))
                for anchor in root:
                    frame = anchor.find(f".//{C}chart")
                    if frame is None:
                        continue
                    top, bottom = anchor.find(f"{XDR}from"), anchor.find(f"{XDR}to")
                    first = int(top.findtext(f"{XDR}row"))
                    last = int(bottom.findtext(f"{XDR}row"))
                    points = sum(heights.get(r, default) for r in range(first, last))
                    points += int(bottom.findtext(f"{XDR}rowOff")) / EMU_PER_POINT
                    points -= int(top.findtext(f"{XDR}rowOff")) / EMU_PER_POINT
                    chart_root = ElementTree.fromstring(
                        archive.read(charts_of_drawing[frame.get(f"{REL}id")])
                    )
                    minimum = chart_root.find(f".//{C}valAx/{C}scaling/{C}min")
                    found.append(
                        Chart(
                            name,
                            first + 1,
                            points * CM_PER_POINT,
                            _text(chart_root.find(f".//{C}title")),
                            _series(chart_root),
                            float(minimum.get("val")) if minimum is not None else None,
                        )
                    )
    return found
