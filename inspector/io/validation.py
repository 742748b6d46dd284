"""Turn pydantic validation errors into located, translated problems.

Shared by every hand-written input (indicator sets, answers files): the models say what is
allowed, ``Located`` says where each value was written.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from inspector.errors import Problem
from inspector.io.yamlsafe import Located

# pydantic error type -> catalog key. Unlisted types fall back to pydantic's own English text.
_ERROR_KEYS = {
    "string_type": "value.text",
    "decimal_parsing": "value.number",
    "decimal_type": "value.number",
    "float_parsing": "value.number",
    "float_type": "value.number",
    "finite_number": "value.number",
    "int_parsing": "value.integer",
    "int_type": "value.integer",
    "int_from_float": "value.integer",
    "bool_parsing": "value.bool",
    "bool_type": "value.bool",
    "list_type": "value.list",
    "dict_type": "value.mapping",
    "model_type": "value.mapping",
    "model_attributes_type": "value.mapping",
    "greater_than_equal": "value.ge",
    "greater_than": "value.gt",
    "less_than_equal": "value.le",
    "less_than": "value.lt",
    "decimal_max_places": "value.decimal_places",
    "decimal_max_digits": "value.too_large",
    "decimal_whole_digits": "value.too_large",
    "string_too_short": "value.empty",
    "string_too_long": "value.too_long",
    "too_short": "value.too_few",
    "too_long": "value.too_many",
    "string_pattern_mismatch": "value.no_spaces",
    "literal_error": "value.choice",
    "enum": "value.choice",
}


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional so that the model or container type remains."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            annotation = members[0] if len(members) == 1 else annotation
            if len(members) != 1:
                return annotation
        else:
            return annotation


def model_at(root: type[BaseModel], loc: Sequence[str | int]) -> Any:
    """The type that the value at ``loc`` is validated against."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(part, int) and origin is list:
            current = get_args(current)[0]
        elif isinstance(part, str) and origin is dict:
            current = get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        else:
            return None
    return _unwrap(current)


def allowed_keys(root: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    model = model_at(root, loc)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [field.alias or name for name, field in model.model_fields.items()]
    return []


def _params(err: dict[str, Any]) -> dict[str, Any]:
    ctx = dict(err.get("ctx") or {})
    for name, value in list(ctx.items()):
        ctx[name] = str(value)
    ctx.setdefault("detail", err.get("msg", ""))
    if "expected" in ctx:
        ctx["choices"] = ctx["expected"]
    return ctx


def problems_from(
    exc: ValidationError, located: Located, root: type[BaseModel], prefix: Sequence[str | int] = ()
) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = (*prefix, *err["loc"])
        model_loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            allowed = "、".join(allowed_keys(root, model_loc[:-1]))
            problems.append(
                Problem(
                    "value.unknown_key", {"key": loc[-1], "allowed": allowed}, located.key_at(loc)
                )
            )
        elif kind == "missing":
            problems.append(Problem("value.missing", {"field": loc[-1]}, located.at(loc[:-1])))
        else:
            key = _ERROR_KEYS.get(kind, "value.invalid")
            if kind == "decimal_max_digits" and _below_one(err.get("input")):
                key = "value.too_precise"  # 1E-999999999 has too many digits, not too large
            problems.append(Problem(key, _params(err), located.at(loc)))
    return problems


def _below_one(value: object) -> bool:
    """Whether a number pydantic refused for its digits is a tiny one (no context needed)."""
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return False
    return number.is_finite() and number != 0 and number.adjusted() < 0
