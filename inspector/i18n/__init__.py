"""Message catalogs. Simplified Chinese is the default language, English the second.

Catalog modules are named ``<lang>_<area>.py`` and each holds ``MESSAGES: dict[str, str]``.
Every area exists in both languages with identical keys (tests/test_i18n.py keeps them so).
Messages use ``str.format`` fields: ``t("unit.unknown", name="市财政局")``.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
ENV_VAR = "INSPECTOR_LANG"

_current: str | None = None
_catalogs: dict[str, dict[str, str]] = {}
_added: dict[str, dict[str, dict[str, str]]] = {}  # name -> lang -> messages


def normalise_language(value: str | None) -> str | None:
    """Map ``zh_CN.UTF-8``, ``EN``, ``en-US`` and the like to a supported language, else None."""
    if not value:
        return None
    head = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return head if head in LANGUAGES else None


def set_language(lang: str | None) -> str:
    global _current
    _current = normalise_language(lang) or DEFAULT_LANGUAGE
    return _current


def get_language() -> str:
    if _current is None:
        return normalise_language(os.environ.get(ENV_VAR)) or DEFAULT_LANGUAGE
    return _current


def area_modules(lang: str) -> list[str]:
    prefix = f"{lang}_"
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith(prefix))


def catalog(lang: str) -> dict[str, str]:
    if lang not in _catalogs:
        merged: dict[str, str] = {}
        for name in area_modules(lang):
            module = importlib.import_module(f"{__name__}.{name}")
            merged.update(module.MESSAGES)
        for added in _added.values():
            merged.update(added.get(lang, {}))
        _catalogs[lang] = merged
    return _catalogs[lang]


def add_messages(name: str, messages: dict[str, dict[str, str]]) -> None:
    """Messages that live outside the package (a scoring form registered by a plugin or a
    test), by language, under ``name``; ``remove_messages(name)`` takes them out again."""
    _added[name] = {lang: dict(texts) for lang, texts in messages.items()}
    _catalogs.clear()


def remove_messages(name: str) -> None:
    _added.pop(name, None)
    _catalogs.clear()


def t(key: str, /, **params: Any) -> str:
    """Translate ``key`` into the current language. A missing key shows itself, never crashes."""
    text = catalog(get_language()).get(key)
    if text is None:
        text = catalog(DEFAULT_LANGUAGE).get(key, key)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def tl(lang: str, key: str, /, **params: Any) -> str:
    """Translate into an explicit language (reports are written in the language asked for)."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**params) if params else text
