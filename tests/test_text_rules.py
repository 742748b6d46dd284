"""The one name rule, terminal-safe text, and bounded decimal parsing."""

from __future__ import annotations

import json
import string
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.decimals import BadNumber, parse_decimal
from inspector.errors import Location, ProblemsError
from inspector.i18n import catalog, set_language, t
from inspector.text_rules import (
    BIDI,
    FILE_NAME_ROOM,
    MAX_FILE_NAME_BYTES,
    RULES,
    check_name,
    clean_name,
    distinct_file_names,
    file_name,
    json_text,
    name_problem,
    printable,
)


def reason(value: object, kind: str = "unit") -> str | None:
    _, why = check_name(value, kind)  # type: ignore[arg-type]
    return None if why is None else why[0]


@pytest.mark.parametrize(
    ("value", "kind", "normalised"),
    [
        ("市财政局", "unit", "市财政局"),
        ("  市财政局\u3000", "unit", "市财政局"),
        ("市  财政\u00a0局", "unit", "市 财政 局"),
        ("e\u0301cole", "unit", "\u00e9cole"),  # NFC
        ("CZJ", "code", "CZJ"),
        ("610202", "code", "610202"),
        ("关基", "tag", "关基"),
        ("王 磊", "person", "王 磊"),
        ("x" * 50, "unit", "x" * 50),
        ("'引号开头", "unit", "'引号开头"),
        ("１２３", "code", "１２３"),  # full-width stays what it is (never a formula in Excel)
    ],
)
def test_good_names(value: str, kind: str, normalised: str) -> None:
    assert check_name(value, kind) == (normalised, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "kind", "key"),
    [
        ("", "unit", "name.empty"),
        ("   ", "unit", "name.empty"),
        (None, "unit", "name.not_text"),
        (12, "code", "name.not_text"),
        ("市财政局\x00", "unit", "name.control"),
        ("市财政局\x1b[31m", "unit", "name.control"),
        ("市财\n政局", "unit", "name.control"),
        ("市财\r政局", "unit", "name.control"),
        ("\t市财政局", "unit", "name.control"),
        ("市财政局\x7f", "unit", "name.control"),
        ("市财政局\x9b", "unit", "name.control"),
        ("市财政局\u2028", "unit", "name.control"),
        ("市财政局\ufdd0", "unit", "name.control"),
        ("市财政局\U0010ffff", "unit", "name.control"),
        ("\u202e局政财市", "unit", "name.bidi"),
        ("市财政局\u2066", "unit", "name.bidi"),
        ("市财政局\u200e", "unit", "name.bidi"),
        ("市财政局\u200b", "unit", "name.invisible"),
        ("市财政局\u200d", "unit", "name.invisible"),
        ("市财政局\u2060", "unit", "name.invisible"),
        ("\ufeff市财政局", "unit", "name.invisible"),
        ("市财\u00ad政局", "unit", "name.invisible"),
        ("市财政局\ufe0f", "unit", "name.invisible"),
        ("市财政局\U000e0001", "unit", "name.invisible"),
        ("市财政局\u3164", "unit", "name.invisible"),
        ("x" * 51, "unit", "name.too_long"),
        ("局" * 72, "unit", "name.too_long"),
        ("A" * 21, "code", "name.too_long"),
        ("A B", "code", "name.spaces"),
        ("关 基", "tag", "name.spaces"),
        ("=1+1", "unit", "name.formula_start"),
        ("+86", "code", "name.formula_start"),
        ("-市财政局", "unit", "name.formula_start"),
        ("@SUM(A1)", "unit", "name.formula_start"),
        ("  =1", "unit", "name.formula_start"),
    ],
)
def test_bad_names(value: object, kind: str, key: str) -> None:
    assert reason(value, kind) == key


def test_reasons_are_located_and_translated_in_both_languages() -> None:
    where = Location("units.csv", 7)
    _, problem = name_problem("市财政局\u200b", "unit", where)
    assert problem is not None
    assert problem.render() == (
        "units.csv:7: 单位名称含有不可见字符 U+200B（第 5 个字符，如零宽空格），会让两个名称看起来一样，请删除"
    )
    set_language("en")
    assert problem.render().startswith("units.csv:7: the unit name contains an invisible character")
    with pytest.raises(ProblemsError) as info:
        clean_name("=x", "code", where)
    assert info.value.lines() == [
        "units.csv:7: the unit code cannot start with '=' (a spreadsheet reads it as a formula)"
    ]


