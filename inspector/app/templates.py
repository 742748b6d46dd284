"""Issuing self-assessment workbooks: which units, what the instructions say, the signing key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from inspector.app.outputs import reported_once
from inspector.core.assessment import Unit
from inspector.errors import NotFoundError
from inspector.selfassess.template import TemplateProgress, Written
from inspector.store.workspace import Workspace

CONTACT_META = "selfassess_contact"
DUE_META = "selfassess_due:"


@dataclass(frozen=True)
class Issued:
    written: list[Written]
    contact: str | None  # what the instructions name as the contact (None: nobody)


def issue(
    ws: Workspace,
    round_name: str | None,
    names: Sequence[str] | None,
    folder: Path,
    lang: str,
    *,
    contact: str | None = None,
    due: str | None = None,
    force: bool = False,
    listener: Callable[[TemplateProgress], None] | None = None,
) -> Issued:
    """Write the workbooks of the units named (every unit when ``names`` is None).

    The contact and the due date given are remembered for the next templates of the round;
    without them, the remembered ones (or the round's deadline) are used."""
    from inspector.selfassess.identity import workspace_secret
    from inspector.selfassess.template import TemplateText, generate

    round_ = ws.round(round_name)
    chosen: list[Unit] = []
    if names is None:
        from inspector.store.round_extras import participants

        chosen = participants(ws.conn, round_.id)  # the units taking part in the round
        if not chosen:
            raise NotFoundError("sa.template.none")
    else:
        for name in names:
            unit = ws.unit(name)
            if unit not in chosen:
                chosen.append(unit)
    given_contact = (contact or "").strip()
    contact_text = given_contact or ws.meta(CONTACT_META)
    due_text = due or ws.meta(DUE_META + round_.name) or round_.deadline
    secret = workspace_secret(ws, create=True)
    assert secret is not None
    text = TemplateText(due=due_text, contact=contact_text)
    written = reported_once(
        lambda: generate(round_, chosen, folder, secret, lang, text, force, listener)
    )
    if given_contact:
        ws.set_meta(CONTACT_META, given_contact)
    if due:
        ws.set_meta(DUE_META + round_.name, due)
    return Issued(written, contact_text)


__all__ = ["Issued", "TemplateProgress", "Written", "issue"]
