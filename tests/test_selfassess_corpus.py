"""Broken, tampered and hostile workbooks: each refused with its expected, located message,
nothing recorded, in bounded memory."""

from __future__ import annotations

import shutil
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from inspector.app.imports import import_file
from inspector.selfassess import layout as L
from inspector.selfassess.identity import SHEET, from_fields, sign, workspace_secret
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.selfassess_support import (
    SMALL,
    SMALL_FULL_ANSWERS,
    cell,
    fill,
    make_workspace,
    rows_by_key,
)

UNIT = "市财政局"
Expected = list[tuple[str, str | None]]


class Base:
    """A workspace, the unit's blank template and a valid filled copy."""

    def __init__(self, folder: Path, runner: CliRunner) -> None:
        self.folder = folder
        self.db = make_workspace(folder, SMALL)
        out = folder / "templates"
        result = invoke(runner, ["template", "--all", "--db", str(self.db), "--out", str(out)])
        assert result.exit_code == 0, result.output
        self.blank = out / f"{UNIT}.xlsx"
        self.other_blank = out / "市大数据局.xlsx"
        self.valid = fill(self.blank, SMALL_FULL_ANSWERS, out=folder / "valid.xlsx")

    def copy(self, name: str) -> Path:
        target = self.folder / name
        shutil.copy(self.valid, target)
        return target

    def ref(self, key: str, column: str = L.ENTRY) -> str:
        return cell(self.valid, key, column)


@pytest.fixture
def base(tmp_path: Path, runner: CliRunner) -> Base:
    return Base(tmp_path, runner)


def rewrite(
    path: Path, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None
) -> Path:
    """Copy the zip with members changed (``change`` returns new bytes, or None to drop)."""
    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    temp.replace(path)
    return path


def scores_part(path: Path) -> str:
    """The zip member of the score sheet (the second sheet)."""
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    return names[1]


