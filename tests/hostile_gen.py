"""Crafting hostile files at test time, so the corpus stays small and readable.

Zip surgery works on the bytes of a real workbook: flip a header flag, damage the deflate
data of one part, give a part a wrong CRC, cut the archive short, name a part twice. Each
function takes the archive's bytes and returns new bytes; none of them uses zipfile's private
names (the headers are read with ``struct`` from the published layout, APPNOTE.TXT 4.3.7 and
4.3.12).
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCAL_SIG = b"PK\x03\x04"
CENTRAL_SIG = b"PK\x01\x02"
END_SIG = b"PK\x05\x06"
LOCAL_HEADER = 30
CENTRAL_HEADER = 46


@dataclass(frozen=True)
class Entry:
    """Where one member's headers and data sit in the archive."""

    name: str
    local: int  # offset of the local header
    central: int  # offset of the central directory entry
    data: int  # offset of the compressed data
    compressed: int  # its length


def end_record(data: bytes) -> int:
    at = data.rfind(END_SIG)
    if at < 0:
        raise ValueError("no end of central directory record")
    return at


def entries(data: bytes) -> list[Entry]:
    end = end_record(data)
    count, _size, offset = struct.unpack("<HII", data[end + 10 : end + 20])
    found = []
    at = offset
    for _ in range(count):
        assert data[at : at + 4] == CENTRAL_SIG
        csize, _usize, nlen, xlen, clen = struct.unpack("<IIHHH", data[at + 20 : at + 34])
        local = struct.unpack("<I", data[at + 42 : at + 46])[0]
        name = data[at + 46 : at + 46 + nlen].decode("utf-8")
        lnlen, lxlen = struct.unpack("<HH", data[local + 26 : local + 30])
        found.append(Entry(name, local, at, local + LOCAL_HEADER + lnlen + lxlen, csize))
        at += CENTRAL_HEADER + nlen + xlen + clen
    return found


def entry(data: bytes, name: str) -> Entry:
    for item in entries(data):
        if item.name == name:
            return item
    raise KeyError(name)


def _patch(data: bytearray, at: int, fmt: str, change: Callable[[int], int]) -> None:
    (value,) = struct.unpack_from(fmt, data, at)
    struct.pack_into(fmt, data, at, change(value))


def set_flag(data: bytes, name: str, bit: int = 0x1) -> bytes:
    """Set a general-purpose flag bit (0x1: "encrypted") in both headers of ``name``."""
    e = entry(data, name)
    out = bytearray(data)
    _patch(out, e.local + 6, "<H", lambda v: v | bit)
    _patch(out, e.central + 8, "<H", lambda v: v | bit)
    return bytes(out)


def set_method(data: bytes, name: str, method: int) -> bytes:
    """Claim another compression method (12: bzip2, 14: lzma, 9: deflate64, 99: AES)."""
    e = entry(data, name)
    out = bytearray(data)
    _patch(out, e.local + 8, "<H", lambda v: method)
    _patch(out, e.central + 10, "<H", lambda v: method)
    return bytes(out)


def damage_deflate(data: bytes, name: str, start: int = 2, length: int = 24) -> bytes:
    """Flip bits inside the compressed data of ``name``."""
    e = entry(data, name)
    out = bytearray(data)
    for i in range(e.data + start, min(e.data + start + length, e.data + e.compressed)):
        out[i] ^= 0x5A
    return bytes(out)


def wrong_crc(data: bytes, name: str) -> bytes:
    """Change the CRC recorded for ``name`` in both headers (the data stays intact)."""
    e = entry(data, name)
    out = bytearray(data)
    _patch(out, e.local + 14, "<I", lambda v: v ^ 0xFFFF)
    _patch(out, e.central + 16, "<I", lambda v: v ^ 0xFFFF)
    return bytes(out)


