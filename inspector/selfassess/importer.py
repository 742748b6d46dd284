"""Reading filled workbooks back: every check a returned file must pass before it is recorded.

Each file is checked whole before anything is written: its bytes (size, zip structure,
macros, entity declarations), its identity (a tag that verifies with this workspace's secret,
a round and unit that exist, the round's indicator set), then every input cell. A file with
any problem raises ``ProblemsError`` listing all of them. Recording a checked file (the lock
rule, replacing the unit's self-assessment, skipping the same file twice) is the application
layer's job: ``inspector.app.imports``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspector.core.assessment import Assessment, ItemAnswer, Unit
from inspector.core.forms import canonical
from inspector.core.scoring import UnitResult, score_unit
from inspector.errors import NotFoundError, ProblemsError
from inspector.io.xlsx_safety import load_checked, parse_failure, read_checked
from inspector.selfassess.identity import verify, workspace_secret
from inspector.selfassess.layout import LAYOUT_VERSION
from inspector.selfassess.reader import LIMITS, SheetAnswers, find_identity, read_scores, refuse
from inspector.store.workspace import Round, StoredAssessment, Workspace

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")


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


def result_of(checked: Checked) -> UnitResult:
    """The workbook's figures, as the unit would see them once recorded."""
    assessment = Assessment(
        answers=checked.items,
        aggravated=checked.answers.aggravated,
        bonus=checked.answers.bonus,
    )
    return score_unit(checked.round.indicators, checked.unit.group, checked.unit.tags, assessment)


def same_as_stored(stored: StoredAssessment, checked: Checked) -> bool:
    """The same file, and nothing stored differs from it (re-recording would change nothing)."""
    if stored.source_digest != checked.digest:
        return False
    current = {code: s.answer for code, s in stored.items.items()}
    return (
        current == checked.items
        and not stored.veto
        and dict(stored.aggravated) == checked.answers.aggravated
        and dict(stored.bonus) == checked.answers.bonus
    )
