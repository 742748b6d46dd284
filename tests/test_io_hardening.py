"""The io layer against hostile and careless input: special files, crafted zips, YAML syntax,
encodings, unit lists. Each refusal is a located ProblemsError, never another exception."""

from __future__ import annotations

import io
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from inspector.errors import ProblemsError
from inspector.i18n import set_language
from inspector.io import inputs
from inspector.io.inputs import FileKind, file_kind, read_input, read_prefix, wide_encoding
from inspector.io.units_file import read_units
from inspector.io.xlsx_safety import Limits, check_xlsx, read_checked
from inspector.io.yamlsafe import load_text, read_text
from tests import hostile_gen as gen


def refused(action: Callable[[], object]) -> list[tuple[str, str]]:
    """(key, rendered) of every problem ``action`` is refused with."""
    with pytest.raises(ProblemsError) as info:
        action()
    return [(p.key, p.render()) for p in info.value.problems]


def within(seconds: float, action: Callable[[], object]) -> object:
    """Run ``action`` in a thread; fail (instead of hanging the suite) if it blocks."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = action()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


# --- special files ----------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "x.xlsx"
    os.mkfifo(path)
    return path


def test_fifo_is_refused_without_blocking(fifo: Path) -> None:
    assert file_kind(fifo) is FileKind.FIFO
    for action in (
        lambda: read_input(fifo),
        lambda: read_prefix(fifo, 16),
        lambda: check_xlsx(fifo),
        lambda: read_text(fifo),
        lambda: read_units(fifo),
    ):
        with pytest.raises(ProblemsError) as info:
            within(5, action)
        assert info.value.problems[0].key == "file.fifo"
        assert info.value.problems[0].render().startswith(f"{fifo}: ")


def test_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "z.xlsx"
    link.symlink_to("/dev/zero")
    assert file_kind(link) is FileKind.DEVICE
    assert refused(lambda: within(5, lambda: read_checked(link, "z.xlsx")))[0][0] == "file.device"
    yaml_link = tmp_path / "z.yaml"
    yaml_link.symlink_to("/dev/zero")
    assert refused(lambda: within(5, lambda: read_text(yaml_link)))[0][0] == "file.device"


def test_directory_socket_missing_and_dangling(tmp_path: Path) -> None:
    assert refused(lambda: read_input(tmp_path))[0][0] == "file.is_directory"
    assert refused(lambda: read_input(tmp_path / "nope"))[0][0] == "file.not_found"
    assert refused(lambda: read_input(tmp_path / "nope" / "deeper"))[0][0] == "file.not_found"
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "gone")
    assert file_kind(dangling) is FileKind.MISSING
    assert refused(lambda: read_text(dangling))[0][0] == "file.not_found"
    sock_path = tmp_path / "s.xlsx"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock_path))
        assert refused(lambda: read_input(sock_path))[0][0] == "file.socket"
    finally:
        server.close()


def test_size_limit_is_kept_even_if_the_file_lies_about_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * 1000)
    assert refused(lambda: read_input(path, limit=999))[0][0] == "file.too_big"
    assert read_input(path, limit=1000) == b"x" * 1000
    # a file that grows between the stat and the read (or a /proc file that claims 0 bytes)
    real_fstat = os.fstat

    class Small:
        def __init__(self, result: os.stat_result) -> None:
            self.st_mode = result.st_mode
            self.st_size = 0

    monkeypatch.setattr(inputs.os, "fstat", lambda fd: Small(real_fstat(fd)))
    assert refused(lambda: read_input(path, limit=500))[0][0] == "file.too_big"


def test_a_path_swapped_for_a_fifo_after_the_first_look_is_refused(
    fifo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regular = tmp_path / "ok.xlsx"
    regular.write_bytes(b"PK")
    real_stat = os.stat
    monkeypatch.setattr(inputs.os, "stat", lambda p, *a, **k: real_stat(regular))
    assert refused(lambda: within(5, lambda: read_input(fifo)))[0][0] == "file.fifo"


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    (key, text), *_ = refused(lambda: read_text(path))
    assert key == "file.unreadable" and text.startswith(f"{path}: ")


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")],
)
def test_utf16_and_utf32_are_named(tmp_path: Path, encoding: str, name: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes("unit: Finance\nitems: {}\n".encode(encoding))
    assert wide_encoding(path.read_bytes()) == name
    assert refused(lambda: read_text(path)) == [
        ("file.utf16", f"{path}: 文件是 {name} 编码。请用编辑器“另存为 UTF-8”后重试")
    ]


def test_utf8_with_and_without_bom_and_gbk(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes("\ufeffunit: 市财政局\n".encode())
    assert read_text(path) == "unit: 市财政局\n"
    assert wide_encoding("unit: 市财政局\n".encode()) is None
    path.write_bytes("unit: 市财政局\n".encode("gbk"))
    assert refused(lambda: read_text(path))[0][0] == "file.not_utf8"


# --- crafted zips -----------------------------------------------------------------------------

ZIP_EXPECTED = {
    "encrypted_content_types": ("xlsx.encrypted_part", "[Content_Types].xml"),
    "encrypted_sheet": ("xlsx.encrypted_part", "xl/worksheets/sheet"),
    "deflate_content_types": ("xlsx.damaged_part", "[Content_Types].xml"),
    "deflate_sheet": ("xlsx.damaged_part", "xl/worksheets/sheet"),
    "deflate_workbook": ("xlsx.damaged_part", "xl/workbook.xml"),
    "crc_sheet": ("xlsx.damaged_part", "xl/worksheets/sheet"),
    "crc_styles": ("xlsx.damaged_part", "xl/styles.xml"),
    "bzip2_sheet": ("xlsx.compression", "xl/worksheets/sheet"),
    "deflate64_sheet": ("xlsx.compression", "xl/worksheets/sheet"),
    "aes_sheet": ("xlsx.compression", "xl/worksheets/sheet"),
    "short_sheet": ("xlsx.damaged_part", "xl/worksheets/sheet"),
    "local_name_differs": ("xlsx.damaged_part", "xl/workbook.xml"),
    "cut_central_directory": ("xlsx.truncated", ""),
    "cut_in_half": ("xlsx.truncated", ""),
    "bad_directory_offset": ("xlsx.damaged_part", ""),
    "local_offset_outside": ("xlsx.damaged_part", "xl/workbook.xml"),
    "duplicate_sheet": ("xlsx.duplicate_part", "xl/worksheets/sheet"),
}


@pytest.fixture(scope="module")
def workbook_bytes() -> bytes:
    """A plain workbook with three sheets, as office programs write it."""
    wb = Workbook()
    wb.active["A1"] = "单位名称"
    for title in ("评分表", "inspector"):
        wb.create_sheet(title)["A1"] = "x" * 2000
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_every_zip_mutation_is_covered() -> None:
    assert set(ZIP_EXPECTED) == set(gen.ZIP_MUTATIONS)


@pytest.mark.parametrize("name", sorted(ZIP_EXPECTED))
def test_crafted_zip_is_refused_naming_the_part(
    tmp_path: Path, workbook_bytes: bytes, name: str
) -> None:
    key, part = ZIP_EXPECTED[name]
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(gen.ZIP_MUTATIONS[name](workbook_bytes))
    for limits in (Limits(), Limits(part_bytes=8_000_000, scan_entities=True)):
        problems = refused(lambda lim=limits: read_checked(path, str(path), lim))
        assert len(problems) == 1
        got_key, text = problems[0]
        assert got_key == key
        assert text.startswith(f"{path}: ")
        assert part in text


def test_the_valid_workbook_passes(tmp_path: Path, workbook_bytes: bytes) -> None:
    path = tmp_path / "ok.xlsx"
    path.write_bytes(workbook_bytes)
    assert read_checked(path, "ok.xlsx") == workbook_bytes


VBA = b"application/vnd.ms-office.vbaProject"


@pytest.mark.parametrize(
    "change",
    [
        # a Default by extension on an innocent-looking part name
        lambda d: gen.rebuild(
            gen.with_content_type(d, b'<Default Extension="bin" ContentType="' + VBA + b'"/>'),
            extra={"xl/stuff.bin": b"\x00" * 64},
        ),
        # the same, spelled with a character reference
        lambda d: gen.with_content_type(
            d, b'<Default Extension="dat" ContentType="application/vnd.ms-office.vba&#80;roject"/>'
        ),
        # an Override for one part
        lambda d: gen.with_content_type(
            d, b'<Override PartName="/xl/x.bin" ContentType="' + VBA + b'"/>'
        ),
        # Excel 4 macro sheets and ActiveX controls
        lambda d: gen.with_content_type(
            d,
            b'<Override PartName="/xl/macrosheets/sheet1.xml" '
            b'ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
        ),
        lambda d: gen.rebuild(d, extra={"xl/macrosheets/sheet1.xml": b"<xm/>"}),
        lambda d: gen.rebuild(d, extra={"xl/activeX/activeX1.bin": b"\x00"}),
        lambda d: gen.with_content_type(
            d,
            b'<Default Extension="xml" ContentType="application/vnd.ms-office.activeX+xml"/>',
        ),
        lambda d: gen.rebuild(d, extra={"customUI/VBAPROJECT.BIN": b"\x00"}),
    ],
    ids=[
        "default_by_extension",
        "character_reference",
        "override",
        "macrosheet_type",
        "macrosheet_part",
        "activex_part",
        "activex_type",
        "vbaproject_any_case",
    ],
)
def test_macros_however_declared(
    tmp_path: Path, workbook_bytes: bytes, change: Callable[[bytes], bytes]
) -> None:
    path = tmp_path / "m.xlsx"
    path.write_bytes(change(workbook_bytes))
    assert [k for k, _ in refused(lambda: read_checked(path, "m.xlsx"))] == ["xlsx.macros"]


def test_content_types_with_a_doctype_or_broken_xml(tmp_path: Path, workbook_bytes: bytes) -> None:
    path = tmp_path / "c.xlsx"

    def doctype(name: str, data: bytes) -> bytes:
        if name != "[Content_Types].xml":
            return data
        return data.replace(b"<Types", b'<!DOCTYPE t [<!ENTITY a "b">]><Types', 1)

    path.write_bytes(gen.rebuild(workbook_bytes, doctype))
    assert [k for k, _ in refused(lambda: read_checked(path, "c.xlsx"))] == ["xlsx.entities"]
    path.write_bytes(
        gen.rebuild(workbook_bytes, lambda n, d: d[:50] if n == "[Content_Types].xml" else d)
    )
    (key, text), *_ = refused(lambda: read_checked(path, "c.xlsx"))
    assert key == "xlsx.damaged_part" and "[Content_Types].xml" in text


def test_empty_and_english(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    path.write_bytes(b"")
    assert refused(lambda: read_checked(path, "e.xlsx"))[0][0] == "file.empty"
    path.write_bytes(gen.ZIP_MUTATIONS["crc_styles"](_plain_book()))
    set_language("en")
    (_, text), *_ = refused(lambda: read_checked(path, "e.xlsx"))
    assert (
        text
        == "e.xlsx: workbook part xl/styles.xml is damaged (checksum mismatch); save or send it again"
    )


def _plain_book() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def test_screening_reads_every_part_once_in_bounded_time(tmp_path: Path) -> None:
    """A 40 MB (declared) archive is decompressed in well under the test timeout."""
    import zipfile

    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for n in range(8):
            archive.writestr(f"xl/media/image{n}.bin", os.urandom(1_000_000))
    started = time.perf_counter()
    read_checked(path, "big.xlsx")
    assert time.perf_counter() - started < 10


# --- YAML -------------------------------------------------------------------------------------


def yaml_problems(text: str) -> list[str]:
    _, problems = load_text(text, "f.yaml")
    return [p.render() for p in problems]


TAB_MESSAGE = "YAML 语法错误：这一行用了制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("unit: x\nitems:\n  B3:\n\tscore: 1\n", "4:1"),
        ("a:\n  - 1\n\t- 2\n", "3:1"),
        ("a:\n  b: 1\n\n\tc: 2\n", "4:1"),
        ("a:\n  b: hello\n\tworld\n", "3:1"),
        ("a:\n  b: 1\n  c: |\n    x\n\td: 2\n", "5:1"),
    ],
)
def test_tab_is_reported_at_the_tab(text: str, where: str) -> None:
    assert yaml_problems(text) == [f"f.yaml:{where}: {TAB_MESSAGE}"]


def test_tab_deep_in_a_long_file_is_on_its_own_line() -> None:
    """The issue's case: a tab at 139:1 was reported at 138:15."""
    lines = [f"  k{n}: value{n}" for n in range(2, 139)]
    text = "root:\n" + "\n".join(lines) + "\n\tk139: v\n"
    assert yaml_problems(text) == [f"f.yaml:139:1: {TAB_MESSAGE}"]


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('a: "abc\nb: 1\n', "1:4", "引号一直到文件末尾都没有闭合"),
        ("a: b: c\n", "1:5", "这里不能出现“: ”"),
        ("a:\n  b: 1\n c: 2\n", "3:2", "缩进不对"),
        ("a: [1, 2\nb: 3\n", "1:4", "方括号或花括号没有闭合"),
        ('a: "\\q"\n', "1:5", "转义无效"),
        ("a: @x\n", "1:4", "值不能以这个字符开头"),
        ("- a\nb: 1\n", "2:1", "缩进不对"),
    ],
)
def test_syntax_errors_are_explained_in_chinese(text: str, where: str, words: str) -> None:
    (got,) = yaml_problems(text)
    assert got.startswith(f"f.yaml:{where}: YAML 语法错误：")
    assert words in got
    assert "found" not in got and "while" not in got


