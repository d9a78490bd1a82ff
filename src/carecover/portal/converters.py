"""URL path converters shared by the portal's apps.

``<id:...>`` is a row id: at most 18 digits, so it always fits the databases'
64-bit integers. Django's ``<int:...>`` takes any number of digits, and a
number too large for SQLite ends in an ``OverflowError`` (a 500) instead of a
404. ``<ccn:...>`` is a CMS Certification Number: six capitals or digits.
``<period:...>`` is a reporting period's label, ``2026-10-01..2026-10-15``.
Importing this module registers them, once.
"""

from __future__ import annotations

from django.urls import register_converter

__all__ = ["ROW_ID_MAX", "CcnConverter", "PeriodLabelConverter", "RowIdConverter"]

#: The largest row id PostgreSQL's bigint and SQLite's integer hold (API bounds).
ROW_ID_MAX = 2**63 - 1


class RowIdConverter:
    """A positive row id of at most 18 digits."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        """The id as an int."""
        return int(value)

    def to_url(self, value: int) -> str:
        """The id as text."""
        return str(value)


class CcnConverter:
    """A CCN: six capitals or digits, kept as text (leading zeros matter)."""

    regex = "[0-9A-Z]{6}"

    def to_python(self, value: str) -> str:
        """The CCN unchanged."""
        return value

    def to_url(self, value: str) -> str:
        """The CCN unchanged."""
        return value


class PeriodLabelConverter:
    """A reporting period's label: its first and last day, ``YYYY-MM-DD..YYYY-MM-DD``."""

    regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}[.][.][0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        """The label unchanged (the view checks it names a period of the scheme)."""
        return value

    def to_url(self, value: str) -> str:
        """The label unchanged."""
        return value


register_converter(RowIdConverter, "id")
register_converter(PeriodLabelConverter, "period")
register_converter(CcnConverter, "ccn")
