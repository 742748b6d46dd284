"""The leadership workbook of a round: cover, ranking, charts, category matrix, problem
ledger, common weaknesses, self vs inspection, score detail and the indicator set."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from inspector.core.forms import form_of
from inspector.core.indicators.model import Adjustment, Item, localized
from inspector.core.scoring import ItemResult, fmt, round2
from inspector.reports import charts
from inspector.reports.book import Book, Column, Sheet, fit_width
from inspector.reports.data import ReportContext, gap, parse_day
from inspector.store.overview import UnitStatus

DASH = "—"
DEADLINE_WIDTH = 16  # 2026年12月20日 on one line: a date too wide for its cell shows ###
# colour scale of the category matrix: light tones that print as light greys in black and
# white, so the figure on top stays legible; the figure is always there
HEAT_LOW, HEAT_MID, HEAT_HIGH = "F8CBAD", "FFEB9C", "C6EFCE"


@dataclass
class Layout:
    """Where the ranked units of each group ended up on the summary sheet (for the charts)."""

    summary: Sheet | None = None
    unit_col: int = 2
    total_col: int = 0
    blocks: list[tuple[str, int, int]] = field(default_factory=list)  # (group, first, last)


def dash(value: object) -> object:
    return DASH if value is None else value


def unit_width(ctx: ReportContext) -> float:
    return fit_width([s.unit.name for s in ctx.overview.units], 12, 26)


def group_width(ctx: ReportContext) -> float:
    return fit_width([ctx.group_name(g.code) for g in ctx.indicators.groups], 8, 18)


def category_width(ctx: ReportContext) -> float:
    return fit_width([ctx.text(c, "name") for c in ctx.indicators.categories], 10, 22)


def write_leadership(ctx: ReportContext, book: Book) -> None:
    """All sheets, in the order leadership reads them (sheets stream in the order written)."""
    layout = Layout()
    cover_sheet(ctx, book)
    summary_sheet(ctx, book, layout)
    charts.charts_sheet(ctx, book, layout)
    matrix_sheet(ctx, book)
    problems_sheet(ctx, book)
    weak_sheet(ctx, book)
    self_sheet(ctx, book)
    detail_sheet(ctx, book)
    indicators_sheet(ctx, book)


# --- 封面/说明 -------------------------------------------------------------------------------


def cover_sheet(ctx: ReportContext, book: Book) -> None:
    t = ctx.t
    ind = ctx.indicators
    grades = sorted(ind.grades, key=lambda g: g.min, reverse=True)
    columns = [Column("", 20), Column("", 10), Column("", 10), Column("", 10)]
    columns += [Column("", 9) for _ in grades] + [Column("", 13)]
    sheet = book.sheet(t("report.sheet.cover"), columns, landscape=False, header_rows=0)
    sheet.title(t("report.cover.title"), ctx.overview.round.name)
    sheet.blank()
    round_ = ctx.overview.round
    sheet.label_row(t("report.cover.round"), round_.name)
    sheet.label_row(
        t("report.cover.set"),
        t("report.cover.set_value", title=ctx.text(ind, "title"), version=ind.version),
    )
    sheet.label_row(t("report.cover.issuer"), ctx.text(ind, "issuer"))
    sheet.label_row(t("report.cover.hash"), round_.set_hash)
    deadline = parse_day(round_.deadline)
    sheet.label_row(
        t("report.cover.deadline"),
        ctx.date_text(deadline)
        if deadline is not None
        else (round_.deadline or t("report.cover.deadline_per_item", days=ind.rectify_days)),
    )
    sheet.label_row(t("report.cover.date"), ctx.date_text(ctx.today))
    sheet.blank()

    sheet.merged(t("report.cover.progress"), "section")
    sheet.headings(
        [
            t("report.col.group"),
            t("report.col.units"),
            t("report.col.complete"),
            t("report.col.incomplete"),
            *[ctx.grade_name(g.name) for g in grades],
            t("report.col.vetoed"),
        ]
    )
    totals = [0] * (3 + len(grades) + 1)
    for code, members in ctx.groups():
        complete = [s for s in members if s.inspection.complete]
        counts = [len(members), len(complete), len(members) - len(complete)]
        counts += [sum(1 for s in complete if s.inspection.grade == g.name) for g in grades]
        counts.append(sum(1 for s in complete if s.inspection.veto))
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        sheet.append([(ctx.group_name(code), "text"), *[(n, "num") for n in counts]])
    sheet.append([(t("report.total_row"), "text_bold"), *[(n, "num_bold") for n in totals]])
    sheet.blank()

    sheet.merged(t("report.cover.guide"), "section")
    for index, line in enumerate(guide_lines(ctx), start=1):
        sheet.merged(t("report.cover.guide_line", n=index, text=line), "note")


def guide_lines(ctx: ReportContext) -> list[str]:
    t = ctx.t
    ind = ctx.indicators
    return [
        t(
            "report.guide.scope",
            total=fmt(ind.total),
            categories=len(ind.categories),
            items=sum(len(c.items) for c in ind.categories),
        ),
        t("report.guide.applicable", total=fmt(ind.total)),
        t("report.guide.adjustments", cap=fmt(ind.cap)),
        t("report.guide.ranking"),
        t("report.guide.summary", sheet=t("report.sheet.summary")),
        t("report.guide.matrix", sheet=t("report.sheet.matrix")),
        t("report.guide.problems", sheet=t("report.sheet.problems")),
        t("report.guide.weak", sheet=t("report.sheet.weak")),
        t("report.guide.self", sheet=t("report.sheet.selfcmp"), threshold=fmt(ctx.threshold)),
        t(
            "report.guide.detail",
            sheet=t("report.sheet.detail"),
            indicators=t("report.sheet.indicators"),
        ),
    ]


# --- 汇总排名 -------------------------------------------------------------------------------


def summary_sheet(ctx: ReportContext, book: Book, layout: Layout) -> None:
    t = ctx.t
    ind = ctx.indicators
    columns = [
        Column(t("report.col.rank"), 6, "num"),
        Column(t("report.col.unit"), unit_width(ctx), key=True),
    ]
    columns += [Column(ctx.category_header(c), 10, "num") for c in ind.categories]
    columns += [
        Column(t("report.col.base"), 9, "num"),
        Column(t("report.col.aggravated"), 8, "num"),
        Column(t("report.col.bonus"), 7, "num"),
        Column(t("report.col.veto"), 7, "center"),
        Column(t("report.col.total"), 8, "num_bold"),
        Column(t("report.col.grade"), 13, "center"),
        Column(t("report.col.self_total"), 8, "num"),
        Column(t("report.col.gap"), 9, "num"),
        Column(t("report.col.remark"), 28, "text"),
    ]
    sheet = book.sheet(t("report.sheet.summary"), columns, landscape=True, freeze_cols=2)
    sheet.title(
        t("report.summary.title"),
        t("report.subtitle", round=ctx.overview.round.name, date=ctx.date_text(ctx.today)),
    )
    sheet.headings()
    layout.summary = sheet
    layout.total_col = 2 + len(ind.categories) + 5
    for code, members in ctx.groups():
        complete = sum(1 for s in members if s.inspection.complete)
        sheet.merged(
            t(
                "report.group_heading",
                group=ctx.group_name(code),
                units=len(members),
                complete=complete,
            ),
            "section",
        )
        first = sheet.row_index + 1
        last_ranked = first - 1
        for status in members:
            row = sheet.row(*summary_values(ctx, status))
            if status.rank is not None:
                last_ranked = row
        if last_ranked >= first:
            layout.blocks.append((code, first, last_ranked))


def summary_values(ctx: ReportContext, status: UnitStatus) -> tuple[list[object], dict[int, str]]:
    result = status.inspection
    started = result.answered > 0
    n = len(ctx.indicators.categories)
    values: list[object] = [dash(status.rank), status.unit.name]
    if started:
        values += [c.score for c in result.categories]
        values += [result.base, result.aggravated, result.bonus]
    else:
        values += [DASH] * (n + 3)
    values.append(" ".join(result.veto) if result.veto else DASH)
    values.append(result.total if started else DASH)
    grade = ctx.grade_label(result) if result.complete else DASH
    values.append(grade)
    self_total = (
        status.self_result.total if status.self_result and status.self_result.complete else None
    )
    values += [dash(self_total), dash(status.gap), ctx.remarks(status)]
    styles: dict[int, str] = {}
    grade_index = 2 + n + 5
    if result.complete and (result.veto or result.grade == ctx.failing_grade):
        styles[grade_index] = "center_bold"
    if ctx.flagged(status.gap):
        styles[grade_index + 2] = "num_bold"
        styles[grade_index + 3] = "text_bold"
    return values, styles


# --- 分类得分 -------------------------------------------------------------------------------


def matrix_sheet(ctx: ReportContext, book: Book) -> None:
    t = ctx.t
    ind = ctx.indicators
    columns = [
        Column(t("report.col.group"), group_width(ctx), "center", key=True),
        Column(t("report.col.unit"), unit_width(ctx), key=True),
    ]
    columns += [Column(ctx.category_header(c), 11, "pct") for c in ind.categories]
    columns += [
        Column(t("report.col.total"), 8, "num_bold"),
        Column(t("report.col.grade"), 13, "center"),
        Column(t("report.col.remark"), 22, "text"),
    ]
    sheet = book.sheet(t("report.sheet.matrix"), columns, landscape=True, freeze_cols=2)
    sheet.title(
        t("report.matrix.title"),
        t("report.matrix.subtitle", round=ctx.overview.round.name),
    )
    sheet.headings()
    first = sheet.row_index + 1
    n = len(ind.categories)
    for code, members in ctx.groups():
        for status in members:
            result = status.inspection
            started = result.answered > 0
            rates: list[object] = [dash(c.rate) if started else DASH for c in result.categories]
            values = [ctx.group_name(code), status.unit.name, *rates]
            values += [
                result.total if started else DASH,
                ctx.grade_label(result) if result.complete else DASH,
                ctx.state_note(status) or "",
            ]
            styles = {}
            if result.complete and (result.veto or result.grade == ctx.failing_grade):
                styles[2 + n + 1] = "center_bold"
            sheet.row(values, styles)
    last = sheet.row_index
    if last >= first and n:
        ref = f"C{first}:{get_column_letter(2 + n)}{last}"
        sheet.ws.conditional_formatting.add(
            ref,
            ColorScaleRule(
                start_type="min",
                start_color=HEAT_LOW,
                mid_type="percentile",
                mid_value=50,
                mid_color=HEAT_MID,
                end_type="max",
                end_color=HEAT_HIGH,
            ),
        )
    # averages over complete units, per group and for all
    for code, members in [*ctx.groups(), ("", None)]:
        averages = ctx.category_averages(members)
        label = (
            t("report.average_group", group=ctx.group_name(code))
            if code
            else t("report.average_all")
        )
        totals = [
            s.inspection.total for s in (members or ctx.ordered_units()) if s.inspection.complete
        ]
        mean_total = sum(totals, Decimal(0)) / len(totals) if totals else None
        values = [
            label,
            "",
            *[dash(a) for a in averages],
            dash(_round2(mean_total)),
            "",
            t("report.average_note"),
        ]
        styles = {i: "pct_bold" for i in range(2, 2 + n)}
        styles[0] = "text_bold"
        height = sheet.height_for(label, columns[0].width + columns[1].width)
        row = sheet.row(values, styles, height)
        sheet.merge(f"A{row}:B{row}")


def _round2(value: Decimal | None) -> Decimal | None:
    return round2(value) if value is not None else None


# --- 问题清单 -------------------------------------------------------------------------------


def problems_sheet(ctx: ReportContext, book: Book) -> None:
    t = ctx.t
    columns = [
        Column(t("report.col.no"), 6, "num"),
        Column(t("report.col.unit"), unit_width(ctx), key=True),
        Column(t("report.col.code"), 7, "center", key=True),
        Column(t("report.col.item"), 14, key=True),
        Column(t("report.col.deduction"), 26),
        Column(t("report.col.lost"), 6, "num"),
        Column(t("report.col.problem"), 28),
        Column(t("report.col.rectify"), 26),
        Column(t("report.col.deadline"), DEADLINE_WIDTH, "date"),
        Column(t("report.col.status"), 8, "center"),
        Column(t("report.col.basis"), 30),
    ]
    sheet = book.sheet(t("report.sheet.problems"), columns, landscape=True, freeze_cols=2)
    sheet.title(
        t("report.problems.title"),
        t("report.subtitle", round=ctx.overview.round.name, date=ctx.date_text(ctx.today)),
    )
    sheet.headings()
    number = 0
    for status in problem_units(ctx):
        for p in ctx.problems(status):
            number += 1
            deadline_style = "date" if hasattr(p.deadline, "year") else "center"
            sheet.row(
                [
                    number,
                    p.unit,
                    p.code,
                    p.name,
                    p.deduction,
                    dash(p.lost),
                    p.problem,
                    p.rectify,
                    dash(p.deadline),
                    p.status,
                    lines(ctx, p.basis) or DASH,
                ],
                {8: deadline_style},
            )
    sheet.autofilter()


def lines(ctx: ReportContext, joined: str) -> str:
    """A list joined with the separator, one entry per line instead."""
    return joined.replace(ctx.t("problem.separator"), "\n")


def problem_units(ctx: ReportContext) -> list[UnitStatus]:
    """Units in group order, then in the order they were registered (the office's own list)."""
    position = {g.code: i for i, g in enumerate(ctx.indicators.groups)}
    return sorted(
        ctx.overview.units,
        key=lambda s: (position.get(s.unit.group, len(position)), s.unit.group, s.unit.id),
    )


# --- 共性问题 -------------------------------------------------------------------------------


def weak_sheet(ctx: ReportContext, book: Book) -> None:
    t = ctx.t
    columns = [
        Column(t("report.col.no"), 6, "num"),
        Column(t("report.col.code"), 7, "center", key=True),
        Column(t("report.col.category"), 16),
        Column(t("report.col.item"), 20),
        Column(t("report.col.points"), 7, "num"),
        Column(t("report.col.scored_units"), 9, "num"),
        Column(t("report.col.avg_rate"), 10, "pct"),
        Column(t("report.col.losing_units"), 9, "num"),
        Column(t("report.col.lost_total"), 9, "num"),
        Column(t("report.col.causes"), 48),
    ]
    sheet = book.sheet(t("report.sheet.weak"), columns, landscape=True, freeze_cols=0)
    sheet.title(t("report.weak.title"), t("report.weak.subtitle", round=ctx.overview.round.name))
    sheet.headings()
    for number, weak in enumerate(ctx.weakest_items(), start=1):
        sheet.row(
            [
                number,
                weak.item.code,
                ctx.text(weak.category, "name"),
                ctx.item_name(weak.item),
                weak.item.points,
                weak.scored,
                dash(weak.rate),
                weak.losing,
                weak.lost,
                ctx.cause_text(weak) or DASH,
            ]
        )
    sheet.autofilter()


# --- 自评对比 -------------------------------------------------------------------------------


def self_sheet(ctx: ReportContext, book: Book) -> None:
    t = ctx.t
    ind = ctx.indicators
    columns = [
        Column(t("report.col.group"), group_width(ctx), "center", key=True),
        Column(t("report.col.unit"), unit_width(ctx), key=True),
    ]
    for _ in [*ind.categories, None]:
        columns += [Column("", 7, "num"), Column("", 7, "num"), Column("", 7, "num")]
    columns.append(Column(t("report.col.flag"), 22, "text"))
    sheet = book.sheet(
        t("report.sheet.selfcmp"), columns, landscape=True, header_rows=2, freeze_cols=2
    )
    sheet.title(
        t("report.self.title"),
        t("report.self.subtitle", round=ctx.overview.round.name, threshold=fmt(ctx.threshold)),
    )
    top: list[str] = [t("report.col.group"), t("report.col.unit")]
    sub: list[str] = ["", ""]
    for category in [*ind.categories, None]:
        top += [ctx.category_header(category) if category else t("report.col.total"), "", ""]
        sub += [t("report.col.self"), t("report.col.inspection"), t("report.col.gap_short")]
    top.append(t("report.col.flag"))
    sub.append("")
    height = max(sheet.height_for(text, 21) for text in top)
    first_row = sheet.append([(label, "heading") for label in top], height)
    sheet.headings(sub)
    sheet.merge(f"A{first_row}:A{first_row + 1}")
    sheet.merge(f"B{first_row}:B{first_row + 1}")
    last = len(columns)
    sheet.merge(f"{get_column_letter(last)}{first_row}:{get_column_letter(last)}{first_row + 1}")
    for index in range(len(ind.categories) + 1):
        col = 3 + index * 3
        sheet.merge(f"{get_column_letter(col)}{first_row}:{get_column_letter(col + 2)}{first_row}")
    for code, members in ctx.groups():
        for status in members:
            values, styles = self_values(ctx, status)
            sheet.row([ctx.group_name(code), status.unit.name, *values], styles)
    sheet.autofilter()


def self_values(ctx: ReportContext, status: UnitStatus) -> tuple[list[object], dict[int, str]]:
    """Per category and in total: self, inspection, gap; then the flag text."""
    own = status.self_result
    result = status.inspection
    own_ok = own is not None and own.complete
    insp_ok = result.complete
    values: list[object] = []
    styles: dict[int, str] = {}
    flagged_categories = []
    for index, category in enumerate(ctx.indicators.categories):
        mine = own.categories[index].score if own is not None else None
        theirs = result.categories[index].score if result.answered else None
        diff = gap(mine, theirs) if own_ok and insp_ok else None
        values += [dash(mine), dash(theirs), dash(diff)]
        if ctx.flagged(diff):
            styles[2 + index * 3 + 2] = "num_bold"
            flagged_categories.append(ctx.text(category, "name"))
    mine_total = own.total if own is not None else None
    theirs_total = result.total if result.answered else None
    values += [dash(mine_total), dash(theirs_total), dash(status.gap)]
    notes = []
    if ctx.flagged(status.gap):
        notes.append(ctx.t("report.flag.self_gap"))
        styles[2 + len(ctx.indicators.categories) * 3 + 2] = "num_bold"
    if flagged_categories:
        notes.append(ctx.t("report.flag.categories", names="、".join(flagged_categories)))
    for note in (ctx.self_note(status), ctx.state_note(status)):
        if note:
            notes.append(note)
    values.append(ctx.t("problem.separator").join(notes))
    if ctx.flagged(status.gap):
        styles[2 + len(ctx.indicators.categories) * 3 + 3] = "text_bold"
    return values, styles


# --- 评分明细 -------------------------------------------------------------------------------


def detail_columns(ctx: ReportContext, with_unit: bool) -> list[Column]:
    t = ctx.t
    columns = []
    if with_unit:
        columns.append(Column(t("report.col.unit"), unit_width(ctx), key=True))
    columns += [
        Column(t("report.col.category"), category_width(ctx), key=True),
        Column(t("report.col.code"), 7, "center", key=True),
        Column(t("report.col.item"), 22, key=True),
        Column(t("report.col.points"), 6, "num"),
        Column(t("report.col.self_score"), 7, "num"),
        Column(t("report.col.inspection_score"), 7, "num"),
        Column(t("report.col.lost"), 6, "num"),
        Column(t("report.col.deduction"), 30),
        Column(t("report.col.problem"), 30),
        Column(t("report.col.note"), 16),
    ]
    return columns


def score_cell(ctx: ReportContext, r: ItemResult) -> object:
    if r.na:
        return ctx.t("report.na")
    if not r.answered:
        return ctx.t("report.unscored")
    return r.score


def detail_values(
    ctx: ReportContext, status: UnitStatus, item: Item, category_name: str
) -> list[object]:
    result = status.inspection
    r = result.item(item.code)
    assert r is not None
    own = status.self_result.item(item.code) if status.self_result is not None else None
    answer = r.answer
    note_parts = [text for text in (answer.note, answer.evidence) if text] if answer else []
    return [
        category_name,
        item.code,
        ctx.item_name(item),
        item.points,
        score_cell(ctx, own) if own is not None else DASH,
        score_cell(ctx, r),
        r.lost if r.score is not None else DASH,
        ctx.deduction_text(item, r),
        ctx.problem(item, r),
        ctx.t("problem.separator").join(note_parts),
    ]


def detail_sheet(ctx: ReportContext, book: Book) -> None:
    t = ctx.t
    sheet = book.sheet(
        t("report.sheet.detail"), detail_columns(ctx, with_unit=True), landscape=True, freeze_cols=1
    )
    sheet.title(
        t("report.detail.title"),
        t("report.subtitle", round=ctx.overview.round.name, date=ctx.date_text(ctx.today)),
    )
    sheet.headings()
    names = {c.code: ctx.text(c, "name") for c in ctx.indicators.categories}
    items = list(ctx.indicators.items())
    for status in ctx.ordered_units():
        for category, item in items:
            sheet.row([status.unit.name, *detail_values(ctx, status, item, names[category.code])])
    sheet.autofilter()


# --- 指标体系 -------------------------------------------------------------------------------


def rules_text(ctx: ReportContext, item: Item) -> str:
    return "\n".join(form_of(item).standard(item, ctx.lang))


def scope_text(ctx: ReportContext, item: Item) -> str:
    parts = []
    if item.applies_to is not None:
        if item.applies_to.groups:
            parts.append("、".join(ctx.group_name(g) for g in item.applies_to.groups))
        if item.applies_to.tags:
            tags = {tag.code: ctx.text(tag, "name") for tag in ctx.indicators.tags}
            parts.append("、".join(tags.get(code, code) for code in item.applies_to.tags))
    text = ctx.t("problem.separator").join(parts) or ctx.t("report.scope.all")
    if item.na_allowed:
        text += ctx.t("report.scope.na_allowed")
    return text


def indicators_sheet(ctx: ReportContext, book: Book) -> None:
    t = ctx.t
    ind = ctx.indicators
    columns = [
        Column(t("report.col.code"), 7, "center", key=True),
        Column(t("report.col.category"), 12),
        Column(t("report.col.item"), 14),
        Column(t("report.col.points"), 6, "num"),
        Column(t("report.col.requirement"), 36),
        Column(t("report.col.rules"), 40),
        Column(t("report.col.methods"), 10),
        Column(t("report.col.evidence"), 24),
        Column(t("report.col.basis"), 28),
        Column(t("report.col.scope"), 10),
    ]
    sheet = book.sheet(t("report.sheet.indicators"), columns, landscape=True, freeze_cols=0)
    sheet.title(
        t("report.cover.set_value", title=ctx.text(ind, "title"), version=ind.version),
        t(
            "report.indicators.subtitle",
            hash=ctx.overview.round.set_hash[:12],
            total=fmt(ind.total),
        ),
    )
    sheet.headings()
    for category in ind.categories:
        sheet.merged(ctx.category_header(category), "section")
        for item in category.items:
            methods = localized_list(ctx, item, "methods")
            evidence = localized_list(ctx, item, "evidence")
            sheet.row(
                [
                    item.code,
                    ctx.text(category, "name"),
                    ctx.item_name(item),
                    item.points,
                    ctx.text(item, "requirement"),
                    rules_text(ctx, item),
                    "、".join(methods),
                    "\n".join(evidence),
                    lines(ctx, ctx.basis_text(item)),
                    scope_text(ctx, item),
                ]
            )
    if ind.veto:
        sheet.merged(t("report.indicators.veto"), "section")
        for veto in ind.veto:
            sheet.row(
                [
                    veto.code,
                    t("report.veto"),
                    "",
                    "",
                    ctx.text(veto, "text"),
                    t("report.veto_effect", grade=ctx.grade_name(veto.grade)),
                    "",
                    "",
                    "",
                    "",
                ]
            )
    sections = [("aggravated", t("report.indicators.aggravated"), ind.aggravated)]
    if ind.bonus is not None:
        heading = t("report.indicators.bonus", cap=fmt(ind.bonus.cap))
        sections.append(("bonus", heading, ind.bonus.items))
    for kind, heading, entries in sections:
        if not entries:
            continue
        sheet.merged(heading, "section")
        for adj in entries:
            rule = adjustment_rule(ctx, adj, f"report.rule.{kind}_per", f"report.rule.{kind}_once")
            row = [adj.code, t(f"report.{kind}"), "", adj.points, ctx.text(adj, "text"), rule]
            sheet.row([*row, "", "", "", ""])
    sheet.merged(t("report.indicators.grades"), "section")
    for grade in sorted(ind.grades, key=lambda g: g.min, reverse=True):
        band = (
            t("report.grade_band", min=fmt(grade.min), below=fmt(grade.below))
            if grade.below is not None
            else t("report.grade_band_open", min=fmt(grade.min))
        )
        sheet.row(
            [ctx.grade_name(grade.name), t("report.col.grade"), "", "", band, "", "", "", "", ""]
        )


def localized_list(ctx: ReportContext, item: Item, field_name: str) -> list[str]:
    found = localized(item, field_name, ctx.lang)
    return [str(v) for v in found] if isinstance(found, list) else []


def adjustment_rule(ctx: ReportContext, adj: Adjustment, per_key: str, once_key: str) -> str:
    if adj.per_occurrence:
        text = ctx.t(per_key, per=ctx.text(adj, "per"), points=fmt(adj.points))
        if adj.max is not None:
            text += ctx.t("report.rule.max_total", max=fmt(adj.max))
        return text
    return ctx.t(once_key, points=fmt(adj.points))
