"""The ledger follows the inspection: entries made, updated, withdrawn as scores change.

When: on every write of a unit's inspection, in the same transaction (``app.recording``
calls ``sync_unit`` right after the answers are stored). It lives beside the reports
because a ledger entry holds exactly what the reports call a problem, in their words.
An office wants the problem list while the inspectors are still on site, so entries
exist from the first deduction. Until the inspection is confirmed they are provisional
(``Entry.provisional``: 暂定 in the reports, left out of the units' rectification
workbooks), because the scores may still change. Confirming changes nothing in the
ledger: provisional is read from the inspection's state, never stored.

What follows what (``derive``): every applicable item that lost points or carries a problem
text, every aggravated deduction, every veto, in the set's order, exactly the rows the
reports call problems (``ReportContext.problems``, whose texts they share). Then:

* a problem with no entry gets one: status 待整改, a number fixed for good, the texts in
  every language, its deadline, and 屡查屡犯 when the previous round closed an entry on the
  same item and rule;
* a problem whose texts, rules, points or explicit deadline changed updates its entry (the
  status and what the unit reported stay);
* an entry whose problem is gone (re-scored to full marks, N/A, cleared) is withdrawn
  (已撤销), never deleted; if the problem comes back, the same entry is reinstated (待整改).

The ledger never writes scores. A write that bypassed the application layer (an older
version, a test) is caught up by ``ensure_synced`` before the ledger is read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from inspector.core.assessment import Unit
from inspector.i18n import LANGUAGES
from inspector.store import ledger as L
from inspector.store import round_extras
from inspector.store.workspace import Round, StoredAssessment, Workspace

SYNC_COMMAND = "inspector (ledger follows the stored inspection)"
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class Found:
    """A problem the inspection states, as its ledger entry would hold it."""

    source: L.Source
    code: str
    position: int  # the place of its item (or entry) in the set: the entry's number
    rules: tuple[str, ...]
    lost: Decimal | None
    texts: dict[str, dict[str, str]]
    deadline: str | None  # the deadline as the reports compute it today
    fixed_deadline: str | None  # an explicit deadline (the answer's, else the round's)


def number_prefix(round_: Round) -> str:
    """The year of the round: the first year in its name, else the year it was made."""
    found = YEAR.search(round_.name)
    return found.group(1) if found else round_.created_at[:4]


def entry_number(round_: Round, unit: Unit, position: int) -> str:
    return f"{number_prefix(round_)}-{unit.name}-{position:02d}"


def entry_uid(round_: Round, unit: Unit, source: str, code: str) -> str:
    """The same problem gets the same uid in every workspace holding the same round (so a
    team's laptops agree on it when their workspaces are merged)."""
    key = "\x1f".join(("ledger", round_.set_hash, round_.name, unit.name, unit.code or ""))
    return hashlib.sha256(f"{key}\x1f{source}\x1f{code}".encode()).hexdigest()[:32]


def carried_uid(round_: Round, previous_uid: str) -> str:
    key = "\x1f".join(("carried", round_.set_hash, round_.name, previous_uid))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _day(value: object) -> str | None:
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value else None


def derive(round_: Round, unit: Unit, stored: StoredAssessment) -> list[Found]:
    """The problems the unit's inspection states, in the set's order."""
    from inspector.core.scoring import problem_text, score_unit
    from inspector.reports.data import ReportContext
    from inspector.store.overview import UnitStatus

    if (
        not stored.aggravated
        and not stored.veto
        and all(
            s.answer.form in ("full", "na") and not s.answer.problem for s in stored.items.values()
        )
    ):
        return []  # full marks or N/A everywhere, no problem text: nothing to score
    indicators = round_.indicators
    result = score_unit(indicators, unit.group, unit.tags, stored.assessment)
    status = UnitStatus(unit, result, None, stored, StoredAssessment("self"), None)
    # what a problem is, in the set's order: its source, code, position, rules, explicit date
    keys: list[tuple[L.Source, str, int, tuple[str, ...], str | None]] = []
    items = list(indicators.items())
    for position, ((_, item), r) in enumerate(zip(items, result.items, strict=True), start=1):
        # the reports' rule (ReportContext.problems): points lost, or a problem text, given or
        # the form's own (a check-only item's failed check loses nothing but is a problem)
        if r.score is None or r.answer is None:
            continue
        if r.lost <= 0 and not (r.answer.problem or problem_text(item, r, LANGUAGES[0])):
            continue
        rules = tuple(dict.fromkeys(hit.rule for hit in r.hits))
        keys.append(("item", item.code, position, rules, r.answer.deadline))
    offset = len(items)
    for index, adj in enumerate(indicators.aggravated, start=1):
        if stored.aggravated.get(adj.code, 0):
            keys.append(("aggravated", adj.code, offset + index, (), None))
    offset += len(indicators.aggravated)
    for index, veto in enumerate(indicators.veto, start=1):
        if veto.code in result.veto:
            keys.append(("veto", veto.code, offset + index, (), None))
    rows = {}
    for lang in LANGUAGES:
        ctx = ReportContext(round_, lang, Decimal(0), date.today())
        rows[lang] = ctx.problems(status)
    found = []
    for index, (source, code, position, rules, explicit) in enumerate(keys):
        texts = {
            lang: {
                "item": rows[lang][index].name,
                "deduction": rows[lang][index].deduction,
                # a score below full with no words of its own: the deduction says what it is
                "problem": rows[lang][index].problem or rows[lang][index].deduction,
                "requirement": rows[lang][index].rectify,
                "basis": rows[lang][index].basis,
            }
            for lang in LANGUAGES
        }
        first = rows[LANGUAGES[0]][index]
        assert first.code == code  # the reports list the same problems in the same order
        found.append(
            Found(
                source,
                code,
                position,
                rules,
                first.lost,
                texts,
                _day(first.deadline),
                explicit or round_.deadline,
            )
        )
    return found


def _repeat_of(ws: Workspace, round_: Round, unit: Unit, found: Found) -> str | None:
    """A closed entry of the previous round on the same item and rule (屡查屡犯)."""
    if found.source != "item":
        return None
    previous = round_extras.settings(ws.conn, round_.id).previous_id
    if previous is None:
        return None
    for entry in L.entries(ws.conn, previous, [unit.id], [L.CLOSED]):
        if entry.source != "item" or entry.code != found.code:
            continue
        if set(entry.rules) & set(found.rules) or not (entry.rules or found.rules):
            return entry.uid
    return None


def _free_number(ws: Workspace, round_: Round, number: str, uid: str) -> str:
    """``number``, unless another entry of the round has it (a carried entry of a round
    whose year is the same): then ``number-2``…"""
    candidate, n = number, 2
    while True:
        taken = L.by_number(ws.conn, round_.id, candidate)
        if taken is None or taken.uid == uid:
            return candidate
        candidate = f"{number}-{n}"
        n += 1


def sync_unit(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    who: str,
    command: str,
    stored: StoredAssessment | None = None,
) -> int:
    """Make the unit's entries follow its stored inspection; returns how many changed.
    Runs inside the caller's transaction (or in one of its own)."""
    with ws.transaction():
        stored = stored or ws.assessment(round_, unit, "inspection")
        found = derive(round_, unit, stored)
        existing = {
            (e.source, e.code): e
            for e in L.entries(ws.conn, round_.id, [unit.id])
            if e.carried_from is None
        }
        changes = 0
        wanted = set()
        for problem in found:
            key = (problem.source, problem.code)
            wanted.add(key)
            entry = existing.get(key)
            repeat = _repeat_of(ws, round_, unit, problem)
            if entry is None:
                uid = entry_uid(round_, unit, problem.source, problem.code)
                number = _free_number(ws, round_, entry_number(round_, unit, problem.position), uid)
                L.insert(
                    ws.conn,
                    {
                        "uid": uid,
                        "round_id": round_.id,
                        "unit_id": unit.id,
                        "number": number,
                        "position": problem.position,
                        "source": problem.source,
                        "code": problem.code,
                        "rules": problem.rules,
                        "lost": problem.lost,
                        "texts": problem.texts,
                        "deadline": problem.fixed_deadline or problem.deadline,
                        "status": L.OPEN,
                        "repeat_of": repeat,
                    },
                    who=who,
                    command=command,
                    round_name=round_.name,
                    unit_name=unit.name,
                )
                changes += 1
                continue
            values: dict[str, Any] = {
                "rules": list(problem.rules),
                "lost": problem.lost,
                "texts": problem.texts,
                "repeat_of": repeat,
            }
            if problem.fixed_deadline:
                values["deadline"] = problem.fixed_deadline
            action = "updated"
            if entry.status == L.WITHDRAWN:  # the problem is back: the same entry again
                action = "reinstated"
                values.update(
                    status=L.OPEN,
                    recheck=None,
                    recheck_note=None,
                    recheck_by=None,
                    recheck_at=None,
                    closed_on=None,
                    deadline=problem.fixed_deadline or problem.deadline,
                )
            if L.update(
                ws.conn,
                entry,
                values,
                action=action,
                who=who,
                command=command,
                round_name=round_.name,
            ):
                changes += 1
        for key, entry in existing.items():
            if key in wanted or entry.status == L.WITHDRAWN:
                continue
            L.update(
                ws.conn,
                entry,
                {"status": L.WITHDRAWN},
                action="withdrawn",
                who=who,
                command=command,
                round_name=round_.name,
            )
            changes += 1
        L.set_sync_stamp(ws.conn, round_.id, unit.id, stored.updated_at or "")
    return changes


def ensure_synced(ws: Workspace, round_: Round) -> int:
    """Catch up units whose inspection changed without their entries (one query when all
    is current); returns how many units were brought up to date."""
    pending = L.unsynced(ws.conn, round_.id)
    if not pending:
        return 0
    units = {u.id: u for u in ws.units()}
    with ws.transaction():
        for unit_id in L.unsynced(ws.conn, round_.id):
            unit = units[unit_id]
            stored = ws.assessment(round_, unit, "inspection")
            scorers = sorted(stored.items.values(), key=lambda s: s.scored_at)
            who = scorers[-1].scored_by if scorers else "inspector"
            sync_unit(ws, round_, unit, who, SYNC_COMMAND, stored)
    return len(pending)