@pytest.mark.parametrize(
    ("char", "where"),
    [("\x1b", "2:5"), ("\x00", "2:5"), ("\x85", "2:5"), ("\u2028", "2:5"), ("\x7f", "2:5")],
)
def test_control_characters_are_located(char: str, where: str) -> None:
    text = f"a: 中文\nb: x{char}y\n"
    (got,) = yaml_problems(text)
    assert got.startswith(f"f.yaml:{where}: 这里有一个不可见的控制字符 U+{ord(char):04X}")


def test_control_characters_written_as_escapes() -> None:
    (got,) = yaml_problems('a: ok\nb: "x\\e[2J"\n')
    assert got.startswith("f.yaml:2:4: 这里有一个不可见的控制字符 U+001B")
    (got,) = yaml_problems('"k\\x9b": 1\n')
    assert got.startswith("f.yaml:1:1: 这里有一个不可见的控制字符 U+009B")
    located, problems = load_text('a: "一\\u2028二\\N三\\t四\\n五"\n', "f.yaml")
    assert problems == [] and located.data == {"a": "一\u2028二\x85三\t四\n五"}


def test_many_control_characters_are_listed_with_a_bound() -> None:
    text = "".join(f"k{n}: \x1b\n" for n in range(100))
    assert len(yaml_problems(text)) == 20


