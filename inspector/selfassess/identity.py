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
# The fields the tag covers. A template issued before units had a stable identity has the
# first eight only (a "legacy" identity): it still verifies, and the import then decides
# whether it can be attributed (``Workspace.takes_legacy_templates``).
LEGACY_FIELDS = ("format", "layout", "lang", "sheet", "round", "unit", "unit_code", "set_hash")
FIELDS = (*LEGACY_FIELDS, "unit_uid")


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
    # the unit's uid in the issuing workspace: a unit removed and added again under the same
    # name and code has another, so the removed unit's templates never import into it
    unit_uid: str | None = None

    @property
    def legacy(self) -> bool:
        """Issued before units had uids: the tag covers name and code only."""
        return self.unit_uid is None

    def _names(self) -> tuple[str, ...]:
        return LEGACY_FIELDS if self.unit_uid is None else FIELDS

    def message(self) -> bytes:
        """The exact bytes the tag covers: every field, in a fixed order, unambiguously."""
        values = [getattr(self, name) for name in self._names()]
        return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self._names()}


def new_identity(
    lang: str,
    sheet: str,
    round_name: str,
    unit: str,
    unit_code: str | None,
    set_hash: str,
    unit_uid: str | None = None,
) -> Identity:
    return Identity(
        LAYOUT_VERSION, lang, sheet, round_name, unit, unit_code or "", set_hash, FORMAT, unit_uid
    )


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


def _unquoted(value: str) -> str:
    """A value as it was before ``io.xlsx_cells`` protected it: text starting with = + - @
    is written with an apostrophe in front (so no spreadsheet runs it), and reads back so."""
    if value.startswith("'") and value[1:].startswith(("=", "+", "-", "@", "\t", "\r")):
        return value[1:]
    return value


def verified(identity: Identity, tag: str, secret: bytes) -> Identity | None:
    """The identity if ``tag`` verifies it, as read or with its fields unquoted (a unit name
    from before the name rule may start with = + - @, and the sheet keeps it quoted)."""
    if verify(identity, tag, secret):
        return identity
    values = {name: _unquoted(value) for name, value in identity.fields().items()}
    unquoted = Identity(**values)
    if unquoted != identity and verify(unquoted, tag, secret):
        return unquoted
    return None


def from_fields(values: dict[str, object]) -> tuple[Identity | None, str | None]:
    """An identity and its tag from stored text fields; (None, None) when fields are missing.
    Without ``unit_uid`` (or with it empty) the identity is a legacy one."""
    texts: dict[str, str] = {}
    for name in (*LEGACY_FIELDS, "tag"):
        value = values.get(name)
        if value is None and name == "unit_code":
            value = ""
        if not isinstance(value, str):
            if isinstance(value, int | float) and name == "unit_code":
                value = str(value)
            else:
                return None, None
        texts[name] = value
    uid = values.get("unit_uid")
    if uid is not None and not isinstance(uid, str):
        return None, None
    tag = texts.pop("tag")
    unit_uid = uid.strip() if uid is not None else ""
    return Identity(**texts, unit_uid=unit_uid or None), tag
