"""The Employee Detail rules: one table of (field, predicate, message), written once in Ibis.

Every rule a row of a PBJ Employee Detail file must keep is a row of
``rules()``: the field a message names, the predicate that says a row breaks
the rule and the message, each an Ibis expression over a ``Row``. The reader
(``employee_detail``) counts the rows that break any rule (``broken``) in one
pass over the file, and names the first of them, in file order, with the
message of the first rule it breaks (``first_broken``): the order of the table
is the order the fields are checked in. The values a good row holds are read
from the same text by the same expressions (``values``), so what is checked
is exactly what is loaded.

A ``Row`` holds each field's text, trimmed, and the values read from it.
What is read, deliberately (the rules define the file, not Python's or
DuckDB's parsers, which disagree on much of this):

- Trimming: ASCII whitespace (space, tab, CR, LF, VT, FF) at either end, as
  Ibis's ``strip`` does on every engine. (The row-by-row reader used Python's
  ``str.strip``, which also removes Unicode spaces such as a no-break space; a
  value padded with one is now refused, naming it.) An empty field is ``''``.
- ``provnum``: exactly 6 ASCII letters or digits.
- ``quarter``: the spellings ``Quarter.parse`` accepts, one pattern for both
  (``calendar.QUARTER_SPELLING``: ``2024Q2``, ``CY2024Q2``, ``2024-q2``...,
  ASCII digits only; year 0000 is none); kept as ``2024Q2``.
- ``employee_id``: PBJ's employeeId characters, 1 to 30 of them, starting
  with a letter or digit.
- ``workdate``: exactly ``YYYYMMDD`` or ``YYYY-MM-DD`` with ASCII digits, a
  real calendar date (years 0001-9999), in the row's quarter. (Python's
  ``strptime`` also took ``2024-4-5``, ``2024045`` and a space-padded day, and
  DuckDB's date cast takes ``2024/04/05`` and a time after the date: all
  refused now.)
- ``job_title_code``, ``pay_type_code``: ASCII digits only (``07`` is 7; no
  sign, point or exponent), a code of ``codes.job_titles()`` (1-40) and
  ``codes.pay_types()`` (1-3).
- ``hours``: a decimal number, optionally signed, with an optional point
  (``8``, ``8.``, ``.5``, ``+8``) and exponent (``1e1``), or NaN or infinity
  spelled as Python's ``float`` spells them (``nan``, ``inf``, ``Infinity``,
  any case, optionally signed). Anything else is "not a number of hours":
  Python's ``1_0`` (10) and DuckDB's ``+-8`` (-8) and ``0x10`` among them.
  A number must be finite and 0 to the daily cap in force on the row's date
  (``data/pbj/daily_cap.csv``: 24 hours, PBJ edit -4015, and 22.5 from
  2026-03-22), so NaN, infinities (``1e400`` too) and negative hours are
  refused with the cap's message. ``-0`` is read as 0.

A rule that cannot decide (a NULL predicate) counts as broken: a bug in a
rule refuses a file rather than loading a row unchecked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from carecover.pbj.calendar import QUARTER_SPELLING
from carecover.pbj.codes import EMPLOYEE_ID_CHARACTERS, job_titles, pay_types
from carecover.pbj.timeclock.shifts import daily_caps
from carecover.textvalues import number, parse_date

__all__ = [
    "FIELDS",
    "KEY",
    "Row",
    "Rule",
    "broken",
    "first_broken",
    "first_problem",
    "latest",
    "read",
    "rules",
    "summary",
    "tested",
    "values",
]

#: The fields of a file row, in the order of ``employee_detail.COLUMNS``.
FIELDS = (
    "provnum",
    "quarter",
    "employee_id",
    "workdate",
    "job_title_code",
    "pay_type_code",
    "hours",
)
#: A row's key: the file holds one row per employee, day, job and pay type (``latest``).
KEY = tuple(name for name in FIELDS if name != "hours")
_CCN = r"^[0-9A-Za-z]{6}$"
_PLAIN_QUARTER = r"^[0-9]{4}Q[1-4]$"
_DIGITS = r"^[0-9]+$"
_BLANK_END = r"^[ \t\n\r\x0b\x0c]|[ \t\n\r\x0b\x0c]$"  # what Ibis's strip removes
_SHOWN = 40  # a longer value is shortened in a message (a 10 MB field is not echoed)


@dataclass(frozen=True)
class Row:
    """A file row as the rules read it: each field's trimmed text and the values read from it."""

    text: Mapping[str, Any]  # field -> string, trimmed, '' when empty
    quarter: Any  # string like 2024Q2; NULL when the text is no quarter
    day: Any  # date; NULL when the text is no date
    job_title_code: Any  # int64; NULL when the text is not digits (or too many)
    pay_type_code: Any  # int64; as job_title_code
    hours: Any  # float64; NULL when the text is not a number


