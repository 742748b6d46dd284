"""Stored results: always equal to scoring from scratch, ranked by SQL the way the engine
ranks, filled for older workspaces, and never a reason to rescore the round."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.app import queries, recording
from inspector.app import status as app_status
from inspector.core import scoring
from inspector.core.assessment import ItemAnswer, Unit
from inspector.core.engine import ENGINE_VERSION
from inspector.core.indicators import load_set
from inspector.store import db as dbmod
from inspector.store import results
from inspector.store.workspace import Round, Workspace
from tests.conftest import SETS

SMALL = SETS / "small.yaml"
UNITS = [
    ("甲区", "区县", None, ()),
    ("乙区", "区县", None, ("关基",)),
    ("丙区", "区县", None, ()),
    ("财政局", "部门", "FIN", ()),
    ("卫健委", "部门", None, ("关基",)),
]
ANSWERS = {
    "A1": [
        ItemAnswer("full"),
        ItemAnswer("deduct", (("r1", 1),)),
        ItemAnswer("deduct", (("r2", 1),)),
    ],
    "A2": [ItemAnswer("full"), ItemAnswer("deduct", (("r1", 1),))],
    "B1": [
        ItemAnswer("full"),
        ItemAnswer("deduct", (("r1", 2),)),
        ItemAnswer("na", na_reason="无网站"),
    ],
    "B2": [ItemAnswer("level", "实战演练"), ItemAnswer("level", "仅培训")],
    "B3": [ItemAnswer("score", Decimal("4.5")), ItemAnswer("full")],
}


def small_workspace(path: Path) -> Workspace:
    ws = Workspace.create(path)
    ws.new_round("测试轮", load_set(SMALL), "t", "t")
    ws.add_units(UNITS, "t", "t")
    return ws


def from_scratch(ws: Workspace, round_: Round) -> tuple[dict, dict]:
    """Every stored assessment scored anew, and the engine's own ranking."""
    indicators = round_.indicators
    expected: dict[tuple[int, str], results.Summary] = {}
    inspection: dict[int, scoring.UnitResult] = {}
    units = ws.units()
    for kind in ("inspection", "self"):
        stored = ws.assessments(round_, kind)
        for unit in units:
            if kind == "self" and unit.id not in stored:
                continue
            found = stored.get(unit.id)
            assessment = found.assessment if found else ws.assessment(round_, unit, kind).assessment
            result = scoring.score_unit(indicators, unit.group, unit.tags, assessment)
            items = len(found.items) if found else 0
            expected[(unit.id, kind)] = results.summarise(indicators, result, items)
            if kind == "inspection":
                inspection[unit.id] = result
    ranks = scoring.rank_within_groups(
        indicators, ((u.id, u.group, inspection[u.id]) for u in units)
    )
    return expected, ranks


def assert_current(ws: Workspace, round_: Round) -> None:
    status = app_status.round_status(ws, round_.name)
    expected, ranks = from_scratch(ws, round_)
    stored = {
        (unit_id, kind): results.summary(ws.conn, round_.id, unit_id, kind)
        for unit_id, kind in expected
    }
    assert stored == expected
    assert {row.unit.id: row.rank for row in status.units} == ranks
    for row in status.units:
        assert results.standing(ws.conn, round_.id, row.unit.id).rank == row.rank
        own = expected.get((row.unit.id, "self"))
        assert row.self_summary == (own if own is not None and own.items else None)


codes = st.sampled_from(sorted(ANSWERS))
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("record"),
            st.integers(0, 4),
            st.sampled_from(["inspection", "self"]),
            st.dictionaries(codes, st.integers(0, 3), max_size=5),
            st.booleans(),  # reopen
        ),
        st.tuples(
            st.just("adjust"),
            st.integers(0, 4),
            st.sampled_from(["veto", "aggravated", "bonus"]),
            st.integers(0, 2),
        ),
        st.tuples(st.just("confirm"), st.integers(0, 4), st.sampled_from(["inspection", "self"])),
        st.tuples(st.just("fill"), st.integers(0, 4)),
    ),
    max_size=14,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps)
