"""Parsing of option values shared by every command (usage errors exit 2)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

__all__ = ["WaitOption", "optional_date", "parse_date", "wait_for_stores"]

WaitOption = Annotated[
    float,
    typer.Option(
        "--wait",
        metavar="SECONDS",
        min=0.0,
        help="Wait up to SECONDS for a store another process is using (default: fail at once).",
    ),
]


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


def wait_for_stores(seconds: float) -> None:
    """Let every store this command opens wait up to ``seconds`` for another process's lock."""
    from carecover.storefile import set_lock_wait

    set_lock_wait(seconds)
