"""The benches' floors print what inspector prints: a floor that drifts from the command it
measures would make its ratio meaningless (bench/bench_app.py refuses to run then)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from tests.helpers import invoke
from tests.workspace_helpers import CITY_UNITS

BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_status_floor_prints_the_json_of_status(tmp_path: Path) -> None:
    bench_app = bench_module("bench_app")
    db = tmp_path / "inspector.db"
    bench_app.populate(db, 12, self_every=2)
    runner = CliRunner()
    for args in (
        ["team", "add", "第一督查组", "--members", "王磊,李娜"],
        ["assign", "第一督查组", "单位00001", "单位00002"],
    ):
        done = invoke(runner, [*args, "--db", str(db)])
        assert done.exit_code == 0, done.output
    ours = invoke(runner, ["status", "--json", "--db", str(db)])
    assert ours.exit_code == 0, ours.output
    floor = subprocess.run(
        [sys.executable, str(BENCH / "status_floor.py"), str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"第一督查组"' in floor.stdout
    assert floor.stdout == ours.stdout


def test_bench_export_copies_units_as_the_schema_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector.app.status import round_status
    from inspector.store.workspace import Workspace
    from tests.report_helpers import answers_for
    from tests.workspace_helpers import make_workspace

    bench_export = bench_module("bench_export")
    monkeypatch.setattr(bench_export, "UNITS", len(CITY_UNITS))  # the units it copies
    source = tmp_path / "one.db"
    ws = make_workspace(source)
    round_ = ws.round()
    units = ws.units()
    assert len(units) == len(CITY_UNITS)
    for unit in units:
        answers = answers_for(round_.indicators, unit.group, unit.tags)
        ws.record(round_, unit, "inspection", "测试", "test", answers)
    problems = ws.conn.execute("SELECT COUNT(*) FROM ledger").fetchone()[0]
    ws.close()
    copies = tmp_path / "three.db"
    assert bench_export.copy_units(source, copies, 3) == 3 * len(units)
    with Workspace.open(copies) as ws:
        assert ws.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert ws.conn.execute("SELECT COUNT(*) FROM ledger").fetchone()[0] == 3 * problems
        assert len({u.uid for u in ws.units()}) == 3 * len(units)
        status = round_status(ws, None)
        assert len(status.units) == 3 * len(units)
        assert all(row.inspection.complete for row in status.units)
