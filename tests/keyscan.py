"""Find message keys used in the package's source (for the catalog completeness test)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "inspector"
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
CALLS = {
    "t",
    "tl",
    "Problem",
    "problem",
    "fail",
    "fail_key",
    "InspectorError",
    "ProblemsError",
    "NotFoundError",
    "WorkspaceError",
    "ConflictError",
    "refuse",
    "Term",
}


def used_keys() -> dict[str, str]:
    """key -> 'file:line' of one use, for string literals passed to message-making calls."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "i18n":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name not in CALLS:
                continue
            for arg in node.args:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and KEY.match(arg.value)
                ):
                    found.setdefault(arg.value, f"{path.name}:{node.lineno}")
    return found
