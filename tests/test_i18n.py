"""The message catalogs: both languages have the same keys, and every key the code uses exists."""

from __future__ import annotations

import importlib
import string

import pytest

from inspector.i18n import area_modules, catalog, normalise_language, set_language, t
from tests.keyscan import used_keys

AREAS = sorted({name.split("_", 1)[1] for name in area_modules("zh")})


@pytest.mark.parametrize("area", AREAS)
def test_both_languages_have_identical_keys(area: str) -> None:
    zh = importlib.import_module(f"inspector.i18n.zh_{area}").MESSAGES
    en = importlib.import_module(f"inspector.i18n.en_{area}").MESSAGES
    assert sorted(zh) == sorted(en)


@pytest.mark.parametrize("area", AREAS)
def test_placeholders_match_between_languages(area: str) -> None:
    zh = importlib.import_module(f"inspector.i18n.zh_{area}").MESSAGES
    en = importlib.import_module(f"inspector.i18n.en_{area}").MESSAGES

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    # where the two languages put the unit word of a per-occurrence rule in different messages
    word_order = {"scorer.card.rule_per", "scorer.card.rule_per_note", "scorer.card.rule_per_cap"}
    mismatched = {key for key in zh if fields(zh[key]) != fields(en[key])} - word_order
    assert not mismatched


def test_no_key_is_defined_in_two_areas() -> None:
    seen: dict[str, str] = {}
    for name in area_modules("zh"):
        for key in importlib.import_module(f"inspector.i18n.{name}").MESSAGES:
            assert key not in seen, f"{key} in {name} and {seen[key]}"
            seen[key] = name


def test_every_key_used_in_the_code_exists() -> None:
    zh = catalog("zh")
    missing = {key: where for key, where in used_keys().items() if key not in zh}
    assert not missing


def test_language_selection() -> None:
    assert normalise_language("zh_CN.UTF-8") == "zh"
    assert normalise_language("en-US") == "en"
    assert normalise_language("fr") is None
    set_language("en")
    assert t("view.col.total") == "Total"
    set_language("zh")
    assert t("view.col.total") == "总分"
    assert t("no.such.key") == "no.such.key"
