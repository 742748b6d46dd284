"""One rule for every name a user types, and text made safe for the terminal.

Names (units and their codes, groups, tags, inspectors, teams, rounds) are keys: they are
looked up, compared, signed into self-assessment workbooks, used as file names and printed.
So a name must look like what it is. ``check_name`` applies one rule everywhere:

* NFC normalisation (a name typed on a Mac and on Windows compares equal);
* no control characters at all (C0 including NUL, TAB, CR, LF and ESC; DEL; C1), no line or
  paragraph separators, no surrogates or noncharacters;
* no bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): they make
  a name read differently from what it is ("Trojan Source");
* no invisible characters (zero-width space and joiners, word joiner, BOM, soft hyphen,
  variation selectors, Hangul fillers, other format characters): "市财政局\u200b" would sit
  beside 市财政局 and look the same;
* surrounding white space trimmed, inner runs of white space (including the full-width
  space) made one ordinary space; codes and tags take no space at all;
* not empty, and not longer than the kind allows. A unit name is at most 50 characters: the
  longest real unit names are about 30, and a template's file name is the unit name plus its
  code, which must stay under the 255-byte limit of common file systems (72 CJK characters
  in UTF-8 already broke it);
* not starting with = + - @: a spreadsheet reads such a cell as a formula, so the name would
  be written with a protective apostrophe and never match itself again.

A name that breaks the rule is refused with the reason and the character's position, never
silently repaired: the user decides what the name is.

``printable`` is for the other direction: any text about to be printed (problem texts, unit
names, audit entries, YAML texts) loses terminal escape sequences and control characters, and
shows invisible and bidirectional characters as U+FFFD, so nothing can recolour, move the
cursor, retitle the window, hide text or reorder a line in the user's terminal.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from inspector.errors import Location, Problem, ProblemsError, Term

NameKind = Literal["unit", "code", "group", "tag", "person", "team", "round"]
Reason = tuple[str, dict[str, Any]]

FORMULA_START = ("=", "+", "-", "@")
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u034f\u180e"
    "\u115f\u1160\u3164\uffa0"
)
SEPARATORS = frozenset("\u2028\u2029")


@dataclass(frozen=True)
class NameRule:
    max_chars: int
    spaces: bool  # whether a single space may separate words


RULES: dict[str, NameRule] = {
    "unit": NameRule(50, True),
    "code": NameRule(20, False),
    "group": NameRule(30, True),
    "tag": NameRule(30, False),
    "person": NameRule(30, True),
    "team": NameRule(30, True),
    "round": NameRule(50, True),
}
_SPACE_RUN = re.compile(r"\s+")


def _bad_character(ch: str) -> str | None:
    """The catalog key refusing ``ch`` in a name, or None when it may stay."""
    if ch in BIDI:
        return "name.bidi"
    if ch in INVISIBLE:
        return "name.invisible"
    if ch in SEPARATORS:
        return "name.control"
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs"):
        return "name.control"
    if category == "Cf":
        return "name.invisible"
    code = ord(ch)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:  # variation selectors
        return "name.invisible"
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:  # noncharacters
        return "name.control"
    return None


def check_name(value: object, kind: NameKind = "unit") -> tuple[str, Reason | None]:
    """``value`` normalised, and the reason it is refused (None when it is a good name).

    The reason is (catalog key, parameters); ``what`` names the kind in the user's language.
    """
    rule = RULES[kind]
    what = Term(f"name.{kind}")
    if not isinstance(value, str):
        return "", ("name.not_text", {"what": what})
    text = unicodedata.normalize("NFC", value)
    for position, ch in enumerate(text, start=1):
        key = _bad_character(ch)
        if key is not None:
            params = {"what": what, "code": f"U+{ord(ch):04X}", "position": position}
            return text, (key, params)
    text = _SPACE_RUN.sub(" ", text.strip())
    if not text:
        return text, ("name.empty", {"what": what})
    if not rule.spaces and " " in text:
        return text, ("name.spaces", {"what": what, "name": text})
    if len(text) > rule.max_chars:
        return text, (
            "name.too_long",
            {"what": what, "max": rule.max_chars, "length": len(text)},
        )
    if text.startswith(FORMULA_START):
        return text, ("name.formula_start", {"what": what, "char": text[0]})
    return text, None


def name_problem(
    value: object, kind: NameKind = "unit", location: Location | None = None
) -> tuple[str, Problem | None]:
    """``check_name`` with the reason as a located problem."""
    text, reason = check_name(value, kind)
    if reason is None:
        return text, None
    return text, Problem(reason[0], reason[1], location)


def clean_name(value: object, kind: NameKind = "unit", location: Location | None = None) -> str:
    """The normalised name, or ``ProblemsError`` with the located reason."""
    text, problem = name_problem(value, kind, location)
    if problem is not None:
        raise ProblemsError([problem])
    return text


# --- printing ---------------------------------------------------------------------------------

# Terminal escape sequences (ECMA-48): CSI, OSC/DCS/SOS/PM/APC strings (to BEL or ST, or to the
# end when unterminated), other two-character escapes, a lone ESC; and their 8-bit C1 forms.
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
)
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)
_ANY = re.compile(_UNSAFE.pattern[:-1] + "\x1b\t]")
REPLACEMENT = "\ufffd"


def printable(value: object) -> str:
    """``value`` as text that is safe to print in a terminal.

    Escape sequences become one U+FFFD each; other control characters, bidirectional and
    zero-width characters, and the invisible "tag" characters (U+E0000–U+E007F, used to smuggle
    hidden text) become U+FFFD, so a hidden difference shows; CR LF becomes LF and a tab a
    space. Newlines stay. Fast when there is nothing to do.
    """
    text = str(value)
    if _ANY.search(text) is None:
        return text
    text = _SEQUENCE.sub(REPLACEMENT, text)
    text = text.replace("\r\n", "\n").replace("\t", " ")
    return _UNSAFE.sub(REPLACEMENT, text)


_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]"
)


def json_text(data: Any, indent: int | None = 2) -> str:
    """JSON with readable CJK (``ensure_ascii=False``) that still cannot drive a terminal.

    ``json.dumps`` escapes C0 controls but writes C1 controls (U+009B is an 8-bit CSI),
    bidirectional and invisible characters raw; those become ``\\uXXXX`` escapes here. The
    data a script reads back is identical.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# --- file names -------------------------------------------------------------------------------

