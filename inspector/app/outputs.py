"""Files the commands write: never an existing one replaced unless the user says ``--force``.

One rule for every output (``export``, ``export --unit``, ``export --all-units``, ``demo``'s
workbook, ``template``, ``answers --out``): a file that exists is refused, naming it, and
nothing is written; ``--force`` replaces it. A batch (every unit's feedback, every unit's
template) checks all its files first, so it writes all of them or none. Why refuse rather
than write ``name-2``: a script that runs ``answers --out F`` and then reads F, or mails the
exported workbook, would otherwise go on with the old file without noticing.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from inspector.errors import ConflictError, InspectorError
from inspector.io.fileio import check_target, write_text_atomic

SHOWN = 5  # files named in a refusal; the rest are counted
T = TypeVar("T")


def check_new(paths: Sequence[Path], force: bool) -> None:
    """Refuse (``output.exists``) if any of ``paths`` exists, unless ``force``. A target that
    is not a regular file (a FIFO, a device, a folder) is refused even with ``force``."""
    for path in paths:
        check_target(path)
    if force:
        return
    existing = [p for p in paths if p.exists()]
    if not existing:
        return
    if len(existing) == 1:
        raise ConflictError("output.exists", path=existing[0])
    shown = "、".join(str(p) for p in existing[:SHOWN]) + ("…" if len(existing) > SHOWN else "")
    raise ConflictError("output.exist_many", count=len(existing), files=shown)


def write_text(path: Path, text: str, force: bool) -> None:
    """``text`` into ``path`` (atomically), refused if the file exists unless ``force``."""
    check_new([path], force)
    write_text_atomic(path, text)


def _echo_of_a_failed_write(unraisable: Any) -> bool:
    """What a failed writer left half-done (its zip archive, a sheet's stream into a scratch
    file), failing again with the same disk error as it is collected."""
    return isinstance(unraisable.exc_value, OSError)


def reported_once(write: Callable[[], T]) -> T:
    """Run ``write`` (workbooks being written): a write that fails (a full disk) is reported
    once, as its ``file.write_failed_at`` message, never followed by a raw "Exception ignored
    in ZipFile.__del__ … Traceback".

    Why: neither XlsxWriter (``Workbook.close``) nor openpyxl (``Workbook.save``) closes its
    zip archive when a write into it fails (nor openpyxl its sheet's stream into a scratch
    file); they live on in the failed call's traceback and, when that is dropped, try to
    write into the full disk again, which Python can only print. So on failure that
    traceback is dropped here and now (the message already says what failed), outside any
    exception handler that would keep it, and what hung from it is collected while the disk
    errors it raises again, and only those, are left unprinted. The fix belongs in the
    writers (docs/security.md, crash safety); this keeps the promise until it is there.
    """
    try:
        return write()
    except InspectorError as exc:
        failed = exc
    _collect_quietly(failed)
    raise failed


def _collect_quietly(failed: BaseException) -> None:
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if not _echo_of_a_failed_write(unraisable):
            previous(unraisable)

    sys.unraisablehook = hook  # before anything is dropped: dropping collects at once
    try:
        link: BaseException | None = failed
        while link is not None:  # the failed writer's frames hang from these
            following = link.__context__ or link.__cause__
            link.__context__ = link.__cause__ = None
            link.__traceback__ = None
            link = following
        gc.collect()
    finally:
        sys.unraisablehook = previous
