"""Keystrokes and response time of the guided scorer, in a real 80×24 pseudo-terminal.

Scores two units of the bundled 5×30 set with ``inspector score``:

* an all-full unit (Enter on every item, then the review and the confirmation);
* a typical unit: 6 deductions, 2 of them with the inspector's own problem text, 1 N/A.

Prints, for each: lines typed, keystrokes (every character and Enter), the slowest and the
median time from Enter to the next screen (the tool's own latency: saving one item and
drawing the next card), and the whole session's wall time with no human in it.

    PYTHONPATH=. python bench/score_session.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parent.parent
UNIT = "市财政局"


def env(db: Path) -> dict[str, str]:
    values = dict(os.environ)
    values["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), values.get("PYTHONPATH")]))
    values.update(INSPECTOR_DB=str(db), INSPECTOR_LANG="zh", TERM="xterm", LC_ALL="C.UTF-8")
    return values


def cli(db: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "inspector", *args], env=env(db), check=True, capture_output=True
    )


def session(db: Path, steps: list[tuple[str, str]]) -> tuple[int, int, list[float], float]:
    """Type each line and wait for the prompt that follows it."""
    started = time.perf_counter()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "inspector", "score", UNIT],
        env=env(db),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    child.expect_exact("1.1> ")
    latencies = []
    keystrokes = 0
    for line, prompt in steps:
        sent = time.perf_counter()
        child.sendline(line)
        keystrokes += len(line) + 1
        if prompt:
            child.expect_exact(prompt)
        else:
            child.expect(pexpect.EOF)
        latencies.append(time.perf_counter() - sent)
    child.close()
    return len(steps), keystrokes, latencies, time.perf_counter() - started


def codes() -> list[str]:
    from inspector.core.indicators import load_set

    return [item.code for _, item in load_set(None).indicators.items() if item.code != "3.3"]


def all_full() -> list[tuple[str, str]]:
    items = codes()
    steps = [("", f"{code}> ") for code in items[1:]]
    return [*steps, ("", "复核> "), ("", "确认> "), ("y", "")]


TYPICAL = {
    "1.2": "c2 /p 财务科、信息科未签订责任书",
    "1.4": "c",
    "2.6": "/n 未自行开办政务应用",
    "3.2": "b",
    "3.4": "a2 b /p 门户网站后台存在2处弱口令、1个高危漏洞",
    "4.4": "b",
    "5.4": "a",
}


def typical() -> list[tuple[str, str]]:
    items = codes()
    steps = []
    for n, code in enumerate(items):
        following = f"{items[n + 1]}> " if n + 1 < len(items) else "复核> "
        steps.append((TYPICAL.get(code, ""), following))
    return [*steps, ("", "确认> "), ("y", "")]


def main() -> None:
    for name, steps in (("all full marks", all_full()), ("typical", typical())):
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "bench.db"
            cli(db, "init", "--name", "bench")
            cli(db, "units", "add", UNIT, "--group", "市级部门")
            lines, keys, latencies, wall = session(db, steps)
        print(
            f"{name:15} lines {lines:3}  keystrokes {keys:4}  "
            f"latency median {statistics.median(latencies) * 1000:5.0f} ms  "
            f"max {max(latencies) * 1000:5.0f} ms  session {wall:5.1f} s"
        )


if __name__ == "__main__":
    main()
