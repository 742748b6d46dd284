"""A full disk (issue 14, point 3): a clear message and exit code, nothing half-written, and
never a raw "Exception ignored in ZipFile.__del__ … Traceback" after the message.

The disk is filled in two ways: SQLite's own page limit (``PRAGMA max_page_count``) for the
workspace, and a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored, so a write past it fails
with an OSError as on a full disk) for the workbooks, in a real ``inspector`` process. A file
size limit lets XlsxWriter's abandoned archive write its directory below the limit, where a
full disk would not (seen on a 24 kB tmpfs), so what the app does with a failed writer's
leftovers is also tested in process, with a stand-in that fails as the archive does.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from inspector.errors import InspectorError
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.report_helpers import answers_for
from tests.selfassess_support import SMALL, make_workspace
from tests.workspace_helpers import make_workspace as make_city

resource = pytest.importorskip("resource")
LIMIT = 40_000  # bytes: above SQLite's shared-memory file (32 kB), below the workbooks


def test_a_full_disk_is_a_clear_error_and_nothing_is_half_written(tmp_path: Path) -> None:
    db = make_workspace(tmp_path, SMALL, name="ws.db")
    ws = Workspace.open(db)
    try:
        before = len(ws.units())
        pages = ws.conn.execute("PRAGMA page_count").fetchone()[0]
        ws.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on
        many = [(f"单位{i}" + "很长的名称" * 5, "部门", None, ()) for i in range(2000)]
        with pytest.raises(InspectorError) as info:
            ws.add_units(many, "tester", "test")
        assert info.value.exit_code == 3 and info.value.key == "workspace.full"
        assert "磁盘已满" in info.value.message() and str(db) in info.value.message()
        assert len(ws.units()) == before
    finally:
        ws.close()


def limited() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def run_limited(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_")}
    env["INSPECTOR_LANG"] = "zh"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return subprocess.run(
        [sys.executable, "-m", "inspector", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        preexec_fn=limited,
        timeout=120,
    )


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled set and five units, the signing key made and every stored result
    computed by a first export and template run (so the limited runs only read it)."""
    folder = tmp_path_factory.mktemp("full-disk")
    db = folder / "ws.db"
    ws = make_city(db)
    # scored units, so that the workbooks are well above the limit (a small round's workbook
    # is assembled in memory and compressed whole: five empty units would fit below it)
    ws.add_units([(f"单位{i:02d}", "区县", None, ()) for i in range(150)], "测试", "test")
    round_ = ws.round()
    for unit in ws.units():
        ws.record(
            round_,
            unit,
            "inspection",
            "测试",
            "test",
            answers_for(round_.indicators, unit.group, ()),
        )
    ws.close()
    for args in (
        ["template", "--all", "--out", str(folder / "t")],
        ["export", "--out", str(folder / "r.xlsx")],
    ):
        result = invoke(CliRunner(), [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
    assert db.stat().st_size > LIMIT  # only read from here on: reads are not limited
    assert (folder / "r.xlsx").stat().st_size > 2 * LIMIT  # a write past the limit fails
    return db


def assert_reported_once(done: subprocess.CompletedProcess[str], target: Path) -> None:
    assert done.returncode == 1, done.stderr
    assert f"错误：无法写入 {target}：File too large" in done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not target.exists()
    assert not [p for p in target.parent.glob(".*.tmp")]  # no scratch file left behind


@pytest.mark.slow  # real processes under a file-size limit, like the kill tests
def test_export_on_a_full_disk(city: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    done = run_limited(["export", "--out", str(target), "--db", str(city)], tmp_path)
    assert_reported_once(done, target)


@pytest.mark.slow  # real processes under a file-size limit, like the kill tests
def test_template_on_a_full_disk(city: Path, tmp_path: Path) -> None:
    rng = random.Random(14)  # a long contact makes the workbook larger than the limit
    contact = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(8000))
    out = tmp_path / "t"
    args = ["template", "王益区", "--out", str(out), "--contact", contact, "--db", str(city)]
    done = run_limited(args, tmp_path)
    assert_reported_once(done, out / "王益区.xlsx")


class Leftover:
    """Stands for the zip archive a failed writer never closes: collecting it fails again."""

    collected: ClassVar[list[str]] = []

    def __del__(self) -> None:
        Leftover.collected.append("collected")
        raise OSError(28, "No space left on device")


def failing_write() -> None:
    archive = Leftover()  # noqa: F841  (kept alive by this frame, as in the writers)
    try:
        raise OSError(28, "No space left on device")
    except OSError as exc:
        raise InspectorError("file.write_failed_at", path="r.xlsx", detail=exc.strerror) from None


def test_what_a_failed_writer_left_is_collected_without_a_second_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from inspector.app.outputs import reported_once

    printed: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", printed.append)
    Leftover.collected.clear()
    with pytest.raises(InspectorError) as info:
        reported_once(failing_write)
    assert Leftover.collected == ["collected"]  # collected before the error went on
    assert printed == []  # and its second disk error not printed
    assert info.value.__context__ is None and "r.xlsx" in info.value.message()
    assert sys.unraisablehook == printed.append  # the hook is back


def test_other_errors_while_collecting_are_still_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from inspector.app.outputs import reported_once

    class Broken:
        def __del__(self) -> None:
            raise ValueError("a bug, not the disk")

    def write() -> None:
        broken = Broken()  # noqa: F841
        try:
            raise OSError(28, "No space left on device")
        except OSError:
            raise InspectorError("file.write_failed_at", path="r", detail="full") from None

    printed: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", printed.append)
    with pytest.raises(InspectorError):
        reported_once(write)
    assert len(printed) == 1 and isinstance(printed[0].exc_value, ValueError)  # type: ignore[attr-defined]
