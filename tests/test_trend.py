"""Year over year: ``inspector trend`` over the ``--from`` chain, and ``mapping:`` of item
codes between set versions."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from inspector.core.indicators import parse_set
from inspector.errors import ProblemsError
from inspector.reports.trend import chain, code_map, previous_round
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.ledger_support import FULL_MARKS, finance_round, score

OLD, NEW = "2026年度督查", "2027年度督查"


def two_rounds(tmp_path: Path) -> Path:
    db = finance_round(tmp_path)
    result = invoke(CliRunner(), ["round", "new", NEW, "--from", OLD, "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Workspace.open(db) as ws:
        score(ws, "市财政局", FULL_MARKS, round_name=NEW)
    return db


def test_trend_json_follows_the_from_chain(tmp_path: Path) -> None:
    db = two_rounds(tmp_path)
    result = invoke(CliRunner(), ["trend", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rounds"] == [OLD, NEW]
    finance = next(u for u in data["units"] if u["unit"] == "市财政局")
    before, now = finance["rounds"]
    with Workspace.open(db) as ws:
        status = json.loads(invoke(CliRunner(), ["status", "--json", "--db", str(db)]).output)
        old_status = json.loads(
            invoke(CliRunner(), ["status", "--json", "--round", OLD, "--db", str(db)]).output
        )
        assert previous_round(ws, ws.round(NEW)).name == OLD  # type: ignore[union-attr]
        assert [r.name for r in chain(ws, ws.round(OLD))] == [OLD]

    def entry(doc: dict, name: str) -> dict:
        return next(u for u in doc["units"] if u["unit"] == name)

    assert now["total"] == entry(status, "市财政局")["total"] and now["complete"]
    assert before["total"] == entry(old_status, "市财政局")["total"]
    assert now["rank"] == entry(status, "市财政局")["rank"] == 1
    assert finance["change"] == now["total"] - before["total"] > 0


def test_trend_of_one_unit_compares_items_by_code(tmp_path: Path) -> None:
    db = two_rounds(tmp_path)
    result = invoke(CliRunner(), ["trend", "市财政局", "--json", "--db", str(db)])
    data = json.loads(result.output)
    assert [u["unit"] for u in data["units"]] == ["市财政局"]
    items = {i["code"]: i["scores"] for i in data["items"]}
    assert items["B3"][0] == 2.5 and items["B3"][1] == 5  # full marks this year
    table = invoke(CliRunner(), ["trend", "市财政局", "--db", str(db)])
    assert table.exit_code == 0 and OLD in table.output and "B3" in table.output
    unknown = invoke(CliRunner(), ["trend", "无此单位", "--db", str(db)])
    assert unknown.exit_code == 2


def _set_text(mapping: str) -> str:
    from tests.selfassess_support import SMALL

    return SMALL.read_text(encoding="utf-8") + mapping


def test_mapping_targets_must_exist() -> None:
    good = parse_set(_set_text("mapping:\n  Z9: A1\n"), "<t>")
    assert good.indicators.current_code("Z9") == "A1"
    assert good.indicators.current_code("B1") == "B1"
    try:
        parse_set(_set_text("mapping:\n  Z9: Q7\n"), "<t>")
    except ProblemsError as error:
        assert "Q7" in error.problems[0].render() and error.problems[0].location is not None
    else:
        raise AssertionError("a mapping to an unknown item was accepted")


def test_code_map_follows_each_newer_mapping(tmp_path: Path) -> None:
    db = two_rounds(tmp_path)
    with Workspace.open(db) as ws:
        rounds = chain(ws, ws.round(NEW))
        maps = code_map(rounds)
    assert maps[-1]["A1"] == "A1" and maps[0]["B2"] == "B2"