def identity_part(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    return names[2]


def problems_of(base: Base, path: Path, **kw: object) -> Expected:
    with Workspace.open(base.db) as ws:
        outcome = import_file(ws, path, "tester", "test", **kw)  # type: ignore[arg-type]
        assert outcome.status == "refused"
        assert not ws.assessment(ws.round(), ws.unit(UNIT), "self").exists
        for problem in outcome.problems:
            assert problem.location is not None and problem.location.source == str(path)
            assert problem.render().startswith(f"{path}: ")
        return [(p.key, p.location.cell if p.location else None) for p in outcome.problems]


# --- cell-level mistakes: every one located -------------------------------------------------


CELL_CASES: dict[str, tuple[dict[tuple[str, str], object], list[tuple[str, tuple[str, str]]]]] = {
    # (row key, column) -> value                         expected (message key, (row key, column))
    "count_words": ({("rule A1 r1", "G"): "两次"}, [("sa.count_number", ("rule A1 r1", "G"))]),
    "count_fraction": ({("rule B1 r1", "G"): 1.5}, [("sa.count_number", ("rule B1 r1", "G"))]),
    "count_negative": ({("rule B1 r1", "G"): -2}, [("sa.count_negative", ("rule B1 r1", "G"))]),
    "count_bool": ({("rule B1 r1", "G"): True}, [("sa.count_number", ("rule B1 r1", "G"))]),
    "count_once": ({("rule A1 r1", "G"): 2}, [("answer.count_once", ("rule A1 r1", "G"))]),
    "count_too_big": ({("rule B1 r1", "G"): 20000}, [("answer.bad_count", ("rule B1 r1", "G"))]),
    "count_formula": ({("rule B1 r1", "G"): "=1+2"}, [("sa.formula", ("rule B1 r1", "G"))]),
    "level_unknown": ({("item B2", "G"): "优秀档"}, [("answer.unknown_level", ("item B2", "G"))]),
    "level_missing": ({("item B2", "G"): None}, [("sa.level_missing", ("item B2", "G"))]),
    "level_formula": ({("item B2", "G"): '="仅培训"'}, [("sa.formula", ("item B2", "G"))]),
    "score_too_high": ({("item B3", "G"): 7}, [("answer.bad_score", ("item B3", "G"))]),
    "score_off_step": ({("item B3", "G"): 2.3}, [("answer.bad_score", ("item B3", "G"))]),
    "score_negative": ({("item B3", "G"): -1}, [("answer.bad_score", ("item B3", "G"))]),
    "score_words": ({("item B3", "G"): "两分半"}, [("sa.score_number", ("item B3", "G"))]),
    "score_missing": ({("item B3", "G"): "  "}, [("sa.score_missing", ("item B3", "G"))]),
    "score_formula": ({("item B3", "G"): "=5-1"}, [("sa.formula", ("item B3", "G"))]),
    "note_formula": (
        {("item A1", "J"): '=HYPERLINK("http://x")'},
        [("sa.formula", ("item A1", "J"))],
    ),
    "note_too_long": ({("item A1", "J"): "说" * 4001}, [("sa.text_too_long", ("item A1", "J"))]),
    "evidence_too_long": (
        {("item B3", "K"): "材" * 4001},
        [("sa.text_too_long", ("item B3", "K"))],
    ),
    "na_too_long": (
        {("item B1", "I"): "因" * 4001, ("rule B1 r1", "G"): None},
        [("sa.text_too_long", ("item B1", "I"))],
    ),
    "na_and_counts": (
        {("item B1", "I"): "无信息系统"},
        [("sa.na_and_answer", ("rule B1 r1", "G"))],
    ),
    "na_not_allowed": ({("item A1", "I"): "不适用"}, [("sa.not_input", ("item A1", "I"))]),
    "entry_on_deduction_item": ({("item A1", "G"): 3}, [("sa.not_input", ("item A1", "G"))]),
    "note_on_rule_row": ({("rule A1 r2", "J"): "说明"}, [("sa.not_input", ("rule A1 r2", "J"))]),
    "count_on_level_row": ({("level B2 1", "G"): 1}, [("sa.not_input", ("level B2 1", "G"))]),
    "aggravated_too_big": (
        {("aggravated A1", "G"): 10001},
        [("answer.bad_count", ("aggravated A1", "G"))],
    ),
    "bonus_words": ({("bonus B1", "G"): "一项"}, [("sa.count_number", ("bonus B1", "G"))]),
    "many_at_once": (
        {
            ("item B3", "G"): 9,
            ("rule A1 r1", "G"): "x",
            ("item B2", "G"): "无",
            ("rule B1 r2", "G"): 3,
        },
        [
            ("sa.count_number", ("rule A1 r1", "G")),
            ("answer.count_once", ("rule B1 r2", "G")),
            ("answer.unknown_level", ("item B2", "G")),
            ("answer.bad_score", ("item B3", "G")),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CELL_CASES))
def test_cell_mistakes_are_located(base: Base, name: str) -> None:
    values, expected = CELL_CASES[name]
    path = base.copy(f"{name}.xlsx")
    wb = load_workbook(path)
    sheet = wb["评分表"]
    rows = rows_by_key(sheet)
    for (row_key, column), value in values.items():
        sheet[f"{column}{rows[row_key]}"] = value
    wb.save(path)
    want = [(key, f"评分表!{column}{rows[row_key]}") for key, (row_key, column) in expected]
    assert problems_of(base, path) == want


def test_messages_name_the_cell_and_the_rule(base: Base, runner: CliRunner) -> None:
    path = base.copy("messages.xlsx")
    wb = load_workbook(path)
    rows = rows_by_key(wb["评分表"])
    wb["评分表"][f"G{rows['rule A1 r1']}"] = 2
    wb["评分表"][f"G{rows['item B3']}"] = 2.3
    wb.save(path)
    result = invoke(runner, ["import", str(path), "--db", str(base.db)])
    assert result.exit_code == 1
    assert (
        f"{path}: 评分表!G{rows['rule A1 r1']}: “r1”不是按次计的条目，只能计 1 次（给出了 2 次）"
        in result.output
    )
    assert (
        f"{path}: 评分表!G{rows['item B3']}: 指标 B3 的得分 2.3 无效：须在 0 到 5 之间，且为 0.5 的整数倍"
        in result.output
    )
    english = invoke(runner, ["import", str(path), "--db", str(base.db)], lang="en")
    assert f"{path}: 评分表!G{rows['item B3']}: score 2.3 for item B3 is invalid" in english.output
    assert "nothing was recorded" in english.output


# --- the sheet's structure ------------------------------------------------------------------


def test_renamed_sheet(base: Base) -> None:
    path = base.copy("renamed.xlsx")
    wb = load_workbook(path)
    wb["评分表"].title = "Sheet1"
    wb.save(path)
    assert problems_of(base, path) == [("sa.no_scores_sheet", None)]


def test_deleted_rule_row(base: Base) -> None:
    path = base.copy("deleted.xlsx")
    wb = load_workbook(path)
    sheet = wb["评分表"]
    sheet.delete_rows(rows_by_key(sheet)["rule B1 r2"])
    wb.save(path)
    assert problems_of(base, path) == [("sa.missing.rule", "评分表")]


def test_deleted_item_and_bonus_rows(base: Base) -> None:
    path = base.copy("deleted2.xlsx")
    wb = load_workbook(path)
    sheet = wb["评分表"]
    rows = rows_by_key(sheet)
    sheet[f"L{rows['item B3']}"] = None
    sheet[f"L{rows['bonus B1']}"] = None
    wb.save(path)
    got = problems_of(base, path)
    assert ("sa.missing.item", "评分表") in got and ("sa.missing.bonus", "评分表") in got


def test_duplicated_row(base: Base) -> None:
    path = base.copy("dup.xlsx")
    wb = load_workbook(path)
    sheet = wb["评分表"]
    end = sheet.max_row + 1
    sheet[f"L{end}"] = "rule B1 r1"
    sheet[f"G{end}"] = 1
    wb.save(path)
    assert problems_of(base, path) == [("sa.duplicate_row", f"评分表!A{end}")]


def test_stray_row_with_content(base: Base) -> None:
    path = base.copy("stray.xlsx")
    wb = load_workbook(path)
    sheet = wb["评分表"]
    end = sheet.max_row + 3
    sheet[f"J{end}"] = "补充说明"
    wb.save(path)
    assert problems_of(base, path) == [("sa.stray_input", f"评分表!J{end}")]


def test_row_of_an_item_the_unit_does_not_have(base: Base) -> None:
    path = base.copy("foreign.xlsx")
    wb = load_workbook(path)
    sheet = wb["评分表"]
    end = sheet.max_row + 1
    sheet[f"L{end}"] = "item A2"  # the 关基 item: not part of 市财政局's sheet
    wb.save(path)
    assert problems_of(base, path) == [("sa.unexpected_row", f"评分表!A{end}")]


def test_made_from_scratch(base: Base) -> None:
    source = load_workbook(base.valid)
    wb = Workbook()
    sheet = wb.active
    sheet.title = "评分表"
    for row in source["评分表"].iter_rows():
        for c in row:
            if c.value is not None and not isinstance(c, type(None)):
                sheet[c.coordinate] = c.value
    path = base.folder / "scratch.xlsx"
    wb.save(path)
    assert problems_of(base, path) == [("sa.no_identity", None)]


# --- identity: tampered, foreign, or signed for something else ------------------------------


def edit_identity(path: Path, changes: dict[str, str | None], properties: bool = True) -> None:
    wb = load_workbook(path)
    sheet = wb[SHEET]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in changes:
            row[1].value = changes[row[0].value]
    if properties:
        for prop in list(wb.custom_doc_props.props):
            name = prop.name.removeprefix("inspector.")
            if name in changes:
                if changes[name] is None:
                    wb.custom_doc_props.props.remove(prop)
                else:
                    prop.value = changes[name]
    wb.save(path)


def resign(base: Base, path: Path, **changes: str) -> None:
    """Change identity fields and sign them with the real secret: as if issued so."""
    wb = load_workbook(path)
    values = {r[0].value: r[1].value for r in wb[SHEET].iter_rows(min_row=2)}
    values.update(changes)
    identity, _ = from_fields(values)
    assert identity is not None
    with Workspace.open(base.db) as ws:
        secret = workspace_secret(ws, create=False)
    assert secret is not None
    edit_identity(path, {**changes, "tag": sign(identity, secret)})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unit", "市大数据局"),
        ("round", "2025年度督查"),
        ("tag", "0" * 64),
        ("set_hash", "f" * 64),
        ("unit_code", ""),
    ],
)
def test_tampered_identity(base: Base, field: str, value: str) -> None:
    path = base.copy(f"tampered-{field}.xlsx")
    edit_identity(path, {field: value})
    assert problems_of(base, path) == [("sa.bad_tag", None)]


