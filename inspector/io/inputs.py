"""Opening files that come from outside: regular files only, within a size limit, never blocking.

Every input reader (indicator sets, answers files, unit lists, workbooks) goes through
``read_input``; anything else that must look at a user-named path first (the workspace given
as ``--db``) asks ``file_kind`` before opening it. Why each rule:

* The file type is read with ``os.stat`` *before* the file is opened. Opening a FIFO for
  reading blocks until someone writes to it (``inspector import x.xlsx`` on a FIFO named
  x.xlsx hung forever), and opening some devices has side effects.
* The open itself uses ``O_NONBLOCK`` and ``O_NOCTTY``, and the type is checked again on the
  open descriptor: a path swapped for a FIFO or a device between the two steps is still
  refused, and the open never waits.
* At most ``limit`` bytes are ever read, whatever the file claims: a symlink to /dev/zero or a
  file that keeps growing cannot exhaust memory.

Refusals are ``ProblemsError`` with the file as location, so a batch gives each file its own
verdict.
"""

from __future__ import annotations

import os
import stat
from enum import StrEnum
from pathlib import Path

from inspector.errors import Location, Problem, ProblemsError

CHUNK = 1 << 16
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


# Byte-order marks of the encodings a Windows editor offers besides UTF-8 (longest first).
BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


class FileKind(StrEnum):
    """What a path names, as far as reading it is concerned."""

    MISSING = "missing"
    REGULAR = "regular"
    DIRECTORY = "directory"
    FIFO = "fifo"
    DEVICE = "device"
    SOCKET = "socket"
    OTHER = "other"


# catalog key for each kind that is not a regular file
_REFUSAL = {
    FileKind.MISSING: "file.not_found",
    FileKind.DIRECTORY: "file.is_directory",
    FileKind.FIFO: "file.fifo",
    FileKind.DEVICE: "file.device",
    FileKind.SOCKET: "file.socket",
    FileKind.OTHER: "file.special",
}


def kind_of_mode(mode: int) -> FileKind:
    if stat.S_ISREG(mode):
        return FileKind.REGULAR
    if stat.S_ISDIR(mode):
        return FileKind.DIRECTORY
    if stat.S_ISFIFO(mode):
        return FileKind.FIFO
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return FileKind.DEVICE
    if stat.S_ISSOCK(mode):
        return FileKind.SOCKET
    return FileKind.OTHER


def file_kind(path: Path) -> FileKind:
    """The kind of ``path`` (symlinks followed; a dangling one is MISSING). Never opens it.

    Raises ``OSError`` for what stat itself cannot answer (permission denied on a folder,
    a name too long); ``stat_input`` turns those into messages.
    """
    try:
        return kind_of_mode(os.stat(path).st_mode)
    except FileNotFoundError:
        return FileKind.MISSING
    except NotADirectoryError:  # a/b where a is a file
        return FileKind.MISSING


def _problem(source: str, key: str, /, **params: object) -> ProblemsError:
    return ProblemsError([Problem(key, params, Location(source))])


def _detail(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def refusal(kind: FileKind) -> str | None:
    """The catalog key that refuses ``kind`` as an input file (None for a regular file)."""
    return _REFUSAL.get(kind)


def stat_input(
    path: Path, source: str | None = None, limit: int | None = None, too_big: str = "file.too_big"
) -> os.stat_result:
    """The stat of ``path`` if it is a regular file within ``limit`` bytes; else a refusal."""
    source = source if source is not None else str(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise _problem(source, "file.not_found") from None
    except OSError as exc:
        raise _problem(source, "file.unreadable", detail=_detail(exc)) from None
    key = refusal(kind_of_mode(info.st_mode))
    if key is not None:
        raise _problem(source, key)
    if limit is not None and info.st_size > limit:
        raise _problem(source, too_big, limit=limit)
    return info


def read_input(
    path: Path, source: str | None = None, limit: int = 20_000_000, too_big: str = "file.too_big"
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is refused."""
    source = source if source is not None else str(path)
    stat_input(path, source, limit, too_big)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        raise _problem(source, "file.not_found") from None
    except OSError as exc:
        raise _problem(source, "file.unreadable", detail=_detail(exc)) from None
    try:
        info = os.fstat(fd)
        key = refusal(kind_of_mode(info.st_mode))
        if key is not None:  # swapped after the first look
            raise _problem(source, key)
        if info.st_size > limit:
            raise _problem(source, too_big, limit=limit)
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = os.read(fd, min(CHUNK, limit + 1 - size))
            except BlockingIOError:  # cannot happen for a regular file; never wait for one
                raise _problem(source, "file.special") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # grew while being read (or lied about its size)
                raise _problem(source, too_big, limit=limit)
        return b"".join(chunks)
    except OSError as exc:
        raise _problem(source, "file.unreadable", detail=_detail(exc)) from None
    finally:
        os.close(fd)


def read_prefix(path: Path, count: int, source: str | None = None) -> bytes:
    """The first ``count`` bytes of a regular file (e.g. a magic number), with the same rules."""
    source = source if source is not None else str(path)
    stat_input(path, source)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _problem(source, "file.unreadable", detail=_detail(exc)) from None
    try:
        key = refusal(kind_of_mode(os.fstat(fd).st_mode))
        if key is not None:
            raise _problem(source, key)
        return os.read(fd, count)
    except OSError as exc:
        raise _problem(source, "file.unreadable", detail=_detail(exc)) from None
    finally:
        os.close(fd)


def wide_encoding(raw: bytes) -> str | None:
    """The name of a UTF-16/32 encoding the bytes are in (by BOM, or by NUL bytes), else None."""
    for bom, name in BOMS:
        if raw.startswith(bom):
            return name
    sample = raw[:4096]
    if len(sample) >= 4 and sample.count(0) * 4 >= len(sample):
        # text in UTF-16 without a BOM: every other byte of ASCII text is NUL
        return "UTF-32" if sample[1:3] == b"\x00\x00" or sample[:2] == b"\x00\x00" else "UTF-16"
    return None