def short_compressed_size(data: bytes, name: str) -> bytes:
    """Declare fewer compressed bytes than the part has: its deflate stream ends early."""
    e = entry(data, name)
    out = bytearray(data)
    _patch(out, e.local + 18, "<I", lambda v: max(v // 3, 1))
    _patch(out, e.central + 20, "<I", lambda v: max(v // 3, 1))
    return bytes(out)


def rename_in_local_header(data: bytes, name: str) -> bytes:
    """The local header names another part than the directory does (same length)."""
    e = entry(data, name)
    out = bytearray(data)
    at = e.local + LOCAL_HEADER
    out[at] = ord("X") if out[at] != ord("X") else ord("Y")
    return bytes(out)


def cut_central_directory(data: bytes, keep: float = 0.5) -> bytes:
    """Cut the archive inside its central directory (a download that stopped short)."""
    end = end_record(data)
    offset = struct.unpack("<I", data[end + 16 : end + 20])[0]
    return data[: offset + int((end - offset) * keep)]


def bad_directory_offset(data: bytes) -> bytes:
    """The end record points the central directory at a place inside a part's data."""
    end = end_record(data)
    out = bytearray(data)
    _patch(out, end + 16, "<I", lambda v: v // 2)
    return bytes(out)


def huge_entry_count(data: bytes) -> bytes:
    """The end record claims more entries than the directory holds."""
    end = end_record(data)
    out = bytearray(data)
    _patch(out, end + 8, "<H", lambda v: 0xFFFE)
    _patch(out, end + 10, "<H", lambda v: 0xFFFE)
    return bytes(out)


def local_offset_outside(data: bytes, name: str) -> bytes:
    """The directory points ``name``'s local header past the end of the file."""
    e = entry(data, name)
    out = bytearray(data)
    _patch(out, e.central + 42, "<I", lambda v: len(data) + 1000)
    return bytes(out)


def rebuild(
    data: bytes,
    change: Callable[[str, bytes], bytes | None] | None = None,
    extra: dict[str, bytes] | None = None,
    duplicate: str | None = None,
) -> bytes:
    """A new archive with members changed (``change`` returns new bytes, or None to drop),
    added, or ``duplicate`` written twice (the second copy empty)."""
    import warnings

    out = io.BytesIO()
    with (
        warnings.catch_warnings(),  # a duplicate name is the point of some cases
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        warnings.simplefilter("ignore")
        for info in src.infolist():
            content = src.read(info.filename)
            if change is not None:
                changed = change(info.filename, content)
                if changed is None:
                    continue
                content = changed
            dst.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
        if duplicate is not None:
            dst.writestr(duplicate, b"<x/>")
    return out.getvalue()


def with_content_type(data: bytes, xml: bytes) -> bytes:
    """Insert ``xml`` (a Default or Override element) into [Content_Types].xml."""

    def change(name: str, content: bytes) -> bytes:
        if name != "[Content_Types].xml":
            return content
        at = content.rindex(b"</Types>")
        return content[:at] + xml + content[at:]

    return rebuild(data, change)


def sheet_parts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))


ZIP_MUTATIONS: dict[str, Callable[[bytes], bytes]] = {
    "encrypted_content_types": lambda d: set_flag(d, "[Content_Types].xml"),
    "encrypted_sheet": lambda d: set_flag(d, sheet_parts(d)[1]),
    "deflate_content_types": lambda d: damage_deflate(d, "[Content_Types].xml"),
    "deflate_sheet": lambda d: damage_deflate(d, sheet_parts(d)[1], start=200),
    "deflate_workbook": lambda d: damage_deflate(d, "xl/workbook.xml"),
    "crc_sheet": lambda d: wrong_crc(d, sheet_parts(d)[1]),
    "crc_styles": lambda d: wrong_crc(d, "xl/styles.xml"),
    "bzip2_sheet": lambda d: set_method(d, sheet_parts(d)[0], 12),
    "deflate64_sheet": lambda d: set_method(d, sheet_parts(d)[0], 9),
    "aes_sheet": lambda d: set_method(d, sheet_parts(d)[0], 99),
    "short_sheet": lambda d: short_compressed_size(d, sheet_parts(d)[1]),
    "local_name_differs": lambda d: rename_in_local_header(d, "xl/workbook.xml"),
    "cut_central_directory": cut_central_directory,
    "cut_in_half": lambda d: d[: len(d) // 2],
    "bad_directory_offset": bad_directory_offset,
    "local_offset_outside": lambda d: local_offset_outside(d, "xl/workbook.xml"),
    "duplicate_sheet": lambda d: rebuild(d, duplicate=sheet_parts(d)[1]),
}


# --- generators for the hostile corpus (tests/data/hostile) -----------------------------------
#
# A case declares a file as ``{generate: <name>, ...arguments}``; the runner calls
# ``GENERATORS[name](folder, target, **arguments)`` where ``folder`` is the case's prepared
# folder (workspace ``ws.db`` and issued templates in ``templates/``).

EXTRA_ZIP: dict[str, Callable[[bytes], bytes]] = {
    "vba_by_extension": lambda d: rebuild(
        with_content_type(
            d, b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        ),
        extra={"xl/stuff.bin": b"\x00" * 64},
    ),
    "vba_character_reference": lambda d: with_content_type(
        d, b'<Default Extension="dat" ContentType="application/vnd.ms-office.vba&#80;roject"/>'
    ),
    "macrosheet": lambda d: rebuild(d, extra={"xl/macrosheets/sheet1.xml": b"<xm/>"}),
    "activex": lambda d: rebuild(d, extra={"xl/activeX/activeX1.bin": b"\x00"}),
    "content_types_doctype": lambda d: rebuild(
        d,
        lambda n, c: (
            c.replace(b"<Types", b'<!DOCTYPE t [<!ENTITY a "b">]><Types', 1)
            if n == "[Content_Types].xml"
            else c
        ),
    ),
    "no_content_types": lambda d: rebuild(
        d, lambda n, c: None if n == "[Content_Types].xml" else c
    ),
}


def _mutate_zip(target: Path, mutation: str | None) -> None:
    if mutation is None:
        return
    change = ZIP_MUTATIONS.get(mutation) or EXTRA_ZIP[mutation]
    target.write_bytes(change(target.read_bytes()))


def workbook(
    folder: Path,
    target: Path,
    unit: str = "市财政局",
    answers: dict[str, Any] | None = None,
    cells: dict[str, Any] | None = None,
    zip: str | None = None,
    blank: bool = False,
    identity_from: str | None = None,
    legacy: bool = False,
    patch: list[list[str]] | None = None,
) -> None:
    """The unit's issued template, filled (``answers`` like an answers file's items; the
    standard valid answers when omitted), then cells set by row key ("item B3", or
    "item B3/J" for another column than the entry), then the identity (hidden sheet values
    and document properties) of another unit's template pasted in, then (``legacy``) the identity
    made as an inspector from before unit uids signed it, then text replaced inside
    the XML parts (``patch``: to write what openpyxl refuses to, like "_x001B_"), then one
    zip-level mutation."""
    from openpyxl import load_workbook

    from inspector.selfassess import layout as L
    from tests.selfassess_support import SMALL_FULL_ANSWERS, fill, rows_by_key

    source = folder / "templates" / f"{unit}.xlsx"
    shutil.copy(source, target)
    if not blank:
        fill(target, answers if answers is not None else SMALL_FULL_ANSWERS)
    if cells:
        wb = load_workbook(target)
        sheet = wb["评分表"]
        rows = rows_by_key(sheet)
        for key, value in cells.items():
            row_key, _, column = key.partition("/")
            sheet[f"{column or L.ENTRY}{rows[row_key]}"] = value
        wb.save(target)
    if identity_from is not None:
        _paste_identity(folder / "templates" / f"{identity_from}.xlsx", target)
    if legacy:
        make_legacy(folder / "ws.db", target)
    if patch:
        _patch_parts(target, patch)
    _mutate_zip(target, zip)


def _paste_identity(source: Path, target: Path) -> None:
    from openpyxl import load_workbook

    from inspector.selfassess.identity import SHEET

    theirs = load_workbook(source)
    mine = load_workbook(target)
    for src, dst in zip(theirs[SHEET].iter_rows(), mine[SHEET].iter_rows(), strict=True):
        dst[1].value = src[1].value
    mine.custom_doc_props = theirs.custom_doc_props
    mine.save(target)


def make_legacy(db: Path, target: Path) -> None:
    """The workbook's identity as an inspector from before unit uids wrote it: no unit_uid
    (row or property), the tag over the older fields, signed with the workspace's secret."""
    import sqlite3

    from openpyxl import load_workbook
    from openpyxl.packaging.custom import CustomPropertyList

    from inspector.selfassess.identity import (
        LEGACY_FIELDS,
        PROPERTY_PREFIX,
        SECRET_META,
        SHEET,
        from_fields,
        sign,
    )

    with sqlite3.connect(db) as conn:
        (secret,) = conn.execute("SELECT value FROM meta WHERE key = ?", (SECRET_META,)).fetchone()
    wb = load_workbook(target)
    sheet = wb[SHEET]
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2, max_col=2)}
    values.pop("unit_uid", None)
    identity, _ = from_fields(values)
    assert identity is not None and identity.legacy
    tag = sign(identity, bytes.fromhex(secret))
    for row in sheet.iter_rows(min_row=2, max_col=2):
        if row[0].value == "unit_uid":
            row[0].value = row[1].value = None
        elif row[0].value == "tag":
            row[1].value = tag
    kept = CustomPropertyList()
    for prop in wb.custom_doc_props:
        name = prop.name[len(PROPERTY_PREFIX) :]
        if name == "tag":
            prop.value = tag
        if name in (*LEGACY_FIELDS, "tag"):
            kept.append(prop)
    wb.custom_doc_props = kept
    wb.save(target)


def _patch_parts(target: Path, patch: list[list[str]]) -> None:
    def referenced(text: str) -> bytes:
        # openpyxl writes through lxml when it is installed (python-docx brings it), and
        # lxml writes non-ASCII text as character references
        return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text).encode("ascii")

    def change(name: str, content: bytes) -> bytes:
        for old, new in patch:
            content = content.replace(old.encode("utf-8"), new.encode("utf-8"))
            content = content.replace(referenced(old), new.encode("utf-8"))
        return content

    target.write_bytes(rebuild(target.read_bytes(), change))


def units_xlsx(
    folder: Path,
    target: Path,
    rows: list[list[Any]],
    errors: list[str] | None = None,
    zip: str | None = None,
    title: str = "单位",
) -> None:
    """A unit list; a text starting with "=" becomes a formula, ``errors`` cells "#REF!"."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref in errors or ():
        sheet[ref] = "#REF!"
        sheet[ref].data_type = "e"
    wb.create_sheet("说明")["A1"] = "填表说明" * 50
    wb.save(target)
    _mutate_zip(target, zip)


def fifo(folder: Path, target: Path) -> None:
    os.mkfifo(target)


def symlink(folder: Path, target: Path, to: str = "/dev/zero") -> None:
    target.symlink_to(to)


def unix_socket(folder: Path, target: Path) -> None:
    """A Unix socket's file (bound by a relative name: the runner is inside the case folder,
    and a socket's path must be short)."""
    import socket

    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(os.path.relpath(target))
    finally:
        server.close()


def directory(folder: Path, target: Path) -> None:
    target.mkdir()


def repeat(
    folder: Path,
    target: Path,
    text: str,
    times: int,
    before: str = "",
    after: str = "",
    encoding: str = "utf-8",
) -> None:
    target.write_bytes((before + text * times + after).encode(encoding))


def encoded(folder: Path, target: Path, text: str, encoding: str) -> None:
    target.write_bytes(text.encode(encoding))


SOURCES = {
    "small_set": Path(__file__).parent / "data" / "sets" / "small.yaml",
    "answers": Path(__file__).parent / "data" / "hostile" / "valid_answers.txt",
}


def edited(
    folder: Path,
    target: Path,
    source: str,
    replace: list[list[str]] | None = None,
    append: str = "",
    encoding: str = "utf-8",
) -> None:
    """A known-good file (``SOURCES``) with exact text replacements: each must match."""
    text = SOURCES[source].read_text(encoding="utf-8")
    for old, new in replace or ():
        assert old in text, f"{old!r} not in {source}"
        text = text.replace(old, new, 1)
    target.write_bytes((text + append).encode(encoding))


def workspace_file(folder: Path, target: Path, damage: str) -> None:
    """A copy of the prepared workspace, damaged: cut short, a page of garbage, emptied, a
    newer schema, another program's SQLite file, a table gone."""
    import sqlite3

    shutil.copy(folder / "ws.db", target)
    data = target.read_bytes()
    page = 4096
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2 + 100])
    elif damage == "garbage_page":  # the page holding the units table
        conn = sqlite3.connect(target)
        try:
            root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'units'")
            number = root.fetchone()[0]
        finally:
            conn.close()
        at = page * (number - 1)
        noise = bytes((i * 73 + 41) % 256 for i in range(page))
        target.write_bytes(data[:at] + noise + data[at + page :])
    elif damage == "garbage_header":
        target.write_bytes(data[:16] + b"\xff" * 84 + data[100:])
    elif damage == "zero":
        target.write_bytes(b"")
    elif damage == "empty_sqlite":  # what a killed init leaves: SQLite, no tables yet
        target.unlink()
        conn = sqlite3.connect(target)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
    elif damage in ("bad_audit_json", "bad_result_json", "drop_results"):
        conn = sqlite3.connect(target)
        try:
            if damage == "bad_audit_json":
                conn.execute("UPDATE audit SET new = '{cut' WHERE target = 'unit'")
            elif damage == "bad_result_json":
                conn.execute("UPDATE results SET categories = '[[cut'")
            else:
                conn.execute("DROP TABLE results")
            conn.commit()
        finally:
            conn.close()
    elif damage in ("newer_schema", "foreign", "drop_table", "bad_json"):
        conn = sqlite3.connect(target)
        try:
            if damage == "newer_schema":
                conn.execute("PRAGMA user_version = 999")
            elif damage == "foreign":
                conn.close()
                target.unlink()
                conn = sqlite3.connect(target)
                conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
                conn.execute("INSERT INTO photos (path) VALUES ('a.jpg')")
            elif damage == "drop_table":
                conn.execute("DROP TABLE audit")
            else:
                conn.execute("UPDATE units SET tags = '{not json' WHERE name = '市财政局'")
            conn.commit()
        finally:
            conn.close()
    else:
        raise ValueError(damage)