def test_identity_sheet_lost_but_properties_kept_still_imports(base: Base) -> None:
    path = base.copy("props-only.xlsx")
    wb = load_workbook(path)
    del wb[SHEET]
    wb.save(path)
    with Workspace.open(base.db) as ws:
        assert import_file(ws, path, "tester", "test").status == "imported"


def test_identity_gone_everywhere(base: Base) -> None:
    path = base.copy("no-identity.xlsx")
    wb = load_workbook(path)
    del wb[SHEET]
    wb.custom_doc_props.props.clear()
    wb.save(path)
    assert problems_of(base, path) == [("sa.no_identity", None)]


def test_identity_incomplete(base: Base) -> None:
    path = base.copy("half-identity.xlsx")
    edit_identity(path, {"tag": None})
    assert problems_of(base, path) == [("sa.bad_identity", None)]


def test_tampered_properties_do_not_matter_while_the_sheet_verifies(base: Base) -> None:
    path = base.copy("props-tampered.xlsx")
    wb = load_workbook(path)
    for prop in wb.custom_doc_props.props:
        if prop.name == "inspector.unit":
            prop.value = "市大数据局"
    wb.save(path)
    with Workspace.open(base.db) as ws:
        outcome = import_file(ws, path, "tester", "test")
        assert outcome.status == "imported" and outcome.unit is not None
        assert outcome.unit.name == UNIT