def test_every_kind_and_reason_has_its_words() -> None:
    for lang in ("zh", "en"):
        messages = catalog(lang)
        for kind in RULES:
            assert f"term.name.{kind}" in messages
        for key in (
            "name.not_text",
            "name.empty",
            "name.too_long",
            "name.control",
            "name.bidi",
            "name.invisible",
            "name.spaces",
            "name.formula_start",
        ):
            assert key in messages


@given(st.text(max_size=80))
def test_an_accepted_name_is_stable_and_clean(value: str) -> None:
    text, why = check_name(value)
    if why is None:
        assert check_name(text) == (text, None)
        assert printable(text) == text
        assert text == text.strip() and 0 < len(text) <= 50
        assert not text.startswith(("=", "+", "-", "@"))


@given(st.text(max_size=80))
def test_the_unit_rule_never_raises(value: str) -> None:
    for kind in RULES:
        check_name(value, kind)  # type: ignore[arg-type]


# --- printing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("市财政局", "市财政局"),
        ("多行\n文本", "多行\n文本"),
        ("a\x1b[31mred\x1b[0m", "a\ufffdred\ufffd"),
        ("\x1b]0;pwned\x07title", "\ufffdtitle"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "\ufffdlink\ufffd"),
        ("\x1bPdcs\x1b\\x", "\ufffdx"),
        ("\x1b7\x1b8", "\ufffd\ufffd"),
        ("\x1b", "\ufffd"),
        ("\x9b2J", "\ufffd"),
        ("\x9d0;t\x9c", "\ufffd"),
        ("ok\rFAIL", "ok\ufffdFAIL"),
        ("a\r\nb", "a\nb"),
        ("a\tb", "a b"),
        ("\x07\x08\x00", "\ufffd\ufffd\ufffd"),
        ("\u202eabc\u202c", "\ufffdabc\ufffd"),
        ("\u2067x\u2069", "\ufffdx\ufffd"),
        ("市财政局\u200b", "市财政局\ufffd"),
        ("\ufeffBOM", "\ufffdBOM"),
        ("line\u2028sep", "line\ufffdsep"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"


@given(st.text())
def test_printable_output_cannot_drive_a_terminal(text: str) -> None:
    shown = printable(text)
    assert "\x1b" not in shown and "\x9b" not in shown and "\r" not in shown
    for ch in shown:
        assert ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs"), repr(ch)
        assert ch not in BIDI and ch not in ZERO_WIDTH and not 0xE0000 <= ord(ch) <= 0xE007F
    assert printable(shown) == shown


def test_json_text_keeps_data_and_hides_controls() -> None:
    data = {"unit": "市财政局\u202e\x9b\x1b\u200b", "n": 1}
    text = json_text(data)
    assert json.loads(text) == data
    assert all(ch in string.printable or ord(ch) > 0x9F for ch in text)
    assert "\u202e" not in text and "\x9b" not in text and "\u200b" not in text
    assert "市财政局" in text


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("2.5", "2.5"),
        (" 2.50 ", "2.5"),
        ("２．５", "2.5"),
        ("－1", "-1"),
        ("+3", "3"),
        (".5", "0.5"),
        ("5.", "5"),
        ("2.5e0", "2.5"),
        ("25E-1", "2.5"),
        ("1E+3", "1000"),
        ("0E-999999999", "0"),
        ("-0", "0"),
        (3, "3"),
        (2.4999999999, "2.5"),
        (2.5, "2.5"),
        (Decimal("4.00"), "4"),
        ("999999999", "999999999"),
        ("0.000001", "0.000001"),
    ],
)
def test_numbers_accepted(value: object, number: str) -> None:
    got = parse_decimal(value)
    assert got == Decimal(number)
    assert str(got) == number  # exact, normalised, no exponent
    got % Decimal("0.5")  # any later arithmetic is safe


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("1e999999999", "value.too_large"),
        ("1E+999999999999", "value.too_large"),
        ("-1e999999999", "value.too_large"),
        ("1000000000", "value.too_large"),
        (1e300, "value.too_large"),
        (Decimal("1e999999999"), "value.too_large"),
        ("1E-999999999", "value.decimal_places"),
        ("1E-7", "value.decimal_places"),
        ("0.1234567", "value.decimal_places"),
        (Decimal("1E-999999999"), "value.decimal_places"),
        ("NaN", "value.number"),
        ("Infinity", "value.number"),
        ("-inf", "value.number"),
        (float("nan"), "value.number"),
        (float("inf"), "value.number"),
        (Decimal("NaN"), "value.number"),
        ("sNaN", "value.number"),
        (True, "value.number"),
        (None, "value.number"),
        ("", "value.number"),
        ("两分半", "value.number"),
        ("1,5", "value.number"),
        ("1" * 65, "value.number"),
        ("1e1234567890123", "value.number"),
        ("0x10", "value.number"),
        ("1_000", "value.number"),
    ],
)
def test_numbers_refused(value: object, key: str) -> None:
    with pytest.raises(BadNumber) as info:
        parse_decimal(value)
    assert info.value.key == key
    t(info.value.key, **info.value.params)  # has its words


