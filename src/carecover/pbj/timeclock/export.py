"""Time-clock and payroll CSV exports turned into a PBJ submission file.

The CSV format (docs/pbj-export.md) has one row per worked period::

    employee_id,hire_date,termination_date,job_title_code,job_title,pay_type_code,
    work_date,hours,punch_in,punch_out

A row gives either ``work_date`` + ``hours`` (daily hours) or ``punch_in`` +
``punch_out`` (ISO timestamps), and either ``job_title_code`` (1–40) or a
``job_title`` looked up in the job title mapping (``jobmap``). Every bad row
is collected as an ``InputError`` naming file, line and field; the first is
raised with a count of the rest, so a clerk fixes them all in one pass.

An optional ``facility_id`` column lets one payroll export hold several
facilities: only the rows of the facility being exported (or with the column
blank) are used, one file per facility and quarter.

``export_timeclock`` is the whole job: read, split punches at midnight, sum,
round, enforce the daily cap, keep the quarter, write one 4.10.0 file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from carecover.csvrecords import check_header_width, records
from carecover.errors import InputError, NotFoundError
from carecover.filekind import require_text
from carecover.pbj.codes import job_title, pay_type
from carecover.pbj.jobmap import JobMapping, load_job_mapping
from carecover.pbj.submission.writer import (
    EmployeeRecord,
    SubmissionHeader,
    WriteSummary,
    check_employee_id,
    write_submission,
)
from carecover.pbj.timeclock.shifts import (
    WorkedTime,
    check_daily_cap,
    split_at_midnight,
    sum_worked_time,
)

__all__ = [
    "COLUMNS",
    "ExportResult",
    "TimeclockRow",
    "export_timeclock",
    "parse_timeclock",
    "read_timeclock",
]

COLUMNS = (
    "employee_id",
    "hire_date",
    "termination_date",
    "job_title_code",
    "job_title",
    "pay_type_code",
    "work_date",
    "hours",
    "punch_in",
    "punch_out",
    "facility_id",
)


_MICROSECOND = timedelta(microseconds=1)
#: One punch pair is one shift, and no shift outlasts a day: a longer pair is
#: a punch-out missed and filled in later (days on, or years), not hours worked.
LONGEST_PUNCH = timedelta(hours=24)


@dataclass(frozen=True)
class TimeclockRow:
    """One valid CSV row: daily hours (``work_date``/``hours``) or a punch pair."""

    line: int
    employee_id: str
    hire_date: date | None
    termination_date: date | None
    job_title_code: int
    pay_type_code: int
    work_date: date | None = None
    hours: Fraction | None = None
    punch_in: datetime | None = None
    punch_out: datetime | None = None
    facility_id: str | None = None  # optional column: exports holding several facilities

    def worked_time(self) -> list[WorkedTime]:
        """The row's time per calendar date (punches split at midnight)."""
        if self.punch_in is not None and self.punch_out is not None:
            pieces = [
                (day, Fraction(span // _MICROSECOND, 3_600_000_000))
                for day, span in split_at_midnight(self.punch_in, self.punch_out)
            ]
        else:
            assert self.work_date is not None
            assert self.hours is not None
            pieces = [(self.work_date, self.hours)]
        return [
            WorkedTime(self.employee_id, day, self.job_title_code, self.pay_type_code, h, self.line)
            for day, h in pieces
        ]


@dataclass(frozen=True)
class ExportResult:
    """A written file and what was left for the neighbouring quarter."""

    summary: WriteSummary
    pieces_outside_quarter: int  # midnight-crossing pieces that belong to the next/previous file
    rows_for_other_facilities: int = 0  # rows whose facility_id names another facility


def _raise_collected(problems: list[InputError]) -> None:
    if not problems:
        return
    first = problems[0]
    rest = len(problems) - 1
    more = f" (and {rest} more problem{'s' if rest > 1 else ''})" if rest else ""
    raise InputError(first.reason + more, file=first.file, line=first.line, field=first.field)


# A time-clock export has about ten columns; a header far wider is not one.
_MAX_COLUMNS = 200


def parse_timeclock(
    path: Path, mapping: JobMapping | None = None
) -> tuple[list[TimeclockRow], list[InputError]]:
    """Every good row of the CSV at ``path`` and an ``InputError`` for every bad one."""
    mapping = mapping if mapping is not None else load_job_mapping()
    name = str(path)
    rows: list[TimeclockRow] = []
    problems: list[InputError] = []
    ambiguous: dict[str, int] = {}  # title -> first line: listed in one error, never guessed
    require_text(Path(path), what="a time-clock CSV file")
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        # A broken structure (an unterminated quote, a row wider or narrower
        # than the header, a NUL byte) refuses the file, naming its line.
        reader = records(handle, file=name, one_line=True)
        try:
            header = [h.strip().casefold() for h in next(reader, (1, []))[1]]
            check_header_width(header, limit=_MAX_COLUMNS, file=name, what="a time-clock file")
            _check_header(header, name)
            for line, cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                values = dict(zip(header, (c.strip() for c in cells), strict=True))
                title = values.get("job_title", "")
                if not values.get("job_title_code") and mapping.is_ambiguous(title):
                    ambiguous.setdefault(title, line)
                    continue
                try:
                    rows.append(_row(values, line, mapping))
                except InputError as exc:
                    problems.append(
                        InputError(exc.reason, file=name, line=exc.line, field=exc.field)
                    )
        except UnicodeDecodeError as exc:
            # Decoding runs ahead of the CSV reader, so no line number is reliable here.
            raise InputError(f"not a readable UTF-8 CSV ({exc})", file=name) from None
    if ambiguous:
        first = min(ambiguous.values())
        message = mapping.unmapped_error(list(ambiguous))
        problems.insert(0, InputError(message, file=name, line=first, field="job_title"))
    return rows, problems


def read_timeclock(path: Path, mapping: JobMapping | None = None) -> list[TimeclockRow]:
    """The rows of the CSV at ``path``; ``InputError`` (with a count of the rest) if any is bad."""
    rows, problems = parse_timeclock(path, mapping)
    _raise_collected(problems)
    return rows


def _check_header(header: list[str], name: str) -> None:
    missing = [c for c in ("employee_id", "pay_type_code") if c not in header]
    if "job_title_code" not in header and "job_title" not in header:
        missing.append("job_title_code or job_title")
    daily = "work_date" in header and "hours" in header
    punches = "punch_in" in header and "punch_out" in header
    if not (daily or punches):
        missing.append("work_date+hours or punch_in+punch_out")
    if missing:
        raise InputError(f"missing column(s): {'; '.join(missing)}", file=name, line=1)


def _row(values: dict[str, str], line: int, mapping: JobMapping) -> TimeclockRow:
    def fail(field: str, message: str) -> InputError:
        return InputError(message, line=line, field=field)

    try:
        employee = check_employee_id(values.get("employee_id", ""))
    except InputError as exc:
        raise fail("employee_id", exc.reason) from None
    hire = _date(values, "hire_date", line)
    term = _date(values, "termination_date", line)
    if hire and term and term < hire:
        raise fail("termination_date", f"{term} is before hire_date {hire}")
    code_text, title = values.get("job_title_code", ""), values.get("job_title", "")
    try:
        if code_text:
            code = job_title(code_text).code
        elif title:
            code = mapping.code_for(title)
        else:
            raise fail("job_title_code", "give a job_title_code (1-40) or a mapped job_title")
    except NotFoundError as exc:
        raise fail("job_title_code" if code_text else "job_title", str(exc)) from None
    try:
        pay = pay_type(values.get("pay_type_code", "")).code
    except NotFoundError as exc:
        raise fail("pay_type_code", str(exc)) from None
    facility = " ".join(values.get("facility_id", "").split()) or None
    common = TimeclockRow(line, employee, hire, term, code, pay, facility_id=facility)
    has_daily = bool(values.get("work_date") or values.get("hours"))
    has_punch = bool(values.get("punch_in") or values.get("punch_out"))
    if has_daily and has_punch:
        raise fail("punch_in", "give work_date+hours or punch_in+punch_out, not both")
    if has_punch:
        start = _timestamp(values, "punch_in", line)
        end = _timestamp(values, "punch_out", line)
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise fail("punch_out", "punch_in and punch_out must both have a UTC offset or neither")
        if end <= start:
            raise fail("punch_out", f"{end.isoformat()} is not after punch_in {start.isoformat()}")
        if end - start > LONGEST_PUNCH:
            raise fail(
                "punch_out",
                f"{end.isoformat()} is more than 24 hours after punch_in {start.isoformat()}:"
                " one shift is at most a day (a missed punch-out?)",
            )
        return replace(common, punch_in=start, punch_out=end)
    work_date = _date(values, "work_date", line)
    if work_date is None:
        raise fail("work_date", "give work_date+hours or punch_in+punch_out")
    return replace(common, work_date=work_date, hours=_hours(values.get("hours", ""), line))


def _date(values: dict[str, str], field: str, line: int) -> date | None:
    text = values.get(field, "")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD)", line=line, field=field) from None


def _timestamp(values: dict[str, str], field: str, line: int) -> datetime:
    text = values.get(field, "")
    if not text:
        raise InputError("missing timestamp", line=line, field=field)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{text!r} is not an ISO timestamp (YYYY-MM-DDTHH:MM)", line=line, field=field
        ) from None


