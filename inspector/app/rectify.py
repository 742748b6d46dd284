"""Units' rectification reports: issuing their workbooks and recording what comes back.

Issuing (``issue``): one workbook per unit with its open problems (待整改, 整改中, 已整改
awaiting re-inspection) of a confirmed inspection (or carried over from last year). The
problem numbers of each unit's latest workbook are remembered, so an older workbook, made
before the list changed, is refused when it comes back.

Importing (``import_files``): each file all-or-nothing (``rectify.importer.check_file``
checks it whole), recorded in one transaction: one change per problem whose report differs,
audited with who imported which file. The same file twice changes nothing the second time.
Reports only ever change what the unit reports (its columns and the status 整改中/已整改);
never the inspection, never 已销号.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from inspector.app.ledger import ensure_synced, today
from inspector.app.templates import CONTACT_META, DUE_META
from inspector.core.assessment import Unit
from inspector.errors import InspectorError, Location, NotFoundError, Problem, ProblemsError
from inspector.rectify.template import Progress, Sheet, TemplateText, Written, generate
from inspector.store import ledger as L
from inspector.store import round_extras
from inspector.store.ledger import Entry
from inspector.store.workspace import Round, Workspace

Skip = Literal["unconfirmed", "no_problems"]


@dataclass(frozen=True)
class Skipped:
    unit: Unit
    reason: Skip


@dataclass(frozen=True)
class Issued:
    written: list[Written]
    skipped: list[Skipped]
    contact: str | None


def open_problems(found: list[Entry]) -> tuple[list[Entry], bool]:
    """The problems of a unit's entries a workbook lists, and whether some were left out
    because the inspection is not confirmed yet."""
    firm = [e for e in found if not e.provisional]
    return firm, len(firm) < len(found)


def issue(
    ws: Workspace,
    round_name: str | None,
    names: Sequence[str] | None,
    folder: Path,
    lang: str,
    *,
    who: str,
    contact: str | None = None,
    due: str | None = None,
    force: bool = False,
    day: date | None = None,
    listener: Callable[[Progress], None] | None = None,
) -> Issued:
    """Write the workbooks of the units named (every unit taking part when ``names`` is
    None); units without open problems of a confirmed inspection are skipped, and said so."""
    from inspector.selfassess.identity import workspace_secret

    round_ = ws.round(round_name)
    if names is None:
        units = round_extras.participants(ws.conn, round_.id)
        if not units:
            raise NotFoundError("sa.template.none")
    else:
        units = []
        for name in names:
            unit = ws.unit(name)
            if unit not in units:
                units.append(unit)
    ensure_synced(ws, round_)
    given_contact = (contact or "").strip()
    text = TemplateText(
        due=due or ws.meta(DUE_META + round_.name) or round_.deadline,
        contact=given_contact or ws.meta(CONTACT_META),
    )
    by_unit: dict[int, list[Entry]] = {unit.id: [] for unit in units}
    for entry in L.entries(ws.conn, round_.id, list(by_unit), L.STILL_OPEN):
        by_unit[entry.unit_id].append(entry)
    sheets: list[Sheet] = []
    skipped: list[Skipped] = []
    for unit in units:
        entries, held_back = open_problems(by_unit[unit.id])
        if entries:
            sheets.append(Sheet(round_.name, unit, tuple(entries), lang, text))
        else:
            skipped.append(Skipped(unit, "unconfirmed" if held_back else "no_problems"))
    if not sheets:
        if names is not None and len(skipped) == 1:
            raise InspectorError(f"rx.template.{skipped[0].reason}", unit=skipped[0].unit.name)
        raise InspectorError("rx.template.nothing")
    secret = workspace_secret(ws, create=True)
    assert secret is not None

    done: list[Sheet] = []
    try:
        written = generate(
            sheets, folder, secret, day or today(ws, round_), force, done.append, listener
        )
    finally:  # the lists of the workbooks written, in one transaction (even after a failure)
        with ws.transaction():
            for data in done:
                numbers = [e.number for e in data.entries]
                L.record_issue(ws.conn, round_.id, data.unit.id, numbers, who)
    if given_contact:
        ws.set_meta(CONTACT_META, given_contact)
    return Issued(written, skipped, text.contact)


# --- importing ------------------------------------------------------------------------------

Status = Literal["imported", "unchanged", "checked", "refused"]


@dataclass(frozen=True)
class Outcome:
    path: Path
    status: Status
    unit: Unit | None = None
    problems_listed: int = 0
    changes: int = 0
    done: int = 0  # problems reported 已整改 (awaiting re-inspection) after this file
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class FileStarted:
    index: int
    total: int
    path: Path


@dataclass(frozen=True)
class FileFinished:
    index: int
    total: int
    outcome: Outcome


Event = FileStarted | FileFinished


def import_file(
    ws: Workspace,
    path: Path,
    round_: Round,
    who: str,
    command: str,
    day: date,
    dry_run: bool = False,
) -> Outcome:
    """Check one file and, unless ``dry_run``, record it. Never raises for the file's faults."""
    from inspector.rectify.importer import check_file

    try:
        checked = check_file(ws, path, round_, day)
        done = sum(
            1
            for e in L.entries(ws.conn, round_.id, [checked.unit.id], [L.DONE])
            if all(u.entry.uid != e.uid for u in checked.updates)
        ) + sum(1 for u in checked.updates if u.values["status"] == L.DONE)
        if dry_run:
            return Outcome(
                path, "checked", checked.unit, checked.problems, len(checked.updates), done
            )
        if not checked.updates:
            return Outcome(path, "unchanged", checked.unit, checked.problems, 0, done)
        with ws.transaction():
            for update in checked.updates:
                L.update(
                    ws.conn,
                    update.entry,
                    update.values,
                    action="reported",
                    who=who,
                    command=f"{command} [{path.name}]",
                    round_name=round_.name,
                )
        return Outcome(path, "imported", checked.unit, checked.problems, len(checked.updates), done)
    except ProblemsError as exc:
        return Outcome(path, "refused", problems=tuple(exc.problems))
    except InspectorError as exc:
        problem = Problem(exc.key, exc.params, Location(str(path)))
        return Outcome(path, "refused", problems=(problem,))


def import_files(
    ws: Workspace,
    paths: Sequence[Path],
    who: str,
    command: str,
    round_name: str | None = None,
    dry_run: bool = False,
    listener: Callable[[Event], None] | None = None,
    day: date | None = None,
) -> list[Outcome]:
    """Import each file in order, against the round named (the newest by default)."""
    round_ = ws.round(round_name)
    ensure_synced(ws, round_)
    day = day or today(ws, round_)
    notify = listener or (lambda event: None)
    outcomes = []
    for index, path in enumerate(paths, start=1):
        notify(FileStarted(index, len(paths), path))
        outcome = import_file(ws, path, round_, who, command, day, dry_run)
        outcomes.append(outcome)
        notify(FileFinished(index, len(paths), outcome))
    return outcomes


__all__ = [
    "Event",
    "FileFinished",
    "FileStarted",
    "Issued",
    "Outcome",
    "Progress",
    "Skipped",
    "import_files",
    "issue",
]
