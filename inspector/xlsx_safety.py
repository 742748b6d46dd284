"""Opening workbooks that come from outside: checked as a zip before any XML is parsed.

openpyxl parses XML through defusedxml when it is installed (it is a dependency), which stops
entity-expansion and external-entity attacks; the checks here stop zip bombs, huge sheets and
macro-enabled files before openpyxl sees them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from inspector.errors import Location, Problem, ProblemsError

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MAX_FILE_BYTES = 20_000_000
MAX_UNCOMPRESSED_BYTES = 200_000_000
MAX_RATIO = 200
MAX_MEMBERS = 2000


def check_xlsx(path: Path) -> None:
    """Refuse anything that is not a plain, reasonably sized xlsx, before parsing it."""
    source = str(path)

    def refuse(key: str, **params: object) -> ProblemsError:
        return ProblemsError([Problem(key, params, Location(source))])

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise refuse("file.not_found") from None
    if size > MAX_FILE_BYTES:
        raise refuse("xlsx.too_big", limit=MAX_FILE_BYTES)
    if not zipfile.is_zipfile(path):
        raise refuse("xlsx.not_xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise refuse("xlsx.too_many_parts", limit=MAX_MEMBERS)
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or not any(
                n.startswith("xl/workbook") for n in names
            ):
                raise refuse("xlsx.not_xlsx")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise refuse("xlsx.macros")
            total = 0
            for member in members:
                total += member.file_size
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > 1_000_000 and ratio > MAX_RATIO:
                    raise refuse("xlsx.bomb", part=member.filename)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise refuse("xlsx.bomb", part="*")
    except zipfile.BadZipFile:
        raise refuse("xlsx.not_xlsx") from None


def open_workbook_safely(path: Path, read_only: bool = True) -> Workbook:
    from openpyxl import load_workbook

    check_xlsx(path)
    try:
        return load_workbook(path, read_only=read_only, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise ProblemsError(
            [Problem("xlsx.unreadable", {"detail": type(exc).__name__}, Location(str(path)))]
        ) from None
