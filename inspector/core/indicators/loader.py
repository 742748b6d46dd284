"""Load an indicator set from YAML: parse safely, validate, check, hash."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inspector.core.indicators.checks import check_set, warn_set
from inspector.core.indicators.model import IndicatorSet
from inspector.decimals import plain
from inspector.errors import Problem, ProblemsError
from inspector.io.validation import problems_from
from inspector.io.yamlsafe import load_text, read_text

DEFAULT_SET_FILE = "default.yaml"


@dataclass(frozen=True)
class LoadedSet:
    """A validated set, the exact text it came from, and its canonical content hash."""

    indicators: IndicatorSet
    text: str
    hash: str
    source: str
    warnings: tuple[Problem, ...] = ()  # located, never fatal: ``indicators validate`` lists them


def bundled_dir() -> Path:
    """Where the bundled sets are: inside the wheel, or at the top of a source checkout."""
    package = Path(__file__).resolve().parents[2]  # inspector/core/indicators/loader.py
    packaged = package / "_bundled_indicators"
    if packaged.is_dir():
        return packaged
    return package.parent / "indicators"


def default_set_path() -> Path:
    return bundled_dir() / DEFAULT_SET_FILE


def _plain(value: Any) -> Any:
    """Decimals as canonical text, recursively (for hashing)."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def content_hash(indicators: IndicatorSet) -> str:
    """sha256 of the canonical content: formatting, comments, key order and spelled-out
    defaults do not change it; any change of meaning does."""
    dumped = _plain(indicators.model_dump(mode="python", exclude_defaults=True, by_alias=True))
    canonical = json.dumps(dumped, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Checks added after sets were first pinned in rounds: a round's own copy that fails one of
# them is still read (the problem becomes a warning), so an existing round keeps working.
LATER_CHECKS = frozenset({"set.grade_unreachable"})


def parse_set(text: str, source: str, *, pinned: bool = False) -> LoadedSet:
    """Validate ``text`` as an indicator set; every problem is raised at once. ``pinned``: the
    copy a round keeps, where problems of ``LATER_CHECKS`` are warnings."""
    located, problems = load_text(text, source)
    if problems:
        raise ProblemsError(problems)
    # the forms build on the model, so they are imported when a set is first parsed
    from inspector.core.forms.registry import set_model

    model = set_model()
    indicators: IndicatorSet | None = None
    try:
        indicators = model.model_validate(located.data)
    except ValidationError as exc:
        problems.extend(problems_from(_untagged(exc), located, model))
    later: list[Problem] = []
    for problem in check_set(located):
        (later if pinned and problem.key in LATER_CHECKS else problems).append(problem)
    if problems or indicators is None:
        raise ProblemsError(problems)
    warnings = sorted([*warn_set(located), *later], key=Problem.sort_key)
    return LoadedSet(indicators, text, content_hash(indicators), source, tuple(warnings))


def _untagged(exc: ValidationError) -> ValidationError:
    """The errors as the YAML's author reads them: the tags of a field's shapes (``~one``,
    ``~range``: a rule's points, a number or a range) left out of their locations, which then
    name the YAML keys; a list's length not reported where its items are wrong anyway; the
    choices of a literal listed plainly (force、cap)."""
    errors = exc.errors(include_url=False)
    cleaned = []
    for error in errors:
        loc = tuple(part for part in error["loc"] if not _is_tag(part))
        kind = error["type"]
        if kind in ("too_short", "too_long") and any(
            len(other["loc"]) > len(error["loc"])
            and other["loc"][: len(error["loc"])] == error["loc"]
            for other in errors
        ):
            continue
        ctx = dict(error.get("ctx") or {})
        if kind == "literal_error" and "expected" in ctx:
            ctx["expected"] = "、".join(re.findall(r"'([^']*)'", str(ctx["expected"])))
        entry: dict[str, Any] = {"type": kind, "loc": loc, "input": error["input"]}
        if ctx:
            entry["ctx"] = ctx
        cleaned.append(entry)
    return ValidationError.from_exception_data(exc.title, cleaned)  # type: ignore[arg-type]


def _is_tag(part: object) -> bool:
    return isinstance(part, str) and part.startswith("~")


def load_set(path: Path | None = None) -> LoadedSet:
    """Load a set file, or the bundled default when ``path`` is None."""
    path = path or default_set_path()
    return parse_set(read_text(path, str(path)), str(path))
