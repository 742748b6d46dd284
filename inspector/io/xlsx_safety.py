"""Opening workbooks that come from outside: checked as a zip before any XML is parsed.

openpyxl parses XML through defusedxml when it is installed (it is a dependency), which stops
entity-expansion and external-entity attacks; the checks here come first and give a clear
message instead of a parser error:

* not a zip at all, or an old binary .xls / a password-protected workbook (both OLE2 files);
* too many parts, a part or the whole archive too large once uncompressed, or a compression
  ratio only a zip bomb has. The sizes are the ones the archive declares, and they are safe
  to trust: Python's zipfile never returns more bytes than a part declares;
* macros (a VBA project part, or a macro-enabled content type, whatever the file is called);
* an XML part that declares a DOCTYPE or entities (no spreadsheet program writes one).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from inspector.errors import Location, Problem, ProblemsError

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MAX_FILE_BYTES = 20_000_000
MAX_UNCOMPRESSED_BYTES = 200_000_000
MAX_RATIO = 200
MAX_MEMBERS = 2000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENTITY_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
PROLOG_BYTES = 65_536


@dataclass(frozen=True)
class Limits:
    file_bytes: int = MAX_FILE_BYTES
    uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES
    part_bytes: int | None = None  # per part, once uncompressed
    ratio: int = MAX_RATIO
    members: int = MAX_MEMBERS
    scan_entities: bool = False


DEFAULT_LIMITS = Limits()


def _refuse(source: str, key: str, **params: object) -> ProblemsError:
    return ProblemsError([Problem(key, params, Location(source))])


def _check_archive(archive: zipfile.ZipFile, source: str, limits: Limits) -> None:
    members = archive.infolist()
    if len(members) > limits.members:
        raise _refuse(source, "xlsx.too_many_parts", limit=limits.members)
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
        raise _refuse(source, "xlsx.not_xlsx")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refuse(source, "xlsx.macros")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1_000_000 and ratio > limits.ratio:
            raise _refuse(source, "xlsx.bomb", part=member.filename)
        if limits.part_bytes is not None and member.file_size > limits.part_bytes:
            raise _refuse(
                source, "xlsx.part_too_big", part=member.filename, limit=limits.part_bytes
            )
    if total > limits.uncompressed_bytes:
        raise _refuse(source, "xlsx.bomb", part="*")
    content_types = archive.read("[Content_Types].xml")
    if b"macroEnabled" in content_types:
        raise _refuse(source, "xlsx.macros")
    if limits.scan_entities:
        for member in members:
            if member.filename.endswith((".xml", ".rels")) and not member.is_dir():
                with archive.open(member) as stream:
                    prolog = stream.read(PROLOG_BYTES)
                if any(mark in prolog for mark in ENTITY_MARKS):
                    raise _refuse(source, "xlsx.entities")


def check_xlsx(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse anything that is not a plain, reasonably sized xlsx, before parsing it."""
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _refuse(source, "file.not_found") from None
    if size > limits.file_bytes:
        raise _refuse(source, "xlsx.too_big", limit=limits.file_bytes)
    with path.open("rb") as handle:
        _check_stream(handle, source, limits)


def _check_stream(handle: IO[bytes], source: str, limits: Limits) -> None:
    head = handle.read(len(OLE2_MAGIC))
    handle.seek(0)
    if head == OLE2_MAGIC:
        raise _refuse(source, "xlsx.old_format")
    if not zipfile.is_zipfile(handle):
        raise _refuse(source, "xlsx.not_xlsx")
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            _check_archive(archive, source, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise _refuse(source, "xlsx.not_xlsx") from None


def read_checked(path: Path, source: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of ``path`` once they pass the checks (read once: the caller may hash them)."""
    try:
        if path.is_dir():
            raise _refuse(source, "file.is_directory")
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise _refuse(source, "xlsx.too_big", limit=limits.file_bytes)
        data = path.read_bytes()
    except FileNotFoundError:
        raise _refuse(source, "file.not_found") from None
    except OSError as exc:
        raise _refuse(
            source, "file.unreadable", detail=exc.strerror or type(exc).__name__
        ) from None
    _check_stream(io.BytesIO(data), source, limits)
    return data


def parse_failure(exc: BaseException, source: str) -> ProblemsError:
    """The message for an exception raised while openpyxl parses a checked workbook."""
    from defusedxml import DefusedXmlException

    seen: BaseException | None = exc
    while seen is not None:  # openpyxl wraps parser errors in its own ValueError
        if isinstance(seen, DefusedXmlException):
            return _refuse(source, "xlsx.entities")
        seen = seen.__cause__ or seen.__context__
    return _refuse(source, "xlsx.unreadable", detail=type(exc).__name__)


def load_checked(data: bytes, source: str, read_only: bool = True) -> Workbook:
    """Parse bytes that passed ``read_checked``; parser failures become clear messages."""
    from openpyxl import load_workbook

    try:
        return load_workbook(
            io.BytesIO(data), read_only=read_only, data_only=False, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise parse_failure(exc, source) from None


def open_workbook_safely(
    path: Path, read_only: bool = True, limits: Limits = DEFAULT_LIMITS
) -> Any:
    from openpyxl import load_workbook

    check_xlsx(path, limits)
    try:
        return load_workbook(path, read_only=read_only, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise parse_failure(exc, str(path)) from None
