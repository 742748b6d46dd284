"""Checks across fields of an indicator set, run on the raw loaded tree.

They run even when the models found type errors elsewhere, so that one run reports every
problem. Malformed parts are skipped here: the models already report them.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from typing import Any

from inspector.core.indicators.rawtree import Path, check_cap, duplicates, entries, num
from inspector.decimals import plain
from inspector.errors import Problem, Term
from inspector.io.yamlsafe import Located


def _codes(data: Any, key: str) -> set[str]:
    return {e["code"] for _, e in entries(data, key) if isinstance(e.get("code"), str)}


def check_set(located: Located) -> list[Problem]:
    data = located.data
    if not isinstance(data, dict):
        return []  # the model reports it
    p: list[Problem] = []
    groups = _codes(data, "groups")
    tags = _codes(data, "tags")
    laws = {e["key"] for _, e in entries(data, "laws") if isinstance(e.get("key"), str)}
    grade_names = {e["name"] for _, e in entries(data, "grades") if isinstance(e.get("name"), str)}

    p += duplicates(located, entries(data, "groups"), "code", "group")
    p += duplicates(located, entries(data, "tags"), "code", "tag")
    p += duplicates(located, entries(data, "laws"), "key", "law")
    p += duplicates(located, entries(data, "grades"), "name", "grade")
    p += duplicates(located, entries(data, "categories"), "code", "category")
    p += duplicates(located, entries(data, "veto"), "code", "veto")
    p += duplicates(located, entries(data, "aggravated"), "code", "aggravated")
    bonus = data.get("bonus")
    p += duplicates(located, entries(bonus, "items", ("bonus",)), "code", "bonus")

    all_items = [
        (item_path, item)
        for cat_path, cat in entries(data, "categories")
        for item_path, item in entries(cat, "items", cat_path)
    ]
    p += duplicates(located, all_items, "code", "item")

    total = num(data.get("total"))
    category_sum = Decimal(0)
    sums_known = True
    for cat_path, cat in entries(data, "categories"):
        cat_points = num(cat.get("points"))
        if cat_points is None:
            sums_known = False
        else:
            category_sum += cat_points
        item_sum = Decimal(0)
        items_known = True
        for item_path, item in entries(cat, "items", cat_path):
            points = num(item.get("points"))
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

    cap = num(data.get("final_cap"))
    if cap is not None and total is not None and cap < total:
        p.append(located.problem(("final_cap",), "set.cap_below_total", cap=plain(cap)))

    grade_refs = [
        *((path, "grade", e) for path, e in entries(data, "veto")),
        *((path, "grade_cap", e) for path, e in entries(data, "aggravated")),
        *((path, "grade", e) for path, e in entries(data, "aggravated_grades")),
    ]
    for path, field, entry in grade_refs:
        grade = entry.get(field)
        if isinstance(grade, str) and grade_names and grade not in grade_names:
            p.append(
                located.problem(
                    (*path, field),
                    "set.unknown_ref",
                    what=Term("grade"),
                    code=grade,
                    known="、".join(sorted(grade_names)),
                )
            )
    for path, entry in [*entries(data, "veto"), *entries(data, "aggravated")]:
        p += _check_basis(located, path, entry, laws)
    for path, entry in [*entries(data, "aggravated"), *entries(bonus, "items", ("bonus",))]:
        p += check_cap(located, path, entry)
    p += _check_mapping(
        located, data, {i["code"] for _, i in all_items if isinstance(i.get("code"), str)}
    )
    p += _check_grades(located, data)
    p += _check_reachable(located, data, cap if cap is not None else total)
    return p


def _check_mapping(located: Located, data: dict[str, Any], items: set[str]) -> list[Problem]:
    """Every ``mapping:`` target is an item of this set."""
    mapping = data.get("mapping")
    if not isinstance(mapping, dict):
        return []  # the model reports it
    return [
        located.problem(
            ("mapping", old),
            "set.unknown_ref",
            what=Term("item"),
            code=new,
            known="、".join(sorted(items)) or "—",
        )
        for old, new in mapping.items()
        if isinstance(new, str) and new not in items
    ]


def _check_basis(
    located: Located, path: Path, entry: dict[str, Any], laws: set[str]
) -> list[Problem]:
    p: list[Problem] = []
    for basis_path, basis in entries(entry, "basis", path):
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


TRUE = {"true", "1", "yes", "on", "t", "y"}  # what the model reads as true


def _check_reachable(located: Located, data: dict[str, Any], cap: Decimal | None) -> list[Problem]:
    """A grade whose band starts above the highest final score can never be given."""
    if cap is None:
        return []
    highest = cap
    bonus = data.get("bonus")
    beyond = data.get("bonus_beyond_cap")
    if isinstance(bonus, dict) and isinstance(beyond, str) and beyond.strip().lower() in TRUE:
        bonus_cap = num(bonus.get("cap"))
        if bonus_cap is None:
            return []
        highest += bonus_cap
    p: list[Problem] = []
    for path, entry in entries(data, "grades"):
        low = num(entry.get("min"))
        if low is not None and low > highest:
            p.append(
                located.problem(
                    (*path, "min"),
                    "set.grade_unreachable",
                    name=entry.get("name", "?"),
                    min=plain(low),
                    highest=plain(highest),
                )
            )
    return p


def _check_item(
    located: Located,
    path: Path,
    item: dict[str, Any],
    points: Decimal | None,
    groups: set[str],
    tags: set[str],
    laws: set[str],
) -> list[Problem]:
    # the forms build on the model, so they are imported when a set is first checked
    from inspector.core.forms.registry import registered

    p: list[Problem] = []
    code = item.get("code", "?")
    present = [form for form in registered() if item.get(form.key) is not None]
    if len(present) != 1:
        key = "set.no_scoring" if not present else "set.many_scoring"
        forms = " / ".join(f.key for f in present)
        known = " / ".join(f.key for f in registered())
        p.append(located.problem(path, key, code=code, forms=forms, known=known))
    elif points is not None and present[0].scored and points == 0:
        p.append(
            located.problem((*path, "points"), "set.zero_points", code=code, form=present[0].key)
        )
    elif points is not None and not present[0].scored and points != 0:
        p.append(located.problem((*path, "points"), "set.check_only_points", form=present[0].key))
    for form in registered():
        if form.key in item:
            p += form.check_set(located, path, item, points)

    applies = item.get("applies_to")
    if isinstance(applies, dict):
        either = groups | tags
        for key, known_codes, what in (
            ("groups", groups, "group"),
            ("tags", tags, "tag"),
            ("any", either, "group_or_tag"),
            ("except", either, "group_or_tag"),
        ):
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
    p += _check_basis(located, path, item, laws)
    return p


def _check_grades(located: Located, data: dict[str, Any]) -> list[Problem]:
    bands = []
    for path, entry in entries(data, "grades"):
        low = num(entry.get("min"))
        high = num(entry.get("below")) if entry.get("below") is not None else None
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


# --- warnings: nothing wrong, but the author should say what is meant ---------------------

NOT_TOGETHER = re.compile(r"不同时适用|不累计|not (?:be )?applied together")


def warn_set(located: Located) -> list[Problem]:
    """Located warnings (never fatal), listed by ``indicators validate``."""
    data = located.data
    if not isinstance(data, dict):
        return []
    w: list[Problem] = []
    for path, veto in entries(data, "veto"):
        if "effect" not in veto:
            w.append(
                located.problem(
                    path, "warn.veto_effect", code=veto.get("code", "?"), grade=veto.get("grade")
                )
            )
    if isinstance(data.get("bonus"), dict) and "bonus_beyond_cap" not in data:
        w.append(located.problem(("bonus",), "warn.bonus_beyond_cap"))
    for cat_path, cat in entries(data, "categories"):
        for item_path, item in entries(cat, "items", cat_path):
            notes = item.get("notes")
            rules = [r for _, r in entries(item, "deductions", item_path)]
            if (
                isinstance(notes, str)
                and NOT_TOGETHER.search(notes)
                and rules
                and not any(r.get("excludes") for r in rules)
            ):
                w.append(
                    located.problem(
                        (*item_path, "notes"), "warn.notes_exclusion", code=item.get("code", "?")
                    )
                )
    return w
