"""Safe, located YAML loading for files that people write by hand.

What it guards against, and why:

* PyYAML keeps the last of two duplicate keys silently: we report both places.
* YAML 1.1 resolves ``no`` to False, ``1:30`` to 90 and ``010`` to 8. We never resolve plain
  scalars: every scalar stays the text the author typed (``None`` for an empty value or ``~``),
  and the pydantic model converts it to the type the field needs. ``code: 1.10`` stays "1.10".
* Aliases ("billion laughs"), explicit tags (``!!python/object``), absurd nesting and absurd
  sizes are refused before anything is built.
* Control characters (ESC, NUL, …) and the line separators that YAML counts as line breaks
  but editors do not (NEL, U+2028, U+2029) are refused at their own place, before parsing.
* PyYAML's syntax errors are English and often located where the scanner gave up; each known
  one is explained in the user's language at the place the author must fix (a tab used for
  indentation is reported at the tab, not at the end of the line above).
* A file saved as UTF-16 or UTF-32 (Windows Notepad's "Unicode") is named as such.

Every value keeps its position, so later checks can say ``file.yaml:12:5``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from inspector.errors import Location, Problem, ProblemsError, Term
from inspector.io.inputs import read_input, wide_encoding

MAX_BYTES = 2_000_000
MAX_DEPTH = 32
MAX_EVENTS = 500_000
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
MAX_REPORTED = 20  # control characters reported one by one, at most
# What YAML refuses in a stream (C0 but tab/LF/CR, DEL, C1, surrogates, U+FFFE/F), and what
# it reads as a line break where editors see none (NEL U+0085, U+2028, U+2029).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
# ... and what a double-quoted escape ("\\e", "\\x9b") may not produce in a value. Escaped line
# separators ("\\N", "\\u2028") are text, and what a dump of such text writes, so they stay.
ESCAPED_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """A loaded YAML document and the positions of its values and mapping keys."""

    source: str
    data: Any
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def _at(self, pos: tuple[int, int] | None) -> Location:
        if pos is None:
            return Location(self.source)
        return Location(self.source, pos[0], pos[1])

    def at(self, path: Sequence[str | int]) -> Location:
        """The location of the value at ``path``, or of the nearest existing parent."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return self._at(self.values.get(path))

    def key_at(self, path: Sequence[str | int]) -> Location:
        """The location of the mapping key that names ``path`` (falls back to the value)."""
        path = tuple(path)
        if path in self.keys:
            return self._at(self.keys[path])
        return self.at(path)

    def problem(self, path: Sequence[str | int], key: str, /, **params: Any) -> Problem:
        return Problem(key, params, self.at(path))


def _mark(node_or_mark: Any) -> tuple[int, int]:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return (mark.line + 1, mark.column + 1)


def _screen_events(text: str, source: str) -> list[Problem]:
    """One cheap pass over the event stream before any node is built."""
    problems: list[Problem] = []
    depth = 0
    documents = 0
    for count, event in enumerate(yaml.parse(text, Loader=_LOADER), start=1):
        if count > MAX_EVENTS:
            problems.append(Problem("yaml.too_many_nodes", {"limit": MAX_EVENTS}, Location(source)))
            break
        line, col = _mark(event)
        here = Location(source, line, col)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                problems.append(Problem("yaml.many_documents", {}, here))
                break
        elif isinstance(event, yaml.AliasEvent):
            problems.append(Problem("yaml.alias", {"name": event.anchor}, here))
            break
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            if event.tag is not None and not (
                isinstance(event, yaml.ScalarEvent) and event.tag == "!"
            ):
                problems.append(Problem("yaml.tag", {"tag": event.tag}, here))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem("yaml.too_deep", {"limit": MAX_DEPTH}, here))
                    break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return problems


def _control_characters(text: str, source: str) -> list[Problem]:
    """Every character YAML cannot hold, at its own line and column (the first few)."""
    problems: list[Problem] = []
    for match in CONTROL.finditer(text):
        at = match.start()
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        code = f"U+{ord(match.group()):04X}"
        problems.append(
            Problem("yaml.control_char", {"code": code}, Location(source, line, column))
        )
        if len(problems) >= MAX_REPORTED:
            break
    return problems


