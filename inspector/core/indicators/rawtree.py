"""Reading the raw loaded tree of a set for the checks across fields.

The checks run on the raw tree (not the models) so that they still run where the models found
type errors elsewhere: one run reports every problem. Malformed parts are skipped here; the
models report them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from inspector.decimals import BadNumber, parse_decimal, plain
from inspector.errors import Problem, Term
from inspector.io.yamlsafe import Located

Path = tuple[str | int, ...]
POINT_PLACES = 2  # the models' Points: max_digits=8, decimal_places=2
POINT_WHOLE_DIGITS = 6


def num(value: Any) -> Decimal | None:
    """A number as written in the YAML (scalars stay text), None when it is not one.

    Read with ``decimals.parse_decimal`` within the models' bounds (8 digits, 2 places), so a
    value the models refuse (1e999999999, 1E-999999999) is skipped by the sums, never summed
    (decimal.Overflow) nor taken as 0."""
    if isinstance(value, str):
        try:
            return parse_decimal(value, places=POINT_PLACES, whole_digits=POINT_WHOLE_DIGITS)
        except BadNumber:
            return None
    return None


def entries(data: Any, key: str, base: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The mappings of list ``data[key]``, with their paths."""
    values = data.get(key) if isinstance(data, dict) else None
    if isinstance(values, list):
        for i, entry in enumerate(values):
            if isinstance(entry, dict):
                yield (*base, key, i), entry


def duplicates(
    located: Located, found: Iterable[tuple[Path, dict[str, Any]]], field: str, what: str
) -> list[Problem]:
    """A problem at every repeated ``field`` value, naming where it was first written."""
    seen: dict[str, Path] = {}
    problems = []
    for path, entry in found:
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


def check_cap(located: Located, path: Path, entry: dict[str, Any]) -> list[Problem]:
    """A ``max`` needs ``per`` (a fixed entry is taken once) and must allow one occurrence."""
    cap = num(entry.get("max"))
    if cap is None:
        return []
    if entry.get("per") is None:
        return [located.problem((*path, "max"), "set.max_without_per")]
    points = num(entry.get("points"))
    if points is not None and cap < points:
        return [located.problem((*path, "max"), "set.max_below_points", max=plain(cap))]
    return []
