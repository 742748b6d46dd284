"""Opening workbooks that come from outside: checked as a zip before any XML is parsed.

openpyxl parses XML through defusedxml when it is installed (it is a dependency), which stops
entity-expansion and external-entity attacks; the checks here come first and give a clear
message instead of a parser error:

* only a regular file, read once within the size limit (``io.inputs``): never a FIFO, a
  device or a directory, and never more bytes than the limit, whatever the file claims;
* not a zip at all, an empty file, a zip cut short (its central directory missing), or an old
  binary .xls / a password-protected workbook (both OLE2 files);
* too many parts, a part named twice, a part or the whole archive too large once
  uncompressed, or a compression ratio only a zip bomb has. The sizes are the ones the
  archive declares, and they are safe to trust: Python's zipfile never returns more bytes
  than a part declares;
* a damaged part: every part is decompressed once, in bounded memory, so an "encrypted" flag,
  an unsupported compression method, damaged deflate data, a truncated part or a CRC that
  does not match is refused here, naming the part, and can never surface later as an
  internal error while openpyxl reads the sheets lazily;
* macros (a VBA project part, a macro sheet or ActiveX part, or a content type for any of
  them, declared per part or per extension, whatever the file is called);
* an XML part that declares a DOCTYPE or entities (no spreadsheet program writes one).

Every refusal is a ``ProblemsError`` located at the file, so a batch gives each file its own
verdict.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from inspector.errors import Location, Problem, ProblemsError, Term
from inspector.io.inputs import read_input

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MAX_FILE_BYTES = 20_000_000
MAX_UNCOMPRESSED_BYTES = 200_000_000
MAX_RATIO = 200
MAX_MEMBERS = 2000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"
ENTITY_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
PROLOG_BYTES = 65_536
READ_CHUNK = 1 << 16
CONTENT_TYPES = "[Content_Types].xml"
# Lower-cased fragments of content types and part names that carry code: VBA projects and
# their signatures, macro-enabled workbooks, Excel 4 macro sheets, ActiveX controls.
MACRO_TYPES = ("vbaproject", "macroenabled", "macrosheet", "activex")
MACRO_PARTS = ("vbaproject", "/macrosheets/", "/activex/")
COMPRESSION_OK = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # all that office programs write
ENCRYPTED_FLAG = 0x1


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


def _damaged(source: str, part: str, what: str) -> ProblemsError:
    """A part that cannot be read back; ``what`` names the damage (a ``term.zip.*`` key)."""
    return _refuse(source, "xlsx.damaged_part", part=part, what=Term(f"zip.{what}"))


def _is_macro_type(content_type: str) -> bool:
    lowered = content_type.lower()
    return any(mark in lowered for mark in MACRO_TYPES)


def _check_content_types(data: bytes, source: str) -> None:
    """Refuse a macro content type, whether declared for one part or for an extension."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except DefusedXmlException:
        raise _refuse(source, "xlsx.entities") from None
    except (ParseError, ValueError):
        raise _damaged(source, CONTENT_TYPES, "bad_xml") from None
    for element in root.iter():
        # Default (by extension) and Override (by part) both carry a ContentType attribute;
        # reading it through the parser sees character references like "vba&#80;roject" too
        if _is_macro_type(element.get("ContentType") or ""):
            raise _refuse(source, "xlsx.macros")


def _read_whole(archive: zipfile.ZipFile, member: zipfile.ZipInfo, prolog: bool) -> bytes:
    """Decompress ``member`` once, in chunks (the CRC is checked at its end); return its start."""
    head = b""
    with archive.open(member) as stream:
        while chunk := stream.read(READ_CHUNK):
            if prolog and len(head) < PROLOG_BYTES:
                head += chunk[: PROLOG_BYTES - len(head)]
    return head


def _verify_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, source: str, limits: Limits
) -> None:
    name = member.filename
    if member.flag_bits & ENCRYPTED_FLAG:
        raise _refuse(source, "xlsx.encrypted_part", part=name)
    if member.compress_type not in COMPRESSION_OK:
        raise _refuse(source, "xlsx.compression", part=name, method=member.compress_type)
    scan = limits.scan_entities and name.endswith((".xml", ".rels")) and not member.is_dir()
    try:
        head = _read_whole(archive, member, scan)
    except zipfile.BadZipFile as exc:
        what = "crc" if "CRC" in str(exc) else "header"
        raise _damaged(source, name, what) from None
    except zlib.error:
        raise _damaged(source, name, "deflate") from None
    except EOFError:
        raise _damaged(source, name, "truncated") from None
    except NotImplementedError:
        raise _refuse(source, "xlsx.compression", part=name, method=member.compress_type) from None
    except RuntimeError:  # zipfile's "encrypted, password required" for a flag set elsewhere
        raise _refuse(source, "xlsx.encrypted_part", part=name) from None
    except (OSError, ValueError, OverflowError):  # offsets pointing outside the file
        raise _damaged(source, name, "header") from None
    if scan and any(mark in head for mark in ENTITY_MARKS):
        raise _refuse(source, "xlsx.entities")


def _check_archive(archive: zipfile.ZipFile, source: str, limits: Limits) -> None:
    members = archive.infolist()
    if len(members) > limits.members:
        raise _refuse(source, "xlsx.too_many_parts", limit=limits.members)
    seen: set[str] = set()
    for member in members:
        if member.filename in seen:  # two parts of one name: what is checked may not be read
            raise _refuse(source, "xlsx.duplicate_part", part=member.filename)
        seen.add(member.filename)
    if CONTENT_TYPES not in seen or not any(n.startswith("xl/workbook") for n in seen):
        raise _refuse(source, "xlsx.not_xlsx")
    if any(mark in "/" + n.lower() for n in seen for mark in MACRO_PARTS):
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
    # the content types first: a macro is named as such even when another part is damaged
    by_name = {m.filename: m for m in members}
    _verify_member(archive, by_name[CONTENT_TYPES], source, limits)
    _check_content_types(archive.read(CONTENT_TYPES), source)
    for member in members:
        if member.filename != CONTENT_TYPES:
            _verify_member(archive, member, source, limits)


def check_xlsx(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse anything that is not a plain, reasonably sized xlsx, before parsing it."""
    read_checked(path, str(path), limits)


def _check_stream(handle: IO[bytes], source: str, limits: Limits) -> None:
    head = handle.read(len(OLE2_MAGIC))
    handle.seek(0)
    if not head:
        raise _refuse(source, "file.empty")
    if head == OLE2_MAGIC:
        raise _refuse(source, "xlsx.old_format")
    if not zipfile.is_zipfile(handle):
        # a zip whose end (the central directory) is missing: cut short in transit
        raise _refuse(source, "xlsx.truncated" if head.startswith(ZIP_MAGIC) else "xlsx.not_xlsx")
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            _check_archive(archive, source, limits)
    except ProblemsError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise _refuse(source, "xlsx.truncated") from None
    except Exception:  # a crafted directory: offsets, sizes or counts that make no sense
        raise _refuse(source, "xlsx.bad_directory") from None


def read_checked(path: Path, source: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of ``path`` once they pass the checks (read once: the caller may hash them)."""
    data = read_input(path, source, limits.file_bytes, too_big="xlsx.too_big")
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
    """Check ``path`` and parse the very bytes that were checked (the file is read once)."""
    source = str(path)
    return load_checked(read_checked(path, source, limits), source, read_only)
