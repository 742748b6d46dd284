"""Rich views of results: the round status table and a unit's score card."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from inspector.decimals import fmt
from inspector.i18n import get_language, t

if TYPE_CHECKING:
    from inspector.app.team import RoundTeams
    from inspector.app.types import (
        Kind,
        LedgerCounts,
        RoundFacts,
        RoundStatus,
        UnitRow,
        UnitView,
    )
    from inspector.core.indicators.model import IndicatorSet
    from inspector.core.scoring import UnitResult


WIDE = 100  # columns a status table with the ledger's figures needs with padded cells


def grade_text(grade: str, grade_by: str | None, facts: RoundFacts) -> str:
    """The grade's name, marked where a veto or an aggravated entry set it apart from the
    band of the score (a veto that changed nothing is not mentioned)."""
    mark = {"veto": "view.vetoed", "aggravated": "format.grade.capped"}.get(grade_by or "")
    return facts.grade_name(grade, get_language()) + (t(mark) if mark else "")


def state_text(row: UnitRow) -> str:
    result = row.inspection
    if row.confirmed:
        return t("view.state.confirmed")
    if result.complete:
        return t("view.state.complete")
    if result.answered:
        return t("view.state.scoring")
    return t("view.state.not_started")


def status_tables(
    status: RoundStatus,
    ledger: Mapping[int, LedgerCounts] | None = None,
    width: int = 80,
    teams: RoundTeams | None = None,
) -> Group:
    """The round at a glance: one table per unit group, ranked (groups are ranked apart);
    with ``ledger``, each unit's problems, how many are closed (销号) and overdue. In a
    terminal narrower than ``WIDE`` the cells lose their padding, so that every column
    and the unit's whole name still fit in 80 columns."""
    facts = status.facts
    lang = get_language()
    parts: list[Table | Text] = [Text(status.round.name, "bold")]
    for code, members in status.groups():
        table = Table(
            title=Text(
                t("view.group_title", group=facts.group_name(code, lang), count=len(members))
            ),
            title_justify="left",
            padding=(0, 1) if ledger is None or width >= WIDE else (0, 0),
        )
        table.add_column(t("view.col.rank"), justify="right", no_wrap=True)
        table.add_column(t("view.col.unit"), overflow="fold", min_width=8)
        table.add_column(t("view.col.progress"), justify="right", no_wrap=True)
        table.add_column(t("view.col.total"), justify="right", no_wrap=True)
        table.add_column(t("view.col.grade"), no_wrap=True)
        table.add_column(t("view.col.self"), justify="right", no_wrap=True)
        table.add_column(t("view.col.gap"), justify="right", no_wrap=True)
        table.add_column(t("view.col.state"), no_wrap=True)
        if ledger is not None:
            table.add_column(t("view.col.problems"), justify="right", no_wrap=True)
            table.add_column(t("view.col.closed"), justify="right", no_wrap=True)
            table.add_column(t("view.col.overdue"), justify="right", no_wrap=True)
        for row in members:
            result = row.inspection
            gap = row.gap
            flagged = gap is not None and abs(gap) >= facts.self_gap_flag
            grade = grade_text(result.grade, result.grade_by, facts)
            cells: list[str | Text] = [
                str(row.rank) if row.rank else "—",
                unit_cell(row.unit.id, row.unit.name, teams),
                f"{result.answered}/{result.to_answer}",
                fmt(result.total) if result.answered else "—",
                Text(grade if result.complete else "—"),
                fmt(row.self_summary.total) if row.self_summary else "—",
                Text((fmt(gap) if gap is not None else "—") + (" ⚑" if flagged else "")),
                Text(state_text(row)),
            ]
            if ledger is not None:
                counts = ledger.get(row.unit.id)
                cells += [
                    str(counts.problems) if counts else "0",
                    str(counts.closed) if counts else "0",
                    Text(str(counts.overdue), "bold") if counts and counts.overdue else "0",
                ]
            table.add_row(*cells)
        parts.append(table)
    return Group(*parts)


