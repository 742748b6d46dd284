"""Domain errors. The CLI turns them into messages and exit codes in one place (cli/app.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from inspector.i18n import t

_CELL = re.compile(r"^(?:(?P<sheet>.*)!)?\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+)$")


@dataclass(frozen=True)
class Location:
    """A place in a file the user can open: ``file.yaml:12:5`` or ``book.xlsx: 评分表!H12``."""

    source: str
    line: int | None = None
    column: int | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.cell is not None:
            return f"{self.source}: {self.cell}"
        if self.line is None:
            return self.source
        if self.column is None:
            return f"{self.source}:{self.line}"
        return f"{self.source}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Term:
    """A message parameter that is itself translated when the message is rendered."""

    key: str

    def __str__(self) -> str:
        return t(f"term.{self.key}")


@dataclass(frozen=True)
class Problem:
    """One located problem, rendered lazily so that it follows the user's language."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    location: Location | None = None

    def message(self) -> str:
        return t(self.key, **{k: str(v) for k, v in self.params.items()})

    def render(self) -> str:
        if self.location is None:
            return self.message()
        return f"{self.location}: {self.message()}"

    def sort_key(self) -> tuple[str, int, int, str, int, int, str]:
        """Reading order: by file, then line and column, or sheet, row and column (G9 < G10)."""
        loc = self.location
        if loc is None:
            return ("", 0, 0, "", 0, 0, self.key)
        sheet, row, col = loc.cell or "", 0, 0
        match = _CELL.match(sheet)
        if match:
            letters = match["col"]
            sheet, row = match["sheet"] or "", int(match["row"])
            col = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters)))
        return (loc.source, loc.line or 0, loc.column or 0, sheet, row, col, self.key)


class InspectorError(Exception):
    """Base of every error the user can cause. ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self) -> str:
        return t(self.key, **self.params)

    def __str__(self) -> str:
        return self.message()


class ProblemsError(InspectorError):
    """Several located problems found in one pass over an input (a file, a workbook)."""

    def __init__(self, problems: Iterable[Problem], key: str = "error.problems") -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(key, count=len(self.problems))

    def lines(self) -> list[str]:
        return [p.render() for p in self.problems]


class NotFoundError(InspectorError):
    """A unit, round, group or file that does not exist. The message lists what does."""

    exit_code = 2


class WorkspaceError(InspectorError):
    """The workspace file cannot be used (not SQLite, too new, read-only, busy)."""

    exit_code = 3


class ConflictError(InspectorError):
    """The request contradicts what is stored (a locked assessment, a unit with scores)."""

    exit_code = 4