def test_one_units_identity_on_another_units_sheet(base: Base) -> None:
    """市财政局's valid identity moved onto 市大数据局's sheet (which has the 关基 item)."""
    path = fill(
        base.other_blank, {**SMALL_FULL_ANSWERS, "A2": "full"}, out=base.folder / "swap.xlsx"
    )
    mine = load_workbook(base.valid)
    theirs = load_workbook(path)
    for src, dst in zip(mine[SHEET].iter_rows(), theirs[SHEET].iter_rows(), strict=True):
        dst[1].value = src[1].value
    theirs.custom_doc_props = mine.custom_doc_props
    theirs.save(path)
    rows = rows_by_key(theirs["评分表"])
    # the sheet still shows 市大数据局 (issue 14, point 1), and its rows are not 市财政局's
    assert problems_of(base, path) == [
        ("sa.visible.unit", "填表说明!B3"),
        ("sa.visible.title", "评分表!A1"),
        ("sa.unexpected_row", f"评分表!A{rows['item A2']}"),
        ("sa.unexpected_row", f"评分表!A{rows['rule A2 r1']}"),
    ]


def test_template_from_another_workspace(base: Base, runner: CliRunner) -> None:
    other = base.folder / "elsewhere"
    other.mkdir()
    other_db = make_workspace(other, SMALL)
    invoke(runner, ["template", UNIT, "--db", str(other_db), "--out", str(other)])
    path = fill(other / f"{UNIT}.xlsx", SMALL_FULL_ANSWERS)
    with Workspace.open(base.db) as ws:
        outcome = import_file(ws, path, "tester", "test")
    assert [p.key for p in outcome.problems] == ["sa.bad_tag"]


def test_workspace_that_never_issued_templates(base: Base, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    db = make_workspace(fresh, SMALL)
    with Workspace.open(db) as ws:
        outcome = import_file(ws, base.valid, "tester", "test")
        assert [p.key for p in outcome.problems] == ["sa.no_secret"]
        assert ws.meta("selfassess_secret") is None


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"layout": "99"}, "sa.bad_version"),
        ({"round": "2030年度督查"}, "sa.unknown_round"),
        ({"unit": "市教育局"}, "sa.unknown_unit"),
        ({"set_hash": "0" * 64}, "sa.set_changed"),
    ],
)
def test_signed_but_not_importable_here(base: Base, changes: dict[str, str], key: str) -> None:
    path = base.copy("resigned.xlsx")
    resign(base, path, **changes)
    assert problems_of(base, path) == [(key, None)]


def test_other_round_asked_for(base: Base) -> None:
    assert problems_of(base, base.valid, round_name="另一轮") == [("sa.other_round", None)]


# --- hostile files: refused before parsing, in bounded memory -------------------------------


def bomb(path: Path) -> None:
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet9.xml", "w") as stream,
    ):
        chunk = b" " * 1_000_000
        for _ in range(60):
            stream.write(chunk)