def test_stored_results_always_equal_a_full_rescore(tmp_path: Path, plan: list) -> None:
    path = tmp_path / "h.db"
    path.unlink(missing_ok=True)
    with small_workspace(path) as ws:
        round_ = ws.round()
        units = ws.units()
        for step in plan:
            unit: Unit = units[step[1]]
            try:
                if step[0] == "record":
                    _, _, kind, choice, reopen = step
                    items: dict[str, ItemAnswer | None] = {
                        code: (ANSWERS[code][n] if n < len(ANSWERS[code]) else None)
                        for code, n in choice.items()
                    }
                    recording.record(
                        ws, round_, unit, kind, who="h", command="h", items=items, reopen=reopen
                    )
                elif step[0] == "adjust":
                    _, _, adj, n = step
                    code = {"veto": "V1", "aggravated": "A1", "bonus": "B1"}[adj]
                    entries = {code: 1 if adj == "veto" and n else n}
                    recording.record(
                        ws,
                        round_,
                        unit,
                        "inspection",
                        who="h",
                        command="h",
                        adjustments={adj: entries},
                        reopen=True,
                    )
                elif step[0] == "confirm":
                    recording.confirm(ws, round_, unit, step[2], who="h", command="h")
                else:  # every applicable item answered: the unit becomes rankable
                    applicable = [
                        i.code
                        for _, i in round_.indicators.items()
                        if i.applies(unit.group, set(unit.tags))
                    ]
                    recording.record(
                        ws,
                        round_,
                        unit,
                        "inspection",
                        who="h",
                        command="h",
                        items={c: ItemAnswer("full") for c in applicable},
                        reopen=True,
                    )
            except Exception as exc:  # a locked assessment refuses: that is part of the plan
                assert getattr(exc, "key", None) == "assessment.locked"
        assert_current(ws, round_)


def test_rank_keys_sort_as_text_the_way_they_sort_as_numbers() -> None:
    @given(st.lists(st.tuples(st.integers(0, 1), st.integers(-(10**6), 10**6)), min_size=2))
    def check(keys: list[tuple[int, int]]) -> None:
        assert sorted(keys) == sorted(keys, key=results.encode_key)
        for a in keys:
            for b in keys[:3]:
                assert (a == b) == (results.encode_key(a) == results.encode_key(b))

    check()
    with pytest.raises(ValueError):
        results.encode_key((10**18,))


def test_sql_ranks_like_the_engine_sport_style(tmp_path: Path) -> None:
    with small_workspace(tmp_path / "w.db") as ws:
        round_ = ws.round()
        full = {c: ItemAnswer("full") for c in ("A1", "B1", "B2", "B3")}
        plans = {
            "甲区": full,
            "丙区": full,  # ties with 甲区: both 1st
            "乙区": {**full, "A2": ItemAnswer("deduct", (("r1", 1),))},  # third, not second
        }
        for name, items in plans.items():
            recording.record(
                ws, round_, ws.unit(name), "inspection", who="t", command="t", items=items
            )
        vetoed = recording.record(
            ws,
            round_,
            ws.unit("财政局"),
            "inspection",
            who="t",
            command="t",
            items=full,
            adjustments={"veto": {"V1": 1}},
        )
        status = {row.unit.name: row.rank for row in app_status.round_status(ws, None).units}
        assert status == {"甲区": 1, "乙区": 3, "丙区": 1, "财政局": 1, "卫健委": None}
        assert vetoed.standing.rank == 1 and vetoed.standing.ranked == 1
        # a complete unit ahead of a vetoed one, whatever the totals
        recording.record(
            ws,
            round_,
            ws.unit("卫健委"),
            "inspection",
            who="t",
            command="t",
            items={**full, "A2": ItemAnswer("full"), "A1": ItemAnswer("deduct", (("r1", 1),))},
        )
        status = {row.unit.name: row.rank for row in app_status.round_status(ws, None).units}
        assert (status["卫健委"], status["财政局"]) == (1, 2)
        assert_current(ws, round_)


