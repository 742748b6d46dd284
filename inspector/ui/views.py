"""Rich views of results: the round status table and a unit's score card."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from inspector.core.assessment import Kind
from inspector.core.indicators.model import IndicatorSet, localized
from inspector.core.scoring import UnitResult, fmt, problem_text
from inspector.i18n import get_language, t
from inspector.store.overview import RoundOverview, UnitStatus


def grade_text(result: UnitResult | None, indicators: IndicatorSet) -> str:
    if result is None:
        return "—"
    grade = indicators.grade(result.grade)
    name = str(localized(grade, "name", get_language())) if grade else result.grade
    return name + (t("view.vetoed") if result.veto else "")


def state_text(status: UnitStatus) -> str:
    result = status.inspection
    if status.stored.confirmed:
        return t("view.state.confirmed")
    if result.complete:
        return t("view.state.complete")
    if result.answered:
        return t("view.state.scoring")
    return t("view.state.not_started")


def status_tables(overview: RoundOverview) -> Group:
    """The round at a glance: one table per unit group, ranked (groups are ranked apart)."""
    indicators = overview.indicators
    lang = get_language()
    parts: list[Table | Text] = [Text(overview.round.name, "bold")]
    for code, members in overview.groups():
        group = indicators.group(code)
        group_name = str(localized(group, "name", lang)) if group else code
        table = Table(
            title=Text(t("view.group_title", group=group_name, count=len(members))),
            title_justify="left",
        )
        table.add_column(t("view.col.rank"), justify="right", no_wrap=True)
        table.add_column(t("view.col.unit"), overflow="fold", min_width=8)
        table.add_column(t("view.col.progress"), justify="right", no_wrap=True)
        table.add_column(t("view.col.total"), justify="right", no_wrap=True)
        table.add_column(t("view.col.grade"), no_wrap=True)
        table.add_column(t("view.col.self"), justify="right", no_wrap=True)
        table.add_column(t("view.col.gap"), justify="right", no_wrap=True)
        table.add_column(t("view.col.state"), no_wrap=True)
        for status in members:
            result = status.inspection
            gap = status.gap
            flagged = gap is not None and abs(gap) >= indicators.self_gap_flag
            table.add_row(
                str(status.rank) if status.rank else "—",
                Text(status.unit.name),
                f"{result.answered}/{result.to_answer}",
                fmt(result.total) if result.answered else "—",
                Text(grade_text(result, indicators) if result.complete else "—"),
                fmt(status.self_result.total) if status.self_result else "—",
                Text((fmt(gap) if gap is not None else "—") + (" ⚑" if flagged else "")),
                Text(state_text(status)),
            )
        parts.append(table)
    return Group(*parts)


def score_card(status: UnitStatus, kind: Kind, indicators: IndicatorSet, round_name: str) -> Group:
    """A unit's result: items per category with deductions and problems, then the totals."""
    lang = get_language()
    result = status.result(kind)
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
                grade=grade_text(result, indicators),
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


def print_card(console: Console, status: UnitStatus, kind: Kind, overview: RoundOverview) -> None:
    console.print(score_card(status, kind, overview.indicators, overview.round.name))