# (fragment of PyYAML's or libyaml's problem text, mark to use, explanation term). The mark is
# where the author must fix the file: the tab itself, the opening quote, the missing colon.
_SYNTAX: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("tab character", "'\\t'"), "problem", "yaml.tab"),
    (("cannot start any token",), "problem", "yaml.bad_start"),
    (("unknown escape",), "problem", "yaml.bad_escape"),
    (("mapping values are not allowed",), "problem", "yaml.colon"),
    (("could not find expected ':'",), "context", "yaml.expected_colon"),
    (("did not find expected ',' or", "expected ',' or"), "context", "yaml.flow_unclosed"),
    (
        ("did not find expected key", "expected '-' indicator", "expected <block end>"),
        "problem",
        "yaml.indentation",
    ),
)


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if mark.column < len(line) else ""


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, source: str) -> Problem:
    problem = exc.problem or ""
    context = exc.context or ""
    choice: tuple[str, Any] | None = None
    if "end of stream" in problem and "quoted scalar" in context:
        choice = ("yaml.unclosed_quote", exc.context_mark)
    elif _char_at(text, exc.problem_mark) == "\t" and "token" in problem:
        choice = ("yaml.tab", exc.problem_mark)
    else:
        for fragments, which, term in _SYNTAX:
            if any(f in problem for f in fragments):
                mark = exc.context_mark if which == "context" else exc.problem_mark
                choice = (term, mark or exc.problem_mark or exc.context_mark)
                break
    if choice is not None:
        term, mark = choice
        loc = Location(source, *_mark(mark)) if mark is not None else Location(source)
        return Problem("yaml.syntax", {"detail": Term(term)}, loc)
    # Unknown to us: PyYAML's own words. A scanner error is found where the scanner gave up
    # (often the next line); the context mark is where the broken token began.
    scanner_error = isinstance(exc, yaml.scanner.ScannerError)
    mark = (exc.context_mark if scanner_error else None) or exc.problem_mark or exc.context_mark
    loc = Location(source, *_mark(mark)) if mark is not None else Location(source)
    detail = " ".join(str(part) for part in (context, problem) if part)
    return Problem("yaml.syntax", {"detail": detail}, loc)


def _escaped_control(node: yaml.ScalarNode, out: Located, problems: list[Problem]) -> None:
    """A control character written as an escape ("\\e", "\\x1b") in a double-quoted scalar:
    the text itself passed the screen, the value would not. Escaped line separators
    ("\\u2028", "\\N") are text, and how a dump writes them, so they stay."""
    match = ESCAPED_CONTROL.search(node.value)
    if match is not None:
        code = f"U+{ord(match.group()):04X}"
        where = Location(out.source, *_mark(node))
        problems.append(Problem("yaml.control_char", {"code": code}, where))


def _convert(node: yaml.Node, path: PathKey, out: Located, problems: list[Problem]) -> Any:
    out.values[path] = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in NULL_WORDS:
            return None
        if node.style == '"':
            _escaped_control(node, out, problems)
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, (*path, i), out, problems) for i, child in enumerate(node.value)]
    result: dict[str, Any] = {}
    first_seen: dict[str, tuple[int, int]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            line, col = _mark(key_node)
            problems.append(Problem("yaml.complex_key", {}, Location(out.source, line, col)))
            continue
        key = key_node.value
        if key_node.style == '"':
            _escaped_control(key_node, out, problems)
        line, col = _mark(key_node)
        if key in first_seen:
            first_line, first_col = first_seen[key]
            problems.append(
                Problem(
                    "yaml.duplicate_key",
                    {"key": key, "first": f"{first_line}:{first_col}"},
                    Location(out.source, line, col),
                )
            )
            continue
        first_seen[key] = (line, col)
        out.keys[(*path, key)] = (line, col)
        result[key] = _convert(value_node, (*path, key), out, problems)
    return result


def load_text(text: str, source: str) -> tuple[Located, list[Problem]]:
    """Parse ``text`` into located data, with every problem found.

    ``located.data`` is None when the problems are fatal (the text could not be read as
    YAML at all). When it is set alongside problems (a duplicate key, a complex key), the
    tree is complete apart from the refused entries, and a caller may go on checking it so
    that the author hears about every mistake at once.
    """
    located = Located(source, None)
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        return located, [Problem("yaml.too_big", {"limit": MAX_BYTES}, Location(source))]
    problems = _control_characters(text, source)
    if problems:
        return located, problems
    try:
        problems = _screen_events(text, source)
        if problems:
            return located, problems
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return located, [_syntax_problem(exc, text, source)]
    except yaml.YAMLError as exc:  # a reader error the screen above did not foresee
        return located, [Problem("yaml.syntax", {"detail": str(exc)}, Location(source))]
    if node is None:
        return located, [Problem("yaml.empty", {}, Location(source))]
    problems = []
    located.data = _convert(node, (), located, problems)
    return located, problems


def decode_text(raw: bytes, source: str) -> str:
    """UTF-8 text (with or without BOM); anything else refused at the first bad byte."""
    encoding = wide_encoding(raw)
    if encoding is not None:
        raise ProblemsError([Problem("file.utf16", {"encoding": encoding}, Location(source))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ProblemsError(
            [Problem("file.not_utf8", {}, Location(source, line, column))]
        ) from None


def read_text(path: Path, display: str | None = None) -> str:
    """Read a hand-written text file: a regular file, size-checked, UTF-8 (with or without BOM)."""
    source = display or str(path)
    raw = read_input(path, source, MAX_BYTES, too_big="yaml.too_big")
    return decode_text(raw, source)
