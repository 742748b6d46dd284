"""Import filled workbooks as the units' ``self`` assessments, one file all-or-nothing.

Each file is checked whole before anything is written: its bytes (size, zip structure,
macros, entity declarations), its identity (a tag that verifies with this workspace's secret,
a round and unit that exist, the round's indicator set), then every input cell. A file with
any problem records nothing; the others in the batch still go in. Re-importing a newer file
replaces the unit's self-assessment through ``ws.record`` (which audits every change); the
same file again is a no-op. An import only ever writes ``self`` assessments.

Progress is reported as plain events to an optional listener; the library knows no terminal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from inspector.core.assessment import Assessment, ItemAnswer, Unit
from inspector.core.forms import canonical
from inspector.core.scoring import UnitResult, score_unit
from inspector.errors import InspectorError, Location, NotFoundError, Problem, ProblemsError
from inspector.io.xlsx_safety import load_checked, parse_failure, read_checked
from inspector.selfassess.identity import verify, workspace_secret
from inspector.selfassess.layout import LAYOUT_VERSION
from inspector.selfassess.reader import LIMITS, SheetAnswers, find_identity, read_scores, refuse
from inspector.store.workspace import Round, Workspace

Status = Literal["imported", "unchanged", "checked", "refused"]
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")


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


@dataclass(frozen=True)
class Checked:
    """A workbook that passed every check, ready to record."""

    round: Round
    unit: Unit
    answers: SheetAnswers
    digest: str
    items: dict[str, ItemAnswer] = field(default_factory=dict)


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the workbooks in it (office lock files skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file()
                    and p.suffix.lower() in WORKBOOK_SUFFIXES
                    and not p.name.startswith(("~$", ".~", "."))
                )
            )
        else:
            found.append(path)
    return found


def _canonical(indicators: Any, items: dict[str, ItemAnswer]) -> dict[str, ItemAnswer]:
    result = {}
    for code, answer in items.items():
        result[code] = canonical(indicators.item(code), answer)
    return result


def check_file(
    ws: Workspace,
    path: Path,
    round_name: str | None = None,
    rounds: dict[str, Round] | None = None,
) -> Checked:
    """Everything but recording; raises ProblemsError with every problem found.

    ``rounds`` caches rounds by name across a batch: a round parses its pinned indicator set
    on first use, which costs more than reading a workbook.
    """
    source = str(path)
    rounds = rounds if rounds is not None else {}
    data = read_checked(path, source, LIMITS)
    digest = hashlib.sha256(data).hexdigest()
    wb = load_checked(data, source, read_only=True)
    try:
        try:
            found = find_identity(wb, source)
        except ProblemsError:
            raise
        except Exception as exc:  # the identity sheet's XML is parsed lazily, here
            raise parse_failure(exc, source) from None
        identity = found.identity
        secret = workspace_secret(ws, create=False)
        if secret is None:
            raise refuse(source, "sa.no_secret")
        if not verify(identity, found.tag, secret):
            raise refuse(source, "sa.bad_tag", unit=identity.unit, round=identity.round)
        if identity.layout != LAYOUT_VERSION:
            raise refuse(source, "sa.bad_version", version=identity.layout, expected=LAYOUT_VERSION)
        if round_name is not None and round_name != identity.round:
            raise refuse(source, "sa.other_round", named=identity.round, round=round_name)
        round_ = rounds.get(identity.round)
        if round_ is None:
            try:
                round_ = rounds[identity.round] = ws.round(identity.round)
            except NotFoundError:
                raise refuse(source, "sa.unknown_round", round=identity.round) from None
        try:
            unit = ws.unit(identity.unit_code or identity.unit)
        except NotFoundError:
            unit = None
        if unit is None or unit.name != identity.unit or (unit.code or "") != identity.unit_code:
            raise refuse(source, "sa.unknown_unit", unit=identity.unit)
        if round_.set_hash != identity.set_hash:
            raise refuse(
                source,
                "sa.set_changed",
                named=identity.set_hash[:12],
                round=round_.name,
                expected=round_.set_hash[:12],
            )
        answers = read_scores(wb, identity, round_.indicators, unit, source)
    finally:
        wb.close()
    items = _canonical(round_.indicators, answers.items)
    return Checked(round_, unit, answers, digest, items)


def _result(checked: Checked) -> UnitResult:
    assessment = Assessment(
        answers=checked.items,
        aggravated=checked.answers.aggravated,
        bonus=checked.answers.bonus,
    )
    return score_unit(checked.round.indicators, checked.unit.group, checked.unit.tags, assessment)


def _unchanged(ws: Workspace, checked: Checked) -> bool:
    """The same file, and nothing stored differs from it (so re-recording would change nothing)."""
    stored = ws.assessment(checked.round, checked.unit, "self")
    if stored.source_digest != checked.digest:
        return False
    current = {code: s.answer for code, s in stored.items.items()}
    return (
        current == checked.items
        and not stored.veto
        and dict(stored.aggravated) == checked.answers.aggravated
        and dict(stored.bonus) == checked.answers.bonus
    )


def import_file(
    ws: Workspace,
    path: Path,
    who: str,
    command: str,
    round_name: str | None = None,
    dry_run: bool = False,
    rounds: dict[str, Round] | None = None,
) -> Outcome:
    """Check one file and, unless ``dry_run``, record it. Never raises for the file's faults."""
    source = str(path)
    try:
        checked = check_file(ws, path, round_name, rounds)
        result = _result(checked)
        if ws.assessment(checked.round, checked.unit, "self").confirmed:
            raise ProblemsError(
                [Problem("assessment.locked", {"unit": checked.unit.name}, Location(source))]
            )
        if dry_run:
            return Outcome(path, "checked", checked.unit, checked.round.name, 0, result)
        if _unchanged(ws, checked):
            return Outcome(path, "unchanged", checked.unit, checked.round.name, 0, result)
        changes = ws.record(
            checked.round,
            checked.unit,
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
        return Outcome(path, "imported", checked.unit, checked.round.name, changes, result)
    except ProblemsError as exc:
        return Outcome(path, "refused", problems=tuple(exc.problems))
    except InspectorError as exc:
        problem = Problem(exc.key, exc.params, Location(source))
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
    notify = listener or (lambda event: None)
    outcomes = []
    total = len(paths)
    rounds: dict[str, Round] = {}
    for index, path in enumerate(paths, start=1):
        notify(FileStarted(index, total, path))
        outcome = import_file(ws, path, who, command, round_name, dry_run, rounds)
        outcomes.append(outcome)
        notify(FileFinished(index, total, outcome))
    return outcomes