@dataclass(frozen=True)
class Rule:
    """One Employee Detail rule: a row ``breaks`` it when the predicate is true."""

    field: str
    breaks: Callable[[Row], Any]
    message: Callable[[Row], Any]


def _trimmed(text: Any) -> Any:
    """``text`` without ASCII whitespace at its ends; ``''`` for NULL."""
    import ibis

    text = text.fill_null("")
    # Only a value with a blank end is trimmed: DuckDB's TRIM of a set of
    # characters costs four times the test, on every value of 100 M rows.
    return ibis.ifelse(text.re_search(_BLANK_END), text.strip(), text)


def _quarter(text: Any) -> Any:
    """The quarter ``text`` spells (``calendar.QUARTER_SPELLING``) as ``2024Q2``, else NULL."""
    import ibis

    year = text.re_extract(QUARTER_SPELLING, 1)
    number = text.re_extract(QUARTER_SPELLING, 2)
    spelled = text.re_search(QUARTER_SPELLING) & (year != "0000")
    other = ibis.ifelse(spelled, year + "Q" + number, ibis.null("string"))
    # 2024Q2 as written, the common case, without the three matches of the full spelling.
    return ibis.ifelse(text.re_search(_PLAIN_QUARTER) & (text.left(4) != "0000"), text, other)


def _day(text: Any) -> Any:
    """The date ``text`` holds as ``YYYYMMDD`` or ``YYYY-MM-DD``, else NULL (``textvalues``)."""
    # The shape first, then a real day of year 1 or later: a cast alone would
    # take 2024-4-5 or a time of day, and some engines read year 0 as 1 BC.
    return parse_date(text)[0]


def _code(text: Any) -> Any:
    import ibis

    return ibis.ifelse(text.re_search(_DIGITS), text.try_cast("int64"), ibis.null("int64"))


def _hours(text: Any) -> Any:
    """The hours ``text`` spells (``textvalues.number``), else NULL."""
    return number(text) + 0.0  # -0 is 0


def read(table: Any) -> tuple[Any, Row]:
    """``table`` (its ``FIELDS`` columns hold a file's text as written) with the values read.

    Returns the table with columns ``text_<field>`` (trimmed) and ``value_<field>``
    added, and the ``Row`` over them; the rules and ``values`` use that table.
    Each value is computed once, in its own column: written inline, an engine
    would parse a field once per rule that reads it.
    """
    t = table.mutate(**{f"text_{name}": _trimmed(table[name]) for name in FIELDS})
    t = t.mutate(
        value_quarter=_quarter(t.text_quarter),
        value_workdate=_day(t.text_workdate),
        value_job_title_code=_code(t.text_job_title_code),
        value_pay_type_code=_code(t.text_pay_type_code),
        value_hours=_hours(t.text_hours),
    )
    row = Row(
        text={name: t[f"text_{name}"] for name in FIELDS},
        quarter=t.value_quarter,
        day=t.value_workdate,
        job_title_code=t.value_job_title_code,
        pay_type_code=t.value_pay_type_code,
        hours=t.value_hours,
    )
    return t, row


def values(row: Row) -> dict[str, Any]:
    """The typed values of a good row, one expression per field (``FIELDS`` order)."""
    return {
        "provnum": row.text["provnum"],
        "quarter": row.quarter,
        "employee_id": row.text["employee_id"],
        "workdate": row.day,
        "job_title_code": row.job_title_code,
        "pay_type_code": row.pay_type_code,
        "hours": row.hours,
    }