def test_places_and_size_are_the_callers_choice() -> None:
    assert parse_decimal("0.25", places=2) == Decimal("0.25")
    with pytest.raises(BadNumber) as info:
        parse_decimal("0.125", places=2)
    assert info.value.params == {"decimal_places": 2}
    with pytest.raises(BadNumber):
        parse_decimal("10001", whole_digits=4)


@given(st.text(max_size=40) | st.floats() | st.integers() | st.decimals())
def test_parse_decimal_never_raises_anything_else(value: object) -> None:
    try:
        number = parse_decimal(value)
    except BadNumber:
        return
    assert number.is_finite()
    assert abs(number) < Decimal(10) ** 9
    number + Decimal("0.5")


# --- file names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "tail", "name"),
    [
        ("市财政局", ".xlsx", "市财政局.xlsx"),
        ("\u202e局政财\u200b", ".xlsx", "局政财.xlsx"),
        ('a/b:c*?"<>|d', "", "a_b_c______d"),
        ("x\x1b[2J", ".xlsx", "x_[2J.xlsx"),
        ("  ..市局.. ", ".xlsx", "市局.xlsx"),
        ("CON", ".xlsx", "_CON.xlsx"),
        ("-rf", "", "_rf"),
        ("\u200b", ".xlsx", "unit.xlsx"),
    ],
)
def test_file_names_fit_and_show_what_they_are(stem: str, tail: str, name: str) -> None:
    assert file_name(stem, tail, "unit") == name
    long = file_name("局" * 80, "-检查反馈-20261203.xlsx")
    assert long.endswith("-检查反馈-20261203.xlsx") and long.startswith("局局")
    # room for "-9999" and the atomic writer's ".NAME.xxxxxxxx.tmp"
    assert len(long.encode()) + FILE_NAME_ROOM <= MAX_FILE_NAME_BYTES


@given(st.text(max_size=300), st.sampled_from(["", ".xlsx", "-CZJ-2.xlsx"]))
def test_a_file_name_is_never_too_long_nor_hides_anything(stem: str, tail: str) -> None:
    name = file_name(stem, tail)
    assert len(name.encode("utf-8", "surrogatepass")) <= MAX_FILE_NAME_BYTES - FILE_NAME_ROOM
    assert printable(name) == name and "/" not in name and name.endswith(tail)


def test_distinct_file_names_keep_the_code_whole() -> None:
    names = distinct_file_names(
        [("局" * 80, "A1"), ("局" * 80, "B2"), ("局" * 80, None), ("a/b", None), ("a:b", None)],
        ".xlsx",
    )
    assert names[1].endswith("-B2.xlsx") and names[2].endswith("-2.xlsx")
    assert names[3:] == ["a_b.xlsx", "a_b-2.xlsx"]
    assert len({n.lower() for n in names}) == len(names)


# --- every console ------------------------------------------------------------------------------


def test_every_console_prints_stored_text_safely(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.table import Table
    from rich.text import Text

    from inspector.ui.console import err, out, print_json, terminal

    hostile = "红\x1b[31m局\x1b]0;pwned\x07\u202e\u200b\x9b2J"
    for console in (out(), err(), terminal()):
        table = Table()
        table.add_column("x")
        table.add_row(Text(hostile))
        console.print(table)
        console.print(hostile, markup=False)
        console.print(Text(hostile, "bold"))
    print_json({"name": hostile})
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert "红" in stream
        for bad in ("\x1b]", "\x1b[31m", "\x07", "\u202e", "\u200b", "\x9b"):
            assert bad not in stream
    assert json.loads(captured.out[captured.out.index("{") :])["name"] == hostile
