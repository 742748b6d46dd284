"""The draft 通报: what it says, as plain values (``Notice``), built from the same figures as
page 1 of the leadership workbook (``reports.summary``). ``notice_docx`` lays it out.

It is a draft: the office edits it in WPS before issuing, and the document says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspector.core.scoring import fmt
from inspector.reports.data import (
    RankedGroups,
    ReportContext,
    RoundSource,
    UnitSummary,
    WeakTally,
    parse_day,
    rank_summaries,
)
from inspector.reports.ledger import LedgerSource
from inspector.reports.summary import Overview, overview, paragraphs, pct
from inspector.reports.trend import figures, previous_round
from inspector.store.ledger import carried_rectified


@dataclass(frozen=True)
class Table:
    """A table of the notice: a caption, the header and the rows, all text."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths


@dataclass(frozen=True)
class Block:
    """One block of the body: a heading ("h1" 一、, "h2" （一）), a paragraph ("p"), or a
    table."""

    kind: str
    text: str = ""
    table: Table | None = None


@dataclass(frozen=True)
class Notice:
    draft: str  # the line that says it is a draft
    title: str
    recipients: str
    body: tuple[Block, ...]
    attachments: tuple[str, ...]  # 附件：1. …
    attachments_label: str
    issuer: str
    date: str
    core_properties_title: str


@dataclass(frozen=True)
class RoundFacts:
    """The round read once: its units ranked, the weakest items, the overview."""

    groups: RankedGroups
    view: Overview


def read_round(ctx: ReportContext, source: RoundSource) -> RoundFacts:
    """Every unit scored once (no workbook written), ranked, and the overview of page 1."""
    tally = WeakTally(ctx)
    summaries = []
    order = ctx.ledger_order(source.units)
    for status in source.statuses(order):
        tally.add(status)
        summaries.append(ctx.summarise(status))
    ranked = rank_summaries(summaries, source.ranks())
    groups = ctx.ranked_groups(ranked)
    ledger = LedgerSource(source.ws, ctx, order)
    previous = previous_round(source.ws, ctx.round)
    before = figures(source.ws, previous) if previous is not None else None
    carried = (
        carried_rectified(source.ws.conn, previous.id, ctx.round.id)
        if previous is not None
        else None
    )
    view = overview(ctx, groups, tally.weakest(), ledger.counts(), before, carried)
    return RoundFacts(groups, view)


def ranking_table(ctx: ReportContext, code: str, members: Sequence[UnitSummary]) -> Table:
    t = ctx.t
    rows = []
    for s in members:
        result = s.inspection
        if result.complete:
            rank = str(s.rank) if s.rank is not None else "—"
            grade = ctx.grade_label(result)
            note = "；".join(ctx.veto_texts(result))
        else:
            rank, grade = "—", "—"
            note = ctx.state_note(s) or ""
        rows.append((rank, s.unit.name, fmt(result.total), grade, note))
    return Table(
        t("notice.table.caption", group=ctx.group_name(code)),
        (
            t("report.col.rank"),
            t("report.col.unit"),
            t("report.col.total"),
            t("report.col.grade"),
            t("report.col.remark"),
        ),
        tuple(rows),
        (1.0, 3.0, 1.4, 1.8, 4.0),
    )


def deadline_text(ctx: ReportContext) -> str:
    day = parse_day(ctx.round.deadline)
    if day is not None:
        return ctx.date_text(day)
    return ctx.t("notice.deadline_days", days=ctx.indicators.rectify_days)


def build_notice(ctx: ReportContext, facts: RoundFacts) -> Notice:
    """The draft 通报 of the round."""
    t = ctx.t
    ind = ctx.indicators
    view = facts.view
    body: list[Block] = [
        Block(
            "p",
            t(
                "notice.opening",
                set=ctx.text(ind, "title"),
                issuer=ctx.text(ind, "issuer"),
                round=ctx.round.name,
            ),
        ),
        Block("h1", t("notice.h1.overall")),
    ]
    for heading, text in paragraphs(ctx, view, "notice.numbered"):
        body.append(Block("h2", heading))
        body.append(Block("p", text))
    body.append(Block("h1", t("notice.h1.ranking")))
    body.append(Block("p", t("notice.ranking_intro")))
    for code, members in facts.groups:
        body.append(Block("table", table=ranking_table(ctx, code, members)))
    body.append(Block("h1", t("notice.h1.problems")))
    numerals = t("leaders.numerals").split(",")
    for index, weak in enumerate(view.weak):
        body.append(
            Block(
                "h2",
                t(
                    "notice.numbered",
                    n=numerals[index % len(numerals)],
                    text=t(
                        "notice.problem_head", code=weak.item.code, item=ctx.item_name(weak.item)
                    ),
                ),
            )
        )
        body.append(
            Block(
                "p",
                t(
                    "notice.problem_text",
                    rate=pct(weak.rate) if weak.rate is not None else "—",
                    losing=weak.losing,
                    causes=ctx.cause_text(weak) or t("notice.no_causes"),
                ),
            )
        )
    body.append(Block("h1", t("notice.h1.requirements")))
    sheets = (
        t("report.sheet.summary"),
        t("report.sheet.problems"),
        t("report.sheet.weak"),
    )
    for key in ("notice.req.rectify", "notice.req.explain", "notice.req.next_year"):
        body.append(Block("p", t(key, deadline=deadline_text(ctx), ledger=sheets[1])))
    return Notice(
        t("notice.draft"),
        t("notice.title", title=ctx.report_title, round=ctx.round.name),
        t(
            "notice.recipients",
            groups=t("leaders.list_sep").join(ctx.group_name(g.code) for g in ind.groups),
        ),
        tuple(body),
        tuple(t("notice.attachment", title=ctx.report_title, sheet=sheet) for sheet in sheets),
        t("notice.attachments"),
        ctx.text(ind, "issuer"),
        ctx.date_text(ctx.today),
        t("notice.title", title=ctx.report_title, round=ctx.round.name),
    )
