"""Re-inspection (复查): the office closes a rectified problem (销号) or sends it back.

Only a problem the unit reported 已整改 is re-inspected. Passing it closes it (已销号, dated
today in the round's time zone); failing it, with the reason, puts it back to 整改中 (复查未通过)
for the unit to continue. Each decision is its own transaction, saved at once, so an
interrupted session loses nothing. A decision may be corrected (the interactive ``<`` back,
or an answers file saying otherwise) as long as nothing else changed the entry since.

Answers files replay decisions without interaction::

    unit: 市财政局
    inspector: 王磊
    recheck:
      2026-市财政局-03: pass
      2026-市财政局-05: {fail: 整改措施未覆盖下属单位}
      2026-市财政局-06: {pass: 已现场核实}

``inspector answers UNIT --recheck`` writes the decisions that stand in the same form; recording
that output again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from inspector.app.actors import acting
from inspector.app.ledger import ensure_synced, find_entry, today
from inspector.core.assessment import Unit
from inspector.errors import ConflictError, Problem, ProblemsError
from inspector.store import ledger as L
from inspector.store.ledger import CLOSED, DONE, IN_PROGRESS, Entry
from inspector.store.workspace import Round, Workspace

PASS_WORDS = ("pass", "通过", "销号")
FAIL_WORDS = ("fail", "未通过", "不通过")
TOP_KEYS = ("unit", "round", "inspector", "recheck")
MAX_NOTE = 4000


@dataclass(frozen=True)
class Decision:
    number: str
    passed: bool
    note: str | None


def pending(ws: Workspace, round_: Round, unit: Unit) -> list[Entry]:
    """The unit's problems reported 已整改, awaiting re-inspection, in ledger order."""
    ensure_synced(ws, round_)
    return L.entries(ws.conn, round_.id, [unit.id], [DONE])


def stands(entry: Entry, decision: Decision) -> bool:
    """Whether the entry already is what the decision makes it."""
    if decision.passed:
        return (
            entry.status == CLOSED
            and entry.recheck == "passed"
            and entry.recheck_note == decision.note
        )
    return (
        entry.status == IN_PROGRESS
        and entry.recheck == "failed"
        and entry.recheck_note == decision.note
    )


def correctable(ws: Workspace, entry: Entry) -> bool:
    """A re-inspection decision that nothing has changed since (it may be taken back)."""
    return (
        entry.recheck is not None
        and entry.status in (CLOSED, IN_PROGRESS)
        and L.last_action(ws.conn, entry.uid) in ("recheck_passed", "recheck_failed")
    )


def refusal(ws: Workspace, entry: Entry, decision: Decision) -> tuple[str, dict[str, Any]] | None:
    """Why the decision cannot be taken on the entry (None: it can)."""
    if stands(entry, decision) or entry.status == DONE or correctable(ws, entry):
        if not decision.passed and not decision.note:
            return "recheck.reason_needed", {"number": entry.number}
        return None
    from inspector.app.ledger import status_text
    from inspector.i18n import get_language

    return "recheck.not_done", {
        "number": entry.number,
        "state": status_text(entry, get_language()),
    }


def decide(
    ws: Workspace,
    round_: Round,
    entry: Entry,
    decision: Decision,
    *,
    who: str,
    command: str,
    day: date | None = None,
) -> bool:
    """Record one decision in its own transaction; returns whether anything changed."""
    reason = refusal(ws, entry, decision)
    if reason is not None:
        raise ConflictError(reason[0], **reason[1])
    if stands(entry, decision):
        return False
    stamp = L.now()
    values: dict[str, Any] = {
        "recheck": "passed" if decision.passed else "failed",
        "recheck_note": decision.note,
        "recheck_by": who,
        "recheck_at": stamp,
    }
    if decision.passed:
        values.update(status=CLOSED, closed_on=(day or today(ws, round_)).isoformat())
    else:
        values.update(status=IN_PROGRESS, closed_on=None)
    with ws.transaction():
        return L.update(
            ws.conn,
            entry,
            values,
            action="recheck_passed" if decision.passed else "recheck_failed",
            who=who,
            command=command,
            round_name=round_.name,
            stamp=stamp,
        )


def explain(ws: Workspace, round_: Round, unit: Unit) -> dict[str, int]:
    """How many of the unit's problems are in each state (for "nothing to re-inspect")."""
    ensure_synced(ws, round_)
    found: dict[str, int] = {}
    for entry in L.entries(ws.conn, round_.id, [unit.id]):
        key = "failed" if entry.failed_recheck else entry.status
        found[key] = found.get(key, 0) + 1
    return found


# --- answers files --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRecheck:
    inspector: str | None
    decisions: list[tuple[Decision, Any]]  # with where each was written