def v2_workspace(path: Path) -> None:
    """A workspace as version 2 of the schema left it: scores, but no stored results."""
    conn = sqlite3.connect(path, isolation_level=None)
    dbmod.migrate(conn, 0, 2)
    conn.execute(
        "INSERT INTO rounds (name, created_at, set_text, set_hash) VALUES ('旧轮次', 'x', ?, 'h')",
        (SMALL.read_text(encoding="utf-8"),),
    )
    for i, (name, group, code, tags) in enumerate(UNITS, start=1):
        conn.execute(
            "INSERT INTO units (id, name, code, grp, tags, created_at) VALUES (?, ?, ?, ?, ?, 'x')",
            (i, name, code, group, json.dumps(list(tags), ensure_ascii=False)),
        )
    answers = {
        1: [("A1", "full", "[]"), ("B1", "deduct", '[["r1", 2]]'), ("B2", "full", "[]")],
        2: [(c, "full", "[]") for c in ("A1", "A2", "B1", "B2", "B3")],
        4: [(c, "full", "[]") for c in ("A1", "B1", "B2", "B3")],
    }
    for aid, (unit_id, rows) in enumerate(answers.items(), start=1):
        conn.execute(
            "INSERT INTO assessments (id, round_id, unit_id, kind, confirmed_at, updated_at)"
            " VALUES (?, 1, ?, 'inspection', ?, 'x')",
            (aid, unit_id, "y" if unit_id == 4 else None),
        )
        for code, form, deductions in rows:
            conn.execute(
                "INSERT INTO item_answers (assessment_id, item_code, form, deductions, scored_by,"
                " scored_at) VALUES (?, ?, ?, ?, 'old', 'x')",
                (aid, code, form, deductions),
            )
    conn.execute(
        "INSERT INTO assessments (id, round_id, unit_id, kind, updated_at)"
        " VALUES (9, 1, 4, 'self', 'x')"
    )
    conn.execute(
        "INSERT INTO item_answers (assessment_id, item_code, form, scored_by, scored_at)"
        " VALUES (9, 'A1', 'full', 'old', 'x')"
    )
    conn.execute("INSERT INTO adjustments VALUES (1, 'aggravated', 'A1', 1)")
    conn.close()


def test_a_version_2_workspace_gets_its_results_on_first_read(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    v2_workspace(path)
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
        round_ = ws.round()
        assert len(results.stale(ws.conn, round_.id)) == len(UNITS) + 1  # and one self
        status = app_status.round_status(ws, None)
        by_name = {row.unit.name: row for row in status.units}
        # 37 of 40 applicable points (A2 is for 关基 only) scaled to 50, less 5 (A1)
        assert by_name["甲区"].inspection.total == Decimal("41.25")
        assert by_name["财政局"].confirmed and by_name["财政局"].rank == 1
        assert by_name["乙区"].rank == 1 and by_name["甲区"].rank is None  # 甲区: B3 unscored
        assert by_name["财政局"].self_summary is not None
        assert status.facts.group_name("部门", "en") == "Departments"
        assert ws.conn.execute("SELECT COUNT(*) FROM round_facts").fetchone()[0] == 1
        assert not results.stale(ws.conn, round_.id)
        assert_current(ws, round_)


def test_results_of_another_engine_or_group_are_computed_again(tmp_path: Path) -> None:
    with small_workspace(tmp_path / "w.db") as ws:
        round_ = ws.round()
        unit = ws.unit("甲区")
        recording.record(
            ws, round_, unit, "inspection", who="t", command="t", items={"A1": ItemAnswer("full")}
        )
        assert not results.stale(ws.conn, round_.id)
        ws.conn.execute("UPDATE results SET engine = 'an older engine', total = '1'")
        ws.conn.execute("UPDATE round_facts SET facts = '{}', engine = 'old'")
        assert len(results.stale(ws.conn, round_.id)) == len(UNITS)
        assert_current(ws, round_)
        ws.conn.execute("UPDATE units SET tags = '[\"关基\"]' WHERE name = '甲区'")
        assert results.stale(ws.conn, round_.id) == [(unit.id, "inspection")]
        status = {r.unit.name: r for r in app_status.round_status(ws, None).units}
        assert status["甲区"].inspection.to_answer == 5  # A2 applies now
        row = ws.conn.execute("SELECT DISTINCT engine FROM results").fetchall()
        assert [r[0] for r in row] == [ENGINE_VERSION]


def test_recording_one_unit_does_not_rescore_the_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_workspace(tmp_path / "w.db") as ws:
        round_ = ws.round()
        ws.add_units([(f"单位{i}", "区县", None, ()) for i in range(40)], "t", "t")
        app_status.round_status(ws, None)  # every result stored
        calls = []
        real = scoring.score_unit

        def counting(*args: object, **kwargs: object) -> scoring.UnitResult:
            calls.append(args[1:3])
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(scoring, "score_unit", counting)
        unit = ws.unit("单位7")
        done = recording.record(
            ws,
            round_,
            unit,
            "inspection",
            who="t",
            command="t",
            items={c: ItemAnswer("full") for c in ("A1", "B1", "B2", "B3")},
            confirm=True,
        )
        assert done.standing.rank == 1 and done.confirmed
        assert len(calls) == 1  # this unit, once
        calls.clear()
        view = queries.unit_view(ws, None, "单位7")
        assert view.standing.rank == 1 and len(calls) == 1  # its inspection (no self-assessment)
        calls.clear()
        app_status.round_status(ws, None)
        assert calls == []  # status reads, never scores
