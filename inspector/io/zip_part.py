"""Change one part of a finished zip package (an xlsx) without recompressing the others.

XlsxWriter has no call for a few workbook-level elements (structure protection). Adding one
means rewriting ``xl/workbook.xml`` inside the finished file. Going through ``zipfile`` would
decompress and compress every part again, which costs more than writing the small workbook
did; here the other parts are copied as they are, compressed bytes and CRC included, and only
the changed part is compressed. The layout written is the plain one ``zipfile`` writes itself
(local headers, central directory, end record, no data descriptors, no zip64); a package that
uses anything else is rewritten through ``zipfile`` instead.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # the local file header, as APPNOTE 4.3.7 lays it out
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # a central directory header (APPNOTE 4.3.12)
_END = struct.Struct("<4s4H2LH")  # the end of central directory record (APPNOTE 4.3.16)
_DATA_DESCRIPTOR = 0x08  # general purpose flag bit 3: sizes and CRC come after the data
_ENCRYPTED = 0x01
_LIMIT = 0xFFFF_FFFF  # sizes and offsets at or above this need zip64


def replace_part(blob: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """The zip package ``blob`` with its part ``name`` replaced by ``change(old)``."""
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        infos = package.infolist()
        plain = _plain(infos, blob)
        # the plain way reads (decompresses) only the part it changes
        wanted = [name] if plain else [info.filename for info in infos]
        parts = {filename: package.read(filename) for filename in wanted}
    if not plain:
        rewritten = io.BytesIO()
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
            for info in infos:
                data = parts[info.filename]
                target.writestr(info, change(data) if info.filename == name else data)
        return rewritten.getvalue()
    new_data = change(parts[name])
    out = bytearray()
    central = bytearray()
    for info in infos:
        offset = len(out)
        if info.filename == name:
            method = zipfile.ZIP_DEFLATED
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = compressor.compress(new_data) + compressor.flush()
            crc, size = zlib.crc32(new_data), len(new_data)
        else:
            method = info.compress_type
            raw = _raw_data(blob, info)
            crc, size = info.CRC, info.file_size
        encoded = info.filename.encode("utf-8")
        flags = info.flag_bits | (0x800 if not encoded.isascii() else 0)
        # the fields both headers hold: flags, method, time, date, CRC, sizes, name length
        shared = (flags, method, *_dos_stamp(info.date_time), crc, len(raw), size, len(encoded))
        out += _LOCAL.pack(b"PK\x03\x04", info.extract_version, 0, *shared, 0)
        out += encoded
        out += raw
        central += _CENTRAL.pack(
            b"PK\x01\x02",
            info.create_version,
            info.create_system,
            info.extract_version,
            0,
            *shared,
            0,  # extra field length
            0,  # comment length
            0,  # disk number
            info.internal_attr,
            info.external_attr,
            offset,
        )
        central += encoded
    central_offset = len(out)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, len(infos), len(infos), len(central), central_offset, 0)
    return bytes(out)


def _plain(infos: list[zipfile.ZipInfo], blob: bytes) -> bool:
    """Whether every part can be copied as it is: no data descriptor, encryption or zip64."""
    if len(infos) >= 0xFFFF or len(blob) >= _LIMIT:
        return False
    return all(
        not info.flag_bits & (_DATA_DESCRIPTOR | _ENCRYPTED) and info.file_size < _LIMIT
        for info in infos
    )


def _raw_data(blob: bytes, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of ``info``'s part, read after its local header."""
    header = _LOCAL.unpack_from(blob, info.header_offset)
    if header[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename!r}")
    start = info.header_offset + _LOCAL.size + header[10] + header[11]
    return blob[start : start + info.compress_size]


def _dos_stamp(stamp: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = stamp
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day
