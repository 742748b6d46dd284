"""inspector.io.zip_part: one part changed, every other part copied byte for byte."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.io.zip_part import replace_part


def _package(path: Path, parts: dict[str, bytes], **options: object) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **options) as package:  # type: ignore[arg-type]
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 3, 10, 11, 12))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data)


def _compressed(path: Path) -> dict[str, tuple[int, int, int]]:
    with zipfile.ZipFile(path) as package:
        return {i.filename: (i.CRC, i.compress_size, i.file_size) for i in package.infolist()}


def test_one_part_changes_the_others_are_copied(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    parts = {
        "[Content_Types].xml": b"<Types/>" * 50,
        "xl/workbook.xml": b"<workbook><bookViews/></workbook>",
        "xl/worksheets/sheet1.xml": "<sheetData>单位名称</sheetData>".encode() * 400,
        "docProps/custom.xml": b"",
    }
    _package(path, parts)
    before = _compressed(path)

    path.write_bytes(
        replace_part(
            path.read_bytes(),
            "xl/workbook.xml",
            lambda data: data.replace(b"<bookViews/>", b"<x/>"),
        )
    )

    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None  # every CRC agrees with its data
        assert [i.filename for i in package.infolist()] == list(parts)
        assert package.read("xl/workbook.xml") == b"<workbook><x/></workbook>"
        for name in parts.keys() - {"xl/workbook.xml"}:
            assert package.read(name) == parts[name]
        stamps = {i.date_time for i in package.infolist()}
    after = _compressed(path)
    assert {k: v for k, v in after.items() if k != "xl/workbook.xml"} == {
        k: v for k, v in before.items() if k != "xl/workbook.xml"
    }
    assert stamps == {(2026, 12, 3, 10, 11, 12)}


def test_a_non_ascii_part_name_survives(tmp_path: Path) -> None:
    path = tmp_path / "book.zip"
    _package(path, {"a.xml": b"<a/>", "附件/说明.txt": "说明".encode()})
    path.write_bytes(replace_part(path.read_bytes(), "a.xml", lambda data: b"<b/>"))
    with zipfile.ZipFile(path) as package:
        assert package.read("附件/说明.txt") == "说明".encode()
        assert package.read("a.xml") == b"<b/>"


def test_a_package_with_data_descriptors_is_rewritten_through_zipfile(tmp_path: Path) -> None:
    path = tmp_path / "streamed.zip"
    # written to an unseekable stream, zipfile puts sizes in data descriptors (flag bit 3)
    with path.open("wb") as raw:

        class Unseekable:
            def write(self, data: bytes) -> int:
                return raw.write(data)

            def flush(self) -> None:
                raw.flush()

        with zipfile.ZipFile(Unseekable(), "w", zipfile.ZIP_DEFLATED) as package:  # type: ignore[arg-type]
            package.writestr("xl/workbook.xml", b"<bookViews/>")
            package.writestr("other.xml", b"<o/>" * 100)
    with zipfile.ZipFile(path) as package:
        assert any(i.flag_bits & 0x08 for i in package.infolist())
    path.write_bytes(
        replace_part(path.read_bytes(), "xl/workbook.xml", lambda data: b"<p/>" + data)
    )
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        assert package.read("xl/workbook.xml") == b"<p/><bookViews/>"
        assert package.read("other.xml") == b"<o/>" * 100


@settings(max_examples=40, deadline=None)
@given(
    parts=st.dictionaries(
        st.text(st.characters(min_codepoint=0x30, max_codepoint=0x9FFF), min_size=1, max_size=12),
        st.binary(max_size=3000),
        min_size=1,
        max_size=6,
    ),
    new=st.binary(max_size=3000),
)
def test_any_package_reads_back(
    tmp_path_factory: pytest.TempPathFactory, parts: dict, new: bytes
) -> None:
    path = tmp_path_factory.mktemp("zip") / "p.zip"
    _package(path, parts)
    target = next(iter(parts))
    path.write_bytes(replace_part(path.read_bytes(), target, lambda data: new))
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        assert {n: package.read(n) for n in package.namelist()} == {**parts, target: new}


def test_the_stamp_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    _package(path, {"a": b"1", "b": b"2"})
    path.write_bytes(replace_part(path.read_bytes(), "b", lambda data: b"3"))
    with zipfile.ZipFile(path) as package:
        assert datetime(*package.getinfo("a").date_time) == datetime(2026, 12, 3, 10, 11, 12)
        assert datetime(*package.getinfo("b").date_time) == datetime(2026, 12, 3, 10, 11, 12)
