"""The package's layers (docs/architecture.md): no module imports a layer above its own.

Every import of every module counts, at the top or inside a function (lazy imports too) and
under ``TYPE_CHECKING``. A failure lists each offending import with its place.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "inspector"

KERNEL = "kernel"
ALL = {KERNEL, "io", "core", "store", "reports", "selfassess", "rectify", "app", "ui"}
ALLOWED: dict[str, set[str]] = {
    KERNEL: {KERNEL},
    "io": {KERNEL, "io"},
    "core": {KERNEL, "io", "core"},
    "store": {KERNEL, "io", "core", "store"},
    "reports": {KERNEL, "io", "core", "store", "reports", "selfassess"},
    "selfassess": {KERNEL, "io", "core", "store", "reports", "selfassess"},
    # the rectification workbooks are built like the self-assessment ones, and share their key
    "rectify": {KERNEL, "io", "core", "store", "reports", "selfassess", "rectify"},
    "app": ALL - {"ui"},
    # the user interfaces reach the store, the reports and the workbooks only through the app
    "ui": {KERNEL, "io", "core", "app", "ui"},
}
# narrower rules inside a layer: (importer prefix, imported prefix, why)
FORBIDDEN = [
    ("inspector.ui.interactive", "inspector.ui.cli", "the scorer never imports the CLI"),
    ("inspector.core", "inspector.ui", "the engine never imports display code"),
]


def layer_of(module: str) -> str | None:
    """The layer of an ``inspector`` module (None: a module no layer holds)."""
    parts = module.split(".")
    if parts[0] != "inspector":
        return None
    if len(parts) == 1 or parts[1] in ("errors", "decimals", "text_rules", "i18n"):
        return KERNEL
    if parts[1] == "__main__":
        return "ui"
    return parts[1] if parts[1] in ALL else None


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, imported module) of every import in ``source``, relative ones resolved."""
    found = []
    parts = module.split(".")
    package = parts if is_package else parts[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]  # level 1: this package
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # ``from inspector.app import queries`` imports inspector.app.queries
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                known = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py")
                package_dir = PACKAGE.parent / candidate.replace(".", "/")
                if known.is_file() or package_dir.is_dir():
                    found.append((node.lineno, candidate))
                else:
                    found.append((node.lineno, target))
    return found


def violations(source: str, module: str, where: str, is_package: bool = False) -> list[str]:
    own = layer_of(module)
    if own is None:
        return [f"{where}: module {module} is in no layer (add its folder to tests/test_layers.py)"]
    found = []
    for line, target in imports(source, module, is_package):
        if not target.startswith("inspector"):
            continue
        layer = layer_of(target)
        if layer is None:
            found.append(f"{where}:{line}: imports {target}, which is in no layer")
        elif layer not in ALLOWED[own]:
            found.append(f"{where}:{line}: imports {target} ({own} may not import {layer})")
        for importer, imported, why in FORBIDDEN:
            if module.startswith(importer) and target.startswith(imported):
                found.append(f"{where}:{line}: imports {target} ({why})")
    return found


def test_no_module_imports_a_layer_above_its_own() -> None:
    problems = []
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50  # the walk found the package
    for path in modules:
        module = module_name(path)
        where = str(path.relative_to(PACKAGE.parent))
        source = path.read_text(encoding="utf-8")
        problems += violations(source, module, where, path.name == "__init__.py")
    assert not problems, "imports across layers:\n" + "\n".join(problems)


def test_the_check_catches_what_it_should() -> None:
    lazy_store_import = (
        "from inspector.app import queries\n"
        "def f():\n"
        "    from inspector.store.workspace import Workspace\n"
        "    import inspector.reports.export\n"
    )
    found = violations(lazy_store_import, "inspector.ui.cli.x", "x.py")
    assert found == [
        "x.py:3: imports inspector.store.workspace (ui may not import store)",
        "x.py:4: imports inspector.reports.export (ui may not import reports)",
    ]
    assert violations("from ..cli import app\n", "inspector.ui.interactive.flow", "f.py") == [
        "f.py:1: imports inspector.ui.cli.app (the scorer never imports the CLI)"
    ]
    typing_only = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from inspector.app import x\n"
    )
    assert violations(typing_only, "inspector.core.scoring", "s.py") == [
        "s.py:3: imports inspector.app (core may not import app)"
    ]
    assert violations("import os\n", "inspector.web.server", "w.py") == [
        "w.py: module inspector.web.server is in no layer (add its folder to tests/test_layers.py)"
    ]
    assert layer_of("inspector") == layer_of("inspector.i18n.zh_core") == KERNEL


WRITES = {"record", "set_confirmed", "add_units", "remove_unit", "new_round", "set_meta"}
WRITES |= {"transaction", "check_open", "is_confirmed"}  # and no lock decisions of their own


def write_calls(source: str) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.func.attr)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
    ]


def test_user_interfaces_leave_writes_and_locks_to_the_app() -> None:
    problems = []
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        for line, name in write_calls(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(PACKAGE.parent)}:{line}: calls .{name}()")
    assert not problems, "the app layer's job:\n" + "\n".join(problems)
    assert write_calls("with ws.transaction():\n    ws.record(r, u)\n") == [
        (1, "transaction"),
        (2, "record"),
    ]
