"""What an integrity check at open would cost: ``PRAGMA quick_check`` on a 10,000-unit workspace.

A damaged page surfaces as ``workspace.damaged`` (exit 3) wherever a query meets it; checking
the whole file at every open would find damage before any command starts, but it reads every
page. This prints the check's time beside the time of opening the workspace and of
``inspector status --json`` (the command whose start-up is tuned), all measured in this run, so
the decision in inspector/store/db.py can be read off the ratios.

    python bench/bench_open_check.py [--units N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from inspector.core.forms import form_of
from inspector.core.indicators import load_set
from inspector.store.workspace import Workspace

GROUPS = ("区县", "市级部门")


def populate(path: Path, units: int) -> None:
    """A round on the bundled set, ``units`` units each with a full inspection, by SQL."""
    rng = random.Random(units)
    loaded = load_set()
    indicators = loaded.indicators
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    with Workspace.create(path) as ws:
        round_ = ws.new_round("基准轮次", loaded, "bench", "bench")
        conn = ws.conn
        with ws.transaction():
            conn.executemany(
                "INSERT INTO units (name, code, grp, tags, created_at, uid)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (f"单位{i:05d}", f"U{i:05d}", GROUPS[i % 2], "[]", stamp, f"u{i:032x}")
                    for i in range(units)
                ],
            )
            rows = []
            for unit_id, group in conn.execute("SELECT id, grp FROM units").fetchall():
                aid = conn.execute(
                    "INSERT INTO assessments (round_id, unit_id, kind, updated_at)"
                    " VALUES (?, ?, 'inspection', ?)",
                    (round_.id, unit_id, stamp),
                ).lastrowid
                for _, item in indicators.items():
                    if not item.applies(group, frozenset()):
                        continue
                    if rng.random() < 0.7 or not item.deductions:
                        rows.append((aid, item.code, "full", None, "bench", stamp))
                    else:
                        form = form_of(item)
                        rule = item.deductions[0].id
                        value = json.dumps([[rule, 1]])
                        rows.append((aid, item.code, form.answer_key, value, "bench", stamp))
            conn.executemany(
                "INSERT INTO item_answers (assessment_id, item_code, form, value, scored_by,"
                " scored_at) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "w.db"
        populate(db, args.units)
        with Workspace.open(db) as ws:  # the first read stores every result
            from inspector.app.status import round_status

            round_status(ws, None)
        size = db.stat().st_size / 1e6

        def quick_check() -> None:
            conn = sqlite3.connect(db)
            conn.execute("PRAGMA quick_check").fetchall()
            conn.close()

        def open_only() -> None:
            Workspace.open(db).close()

        check = median_time(quick_check, args.runs)
        opening = median_time(open_only, args.runs)
        env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_")}
        command = [sys.executable, "-m", "inspector", "status", "--json", "--db", str(db)]

        def status() -> None:
            subprocess.run(command, capture_output=True, check=True, env=env)

        status_time = median_time(status, args.runs)
    print(f"workspace: {args.units:,} units, {size:.1f} MB")
    print(f"open (connect, pragmas): {opening * 1000:.1f} ms")
    print(f"PRAGMA quick_check: {check * 1000:.1f} ms  = {check / opening:.0f}× an open")
    print(
        f"inspector status --json: {status_time * 1000:.0f} ms; quick_check would add "
        f"{check / status_time * 100:.0f} %"
    )


if __name__ == "__main__":
    main()