def parse_answers(text: str, source: str, round_: Round, unit: Unit) -> ParsedRecheck:
    """A recheck answers file for ``unit``, every problem at once, located."""
    from inspector.io.yamlsafe import load_text

    located, problems = load_text(text, source)
    if problems:
        raise ProblemsError(problems)
    data = located.data
    if not isinstance(data, dict):
        raise ProblemsError([located.problem((), "value.mapping")])
    found: list[Problem] = []
    for key in data:
        if key not in TOP_KEYS:
            found.append(
                Problem(
                    "value.unknown_key",
                    {"key": key, "allowed": "、".join(TOP_KEYS)},
                    located.key_at((key,)),
                )
            )
    named = data.get("unit")
    if named is None:
        found.append(located.problem((), "value.missing", field="unit"))
    elif not isinstance(named, str) or named.strip() not in {unit.name, unit.code}:
        found.append(located.problem(("unit",), "answer.other_unit", named=named, unit=unit.name))
    if data.get("round") not in (None, round_.name):
        found.append(
            located.problem(
                ("round",), "answer.other_round", named=data.get("round"), round=round_.name
            )
        )
    inspector = data.get("inspector")
    if inspector is not None and not isinstance(inspector, str):
        found.append(located.problem(("inspector",), "value.text"))
        inspector = None
    decisions: list[tuple[Decision, Any]] = []
    raw = data.get("recheck")
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        found.append(located.problem(("recheck",), "value.mapping"))
        raw = {}
    for number, value in raw.items():
        path = ("recheck", number)
        decision = _decision(str(number), value)
        if decision is None:
            found.append(located.problem(path, "recheck.bad_decision", number=number))
            continue
        if decision.note is not None and len(decision.note) > MAX_NOTE:
            found.append(located.problem(path, "answer.text_too_long", field="note", max=MAX_NOTE))
            continue
        decisions.append((decision, located.key_at(path)))
    if found:
        raise ProblemsError(found)
    return ParsedRecheck(inspector.strip() if isinstance(inspector, str) else None, decisions)


def _word(text: object, words: tuple[str, ...]) -> bool:
    return isinstance(text, str) and text.strip().lower() in words


def _decision(number: str, value: object) -> Decision | None:
    if _word(value, PASS_WORDS):
        return Decision(number, True, None)
    if isinstance(value, dict) and len(value) == 1:
        ((key, note),) = value.items()
        if note is not None and not isinstance(note, str):
            return None
        note = note.strip() if isinstance(note, str) and note.strip() else None
        if _word(key, PASS_WORDS):
            return Decision(number, True, note)
        if _word(key, FAIL_WORDS) and note:
            return Decision(number, False, note)
    return None


@dataclass(frozen=True)
class Replayed:
    round: Round
    unit: Unit
    who: str
    changes: int
    decisions: int


def record_answers(
    ws: Workspace,
    round_name: str | None,
    unit_name: str,
    answers: Path,
    *,
    inspector: str | None,
    command: str,
    day: date | None = None,
) -> Replayed:
    """Check every decision of the file, then record them all in one transaction."""
    from inspector.io.yamlsafe import read_text

    round_ = ws.round(round_name)
    unit = ws.unit(unit_name)
    ensure_synced(ws, round_)
    parsed = parse_answers(read_text(answers, str(answers)), str(answers), round_, unit)
    problems = []
    chosen: list[tuple[Entry, Decision]] = []
    for decision, where in parsed.decisions:
        entry = L.by_number(ws.conn, round_.id, decision.number)
        if entry is None or entry.unit_id != unit.id:
            problems.append(
                Problem(
                    "ledger.unknown_number_here",
                    {"number": decision.number, "unit": unit.name},
                    where,
                )
            )
            continue
        reason = refusal(ws, entry, decision)
        if reason is not None:
            problems.append(Problem(reason[0], reason[1], where))
            continue
        chosen.append((entry, decision))
    if problems:
        raise ProblemsError(problems)
    who = acting(inspector, parsed.inspector)
    changes = 0
    with ws.transaction():
        for entry, decision in chosen:
            if decide(ws, round_, entry, decision, who=who, command=command, day=day):
                changes += 1
    return Replayed(round_, unit, who, changes, len(chosen))


def standing(entry: Entry) -> Decision | None:
    """The re-inspection decision that stands on the entry (None: none does)."""
    if entry.status == CLOSED and entry.recheck == "passed":
        return Decision(entry.number, True, entry.recheck_note)
    if entry.failed_recheck:
        return Decision(entry.number, False, entry.recheck_note)
    return None


def dump_answers(ws: Workspace, round_: Round, unit: Unit, header: str) -> str:
    """The decisions that stand, as an answers file; recording it again changes nothing."""
    from inspector.core.forms.base import scalar

    ensure_synced(ws, round_)
    lines = [f"# {line}" for line in header.splitlines()]
    lines.append(f"unit: {scalar(unit.name)}")
    lines.append("recheck:")
    written = 0
    for entry in L.entries(ws.conn, round_.id, [unit.id]):
        decision = standing(entry)
        if decision is None:
            continue
        word = "pass" if decision.passed else "fail"
        value = f"{{{word}: {scalar(decision.note)}}}" if decision.note else word
        lines.append(f"  {scalar(entry.number)}: {value}")
        written += 1
    if not written:
        lines[-1] = "recheck: {}"
    return "\n".join(lines) + "\n"


__all__ = [
    "Decision",
    "Replayed",
    "decide",
    "dump_answers",
    "explain",
    "find_entry",
    "pending",
    "record_answers",
]
