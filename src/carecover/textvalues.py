"""Typed values from text, written once in Ibis: the dates and numbers every reader parses.

A file's text is read by the engine (``Engine.read_text``: every field a
string) and typed here, so DuckDB and Spark read a value the same way: an
engine's own cast takes more than a file may hold (DuckDB reads ``1_000``,
``+-8`` and ``2024-4-1``; Spark reads ``1d`` and ``0x1p3``). The MDS record
rules and the PBJ public files' reader both use these.

- A **date** is exactly ``YYYYMMDD`` or ``YYYY-MM-DD`` in ASCII digits and a
  real calendar day of year 1 or later. The shape is matched first and year
  0 refused, so an engine's date cast only ever sees ``YYYY-MM-DD`` of a
  year after 0, where DuckDB and Spark agree (alone, they differ on
  ``2024041``, ``2024-4-1`` and year 0). ``date_of_parts`` tells the same
  by integer arithmetic on the digits, for rules that also need the parts
  (the MDS record rules).
- A **number** is decimal, optionally signed, with an optional point and
  exponent (``8``, ``8.``, ``.5``, ``+3``, ``1e2``), or NaN or infinity
  spelled ``nan``, ``inf``, ``infinity`` in any case, optionally signed
  (rules then refuse those as implausible), after ASCII whitespace is
  trimmed. Anything else is NULL.

Why a number is first matched as written: trimming every value (a set of
whitespace characters) was most of a national file's reading time on DuckDB
(about 1 s per 10 M values, against 0.3 s for the match and the cast), and
nearly no value has whitespace about it. Only a value that does not match
as written is trimmed and matched again: ``CASE`` evaluates a branch only
for the rows that reach it, on both engines.
"""

from __future__ import annotations

from typing import Any

__all__ = ["date_digits", "date_of_parts", "date_parts", "number", "parse_date"]

_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_NOT_FINITE = r"(?i)^[+-]?(?:nan|inf|infinity)$"


def number(text: Any) -> Any:
    """The float64 ``text`` spells (the module docstring's numbers), else NULL."""
    import ibis

    # Nearly every field is a number with no space about it: matched as it is.
    # Trimming first (a character set) cost more than the match and the cast.
    plain = text.re_search(_NUMBER)
    bare = text.strip()
    spelled = bare.re_search(_NUMBER) | bare.re_search(_NOT_FINITE)
    # The shape first: an engine's cast alone takes more (Spark: 1d, 1f; DuckDB: 1_000).
    checked = ibis.ifelse(spelled, bare.try_cast("float64"), ibis.null("float64"))
    return ibis.ifelse(plain, text.try_cast("float64"), checked)


def parse_date(text: Any) -> tuple[Any, Any]:
    """(date, ISO text) of ``text`` when it is a real ``YYYYMMDD``/``YYYY-MM-DD`` day, else NULL."""
    import ibis

    digits = date_digits(text)
    iso = digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2)
    # Given only ``YYYY-MM-DD`` of a year after 0, the engines' casts agree (a
    # day that is none is NULL); the cast is cheaper than ``date_of_parts``.
    day = ibis.ifelse(digits.left(4) != "0000", iso.try_cast("date"), ibis.null("date"))
    return day, ibis.ifelse(day.notnull(), iso, ibis.null("string"))


def date_digits(text: Any) -> Any:
    """The eight digits of a date's text in either layout, NULL for any other text."""
    import ibis

    return ibis.cases(
        (text.re_search(r"^[0-9]{8}$"), text),
        (text.re_search(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), text.replace("-", "")),
        else_=ibis.null("string"),
    )


def date_parts(digits: Any) -> tuple[Any, Any, Any]:
    """Year, month and day of eight digits, as integers."""
    return (
        digits.substr(0, 4).cast("int64"),
        digits.substr(4, 2).cast("int64"),
        digits.substr(6, 2).cast("int64"),
    )


def date_of_parts(digits: Any, year: Any, month: Any, day: Any) -> tuple[Any, Any]:
    """(date, ISO text) of a date's digits and parts when they are a real day, else NULL."""
    import ibis

    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    length = ibis.cases(
        (month == 2, ibis.ifelse(leap, 29, 28)),
        (month.isin([4, 6, 9, 11]), 30),
        else_=31,
    )
    real = digits.notnull() & (year >= 1) & month.between(1, 12) & day.between(1, length)
    real = real.fill_null(False)
    # make_date only ever sees a real day: an engine may raise on any other.
    made = ibis.date(
        ibis.ifelse(real, year, 2000), ibis.ifelse(real, month, 1), ibis.ifelse(real, day, 1)
    )
    iso = digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2)
    return ibis.ifelse(real, made, ibis.null("date")), ibis.ifelse(real, iso, ibis.null("string"))