MAX_FILE_NAME_BYTES = 255  # ext4, XFS, APFS, NTFS (in UTF-16 units, which is fewer)
# room left for what is added to a name after it is made: "-9999" when the name is taken, and
# the atomic writer's temporary ".NAME.xxxxxxxx.tmp" beside it
FILE_NAME_ROOM = 20
MAX_FILE_NAME_CHARS = 80  # still readable in a file list; 80 CJK characters are 240 bytes
_FILE_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def _file_safe(text: str) -> str:
    """Bidirectional and invisible characters dropped (a U+202E would make "exe.xlsx" of a
    name), control characters and path characters made ``_``, white space runs one space."""
    kept = []
    for ch in unicodedata.normalize("NFC", text):
        key = _bad_character(ch)
        if key is None:
            kept.append(ch)
        elif key == "name.control":
            kept.append("_")
    return _SPACE_RUN.sub(" ", _FILE_UNSAFE.sub("_", "".join(kept)))


def file_name(stem: str, tail: str = "", fallback: str = "file") -> str:
    """The file name ``stem`` + ``tail`` that every common file system takes.

    The one function behind every file name the tool makes from a name (templates, feedback
    and rectification workbooks, exports): path and reserved characters become ``_``,
    bidirectional and invisible characters are dropped, no leading dot or dash, not a Windows
    device name, and ``stem`` is shortened (never ``tail``: the code, the date, the suffix)
    so that the whole name stays within 255 UTF-8 bytes with room for a ``-2`` and the atomic
    writer's temporary name.
    """
    name = _file_safe(stem).strip().strip(".").strip()[:MAX_FILE_NAME_CHARS].strip()
    tail = _file_safe(tail)
    if not name:
        name = fallback
    if name[0] in "-=+@":  # an option to a shell command, a formula in a file listing
        name = "_" + name[1:]
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    room = MAX_FILE_NAME_BYTES - FILE_NAME_ROOM - len(tail.encode("utf-8"))
    while len(name.encode("utf-8")) > room and len(name) > 1:
        name = name[:-1]
    return name.rstrip(" .") + tail if name.rstrip(" .") else fallback + tail


def distinct_file_names(
    names: Iterable[tuple[str, str | None]], suffix: str, fallback: str = "unit"
) -> list[str]:
    """One file name per (name, code), by ``file_name``: names that coincide once made safe
    (compared without case) get the code, then a number (``市局-CZJ.xlsx``, ``市局-2.xlsx``)."""
    taken: set[str] = set()
    found = []
    for name, code in names:
        tail = suffix
        candidate = file_name(name, tail, fallback)
        if candidate.lower() in taken and code:
            tail = f"-{code}{suffix}"
            candidate = file_name(name, tail, fallback)
        n = 2
        while candidate.lower() in taken:
            candidate = file_name(name, f"{tail[: len(tail) - len(suffix)]}-{n}{suffix}", fallback)
            n += 1
        taken.add(candidate.lower())
        found.append(candidate)
    return found
