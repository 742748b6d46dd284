"""Importing filled self-assessment workbooks as the units' ``self`` assessments.

Each file is all-or-nothing: ``selfassess.importer.check_file`` checks it whole, then it is
recorded in one transaction, replacing the unit's whole self-assessment (the workbook claims
no veto) through ``Workspace.record``, which audits every change. A confirmed
self-assessment refuses the file (the lock rule; imports never reopen); the same file again
is a no-op. An import only ever writes ``self`` assessments. Progress is reported as plain
events to an optional listener.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from inspector.app.locking import may_change, open_for_change
from inspector.core.assessment import Unit
from inspector.core.scoring import UnitResult
from inspector.errors import InspectorError, Location, Problem, ProblemsError, WorkspaceError
from inspector.selfassess.importer import check_file, expand, result_of, same_as_stored
from inspector.store.workspace import Round, Workspace

Status = Literal["imported", "unchanged", "checked", "refused"]
DEBUG_ENV = "INSPECTOR_DEBUG"  # set: an unforeseen error is raised, with its traceback


@dataclass(frozen=True)
class Outcome:
    """What happened to one file."""

    path: Path
    status: Status
    unit: Unit | None = None
    round_name: str | None = None
    changes: int = 0
    result: UnitResult | None = None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class FileStarted:
    index: int  # 1-based
    total: int
    path: Path


@dataclass(frozen=True)
class FileFinished:
    index: int
    total: int
    outcome: Outcome


Event = FileStarted | FileFinished


class BatchStopped(WorkspaceError):
    """The workspace failed in the middle of a batch (a full disk, damage): what was done so
    far (each file recorded whole, or not at all), the file it failed on, and how many files
    were not finished. Its message and exit code are the workspace error's."""

    def __init__(
        self, cause: WorkspaceError, outcomes: list[Outcome], path: Path, remaining: int
    ) -> None:
        super().__init__(cause.key, **cause.params)
        self.outcomes = outcomes
        self.path = path
        self.remaining = remaining


def import_file(
    ws: Workspace,
    path: Path,
    who: str,
    command: str,
    round_name: str | None = None,
    dry_run: bool = False,
    rounds: dict[str, Round] | None = None,
) -> Outcome:
    """Check one file and, unless ``dry_run``, record it. Never raises for the file's faults:
    a refusal, and anything checking it raised that no check foresaw, is its verdict. Only
    the workspace's own failure (``WorkspaceError``, ``sqlite3.Error``) comes out."""
    source = str(path)
    try:
        checked = check_file(ws, path, round_name, rounds)
        result = result_of(checked)
        round_, unit = checked.round, checked.unit

        def outcome(status: Status, changes: int = 0) -> Outcome:
            return Outcome(path, status, unit, round_.name, changes, result)

        if dry_run:
            may_change(ws, round_, unit, "self", reopen=False)
            return outcome("checked")
        with ws.transaction():
            open_for_change(ws, round_, unit, "self", reopen=False, who=who, command=command)
            if same_as_stored(ws.assessment(round_, unit, "self"), checked):
                return outcome("unchanged")
            changes = ws.record(
                round_,
                unit,
                "self",
                who,
                command,
                items=checked.items,
                # the workbook is the whole self-assessment: it claims no veto
                adjustments={
                    "veto": {},
                    "aggravated": checked.answers.aggravated,
                    "bonus": checked.answers.bonus,
                },
                replace=True,
                source=path.name,
                source_digest=checked.digest,
            )
        return outcome("imported", changes)
    except ProblemsError as exc:
        return Outcome(path, "refused", problems=tuple(exc.problems))
    except WorkspaceError:
        raise  # not the file's fault: the batch stops (``import_files``)
    except InspectorError as exc:
        problem = Problem(exc.key, exc.params, Location(source))
        return Outcome(path, "refused", problems=(problem,))
    except sqlite3.Error:
        raise  # the workspace's, made a WorkspaceError where the workspace was opened
    except Exception as exc:
        # A file must never end the batch: whatever checking it raised that no check
        # foresaw, it is this file's verdict, and the other files are still checked.
        if os.environ.get(DEBUG_ENV):
            raise
        detail = f"{type(exc).__name__}: {exc}"[:300]
        problem = Problem("sa.import.failed", {"detail": detail}, Location(source))
        return Outcome(path, "refused", problems=(problem,))


def import_files(
    ws: Workspace,
    paths: Sequence[Path],
    who: str,
    command: str,
    round_name: str | None = None,
    dry_run: bool = False,
    listener: Callable[[Event], None] | None = None,
) -> list[Outcome]:
    """Import each file in order (a later file of the same unit replaces an earlier one)."""
    if round_name is not None:
        ws.round(round_name)  # an unknown round is an error for the whole batch
    notify = listener or (lambda event: None)
    outcomes = []
    total = len(paths)
    rounds: dict[str, Round] = {}
    for index, path in enumerate(paths, start=1):
        notify(FileStarted(index, total, path))
        try:
            outcome = import_file(ws, path, who, command, round_name, dry_run, rounds)
        except WorkspaceError as exc:
            raise BatchStopped(exc, outcomes, path, total - index + 1) from None
        outcomes.append(outcome)
        notify(FileFinished(index, total, outcome))
    return outcomes


__all__ = [
    "BatchStopped",
    "Event",
    "FileFinished",
    "FileStarted",
    "Outcome",
    "expand",
    "import_file",
    "import_files",
]
