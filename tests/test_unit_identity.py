"""A unit's stable identity (issue 14, point 8) and what a workbook shows (point 1).

A unit removed and added again under the same name and code is another unit: its log does
not show the removed unit's history, and the removed unit's template does not import into
it. Workspaces from before unit uids migrate: every unit gets one, the audit log is
attributed, and templates issued before the upgrade keep importing where that is certain.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from inspector.app.imports import import_file
from inspector.selfassess.identity import (
    LEGACY_FIELDS,
    SHEET,
    Identity,
    from_fields,
    new_identity,
    sign,
    verified,
)
from inspector.store import db as dbmod
from inspector.store.workspace import Workspace
from tests.helpers import invoke
from tests.hostile_gen import make_legacy
from tests.selfassess_support import SMALL, SMALL_FULL_ANSWERS, fill, make_workspace

UNITS = (("市财政局", "部门", "CZJ", ()), ("市教育局", "部门", "JYJ", ()))
UID_MIGRATION = next(i for i, m in enumerate(dbmod.MIGRATIONS) if "legacy_templates" in m)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(tmp_path: Path, runner: CliRunner) -> Path:
    path = make_workspace(tmp_path, SMALL, units=UNITS)
    out = tmp_path / "templates"
    assert (
        invoke(runner, ["template", "--all", "--db", str(path), "--out", str(out)]).exit_code == 0
    )
    return path


def filled(tmp_path: Path, unit: str, name: str = "x.xlsx") -> Path:
    return fill(tmp_path / "templates" / f"{unit}.xlsx", SMALL_FULL_ANSWERS, out=tmp_path / name)


def log_targets(runner: CliRunner, db: Path, unit: str) -> list[str]:
    result = invoke(runner, ["log", unit, "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return [e["target"] for e in json.loads(result.output)]


def test_every_unit_has_its_own_uid_in_its_template(db: Path, tmp_path: Path) -> None:
    with Workspace.open(db) as ws:
        uids = {u.name: u.uid for u in ws.units()}
    assert len(set(uids.values())) == 2 and all(u and u.startswith("u") for u in uids.values())
    sheet = load_workbook(tmp_path / "templates" / "市财政局.xlsx")[SHEET]
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2, max_col=2)}
    assert values["unit_uid"] == uids["市财政局"]


def test_a_readded_unit_neither_shows_nor_takes_the_removed_units_past(
    db: Path, tmp_path: Path, runner: CliRunner
) -> None:
    old = filled(tmp_path, "市教育局")
    assert invoke(runner, ["import", str(old), "--db", str(db)]).exit_code == 0
    assert "item:A1" in log_targets(runner, db, "市教育局")
    with Workspace.open(db) as ws:
        removed = ws.unit("市教育局")
    args = ["--db", str(db)]
    assert invoke(runner, ["units", "remove", "市教育局", "--force", *args]).exit_code == 0
    # the removed unit's name still gives its own history
    assert log_targets(runner, db, "市教育局")[-1] == "unit"
    assert "item:A1" in log_targets(runner, db, "市教育局")
    added = invoke(runner, ["units", "add", "市教育局", "--group", "部门", "--code", "JYJ", *args])
    assert added.exit_code == 0
    with Workspace.open(db) as ws:
        again = ws.unit("市教育局")
    assert again.uid != removed.uid
    assert log_targets(runner, db, "市教育局") == ["unit"]  # the new unit's history only
    result = invoke(runner, ["import", str(old), *args])
    assert result.exit_code == 1
    assert "这份工作簿是为已删除的单位“市教育局”签发的" in result.output
    with Workspace.open(db) as ws:
        assert not ws.assessment(ws.round(), again, "self").exists


def test_the_same_id_reused_is_still_another_unit(
    db: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """SQLite gives a new row the largest id plus one: removing the last unit and adding it
    again reuses its id, so only the uid tells them apart."""
    with Workspace.open(db) as ws:
        last = ws.unit("市教育局")
        ws.remove_unit("市教育局", False, "t", "t")
        (again,) = ws.add_units([("市教育局", "部门", "JYJ", ())], "t", "t")
    assert again.id == last.id and again.uid != last.uid
    result = invoke(runner, ["import", str(filled(tmp_path, "市教育局")), "--db", str(db)])
    assert result.exit_code == 1 and "已删除的单位“市教育局”" in result.output


def old_workspace(folder: Path) -> Path:
    """A workspace as the version before unit uids wrote it: 市财政局 and 市教育局, where an
    earlier 市教育局 was removed and the name added again; a signing secret."""
    path = folder / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    dbmod.migrate(conn, 0, UID_MIGRATION)
    conn.execute(
        "INSERT INTO rounds (name, created_at, set_text, set_hash) VALUES ('2026年度督查', 'x', ?, ?)",
        (SMALL.read_text(encoding="utf-8"), load_hash()),
    )
    conn.execute("INSERT INTO meta VALUES ('selfassess_secret', ?)", ("ab" * 32,))
    audit = (
        "INSERT INTO audit (at, who, command, unit_name, target, old, new)"
        " VALUES ('x', 't', 'c', ?, ?, ?, ?)"
    )
    added = json.dumps({"group": "部门", "code": "JYJ", "tags": []})
    removed = json.dumps({"group": "部门", "code": "JYJ", "tags": [], "scored": 3})
    conn.execute(audit, ("市财政局", "unit", None, added.replace("JYJ", "CZJ")))
    conn.execute(audit, ("市教育局", "unit", None, added))
    conn.execute(audit, ("市教育局", "item:A1", None, '{"form": "full"}'))
    conn.execute(audit, ("市教育局", "unit", removed, None))
    conn.execute(audit, ("市教育局", "unit", None, added))
    conn.execute(audit, ("市教育局", "item:B1", None, '{"form": "full"}'))
    for name, code in (("市财政局", "CZJ"), ("市教育局", "JYJ")):
        conn.execute(
            "INSERT INTO units (name, code, grp, tags, created_at) VALUES (?, ?, '部门', '[]', 'x')",
            (name, code),
        )
    conn.close()
    return path


def load_hash() -> str:
    from inspector.core.indicators import load_set

    return load_set(SMALL).hash


def test_an_older_workspace_migrates_to_uids_and_attributes_its_log(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = old_workspace(tmp_path)
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
        units = {u.name: u for u in ws.units()}
        assert all(u.uid for u in units.values())
        assert ws.takes_legacy_templates(units["市财政局"])
        assert not ws.takes_legacy_templates(units["市教育局"])  # its name was removed once
        # the rows of the earlier 市教育局 are not the current one's
        assert [e.target for e in ws.audit_log(units["市教育局"])] == ["unit", "item:B1"]
        assert [e.target for e in ws.audit_log(units["市财政局"])] == ["unit"]
    assert log_targets(runner, path, "市教育局") == ["unit", "item:B1"]


def test_templates_from_before_uids_import_only_where_certain(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = old_workspace(tmp_path)
    out = tmp_path / "templates"
    assert (
        invoke(runner, ["template", "--all", "--db", str(path), "--out", str(out)]).exit_code == 0
    )
    books = {}
    for unit in ("市财政局", "市教育局"):
        book = filled(tmp_path, unit, f"{unit}.xlsx")
        make_legacy(path, book)  # as the version before uids issued it
        books[unit] = book
    result = invoke(runner, ["import", *map(str, books.values()), "--db", str(path)])
    assert result.exit_code == 1
    assert "共 2 个文件：导入 1 个，未变化 0 个，拒收 1 个。" in result.output
    assert "旧版本 inspector 签发" in result.output and "“市教育局”是升级后添加的" in result.output


def test_legacy_identities_verify_with_the_fields_they_were_signed_over() -> None:
    secret = b"k" * 32
    legacy = new_identity("zh", "评分表", "R", "市财政局", "CZJ", "h")
    assert legacy.legacy and list(legacy.fields()) == list(LEGACY_FIELDS)
    current = new_identity("zh", "评分表", "R", "市财政局", "CZJ", "h", "u1")
    assert sign(legacy, secret) != sign(current, secret)
    stripped, _ = from_fields({**current.fields(), "unit_uid": "", "tag": sign(current, secret)})
    assert stripped is not None and stripped.legacy
    assert verified(stripped, sign(current, secret), secret) is None


def test_a_name_kept_quoted_by_the_sheet_still_verifies() -> None:
    """A unit from before the name rule may be called "=…"; the identity sheet keeps the value
    with a protective apostrophe, and it verifies as the name it was signed with."""
    secret = b"k" * 32
    signed = new_identity("zh", "评分表", "R", "=SUM(1)", "", "h", "u1")
    as_read = Identity(**{**signed.fields(), "unit": "'=SUM(1)"})
    assert verified(as_read, sign(signed, secret), secret) == signed


def test_a_legacy_unit_named_like_a_formula_imports_its_template(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = make_workspace(tmp_path, SMALL, units=())
    with sqlite3.connect(path) as conn:  # a name from before the rule
        conn.execute(
            "INSERT INTO units (name, grp, tags, created_at, uid)"
            " VALUES ('-市财政局', '部门', '[]', 'x', 'u1')"
        )
    out = tmp_path / "templates"
    assert (
        invoke(runner, ["template", "--all", "--db", str(path), "--out", str(out)]).exit_code == 0
    )
    (book,) = out.iterdir()
    done = fill(book, SMALL_FULL_ANSWERS, out=tmp_path / "x.xlsx")
    with Workspace.open(path) as ws:
        outcome = import_file(ws, done, "t", "t")
    assert outcome.status == "imported", outcome.problems
