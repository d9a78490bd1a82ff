"""MDS 3.0 code lists (A0310A/B/F, A0800, A1700, A2100) read from data files.

The lists live in ``carecover/data/mds/<item>.csv`` with their effective
date, source and confidence (cms-staffing-methodology.md §4.2); A0800's codes
and A2100's post-v1.18 list are UNCONFIRMED there and marked so in the files.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources

from carecover.errors import ConfigError, NotFoundError

__all__ = ["CODED_ITEMS", "Code", "Event", "code_list", "event_of", "is_valid_code"]

CODED_ITEMS = ("A0310A", "A0310B", "A0310F", "A0800", "A1700", "A2100")


class Event(StrEnum):
    """What an A0310F code does to a stay."""

    ENTRY = "entry"
    DISCHARGE = "discharge"
    DEATH = "death"
    OTHER = "other"


@dataclass(frozen=True)
class Code:
    """One allowed value of one coded MDS item."""

    item: str
    code: str
    meaning: str
    effective_from: date
    source: str
    confidence: str


@cache
def code_list(item: str) -> dict[str, Code]:
    """The allowed codes of ``item`` (e.g. ``"A0310F"``), keyed by code."""
    if item not in CODED_ITEMS:
        raise NotFoundError(f"no code list for MDS item {item}")
    name = f"{item.lower()}.csv"
    try:
        text = resources.files("carecover").joinpath("data", "mds", name).read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the MDS code list {name}: {exc}") from None
    return {
        row["code"]: Code(
            item,
            row["code"],
            row["meaning"],
            date.fromisoformat(row["effective_from"]),
            row["source"],
            row["confidence"],
        )
        for row in csv.DictReader(text.splitlines())
    }


def is_valid_code(item: str, value: str) -> bool:
    """Whether ``value`` is on ``item``'s code list."""
    return value in code_list(item)


@cache
def _events() -> dict[str, Event]:
    text = resources.files("carecover").joinpath("data", "mds", "a0310f.csv").read_text("utf-8")
    return {row["code"]: Event(row["event"]) for row in csv.DictReader(text.splitlines())}


def event_of(a0310f: str) -> Event:
    """What an A0310F code does to a stay (entry, discharge, death or nothing)."""
    try:
        return _events()[a0310f]
    except KeyError:
        raise NotFoundError(f"unknown A0310F code {a0310f!r}") from None
