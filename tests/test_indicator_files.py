"""Loading and validating indicator sets: the broken corpus, hostile files, hashes."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from inspector.core.indicators import content_hash, default_set_path, load_set, parse_set
from inspector.errors import ProblemsError
from inspector.i18n import set_language
from tests.conftest import SETS

BROKEN = sorted((SETS / "broken").glob("*.yaml"))
EXPECT = re.compile(rb"^# expect: (?:(\d+):(\d+)|-) ([\w.]+)$", re.M)


def expectations(path: Path) -> list[tuple[int | None, int | None, str]]:
    found = []
    for line, col, key in EXPECT.findall(path.read_bytes()):
        found.append((int(line) if line else None, int(col) if col else None, key.decode()))
    return found


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_reports_every_problem_at_its_place(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} declares no '# expect:' line"
    with pytest.raises(ProblemsError) as info:
        load_set(path)
    got = [(p.location.line, p.location.column, p.key) for p in info.value.problems]
    assert got == expected
    for problem in info.value.problems:
        assert problem.render().startswith(str(path))


def test_corpus_covers_every_kind_of_problem() -> None:
    keys = {key for path in BROKEN for _, _, key in expectations(path)}
    for kind in [
        "yaml.syntax",
        "yaml.duplicate_key",
        "yaml.alias",
        "yaml.tag",
        "yaml.too_deep",
        "value.unknown_key",
        "value.missing",
        "value.list",
        "value.number",
        "value.ge",
        "set.duplicate",
        "set.category_sum",
        "set.total_sum",
        "set.rule_exceeds_item",
        "set.grade_overlap",
        "set.grade_gap",
        "set.unknown_ref",
        "file.not_utf8",
        # the format's later additions (issue 13), each at its place
        "value.bool",
        "value.choice",
        "value.empty",
        "value.gt",
        "value.list",
        "value.too_few",
        "set.range_order",
        "set.range_step",
        "set.range_per",
        "set.step_without_range",
        "set.exclude_self",
        "set.zero_points",
        "set.check_only_points",
        "set.grade_unreachable",
    ]:
        assert kind in keys, kind


def test_unknown_key_names_the_allowed_keys() -> None:
    with pytest.raises(ProblemsError) as info:
        load_set(SETS / "broken" / "unknown_key.yaml")
    message = next(p for p in info.value.problems if p.key == "value.unknown_key").render()
    assert "pionts" in message and "points" in message and "requirement" in message


def test_messages_follow_the_language() -> None:
    path = SETS / "broken" / "category_sum.yaml"
    with pytest.raises(ProblemsError) as info:
        load_set(path)
    zh = [p.render() for p in info.value.problems]
    set_language("en")
    en = [p.render() for p in info.value.problems]
    assert "一级指标" in zh[1] and "合计" in zh[1]
    assert "category 'B' has 35 points but its items add up to 30" in en[1]


def test_small_set_is_valid_and_not_five_by_thirty(small_set_path: Path) -> None:
    loaded = load_set(small_set_path)
    s = loaded.indicators
    assert len(s.categories) == 2
    assert [it.code for _, it in s.items()] == ["A1", "A2", "B1", "B2", "B3"]
    assert s.total == Decimal(50)
    rule = next(r for r in s.item("B1").deductions if r.id == "r1")
    assert rule.amount(10) == Decimal(9)  # 10 × 1.5 capped at 9


def test_default_set_is_valid_five_by_thirty() -> None:
    loaded = load_set()
    s = loaded.indicators
    assert len(s.categories) == 5
    assert sum(1 for _ in s.items()) == 30
    assert s.total == 100
    assert {g.code for g in s.groups} >= {"区县", "市级部门"}
    assert s.veto and s.aggravated and s.bonus
    for _, item in s.items():
        assert item.requirement and item.methods and item.evidence and item.basis, item.code
    assert default_set_path().name == "default.yaml"


def test_yaml_11_surprises_keep_their_meaning(small_set_path: Path) -> None:
    text = small_set_path.read_text(encoding="utf-8")
    text = text.replace("id: small-test", "id: no").replace('version: "1.0"', "version: 1.10")
    s = parse_set(text, "x.yaml").indicators
    assert s.id == "no"
    assert s.version == "1.10"


def test_hash_ignores_formatting_but_not_meaning(small_set_path: Path) -> None:
    text = small_set_path.read_text(encoding="utf-8")
    base = parse_set(text, "a.yaml").hash
    reformatted = "# another comment\n" + text.replace("total: 50\n", "total: 50.0  # 满分\n")
    assert parse_set(reformatted, "b.yaml").hash == base
    explicit_default = text.replace("total: 50\n", "total: 50\nrectify_days: 30\n")
    assert parse_set(explicit_default, "c.yaml").hash == base
    changed = text.replace("            points: 1.5\n", "            points: 1\n")
    assert parse_set(changed, "d.yaml").hash != base
    assert base == content_hash(parse_set(text, "e.yaml").indicators)
    assert len(base) == 64


def test_absurdly_large_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 3_000_000, encoding="utf-8")
    with pytest.raises(ProblemsError) as info:
        load_set(big)
    assert info.value.problems[0].key == "yaml.too_big"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError) as info:
        load_set(tmp_path / "nope.yaml")
    assert info.value.problems[0].key == "file.not_found"
    with pytest.raises(ProblemsError) as info:
        load_set(tmp_path)
    assert info.value.problems[0].key == "file.is_directory"


def test_many_problems_in_one_run(small_set_path: Path) -> None:
    text = small_set_path.read_text(encoding="utf-8")
    text = text.replace("    points: 30\n", "    points: 31\n")
    text = text.replace("        name: 弱口令\n", "        name: 弱口令\n        nmae: x\n")
    text = text.replace("  - code: 部门\n", "  - code: 区县\n")
    with pytest.raises(ProblemsError) as info:
        parse_set(text, "m.yaml")
    keys = sorted(p.key for p in info.value.problems)
    assert keys == ["set.category_sum", "set.duplicate", "set.total_sum", "value.unknown_key"]


NEW_FIELDS = {  # issue 13: every new field of the format, and the broken file that misuses it
    "points: [": "range_rule",
    "step:": "range_shape",
    "excludes:": "excludes",
    "checks:": "check_only",
    "any:": "applies_any",
    "except:": "applies_any",
    "na_allowed: maybe": "category_na",
    "aggravated_cap:": "aggravated",
    "aggravated_grades:": "aggravated",
    "grade_cap:": "aggravated",
    "effect:": "veto_effect",
    "bonus_beyond_cap:": "top_fields",
    "report_title:": "top_fields",
    "notes:": "top_fields",
    "short:": "top_fields",
}


@pytest.mark.parametrize(("field", "name"), NEW_FIELDS.items())
def test_every_new_field_has_a_broken_case(field: str, name: str) -> None:
    path = SETS / "broken" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert field in text
    lines = text.splitlines()
    places = {(line, col) for line, col, _ in expectations(path)}
    # a problem is reported on a line that writes the field (or inside its block)
    at = [n for n, line in enumerate(lines, start=1) if field in line]
    assert any(line in range(n, n + 3) for n in at for line, _ in places), (field, places)
