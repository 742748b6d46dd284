"""The rectification ledger (整改台账) as report rows: what the workbooks print of each entry.

Rows come from the stored ledger (``inspector.store.ledger``), not from the scores, so a
problem carried over from last year, a withdrawn one and one closed after re-inspection read
the same in every report. Overdue is judged as of the report's date (``ReportContext.today``,
the date printed on it), and said in words (逾期, in bold), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inspector.core.assessment import Unit
from inspector.reports.data import ReportContext
from inspector.store import ledger as L
from inspector.store.ledger import Counts, Entry
from inspector.store.workspace import Workspace


@dataclass(frozen=True)
class LedgerRow:
    """One line of the 整改台账, complete and formatted."""

    number: str
    unit: str
    code: str
    item: str
    deduction: str
    lost: Decimal | None
    problem: str
    requirement: str
    deadline: date | str | None
    status: str
    overdue: bool
    responsible: str
    measures: str
    completed_on: date | None
    evidence: str
    recheck: str
    closed_on: date | None
    remarks: str
    basis: str


@dataclass(frozen=True)
class CompactRow:
    """One line of the leadership workbook's compact 整改台账: the fields a leader chases,
    combined into cells that print at 10 pt on A4 (the full ledger is ``LedgerRow``)."""

    number: str
    unit: str
    code: str
    item: str  # the item's code and name
    problem: str  # the problem, its legal basis as short citations
    requirement: str  # the requirement and its deadline
    status: str  # the status, then its flags (逾期, 上年遗留, 屡查屡犯, 暂定), a line each
    overdue: bool
    responsible: str
    measures: str  # the measures taken and their completion date
    recheck: str  # the re-inspection's result and note, and the closing date


def status_text(ctx: ReportContext, entry: Entry) -> str:
    if entry.failed_recheck:
        return ctx.t("ledger.status.failed")
    return ctx.t(f"ledger.status.{entry.status}")


def recheck_text(ctx: ReportContext, entry: Entry) -> str:
    if entry.recheck is None:
        return ""
    day = L.parse_day(entry.recheck_at)
    when = ctx.date_text(day) if day is not None else ""
    key = "ledger.recheck.passed" if entry.recheck == "passed" else "ledger.recheck.failed"
    text = ctx.t(key, who=entry.recheck_by or "", day=when)
    if entry.recheck_note:
        text += ctx.t("ledger.recheck.note", note=entry.recheck_note)
    return text


def remarks(ctx: ReportContext, entry: Entry) -> list[str]:
    found = []
    if entry.overdue(ctx.today):
        found.append(ctx.t("ledger.flag.overdue"))
    if entry.carried_from is not None:
        found.append(ctx.t("ledger.flag.carried_from", round=entry.carried_round or ""))
    if entry.repeat_of is not None:
        found.append(ctx.t("ledger.flag.repeat_of", number=entry.repeat_number or ""))
    if entry.provisional and entry.active:
        found.append(ctx.t("ledger.flag.provisional"))
    return found


def evidence_text(ctx: ReportContext, entry: Entry) -> str:
    sep = ctx.t("rx.evidence.sep")
    return "\n".join(
        e.file + (sep + e.description if e.description else "") for e in entry.evidence
    )


def row_of(ctx: ReportContext, entry: Entry) -> LedgerRow:
    return LedgerRow(
        number=entry.number,
        unit=entry.unit_name,
        code=entry.code,
        item=entry.text("item", ctx.lang),
        deduction=entry.text("deduction", ctx.lang),
        lost=entry.lost,
        problem=entry.text("problem", ctx.lang),
        requirement=entry.text("requirement", ctx.lang),
        deadline=entry.deadline_date or entry.deadline,
        status=status_text(ctx, entry),
        overdue=entry.overdue(ctx.today),
        responsible=entry.responsible,
        measures=entry.measures or "",
        completed_on=L.parse_day(entry.completed_on),
        evidence=evidence_text(ctx, entry),
        recheck=recheck_text(ctx, entry),
        closed_on=L.parse_day(entry.closed_on),
        remarks=ctx.t("problem.separator").join(remarks(ctx, entry)),
        basis=(ctx.short_basis(entry.code) if entry.source == "item" else None)
        or entry.text("basis", ctx.lang).replace(ctx.t("problem.separator"), "\n"),
    )


def short_flags(ctx: ReportContext, entry: Entry) -> list[str]:
    """The remarks in a word each (逾期, 上年遗留, 屡查屡犯, 暂定)."""
    found = []
    if entry.overdue(ctx.today):
        found.append(ctx.t("ledger.flag.overdue"))
    if entry.carried_from is not None:
        found.append(ctx.t("ledger.flag.carried"))
    if entry.repeat_of is not None:
        found.append(ctx.t("ledger.flag.repeat"))
    if entry.provisional and entry.active:
        found.append(ctx.t("ledger.flag.provisional_short"))
    return found


def compact_of(ctx: ReportContext, entry: Entry) -> CompactRow:
    t = ctx.t
    full = row_of(ctx, entry)
    problem = full.problem
    if full.basis:
        problem += t("ledger.compact.basis", basis=full.basis.replace("\n", "、"))
    requirement = full.requirement
    if isinstance(full.deadline, date):
        requirement += t("ledger.compact.deadline", day=ctx.date_text(full.deadline))
    elif full.deadline:
        requirement += t("ledger.compact.deadline_text", text=full.deadline)
    measures = full.measures
    if full.completed_on is not None:
        measures += t("ledger.compact.completed", day=ctx.date_text(full.completed_on))
    recheck = ""
    if entry.recheck is not None:
        key = "ledger.compact.passed" if entry.recheck == "passed" else "ledger.compact.failed"
        recheck = t(key)  # who and when: in the full ledger
        if entry.recheck_note:
            recheck += t("ledger.recheck.note", note=entry.recheck_note)
    if full.closed_on is not None:
        closed = t("ledger.compact.closed", day=ctx.date_text(full.closed_on))
        recheck = f"{recheck}\n{closed}" if recheck else closed
    return CompactRow(
        number=full.number,
        unit=full.unit,
        code=full.code,
        item=t("ledger.compact.item", code=full.code, item=full.item),
        problem=problem,
        requirement=requirement,
        status="\n".join([full.status, *short_flags(ctx, entry)]),
        overdue=full.overdue,
        responsible=full.responsible,
        measures=measures,
        recheck=recheck,
    )


class LedgerSource:
    """A round's ledger, read a chunk of units at a time, in the order the report needs."""

    CHUNK = 100

    def __init__(self, ws: Workspace, ctx: ReportContext, order: Iterable[Unit] = ()) -> None:
        from inspector.reports.ledger_sync import ensure_synced

        ensure_synced(ws, ctx.round)  # one query when the ledger follows every inspection
        self.ws = ws
        self.ctx = ctx
        self.order = [u.id for u in order]
        self.place = {unit_id: i for i, unit_id in enumerate(self.order)}
        self._cache: dict[int, list[Entry]] = {}

    def _fetch(self, ids: list[int]) -> None:
        self._cache = {unit_id: [] for unit_id in ids}
        for entry in L.entries(self.ws.conn, self.ctx.round.id, ids):
            self._cache[entry.unit_id].append(entry)

    def entries(self, unit: Unit) -> list[Entry]:
        """The unit's entries (withdrawn ones included: the ledger keeps them)."""
        if unit.id not in self._cache:
            at = self.place.get(unit.id)
            self._fetch(self.order[at : at + self.CHUNK] if at is not None else [unit.id])
        return self._cache.pop(unit.id, [])

    def rows(self, unit: Unit) -> list[LedgerRow]:
        return [row_of(self.ctx, entry) for entry in self.entries(unit)]

    def compact_rows(self, unit: Unit) -> list[CompactRow]:
        return [compact_of(self.ctx, entry) for entry in self.entries(unit)]

    def counts(self) -> dict[int, Counts]:
        return L.counts(self.ws.conn, self.ctx.round.id, self.ctx.today)


def group_counts(counts: dict[int, Counts], units: Iterable[Unit]) -> Counts:
    total = Counts()
    for unit in units:
        total = total + counts.get(unit.id, Counts())
    return total
