"""Line wrapping for a narrow terminal that mixes Chinese and Latin text.

Rich measures double-width characters correctly, but wraps only at spaces and folds long
"words" anywhere; a Chinese paragraph is one long word to it. Here a line may break between
any two CJK characters or at a space, never before closing punctuation (，。、）》…) nor after
opening punctuation (（《“…), as Chinese typesetting expects. Styles survive: lines are cut
out of the ``Text`` by offset.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from rich.text import Text

ELLIPSIS = "…"
NO_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
NO_END = frozenset("（《「『【〔〈“‘([{")


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _can_break_before(text: str, i: int) -> bool:
    """Whether a line may start at offset ``i`` (0 < i < len)."""
    before, here = text[i - 1], text[i]
    if here in NO_START or before in NO_END:
        return False
    if before.isascii() and before.isdigit() and _wide(here):  # keep "2处", "1个" together
        return False
    if before.isspace() and not here.isspace():
        return True
    return not here.isspace() and (_wide(here) or _wide(before))


def spans(text: str, width: int, first_width: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` wrapped to ``width`` cells (``first_width`` for
    the first line). Spaces at a break are dropped; explicit newlines are kept as breaks."""
    result: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        result.extend(
            (offset + s, offset + e)
            for s, e in _paragraph(paragraph, width, first_width if not result else None)
        )
        offset += len(paragraph) + 1
    return result


def _paragraph(text: str, width: int, first_width: int | None) -> list[tuple[int, int]]:
    width = max(width, 2)
    limit = max(first_width if first_width is not None else width, 2)
    lines: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n and text[start].isspace():
        start += 1
    if start >= n:
        return [(0, 0)]
    while start < n:
        used = 0
        last_break = -1
        i = start
        while i < n:
            w = cell_len(text[i])
            if i > start and _can_break_before(text, i):
                last_break = i
            if used + w > limit and i > start:
                break
            used += w
            i += 1
        if i >= n:
            lines.append((start, _rstrip(text, start, n)))
            break
        cut = last_break if last_break > start else i
        lines.append((start, _rstrip(text, start, cut)))
        start = cut
        while start < n and text[start].isspace():
            start += 1
        limit = width
    return lines


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def wrap(text: Text, width: int, first_width: int | None = None) -> list[Text]:
    return [text[s:e] for s, e in spans(text.plain, width, first_width)]


def truncate(line: Text, width: int) -> Text:
    """``line`` cut to fit ``width`` cells, ending in an ellipsis when something was cut."""
    if cell_len(line.plain) <= width:
        return line
    return _ellipsize(line, width)


def _ellipsize(line: Text, width: int) -> Text:
    plain = line.plain
    keep, used = 0, 0
    while keep < len(plain) and used + cell_len(plain[keep]) <= width - 1:
        used += cell_len(plain[keep])
        keep += 1
    cut = line[:keep]
    cut.rstrip()
    cut.append(ELLIPSIS)
    return cut


def clip(lines: list[Text], count: int, width: int) -> list[Text]:
    """At most ``count`` lines; the last one ends in an ellipsis when lines were dropped."""
    if len(lines) <= count:
        return lines
    if count <= 0:
        return []
    kept = lines[:count]
    last = kept[-1].copy()
    last.rstrip()
    if cell_len(last.plain) + 1 > width:
        last = _ellipsize(last, width)
    else:
        last.append(ELLIPSIS)
    kept[-1] = last
    return kept


def hang(label: Text | str, body: Text, width: int, label_width: int) -> list[Text]:
    """``body`` wrapped beside ``label``, later lines indented under the body."""
    head = label if isinstance(label, Text) else Text(label, "bold")
    pad = max(label_width - cell_len(head.plain), 0)
    body_width = max(width - label_width, 8)
    lines = wrap(body, body_width)
    result = []
    for i, line in enumerate(lines):
        prefix = head.copy() + " " * pad if i == 0 else Text(" " * label_width)
        result.append(prefix + line)
    return result


def pad_to(text: Text, width: int) -> Text:
    """``text`` followed by spaces up to ``width`` cells."""
    return text + " " * max(width - cell_len(text.plain), 0)
