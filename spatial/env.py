"""Strict readers for settings that come from the environment.

Settings are read once at start-up. A value that cannot be understood is not
guessed at: it is recorded and reported by the ``spatial.E001`` system check,
so ``manage.py check`` names the variable instead of the server crashing at
import time with a traceback.
"""

from __future__ import annotations

import os

#: Problems found while reading the environment, reported by ``spatial.checks``.
ENV_PROBLEMS: list[str] = []

_TRUE = {"true", "on"}
_FALSE = {"false", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; only ``true``/``false``/``on``/``off`` are accepted.

    "yes", "1" and friends are rejected on purpose: a typo in a security
    setting such as DJANGO_DEBUG must not silently flip it.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    ENV_PROBLEMS.append(f"{name}={raw!r} is not a boolean; use true or false.")
    return default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        ENV_PROBLEMS.append(f"{name}={raw!r} is not a whole number.")
        return default


def env_list(name: str, default: str) -> list[str]:
    """Comma-separated list; blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
