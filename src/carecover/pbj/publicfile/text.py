"""A daily public file's text read into the loader rules' typed ``Row``, written once in Ibis.

DuckDB's typed scan (``scan.scan_view``) parses a file while reading it;
an engine that reads the file's text (``Engine.read_text``, every field a
string) parses it here instead, with Ibis string expressions, so the same
rules (``rules``) check it on any engine. ``text_columns`` names what to
read by position, ``read`` types it, ``values`` gives the store's columns.

What is read, matched to the DuckDB scan (differences are listed in
docs/pbj-measures.md, "On Spark"):

- PROVNUM, CY_Qtr, WorkDate: spaces trimmed at both ends (DuckDB's
  ``trim``), NULL when nothing is left. Where header drift gives a column
  two positions (2017Q2's two DON columns) the first non-blank value wins,
  as the scan's ``coalesce``.
- CY_Qtr: normalised by ``rules.quarter_of``.
- WorkDate: exactly ``YYYYMMDD`` or ``YYYY-MM-DD`` with ASCII digits and a
  real calendar day, by integer arithmetic on the digits
  (``textvalues.parse_date``); DuckDB's ``strptime`` also takes
  ``2024-4-1`` and ``2024041``, and year 0000 as 1 BC.
- MDScensus and each hours column: ASCII whitespace trimmed (DuckDB's
  DOUBLE parser skips it), then a decimal number, optionally signed, with an
  optional point and exponent (``8``, ``8.``, ``.5``, ``+3``, ``1e2``), or
  NaN or infinity spelled ``nan``, ``inf``, ``infinity`` in any case,
  optionally signed (the rules then refuse them as implausible). DuckDB also
  reads ``1_000`` (1000) and ``+-8`` (-8): here they are "not a number".
  A blank field is NULL, and the text (``Row.text``) is kept so that the
  ``parse`` rules name a value that is not a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carecover.pbj.columns import Header, hour_columns
from carecover.pbj.publicfile.rules import Row, quarter_of
from carecover.textvalues import number, parse_date

__all__ = ["read", "text_columns", "typed_columns", "values"]

_SPACES = r"^ +| +$"
_KEYS = ("provnum", "cy_qtr", "workdate", "mdscensus")


def typed_columns(header: Header) -> tuple[str, ...]:
    """The columns of ``header``'s kind that ``read`` types: the keys, then the hours."""
    return (*_KEYS, *hour_columns(header.kind))


def text_columns(header: Header) -> dict[str, int]:
    """Name -> position of every field ``read`` reads (``Engine.read_text``'s ``columns``).

    A column at several positions is read from each: ``hrs_rndon``, then
    ``hrs_rndon__1``...
    """
    picked: dict[str, int] = {}
    for column in typed_columns(header):
        for n, at in enumerate(header.sources.get(column, ())):
            picked[column if n == 0 else f"{column}__{n}"] = at
    return picked


def _trimmed(text: Any) -> Any:
    """``text`` without spaces at its ends, NULL when blank (DuckDB's ``nullif(trim(x), '')``)."""
    import ibis

    # Only a value with a space at an end is rewritten: most are not.
    padded = text.startswith(" ") | text.endswith(" ")
    trimmed = ibis.ifelse(padded, text.re_replace(_SPACES, ""), text)
    return trimmed.nullif("")


def _text(table: Any, header: Header, column: str) -> Any:
    """A column's text: the first non-blank of its positions; NULL when the file lacks it."""
    import ibis

    positions = header.sources.get(column, ())
    if not positions:
        return ibis.null("string")
    names = [column if n == 0 else f"{column}__{n}" for n in range(len(positions))]
    texts = [_trimmed(table[name]) for name in names]
    return texts[0] if len(texts) == 1 else ibis.coalesce(*texts)


def read(table: Any, header: Header) -> tuple[Any, Row]:
    """``table`` (``text_columns`` as read) with each column's text and value, and their ``Row``.

    Replaces the fields read by ``text_<column>`` and adds ``value_<column>``
    (``value_provnum`` is the trimmed CCN); other columns (an order) are
    kept. The ``Row`` reads them; the rules and ``values`` use it. Each value
    is its own column: inline, an engine would parse a field once per rule
    that reads it.
    """
    hours = hour_columns(header.kind)
    read_from = text_columns(header)
    # The fields as read are dropped once trimmed: Spark splits its generated
    # code per step only while a step's columns are few (its methods take at
    # most 255 parameters), and a method outgrowing 64 KB is not compiled.
    t = table.select(
        *(c for c in table.columns if c not in read_from),
        **{f"text_{column}": _text(table, header, column) for column in typed_columns(header)},
    )
    day, _ = parse_date(t.text_workdate)
    t = t.mutate(
        value_provnum=t.text_provnum,
        value_quarter=quarter_of(t.text_cy_qtr),
        value_workdate=day,
        value_mdscensus=number(t.text_mdscensus),
        **{f"value_{column}": number(t[f"text_{column}"]) for column in hours},
    )
    row = Row(
        provnum=t.value_provnum,
        quarter=t.value_quarter,
        day=t.value_workdate,
        census=t.value_mdscensus,
        hours={column: t[f"value_{column}"] for column in hours},
        text={column: t[f"text_{column}"] for column in (*_KEYS[1:], *hours)},
    )
    return t, row


def values(row: Row) -> Mapping[str, Any]:
    """The store's typed columns of a good row: provnum, quarter, workdate, mdscensus, hours.

    ``mdscensus`` is an int32, as the store and DuckDB's scan hold it: the
    rules have refused a census that is not whole or too large.
    """
    return {
        "provnum": row.provnum,
        "quarter": row.quarter,
        "workdate": row.day,
        "mdscensus": row.census.cast("int32"),
        **row.hours,
    }
