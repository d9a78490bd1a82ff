"""The MDS record rules: one table of (item, predicate, message), written once.

Every rule an MDS record must keep to be counted is a row of ``rules()``:
the item a message names, the predicate that says a record breaks the rule,
and the message, each an Ibis expression over a ``Record``. ``checked``
runs the whole table over the staged records of a file (``staging``: the
DuckDB scan of a plain extract CSV, or the records a Python reader read from
any other CSV, an XML document or a ZIP), so a national file is checked by
the engine in one pass and a single record (``validation.validate_record``)
by the same expressions over a one-row table. There is no other copy.

A record is refused, with every problem named by item, when a date is
impossible, the discharge (A2000) precedes the entry (A1600), a coded item
is off its code list (``codes``), or an item the census needs is missing:
the state, facility ids, A0310F, the target date's source item (A1600 for
entries, A2000 for discharges and deaths, A2300 otherwise, per edit -9017 in
cms-staffing-methodology.md §4.2) and, without a RESIDENT_INTERNAL_ID, the
identity items of the resident key.

Decisions the rules make (and the tests pin):

- values arrive trimmed (the readers strip them); an empty value is missing;
- a date is ``YYYYMMDD`` or ``YYYY-MM-DD`` in ASCII digits, a real calendar
  day of year 1 or later, read by ``textvalues.parse_date`` (the shape is
  matched before any engine's cast, so DuckDB and Spark agree), and a
  target, entry or discharge before 1990-01-01 is refused as a data-entry
  error;
- an unreadable date gets one message, ``impossible date: '2026-02-30' is
  not a date like 20260131 or 2026-01-31``, whatever made it unreadable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from carecover.mds.codes import CODED_ITEMS, Event, code_list, event_of
from carecover.mds.extract import COLUMNS
from carecover.mds.residents import resident_key_of, ssn_of
from carecover.textvalues import parse_date

__all__ = [
    "DATE_ITEMS",
    "EARLIEST",
    "ITEM_SEPARATOR",
    "PROBLEM_SEPARATOR",
    "STAGE",
    "Record",
    "Rule",
    "checked",
    "checked_sql",
    "rules",
    "stage_table",
]

#: The staged records a file's rules run over: ``record`` (its locator,
#: ``line 12`` or an XML member's name), ``position`` (order in the file) and
#: every extract column as text.
STAGE = "mds_stage"
DATE_ITEMS = ("A0900", "A1600", "A2000", "A2300", "TRGT_DT")
#: Dates before this are data-entry errors for a target, entry or discharge.
EARLIEST = date(1990, 1, 1)
#: ``problems`` is every broken rule as ``item<ITEM_SEPARATOR>message``,
#: joined by ``PROBLEM_SEPARATOR`` (control characters no message holds).
ITEM_SEPARATOR = "\x1f"
PROBLEM_SEPARATOR = "\x1e"
_MISSING = "missing (the census needs it)"
# The assessment's columns (``validation.Assessment``), in order.
_OUTPUTS = (
    "state",
    "facility_internal_id",
    "ccn",
    "resident_key",
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "ssn_present",
    "a0310a",
    "a0310b",
    "a0310f",
    "entry_date",
    "entry_type",
    "discharge_date",
    "discharge_status",
    "ard",
    "target_date",
    "nursing_group",
)


@dataclass(frozen=True)
class Record:
    """A staged record as rules read it."""

    text: Mapping[str, Any]  # item -> its text, '' when missing
    parsed: Mapping[str, Any]  # date item -> its date when the text is one (any year)
    iso: Mapping[str, Any]  # date item -> the parsed date as YYYY-MM-DD text
    dates: Mapping[str, Any]  # date item -> the date the record uses (floor applied)
    a0310f_valid: Any  # A0310F is on its code list
    source_item: Any  # the target date's source item: A1600, A2000 or A2300
    target: Any  # TRGT_DT, else the source item's date
    target_iso: Any


@dataclass(frozen=True)
class Rule:
    """One record rule: a record ``breaks`` it when the predicate is true."""

    item: str
    breaks: Callable[[Record], Any]
    message: Callable[[Record], Any]


def stage_table() -> Any:
    """The unbound Ibis table of staged records (``STAGE``)."""
    import ibis

    return ibis.table(
        {"record": "string", "position": "int64", **dict.fromkeys(COLUMNS, "string")},
        name=STAGE,
    )


def _record(table: Any) -> tuple[Any, Record]:
    """``table`` with the rules' intermediate columns, and the ``Record`` reading them.

    Each step is its own projection, so a later one names a column rather
    than repeating its expression (inlined, the SQL was 4 MB).
    """
    import ibis

    t = table.mutate(**{c: table[c].fill_null("") for c in COLUMNS})
    step: dict[str, Any] = {}
    for item in DATE_ITEMS:
        step[f"_parsed_{item}"], step[f"_iso_{item}"] = parse_date(t[item])
    t = t.mutate(**step)
    codes = list(code_list("A0310F"))
    entry = [c for c in codes if event_of(c) is Event.ENTRY]
    out = [c for c in codes if event_of(c) in (Event.DISCHARGE, Event.DEATH)]
    step = {
        "_source_item": ibis.cases(
            (t.A0310F.isin(entry), "A1600"), (t.A0310F.isin(out), "A2000"), else_="A2300"
        ),
        "_a0310f_valid": t.A0310F.isin(codes),
    }
    for item in DATE_ITEMS:
        parsed = t[f"_parsed_{item}"]
        too_early = ((item != "A0900") & (parsed < EARLIEST)).fill_null(False)
        step[f"_date_{item}"] = ibis.ifelse(too_early, ibis.null("date"), parsed)
        step[f"_used_iso_{item}"] = ibis.ifelse(too_early, ibis.null("string"), t[f"_iso_{item}"])
    t = t.mutate(**step)

    def from_source(prefix: str, kind: str) -> Any:
        picked = ibis.cases(
            *((t._source_item == s, t[f"{prefix}{s}"]) for s in ("A1600", "A2000")),
            else_=t[f"{prefix}A2300"],
        )
        return ibis.ifelse(t._a0310f_valid, picked, ibis.null(kind))

    t = t.mutate(
        _target=t._date_TRGT_DT.coalesce(from_source("_date_", "date")),
        _target_iso=t._used_iso_TRGT_DT.coalesce(from_source("_used_iso_", "string")),
    )
    return t, _bound(t)


def _bound(t: Any) -> Record:
    """The ``Record`` over the intermediate columns of ``t`` (``_record``)."""
    return Record(
        text={c: t[c] for c in COLUMNS},
        parsed={i: t[f"_parsed_{i}"] for i in DATE_ITEMS},
        iso={i: t[f"_iso_{i}"] for i in DATE_ITEMS},
        dates={i: t[f"_date_{i}"] for i in DATE_ITEMS},
        a0310f_valid=t._a0310f_valid,
        source_item=t._source_item,
        target=t._target,
        target_iso=t._target_iso,
    )


def _quoted(value: Any) -> Any:
    return "'" + value + "'"


def _required(item: str, *, identity: bool = False) -> Rule:
    def breaks(r: Record) -> Any:
        empty = r.text[item] == ""
        return (r.text["RESIDENT_INTERNAL_ID"] == "") & empty if identity else empty

    return Rule(item, breaks, lambda r: _literal(_MISSING))


def _literal(text: str) -> Any:
    import ibis

    return ibis.literal(text)


def _coded(item: str) -> Rule:
    codes = list(code_list(item))
    return Rule(
        item,
        lambda r: (r.text[item] != "") & ~r.text[item].isin(codes),
        lambda r: "unknown code " + _quoted(r.text[item]),
    )


def _date_rules(item: str) -> list[Rule]:
    found = [
        Rule(
            item,
            lambda r: (r.text[item] != "") & r.parsed[item].isnull(),
            lambda r: (
                "impossible date: "
                + _quoted(r.text[item])
                + " is not a date like 20260131 or 2026-01-31"
            ),
        )
    ]
    if item != "A0900":
        found.append(
            Rule(
                item,
                lambda r: r.parsed[item] < EARLIEST,
                lambda r: "impossible date " + r.iso[item] + f" (before {EARLIEST})",
            )
        )
    return found


def _source_missing(item: str) -> Rule:
    # The source item's text is empty: an unreadable or too-early date has its own message.
    return Rule(
        item,
        lambda r: r.a0310f_valid & (r.source_item == item) & (r.text[item] == ""),
        lambda r: "missing (the target date of an A0310F=" + r.text["A0310F"] + " record)",
    )


@cache
def _numbered() -> tuple[tuple[int, Rule], ...]:
    return tuple(enumerate(rules()))


@cache
def rules() -> tuple[Rule, ...]:
    """Every record rule, in the order a refused record's problems list them."""
    table = [_required(i) for i in ("STATE_CD", "FAC_ID", "A0100B", "A0310F")]
    table += [_required(i, identity=True) for i in ("A0500A", "A0500C", "A0900", "A0800")]
    table += [_coded(i) for i in CODED_ITEMS]
    for item in DATE_ITEMS:
        table += _date_rules(item)
    table += [_source_missing(i) for i in ("A1600", "A2000", "A2300")]
    table.append(
        Rule(
            "A2000",
            lambda r: r.dates["A2000"] < r.dates["A1600"],
            lambda r: "discharge " + r.iso["A2000"] + " is before entry " + r.iso["A1600"],
        )
    )
    table.append(
        Rule(
            "A0900",
            lambda r: r.dates["A0900"] > r.target,
            lambda r: "birth date " + r.iso["A0900"] + " is after the target " + r.target_iso,
        )
    )
    return tuple(table)


