"""``log UNIT`` as people read it: local time with its zone, the item with its name, each change
said in words ("扣 b×2（−2） → 满分") with the card's keys, and who made it. ``--json`` keeps the
stored form (``ui/cli/query_cmd.py``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from inspector.app.history import History
from inspector.app.types import AuditEntry
from inspector.core.assessment import TEXT_FIELDS
from inspector.core.forms import FULL, NA, answer_from_dict, form_of
from inspector.core.indicators.model import IndicatorSet, localized
from inspector.decimals import fmt
from inspector.i18n import get_language, t

ADJUSTMENTS = ("veto", "aggravated", "bonus")


def local_time(at: str, zone: tzinfo) -> str:
    """A stored time (UTC, ISO 8601) in ``zone``, to the second; a time stored without an offset
    is UTC."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def utc_offset(zone: tzinfo, at: datetime | None = None) -> str:
    """ "+08:00" for Asia/Shanghai."""
    moment = (at or datetime.now(UTC)).astimezone(zone)
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def target_text(entry: AuditEntry, indicators: IndicatorSet | None) -> str:
    """What the entry changed: "1.4 经费保障", "确认", "整改台账 2026-王益区-04"."""
    target = entry.target
    kind, _, rest = target.partition(":")
    if kind == "item":
        item = indicators.item(rest) if indicators is not None else None
        name = str(localized(item, "name", get_language())) if item is not None else ""
        return t("trust.log.target.item", code=rest, name=name).strip()
    if kind == "ledger" and rest:
        return t("trust.log.target.ledger", number=rest)
    key = f"trust.log.target.{target}"
    return t(key) if target in _TARGETS else target


_TARGETS = ("unit", "round", "confirm", "reopen", *ADJUSTMENTS)


def change_text(entry: AuditEntry, indicators: IndicatorSet | None) -> str:
    """ "扣 b×2（−2）；问题：… → 满分": the value before and after, in words."""
    return t(
        "trust.log.change",
        old=_value_text(entry, entry.old, indicators),
        new=_value_text(entry, entry.new, indicators),
    )


def _value_text(entry: AuditEntry, value: Any, indicators: IndicatorSet | None) -> str:
    kind, _, rest = entry.target.partition(":")
    if value is None:
        return t("trust.log.item_none") if kind == "item" else t("trust.log.none")
    if kind == "item":
        item = indicators.item(rest) if indicators is not None else None
        text = _answer_text(value, item) if item is not None else None
        return text if text is not None else _compact(value)
    if kind in ("confirm", "reopen") and isinstance(value, dict):
        return t("trust.log.confirmed", by=value.get("by") or "—")
    if kind in ADJUSTMENTS and isinstance(value, dict):
        return t("trust.log.sep").join(
            code if n == 1 else f"{code}×{n}" for code, n in value.items()
        )
    if kind == "unit" and isinstance(value, dict):
        if "scored" in value:
            return t("trust.log.unit_removed", scored=value["scored"])
        return t(
            "trust.log.unit",
            code=value.get("code") or "—",
            group=value.get("group") or "—",
        )
    if kind == "ledger" and isinstance(value, dict):
        status = value.get("status")
        words = [t(f"ledger.status.{status}")] if status else []
        action = value.get("action")
        if action:
            words.insert(0, t(f"trust.log.ledger.{action}") if action in _ACTIONS else action)
        return t("trust.log.sep").join(words) or _compact(value)
    return _compact(value)


_ACTIONS = (
    "created",
    "updated",
    "reinstated",
    "withdrawn",
    "reported",
    "recheck_passed",
    "recheck_failed",
    "carried",
)


def _answer_text(data: Any, item: Any) -> str | None:
    """A decision in words, with the card's keys and the points it took."""
    answer = answer_from_dict(data)
    if answer is None:
        return None
    lang = get_language()
    if answer.form == FULL:
        text = t("trust.log.full")
    elif answer.form == NA:
        text = t("trust.log.na", reason=answer.na_reason or "—")
    else:
        form = form_of(item)
        if answer.form != form.answer_key:
            return None
        score, _ = form.score(item, answer.value)
        said = form.describe(item, answer.value, lang).lstrip("，,; ")
        text = said or t("trust.log.score", score=fmt(score))
        lost = item.points - score
        if lost > 0:
            text = t("trust.log.lost", text=text, lost=fmt(lost))
    for name in TEXT_FIELDS:
        value = getattr(answer, name)
        if value:
            key = "scorer.card.problem" if name == "problem" else f"scorer.card.text_{name}"
            text += t(key, text=value)
    return text


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def log_view(history: History) -> Group:
    """The unit's history: a title naming the unit and the time zone, then one row per change."""
    first = history.entries[0].at if history.entries else None
    try:
        moment = datetime.fromisoformat(first) if first else None
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    title = Text(
        t(
            "trust.log.title",
            unit=history.unit_name,
            zone=history.zone_name,
            offset=utc_offset(history.zone, moment),
        ),
        "bold",
    )
    rounds = list(dict.fromkeys(e.round_name for e in history.entries if e.round_name))
    parts: list[Text | Table] = [title]
    if len(rounds) == 1:  # one round: said once, not on every row
        parts.append(Text(t("trust.log.round", round=rounds[0])))
    table = Table()
    table.add_column(t("log.col.at"), no_wrap=True)
    table.add_column(t("log.col.who"), overflow="fold")
    if len(rounds) > 1:
        table.add_column(t("log.col.round"), overflow="fold")
    table.add_column(t("log.col.kind"), no_wrap=True)
    table.add_column(t("log.col.target"), overflow="fold", ratio=1)
    table.add_column(t("log.col.change"), overflow="fold", ratio=3)
    table.add_column(t("log.col.command"), overflow="fold", ratio=1)
    for e in history.entries:
        indicators = history.sets.get(e.round_name or "")
        cells: list[str | Text] = [local_time(e.at, history.zone), Text(e.who)]
        if len(rounds) > 1:
            cells.append(Text(e.round_name or "—"))
        cells += [
            t(f"kind.{e.kind}") if e.kind else "—",
            Text(target_text(e, indicators)),
            Text(change_text(e, indicators)),
            Text(e.command),
        ]
        table.add_row(*cells)
    parts.append(table)
    return Group(*parts)
