"""Parsing of option values shared by every command (usage errors exit 2)."""

from __future__ import annotations

from datetime import date

import typer


def parse_date(value: str, option: str) -> date:
    """Parse an ISO date given on the command line, or fail as a usage error."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date like 2026-11-23", param_hint=option
        ) from None


def optional_date(value: str | None, option: str) -> date | None:
    """Like ``parse_date`` but ``None`` stays ``None``."""
    return None if value is None else parse_date(value, option)
