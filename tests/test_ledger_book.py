"""``inspector export --ledger``: the round's full 整改台账 as a workbook of its own, every
field of every entry, A3 landscape; refused over an existing file without --force."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.helpers import invoke

FULL_HEADERS = [
    "问题编号", "单位", "编码", "二级指标", "扣分情况", "扣分", "存在问题", "整改要求", "整改时限",
    "整改状态", "责任部门／责任人", "整改措施及完成情况", "完成时间", "佐证材料", "复查意见",
    "销号时间", "备注", "依据",
]  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "d.db"
    result = invoke(CliRunner(), ["demo", "--db", str(db), "--out", str(folder / "lead.xlsx")])
    assert result.exit_code == 0, result.output
    return db


def entries(db: Path) -> list[dict]:
    result = invoke(CliRunner(), ["ledger", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["entries"]


def test_the_full_ledger_has_every_entry_and_every_field(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "full.xlsx"
    result = invoke(CliRunner(), ["export", "--ledger", "--out", str(out), "--db", str(demo)])
    assert result.exit_code == 0, result.output
    listed = entries(demo)
    assert f"{len(listed)}条问题" in result.output and "13个单位" in result.output
    sheet = load_workbook(out)["整改台账"]
    assert [c.value for c in sheet[3]] == FULL_HEADERS
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    assert set(rows) == {e["number"] for e in listed}
    for entry in listed:
        row = rows[entry["number"]]
        assert row[1] == entry["unit"] and row[2] == entry["code"]
        assert row[9].startswith(entry["status_text"].split("（")[0])
        if entry["responsible"]["person"]:
            assert entry["responsible"]["person"] in row[10]
        for evidence in entry["evidence"]:
            assert evidence["file"] in row[13]
        if entry["recheck"] is not None:
            assert entry["recheck"]["by"] in row[14]  # who re-inspected, in full here
        if entry["closed_on"]:
            assert row[15].date().isoformat() == entry["closed_on"][:10]
        if entry["overdue"]:
            assert "逾期" in row[16]
    assert sheet.auto_filter.ref.startswith("A3:R")
    assert sheet.print_title_rows == "$3:$3"
    setup = sheet.page_setup
    assert int(setup.paperSize) == 8 and setup.orientation == "landscape"  # A3
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 0


def test_an_existing_file_is_kept_without_force(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "full.xlsx"
    out.write_bytes(b"mine")
    args = ["export", "--ledger", "--out", str(out), "--db", str(demo)]
    refused = invoke(CliRunner(), args)
    assert refused.exit_code != 0 and "已存在" in refused.output
    assert out.read_bytes() == b"mine"
    replaced = invoke(CliRunner(), [*args, "--force"])
    assert replaced.exit_code == 0, replaced.output
    assert load_workbook(out).sheetnames == ["整改台账"]


def test_the_default_file_name_and_the_english_ledger(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(CliRunner(), ["export", "--ledger", "--db", str(demo)], lang="en")
    assert result.exit_code == 0, result.output
    (made,) = (tmp_path / "reports").iterdir()
    assert "-ledger-" in made.name and made.suffix == ".xlsx"
    sheet = load_workbook(made)["Ledger"]
    headers = [c.value for c in sheet[3]]
    assert headers[:2] == ["Problem no.", "Unit"] and "Evidence" in headers


def test_ledger_is_not_combined_with_other_exports(demo: Path) -> None:
    for more in (["--unit", "王益区"], ["--notice"], ["--all-units", "x"]):
        result = invoke(CliRunner(), ["export", "--ledger", *more, "--db", str(demo)])
        assert result.exit_code != 0 and "--ledger" in result.output


def test_the_help_names_the_ledger() -> None:
    result = invoke(CliRunner(), ["export", "--help"])
    assert result.exit_code == 0
    assert "--ledger" in result.output and "完整的整改台账" in result.output


def test_a_round_without_problems_says_so(tmp_path: Path) -> None:
    from tests.ledger_support import small_round

    db = small_round(tmp_path)  # units, nobody scored yet
    out = tmp_path / "empty.xlsx"
    result = invoke(CliRunner(), ["export", "--ledger", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "0条问题" in result.output
    sheet = load_workbook(out)["整改台账"]
    assert [r[0] for r in sheet.iter_rows(min_row=4, values_only=True)] == ["本轮尚无问题。"]
