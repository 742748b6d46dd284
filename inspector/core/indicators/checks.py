"""Checks across fields of an indicator set, run on the raw loaded tree.

They run even when the models found type errors elsewhere, so that one run reports every
problem. Malformed parts are skipped here: the models already report them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from inspector.decimals import plain
from inspector.errors import Problem, Term
from inspector.io.yamlsafe import Located

Path = tuple[str | int, ...]
SCORING_FORMS = ("deductions", "levels", "direct")


def _num(value: Any) -> Decimal | None:
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _entries(data: Any, key: str, base: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The mappings of list ``data[key]``, with their paths."""
    values = data.get(key) if isinstance(data, dict) else None
    if isinstance(values, list):
        for i, entry in enumerate(values):
            if isinstance(entry, dict):
                yield (*base, key, i), entry


def _codes(data: Any, key: str) -> set[str]:
    return {e["code"] for _, e in _entries(data, key) if isinstance(e.get("code"), str)}


def _duplicates(
    located: Located, entries: Iterable[tuple[Path, dict[str, Any]]], field: str, what: str
) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems = []
    for path, entry in entries:
        value = entry.get(field)
        if not isinstance(value, str):
            continue
        if value in seen:
            first = located.at((*seen[value], field))
            problems.append(
                located.problem(
                    (*path, field),
                    "set.duplicate",
                    what=Term(what),
                    code=value,
                    first=f"{first.line}:{first.column}",
                )
            )
        else:
            seen[value] = path
    return problems


def check_set(located: Located) -> list[Problem]:
    data = located.data
    if not isinstance(data, dict):
        return []  # the model reports it
    p: list[Problem] = []
    groups = _codes(data, "groups")
    tags = _codes(data, "tags")
    laws = {e["key"] for _, e in _entries(data, "laws") if isinstance(e.get("key"), str)}
    grade_names = {e["name"] for _, e in _entries(data, "grades") if isinstance(e.get("name"), str)}

    p += _duplicates(located, _entries(data, "groups"), "code", "group")
    p += _duplicates(located, _entries(data, "tags"), "code", "tag")
    p += _duplicates(located, _entries(data, "laws"), "key", "law")
    p += _duplicates(located, _entries(data, "grades"), "name", "grade")
    p += _duplicates(located, _entries(data, "categories"), "code", "category")
    p += _duplicates(located, _entries(data, "veto"), "code", "veto")
    p += _duplicates(located, _entries(data, "aggravated"), "code", "aggravated")
    bonus = data.get("bonus")
    p += _duplicates(located, _entries(bonus, "items", ("bonus",)), "code", "bonus")

    all_items = [
        (item_path, item)
        for cat_path, cat in _entries(data, "categories")
        for item_path, item in _entries(cat, "items", cat_path)
    ]
    p += _duplicates(located, all_items, "code", "item")

    total = _num(data.get("total"))
    category_sum = Decimal(0)
    sums_known = True
    for cat_path, cat in _entries(data, "categories"):
        cat_points = _num(cat.get("points"))
        if cat_points is None:
            sums_known = False
        else:
            category_sum += cat_points
        item_sum = Decimal(0)
        items_known = True
        for item_path, item in _entries(cat, "items", cat_path):
            points = _num(item.get("points"))
            if points is None:
                items_known = False
            else:
                item_sum += points
            p += _check_item(located, item_path, item, points, groups, tags, laws)
        items = cat.get("items")
        if (
            items_known
            and cat_points is not None
            and isinstance(items, list)
            and items
            and item_sum != cat_points
        ):
            p.append(
                located.problem(
                    (*cat_path, "points"),
                    "set.category_sum",
                    code=cat.get("code", "?"),
                    points=plain(cat_points),
                    items=plain(item_sum),
                )
            )
    if (
        sums_known
        and total is not None
        and isinstance(data.get("categories"), list)
        and category_sum != total
    ):
        p.append(
            located.problem(
                ("total",), "set.total_sum", total=plain(total), categories=plain(category_sum)
            )
        )

    cap = _num(data.get("final_cap"))
    if cap is not None and total is not None and cap < total:
        p.append(located.problem(("final_cap",), "set.cap_below_total", cap=plain(cap)))

    for path, entry in _entries(data, "veto"):
        grade = entry.get("grade")
        if isinstance(grade, str) and grade_names and grade not in grade_names:
            p.append(
                located.problem(
                    (*path, "grade"),
                    "set.unknown_ref",
                    what=Term("grade"),
                    code=grade,
                    known="、".join(sorted(grade_names)),
                )
            )
    for path, entry in [*_entries(data, "aggravated"), *_entries(bonus, "items", ("bonus",))]:
        p += _check_cap(located, path, entry)
    p += _check_grades(located, data)
    return p