def unit_cell(unit_id: int, name: str, teams: RoundTeams | None) -> Text:
    """A unit in the status table; under its name its teams, its items marked 待核实 and its
    open merge conflicts (issue 10), each on a line of its own."""
    cell = Text(name)
    if teams is None:
        return cell
    assigned = teams.teams.get(unit_id)
    if assigned:
        cell.append("\n" + "、".join(assigned), "dim")
    marked = teams.marked.get(unit_id)
    if marked:
        cell.append("\n" + t("team.status.marked", items="、".join(marked)), "yellow")
    open_ = teams.conflicts.get(unit_id)
    if open_:
        cell.append("\n" + t("team.status.conflicts", count=len(open_)), "bold")
    return cell


def score_card(view: UnitView, kind: Kind) -> Group:
    """A unit's result: items per category with deductions and problems, then the totals."""
    from inspector.core.indicators.model import localized
    from inspector.core.scoring import problem_text

    lang = get_language()
    status = view.status
    indicators: IndicatorSet = view.round.indicators
    round_name = view.round.name
    result: UnitResult | None = status.result(kind)
    unit = status.unit
    header = Text(
        t(
            "view.card.title",
            unit=unit.name,
            group=unit.group,
            round=round_name,
            kind=t(f"kind.{kind}"),
        ),
        "bold",
    )
    if result is None:
        return Group(header, Text(t("view.card.none")))
    table = Table(expand=False, show_lines=False)
    table.add_column(t("view.col.code"), no_wrap=True)
    table.add_column(t("view.col.item"), overflow="fold")
    table.add_column(t("view.col.max"), justify="right", no_wrap=True)
    table.add_column(t("view.col.score"), justify="right", no_wrap=True)
    table.add_column(t("view.col.problem"), overflow="fold")
    for category, cat_result in zip(indicators.categories, result.categories, strict=True):
        table.add_row(
            Text(category.code, "bold"),
            Text(str(localized(category, "name", lang)), "bold"),
            fmt(cat_result.max),
            Text(fmt(cat_result.score), "bold"),
            "",
        )
        for item in category.items:
            r = result.item(item.code)
            if r is None:
                continue
            if not r.applies:
                score, problem = t("view.na_rule"), ""
            elif r.na:
                score = t("view.na")
                problem = r.answer.na_reason if r.answer and r.answer.na_reason else ""
            elif not r.answered:
                score, problem = t("view.unscored"), ""
            else:
                score = fmt(r.score)
                problem = problem_text(item, r, lang) or ""
            table.add_row(
                Text(item.code),
                Text(str(localized(item, "name", lang))),
                fmt(item.points),
                Text(score),
                Text(problem),
            )
    lines = [
        header,
        table,
        Text(
            t(
                "view.card.totals",
                base=fmt(result.base),
                aggravated=fmt(result.aggravated),
                bonus=fmt(result.bonus),
                total=fmt(result.total),
                grade=grade_text(result.grade, result.grade_by, view.facts),
            ),
            "bold",
        ),
    ]
    if kind == "inspection":
        lines.append(
            Text(
                t(
                    "view.card.rank",
                    rank=status.rank if status.rank else "—",
                    progress=f"{result.answered}/{result.to_answer}",
                )
            )
        )
    for code in result.veto:
        veto = next(v for v in indicators.veto if v.code == code)
        lines.append(Text(t("view.card.veto", code=code, text=localized(veto, "text", lang))))
    if not result.complete:
        lines.append(Text(t("view.card.incomplete"), "italic"))
    return Group(*lines)


def print_card(console: Console, view: UnitView, kind: Kind) -> None:
    console.print(score_card(view, kind))


def scorers_line(versions: Mapping[str, object]) -> Text | None:
    """Who scored the unit (issue 10): each inspector with how many items; where more than
    one did, the items of all but the main one are named. With the items marked 待核实."""
    items = versions.get("items")
    if not isinstance(items, dict) or not items:
        return None
    by: dict[str, list[str]] = {}
    for code, entry in items.items():
        by.setdefault(str(entry["scored_by"]), []).append(code)
    order = sorted(by, key=lambda name: (-len(by[name]), name))
    parts = []
    for n, name in enumerate(order):
        codes = by[name]
        if n == 0:
            parts.append(t("team.show.scorer", who=name, count=len(codes)))
        else:
            parts.append(t("team.show.scorer_items", who=name, items="、".join(codes)))
    line = Text(t("team.show.scorers", scorers="；".join(parts)))
    review = versions.get("review")
    if isinstance(review, dict) and review:
        line.append("\n" + t("team.status.marked", items="、".join(review)), "yellow")
    return line
