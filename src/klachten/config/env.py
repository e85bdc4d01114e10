"""Small readers for settings from the environment."""

from __future__ import annotations

import os

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def env_bool(name: str, *, default: bool) -> bool:
    """``DEBUG=true`` and friends; anything unrecognised is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    # Settings load before any translation catalogue: the one line is Dutch itself.
    raise ValueError(f"{name} moet true of false zijn, niet {raw!r}")


def env_list(name: str, *, default: list[str]) -> list[str]:
    """A comma-separated list, e.g. ``ALLOWED_HOSTS=klachten.kerngroep.nl,localhost``."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
