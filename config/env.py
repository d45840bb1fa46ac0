"""Strict readers for settings taken from the environment.

Each helper either returns a value of the right type or raises ImproperlyConfigured naming the
variable and what was wrong, so a typo in a deployment fails at start-up, not at 3 a.m.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"{name}={raw!r} has an empty entry: separate values with single commas."
        )
    return items


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}.")
    return value


def env_url(name: str, *, schemes: tuple[str, ...]) -> str:
    """A URL whose scheme is one of `schemes`, or "" when the variable is unset or empty."""
    raw = env_str(name)
    if not raw:
        return ""
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(s + '://' for s in schemes)}; got {raw.split('://')[0]!r}."
        )
    return raw


def secret_key_from(name: str, key_file: Path) -> str:
    """The key from the environment, else one generated once and kept in `key_file`."""
    value = env_str(name)
    if value:
        if len(value) < 50 or len(set(value)) < 5:
            raise ImproperlyConfigured(
                f"{name} must be at least 50 characters with at least 5 distinct ones."
            )
        return value
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(64)
    # Write then rename so that two processes starting together never read half a key.
    tmp = key_file.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(value)
    tmp.chmod(0o600)
    try:
        os.link(tmp, key_file)  # atomic: fails if another process got there first
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return key_file.read_text().strip()