def _check_cap(located: Located, path: Path, entry: dict[str, Any]) -> list[Problem]:
    """A ``max`` needs ``per`` (a fixed entry is taken once) and must allow one occurrence."""
    cap = _num(entry.get("max"))
    if cap is None:
        return []
    if entry.get("per") is None:
        return [located.problem((*path, "max"), "set.max_without_per")]
    points = _num(entry.get("points"))
    if points is not None and cap < points:
        return [located.problem((*path, "max"), "set.max_below_points", max=plain(cap))]
    return []


def _check_item(
    located: Located,
    path: Path,
    item: dict[str, Any],
    points: Decimal | None,
    groups: set[str],
    tags: set[str],
    laws: set[str],
) -> list[Problem]:
    p: list[Problem] = []
    code = item.get("code", "?")
    forms = [form for form in SCORING_FORMS if item.get(form) is not None]
    if len(forms) != 1:
        key = "set.no_scoring" if not forms else "set.many_scoring"
        p.append(located.problem(path, key, code=code, forms=" / ".join(forms)))

    rules = list(_entries(item, "deductions", path))
    p += _duplicates(located, rules, "id", "rule")
    for rule_path, rule in rules:
        for field in ("points", "max"):
            taken = _num(rule.get(field))
            if points is not None and taken is not None and taken > points:
                p.append(
                    located.problem(
                        (*rule_path, field),
                        "set.rule_exceeds_item",
                        rule=rule.get("id", "?"),
                        points=plain(taken),
                        item=plain(points),
                    )
                )
        p += _check_cap(located, rule_path, rule)
    if isinstance(item.get("deductions"), list) and not item["deductions"]:
        p.append(located.problem((*path, "deductions"), "value.too_few", min_length="1"))

    levels = list(_entries(item, "levels", path))
    p += _duplicates(located, levels, "name", "level")
    level_points = [(lp, _num(lv.get("points"))) for lp, lv in levels]
    for level_path, lv_points in level_points:
        if points is not None and lv_points is not None and lv_points > points:
            p.append(
                located.problem(
                    (*level_path, "points"),
                    "set.level_exceeds_item",
                    points=plain(lv_points),
                    item=plain(points),
                )
            )
    known = [v for _, v in level_points if v is not None]
    if points is not None and known and len(known) == len(level_points) and max(known) != points:
        p.append(located.problem((*path, "levels"), "set.level_no_full", item=plain(points)))
    if isinstance(item.get("levels"), list) and not item["levels"]:
        p.append(located.problem((*path, "levels"), "value.too_few", min_length="1"))

    direct = item.get("direct")
    if isinstance(direct, dict):
        step = _num(direct.get("step"))
        if step is not None and step > 0 and points is not None and points % step != 0:
            p.append(
                located.problem(
                    (*path, "direct", "step"),
                    "set.step_mismatch",
                    step=plain(step),
                    item=plain(points),
                )
            )

    applies = item.get("applies_to")
    if isinstance(applies, dict):
        for key, known_codes, what in (("groups", groups, "group"), ("tags", tags, "tag")):
            refs = applies.get(key)
            if not isinstance(refs, list):
                continue
            for i, ref in enumerate(refs):
                if isinstance(ref, str) and ref not in known_codes:
                    p.append(
                        located.problem(
                            (*path, "applies_to", key, i),
                            "set.unknown_ref",
                            what=Term(what),
                            code=ref,
                            known="、".join(sorted(known_codes)) or "—",
                        )
                    )
    for basis_path, basis in _entries(item, "basis", path):
        law = basis.get("law")
        if isinstance(law, str) and law not in laws:
            p.append(
                located.problem(
                    (*basis_path, "law"),
                    "set.unknown_ref",
                    what=Term("law"),
                    code=law,
                    known="、".join(sorted(laws)) or "—",
                )
            )
    return p


def _check_grades(located: Located, data: dict[str, Any]) -> list[Problem]:
    bands = []
    for path, entry in _entries(data, "grades"):
        low = _num(entry.get("min"))
        high = _num(entry.get("below")) if entry.get("below") is not None else None
        if low is None or (entry.get("below") is not None and high is None):
            return []
        if high is not None and high <= low:
            return [located.problem((*path, "below"), "set.grade_empty", name=entry.get("name"))]
        bands.append((low, high, path, entry.get("name", "?")))
    if not bands:
        return []
    bands.sort(key=lambda band: band[0])
    p: list[Problem] = []
    if bands[0][0] != 0:
        p.append(located.problem((*bands[0][2], "min"), "set.grade_not_zero", name=bands[0][3]))
    open_top = [band for band in bands if band[1] is None]
    if len(open_top) != 1:
        p.append(located.problem(("grades",), "set.grade_top", count=str(len(open_top))))
    for (_low, high, path, name), (next_low, _, next_path, next_name) in itertools.pairwise(bands):
        if high is None or high > next_low:
            p.append(
                located.problem(
                    (*next_path, "min"), "set.grade_overlap", name=next_name, other=name
                )
            )
        elif high < next_low:
            p.append(
                located.problem(
                    (*path, "below"),
                    "set.grade_gap",
                    low=plain(high),
                    high=plain(next_low),
                )
            )
    return p
