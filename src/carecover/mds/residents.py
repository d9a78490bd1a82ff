"""The resident key: who an assessment belongs to, without storing an SSN.

CMS links a resident's assessments by the Resident Internal ID, which its
system derives from state, facility internal ID, SSN (A0600A), last and
first name (A0500C/A0500A), birth date (A0900) and gender (A0800)
(cms-staffing-methodology.md §4.3; the exact ordered matching criteria are
UNCONFIRMED). We build the key from the same items after normalisation, and
a ``RESIDENT_INTERNAL_ID`` in the input always wins (with the state, since
CMS's ID is unique only within a state).

The key is a SHA-256 over the normalised items, so the SSN is never stored:
only the key and whether an SSN was present are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Any

__all__ = [
    "PLACEHOLDER_SSNS",
    "Identity",
    "name_key_of",
    "normalise_name",
    "normalise_ssn",
    "resident_key",
    "resident_key_of",
    "ssn_of",
]

# Unicode whitespace as Python's str.isspace() knows it (RE2's \s is ASCII
# only), and the hyphen, apostrophe and dot.
_NAME_NOISE = r"[\t\n\x{0b}\f\r\x{1c}-\x{1f}\x{85}\pZ\-'.]+"
# The Latin letters whose upper case is two letters (Unicode SpecialCasing).
_SPELLED_OUT = {
    "ß": "SS",
    "ŉ": "ʼN",
    "ǰ": "J̌",
    "ẖ": "H̱",
    "ẗ": "T̈",
    "ẘ": "W̊",
    "ẙ": "Y̊",
    "ẚ": "Aʾ",
    "ﬀ": "FF",
    "ﬁ": "FI",
    "ﬂ": "FL",
    "ﬃ": "FFI",
    "ﬄ": "FFL",
    "ﬅ": "ST",
    "ﬆ": "ST",
}
# Placeholder SSNs that mean "none known" rather than a real number.
PLACEHOLDER_SSNS = frozenset({"000000000", "999999999", "123456789"})


@dataclass(frozen=True)
class Identity:
    """The identifying items of one assessment (dates as ISO text)."""

    state: str
    facility_internal_id: str
    ssn: str
    last_name: str
    first_name: str
    birth_date: str
    gender: str
    resident_internal_id: str = ""


def _evaluate(column: str, value: str) -> Any:
    """One value of a one-row table through the key's expressions (``_one_row_sql``)."""
    from carecover.engines.duckdb import value_of_one_row

    return value_of_one_row(_one_row_sql(column), {"value": value})


@cache
def _one_row_sql(column: str) -> str:
    import ibis

    from carecover.engines.duckdb import sql_of

    t = ibis.table({"value": "string"}, name="one_row")
    expression = {"name": name_key_of, "ssn": ssn_of}[column](t.value)
    return sql_of(t.select(result=expression))


def normalise_name(name: str) -> str:
    """Upper case with spaces, hyphens, apostrophes and dots removed ("Mary-Ann " → "MARYANN").

    The key's own expression (``name_key_of``), run on the one value.
    """
    return str(_evaluate("name", name))


def normalise_ssn(ssn: str) -> str:
    """Digits only; empty for a missing or placeholder SSN (``ssn_of``, run on the one value)."""
    return str(_evaluate("ssn", ssn))


def name_key_of(name: Any) -> Any:
    """A name as the key holds it: whitespace, ``-``, ``'`` and ``.`` dropped, upper case.

    Whitespace is Unicode's (what Python's ``str.split()`` splits on); letters
    whose upper case is two letters (ß, the Latin ligatures) are spelled out
    first, as Python's ``str.upper`` does, so keys made before the rules ran
    in SQL (2026-12) are unchanged for Latin names.
    """
    import ibis

    dropped = name.re_replace(_NAME_NOISE, "")
    spelled = dropped
    for letter, letters in _SPELLED_OUT.items():
        spelled = spelled.replace(letter, letters)
    # One search instead of fifteen replacements on the names that need none (nearly all).
    special = dropped.re_search("[" + "".join(_SPELLED_OUT) + "]")
    return ibis.ifelse(special, spelled, dropped).upper()


def ssn_of(ssn: Any) -> Any:
    """The SSN's ASCII digits, or ``''`` for a missing, short, long or placeholder SSN."""
    import ibis

    digits = ssn.re_replace("[^0-9]", "")
    real = (digits.length() == 9) & ~digits.isin(sorted(PLACEHOLDER_SSNS))
    return ibis.ifelse(real, digits, "")


def resident_key_of(
    *,
    state: Any,
    facility_internal_id: Any,
    ssn: Any,
    last_name: Any,
    first_name: Any,
    birth_date: Any,
    gender: Any,
    resident_internal_id: Any,
) -> Any:
    """The resident key as an expression over trimmed text columns (``ssn`` from ``ssn_of``).

    ``RESIDENT_INTERNAL_ID`` (with the state) wins when given; otherwise the
    key hashes the Resident Internal ID items after normalisation, so case,
    spacing, hyphens and a blank-versus-placeholder SSN do not split a
    resident in two. A missing SSN is simply empty in the hash, so records
    with and without an SSN are different keys (probable duplicates are the
    later Splink step's job). ``birth_date`` is ISO text or ``''``.
    """
    import ibis

    upper_state = state.upper()
    by_id = "rid|" + upper_state + "|" + resident_internal_id.upper()
    by_items = ibis.literal("|").join(
        [
            ibis.literal("mds"),
            upper_state,
            facility_internal_id.upper(),
            ssn,
            name_key_of(last_name),
            name_key_of(first_name),
            birth_date,
            gender,
        ]
    )
    material = ibis.ifelse(resident_internal_id != "", by_id, by_items)
    return material.hexdigest("sha256").left(32)


def resident_key(identity: Identity) -> str:
    """A stable, SSN-free key for the resident an assessment belongs to (``resident_key_of``).

    The identity's items are trimmed first, as the readers trim them.
    """
    from carecover.engines.duckdb import value_of_one_row

    values = {f.name: getattr(identity, f.name).strip() for f in fields(Identity)}
    return str(value_of_one_row(_key_sql(), values))


@cache
def _key_sql() -> str:
    import ibis

    from carecover.engines.duckdb import sql_of

    t = ibis.table(dict.fromkeys((f.name for f in fields(Identity)), "string"), name="one_row")
    key = resident_key_of(
        state=t.state,
        facility_internal_id=t.facility_internal_id,
        ssn=ssn_of(t.ssn),
        last_name=t.last_name,
        first_name=t.first_name,
        birth_date=t.birth_date,
        gender=t.gender,
        resident_internal_id=t.resident_internal_id,
    )
    return sql_of(t.select(result=key))
