from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspector.i18n import set_language

DATA = Path(__file__).parent / "data"
SETS = DATA / "sets"


@pytest.fixture(autouse=True)
def _chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in the default language, whatever the machine's environment says."""
    monkeypatch.delenv("INSPECTOR_LANG", raising=False)
    monkeypatch.delenv("INSPECTOR_DB", raising=False)
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(autouse=True)
def _own_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test reads and writes its own per-user settings (the inspector's name), never
    the machine user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("INSPECTOR_CONFIG", raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def small_set_path() -> Path:
    return SETS / "small.yaml"
