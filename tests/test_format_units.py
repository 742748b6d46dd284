"""Small pieces of the format's additions: compact citations, zero counts in answers files,
category N/A read and written, messages in both languages."""

from __future__ import annotations

import pytest

from inspector.core.answers import dump_answers, parse_answers
from inspector.core.assessment import ItemAnswer, Unit
from inspector.core.indicators import load_set
from inspector.core.indicators.citations import (
    arabic_articles,
    chinese_number,
    short_citations,
    short_name,
)
from inspector.errors import ProblemsError
from inspector.i18n import set_language
from tests.conftest import SETS

SEVEN = load_set(SETS / "shapes" / "seven_by_twelve.yaml").indicators
DEFAULT = load_set().indicators
UNIT = Unit(1, "一区", "区县", None, ("网站",))


def test_chinese_article_numbers() -> None:
    assert [chinese_number(t) for t in ("三", "十", "十五", "二十三", "一百零二", "两百")] == [
        3,
        10,
        15,
        23,
        102,
        200,
    ]
    assert chinese_number("甲") is None
    assert arabic_articles("第三十六条（二）") == "第36条（二）"
    assert arabic_articles("第三十三条至第三十七条") == "第33条至第37条"
    assert arabic_articles("8.1.10.13") == "8.1.10.13"


def test_short_names_given_or_derived() -> None:
    laws = {law.key: law for law in SEVEN.laws}
    assert short_name(laws["csl"]) == "网安法"  # given
    assert short_name(laws["保密法"]) == "保密法"  # the key: Chinese and shorter than the title
    title_only = laws["csl"].model_copy(update={"short": None})
    assert short_name(title_only) == "网络安全法"  # the title without 《》 and 中华人民共和国
    assert short_name(laws["csl"], "en") == "网安法"  # no English text: the Chinese one


def test_short_citations_of_the_default_set() -> None:
    item = DEFAULT.item("3.3")
    assert item is not None
    assert short_citations(DEFAULT, item.basis) == (
        "网安法第35条、第36条、第37条、第38条、第40条、"
        "关基条例第12条、第14条、第17条、第19条、第20条、密码法第27条、商密条例第38条"
    )
    four = DEFAULT.item("4.5")
    assert four is not None
    assert short_citations(DEFAULT, four.basis, "en") == (
        "Incident Reporting Measures Art. 4; CSL Art. 27; CII Regulations Art. 18"
    )


def parsed(text: str) -> dict[str, ItemAnswer | None]:
    return parse_answers("unit: 一区\n" + text, "a.yaml", SEVEN, UNIT).items


def test_zero_means_none() -> None:
    items = parsed('items:\n  "K1.1": {deduct: {r2: 0}}\n  "K1.3": {found: {c1: 0, c2: 0}}\n')
    assert items == {"K1.1": ItemAnswer("full"), "K1.3": ItemAnswer("full")}
    items = parsed('items:\n  "K2.1": {deduct: {r1: 2, r2: 0}, problem: 缺2项}\n')
    assert items["K2.1"] == ItemAnswer("deduct", (("r1", 2),), problem="缺2项")
    found = parse_answers("unit: 一区\naggravated: {G1: 0, G2: 1}\n", "a.yaml", SEVEN, UNIT)
    assert found.adjustments["aggravated"] == {"G2": 1}
    with pytest.raises(ProblemsError) as info:  # an unknown code is refused, even with 0
        parse_answers("unit: 一区\naggravated: {G9: 0}\n", "a.yaml", SEVEN, UNIT)
    assert info.value.problems[0].key == "answer.unknown_code"


def test_category_na_is_written_back_as_one_line() -> None:
    items = parsed('categories: {"K3": {na: 集约}}\nitems: {}\n')
    assert items == {
        "K3.1": ItemAnswer("na", na_reason="集约"),
        "K3.2": ItemAnswer("na", na_reason="集约"),
    }
    text = dump_answers(SEVEN, UNIT, items, {}, "header")  # type: ignore[arg-type]
    assert 'categories: {"K3": {na: 集约}}\nitems: {}\n' in text
    # N/A for two reasons, or with texts: item by item
    mixed = {**items, "K3.2": ItemAnswer("na", na_reason="另一理由")}
    assert "categories" not in dump_answers(SEVEN, UNIT, mixed, {}, "h")  # type: ignore[arg-type]
    noted = {**items, "K3.2": ItemAnswer("na", na_reason="集约", note="说明")}
    assert "categories" not in dump_answers(SEVEN, UNIT, noted, {}, "h")  # type: ignore[arg-type]


def test_messages_of_the_new_checks_in_english() -> None:
    with pytest.raises(ProblemsError) as info:
        load_set(SETS / "broken" / "range_rule.yaml")
    set_language("en")
    lines = [p.render() for p in info.value.problems]
    assert any(":46:25: the top of the range [3, 2] must be above its bottom" in x for x in lines)
    assert any("is taken once and cannot be per occurrence" in x for x in lines)
    with pytest.raises(ProblemsError) as info:
        parse_answers(
            'unit: 一区\nitems:\n  "K1.1": {deduct: {r1: 1, r2: 1}}\n', "a.yaml", SEVEN, UNIT
        )
    assert info.value.problems[0].render() == (
        "a.yaml:3:11: rules 'r1' and 'r2' of item K1.1 are not applied together"
        " (no double deduction): choose one"
    )


def test_a_pinned_copy_keeps_loading_after_a_later_check() -> None:
    """A grade nobody can reach is refused in a set file, but a round that pinned such a set
    before the check existed keeps working (the problem is a warning there)."""
    from inspector.core.indicators import parse_set

    text = (
        (SETS / "small.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "  - {name: 优秀, min: 45}\n",
            "  - {name: 卓越, min: 60}\n  - {name: 优秀, min: 45, below: 60}\n",
        )
    )
    with pytest.raises(ProblemsError) as info:
        parse_set(text, "set.yaml")
    assert [p.key for p in info.value.problems] == ["set.grade_unreachable"]
    loaded = parse_set(text, "<round>", pinned=True)
    assert "set.grade_unreachable" in {w.key for w in loaded.warnings}