def _quoted(text: Any) -> Any:
    """``text`` in single quotes for a message: control characters as ``?``, long text cut."""
    import ibis

    shown = text.re_replace(r"[\x00-\x1f\x7f]", "?")
    return ibis.ifelse(
        text.length() > _SHOWN,
        "'" + shown.left(_SHOWN // 2) + "...' (" + text.length().cast("string") + " characters)",
        "'" + shown + "'",
    )


def _cap(day: Any) -> tuple[Any, Any]:
    """The daily cap in force on ``day`` (``shifts.daily_cap``) and its spelling."""
    import ibis

    caps = daily_caps()
    first, later = caps[0], caps[1:]
    # Latest first: the first cap whose start the day has reached (``shifts.daily_cap``).
    hours = ibis.cases(
        *((day >= c.effective_from, float(c.max_hours)) for c in reversed(later)),
        else_=float(first.max_hours),
    )
    spelled = ibis.cases(
        *((day >= c.effective_from, f"{float(c.max_hours):g}") for c in reversed(later)),
        else_=f"{float(first.max_hours):g}",
    )
    return hours, spelled


def _outside_quarter(row: Row) -> Any:
    year = row.quarter.left(4).cast("int64")
    number = row.quarter.right(1).cast("int64")
    return (row.day.year() != year) | (row.day.quarter() != number)


def _hours_outside(row: Row) -> Any:
    cap, _ = _cap(row.day)
    h = row.hours
    return h.isnan() | h.isinf() | (h < 0) | (h > cap)


def _code_rule(field: str, codes: list[int]) -> Rule:
    def value(row: Row) -> Any:
        return row.job_title_code if field == "job_title_code" else row.pay_type_code

    return Rule(
        field,
        lambda r: value(r).isnull() | ~value(r).isin(codes),
        lambda r: _quoted(r.text[field]) + f" is not a PBJ code ({min(codes)}-{max(codes)})",
    )


@cache
def _employee_id() -> str:
    """An employee id: the XML edits' characters (-4018) and length (CC-11), alphanumeric first.

    The public file's ids are system-generated: one starting with a space or a
    punctuation mark is a damaged value, not an id.
    """
    from carecover.pbj.submission.edits import edit

    limit = int(edit("CC-11").param("max_length"))
    allowed = "".join("\\" + c if c in "-\\]^" else c for c in EMPLOYEE_ID_CHARACTERS)
    return f"^[0-9A-Za-z][{allowed}]{{0,{limit - 1}}}$"


@cache
def rules() -> tuple[Rule, ...]:
    """Every Employee Detail rule, in the order the fields are checked.

    A bad row is reported with the first rule it breaks in this order.
    """
    return (
        Rule(
            "provnum",
            lambda r: ~r.text["provnum"].re_search(_CCN),
            lambda r: _quoted(r.text["provnum"]) + " is not a 6-character CCN",
        ),
        Rule(
            "quarter",
            lambda r: r.quarter.isnull(),
            lambda r: _quoted(r.text["quarter"]) + " is not a quarter like 2024Q2",
        ),
        Rule(
            "employee_id",
            lambda r: ~r.text["employee_id"].re_search(_employee_id()),
            lambda r: _quoted(r.text["employee_id"]) + " is not a PBJ employee id",
        ),
        Rule(
            "workdate",
            lambda r: r.day.isnull(),
            lambda r: _quoted(r.text["workdate"]) + " is not a date like 20240401",
        ),
        Rule(
            "workdate",
            _outside_quarter,
            lambda r: r.day.cast("string") + " is not in " + r.quarter,
        ),
        _code_rule("job_title_code", [t.code for t in job_titles()]),
        _code_rule("pay_type_code", [p.code for p in pay_types()]),
        Rule(
            "hours",
            lambda r: r.hours.isnull(),
            lambda r: _quoted(r.text["hours"]) + " is not a number of hours",
        ),
        Rule(
            "hours",
            _hours_outside,
            lambda r: (
                _quoted(r.text["hours"]) + " hours is not 0 to " + _cap(r.day)[1] + " in a day"
            ),
        ),
    )


def _tests(row: Row) -> list[Any]:
    # NULL (a rule that cannot decide) is broken: see the module docstring.
    return [rule.breaks(row).fill_null(True) for rule in rules()]


def broken(row: Row) -> Any:
    """True when the row breaks any rule."""
    tests = _tests(row)
    test = tests[0]
    for more in tests[1:]:
        test = test | more
    return test


def first_broken(table: Any, row: Row) -> Any:
    """``table`` with ``field`` and ``reason``: the first rule the row breaks (NULL: none)."""
    import ibis

    tests = _tests(row)
    return table.mutate(
        field=ibis.cases(*((t, rule.field) for rule, t in zip(rules(), tests, strict=True))),
        reason=ibis.cases(
            *((t, rule.message(row)) for rule, t in zip(rules(), tests, strict=True))
        ),
    )


def tested(table: Any, row: Row, *keep: str) -> Any:
    """The typed values of ``table``'s rows (``values``), ``keep``'s columns and ``bad``.

    ``table`` and ``row`` as ``read`` gives them; ``bad``: the row breaks a
    rule (``broken``).
    """
    return table.select(*keep, **values(row), bad=broken(row))


def summary(rows: Any) -> Any:
    """The check of a file in one pass: ``bad`` and ``records`` per facility-quarter.

    ``rows`` as ``tested`` gives them. The bad rows are one group with NULL
    keys, so the good rows' facility-quarters come with the count.
    """
    import ibis

    return rows.group_by(
        provnum=ibis.ifelse(rows.bad, ibis.null("string"), rows.provnum),
        quarter=ibis.ifelse(rows.bad, ibis.null("string"), rows.quarter),
    ).aggregate(bad=rows.count(where=rows.bad), records=rows.count())


def first_problem(table: Any, row: Row) -> Any:
    """The first bad row in file order (``table.record``): its ``record``, ``field``, ``reason``."""
    bad = table.filter(broken(row))
    first = first_broken(bad, row).order_by(bad.record).limit(1)
    return first.select("record", "field", "reason")


def latest(rows: Any) -> Any:
    """``rows`` (``values`` and ``seq``, file order) one per ``KEY``: the later row's hours.

    The file's own rule, as the row-by-row reader kept it: an employee, day,
    job and pay type given twice counts once, with the hours given last.
    """
    return rows.group_by(list(KEY)).aggregate(hours=rows.hours.argmax(rows.seq), seq=rows.seq.max())
