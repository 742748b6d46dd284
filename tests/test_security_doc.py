"""docs/security.md names the tests that prove each promise: every test and corpus case it
names must exist, and a case is an expected failure exactly when the text marks it pending."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"
CORPUS = ROOT / "tests" / "data" / "hostile"
KINDS = ("sets", "answers", "units", "workbooks", "workspaces", "names")
TOKEN = re.compile(r"`([^`]+)`")


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def sections() -> list[str]:
    """Bullet points (a pending mark applies to its own bullet)."""
    return re.split(r"\n(?=\* )|\n(?=## )", DOC.read_text(encoding="utf-8"))


def references(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(test file, test name) pairs and corpus case patterns in ``text``."""
    tests: list[tuple[str, str]] = []
    cases: list[str] = []
    current = ""
    for token in TOKEN.findall(text):
        if token.startswith("tests/") and "::" in token:
            current, name = token.split("::")
            tests.append((current, name))
        elif token.startswith("::"):
            assert current, token
            tests.append((current, token[2:]))
        elif token.split("/")[0] in KINDS and "." not in token:
            cases.append(token)
    return tests, cases


def matching(pattern: str) -> list[Path]:
    return sorted(CORPUS.glob(pattern + ".yaml"))


def test_every_test_named_exists() -> None:
    tests, _ = references(DOC.read_text(encoding="utf-8"))
    assert len(tests) > 40
    for file, name in tests:
        assert name in functions_in(ROOT / file), f"{file}::{name}"


def test_every_case_named_exists_and_pending_means_expected_failure() -> None:
    named = 0
    for section in sections():
        pending = "**Pending**" in section
        _, cases = references(section)
        for pattern in cases:
            found = matching(pattern)
            assert found, pattern
            named += len(found)
            for path in found:
                xfail = "xfail" in yaml.safe_load(path.read_text(encoding="utf-8"))
                if pending:
                    assert xfail, f"{path.name} is marked pending but passes"
                elif "*" not in pattern:
                    assert not xfail, f"{path.name} is an expected failure: mark it pending"
    assert named > 60


def test_every_expected_failure_is_listed_as_pending() -> None:
    pending: set[Path] = set()
    for section in sections():
        if "**Pending**" in section:
            for pattern in references(section)[1]:
                pending.update(matching(pattern))
    for path in CORPUS.rglob("*.yaml"):
        if "xfail" in yaml.safe_load(path.read_text(encoding="utf-8")):
            assert path in pending, f"{path.relative_to(CORPUS)} is pending but not in the doc"
