"""Costs that must not grow with the round, each printed as a ratio measured in this run.

* ``inspector score UNIT --answers F`` with 1 and with 10,000 other units scored (target: the
  same time within 1.3×);
* ``inspector status --json`` for 1,000 units against ``bench/status_floor.py``, a plain
  sqlite3 + json script reading the same rows and printing the same JSON (target ≤ 2×);
* ``inspector --help`` and ``--version`` against ``python -c "import typer, rich"``
  (target ≤ 2.5×).

Workspaces are populated with direct SQL inserts (quick); the measured commands are the real
CLI, run as subprocesses, interleaved, median of several runs. In-process times follow.

    python bench/bench_app.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from datetime import datetime
from pathlib import Path

from inspector.app.recording import record_answers_file
from inspector.app.status import round_status
from inspector.core.indicators import load_set
from inspector.store.workspace import Workspace

HERE = Path(__file__).resolve().parent
FLOOR = HERE / "status_floor.py"
TYPER_FLOOR = HERE / "typer_floor.py"
TARGET = "目标单位"
GROUPS = ("区县", "市级部门")


def env() -> dict[str, str]:
    """The environment of a user's shell: no INSPECTOR_* settings, and Python caching the
    package's bytecode as any installation does (a session that sets PYTHONDONTWRITEBYTECODE
    would make every run compile inspector from source, and no run of the floors)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_")}
    clean.pop("PYTHONDONTWRITEBYTECODE", None)
    clean["PYTHONPATH"] = str(HERE.parent)
    return clean


def timed(args: list[str], cwd: Path | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env())
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def medians(commands: dict[str, tuple[list[str], Path | None]], runs: int) -> dict[str, float]:
    """Each command ``runs`` times, interleaved (so that a busy moment hits all alike)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for args, cwd in commands.values():  # warm the file cache once
        timed(args, cwd)
    for _ in range(runs):
        for name, (args, cwd) in commands.items():
            times[name].append(timed(args, cwd)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def answers_rows(rng: random.Random, indicators, group: str, tags: tuple[str, ...]) -> list[tuple]:
    """(item code, form, value) as the store keeps them: the form's value as JSON."""
    rows = []
    for _, item in indicators.items():
        if not item.applies(group, set(tags)):
            continue
        roll = rng.random()
        if roll < 0.7:
            rows.append((item.code, "full", None))
        elif item.deductions:
            rule = rng.choice(item.deductions)
            count = rng.randint(1, 3) if rule.per_occurrence else 1
            rows.append((item.code, "deduct", json.dumps([[rule.id, count]])))
        elif item.levels:
            rows.append((item.code, "level", json.dumps(rng.choice(item.levels).name)))
        elif item.direct is not None:
            rows.append((item.code, "score", json.dumps(str(item.points - item.direct.step))))
        else:  # a form without a simple partial value here (a check list): full marks
            rows.append((item.code, "full", None))
    return rows


def populate(path: Path, others: int, self_every: int = 0) -> None:
    """A workspace with the target unit (unscored) and ``others`` scored units, by SQL."""
    rng = random.Random(others)
    loaded = load_set()
    indicators = loaded.indicators
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    with Workspace.create(path) as ws:
        round_ = ws.new_round("基准轮次", loaded, "bench", "bench")
        conn = ws.conn
        units = [(TARGET, "T0", "区县", "[]")] + [
            (
                f"单位{i:05d}",
                f"U{i:05d}",
                GROUPS[i % 2],
                '["关基"]' if i % 5 == 0 else "[]",
            )
            for i in range(others)
        ]
        with ws.transaction():
            conn.executemany(
                "INSERT INTO units (name, code, grp, tags, created_at) VALUES (?, ?, ?, ?, ?)",
                [(*u, stamp) for u in units],
            )
            ids = [r[0] for r in conn.execute("SELECT id FROM units WHERE name != ?", (TARGET,))]
            answers = []
            for n, (unit_id, unit) in enumerate(zip(ids, units[1:], strict=True)):
                tags = tuple(json.loads(unit[3]))
                kinds = ["inspection"] + (["self"] if self_every and n % self_every == 0 else [])
                for kind in kinds:
                    cursor = conn.execute(
                        "INSERT INTO assessments (round_id, unit_id, kind, updated_at,"
                        " confirmed_at, confirmed_by) VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            round_.id,
                            unit_id,
                            kind,
                            stamp,
                            stamp if n % 3 == 0 else None,
                            "bench" if n % 3 == 0 else None,
                        ),
                    )
                    aid = cursor.lastrowid
                    for code, form, value in answers_rows(rng, indicators, unit[2], tags):
                        answers.append((aid, code, form, value, "bench", stamp))
                    if n % 40 == 0 and kind == "inspection":
                        conn.execute(
                            "INSERT INTO adjustments VALUES (?, 'aggravated', 'A2', 1)", (aid,)
                        )
            conn.executemany(
                "INSERT INTO item_answers (assessment_id, item_code, form, value,"
                " scored_by, scored_at) VALUES (?, ?, ?, ?, ?, ?)",
                answers,
            )


def first_read(path: Path) -> float:
    """The lazy path: the first read computes every result the SQL inserts did not store."""
    started = time.perf_counter()
    with Workspace.open(path) as ws:
        round_status(ws, None)
    return time.perf_counter() - started


