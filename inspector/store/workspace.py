"""The workspace: units, rounds, assessments and the audit log in one SQLite file.

Every write is one transaction that also writes its audit rows, so a killed process leaves
either the whole change or none of it. Writes nest: inside ``with ws.transaction():`` several
of them commit or roll back together (the application layer composes its use cases so).
Each write of answers also stores the unit's new result (``inspector.store.results``).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector.core.assessment import (
    ADJUSTMENT_KINDS,
    AdjustmentKind,
    Assessment,
    ItemAnswer,
    Kind,
    Unit,
)
from inspector.errors import ConflictError, InspectorError, NotFoundError, WorkspaceError
from inspector.store import results
from inspector.store.db import connect, write
from inspector.text_rules import NameKind, check_name

if TYPE_CHECKING:  # the indicator model is built only when a round's set is read
    from inspector.core.indicators import IndicatorSet, LoadedSet


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Round:
    id: int
    name: str
    created_at: str
    set_text: str = field(repr=False)
    set_hash: str
    set_source: str | None
    deadline: str | None

    @cached_property
    def loaded(self) -> LoadedSet:
        from inspector.core.indicators import parse_set

        return parse_set(self.set_text, f"<{self.name}>", pinned=True)

    @property
    def indicators(self) -> IndicatorSet:
        return self.loaded.indicators


@dataclass(frozen=True)
class StoredItem:
    answer: ItemAnswer
    scored_by: str
    scored_at: str


@dataclass(frozen=True)
class StoredAssessment:
    kind: Kind
    items: Mapping[str, StoredItem] = field(default_factory=dict)
    veto: frozenset[str] = frozenset()
    aggravated: Mapping[str, int] = field(default_factory=dict)
    bonus: Mapping[str, int] = field(default_factory=dict)
    confirmed_at: str | None = None
    confirmed_by: str | None = None
    source: str | None = None
    source_digest: str | None = None
    updated_at: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def exists(self) -> bool:
        return self.updated_at is not None

    @property
    def assessment(self) -> Assessment:
        return Assessment(
            answers={code: stored.answer for code, stored in self.items.items()},
            veto=self.veto,
            aggravated=dict(self.aggravated),
            bonus=dict(self.bonus),
        )

    def adjustments(self, kind: AdjustmentKind) -> dict[str, int]:
        if kind == "veto":
            return dict.fromkeys(sorted(self.veto), 1)
        return dict(self.aggravated if kind == "aggravated" else self.bonus)


@dataclass(frozen=True)
class AuditEntry:
    at: str
    who: str
    command: str
    round_name: str | None
    unit_name: str | None
    kind: str | None
    target: str
    old: object
    new: object


# ``value`` is the answer's scoring form's own JSON (core/forms): the store does not know forms
ANSWER_COLUMNS = "form, value, na_reason, problem, rectify, evidence, note, deadline"
ANSWER_WIDTH = 8


def _answer_from_row(row: Sequence[Any]) -> ItemAnswer:
    """An answer from the ANSWER_COLUMNS of a row (by position: this runs 30,000 times a status)."""
    from inspector.core.forms import stored_answer  # the forms load the indicator model

    return stored_answer(*row[:ANSWER_WIDTH])


def _unit_from_row(row: sqlite3.Row, path: Path) -> Unit:
    try:
        tags = json.loads(row["tags"])
    except (TypeError, ValueError):
        raise WorkspaceError("workspace.bad_unit", path=path, unit=row["name"]) from None
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise WorkspaceError("workspace.bad_unit", path=path, unit=row["name"])
    return Unit(row["id"], row["name"], row["grp"], row["code"], tuple(tags), row["uid"])


def _dumps(value: object) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def new_uid() -> str:
    """A unit's stable identity: random, never reused (the migration makes the same shape)."""
    return "u" + secrets.token_hex(16)


