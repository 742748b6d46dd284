"""A template's identity: which round, unit and indicator set it was made for, authenticated.

The tag is an HMAC-SHA256 over the identity fields, keyed with a secret that only the issuing
workspace holds (``meta.selfassess_secret``). A workbook edited to claim another unit or
round, a workbook made from scratch, or one issued by another workspace cannot carry a tag
that verifies, so the import refuses it.

Where it is stored, and why there: a hidden sheet named ``inspector`` (written "veryHidden",
so Excel and WPS do not offer to unhide it) and, as a second copy, the workbook's custom
document properties. LibreOffice keeps both when it re-saves a workbook (it turns
"veryHidden" into "hidden", which is harmless: the tag, not the secrecy, protects the
identity). The reader takes the sheet and falls back to the properties.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from inspector.selfassess.layout import LAYOUT_VERSION

FORMAT = "inspector-selfassess"
SHEET = "inspector"
SECRET_META = "selfassess_secret"
PROPERTY_PREFIX = "inspector."
FIELDS = ("format", "layout", "lang", "sheet", "round", "unit", "unit_code", "set_hash")


@dataclass(frozen=True)
class Identity:
    layout: str
    lang: str
    sheet: str  # the title of the score sheet, as written
    round: str
    unit: str
    unit_code: str  # "" when the unit has no code
    set_hash: str
    format: str = FORMAT

    def message(self) -> bytes:
        """The exact bytes the tag covers: every field, in a fixed order, unambiguously."""
        values = [getattr(self, name) for name in FIELDS]
        return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


def new_identity(
    lang: str, sheet: str, round_name: str, unit: str, unit_code: str | None, set_hash: str
) -> Identity:
    return Identity(LAYOUT_VERSION, lang, sheet, round_name, unit, unit_code or "", set_hash)


def workspace_secret(ws: Any, create: bool) -> bytes | None:
    """The workspace's signing key; made on first use when ``create`` (issuing templates)."""
    value = ws.meta(SECRET_META)
    if value is None:
        if not create:
            return None
        value = secrets.token_hex(32)
        ws.set_meta(SECRET_META, value)
    return bytes.fromhex(value)


class Signed(Protocol):
    """Anything signed with the workspace's key: its exact bytes (the rectification
    workbooks carry an identity of their own, signed the same way)."""

    def message(self) -> bytes: ...


def sign(identity: Signed, secret: bytes) -> str:
    return hmac.new(secret, identity.message(), hashlib.sha256).hexdigest()


def verify(identity: Signed, tag: str, secret: bytes) -> bool:
    return hmac.compare_digest(sign(identity, secret), tag.strip().lower())


def from_fields(values: dict[str, object]) -> tuple[Identity | None, str | None]:
    """An identity and its tag from stored text fields; (None, None) when fields are missing."""
    texts: dict[str, str] = {}
    for name in (*FIELDS, "tag"):
        value = values.get(name)
        if value is None and name == "unit_code":
            value = ""
        if not isinstance(value, str):
            if isinstance(value, int | float) and name == "unit_code":
                value = str(value)
            else:
                return None, None
        texts[name] = value
    tag = texts.pop("tag")
    return Identity(**texts), tag
