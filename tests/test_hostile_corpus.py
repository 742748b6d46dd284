"""The hostile-input corpus (tests/data/hostile): each case runs one real command.

A case is one YAML file (see tests/data/hostile/README.md):

    about: what the case tries, in a sentence
    workspace: small          # a prepared workspace and issued templates (or: none)
    files:                    # inputs written into the case folder before the run
      a.yaml: "unit: 市财政局\\nitems:\\n\\tB3: full\\n"
      x.xlsx: {generate: workbook, zip: encrypted_sheet}
    sql: [...]                # optional statements run on ws.db first (damage stored data)
    before: [...]             # optional commands run first (each must succeed)
    run: score 市财政局 --answers a.yaml
    exit: 1
    expect: ["a.yaml:3:1: YAML 语法错误：…"]   # texts the output must contain (zh)
    absent: [...]             # texts it must not contain
    unchanged: true           # default: true when exit != 0 (nothing recorded on refusal)
    xfail: "why / owner"      # a known defect in another part; removed when it is fixed

Whatever a case says, no command may end in an internal error (exit 70), print a traceback,
or hang (a FIFO case would): every run has a time limit.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.helpers import invoke
from tests.hostile_gen import GENERATORS
from tests.selfassess_support import SMALL, make_workspace

CORPUS = Path(__file__).parent / "data" / "hostile"
CASES = sorted(p for p in CORPUS.rglob("*.yaml"))
KINDS = ("sets", "answers", "units", "workbooks", "workspaces", "names", "rectify")
KEYS = {
    "about",
    "workspace",
    "files",
    "sql",
    "before",
    "run",
    "exit",
    "expect",
    "absent",
    "unchanged",
    "xfail",
    "lang",
    "timeout",
}
TIMEOUT = 60
# 市教育局 has the same items as 市财政局 (same group, no tags); 市大数据局 has the 关基 item
UNITS = (
    ("市财政局", "部门", "CZJ", ()),
    ("市大数据局", "部门", None, ("关基",)),
    ("市教育局", "部门", "JYJ", ()),
)


def load_case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict), path
    assert set(case) <= KEYS, f"{path.name}: unknown keys {set(case) - KEYS}"
    for key in ("about", "run", "exit"):
        assert key in case, f"{path.name}: no {key}"
    return case


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small set's workspace with templates issued."""
    folder = tmp_path_factory.mktemp("hostile-prepared")
    db = make_workspace(folder, SMALL, units=UNITS, name="ws.db")
    result = invoke(
        CliRunner(), ["template", "--all", "--db", str(db), "--out", str(folder / "templates")]
    )
    assert result.exit_code == 0, result.output
    return folder


EDUCATION_ANSWERS = (
    "unit: 市教育局\nitems:\n  A1: {deduct: {r1: 1}}\n  B1: full\n  B2: {level: 实战演练}\n"
    "  B3: {score: 5}\n"
)


@pytest.fixture(scope="session")
def prepared_rectify(tmp_path_factory: pytest.TempPathFactory, prepared: Path) -> Path:
    """The prepared workspace with 市财政局 and 市教育局 inspected and confirmed, and their
    rectification workbooks issued into ``rectify/``."""
    folder = tmp_path_factory.mktemp("hostile-rectify")
    shutil.copytree(prepared, folder, dirs_exist_ok=True)
    db = str(folder / "ws.db")
    education = folder / "education.yaml"
    education.write_text(EDUCATION_ANSWERS, encoding="utf-8")
    for args in (
        ["score", "市财政局", "--answers", str(CORPUS / "valid_answers.txt"), "--confirm"],
        ["score", "市教育局", "--answers", str(education), "--confirm"],
        ["rectify", "template", "--all", "--out", str(folder / "rectify")],
        ["status"],
    ):
        result = invoke(CliRunner(), [*args, "--db", db])
        assert result.exit_code == 0, result.output
    education.unlink()
    return folder


class Hung(BaseException):
    """Raised into a run that blocks. Not an Exception (nor an OSError, as TimeoutError is), so
    no handler in the code under test can mistake it for a failed read and carry on."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Interrupt a run that blocks (a FIFO opened for reading waits forever)."""

    def expired(signum: int, frame: object) -> None:
        raise Hung(f"the command did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def snapshot(folder: Path) -> dict[str, str]:
    """Digest of every regular file (never opening a FIFO or a device)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.name.endswith(("-wal", "-shm")):
            continue
        mode = os.lstat(path).st_mode
        if stat.S_ISREG(mode):
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif not stat.S_ISDIR(mode):
            found[str(path.relative_to(folder))] = f"special {stat.S_IFMT(mode)}"
    return found


def write_files(folder: Path, files: dict[str, Any]) -> None:
    for name, spec in (files or {}).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, str):
            target.write_bytes(spec.encode("utf-8"))
        elif "generate" in spec:
            arguments = {k: v for k, v in spec.items() if k != "generate"}
            GENERATORS[spec["generate"]](folder, target, **arguments)
        elif "text" in spec:
            target.write_bytes(spec["text"].encode(spec.get("encoding", "utf-8")))
        else:
            raise AssertionError(f"{name}: unknown file spec {spec}")


def run(folder: Path, case: dict[str, Any], command: str) -> Any:
    args = shlex.split(command)
    if case.get("workspace", "small") != "none" and "--db" not in args:
        args += ["--db", "ws.db"]
    with time_limit(case.get("timeout", TIMEOUT)):
        return invoke(CliRunner(), args, lang=case.get("lang", "zh"), env={"COLUMNS": "200"})


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(CORPUS))[:-5] for p in CASES])
def test_hostile_case(
    path: Path,
    prepared: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    case = load_case(path)
    if case.get("xfail"):
        request.applymarker(pytest.mark.xfail(reason=case["xfail"], strict=True))
    folder = tmp_path / "case"
    if case.get("workspace", "small") == "none":
        folder.mkdir()
    elif case.get("workspace") == "rectify":
        shutil.copytree(request.getfixturevalue("prepared_rectify"), folder)
    else:
        shutil.copytree(prepared, folder)
    monkeypatch.chdir(folder)
    if case.get("sql"):
        import sqlite3

        conn = sqlite3.connect(folder / "ws.db")
        try:
            for statement in case["sql"]:
                conn.execute(statement)
            conn.commit()
        finally:
            conn.close()
    write_files(folder, case.get("files") or {})
    for command in case.get("before") or ():
        result = run(folder, case, command)
        assert result.exit_code == 0, f"before: {command}\n{result.output}"
    before = snapshot(folder)

    result = run(folder, case, case["run"])
    output = result.output

    assert result.exit_code != 70, output
    assert "Traceback" not in output, output
    assert "内部错误" not in output and "Internal error" not in output, output
    assert result.exit_code == case["exit"], output
    for text in case.get("expect") or ():
        assert text in output, f"missing: {text!r}\n--- output ---\n{output}"
    for text in case.get("absent") or ():
        assert text not in output, f"present: {text!r}\n--- output ---\n{output}"
    if case.get("unchanged", case["exit"] != 0):
        assert snapshot(folder) == before, "a refused command changed files"


def test_the_corpus_covers_every_kind() -> None:
    counts = {kind: 0 for kind in KINDS}
    for path in CASES:
        kind = path.relative_to(CORPUS).parts[0]
        assert kind in counts, path
        counts[kind] += 1
        load_case(path)
    assert all(counts[kind] >= 10 for kind in KINDS), counts
    assert sum(counts.values()) >= 120, counts
