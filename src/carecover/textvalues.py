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
  ``2024041``, ``2024-4-1`` and year 0).
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

__all__ = ["date_digits", "number", "parse_date"]

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
    # day that is none is NULL); the cast is cheaper than integer arithmetic on the digits.
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
