"""The portal's settings, read from the environment by small typed helpers.

Every helper raises ``ConfigError`` naming the variable, so a bad deployment
stops at start-up instead of failing on the first request.

========================== =========================================================
variable                   meaning
========================== =========================================================
CARECOVER_SECRET_KEY       required, >= 32 characters: Django's key and the SSN-hash key
CARECOVER_DATABASE_URL     ``sqlite:///path`` (default ``~/.local/share/carecover/
                           portal.sqlite3``) or ``postgres://user:pass@host:port/db``
CARECOVER_DEBUG            ``true``/``false`` (default false); never true in production
CARECOVER_ALLOWED_HOSTS    comma-separated host names (default ``localhost,127.0.0.1``)
CARECOVER_HTTPS            default true: secure cookies, HSTS, redirect to https
CARECOVER_SESSION_MINUTES  inactivity before a session expires (default 30)
CARECOVER_SITE_URL         the portal's address, for links in e-mails
CARECOVER_EMAIL_BACKEND    ``smtp`` (default), ``console`` (the demo) or ``none``
CARECOVER_EMAIL_HOST/PORT  the SMTP server (default localhost:25); ``_USER``,
                           ``_PASSWORD``, ``_TLS``, ``_FROM`` as needed
CARECOVER_REMINDER_MINUTES how often the worker scans for reminders (default 60)
CARECOVER_MCO_PROFILE      a shipped MCO profile's name (``partners``, ``alliance``,
                           ``vaya``) or a profile file's path (default: Partners)
========================== =========================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from carecover.backup.identity import MIN_KEY_BYTES, SECRET_KEY_VARIABLE
from carecover.backup.mco import SHIPPED_PROFILES, resolve_mco_profile
from carecover.backup.mco_export import load_layout
from carecover.errors import ConfigError

__all__ = [
    "DEFAULT_SQLITE_PATH",
    "SQLITE_OPTIONS",
    "database_from_url",
    "env_bool",
    "env_choice",
    "env_int",
    "env_list",
    "env_mco_profile",
    "env_secret",
    "env_str",
]

DEFAULT_SQLITE_PATH = Path.home() / ".local" / "share" / "carecover" / "portal.sqlite3"
#: SQLite as a server's database: gunicorn's workers and threads write at once.
#: WAL lets readers go on while one writer commits; IMMEDIATE takes the write
#: lock when a transaction begins, so two writers queue on ``timeout`` (seconds)
#: instead of one failing "database is locked" when it upgrades a read lock.
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    # synchronous stays FULL: a filed report survives a power cut once answered.
    "init_command": "PRAGMA journal_mode=WAL",
}
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def env_choice(
    name: str, default: str, choices: list[str], environ: Mapping[str, str] | None = None
) -> str:
    """One of ``choices`` (case-insensitive), or ``default`` when unset."""
    value = _env(environ).get(name, default).strip().lower() or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """The variable's value, or ``default`` when unset."""
    return _env(environ).get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """``true/false/yes/no/on/off/1/0``; ConfigError on anything else."""
    raw = _env(environ).get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    """A positive whole number; ConfigError otherwise."""
    raw = _env(environ).get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be more than 0")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list, blanks dropped."""
    raw = _env(environ).get(name)
    if raw is None:
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_secret(environ: Mapping[str, str] | None = None) -> str:
    """``CARECOVER_SECRET_KEY``: required and at least 32 characters."""
    value = _env(environ).get(SECRET_KEY_VARIABLE, "")
    if not value:
        raise ConfigError(f"{SECRET_KEY_VARIABLE} is not set: the portal cannot start without it")
    if len(value.encode("utf-8")) < MIN_KEY_BYTES:
        raise ConfigError(
            f"{SECRET_KEY_VARIABLE} is too short: use at least {MIN_KEY_BYTES} characters"
        )
    return value


def env_mco_profile(environ: Mapping[str, str] | None = None) -> str:
    """``CARECOVER_MCO_PROFILE``: a shipped profile's name or a file, read now so a bad
    value stops the start (``""``: the shipped Partners profile)."""
    value = _env(environ).get("CARECOVER_MCO_PROFILE", "").strip()
    try:
        profile = resolve_mco_profile(value or None)
        if profile.layout is not None:
            load_layout(profile.layout)
    except ConfigError as exc:
        names = ", ".join(SHIPPED_PROFILES)
        raise ConfigError(
            f"CARECOVER_MCO_PROFILE: {exc} (a shipped profile is one of {names})"
        ) from None
    return value


def database_from_url(url: str) -> dict[str, Any]:
    """Django's ``DATABASES['default']`` for a ``sqlite:///`` or ``postgres://`` URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as dj-database-url reads them.
        path = unquote(parts.path)[1:]
        if parts.netloc or not path:
            raise ConfigError(
                f"CARECOVER_DATABASE_URL: a SQLite URL is sqlite:///path, not {url!r}"
            )
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    if parts.scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError("CARECOVER_DATABASE_URL: name the PostgreSQL database (…/dbname)")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError("CARECOVER_DATABASE_URL: the port is not a number") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
        }
    # Never echo the URL: it may hold a password.
    raise ConfigError(
        f"CARECOVER_DATABASE_URL must start with sqlite:/// or postgres://, not {parts.scheme!r}"
    )
