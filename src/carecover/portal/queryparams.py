"""Query parameters: every ``?name=value`` a page reads is parsed here, within bounds.

A value outside its bounds raises ``BadQuery`` (an ``InputError`` naming the
parameter); ``BadQueryMiddleware`` answers it with a 400 page saying which
parameter and why, never a 500. The bounds exist because the databases and
Python's dates have limits of their own: a member number of 23 digits does
not fit SQLite's integer (``OverflowError``), and a roll-up of ``9999-12``
runs past ``date.max`` while laying out its trend.

Forms that read the query string (the report list's and audit log's filters,
the facility page's what-if) use the same bounds through ``RowIdField`` and
``DayField``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.portal.converters import ROW_ID_MAX

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_TEXT",
    "BadQuery",
    "BadQueryMiddleware",
    "DayField",
    "RowIdField",
    "cursor",
    "period",
    "quarter",
    "row_id",
    "text",
]

#: The longest free-text value a query parameter may carry.
MAX_TEXT = 100
#: Dates and periods outside these days are refused: no report, assessment or
#: roll-up falls outside them, and a trend reaching back or forward from them
#: stays inside Python's dates.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_QUARTER = re.compile(r"^([0-9]{4})Q([1-4])$")
_CURSOR = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\.[0-9]{1,18}$")

Query = Mapping[str, str]


class BadQuery(InputError):
    """A query parameter that cannot be used; ``field`` names it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message, field=name)


def text(query: Query, name: str, *, max_length: int = MAX_TEXT) -> str:
    """The parameter's text, stripped ("" when absent); longer than ``max_length`` is refused."""
    value = query.get(name, "").strip()
    if len(value) > max_length:
        raise BadQuery(name, f"at most {max_length} characters")
    if "\x00" in value:
        raise BadQuery(name, "must not contain a NUL character")
    return value


def row_id(query: Query, name: str) -> int | None:
    """A record number (1 to 2**63-1), or None when absent."""
    value = text(query, name, max_length=19)
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= ROW_ID_MAX:
        raise BadQuery(name, "expected a record number")
    return int(value)


def _year(name: str, year: int) -> int:
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise BadQuery(name, f"the year must be from {FIRST_DAY.year} to {LAST_DAY.year}")
    return year


def period(query: Query, name: str, *, quarterly: bool) -> str | None:
    """A month (``2026-10``) or, when ``quarterly``, also a quarter (``2026Q4``); None if absent."""
    value = text(query, name, max_length=10).upper()
    if not value:
        return None
    month = _MONTH.match(value)
    if month and 1 <= int(month.group(2)) <= 12:
        _year(name, int(month.group(1)))
        return value
    quarter = _QUARTER.match(value)
    if quarterly and quarter:
        _year(name, int(quarter.group(1)))
        return value
    expected = (
        "a quarter like 2026Q4 or a month like 2026-10" if quarterly else "a month like 2026-10"
    )
    raise BadQuery(name, f"expected {expected}")


def quarter(query: Query, name: str) -> Quarter | None:
    """A calendar quarter (``2026Q3``, as ``Quarter.parse`` reads it), or None when absent."""
    value = text(query, name, max_length=20)
    if not value:
        return None
    try:
        found = Quarter.parse(value)
    except InputError:
        raise BadQuery(name, "expected a quarter like 2026Q3") from None
    _year(name, found.year)
    return found


def cursor(query: Query, name: str) -> str | None:
    """A keyset cursor (``2026-10-05.123``), or None: a mangled one starts again from the newest."""
    value = query.get(name, "").strip()
    if not _CURSOR.match(value):
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return value if FIRST_DAY <= day <= LAST_DAY else None


class RowIdField(forms.IntegerField):
    """A record number in a form: 1 to 2**63-1, so the database can always compare it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ROW_ID_MAX)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        """Digits only, at most 19 of them (no ``1e400``, no 4,000-digit numbers)."""
        if isinstance(value, str) and len(value.strip()) > 19:
            raise forms.ValidationError("Enter a record number.", code="invalid")
        number: int | None = super().to_python(value)
        return number


class DayField(forms.DateField):
    """A date in a form, from ``FIRST_DAY`` to ``LAST_DAY``."""

    def to_python(self, value: Any) -> date | None:
        """The date, refused outside the bounds."""
        if isinstance(value, str) and len(value) > 40:
            raise forms.ValidationError("Enter a valid date.", code="invalid")
        day: date | None = super().to_python(value)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                f"Enter a date from {FIRST_DAY.year} to {LAST_DAY.year}.", code="invalid"
            )
        return day


class BadQueryMiddleware:
    """Answers ``BadQuery`` with a 400 page naming the parameter: edge input is never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A 400 page for ``BadQuery``; any other exception goes on as before."""
        if not isinstance(exception, BadQuery):
            return None
        context = {"parameter": exception.field, "reason": exception.reason}
        return render(request, "bad_query.html", context, status=400)
