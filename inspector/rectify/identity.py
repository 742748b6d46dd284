"""A rectification workbook's identity: round, unit, and the problem list it was issued for.

Signed with the workspace's key exactly as the self-assessment templates are
(``selfassess.identity.sign``), and stored the same two ways (the very hidden ``inspector``
sheet, and custom document properties). The list of problem numbers is bound through its
digest: a workbook made for an older list (the office issued a newer one since) or for
another unit's problems cannot be replayed. The sheet also lists the numbers, for people.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from inspector.rectify.layout import LAYOUT_VERSION

FORMAT = "inspector-rectify"
FIELDS = ("format", "layout", "lang", "sheet", "round", "unit", "unit_code", "problems", "digest")


def list_digest(numbers: Sequence[str]) -> str:
    return hashlib.sha256(json.dumps(list(numbers), ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class RectifyIdentity:
    layout: str
    lang: str
    sheet: str  # the title of the ledger sheet, as written
    round: str
    unit: str
    unit_code: str  # "" when the unit has no code
    problems: str  # how many problems, as text
    digest: str  # list_digest of the problem numbers, in the sheet's order
    format: str = FORMAT

    def message(self) -> bytes:
        values = [getattr(self, name) for name in FIELDS]
        return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


def new_identity(
    lang: str, sheet: str, round_name: str, unit: str, code: str | None, numbers: Sequence[str]
) -> RectifyIdentity:
    return RectifyIdentity(
        LAYOUT_VERSION,
        lang,
        sheet,
        round_name,
        unit,
        code or "",
        str(len(numbers)),
        list_digest(numbers),
    )


def from_fields(values: dict[str, object]) -> tuple[RectifyIdentity | None, str | None]:
    """An identity and its tag from stored text fields; (None, None) when any is missing."""
    texts: dict[str, str] = {}
    for name in (*FIELDS, "tag"):
        value = values.get(name)
        if value is None and name == "unit_code":
            value = ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(int(value)) if float(value).is_integer() else str(value)
        if not isinstance(value, str):
            return None, None
        texts[name] = value
    tag = texts.pop("tag")
    return RectifyIdentity(**texts), tag
