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
from inspector.core.indicators.model import IndicatorSet
from inspector.core.scoring import UnitResult, score_unit
from inspector.errors import Location, NotFoundError, Problem, ProblemsError
from inspector.i18n import tl
from inspector.io.inputs import FileKind, file_kind
from inspector.io.xlsx_cells import safe_text
from inspector.io.xlsx_safety import load_checked, parse_failure, read_checked
from inspector.selfassess.identity import Identity, verified, workspace_secret
from inspector.selfassess.layout import LAYOUT_VERSION, score_sheet_title
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
    """Files as given; a folder stands for the workbooks in it (office lock files skipped).

    Everything in a folder named like a workbook is listed, whatever it is (a FIFO, a device,
    a dangling link, a folder called x.xlsx): each gets its own verdict when it is read, so
    nothing handed in is skipped silently. Nothing is opened here."""
    found: list[Path] = []
    for path in paths:
        try:
            folder = file_kind(path) is FileKind.DIRECTORY
            entries = list(path.iterdir()) if folder else []
        except OSError:
            folder = False  # refused when read, with the reason
        if folder:
            found.extend(
                sorted(
                    p
                    for p in entries
                    if p.suffix.lower() in WORKBOOK_SUFFIXES
                    and not p.name.startswith(("~$", ".~", "."))
                )
            )
        else:
            found.append(path)
    return found


def _named_unit(ws: Workspace, identity: Identity) -> Unit | None:
    """The current unit with the identity's name and code, if there is one."""
    try:
        unit = ws.unit(identity.unit_code or identity.unit)
    except NotFoundError:
        return None
    if unit.name != identity.unit or (unit.code or "") != identity.unit_code:
        return None
    return unit


def claimed_unit(ws: Workspace, identity: Identity, source: str) -> Unit:
    """The unit a verified identity was issued for, or a refusal saying why it is not here.

    An identity names the unit's uid: a unit removed and added again under the same name and
    code is another unit, so the removed unit's template is refused. A legacy identity (issued
    before uids) names only the name and code: it is taken only by a unit that existed when
    the workspace was upgraded and that no removed unit had shared its name or code with.
    """
    if identity.unit_uid is not None:
        unit = ws.unit_by_uid(identity.unit_uid)
        if unit is None:
            if _named_unit(ws, identity) is not None:
                raise refuse(source, "sa.unit_replaced", unit=identity.unit)
            raise refuse(source, "sa.unknown_unit", unit=identity.unit)
        if unit.name != identity.unit or (unit.code or "") != identity.unit_code:
            raise refuse(source, "sa.unknown_unit", unit=identity.unit)
        return unit
    unit = _named_unit(ws, identity)
    if unit is None:
        raise refuse(source, "sa.unknown_unit", unit=identity.unit)
    if not ws.takes_legacy_templates(unit):
        raise refuse(source, "sa.legacy_unit_replaced", unit=identity.unit)
    return unit


GUIDE_ROWS = 30  # the instructions' facts are near the top


def _first_cells(sheet: Any, rows: int, columns: int) -> list[tuple[Any, ...]]:
    try:
        return list(sheet.iter_rows(min_row=1, max_row=rows, max_col=columns, values_only=True))
    except Exception as exc:  # the sheet's XML is parsed lazily, here
        raise parse_failure(exc, "") from None


def _shown(value: object) -> str:
    return str(value).strip() if value is not None else ""


def visible_problems(
    wb: Any, identity: Identity, indicators: IndicatorSet, source: str
) -> list[Problem]:
    """The unit the workbook shows must be the unit its identity names (the problems where
    it does not).

    A unit sees its name twice: in the instructions' facts ("被检查单位: 市财政局（CZJ）") and in
    the score sheet's title. Both are written from the same unit as the identity, so they
    agree in every issued template. Pasting the hidden identity of another unit's template
    into a filled workbook (the sheet's values and the document properties) leaves them
    showing the unit that filled it in: refused, naming the cell that disagrees. (Someone
    who also edits those cells holds, in effect, the other unit's blank template: the
    identity cannot tell, see docs/selfassess.md.)
    """
    lang = identity.lang
    problems: list[Problem] = []
    shown_unit = identity.unit + (f"（{identity.unit_code}）" if identity.unit_code else "")
    guide = tl(lang, "sa.sheet.guide")
    label = tl(lang, "sa.guide.unit")
    found: tuple[int, str] | None = None
    if guide in wb.sheetnames:
        for number, row in enumerate(_first_cells(wb[guide], GUIDE_ROWS, 2), start=1):
            if row and _shown(row[0]) == label:
                found = (number, _shown(row[1]) if len(row) > 1 else "")
                break
    if found is None:
        problems.append(
            Problem("sa.visible.no_unit", {"sheet": guide}, Location(source, cell=guide))
        )
    elif found[1] != safe_text(shown_unit):
        problems.append(
            Problem(
                "sa.visible.unit",
                {"shown": found[1], "unit": shown_unit},
                Location(source, cell=f"{guide}!B{found[0]}"),
            )
        )
    title = score_sheet_title(indicators, identity.unit, lang)
    if identity.sheet in wb.sheetnames:  # a missing score sheet is read_scores' to report
        first = _first_cells(wb[identity.sheet], 1, 1)
        shown = _shown(first[0][0]) if first and first[0] else ""
        if shown != safe_text(title):
            problems.append(
                Problem(
                    "sa.visible.title",
                    {"shown": shown, "unit": shown_unit},
                    Location(source, cell=f"{identity.sheet}!A1"),
                )
            )
    return problems


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
        secret = workspace_secret(ws, create=False)
        if secret is None:
            raise refuse(source, "sa.no_secret")
        identity = verified(found.identity, found.tag, secret)
        if identity is None:
            raise refuse(source, "sa.bad_tag", unit=found.identity.unit, round=found.identity.round)
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
        unit = claimed_unit(ws, identity, source)
        if round_.set_hash != identity.set_hash:
            raise refuse(
                source,
                "sa.set_changed",
                named=identity.set_hash[:12],
                round=round_.name,
                expected=round_.set_hash[:12],
            )
        shown = visible_problems(wb, identity, round_.indicators, source)
        try:
            answers = read_scores(wb, identity, round_.indicators, unit, source)
        except ProblemsError as exc:
            raise ProblemsError([*shown, *exc.problems]) from None
        if shown:
            raise ProblemsError(shown)
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
