"""Who acts: the name the audit log records for every change."""

from __future__ import annotations

import getpass
import os

USER_ENV = "INSPECTOR_USER"


def default_user() -> str:
    """INSPECTOR_USER, else the operating-system user."""
    name = os.environ.get(USER_ENV)
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # getpass raises various errors where no user is known
        return "unknown"


def acting(named: str | None = None, *fallbacks: str | None) -> str:
    """The first name given (``--inspector``, then e.g. an answers file's ``inspector:``),
    else the default user."""
    for name in (named, *fallbacks):
        if name:
            return name
    return default_user()
