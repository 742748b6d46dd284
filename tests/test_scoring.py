"""The scoring engine: a hand-computed example, and invariants checked by hypothesis."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.assessment import Assessment, ItemAnswer
from inspector.core.forms import validate_set
from inspector.core.indicators import load_set
from inspector.core.indicators.model import IndicatorSet
from inspector.core.scoring import (
    UnitResult,
    fmt,
    problem_text,
    rank_within_groups,
    round2,
    score_unit,
)
from inspector.i18n import tl
from tests.conftest import SETS

D = Decimal
DEFAULT = load_set().indicators
SMALL = load_set(SETS / "small.yaml").indicators


def answers(**items: ItemAnswer) -> dict[str, ItemAnswer]:
    return {code.replace("_", "."): answer for code, answer in items.items()}


HAND = Assessment(
    answers={
        "1.1": ItemAnswer("deduct", (("r1", 1), ("r3", 1))),  # 4 + 1 > 4: floor at 0
        "1.2": ItemAnswer("deduct", (("r2", 1),), problem="仅研究1次"),
        "2.2": ItemAnswer("score", D("2.5")),
        "2.6": ItemAnswer("na", na_reason="无自建门户网站和政务新媒体"),
        "3.4": ItemAnswer("deduct", (("r1", 6), ("r2", 1))),  # 6 × 0.5 capped at 2, + 1
        "4.4": ItemAnswer("level", "仅培训"),
    },
    veto=frozenset(),
    aggravated={"A1": 1, "A3": 4},  # 5 + min(8, 6) = 11, within the cap of 20
    bonus={"B1": 3, "B2": 2, "B5": 1},  # min(3, 2) + min(2, 2) + min(2, 4) = 6, capped at 5
)


def test_hand_computed_example() -> None:
    r = score_unit(DEFAULT, "市级部门", (), HAND)
    by_code = {i.code: i for i in r.items}
    assert by_code["1.1"].score == 0
    assert by_code["1.2"].score == 2
    assert by_code["2.2"].score == D("2.5")
    assert by_code["2.6"].score is None and by_code["2.6"].na
    assert by_code["3.3"].score is None and not by_code["3.3"].applies
    assert by_code["3.4"].score == 1
    assert [(h.rule, h.count, h.points) for h in by_code["3.4"].hits] == [
        ("r1", 6, 2),
        ("r2", 1, 1),
    ]
    assert by_code["4.4"].score == 1
    assert [(c.code, c.max, c.score) for c in r.categories] == [
        ("1", 20, 15),
        ("2", 17, D("16.5")),
        ("3", 20, 17),
        ("4", 20, 18),
        ("5", 15, 15),
    ]
    assert r.applicable == 92  # 3.3 (关基) does not apply, 2.6 is N/A; 1.7 is worth 0
    assert r.earned == D("81.5")
    assert r.base == D("88.59")  # 81.5 / 92 × 100 = 88.5869…
    assert r.aggravated == 11
    assert r.bonus == 5
    # the default set adds the bonus beyond the cap: min(max(88.59 − 11, 0), 100) + 5
    assert r.total == D("82.59")
    assert r.grade == r.banded == "良好" and r.grade_by is None
    assert (r.answered, r.to_answer) == (6, 29)  # 1.7 (check-only) is one of the 29
    assert not r.complete


def test_hand_computed_example_with_a_veto() -> None:
    vetoed = Assessment(HAND.answers, frozenset({"V2"}), HAND.aggravated, HAND.bonus)
    r = score_unit(DEFAULT, "市级部门", (), vetoed)
    assert r.total == D("82.59")
    assert r.grade == "不合格"  # V2 is effect: force
    assert (r.banded, r.grade_by) == ("良好", "veto")
    assert r.veto == ("V2",)


def test_final_cap_and_floor() -> None:
    full = {code: ItemAnswer("full") for code in (i.code for _, i in DEFAULT.items())}
    # the default set adds the bonus on top of its cap of 100: 100 + min(2 × 1, 2)
    r = score_unit(DEFAULT, "区县", ("关基",), Assessment(full, bonus={"B3": 2}))
    assert r.complete and r.base == 100 and r.bonus == 2 and r.total == 102
    assert DEFAULT.highest == 105
    # 30 defacements × 5 = 150, but the aggravated deductions take at most 20: 100 − 20
    r = score_unit(DEFAULT, "区县", ("关基",), Assessment(full, aggravated={"A1": 30}))
    assert r.aggravated == 20 and r.total == 80 and r.grade == "良好"
    # a set without an aggravated cap floors at 0: 50 − 20 × 5 → 0
    full_small = {code: ItemAnswer("full") for code in (i.code for _, i in SMALL.items())}
    r = score_unit(SMALL, "区县", ("关基",), Assessment(full_small, aggravated={"A1": 20}))
    assert r.aggravated == 100 and r.total == 0 and r.grade == "不合格"
    # within the cap (bonus_beyond_cap false): 50 + 2 is kept at 50
    r = score_unit(SMALL, "区县", ("关基",), Assessment(full_small, bonus={"B1": 1}))
    assert r.bonus == 2 and r.total == 50


def test_aggravated_entry_caps_the_grade() -> None:
    full = {code: ItemAnswer("full") for code in (i.code for _, i in DEFAULT.items())}
    # A4 (a classified computer online): 100 − 4 = 96 is 优秀 by its band, at most 良好
    r = score_unit(DEFAULT, "市级部门", (), Assessment(full, aggravated={"A4": 1}))
    assert r.total == 96 and r.banded == "优秀"
    assert r.grade == "良好" and r.grade_by == "aggravated"
    # below 良好 already: the cap changes nothing and is not named
    low = {**full, "2.2": ItemAnswer("score", D("0")), "3.1": ItemAnswer("deduct", (("r1", 3),))}
    r = score_unit(DEFAULT, "市级部门", (), Assessment(low, aggravated={"A4": 2, "A1": 1}))
    # items: 95 − 3 − 5 = 87 of 95 applicable → 91.58; − (8 + 5) = 78.58
    assert r.base == D("91.58") and r.total == D("78.58")
    assert r.grade == r.banded == "合格" and r.grade_by is None


def test_default_problem_text() -> None:
    r = score_unit(DEFAULT, "市级部门", (), HAND)
    item = DEFAULT.item("3.4")
    text = problem_text(item, r.item("3.4"), "zh")
    assert text is not None and "（6处）" in text and "；" in text
    assert problem_text(DEFAULT.item("1.2"), r.item("1.2"), "zh") == "仅研究1次"
    assert problem_text(DEFAULT.item("4.4"), r.item("4.4"), "zh") == "仅培训"
    assert problem_text(DEFAULT.item("2.2"), r.item("2.2"), "zh") is None
    en = problem_text(item, r.item("3.4"), "en")
    assert en is not None and tl("en", "problem.separator") in en


def test_ranking_in_groups_sport_style() -> None:
    full = {code: ItemAnswer("full") for code in (i.code for _, i in DEFAULT.items())}

    def unit(extra: dict[str, ItemAnswer], veto: frozenset[str] = frozenset()) -> UnitResult:
        return score_unit(DEFAULT, "区县", ("关基",), Assessment({**full, **extra}, veto))

    entries = [
        ("a", "区县", unit({})),
        ("b", "区县", unit({"1.1": ItemAnswer("deduct", (("r3", 1),))})),  # 99
        ("c", "区县", unit({})),
        ("d", "区县", unit({}, frozenset({"V1"}))),  # 100 but forced to 不合格: after the others
        ("e", "区县", score_unit(DEFAULT, "区县", (), Assessment({}))),  # not started
        ("f", "市级部门", score_unit(DEFAULT, "市级部门", (), Assessment(full))),
    ]
    ranks = rank_within_groups(DEFAULT, entries)
    assert ranks == {"a": 1, "b": 3, "c": 1, "d": 4, "e": None, "f": 1}


def test_fmt_never_shows_float_artefacts() -> None:
    assert fmt(D("87.50")) == "87.5"
    assert fmt(D("100")) == "100"
    assert fmt(D("89.475")) == "89.48"
    assert fmt(None) == "—"
    assert round2(D("2") / D("3")) == D("0.67")


# --- invariants ----------------------------------------------------------------------------


GRADES = ("好", "中", "差")  # best first


@st.composite
def indicator_sets(draw: st.DrawFn) -> IndicatorSet:
    """Random valid sets: 1–7 categories of 1–10 items, each scored one of the four ways
    (deductions, with fixed or ranged rules that may exclude each other; levels; a direct
    score; check-only), with applies_to in both shapes, categories that may be N/A as a
    whole, vetoes that force or cap, aggravated caps and grade caps, a bonus inside or
    beyond the cap."""
    halves = st.integers(min_value=1, max_value=20)
    categories = []
    total = Decimal(0)
    code = 0
    for c in range(draw(st.integers(1, 7))):
        items = []
        cat_points = Decimal(0)
        for _ in range(draw(st.integers(1, 10))):
            code += 1
            form = draw(st.sampled_from(["deductions", "levels", "direct", "checks"]))
            points = Decimal(0) if form == "checks" else Decimal(draw(halves)) / 2
            cat_points += points
            item: dict[str, object] = {
                "code": f"I{code}",
                "name": f"指标{code}",
                "points": str(points),
                "requirement": "要求",
            }
            if form == "deductions":
                rules = []
                for r in range(draw(st.integers(1, 4))):
                    rule: dict[str, object] = {"id": f"r{r + 1}", "text": f"规则{r + 1}"}
                    if draw(st.integers(0, 3)) == 0:  # ranged: [low, high] in steps of 0.5
                        high = min(points, Decimal(draw(st.integers(1, 8))) / 2)
                        low = Decimal(draw(st.integers(0, int(high * 2) - 1))) / 2
                        rule["points"] = [str(low), str(high)]
                    else:
                        rule_points = min(points, Decimal(draw(halves)) / 4)
                        rule["points"] = str(rule_points)
                        if draw(st.booleans()):
                            rule["per"] = "处"
                            if draw(st.booleans()):
                                most = min(points, rule_points * 3)
                                rule["max"] = str(max(rule_points, most))
                    if r and draw(st.integers(0, 2)) == 0:
                        rule["excludes"] = [f"r{r}"]
                    rules.append(rule)
                item["deductions"] = rules
            elif form == "levels":
                item["levels"] = [
                    {"name": "高", "points": str(points)},
                    {"name": "中", "points": str(points / 2)},
                    {"name": "无", "points": "0"},
                ]
            elif form == "direct":
                item["direct"] = {"step": "0.5"}
            else:
                item["checks"] = [{"id": "c1", "text": "问题1"}, {"id": "c2", "text": "问题2"}]
            if draw(st.booleans()):
                item["na_allowed"] = "true"
            shape = draw(st.integers(0, 7))
            if shape == 0:
                item["applies_to"] = {"tags": ["关基"]}
            elif shape == 1:
                item["applies_to"] = {"any": ["关基", "g2"]}
            elif shape == 2:
                item["applies_to"] = {"except": ["关基"]}
            items.append(item)
        if cat_points == 0:  # a category needs points: make its first item scored
            items[0] = {**{k: v for k, v in items[0].items() if k != "checks"}}
            items[0]["points"] = "1"
            items[0]["direct"] = {"step": "0.5"}
            cat_points = Decimal(1)
        total += cat_points
        category: dict[str, object] = {
            "code": f"C{c}",
            "name": f"类别{c}",
            "points": str(cat_points),
            "items": items,
        }
        if draw(st.integers(0, 3)) == 0:
            category["na_allowed"] = "true"
        categories.append(category)
    aggravated: dict[str, object] = {"code": "A1", "text": "加重", "points": "3", "per": "起"}
    if draw(st.booleans()):
        aggravated["grade_cap"] = draw(st.sampled_from(GRADES))
    data: dict[str, object] = {
        "id": "random",
        "title": "随机",
        "version": "1",
        "issuer": "测试",
        "year": "2026",
        "total": str(total),
        "bonus_beyond_cap": draw(st.sampled_from(["true", "false"])),
        "groups": [{"code": "g", "name": "组"}, {"code": "g2", "name": "组2"}],
        "tags": [{"code": "关基", "name": "关基"}],
        "categories": categories,
        "veto": [
            {
                "code": "V1",
                "text": "否决",
                "grade": draw(st.sampled_from(GRADES)),
                "effect": draw(st.sampled_from(["force", "cap"])),
            },
            {"code": "V2", "text": "否决二", "grade": "差", "effect": "force"},
        ],
        "aggravated": [
            aggravated,
            {"code": "A2", "text": "加重二", "points": "1"},
        ],
        "bonus": {
            "cap": "2",
            "items": [{"code": "B1", "text": "加分", "points": "1", "per": "项"}],
        },
        "grades": [
            {"name": "好", "min": str(total * Decimal("0.8"))},
            {
                "name": "中",
                "min": str(total * Decimal("0.6")),
                "below": str(total * Decimal("0.8")),
            },
            {"name": "差", "min": "0", "below": str(total * Decimal("0.6"))},
        ],
    }
    if draw(st.booleans()):
        data["aggravated_cap"] = str(draw(st.integers(1, 5)))
    if draw(st.booleans()):
        data["aggravated_grades"] = [{"count": "2", "grade": draw(st.sampled_from(GRADES))}]
    return validate_set(data)


@st.composite
def assessed(draw: st.DrawFn) -> tuple[IndicatorSet, str, tuple[str, ...], Assessment]:
    s = draw(indicator_sets())
    group = draw(st.sampled_from(["g", "g2"]))
    tags = ("关基",) if draw(st.booleans()) else ()
    answers: dict[str, ItemAnswer] = {}
    for _, item in s.items():
        choice = draw(st.integers(0, 4))
        if choice == 0:
            continue
        if choice == 1 and item.na_allowed:
            answers[item.code] = ItemAnswer("na", na_reason="无")
        elif item.deductions is not None and choice >= 2:
            hits: list[tuple[str, int | Decimal]] = []
            for rule in item.deductions:
                if not draw(st.booleans()) or set(rule.excludes) & {r for r, _ in hits}:
                    continue
                if rule.ranged:
                    steps = int((rule.high - rule.low) / rule.amount_step)
                    amount = rule.low + rule.amount_step * draw(st.integers(0, steps))
                    if amount:
                        hits.append((rule.id, amount))
                else:
                    hits.append((rule.id, draw(st.integers(1, 6)) if rule.per_occurrence else 1))
            answers[item.code] = ItemAnswer("deduct", tuple(hits)) if hits else ItemAnswer("full")
        elif item.levels is not None and choice >= 2:
            answers[item.code] = ItemAnswer(
                "level", draw(st.sampled_from([lv.name for lv in item.levels]))
            )
        elif item.direct is not None and choice >= 2:
            steps = int(item.points / item.direct.step)
            answers[item.code] = ItemAnswer("score", item.direct.step * draw(st.integers(0, steps)))
        elif item.checks is not None and choice >= 2:
            answers[item.code] = ItemAnswer("found", ("c1",) if choice == 2 else ("c1", "c2"))
        else:
            answers[item.code] = ItemAnswer("full")
    veto = draw(st.sampled_from([frozenset(), frozenset(), frozenset({"V1"}), frozenset({"V2"})]))
    return (
        s,
        group,
        tags,
        Assessment(
            answers,
            veto,
            {"A1": draw(st.integers(0, 3)), "A2": draw(st.integers(0, 1))},
            {"B1": draw(st.integers(0, 4))},
        ),
    )


@settings(max_examples=200, deadline=None)
@given(assessed())
def test_invariants(case: tuple[IndicatorSet, str, tuple[str, ...], Assessment]) -> None:
    s, group, tags, assessment = case
    r = score_unit(s, group, tags, assessment)
    position = s.grade_position
    for item in r.items:
        if item.score is not None:
            assert 0 <= item.score <= item.max
    for (_, item), result in zip(s.items(), r.items, strict=True):
        if item.checks is not None:  # check-only: never a score, never points
            assert result.max == 0 and result.lost == 0
    for category in r.categories:
        members = [i for i in r.items if i.category == category.code and i.counted]
        assert category.max == sum((i.max for i in members), Decimal(0))
        assert category.lost == sum((i.lost for i in members), Decimal(0))
        assert 0 <= category.score <= category.max
    assert r.applicable == sum((c.max for c in r.categories), Decimal(0))
    assert r.earned == sum((c.score for c in r.categories), Decimal(0))
    if r.applicable == s.total:
        assert r.base == r.earned  # exact when every item applies
    # totals within bounds: the cap, plus the bonus where it goes beyond the cap
    assert 0 <= r.total <= s.highest
    if not s.bonus_beyond_cap:
        assert r.total <= s.cap
    else:
        assert r.total >= r.bonus  # the bonus is never eaten by deductions
    assert r.total == r.total.quantize(Decimal("0.01"))
    assert r.bonus <= s.bonus.cap
    if s.aggravated_cap is not None:
        assert r.aggravated <= s.aggravated_cap
    # the grade: the band unless something named set it, never above an applied cap
    assert r.banded == s.grade_for(r.total).name
    assert (r.grade_by is None) == (r.grade == r.banded)
    vetoes = [v for v in s.veto if v.code in assessment.veto]
    caps = [v.grade for v in vetoes if v.effect == "cap"]
    caps += [a.grade_cap for a in s.aggravated if a.grade_cap and assessment.aggravated.get(a.code)]
    occurrences = sum(assessment.aggravated.values())
    caps += [rule.grade for rule in s.aggravated_grades if occurrences >= rule.count]
    for capped in caps:
        assert position(r.grade) >= position(capped)
    forced = [v.grade for v in vetoes if v.effect == "force"]
    if forced:
        worst = max(position(g) for g in forced)
        assert position(r.grade) == max([worst, *(position(c) for c in caps)])
    else:
        assert position(r.grade) == max([position(r.banded), *(position(c) for c in caps)])
    assert r.answered <= r.to_answer


@settings(max_examples=60, deadline=None)
@given(st.lists(assessed(), min_size=2, max_size=2), st.integers(1, 6))
def test_rank_order_is_consistent_with_grade_order(
    cases: list[tuple[IndicatorSet, str, tuple[str, ...], Assessment]], copies: int
) -> None:
    """Units of one set and group: a better grade always ranks higher, and within a grade the
    higher total does (ties share a rank), whatever vetoes and caps did."""
    s = cases[0][0]
    entries = []
    for index, (_, _, tags, assessment) in enumerate(cases * copies):
        full = {i.code: ItemAnswer("full") for _, i in s.items()}
        answers = {k: v for k, v in assessment.answers.items() if k in full}
        if index % 2:  # every unit complete, some with the other case's entries
            answers = {**full}
        result = score_unit(
            s, "g", tags, Assessment({**full, **answers}, assessment.veto, assessment.aggravated)
        )
        entries.append((index, "g", result))
    ranks = rank_within_groups(s, entries)
    position = s.grade_position
    for key, _, a in entries:
        for other, _, b in entries:
            ra, rb = ranks[key], ranks[other]
            assert ra is not None and rb is not None
            if (position(a.grade), -a.total) < (position(b.grade), -b.total):
                assert ra < rb  # a better grade, or the same grade and a higher total
            elif (a.grade, a.total) == (b.grade, b.total):
                assert ra == rb


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["g1", "g2"]), st.integers(0, 20), st.booleans()), max_size=25
    )
)
def test_ranking_properties(rows: list[tuple[str, int, bool]]) -> None:
    full = {i.code: ItemAnswer("full") for _, i in SMALL.items() if i.code != "A2"}
    entries = []
    for index, (group, lost_halves, vetoed) in enumerate(rows):
        answers = dict(full)
        steps = min(lost_halves, 10)
        answers["B3"] = ItemAnswer("score", Decimal(5) - Decimal(steps) / 2)
        result = score_unit(
            SMALL, "部门", (), Assessment(answers, frozenset({"V1"}) if vetoed else frozenset())
        )
        entries.append((index, group, result))
    ranks = rank_within_groups(SMALL, entries)
    assert ranks == rank_within_groups(SMALL, list(entries))  # deterministic

    def order(result: UnitResult) -> tuple[int, Decimal]:  # by grade, then by total
        return (SMALL.grade_position(result.grade), -result.total)

    for group in ("g1", "g2"):
        members = [(k, r) for k, g, r in entries if g == group]
        ordered = sorted(members, key=lambda kr: order(kr[1]))
        for position, (key, result) in enumerate(ordered, start=1):
            rank = ranks[key]
            assert rank is not None and 1 <= rank <= position
            tied = [k for k, r in members if order(r) == order(result)]
            assert {ranks[k] for k in tied} == {rank}  # ties share a rank
            better = sum(1 for _, r in members if order(r) < order(result))
            assert rank == better + 1  # sport ranking: 1, 2, 2, 4


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problem_text_follows_language(lang: str) -> None:
    r = score_unit(DEFAULT, "市级部门", (), HAND)
    text = problem_text(DEFAULT.item("3.4"), r.item("3.4"), lang)
    rule = next(r for r in DEFAULT.item("3.4").deductions if r.id == "r1")
    expected = rule.en.text if lang == "en" and rule.en and rule.en.text else rule.text
    assert text is not None and expected in text
