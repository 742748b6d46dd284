"""Output files (issue 14, point 6): every command that writes refuses to replace an existing
file unless --force, names it, and writes nothing; --force replaces it. Command-line numbers
are read like every untrusted number (decimals.parse_decimal)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import invoke
from tests.selfassess_support import SMALL, make_workspace

UNITS = (("市财政局", "部门", "CZJ", ()),)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_workspace(tmp_path, SMALL, units=UNITS)


def command(kind: str, db: Path, target: Path) -> list[str]:
    """The command writing ``target``: answers --out F, export --out F, template --out DIR."""
    if kind == "answers":
        return ["answers", "市财政局", "--out", str(target), "--db", str(db)]
    if kind == "export":
        return ["export", "--out", str(target), "--db", str(db)]
    return ["template", "市财政局", "--out", str(target.parent), "--db", str(db)]


TARGETS = {"answers": "a.yaml", "export": "r.xlsx", "template": "市财政局.xlsx"}


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_an_existing_file_is_refused_unless_forced(
    kind: str, runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / TARGETS[kind]
    target.parent.mkdir()
    target.write_bytes(b"the user's own file")
    refused = invoke(runner, command(kind, db, target))
    assert refused.exit_code == 4, refused.output
    assert str(target) in refused.output and "--force" in refused.output
    assert target.read_bytes() == b"the user's own file"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no name-2
    forced = invoke(runner, [*command(kind, db, target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes() != b"the user's own file"


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_a_new_file_is_written(kind: str, runner: CliRunner, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / TARGETS[kind]
    result = invoke(runner, command(kind, db, target))
    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_answers_out_message_and_nothing_read_first(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = invoke(runner, ["answers", "市财政局", "--out", str(target), "--db", str(db)])
    assert f"错误：{target} 已存在，未写入。要替换它请加 --force。" in result.output
    # refused before the workspace is even opened
    missing = invoke(runner, ["answers", "市财政局", "--out", str(target), "--db", "nope.db"])
    assert missing.exit_code == 4 and "已存在" in missing.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_force_never_replaces_a_special_file(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "a.yaml"
    os.mkfifo(fifo)
    args = ["answers", "市财政局", "--out", str(fifo), "--force", "--db", str(db)]
    result = invoke(runner, args)
    assert result.exit_code == 1 and "不是普通文件" in result.output
    assert fifo.is_fifo()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e999999999", "--threshold 的值“1e999999999”无效：数值过大。"),
        ("1E-999999999", "--threshold 的值“1E-999999999”无效：最多 2 位小数。"),
        ("NaN", "--threshold 的值“NaN”无效：应为数字。"),
        ("-3", "--threshold 的值须为正数（给出了 -3）。"),
        ("0", "--threshold 的值须为正数（给出了 0）。"),
    ],
)
def test_compare_threshold_is_read_safely(
    runner: CliRunner, db: Path, value: str, words: str
) -> None:
    result = invoke(runner, ["compare", "市财政局", "--threshold", value, "--db", str(db)])
    assert result.exit_code == 1 and words in result.output, result.output


def test_command_line_numbers_accept_what_people_type() -> None:
    from decimal import Decimal

    from inspector.ui.cli.common import number_option

    assert number_option(" ５ ", "--threshold", positive=True) == Decimal(5)
    assert number_option("7.5", "--threshold", positive=True) == Decimal("7.5")
    assert number_option("0", "--gap-threshold", positive=False) == Decimal(0)
    assert number_option(None, "--threshold", positive=True) is None
