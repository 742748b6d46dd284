"""Writing files atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from inspector.errors import InspectorError
from inspector.io.inputs import FileKind, file_kind


def check_target(target: Path) -> None:
    """Refuse to write over anything but a regular file: the rename would replace a FIFO or a
    device node (``--out /dev/null`` run as root) with a plain file."""
    try:
        kind = file_kind(target)
    except OSError as exc:
        raise InspectorError("file.write_failed_at", path=target, detail=exc.strerror) from None
    if kind not in (FileKind.MISSING, FileKind.REGULAR):
        raise InspectorError("file.not_regular_target", path=target)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target`` whole.

    If the block fails (or the process dies), ``target`` is untouched and the temporary file
    is removed (or, after a kill, left as an obvious ``.tmp`` beside it). A target that exists
    and is not a regular file (a FIFO, a device, a directory) is refused before anything is
    written.
    """
    target = Path(target)
    check_target(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InspectorError("file.write_failed_at", path=target, detail=exc.strerror) from None
    os.close(handle)
    temp = Path(name)
    _ordinary_permissions(temp, target)
    try:
        yield temp
        with open(temp, "rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise InspectorError("file.write_failed_at", path=target, detail=exc.strerror) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _ordinary_permissions(temp: Path, target: Path) -> None:
    """mkstemp makes owner-only files; give the result the mode a plain ``open`` would (or the
    mode of the file it replaces), so a report can be shared like any other file."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(temp, mode)


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")


def free_path(target: Path) -> Path:
    """``target`` if nothing is there, else ``name-2.xlsx``, ``name-3.xlsx``, …"""
    if not target.exists():
        return target
    for n in range(2, 10_000):
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
        if not candidate.exists():
            return candidate
    raise InspectorError("file.no_free_name", path=target)