_DAY_HOURS = 24  # one row is one employee on one date: never more than the day
_MAX_DECIMALS = 12


def _hours(text: str, line: int) -> Fraction:
    shown = repr(text) if len(text) <= 40 else f"{text[:20]!r}... ({len(text)} characters)"
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{shown} is not a number of hours", line=line, field="hours") from None
    if not value.is_finite() or value < 0:
        raise InputError(f"{shown} must be zero or more hours", line=line, field="hours")
    # Refused here, not only by the daily cap: a 400-digit number would
    # overflow the float of the on-site measures (issue 12 §1).
    if value > _DAY_HOURS:
        raise InputError(
            f"{shown} hours in one row: one employee's day has at most {_DAY_HOURS}",
            line=line,
            field="hours",
        )
    if not value:
        return Fraction(0)  # 0E-999999999 too
    if value.adjusted() < -_MAX_DECIMALS:
        # 1e-999999999 would make a Fraction with a billion-digit denominator.
        raise InputError(
            f"{shown} is not a number of hours (below 1e-{_MAX_DECIMALS})",
            line=line,
            field="hours",
        )
    return Fraction(value)


def _employees(rows: list[TimeclockRow], name: str) -> list[EmployeeRecord]:
    found: dict[str, EmployeeRecord] = {}
    problems: list[InputError] = []
    for row in rows:
        known = found.get(row.employee_id)
        if known is None:
            found[row.employee_id] = EmployeeRecord(
                row.employee_id, row.hire_date, row.termination_date
            )
            continue
        for field, old, new in (
            ("hire_date", known.hire_date, row.hire_date),
            ("termination_date", known.termination_date, row.termination_date),
        ):
            if old is not None and new is not None and old != new:
                problems.append(
                    InputError(
                        f"employee {row.employee_id} has {field} {old} elsewhere, {new} here",
                        file=name,
                        line=row.line,
                        field=field,
                    )
                )
            elif old is None and new is not None:
                known = EmployeeRecord(
                    known.employee_id,
                    new if field == "hire_date" else known.hire_date,
                    new if field == "termination_date" else known.termination_date,
                )
                found[row.employee_id] = known
    _raise_collected(problems)
    return [found[k] for k in sorted(found)]