def checked(table: Any) -> Any:
    """``table``'s ``record`` and ``position`` with the assessment's columns and ``problems``.

    ``problems`` is ``''`` for a record every rule accepts, else every broken
    rule (``ITEM_SEPARATOR``/``PROBLEM_SEPARATOR``); a record with no target
    date and no other problem says ``TRGT_DT: missing``. The assessment's
    text columns are ``''`` when missing, its dates NULL.
    """
    import ibis

    t, r = _record(table)
    t = t.mutate(**{f"_broken_{n}": rule.breaks(r).fill_null(False) for n, rule in _numbered()})
    tests = [t[f"_broken_{n}"] for n, _ in _numbered()]
    r = _bound(t)
    bad = tests[0]
    for test in tests[1:]:
        bad = bad | test
    messages = [
        ibis.ifelse(test, f"{rule.item}{ITEM_SEPARATOR}" + rule.message(r), ibis.null("string"))
        for (_, rule), test in zip(_numbered(), tests, strict=True)
    ]
    # Good records skip the message building: CASE evaluates only the branch it takes.
    problems = ibis.cases(
        (bad, ibis.literal(PROBLEM_SEPARATOR).join(messages)),
        (r.target.isnull(), f"TRGT_DT{ITEM_SEPARATOR}missing"),
        else_="",
    )
    t = t.mutate(problems=problems, _ssn=ssn_of(r.text["A0600A"]))
    r = _bound(t)
    ssn = t._ssn
    final = t.mutate(
        state=t["STATE_CD"].upper(),
        facility_internal_id=t["FAC_ID"],
        ccn=t["A0100B"],
        resident_key=resident_key_of(
            state=t["STATE_CD"],
            facility_internal_id=t["FAC_ID"],
            ssn=ssn,
            last_name=t["A0500C"],
            first_name=t["A0500A"],
            birth_date=r.iso["A0900"].fill_null(""),
            gender=t["A0800"],
            resident_internal_id=t["RESIDENT_INTERNAL_ID"],
        ),
        first_name=t["A0500A"],
        last_name=t["A0500C"],
        birth_date=r.dates["A0900"],
        gender=t["A0800"],
        ssn_present=ssn != "",
        a0310a=t["A0310A"],
        a0310b=t["A0310B"],
        a0310f=t["A0310F"],
        entry_date=r.dates["A1600"],
        entry_type=t["A1700"],
        discharge_date=r.dates["A2000"],
        discharge_status=t["A2100"],
        ard=r.dates["A2300"],
        target_date=r.target,
        nursing_group=ibis.ifelse(
            t["PDPM_NURSING_CMG"] != "", t["PDPM_NURSING_CMG"], t["RUG_IV_GROUP"]
        ),
    )
    # Not the staged text: a refused record's is read from the stage (few rows).
    return final.select("record", "position", *_OUTPUTS, "problems")


@cache
def checked_sql() -> str:
    """``checked`` over the staged records as DuckDB SQL, compiled once per code version.

    The SQL is kept on disk (``engines.sqlcache``) under a hash of the MDS
    modules, the neutral value readers and the code lists, so a load need
    not import Ibis.
    """
    from carecover.engines.duckdb import sql_of
    from carecover.engines.sqlcache import PACKAGE, cached_sql, code_key

    files = [
        *(PACKAGE / "mds").glob("*.py"),
        *(PACKAGE / "data" / "mds").glob("*.csv"),
        PACKAGE / "textvalues.py",
        PACKAGE / "engines" / "duckdb.py",
    ]
    return cached_sql("mds-checked", code_key(files), lambda: sql_of(checked(stage_table())))
