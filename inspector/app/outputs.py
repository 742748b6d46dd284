"""Files the commands write: never an existing one replaced unless the user says ``--force``.

One rule for every output (``export``, ``export --unit``, ``export --all-units``, ``demo``'s
workbook, ``template``, ``answers --out``): a file that exists is refused, naming it, and
nothing is written; ``--force`` replaces it. A batch (every unit's feedback, every unit's
template) checks all its files first, so it writes all of them or none. Why refuse rather
than write ``name-2``: a script that runs ``answers --out F`` and then reads F, or mails the
exported workbook, would otherwise go on with the old file without noticing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from inspector.errors import ConflictError
from inspector.io.fileio import check_target, write_text_atomic

SHOWN = 5  # files named in a refusal; the rest are counted


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
