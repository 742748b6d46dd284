"""Rounds: the first one (which creates the workspace) and the next ones, each pinned to the
exact content of its indicator set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from inspector.app.actors import default_user
from inspector.app.workspaces import created
from inspector.core.indicators import LoadedSet, load_set
from inspector.errors import InspectorError
from inspector.store.workspace import Round, Workspace, normal_name
from inspector.text_rules import printable


@dataclass(frozen=True)
class NewRound:
    round: Round
    loaded: LoadedSet


def _source(path: Path | None) -> str | None:
    return str(path.resolve()) if path is not None else None


def check_deadline(value: str | None) -> str | None:
    """A round's rectification deadline: an ISO date (YYYY-MM-DD), or None."""
    if value is None:
        return None
    text = value.strip()
    try:
        date.fromisoformat(text)
    except ValueError:
        raise InspectorError("round.bad_deadline", value=printable(value)) from None
    if len(text) != 10:
        raise InspectorError("round.bad_deadline", value=printable(value))
    return text


def create(
    ws: Workspace, name: str, indicators: Path | None, deadline: str | None, command: str
) -> NewRound:
    """A round on ``indicators`` (the bundled set when None)."""
    deadline = check_deadline(deadline)
    loaded = load_set(indicators)
    round_ = ws.new_round(name, loaded, default_user(), command, _source(indicators), deadline)
    return NewRound(round_, loaded)


def init(
    db: Path | None, name: str, indicators: Path | None, deadline: str | None, command: str
) -> NewRound:
    """A new workspace file holding its first round; the name, the deadline and the set are
    checked before the file is made."""
    name = normal_name(name, "round")
    deadline = check_deadline(deadline)
    loaded = load_set(indicators)
    with created(db) as ws:
        round_ = ws.new_round(name, loaded, default_user(), command, _source(indicators), deadline)
    return NewRound(round_, loaded)


def set_title(round_: Round) -> str:
    """The title of the set a round is pinned to."""
    return round_.indicators.title
