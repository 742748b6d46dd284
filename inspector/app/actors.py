"""Who acts: the name the audit log records for every change.

The name obeys the name rule (``text_rules``, kind "person") wherever it comes from, so that
no escape sequence or invisible character reaches the audit log and, through it, a terminal:
``--inspector``, INSPECTOR_USER, an answers file's ``inspector:``, the name set with
``inspector config set inspector NAME`` (a per-user file, ``config_path``) and the
operating-system user are each checked, and a refusal names where the name came from.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from inspector.errors import InspectorError, Location
from inspector.text_rules import clean_name

USER_ENV = "INSPECTOR_USER"
OPTION = "--inspector"
CONFIG_ENV = "INSPECTOR_CONFIG"
CONFIG_KEYS = ("inspector",)


def config_path() -> Path:
    """The per-user settings file: INSPECTOR_CONFIG, else config.json in the user's
    configuration folder ($XDG_CONFIG_HOME/inspector, ~/.config/inspector, %APPDATA%)."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        return Path(named)
    base = os.environ.get("XDG_CONFIG_HOME") or os.environ.get("APPDATA")
    root = Path(base) if base else Path.home() / ".config"
    return root / "inspector" / "config.json"


def read_config() -> dict[str, str]:
    """The per-user settings (empty when there is no file). A damaged file is refused with
    its path, never silently replaced."""
    path = config_path()
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InspectorError("team.config_bad", path=path, detail=str(exc)) from None
    if not isinstance(data, dict):
        raise InspectorError("team.config_bad", path=path, detail="{}")
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def set_config(key: str, value: str) -> str:
    """Store one setting (checked: the inspector's name by the name rule); returns the value
    as stored. The file is replaced atomically."""
    from inspector.io.fileio import atomic_path

    if key not in CONFIG_KEYS:
        from difflib import get_close_matches

        close = get_close_matches(key, CONFIG_KEYS, n=1) or list(CONFIG_KEYS)
        raise InspectorError("team.config_key", key=key, known="、".join(close))
    value = clean_name(value, "person", Location("config"))
    data = read_config()
    data[key] = value
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return value


def configured_user() -> str | None:
    """INSPECTOR_USER, else the name set with ``config set inspector`` (None: neither)."""
    name = os.environ.get(USER_ENV)
    if name:
        return clean_name(name, "person", Location(USER_ENV))
    named = read_config().get("inspector")
    if named:
        return clean_name(named, "person", Location(str(config_path())))
    return None


def default_user() -> str:
    """INSPECTOR_USER, else the configured name, else the operating-system user."""
    named = configured_user()
    if named:
        return named
    try:
        user = getpass.getuser()
    except Exception:  # getpass raises various errors where no user is known
        return "unknown"
    return clean_name(user, "person", Location("USER"))


def acting(named: str | None = None, *fallbacks: str | None) -> str:
    """The first name given (``--inspector``, then e.g. an answers file's ``inspector:``,
    already checked where it was read), else the default user."""
    if named:
        return clean_name(named, "person", Location(OPTION))
    for name in fallbacks:
        if name:
            return clean_name(name, "person")
    return default_user()
