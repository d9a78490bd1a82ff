"""Checking one raw MDS record and turning it into an ``Assessment``.

A record is refused, with every problem named by item, when a date is
impossible, the discharge (A2000) precedes the entry (A1600), a coded item
is off its code list (``codes``), or an item the census needs is missing:
the state, facility ids, A0310F, the target date's source item (A1600 for
entries, A2000 for discharges and deaths, A2300 otherwise, per edit -9017 in
cms-staffing-methodology.md §4.2) and, without a RESIDENT_INTERNAL_ID, the
identity items of the resident key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from carecover.errors import FieldProblem, ValidationError
from carecover.mds.codes import CODED_ITEMS, Event, event_of, is_valid_code
from carecover.mds.residents import Identity, normalise_ssn, resident_key

__all__ = ["Assessment", "parse_mds_date", "validate_record"]

_DATE_ITEMS = ("A0900", "A1600", "A2000", "A2300", "TRGT_DT")
# Dates before this are data-entry errors for a target, entry or discharge.
_EARLIEST = date(1990, 1, 1)


@dataclass(frozen=True)
class Assessment:
    """One valid MDS record, normalised; carries a resident key, never an SSN."""

    state: str
    facility_internal_id: str
    ccn: str
    resident_key: str
    first_name: str
    last_name: str
    birth_date: date | None
    gender: str
    ssn_present: bool
    a0310a: str
    a0310b: str
    a0310f: str
    entry_date: date | None
    entry_type: str
    discharge_date: date | None
    discharge_status: str
    ard: date | None
    target_date: date
    nursing_group: str

    @property
    def event(self) -> Event:
        """What this record does to the stay."""
        return event_of(self.a0310f)


def parse_mds_date(text: str) -> date:
    """Parse ``YYYYMMDD`` or ISO ``YYYY-MM-DD``; ``ValueError`` otherwise."""
    value = text.strip()
    if len(value) == 8 and value.isdigit():
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return date.fromisoformat(value)
    raise ValueError(f"{text!r} is not a date like 20260131 or 2026-01-31")


def _dates(raw: Mapping[str, str], problems: list[FieldProblem]) -> dict[str, date | None]:
    out: dict[str, date | None] = {}
    for item in _DATE_ITEMS:
        text = raw.get(item, "").strip()
        out[item] = None
        if not text:
            continue
        try:
            value = parse_mds_date(text)
        except ValueError as exc:
            problems.append(FieldProblem(item, f"impossible date: {exc}"))
            continue
        if item != "A0900" and value < _EARLIEST:
            problems.append(FieldProblem(item, f"impossible date {value} (before {_EARLIEST})"))
            continue
        out[item] = value
    return out


def _target_item(a0310f: str) -> str:
    # Edit -9017: entries target A1600, discharges and deaths A2000, else A2300.
    event = event_of(a0310f)
    if event is Event.ENTRY:
        return "A1600"
    if event in (Event.DISCHARGE, Event.DEATH):
        return "A2000"
    return "A2300"


def validate_record(raw: Mapping[str, str]) -> Assessment:
    """The ``Assessment`` for ``raw``, or ``ValidationError`` listing every problem."""
    get = {k: (v or "").strip() for k, v in raw.items()}.get
    problems: list[FieldProblem] = []
    required = ["STATE_CD", "FAC_ID", "A0100B", "A0310F"]
    if not get("RESIDENT_INTERNAL_ID", ""):
        required += ["A0500A", "A0500C", "A0900", "A0800"]
    problems += [FieldProblem(i, "missing (the census needs it)") for i in required if not get(i)]
    for item in CODED_ITEMS:
        value = get(item, "")
        if value and not is_valid_code(item, value):
            problems.append(FieldProblem(item, f"unknown code {value!r}"))
    dates = _dates(raw, problems)
    a0310f = get("A0310F", "")
    target = dates["TRGT_DT"]
    if is_valid_code("A0310F", a0310f):
        source = _target_item(a0310f)
        if dates[source] is None and source not in {p.field for p in problems}:
            problems.append(
                FieldProblem(source, f"missing (the target date of an A0310F={a0310f} record)")
            )
        target = target or dates[source]
    entry, discharge, birth = dates["A1600"], dates["A2000"], dates["A0900"]
    if entry and discharge and discharge < entry:
        problems.append(FieldProblem("A2000", f"discharge {discharge} is before entry {entry}"))
    if birth and target and birth > target:
        problems.append(FieldProblem("A0900", f"birth date {birth} is after the target {target}"))
    if problems or target is None:
        raise ValidationError(problems or [FieldProblem("TRGT_DT", "missing")])
    identity = Identity(
        state=get("STATE_CD", ""),
        facility_internal_id=get("FAC_ID", ""),
        ssn=get("A0600A", ""),
        last_name=get("A0500C", ""),
        first_name=get("A0500A", ""),
        birth_date=birth.isoformat() if birth else "",
        gender=get("A0800", ""),
        resident_internal_id=get("RESIDENT_INTERNAL_ID", ""),
    )
    return Assessment(
        state=identity.state.upper(),
        facility_internal_id=identity.facility_internal_id,
        ccn=get("A0100B", ""),
        resident_key=resident_key(identity),
        first_name=identity.first_name,
        last_name=identity.last_name,
        birth_date=birth,
        gender=identity.gender,
        ssn_present=bool(normalise_ssn(identity.ssn)),
        a0310a=get("A0310A", ""),
        a0310b=get("A0310B", ""),
        a0310f=a0310f,
        entry_date=entry,
        entry_type=get("A1700", ""),
        discharge_date=discharge,
        discharge_status=get("A2100", ""),
        ard=dates["A2300"],
        target_date=target,
        nursing_group=get("PDPM_NURSING_CMG", "") or get("RUG_IV_GROUP", ""),
    )
