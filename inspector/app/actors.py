"""Who acts: the name the audit log records for every change.

The name obeys the name rule (``text_rules``, kind "person") wherever it comes from, so that
no escape sequence or invisible character reaches the audit log and, through it, a terminal:
``--inspector``, INSPECTOR_USER, an answers file's ``inspector:`` and the operating-system
user are each checked, and a refusal names where the name came from.
"""

from __future__ import annotations

import getpass
import os

from inspector.errors import Location
from inspector.text_rules import clean_name

USER_ENV = "INSPECTOR_USER"
OPTION = "--inspector"


def default_user() -> str:
    """INSPECTOR_USER, else the operating-system user."""
    name = os.environ.get(USER_ENV)
    if name:
        return clean_name(name, "person", Location(USER_ENV))
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
