"""The benches' floors print what inspector prints: a floor that drifts from the command it
measures would make its ratio meaningless (bench/bench_app.py refuses to run then)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from typer.testing import CliRunner

from tests.helpers import invoke

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