def normal_name(value: str, kind: NameKind = "unit") -> str:
    """A name as the name rule stores it (NFC, trimmed, inner white space one space), or
    ``InspectorError`` with the rule's reason: every name the store keeps passes it."""
    text, reason = check_name(value, kind)
    if reason is not None:
        raise InspectorError(reason[0], **reason[1])
    return text


def lookup_key(value: str) -> str:
    """What a typed name is looked up as: NFC, trimmed, inner white space one space (so
    "市财政局 " and a decomposed "市财政局" find the unit). Nothing is refused here: a name
    that cannot exist is simply not found."""
    return " ".join(unicodedata.normalize("NFC", value).split())


class Workspace:
    """One open workspace file. Use as a context manager, or call ``close``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Workspace:
        return cls(connect(path), path)

    @classmethod
    def create(cls, path: Path) -> Workspace:
        """A new workspace where there is nothing yet (or a 0-byte file); an existing
        workspace is refused (``workspace.exists``)."""
        return cls(connect(path, create=True), path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction around several writes: all of them are kept, or none.

        Every write method runs inside it instead of committing on its own; a failure
        anywhere inside rolls back everything written since it began."""
        with write(self.conn):
            yield

    # --- meta -----------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with write(self.conn):
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # --- audit ------------------------------------------------------------------------------

    def audit(
        self,
        who: str,
        command: str,
        target: str,
        old: object,
        new: object,
        round_name: str | None = None,
        unit: Unit | None = None,
        kind: str | None = None,
    ) -> None:
        """One audit row; a unit's rows carry its uid as well as its name, so a unit added
        again under a removed unit's name never shows the removed unit's history."""
        uid = None
        if unit is not None:
            uid = unit.uid or self._uid_of(unit)
        self.conn.execute(
            "INSERT INTO audit (at, who, command, round_name, unit_name, unit_uid, kind, target,"
            " old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                now(),
                who,
                command,
                round_name,
                unit.name if unit is not None else None,
                uid,
                kind,
                target,
                _dumps(old),
                _dumps(new),
            ),
        )

    def _uid_of(self, unit: Unit) -> str | None:
        row = self.conn.execute("SELECT uid FROM units WHERE id = ?", (unit.id,)).fetchone()
        return row["uid"] if row is not None else None

    def audit_log(self, unit: Unit | None = None, round_: Round | None = None) -> list[AuditEntry]:
        sql = "SELECT * FROM audit WHERE 1 = 1"
        params: list[object] = []
        if unit is not None:  # this unit's rows, not those of a removed unit of its name
            uid = unit.uid or self._uid_of(unit)
            sql += " AND unit_uid = ?" if uid else " AND unit_name = ?"
            params.append(uid or unit.name)
        if round_ is not None:
            sql += " AND (round_name = ? OR round_name IS NULL)"
            params.append(round_.name)
        rows = self.conn.execute(sql + " ORDER BY id", params).fetchall()
        return [
            AuditEntry(
                r["at"],
                r["who"],
                r["command"],
                r["round_name"],
                r["unit_name"],
                r["kind"],
                r["target"],
                json.loads(r["old"]) if r["old"] is not None else None,
                json.loads(r["new"]) if r["new"] is not None else None,
            )
            for r in rows
        ]

    # --- rounds -----------------------------------------------------------------------------

    def _round_from_row(self, row: sqlite3.Row) -> Round:
        return Round(
            row["id"],
            row["name"],
            row["created_at"],
            row["set_text"],
            row["set_hash"],
            row["set_source"],
            row["deadline"],
        )

    def new_round(
        self,
        name: str,
        loaded: LoadedSet,
        who: str,
        command: str,
        source: str | None = None,
        deadline: str | None = None,
    ) -> Round:
        name = normal_name(name, "round")
        with write(self.conn):
            if self.conn.execute("SELECT 1 FROM rounds WHERE name = ?", (name,)).fetchone():
                raise ConflictError("round.exists", name=name)
            self.conn.execute(
                "INSERT INTO rounds (name, created_at, set_text, set_hash, set_source, deadline)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, now(), loaded.text, loaded.hash, source, deadline),
            )
            self.audit(who, command, "round", None, {"set": loaded.hash, "source": source}, name)
        return self.round(name)

    def rounds(self) -> list[Round]:
        rows = self.conn.execute("SELECT * FROM rounds ORDER BY id").fetchall()
        return [self._round_from_row(r) for r in rows]

    def round(self, name: str | None = None) -> Round:
        """The round called ``name``, or the newest round."""
        if name is None:
            row = self.conn.execute("SELECT * FROM rounds ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                raise NotFoundError("round.none")
        else:
            row = self.conn.execute(
                "SELECT * FROM rounds WHERE name IN (?, ?)", (lookup_key(name), name)
            ).fetchone()
            if row is None:
                known = "、".join(r.name for r in self.rounds()) or "—"
                raise NotFoundError("round.unknown", name=name, known=known)
        return self._round_from_row(row)

    # --- units ------------------------------------------------------------------------------

    def units(self, group: str | None = None) -> list[Unit]:
        sql = "SELECT * FROM units"
        params: tuple[object, ...] = ()
        if group is not None:
            sql += " WHERE grp = ?"
            params = (group,)
        return [
            _unit_from_row(r, self.path) for r in self.conn.execute(sql + " ORDER BY id", params)
        ]

    def unit(self, name: str) -> Unit:
        """A unit by name or code (as typed, NFC-normalised and trimmed). No name equals
        another unit's code (``add_units`` refuses it), so the answer is never ambiguous;
        a name wins over a code in workspaces made before that rule."""
        key = lookup_key(name)
        row = self.conn.execute(
            "SELECT * FROM units WHERE name IN (?, ?) OR code IN (?, ?)"
            " ORDER BY name IN (?, ?) DESC, id LIMIT 1",
            (key, name, key, name, key, name),
        ).fetchone()
        if row is None:
            known = "、".join(u.name for u in self.units()) or "—"
            raise NotFoundError("unit.unknown", name=name, known=known)
        return _unit_from_row(row, self.path)

    def unit_by_uid(self, uid: str) -> Unit | None:
        """The unit with this uid (None: removed, or never in this workspace)."""
        row = self.conn.execute("SELECT * FROM units WHERE uid = ?", (uid,)).fetchone()
        return _unit_from_row(row, self.path) if row is not None else None

    def takes_legacy_templates(self, unit: Unit) -> bool:
        """Whether a template issued before units had uids can be this unit's: only if the
        unit existed then and no unit of its name or code had been removed before."""
        row = self.conn.execute(
            "SELECT legacy_templates FROM units WHERE id = ?", (unit.id,)
        ).fetchone()
        return row is not None and bool(row["legacy_templates"])

    def _check_unit_fields(
        self,
        indicators: IndicatorSet,
        name: str,
        group: str,
        code: str | None,
        tags: Iterable[str],
    ) -> tuple[str, str, str | None, tuple[str, ...]]:
        """The unit's fields as stored (each by the name rule), or the reason they are
        refused: a bad name, an unknown group or tag, a name or code another unit holds, a
        name equal to another unit's code or a code equal to another unit's name (``score
        U01`` would find the wrong unit)."""
        name = normal_name(name, "unit")
        group = normal_name(group, "group")
        code = normal_name(code, "code") if code is not None and code.strip() else None
        tags = tuple(dict.fromkeys(normal_name(tag, "tag") for tag in tags))
        if indicators.group(group) is None:
            known = "、".join(g.code for g in indicators.groups)
            raise NotFoundError("unit.unknown_group", group=group, known=known)
        known_tags = {tag.code for tag in indicators.tags}
        for tag in tags:
            if tag not in known_tags:
                raise NotFoundError(
                    "unit.unknown_tag", tag=tag, known="、".join(sorted(known_tags)) or "—"
                )
        clash = self.conn.execute(
            "SELECT name FROM units WHERE name = ? OR (code IS NOT NULL AND code = ?)",
            (name, code),
        ).fetchone()
        if clash:
            raise ConflictError("unit.exists", name=clash["name"], code=code or "")
        other = self.conn.execute("SELECT name FROM units WHERE code = ?", (name,)).fetchone()
        if other:
            raise ConflictError("unit.name_is_code", name=name, other=other["name"])
        if code is not None:
            other = self.conn.execute("SELECT name FROM units WHERE name = ?", (code,)).fetchone()
            if other:
                raise ConflictError("unit.code_is_name", code=code, other=other["name"])
        return name, group, code, tags

    def add_units(
        self,
        units: Iterable[tuple[str, str, str | None, tuple[str, ...]]],
        who: str,
        command: str,
        location: Iterable[str] | None = None,
    ) -> list[Unit]:
        """Add units (name, group, code, tags) all or nothing; groups and tags are checked
        against the newest round's indicator set."""
        indicators = self.round().indicators
        rows = list(units)
        names = list(location) if location is not None else [r[0] for r in rows]
        added = []
        with write(self.conn):
            for (given, given_group, given_code, given_tags), where in zip(
                rows, names, strict=True
            ):
                try:
                    name, group, code, tags = self._check_unit_fields(
                        indicators, given, given_group, given_code, given_tags
                    )
                except InspectorError as exc:
                    if location is None:
                        raise
                    raise InspectorError(
                        "unit.row_error", where=where, detail=exc.message()
                    ) from None
                uid = new_uid()
                cursor = self.conn.execute(
                    "INSERT INTO units (name, code, grp, tags, created_at, uid)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (name, code, group, json.dumps(list(tags), ensure_ascii=False), now(), uid),
                )
                unit = Unit(int(cursor.lastrowid or 0), name, group, code, tuple(tags), uid)
                self.audit(
                    who,
                    command,
                    "unit",
                    None,
                    {"group": group, "code": code, "tags": list(tags)},
                    unit=unit,
                )
                added.append(unit)
        return added

    def remove_unit(self, name: str, force: bool, who: str, command: str) -> Unit:
        unit = self.unit(name)
        with write(self.conn):
            scored = self.conn.execute(
                "SELECT COUNT(*) FROM item_answers JOIN assessments a ON a.id = assessment_id"
                " WHERE a.unit_id = ?",
                (unit.id,),
            ).fetchone()[0]
            if scored and not force:
                raise ConflictError("unit.has_scores", name=unit.name, count=scored)
            self.conn.execute("DELETE FROM units WHERE id = ?", (unit.id,))
            self.audit(
                who,
                command,
                "unit",
                {"group": unit.group, "code": unit.code, "tags": list(unit.tags), "scored": scored},
                None,
                unit=unit,
            )
        return unit

    # --- assessments --------------------------------------------------------------------------

    def _assessment_id(self, round_: Round, unit: Unit, kind: Kind, create: bool) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM assessments WHERE round_id = ? AND unit_id = ? AND kind = ?",
            (round_.id, unit.id, kind),
        ).fetchone()
        if row is not None:
            return int(row["id"])
        if not create:
            return None
        cursor = self.conn.execute(
            "INSERT INTO assessments (round_id, unit_id, kind, updated_at) VALUES (?, ?, ?, ?)",
            (round_.id, unit.id, kind, now()),
        )
        return int(cursor.lastrowid or 0)

    def assessment(self, round_: Round, unit: Unit, kind: Kind) -> StoredAssessment:
        return self.assessments(round_, kind, [unit.id]).get(unit.id, StoredAssessment(kind))

    def is_confirmed(self, round_: Round, unit: Unit, kind: Kind) -> bool:
        row = self.conn.execute(
            "SELECT confirmed_at FROM assessments WHERE round_id = ? AND unit_id = ? AND kind = ?",
            (round_.id, unit.id, kind),
        ).fetchone()
        return row is not None and row["confirmed_at"] is not None

    def check_open(self, round_: Round, unit: Unit, kind: Kind) -> None:
        """Refuse to change a confirmed assessment (``assessment.locked``).

        The store's half of the lock rule, applied by every write of answers; whether to
        reopen instead is decided in one place, ``inspector.app.locking``."""
        if self.is_confirmed(round_, unit, kind):
            raise ConflictError("assessment.locked", unit=unit.name)

    def assessments(
        self, round_: Round, kind: Kind, unit_ids: Iterable[int] | None = None
    ) -> dict[int, StoredAssessment]:
        """Every stored assessment of ``kind`` in the round, by unit id (three queries)."""
        sql = "SELECT * FROM assessments WHERE round_id = ? AND kind = ?"
        params: list[object] = [round_.id, kind]
        if unit_ids is not None:
            ids = list(unit_ids)
            sql += f" AND unit_id IN ({','.join('?' * len(ids))})"
            params += ids
        heads = {row["id"]: row for row in self.conn.execute(sql, params)}
        if not heads:
            return {}
        marks = ",".join("?" * len(heads))
        items: dict[int, dict[str, StoredItem]] = {aid: {} for aid in heads}
        cursor = self.conn.cursor()
        cursor.row_factory = None
        for row in cursor.execute(
            f"SELECT {ANSWER_COLUMNS}, scored_by, scored_at, assessment_id, item_code"
            f" FROM item_answers WHERE assessment_id IN ({marks})",
            list(heads),
        ):
            w = ANSWER_WIDTH
            items[row[w + 2]][row[w + 3]] = StoredItem(_answer_from_row(row), row[w], row[w + 1])
        adjustments: dict[int, dict[str, dict[str, int]]] = {
            aid: {k: {} for k in ADJUSTMENT_KINDS} for aid in heads
        }
        for row in self.conn.execute(
            f"SELECT * FROM adjustments WHERE assessment_id IN ({marks})", list(heads)
        ):
            adjustments[row["assessment_id"]][row["kind"]][row["code"]] = int(row["count"])
        result = {}
        for aid, head in heads.items():
            adj = adjustments[aid]
            result[int(head["unit_id"])] = StoredAssessment(
                kind=kind,
                items=items[aid],
                veto=frozenset(adj["veto"]),
                aggravated=adj["aggravated"],
                bonus=adj["bonus"],
                confirmed_at=head["confirmed_at"],
                confirmed_by=head["confirmed_by"],
                source=head["source"],
                source_digest=head["source_digest"],
                updated_at=head["updated_at"],
            )
        return result

    def record(
        self,
        round_: Round,
        unit: Unit,
        kind: Kind,
        who: str,
        command: str,
        items: Mapping[str, ItemAnswer | None] | None = None,
        adjustments: Mapping[AdjustmentKind, Mapping[str, int]] | None = None,
        replace: bool = False,
        source: str | None = None,
        source_digest: str | None = None,
    ) -> int:
        """Write answers in one transaction and audit each change; returns how many changed.

        ``items`` maps item codes to answers (None clears one); codes absent stay as they are,
        unless ``replace``, which clears them. ``adjustments`` replaces the veto, aggravated or
        bonus entries of the kinds it names. A confirmed assessment is refused
        (``check_open``). When anything changed, the unit's stored result is computed again in
        the same transaction.
        """
        from inspector.core.forms import answer_to_dict, canonical, stored_value

        items = items or {}
        adjustments = adjustments or {}
        changes = 0
        with write(self.conn):
            self.check_open(round_, unit, kind)
            aid = self._assessment_id(round_, unit, kind, create=True)
            current = {
                row[ANSWER_WIDTH]: _answer_from_row(row)
                for row in self.conn.execute(
                    f"SELECT {ANSWER_COLUMNS}, item_code FROM item_answers WHERE assessment_id = ?",
                    (aid,),
                )
            }
            wanted: dict[str, ItemAnswer | None] = {}
            for code, answer in items.items():
                item = round_.indicators.item(code)
                wanted[code] = canonical(item, answer) if answer is not None else None
            if replace:
                for code in current:
                    wanted.setdefault(code, None)
            stamp = now()
            version = self._next_version(aid)
            for code, answer in wanted.items():
                old = current.get(code)
                if old == answer:
                    continue
                changes += 1
                if answer is None:
                    self.conn.execute(
                        "DELETE FROM item_answers WHERE assessment_id = ? AND item_code = ?",
                        (aid, code),
                    )
                else:
                    self.conn.execute(
                        "INSERT OR REPLACE INTO item_answers (assessment_id, item_code, form,"
                        " value, na_reason, problem, rectify, evidence, note, deadline,"
                        " scored_by, scored_at, version)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            aid,
                            code,
                            answer.form,
                            stored_value(answer),
                            answer.na_reason,
                            answer.problem,
                            answer.rectify,
                            answer.evidence,
                            answer.note,
                            answer.deadline,
                            who,
                            stamp,
                            version,
                        ),
                    )
                self.audit(
                    who,
                    command,
                    f"item:{code}",
                    answer_to_dict(old) if old else None,
                    answer_to_dict(answer) if answer else None,
                    round_.name,
                    unit,
                    kind,
                )
            for adj_kind, entries in adjustments.items():
                old_entries = {
                    row["code"]: int(row["count"])
                    for row in self.conn.execute(
                        "SELECT code, count FROM adjustments WHERE assessment_id = ? AND kind = ?",
                        (aid, adj_kind),
                    )
                }
                new_entries = {code: int(n) for code, n in entries.items() if int(n) > 0}
                if old_entries == new_entries:
                    continue
                changes += 1
                self.conn.execute(
                    "DELETE FROM adjustments WHERE assessment_id = ? AND kind = ?", (aid, adj_kind)
                )
                self.conn.executemany(
                    "INSERT INTO adjustments (assessment_id, kind, code, count)"
                    " VALUES (?, ?, ?, ?)",
                    [(aid, adj_kind, code, n) for code, n in sorted(new_entries.items())],
                )
                self.audit(
                    who,
                    command,
                    adj_kind,
                    old_entries or None,
                    new_entries or None,
                    round_.name,
                    unit,
                    kind,
                )
            if changes or source is not None:
                self.conn.execute(
                    "UPDATE assessments SET updated_at = ?, source = COALESCE(?, source),"
                    " source_digest = COALESCE(?, source_digest),"
                    " version = CASE WHEN ? THEN ? ELSE version END WHERE id = ?",
                    (stamp, source, source_digest, changes > 0, version, aid),
                )
            if changes:
                results.store(self.conn, round_, unit, kind, self.assessment(round_, unit, kind))
        return changes

    def _next_version(self, aid: int | None) -> int:
        """The version the next change of an assessment gets (each change of its answers
        counts one; each answer keeps the version that wrote it)."""
        row = self.conn.execute("SELECT version FROM assessments WHERE id = ?", (aid,)).fetchone()
        return int(row["version"]) + 1 if row is not None else 1

    def set_confirmed(
        self, round_: Round, unit: Unit, kind: Kind, confirmed: bool, who: str, command: str
    ) -> bool:
        """Lock (confirm) or unlock (reopen) an assessment; returns whether anything changed."""
        with write(self.conn):
            aid = self._assessment_id(round_, unit, kind, create=True)
            row = self.conn.execute(
                "SELECT confirmed_at, confirmed_by FROM assessments WHERE id = ?", (aid,)
            ).fetchone()
            if (row["confirmed_at"] is not None) == confirmed:
                return False
            stamp = now() if confirmed else None
            self.conn.execute(
                "UPDATE assessments SET confirmed_at = ?, confirmed_by = ? WHERE id = ?",
                (stamp, who if confirmed else None, aid),
            )
            old = {"confirmed_at": row["confirmed_at"], "by": row["confirmed_by"]}
            new = {"confirmed_at": stamp, "by": who} if confirmed else None
            self.audit(
                who,
                command,
                "confirm" if confirmed else "reopen",
                old if row["confirmed_at"] else None,
                new,
                round_.name,
                unit,
                kind,
            )
        return True