def answers_files(folder: Path) -> list[Path]:
    indicators = load_set().indicators
    codes = [i.code for _, i in indicators.items() if i.applies("区县", set())]
    files = []
    for n, first in enumerate(("full", "{deduct: [r1]}")):
        lines = [f'  "{codes[0]}": {first}'] + [f'  "{c}": full' for c in codes[1:]]
        path = folder / f"answers-{n}.yaml"
        path.write_text(f"unit: {TARGET}\nitems:\n" + "\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


def bench_score(folder: Path, runs: int) -> None:
    small, big = folder / "one.db", folder / "many.db"
    populate(small, 1)
    populate(big, 10_000)
    print(f"(first read of 10,000 units populated by SQL: {first_read(big):.1f} s; once)")
    first_read(small)
    files = answers_files(folder)
    py = sys.executable
    times: dict[str, list[float]] = {"1": [], "10000": []}
    for run in range(runs + 1):
        answers = files[run % 2]  # every run changes the answer of one item
        for label, db in (("1", small), ("10000", big)):
            elapsed, _ = timed(
                [py, "-m", "inspector", "score", TARGET, "--answers", str(answers), "--db", str(db)]
            )
            if run:  # the first run warms the file cache
                times[label].append(elapsed)
    one, many = statistics.median(times["1"]), statistics.median(times["10000"])
    print(
        f"score UNIT --answers F, 1 / 10,000 other units scored: {one * 1000:.0f} / "
        f"{many * 1000:.0f} ms → {many / one:.2f}×   (target ≤ 1.3×)"
    )
    inproc: dict[str, list[float]] = {"1": [], "10000": []}
    for label, db in (("1", small), ("10000", big)):
        with Workspace.open(db) as ws:
            for run in range(runs):
                started = time.perf_counter()
                record_answers_file(ws, None, TARGET, files[run % 2], "inspection", command="bench")
                inproc[label].append(time.perf_counter() - started)
    one, many = statistics.median(inproc["1"]), statistics.median(inproc["10000"])
    print(
        f"  in-process (record, store the result, rank): {one * 1000:.1f} / {many * 1000:.1f} ms"
        f" → {many / one:.2f}×"
    )


def bench_status(folder: Path, runs: int) -> None:
    work = folder / "status"
    work.mkdir()
    db = work / "inspector.db"
    populate(db, 1000, self_every=2)
    first_read(db)
    py = sys.executable
    _, ours = timed([py, "-m", "inspector", "status", "--json"], cwd=work)
    _, floor_out = timed([py, str(FLOOR), str(db)])
    if ours != floor_out:
        raise SystemExit("the floor's JSON differs from inspector's: fix bench/status_floor.py")
    got = medians(
        {
            "floor": ([py, str(FLOOR), str(db)], None),
            "cwd": ([py, "-m", "inspector", "status", "--json"], work),
            "db": ([py, "-m", "inspector", "status", "--json", "--db", str(db)], None),
            "typer": ([py, str(TYPER_FLOOR), "status", "--json", "--db", str(db)], None),
        },
        runs,
    )
    units = len(json.loads(ours)["units"])
    print(
        f"status --json, {units} units (identical output): floor {got['floor'] * 1000:.0f} ms,"
        f" inspector {got['cwd'] * 1000:.0f} ms → {got['cwd'] / got['floor']:.2f}×"
        "   (target ≤ 2×; run in the workspace's folder)"
    )
    print(
        f"  with --db PATH: {got['db'] * 1000:.0f} ms → {got['db'] / got['floor']:.2f}×;"
        f" a Typer command with the same options that does nothing: {got['typer'] * 1000:.0f} ms"
        " (Typer ≥ 0.29 loads pydantic to check option values)"
    )
    sys.path.insert(0, str(HERE))
    import status_floor

    from inspector.app.ledger import unit_counts
    from inspector.app.team import round_teams
    from inspector.i18n import set_language
    from inspector.ui.json_views import status_json

    set_language("zh")
    floor_times, our_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        with redirect_stdout(io.StringIO()):
            status_floor.main(str(db))
        floor_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        with Workspace.open(db) as ws:
            status = round_status(ws, None)
            counts = unit_counts(ws, status.round)
            teams = round_teams(ws, status.round)
        text = json.dumps(status_json(status, counts, teams, "zh"), ensure_ascii=False, indent=2)
        our_times.append(time.perf_counter() - started)
    assert text + "\n" == floor_out
    floor_t, our_t = statistics.median(floor_times), statistics.median(our_times)
    print(
        f"  in-process (read, build, dump): floor {floor_t * 1000:.1f} ms,"
        f" inspector {our_t * 1000:.1f} ms → {our_t / floor_t:.2f}×"
    )


def bench_startup(runs: int) -> None:
    py = sys.executable
    got = medians(
        {
            "floor": ([py, "-c", "import typer, rich"], None),
            "help": ([py, "-m", "inspector", "--help"], None),
            "version": ([py, "-m", "inspector", "--version"], None),
        },
        runs,
    )
    floor = got["floor"]
    for name in ("help", "version"):
        print(
            f"inspector --{name}: {got[name] * 1000:.0f} ms vs `import typer, rich`"
            f" {floor * 1000:.0f} ms → {got[name] / floor:.2f}×   (target ≤ 2.5×)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_startup(runs)
        bench_status(folder, runs)
        bench_score(folder, runs)


if __name__ == "__main__":
    main()