def test_duplicate_key_keeps_the_rest_of_the_tree() -> None:
    """The contract answers files rely on to report a duplicate AND the other mistakes."""
    located, problems = load_text("a: 1\nb: {x: 1}\na: 2\nc: [1, 2]\n", "f.yaml")
    assert [p.key for p in problems] == ["yaml.duplicate_key"]
    assert located.data == {"a": "1", "b": {"x": "1"}, "c": ["1", "2"]}
    located, problems = load_text("a: [1\n", "f.yaml")
    assert problems and located.data is None


# --- unit lists -------------------------------------------------------------------------------


def units_problems(path: Path) -> list[str]:
    return [text for _, text in refused(lambda: read_units(path))]


def test_csv_field_over_the_csv_limit(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("单位名称,类别\n甲,区县\n" + "x" * 140_000 + ",部门\n", encoding="utf-8")
    assert units_problems(path) == [
        f"{path}:3: 这一行有一个字段超过 131072 个字符（可能缺少一个闭合的引号），请检查"
    ]


def test_csv_unclosed_quote_swallowing_the_file(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text('单位名称,类别\n"甲,区县\n' + "乙,部门\n" * 30_000, encoding="utf-8")
    (got,) = units_problems(path)
    assert got.startswith(f"{path}:") and "131072" in got


def test_csv_in_utf16(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes("单位名称,类别\n甲,区县\n".encode("utf-16"))
    assert units_problems(path) == [f"{path}: 文件是 UTF-16 编码。请用编辑器“另存为 UTF-8”后重试"]


def test_csv_names_follow_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        "单位名称,类别,编码,标签\n"
        "市财政局\x00,区县,,\n"
        "\u202e局育教市,区县,,\n"
        "=HYPERLINK(1),区县,,\n"
        "市卫健委,区县,A B,\n"
        "市水利局,区县,,关基\u200b\n"
        "  市  住建局 ,  区县 , SJ ,关基\n",
        encoding="utf-8",
    )
    got = units_problems(path)
    assert got == [
        f"{path}:2: 单位名称含有控制字符 U+0000（第 5 个字符，如换行、制表符或终端控制符），请删除",
        f"{path}:3: 单位名称含有改变文字方向的不可见字符 U+202E（第 1 个字符），会让名称看起来与实际不同，请删除",
        f"{path}:4: 单位名称不能以“=”开头（电子表格会把它当作公式）",
        f"{path}:5: 单位编码“A B”不能含空格",
        f"{path}:6: 标签含有不可见字符 U+200B（第 3 个字符，如零宽空格），会让两个名称看起来一样，请删除",
    ]
    path.write_text("单位名称,类别,编码,标签\n  市  住建局 ,  区县 , SJ ,关基\n", encoding="utf-8")
    (row,) = read_units(path)
    assert (row.name, row.group, row.code, row.tags) == ("市 住建局", "区县", "SJ", ("关基",))


def test_csv_duplicates_and_name_code_clash(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        "单位名称,类别,编码\n甲,区县,A\n乙,区县,甲\n甲,区县,\n丙,区县,A\n", encoding="utf-8"
    )
    assert units_problems(path) == [
        f"{path}:3: 编码“甲”与 {path}:2 的单位名称相同，按名称或编码查找单位时会混淆",
        f"{path}:4: 单位“甲”重复（首次出现在 {path}:2）",
        f"{path}:5: 编码“A”重复（首次出现在 {path}:2）",
    ]


def test_xlsx_formula_error_and_date_cells_are_refused_at_their_cell(tmp_path: Path) -> None:
    from datetime import date

    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["单位名称", "类别", "编码"])
    ws.append(["=1+1", "区县", None])
    ws.append(["市财政局", "区县", "=A2"])
    ws.append(["市教育局", date(2026, 1, 1), None])
    ws.append(["市卫健委", "区县", 610202.0])
    ws["A6"] = "#REF!"
    ws["A6"].data_type = "e"
    ws["B6"] = "区县"
    path = tmp_path / "u.xlsx"
    wb.save(path)
    assert units_problems(path) == [
        f"{path}: 单位!A2: 这里是公式“=1+1”，不是文字。请把单元格改为直接填写的文本",
        f"{path}: 单位!C3: 这里是公式“=A2”，不是文字。请把单元格改为直接填写的文本",
        f"{path}: 单位!B4: 这里应填写文字（现在是“2026-01-01 00:00:00”）",
        f"{path}: 单位!A6: 这里是错误值“#REF!”，不是文字",
    ]


def test_xlsx_numbers_as_codes(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["单位名称", "类别", "编码"])
    wb.active.append(["王益区", "区县", 610202.0])
    path = tmp_path / "u.xlsx"
    wb.save(path)
    (row,) = read_units(path)
    assert row.code == "610202"


@pytest.mark.parametrize("name", sorted(gen.ZIP_MUTATIONS))
def test_crafted_units_xlsx(tmp_path: Path, name: str) -> None:
    wb = Workbook()
    wb.active.append(["单位名称", "类别"])
    wb.active.append(["王益区", "区县"])
    wb.create_sheet("说明")["A1"] = "填表说明" * 100
    out = io.BytesIO()
    wb.save(out)
    path = tmp_path / "u.xlsx"
    path.write_bytes(gen.ZIP_MUTATIONS[name](out.getvalue()))
    (key, text), *_ = refused(lambda: read_units(path))
    assert key.startswith(("xlsx.", "file."))
    assert text.startswith(f"{path}: ")


# --- writing ----------------------------------------------------------------------------------


def test_atomic_write_never_replaces_a_special_file(fifo: Path, tmp_path: Path) -> None:
    from inspector.errors import InspectorError
    from inspector.io.fileio import write_text_atomic

    folder = tmp_path / "out.yaml"
    folder.mkdir()
    for target in (fifo, folder):
        with pytest.raises(InspectorError) as info:
            within(5, lambda t=target: write_text_atomic(t, "x"))
        assert info.value.key == "file.not_regular_target"
    assert file_kind(fifo) is FileKind.FIFO and folder.is_dir()
    assert not list(tmp_path.glob(".*.tmp"))
    regular = tmp_path / "ok.yaml"
    write_text_atomic(regular, "a")
    write_text_atomic(regular, "b")
    assert regular.read_text() == "b"