def entities(path: Path, doctype: bytes, part: Callable[[Path], str] = scores_part) -> None:
    target = part(path)

    def change(name: str, data: bytes) -> bytes:
        if name != target:
            return data
        at = data.index(b"<worksheet")
        return data[:at] + doctype + data[at:]

    rewrite(path, change)


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)
EXTERNAL = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
HIDDEN_DOCTYPE = b"<!--" + b"x" * 70_000 + b"-->" + LAUGHS


def huge_dimension(path: Path) -> None:
    target = scores_part(path)

    def change(name: str, data: bytes) -> bytes:
        if name != target:
            return data
        start = data.index(b"<dimension")
        end = data.index(b"/>", start) + 2
        return data[:start] + b'<dimension ref="A1:M1048576"/>' + data[end:]

    rewrite(path, change)


def many_rows(path: Path) -> None:
    target = scores_part(path)

    def change(name: str, data: bytes) -> bytes:
        if name != target:
            return data
        start = data.index(b"<dimension")
        end = data.index(b"/>", start) + 2
        data = data[:start] + data[end:]
        rows = b"".join(
            b'<row r="%d"><c r="G%d"><v>1</v></c></row>' % (n, n) for n in range(500, 60_500)
        )
        at = data.index(b"</sheetData>")
        return data[:at] + rows + data[at:]

    rewrite(path, change)


def macro_part(path: Path) -> None:
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 100)


def macro_content_type(path: Path) -> None:
    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        return data

    rewrite(path, change)


def not_zip(path: Path) -> None:
    path.write_text("单位,得分\n市财政局,95\n", encoding="utf-8")


def old_xls(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)


def docx_like(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<document/>")


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def too_big(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(12_000_000)


def part_too_big(path: Path) -> None:
    target = scores_part(path)

    def change(name: str, data: bytes) -> bytes:
        if name != target:
            return data
        at = data.index(b"</sheetData>")
        rows = b"".join(
            b'<row r="%d"><c r="G%d"><v>%d</v></c></row>' % (n, n, n) for n in range(500, 200_500)
        )
        return data[:at] + rows + data[at:]

    rewrite(path, change)


def broken_sheet_xml(path: Path) -> None:
    target = scores_part(path)
    rewrite(path, lambda name, data: data[: len(data) // 2] if name == target else data)


HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "zip_bomb": (bomb, "xlsx.bomb"),
    "billion_laughs": (lambda p: entities(p, LAUGHS), "xlsx.entities"),
    "external_entity": (lambda p: entities(p, EXTERNAL), "xlsx.entities"),
    "doctype_after_64k_in_scores": (lambda p: entities(p, HIDDEN_DOCTYPE), "xlsx.entities"),
    "doctype_after_64k_in_identity": (
        lambda p: entities(p, HIDDEN_DOCTYPE, identity_part),
        "xlsx.entities",
    ),
    "huge_dimension": (huge_dimension, "sa.too_many_rows"),
    "many_rows": (many_rows, "sa.too_many_rows"),
    "part_too_big": (part_too_big, "xlsx.part_too_big"),
    "macro_part": (macro_part, "xlsx.macros"),
    "macro_content_type": (macro_content_type, "xlsx.macros"),
    "not_zip": (not_zip, "xlsx.not_xlsx"),
    "old_xls_or_encrypted": (old_xls, "xlsx.old_format"),
    "zip_without_workbook": (docx_like, "xlsx.not_xlsx"),
    "empty_file": (empty, "file.empty"),
    "truncated": (truncated, "xlsx.truncated"),
    "too_big": (too_big, "xlsx.too_big"),
    "broken_sheet_xml": (broken_sheet_xml, "xlsx.unreadable"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_refused_in_bounded_memory(base: Base, name: str) -> None:
    make, key = HOSTILE[name]
    path = base.copy(f"{name}.xlsx")
    make(path)
    tracemalloc.start()
    try:
        got = problems_of(base, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got == [(key, None)]
    assert peak < 40_000_000, f"peak {peak} bytes"


def test_missing_file_and_folder(base: Base, runner: CliRunner) -> None:
    missing = base.folder / "nope.xlsx"
    assert problems_of(base, missing) == [("file.not_found", None)]
    empty_dir = base.folder / "empty"
    empty_dir.mkdir()
    result = invoke(runner, ["import", str(empty_dir), "--db", str(base.db)])
    assert result.exit_code == 1
    assert "没有找到要导入的文件" in result.output


def test_defusedxml_guards_openpyxl() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
