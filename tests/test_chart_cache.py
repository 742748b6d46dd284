"""Charts carry their figures: a previewer that does not recalculate still draws them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspector.reports import export
from tests.chart_xml import charts
from tests.report_helpers import build_city, load

RANGE = re.compile(
    r"^'?(?P<sheet>[^'!]+)'?!\$(?P<col>[A-Z]+)\$(?P<first>\d+):\$[A-Z]+\$(?P<last>\d+)$"
)


def cached_series(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Each chart series' value range and the figures cached beside it."""
    return [(s.values, s.cached) for chart in charts(path) for s in chart.series]


def sheet_values(path: Path, formula: str) -> list[float]:
    match = RANGE.match(formula)
    assert match, formula
    sheet = load_workbook(path, read_only=True)[match["sheet"]]
    column = match["col"]
    first, last = int(match["first"]), int(match["last"])
    values = [sheet[f"{column}{row}"].value for row in range(first, last + 1)]
    return [float(v) if v not in (None, "—") else 0.0 for v in values]


@pytest.fixture(scope="module")
def city_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = load(build_city(tmp_path_factory.mktemp("city") / "ws.db"))
    path = tmp_path_factory.mktemp("out") / "leadership.xlsx"
    case.leadership(path)
    return path


def test_every_chart_series_caches_the_figures_of_its_range(city_book: Path) -> None:
    series = cached_series(city_book)
    assert len(series) >= 5
    for formula, cached in series:
        expected = sheet_values(city_book, formula)
        assert len(cached) == len(expected), formula
        assert [round(float(v), 6) for v in cached] == [round(v, 6) for v in expected], formula


def test_a_round_too_big_for_memory_streams_and_keeps_references(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # above the limit the workbook streams: the same charts, references without figures
    monkeypatch.setattr(export, "CHART_CACHE_UNITS", 3)
    case = load(build_city(tmp_path / "ws.db"))
    path = tmp_path / "big.xlsx"
    case.leadership(path)
    series = cached_series(path)
    assert len(series) >= 5
    assert all(formula and not cached for formula, cached in series)
