"""The table ``inspector trend`` prints: a unit per row, a round per column."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from inspector.decimals import fmt
from inspector.i18n import t

if TYPE_CHECKING:
    from inspector.app.trend import Trend


def _cell(standing: object) -> str:
    if standing is None:
        return t("trend.absent")
    total = fmt(standing.total)  # type: ignore[attr-defined]
    if not standing.complete:  # type: ignore[attr-defined]
        return t("trend.cell_unranked", total=total)
    return t(
        "trend.cell",
        total=total,
        grade=standing.grade,  # type: ignore[attr-defined]
        rank=standing.rank,  # type: ignore[attr-defined]
    )


def _signed(value: object) -> str:
    if value is None:
        return t("trend.absent")
    text = fmt(value) if not isinstance(value, int) else str(value)  # type: ignore[arg-type]
    return f"+{text}" if not text.startswith("-") and text not in ("0",) else text


def print_trend(console: Console, found: Trend) -> None:
    """Every unit's figures per round; one unit's items below, by code."""
    if len(found.rounds) < 2:
        console.print(Text(t("trend.single_round", round=found.rounds[-1].name)))
    table = Table(title=Text(t("trend.title")), title_justify="left")
    table.add_column(Text(t("trend.col.unit")), no_wrap=True)
    table.add_column(Text(t("trend.col.group")))
    for round_ in found.rounds:
        table.add_column(Text(round_.name))
    table.add_column(Text(t("trend.col.change")), justify="right")
    table.add_column(Text(t("trend.col.rank_change")), justify="right")
    for row in found.units:
        table.add_row(
            Text(row.unit.name),
            Text(row.unit.group),
            *[Text(_cell(s)) for s in row.standings],
            Text(_signed(row.change)),
            Text(_signed(row.moved)),
        )
    console.print(table)
    if found.items:
        items = Table(title=Text(t("trend.items_title", unit=found.units[0].unit.name)))
        items.add_column(Text(t("trend.col.code")))
        items.add_column(Text(t("trend.col.item")))
        for round_ in found.rounds:
            items.add_column(Text(round_.name), justify="right")
        for item in found.items:
            items.add_row(
                Text(item.code),
                Text(item.name),
                *[Text(fmt(s) if s is not None else t("trend.absent")) for s in item.scores],
            )
        console.print(items)