def rectify_workbook(
    folder: Path,
    target: Path,
    unit: str = "市财政局",
    cells: dict[str, dict[str, Any]] | None = None,
    delete: str | None = None,
    insert: str | None = None,
    duplicate: str | None = None,
    identity_from: str | None = None,
    identity: dict[str, str] | None = None,
    zip: str | None = None,
) -> None:
    """The unit's issued rectification workbook (``rectify/<unit>.xlsx`` in the prepared
    folder), with cells set by problem number and column letter, a problem's row deleted,
    a row with content inserted above one, a row copied to the end, the identity of another
    unit's workbook pasted in (or some identity fields edited), then one zip-level mutation."""
    from openpyxl import load_workbook

    from inspector.rectify import layout as RL
    from inspector.selfassess.identity import SHEET

    shutil.copy(folder / "rectify" / f"{unit}.xlsx", target)
    wb = load_workbook(target)
    sheet = wb["整改台账"]
    rows = {
        sheet[f"{RL.KEY}{r}"].value: r
        for r in range(RL.FIRST_BODY_ROW, sheet.max_row + 1)
        if sheet[f"{RL.KEY}{r}"].value
    }
    for number, values in (cells or {}).items():
        for column, value in values.items():
            sheet[f"{column}{rows[number]}"] = value
    if duplicate is not None:
        last = sheet.max_row + 1
        for column in RL.COLUMNS:
            sheet[f"{column}{last}"] = sheet[f"{column}{rows[duplicate]}"].value
    if delete is not None:
        sheet.delete_rows(rows[delete])
    if insert is not None:
        sheet.insert_rows(rows[insert])
        sheet[f"{RL.MEASURES}{rows[insert]}"] = "新增一行整改措施"
    for row in wb[SHEET].iter_rows():
        if identity and row[0].value in identity:
            row[1].value = identity[row[0].value]
    if identity:
        wb.custom_doc_props = type(wb.custom_doc_props)()
    wb.save(target)
    if identity_from is not None:
        theirs = load_workbook(folder / "rectify" / f"{identity_from}.xlsx")
        mine = load_workbook(target)
        source = list(theirs[SHEET].iter_rows(values_only=True))
        for index, row in enumerate(mine[SHEET].iter_rows()):
            values = source[index] if index < len(source) else (None, None)
            row[0].value, row[1].value = values[0], values[1]
        mine.custom_doc_props = theirs.custom_doc_props
        mine.save(target)
    _mutate_zip(target, zip)


GENERATORS: dict[str, Callable[..., None]] = {
    "workbook": workbook,
    "rectify_workbook": rectify_workbook,
    "units_xlsx": units_xlsx,
    "fifo": fifo,
    "symlink": symlink,
    "socket": unix_socket,
    "directory": directory,
    "repeat": repeat,
    "encoded": encoded,
    "workspace_file": workspace_file,
    "edited": edited,
}
