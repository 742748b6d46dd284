"""The interactive scorer's one-line grammar and its CJK line wrapping (pure functions)."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from inspector.core.indicators import load_set
from inspector.ui.interactive.parse import (
    Command,
    Entry,
    Full,
    InputError,
    NotApplicable,
    Scored,
    entry_text,
    parse_entries,
    parse_item_line,
    split_commands,
)
from inspector.ui.interactive.wrap import NO_START, clip, spans, wrap

SMALL = load_set(None).indicators  # the bundled 5×30 set


# what each built-in form's grammar reads a line as: its answer value
def Deduct(rules: tuple[tuple[str, int], ...]) -> Scored:
    return Scored(rules)


def PickLevel(name: str) -> Scored:
    return Scored(name)


def DirectScore(score: Decimal) -> Scored:
    return Scored(score)


def item(code: str):
    found = SMALL.item(code)
    assert found is not None
    return found


DEDUCT = item("3.4")  # rules a–d; a, b, c per occurrence
FIXED = item("1.1")  # rules a–d; a–c fixed, d per occurrence
LEVELS = item("4.4")  # levels 3, 2, 1, 0
DIRECT = item("2.2")  # direct, step 0.5, max 3
NA_OK = item("2.6")


@pytest.mark.parametrize(
    ("typed", "rules"),
    [
        ("a", (("r1", 1),)),
        ("b2", (("r2", 2),)),
        ("a c3", (("r1", 1), ("r3", 3))),
        ("a2", (("r1", 2),)),
        ("a×2", (("r1", 2),)),
        ("a*2", (("r1", 2),)),
        ("a x2", (("r1", 2),)),
        ("ax2", (("r1", 2),)),
        ("a 2", (("r1", 2),)),
        ("a,c3", (("r1", 1), ("r3", 3))),
        ("a，c3", (("r1", 1), ("r3", 3))),
        ("ac3", (("r1", 1), ("r3", 3))),
        ("ＡＣ３", (("r1", 1), ("r3", 3))),
        ("  B2  ", (("r2", 2),)),
        ("a; b", (("r1", 1), ("r2", 1))),
    ],
)
def test_rule_keys_are_forgiving(typed: str, rules: tuple[tuple[str, int], ...]) -> None:
    assert parse_item_line(typed, DEDUCT).scoring == Deduct(rules)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("z", "scorer.input.unknown_key"),
        ("e", "scorer.input.unknown_key"),
        ("2", "scorer.input.want_keys"),
        ("a?", "scorer.input.bad_keys"),
        ("a9999999", "scorer.input.big_count"),
        ("错", "scorer.input.bad_keys"),
    ],
)
def test_bad_rule_keys_are_explained(typed: str, key: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_item_line(typed, DEDUCT)
    assert caught.value.key == key


def test_full_marks_and_empty_line() -> None:
    assert parse_item_line("", DEDUCT).empty
    assert parse_item_line("   ", DEDUCT).empty
    for typed in ("=", "＝", "full", "满分"):
        assert parse_item_line(typed, DEDUCT).scoring == Full()
        assert parse_item_line(typed, LEVELS).scoring == Full()
        assert parse_item_line(typed, DIRECT).scoring == Full()


def test_levels_by_key_points_or_name() -> None:
    names = [level.name for level in LEVELS.levels or []]
    assert parse_item_line("a", LEVELS).scoring == PickLevel(names[0])
    assert parse_item_line("Ｃ", LEVELS).scoring == PickLevel(names[2])
    assert parse_item_line("2", LEVELS).scoring == PickLevel(names[1])
    assert parse_item_line("0", LEVELS).scoring == PickLevel(names[3])
    assert parse_item_line(names[2], LEVELS).scoring == PickLevel(names[2])
    for typed, key in (("2.5", "scorer.input.no_level_points"), ("x", "scorer.input.bad_level")):
        with pytest.raises(InputError) as caught:
            parse_item_line(typed, LEVELS)
        assert caught.value.key == key


def test_direct_scores() -> None:
    assert parse_item_line("2.5", DIRECT).scoring == DirectScore(Decimal("2.5"))
    assert parse_item_line("２．５", DIRECT).scoring == DirectScore(Decimal("2.5"))
    assert parse_item_line("2。5", DIRECT).scoring == DirectScore(Decimal("2.5"))
    assert parse_item_line(".5", DIRECT).scoring == DirectScore(Decimal("0.5"))
    # range and step are checked by answers.check_answer, the shared validation
    assert parse_item_line("9", DIRECT).scoring == DirectScore(Decimal(9))
    for typed in ("a", "-1", "1e3", "nan"):
        with pytest.raises(InputError) as caught:
            parse_item_line(typed, DIRECT)
        assert caught.value.key == "scorer.input.want_score"


def test_commands_and_texts_keep_what_was_typed() -> None:
    line = parse_item_line("b2 /p 门户网站存在2处弱口令，尚未整改 /r 立即修改口令", DEDUCT)
    assert line.scoring == Deduct((("r2", 2),))
    assert line.texts == (
        ("problem", "门户网站存在2处弱口令，尚未整改"),
        ("rectify", "立即修改口令"),
    )
    # a Chinese input method types 、 for / ; full-width letters are fine
    line = parse_item_line("、ｐ 弱口令：admin/admin", DEDUCT)
    assert line.texts == (("problem", "弱口令：admin/admin"),)
    assert parse_item_line("/p", DEDUCT).texts == (("problem", ""),)
    assert parse_item_line("/n 未开办", NA_OK).scoring == NotApplicable("未开办")
    assert parse_item_line("/n", NA_OK).scoring == NotApplicable("")
    assert parse_item_line("na", NA_OK).scoring == NotApplicable("")
    assert parse_item_line("不适用", NA_OK).scoring == NotApplicable("")


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("?", Command("help")),
        ("？", Command("help")),
        ("<", Command("back")),
        ("《", Command("back")),
        ("/b", Command("back")),
        (">", Command("skip")),
        ("/s", Command("skip")),
        (">3.4", Command("goto", "3.4")),
        ("@3.4", Command("goto", "3.4")),
        ("/g 3.4", Command("goto", "3.4")),
        ("/g3.4", Command("goto", "3.4")),
        ("/go 3.4", Command("goto", "3.4")),
        ("/l", Command("list")),
        ("/i", Command("info")),
        ("/v", Command("review")),
        ("/q", Command("quit")),
        ("/Q", Command("quit")),
        ("、q", Command("quit")),
        ("/help", Command("help")),
    ],
)
def test_navigation(typed: str, command: Command) -> None:
    assert parse_item_line(typed, DEDUCT).command == command


def test_navigation_goes_alone() -> None:
    for typed in ("a /q", "/p x /g 1.1", "< /p x"):
        with pytest.raises(InputError) as caught:
            parse_item_line(typed, DEDUCT)
        assert caught.value.key == "scorer.input.alone"
    with pytest.raises(InputError) as caught:
        parse_item_line("a /n 理由", NA_OK)
    assert caught.value.key == "scorer.input.two_scores"


def test_slash_inside_text_is_text() -> None:
    head, commands = split_commands("a /p 见 http://x/p 与 a/r 文件")
    assert head == "a "
    assert commands == [("problem", "见 http://x/p 与 a/r 文件")]


def test_review_entries() -> None:
    catalogue = [("veto", "V1"), ("veto", "V2"), ("aggravated", "A1"), ("bonus", "B1")]
    assert parse_entries(entry_text("V2"), catalogue) == [Entry("veto", "V2", 1)]
    assert parse_entries(entry_text("A1×2 B1"), catalogue) == [
        Entry("aggravated", "A1", 2),
        Entry("bonus", "B1", 1),
    ]
    assert parse_entries(entry_text("A1 3"), catalogue) == [Entry("aggravated", "A1", 3)]
    assert parse_entries(entry_text("A1x2"), catalogue) == [Entry("aggravated", "A1", 2)]
    assert parse_entries(entry_text("-A1, -V2"), catalogue) == [
        Entry("aggravated", "A1", 0),
        Entry("veto", "V2", 0),
    ]
    with pytest.raises(InputError) as caught:
        parse_entries(entry_text("V9"), catalogue)
    assert caught.value.key == "scorer.review.unknown_code"
    clash = [("aggravated", "A1"), ("bonus", "A1")]
    with pytest.raises(InputError) as caught:
        parse_entries(entry_text("A1"), clash)
    assert caught.value.key == "scorer.review.ambiguous"
    assert parse_entries(entry_text("加分：A1×2"), clash) == [Entry("bonus", "A1", 2)]
    assert parse_entries(entry_text("agg:A1"), clash) == [Entry("aggravated", "A1", 1)]


@pytest.mark.parametrize("typed", ["v2", "Ｖ２", "a1×2", "a1x2", "Ａ１", "-v2"])
def test_review_codes_count_only_as_the_set_writes_them(typed: str) -> None:
    """Lower-case and full-width codes are typos: the close codes are suggested, nothing is
    registered."""
    catalogue = [("veto", "V2"), ("aggravated", "A1"), ("bonus", "B1")]
    with pytest.raises(InputError) as caught:
        parse_entries(entry_text(typed), catalogue)
    assert caught.value.key == "trust.review.as_written"
    assert caught.value.params["codes"] in ("V2", "A1")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_no_input_crashes_the_parser(typed: str) -> None:
    for target in (DEDUCT, FIXED, LEVELS, DIRECT, NA_OK):
        with contextlib.suppress(InputError):
            parse_item_line(typed, target)
    with contextlib.suppress(InputError):
        parse_entries(entry_text(typed), [("veto", "V1"), ("aggravated", "A1")])


# --- wrapping -----------------------------------------------------------------------------

REQUIREMENT = str(item("1.1").requirement)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("网络安全工作，。、（）《》“” abc def 123")), max_size=120
    ),
    st.integers(min_value=4, max_value=60),
)
def test_wrapped_lines_fit_and_lose_nothing(text: str, width: int) -> None:
    lines = spans(text, width)
    for start, end in lines:
        assert cell_len(text[start:end]) <= width
    kept = "".join(text[s:e] for s, e in lines)
    assert kept.replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_chinese_punctuation_never_starts_a_line() -> None:
    for width in range(10, 80):
        for start, end in spans(REQUIREMENT, width)[1:]:
            assert REQUIREMENT[start] not in NO_START, (width, REQUIREMENT[start:end])


def test_clip_marks_what_was_cut() -> None:
    lines = wrap(Text(REQUIREMENT), 30)
    cut = clip(lines, 2, 30)
    assert len(cut) == 2
    assert cut[-1].plain.endswith("…")
    assert cell_len(cut[-1].plain) <= 30
    assert clip(lines, 99, 30) == lines


def test_catalogs_match() -> None:
    """The scorer's zh and en catalogs have the same keys and the same {fields}."""
    import string

    from inspector.i18n import en_score, zh_score

    assert zh_score.MESSAGES.keys() == en_score.MESSAGES.keys()

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    # a rule's occurrence unit goes in the points column in Chinese ("-0.5/处") and after the
    # rule text in English ("(per instance)"), so these may leave {per} out
    per = {"scorer.card.rule_per", "scorer.card.rule_per_note", "scorer.card.rule_per_cap"}
    for key, text in zh_score.MESSAGES.items():
        zh, en = fields(text), fields(en_score.MESSAGES[key])
        if key in per:
            zh, en = zh - {"per"}, en - {"per"}
        assert zh == en, key