def _in_quarter(
    rows: list[TimeclockRow], header: SubmissionHeader, employees: list[EmployeeRecord], name: str
) -> tuple[list[WorkedTime], int]:
    dates = {e.employee_id: e for e in employees}
    kept: list[WorkedTime] = []
    outside = 0
    problems: list[InputError] = []
    quarter = header.quarter
    for row in rows:
        field = "punch_in" if row.punch_in is not None else "work_date"
        pieces = row.worked_time()
        inside = [p for p in pieces if quarter.contains(p.day)]
        if not inside:
            problems.append(
                InputError(
                    f"{pieces[0].day} is outside {quarter} ({quarter.start} to {quarter.end})",
                    file=name,
                    line=row.line,
                    field=field,
                )
            )
            continue
        outside += len(pieces) - len(inside)
        emp = dates[row.employee_id]
        for piece in inside:
            # V1 edits -4011/-4012: no hours before hire or after termination.
            if emp.hire_date is not None and piece.day < emp.hire_date:
                problems.append(_dated(name, row.line, field, piece.day, "hire", emp.hire_date))
            elif emp.termination_date is not None and piece.day > emp.termination_date:
                problems.append(
                    _dated(name, row.line, field, piece.day, "termination", emp.termination_date)
                )
            else:
                kept.append(piece)
    _raise_collected(problems)
    return kept, outside


def _dated(name: str, line: int, field: str, day: date, what: str, when: date) -> InputError:
    side = "before" if what == "hire" else "after"
    return InputError(
        f"hours on {day} are {side} the {what} date {when}", file=name, line=line, field=field
    )


def export_timeclock(
    csv_path: Path,
    out_path: Path,
    header: SubmissionHeader,
    *,
    mapping_path: Path | None = None,
) -> ExportResult:
    """Turn the time-clock CSV at ``csv_path`` into one PBJ 4.10.0 file at ``out_path``."""
    name = str(csv_path)
    every_row = read_timeclock(csv_path, load_job_mapping(mapping_path))
    facility = " ".join(header.facility_id.split())
    rows = [r for r in every_row if r.facility_id in (None, facility)]
    if not rows:
        raise InputError(f"no rows to export for facility {facility}", file=name)
    employees = _employees(rows, name)
    pieces, outside = _in_quarter(rows, header, employees, name)
    entries = sum_worked_time(pieces)
    check_daily_cap(entries, file=name)
    summary = write_submission(out_path, header, employees, entries, validate=True)
    return ExportResult(summary, outside, len(every_row) - len(rows))
