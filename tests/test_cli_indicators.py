"""``inspector indicators …``, ``--version``, help texts and start-up cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from inspector import __version__
from inspector.ui.cli.app import build_app
from tests.conftest import SETS
from tests.helpers import invoke


def all_command_paths() -> list[list[str]]:
    root = typer.main.get_command(build_app("zh"))
    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_command_has_help(runner: CliRunner, lang: str) -> None:
    root = typer.main.get_command(build_app(lang))
    for path in all_command_paths():
        result = invoke(runner, [*path, "--help"], lang=lang)
        assert result.exit_code == 0, path
        assert "Usage" in result.output
        command = root
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert command.help or command.short_help, f"no help for {path}"


def test_help_is_translated(runner: CliRunner) -> None:
    zh = invoke(runner, ["indicators", "--help"], lang="zh").output
    en = invoke(runner, ["indicators", "--help"], lang="en").output
    assert "指标体系" in zh and "命令" in zh
    assert "Indicator sets" in en and "Commands" in en


def test_version(runner: CliRunner) -> None:
    result = invoke(runner, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_validate_valid_and_invalid(runner: CliRunner) -> None:
    ok = invoke(runner, ["indicators", "validate", str(SETS / "small.yaml")])
    assert ok.exit_code == 0
    assert "有效" in ok.output
    bad_path = SETS / "broken" / "category_sum.yaml"
    bad = invoke(runner, ["indicators", "validate", str(SETS / "small.yaml"), str(bad_path)])
    assert bad.exit_code == 1
    assert f"{bad_path}:56:13: " in bad.output
    assert "Traceback" not in bad.output


def test_validate_in_english(runner: CliRunner) -> None:
    bad = invoke(
        runner, ["indicators", "validate", str(SETS / "broken" / "unknown_key.yaml")], lang="en"
    )
    assert bad.exit_code == 1
    assert "unknown key 'pionts'" in bad.output


def test_validate_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, ["indicators", "validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "文件不存在" in result.output


def test_show_default_in_both_languages(runner: CliRunner) -> None:
    zh = invoke(runner, ["indicators", "show"])
    assert zh.exit_code == 0
    assert "组织领导与责任落实" in zh.output and "一票否决" in zh.output
    en = invoke(runner, ["indicators", "show"], lang="en")
    assert en.exit_code == 0
    assert "Veto" in en.output and "Grades" in en.output


def test_show_escapes_markup(runner: CliRunner, tmp_path: Path) -> None:
    text = (SETS / "small.yaml").read_text(encoding="utf-8")
    path = tmp_path / "markup.yaml"
    path.write_text(
        text.replace("name: 研究部署", "name: '[bold red]研究部署[/]'"), encoding="utf-8"
    )
    result = invoke(runner, ["indicators", "show", str(path)])
    assert result.exit_code == 0
    assert "[bold red]研究部署[/]" in result.output


def test_show_json_contract(runner: CliRunner) -> None:
    result = invoke(runner, ["indicators", "show", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert len(data["hash"]) == 64
    assert len(data["categories"]) == 5
    assert sum(c["points"] for c in data["categories"]) == data["total"] == 100
    items = {i["code"]: i for c in data["categories"] for i in c["items"]}
    assert len(items) == 30
    for item in items.values():
        assert {"code", "name", "points", "applies_to", "scoring"} <= set(item)
        assert set(item["applies_to"]) == {"groups", "tags", "any", "except"}
    rule = items["3.4"]["rules"][0]
    assert rule == {**rule, "id": "r1", "points": 0.5, "per_occurrence": True}
    assert [lv["name"] for lv in items["4.4"]["levels"]][1] == "仅开展桌面推演"
    assert items["2.2"]["range"] == {"min": 0, "max": 3, "step": 0.5}
    assert items["3.3"]["applies_to"]["tags"] == ["关基"]
    for key in ("veto", "aggravated", "bonus", "grades"):
        assert data[key]


def test_schema_is_json_schema(runner: CliRunner) -> None:
    result = invoke(runner, ["indicators", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "categories" in schema["properties"]
    assert schema["properties"]["total"]["description"]
    assert schema["additionalProperties"] is False


def _modules_after(args: list[str], cwd: Path | None = None) -> set[str]:
    code = (
        "import sys\n"
        "from inspector.ui.cli import main\n"
        f"sys.argv = ['inspector', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\nMODULES', ' '.join(sorted(sys.modules)))\n"
    )
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd, env=env
    )
    return set(done.stdout.rsplit("MODULES", 1)[1].split())


# what only the commands that need it may load: the workbook libraries, the YAML parser, the
# indicator models and the engine
HEAVY = ("openpyxl", "xlsxwriter", "yaml", "inspector.core.scoring", "inspector.core.indicators")


def _heavy(loaded: set[str], also: tuple[str, ...] = ()) -> list[str]:
    names = HEAVY + also
    return sorted(m for m in loaded for heavy in names if m == heavy or m.startswith(heavy + "."))


def test_help_and_validate_do_not_import_openpyxl() -> None:
    assert "openpyxl" not in _modules_after(["indicators", "validate", str(SETS / "small.yaml")])


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_build_no_models(args: list[str]) -> None:
    """Help and version need Typer and the catalogs: not pydantic, the models, the engine or
    the workbook libraries (Typer's own help renderer loads Rich)."""
    assert _heavy(_modules_after(args), ("pydantic",)) == []


def test_command_help_builds_no_models() -> None:
    # (Typer ≥ 0.29 itself imports pydantic to validate option values of any command)
    assert _heavy(_modules_after(["status", "--help"])) == []


def test_status_json_reads_stored_results_without_the_engine(tmp_path: Path) -> None:
    from inspector.app.status import round_status
    from tests.workspace_helpers import make_workspace

    with make_workspace(tmp_path / "inspector.db") as ws:
        round_status(ws, None)  # the results and the round's facts are stored
    loaded = _modules_after(["status", "--json"], cwd=tmp_path)
    assert "inspector.app.status" in loaded  # it did run
    assert _heavy(loaded) == []


def test_validate_lists_warnings_at_their_place(runner: CliRunner) -> None:
    v1 = SETS / "default-v1.yaml"  # the default set before version 2: vetoes without effect…
    result = invoke(runner, ["indicators", "validate", str(v1)])
    assert result.exit_code == 0  # warnings never fail a set
    out = result.output
    assert f"{v1}:1647:5: 提示：否决项“V1”未写 effect" in out
    assert f"{v1}:1701:3: 提示：有加分项但未写 bonus_beyond_cap" in out
    assert f"{v1}:149:16: 提示：指标“1.1”的说明写有规则不同时适用，但规则未写 excludes" in out
    assert "通过校验，另有 8 条提示" in out
    result = invoke(runner, ["indicators", "validate", "indicators/default.yaml"])
    assert result.exit_code == 0 and "提示" not in result.output
    en = invoke(runner, ["indicators", "validate", str(v1)], lang="en")
    assert f"{v1}:1647:5: Note: veto 'V1' has no effect" in en.output


def test_show_json_new_fields(runner: CliRunner) -> None:
    data = json.loads(invoke(runner, ["indicators", "show", "--json"]).output)
    assert data["report_title"] == "网络安全工作责任制督查检查"
    assert data["bonus_beyond_cap"] is True and data["aggravated_cap"] == 20
    assert data["highest"] == 105 and data["grade_order"] == ["优秀", "良好", "合格", "不合格"]
    assert {v["code"]: v["effect"] for v in data["veto"]} == dict.fromkeys(
        ["V1", "V2", "V3", "V4"], "force"
    )
    assert next(a for a in data["aggravated"] if a["code"] == "A4")["grade_cap"] == "良好"
    laws = {law["key"]: law["short"] for law in data["laws"]}
    assert laws["网络安全法"] == "网安法" and laws["关基条例"] == "关基条例"
    items = {i["code"]: i for c in data["categories"] for i in c["items"]}
    assert items["1.7"]["scoring"] == "checks" and items["1.7"]["points"] == 0
    assert [c["id"] for c in items["1.7"]["checks"]] == ["c1", "c2", "c3"]
    rule = next(r for r in items["5.1"]["rules"] if r["id"] == "r3")
    assert rule["range"] == {"min": 0.5, "max": 1, "step": 0.5} and rule["points"] == 1
    rules = {r["id"]: r for r in items["5.4"]["rules"]}
    assert rules["r1"]["excludes"] == ["r2", "r3"] and rules["r3"]["excludes"] == ["r1", "r2", "r4"]
    assert items["5.5"]["citation"] == (
        "实施办法第3条（五）、网安法第36条（二）、关基条例第15条（五）、GB/T 22239 8.1.8.3"
    )
    assert items["3.3"]["applies_to"] == {"groups": [], "tags": ["关基"], "any": [], "except": []}


def test_schema_describes_the_new_fields(runner: CliRunner) -> None:
    schema = json.loads(invoke(runner, ["indicators", "schema"]).output)
    text = json.dumps(schema, ensure_ascii=False)
    for field in ("bonus_beyond_cap", "aggravated_cap", "aggravated_grades", "report_title"):
        assert field in schema["properties"], field
    for field in ('"excludes"', '"except"', '"any"', '"checks"', '"grade_cap"', '"effect"'):
        assert field in text, field
    assert "否决效果" in text and "与本规则不同时适用" in text
