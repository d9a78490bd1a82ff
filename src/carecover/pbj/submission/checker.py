"""The stateful pass over one PBJ file that raises the edits of ``edits.csv``.

``SubmissionChecker`` is fed the raw records of ``reader.iter_raw`` in
document order (header, employees, work days, section ends) and records
findings in a ``FindingLog``. Hot paths (hour entries) use small caches
keyed on the text the file holds, because a quarter has few distinct dates,
codes and hour values; per employee it keeps only the daily totals it needs
for the daily-hours and duplicate-day edits, so memory grows with
employees x days, not with the file.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import job_titles, pay_types
from carecover.pbj.submission.edits import (
    FindingLog,
    check_header,
    code_value,
    edit,
    employee_id_problem,
    hours_cents,
    parse_day,
)
from carecover.pbj.submission.reader import (
    RawEmployee,
    RawHeader,
    RawStaffHours,
    RawWorkDay,
    SectionEnd,
)

__all__ = ["SubmissionChecker", "Tally"]

_MAX_DAY_TOTAL = 2**32 - 1  # what one slot of ``_Staff.days`` (array "I") holds


def _shown_hundredths(value: int) -> str:
    """Hundredths of an hour as hours for a message (``1e+16`` and up: not written out)."""
    return f"{value / 100:g}" if value < 10**18 else "more than 1e+16"


class _Staff:
    """What the checker remembers about one employeeId (compact: one per employee).

    ``days`` holds, per day of the quarter, 1 + the hundredths of an hour
    worked (0 = no work day yet): about 370 bytes per employee.
    """

    __slots__ = ("bad", "days", "hire", "term")

    def __init__(self, bad: bool, hire: int | None, term: int | None, span: int) -> None:
        self.bad = bad
        self.hire = hire
        self.term = term
        self.days = array("I", bytes(4 * span))


@dataclass
class Tally:
    """Records read and their fate, and hours per code (hundredths of an hour)."""

    employees: int = 0
    employees_rejected: int = 0
    days: int = 0
    days_rejected: int = 0
    days_not_processed: int = 0
    entries: int = 0
    cents_by_job: Counter[int] = field(default_factory=Counter)
    cents_by_pay: Counter[int] = field(default_factory=Counter)


class SubmissionChecker:
    """Runs every edit over one file's raw records, fed in document order."""

    def __init__(self, log: FindingLog, submitted_on: date) -> None:
        self.log = log
        self.submitted_on = submitted_on
        self.tally = Tally()
        self.quarter: Quarter | None = None
        self.saw_header = False
        self.sections: set[str] = set()
        self._declared: dict[str, tuple[int | None, int | None]] = {}
        self._staff: dict[str | None, _Staff] = {}
        self._dates: dict[str | None, tuple[int | None, bool, int, str]] = {}
        self._hours: dict[str | None, int] = {}
        # Daily totals are kept per day of the quarter; without a readable
        # quarter (a fatal header edit) they go to a plain dict instead.
        self._base, self._span = 0, 0
        self._loose: dict[tuple[str | None, int], int] = {}
        self._triples: dict[tuple[str, str, str], int] = {}
        # Code text -> code, for the texts seen so far (seeded with the plain spellings).
        self._jobs: dict[str | None, int] = {str(t.code): t.code for t in job_titles()}
        self._pays: dict[str | None, int] = {str(p.code): p.code for p in pay_types()}

    # -- header ------------------------------------------------------------------
    def header(self, raw: RawHeader) -> None:
        """The header edits (``edits.check_header``); sets the quarter the dates are held to."""
        self.saw_header = True
        self.quarter = check_header(self.log, raw, self.submitted_on)
        if self.quarter is not None:
            self._base, self._span = self.quarter.start.toordinal(), self.quarter.days

    # -- employees ---------------------------------------------------------------
    def employee(self, raw: RawEmployee) -> None:
        """employeeId, hire and termination dates of one ``<employee>``."""
        add, line, tally = self.log.add, raw.line, self.tally
        before = self.log.fatal
        tally.employees += 1
        ident = (raw.employee_id or "").strip()
        if not ident:
            add("-4004", "an employee has no employeeId", line)
        elif (problem := employee_id_problem(ident)) is not None:
            add(problem[0], problem[1], line, employee=ident)
        if ident in self._declared:
            add("CC-16", f"employeeId {ident!r} is declared more than once", line, employee=ident)
        hire = self._person_date(raw, "hireDate", raw.hire_date, ident)
        term = self._person_date(raw, "terminationDate", raw.termination_date, ident)
        if hire is not None and term is not None and term < hire:
            add(
                "CC-12",
                f"terminationDate {date.fromordinal(term)} is before hireDate "
                f"{date.fromordinal(hire)}",
                line,
                employee=ident,
            )
        if ident:
            self._declared[ident] = (hire, term)
        if self.log.fatal > before:
            tally.employees_rejected += 1

    def _person_date(self, raw: RawEmployee, name: str, text: str | None, ident: str) -> int | None:
        if name not in raw.present:
            return None
        day = parse_day(text)
        if day is None:
            self.log.add(
                "-3677",
                f"{name} {text or ''!r} is not a YYYY-MM-DD date; omit the tag "
                "when there is no date",
                raw.line,
                employee=ident,
                field_name=name,
            )
            return None
        low = date.fromisoformat(edit("-1009").param("min"))
        high = date.fromisoformat(edit("-4019").param("max"))
        if day < low:
            self.log.add(
                "-1009", f"{name} {day} is before {low}", raw.line, employee=ident, field_name=name
            )
        elif day > high:
            self.log.add(
                "-4019", f"{name} {day} is after {high}", raw.line, employee=ident, field_name=name
            )
        return day.toordinal()

    # -- staffing hours ----------------------------------------------------------
    def _staff_for(self, raw: RawWorkDay) -> _Staff:
        # employeeId edits are reported once per employee, not once per day.
        ident = raw.employee_id
        problem = (
            ("-4006", "a staffHours record has no employeeId")
            if ident is None
            else employee_id_problem(ident)
        )
        if problem is not None:
            self.log.add(*problem, raw.line_of(), employee=ident)
        key = (ident or "").strip()
        declared = self._declared.get(key)
        if declared is None and problem is None:
            message = f"staff hours for employeeId {key!r}, which the employees section lacks"
            self.log.add("-4016", message, raw.line_of(), employee=key)
        hire, term = declared or (None, None)
        bad = problem is not None and edit(problem[0]).severity == "fatal"
        staff = _Staff(bad, hire, term, self._span)
        self._staff[ident] = staff
        return staff

    def _date_info(self, text: str | None) -> tuple[int | None, bool, int, str]:
        # (ordinal, processed, daily limit in hundredths, daily-limit edit)
        day = parse_day(text)
        low, high = edit("-4015"), edit("-4025")
        if day is None or day >= date.fromisoformat(high.param("from")):
            limit, limit_edit = round(float(high.param("max_hours")) * 100), "-4025"
        else:
            limit, limit_edit = round(float(low.param("max_hours")) * 100), "-4015"
        processed = day is not None and (self.quarter is None or self.quarter.contains(day))
        info = (day.toordinal() if day else None, processed, limit, limit_edit)
        self._dates[text] = info
        return info

    def work_day(self, raw: RawWorkDay) -> None:
        """Every edit on one ``<workDay>`` and its hour entries; aggregates the day."""
        log, tally = self.log, self.tally
        before = log.fatal
        tally.days += 1
        staff = self._staff.get(raw.employee_id) or self._staff_for(raw)
        emp = (raw.employee_id or "").strip() or None
        text = raw.date
        ordinal, processed, limit, limit_edit = self._dates.get(text) or self._date_info(text)

        def add(edit_id: str, message: str, field_name: str | None = None) -> None:
            log.add(edit_id, message, raw.line_of(), employee=emp, day=text, field_name=field_name)

        if ordinal is None:
            if text is None:
                add("-4006", "a workDay has no date", "date")
            else:
                add("-3677", f"date {text!r} is not a YYYY-MM-DD date")
        else:
            day = date.fromordinal(ordinal)
            if day > self.submitted_on:
                add("-4002", f"date {day} is after the submission date {self.submitted_on}")
            if not processed:
                add("-1010", f"date {day} is outside {self.quarter}; the record is not processed")
                tally.days_not_processed += 1
                return
            if staff.hire is not None and ordinal < staff.hire:
                add("-4011", f"date {day} is before hireDate {date.fromordinal(staff.hire)}")
            if staff.term is not None and ordinal > staff.term:
                add("-4012", f"date {day} is after terminationDate {date.fromordinal(staff.term)}")
        total = self._entries(raw, emp)
        if ordinal is not None:
            stored = self._day_total(staff, raw.employee_id, ordinal)
            if stored:
                add("CC-13", f"employeeId {emp!r} has more than one workDay for {text}")
            previous = max(stored - 1, 0)
            self._set_day_total(staff, raw.employee_id, ordinal, previous + total + 1)
            if previous + total > limit >= previous:
                # A 400-digit hours value is too large for a float: say so instead.
                hours = _shown_hundredths(previous + total)
                add(
                    limit_edit,
                    f"{hours} hours on {text} for employeeId {emp!r}, more than "
                    f"{limit / 100:g} across all job codes",
                    "hours",
                )
        if staff.bad or log.fatal > before:
            tally.days_rejected += 1

    def _day_total(self, staff: _Staff, ident: str | None, ordinal: int) -> int:
        if 0 < self._span == len(staff.days):
            return staff.days[ordinal - self._base]
        return self._loose.get((ident, ordinal), 0)

    def _set_day_total(self, staff: _Staff, ident: str | None, ordinal: int, value: int) -> None:
        if 0 < self._span == len(staff.days):
            # Clamped to the array's unsigned 32 bits (an hours value of 20 digits
            # overflowed it): any total that large is far past the daily limit,
            # which the caller has already checked on the exact sum.
            staff.days[ordinal - self._base] = min(value, _MAX_DAY_TOTAL)
        else:
            self._loose[(ident, ordinal)] = value

    def staff_hours(self, block: RawStaffHours) -> None:
        """A schema-valid ``<staffHours>`` at once; any day that needs an edit goes by ``work_day``.

        The schema already holds hours to 0-22.5 with two decimals and the
        structure to CMS's order, so a clean day needs only the business edits:
        date in the quarter and not in the future, inside employment, not a
        duplicate, known codes, and the daily total.
        """
        staff = self._staff.get(block.employee_id) or self._staff_for(block.day(0))
        if staff.bad:
            for day in block.days():
                self.work_day(day)
            return
        days, base = staff.days, self._base
        if not 0 < self._span == len(days):
            for day in block.days():
                self.work_day(day)
            return
        values, dates, starts, ends = block.values, self._dates, block.starts, block.ends
        hours_of, hours_get, jobs, pays = (
            self._hours.__getitem__,
            self._hours.get,
            self._jobs,
            self._pays,
        )
        # Entries are counted per (job, pay, hours) text and turned into hours once, at the end.
        triples = self._triples
        triples_get = triples.get
        hire = staff.hire or 0
        upper = min(staff.term or 10**7, self.submitted_on.toordinal())
        clean_days = clean_entries = 0
        for k, a in enumerate(starts):
            b = ends[k]
            text = values[a]
            ordinal, processed, limit, _ = dates.get(text) or self._date_info(text)
            if (
                not processed
                or ordinal is None
                or days[ordinal - base]
                or not hire <= ordinal <= upper
            ):
                self.work_day(block.day(k))
                continue
            if b - a == 4:  # one hour entry: the common case
                job, pay = values[a + 2], values[a + 3]
                cents = hours_get(values[a + 1], limit + 1)
                if cents > limit or job not in jobs or pay not in pays:
                    self.work_day(block.day(k))
                    continue
                key = (job, pay, values[a + 1])
                triples[key] = triples_get(key, 0) + 1
                clean_entries += 1
            elif b - a == 7:  # two entries (e.g. two job codes in a day)
                h1, j1, p1, h2, j2, p2 = values[a + 1 : b]
                cents = hours_get(h1, limit + 1) + hours_get(h2, limit + 1)
                if (
                    cents > limit
                    or j1 not in jobs
                    or j2 not in jobs
                    or p1 not in pays
                    or p2 not in pays
                ):
                    self.work_day(block.day(k))
                    continue
                key, key2 = (j1, p1, h1), (j2, p2, h2)
                triples[key] = triples_get(key, 0) + 1
                triples[key2] = triples_get(key2, 0) + 1
                clean_entries += 2
            else:
                hour_texts, job_texts, pay_texts = (
                    values[a + 1 : b : 3],
                    values[a + 2 : b : 3],
                    values[a + 3 : b : 3],
                )
                try:
                    cents = sum(map(hours_of, hour_texts))
                except KeyError:  # an hours spelling not seen yet
                    cents = limit + 1
                if (
                    cents > limit
                    or not jobs.keys() >= {*job_texts}
                    or not pays.keys() >= {*pay_texts}
                ):
                    self.work_day(block.day(k))
                    continue
                for key in zip(job_texts, pay_texts, hour_texts, strict=True):
                    triples[key] = triples_get(key, 0) + 1
                clean_entries += len(job_texts)
            days[ordinal - base] = cents + 1
            clean_days += 1
        self.tally.days += clean_days
        self.tally.entries += clean_entries

    def dates_reported(self) -> int:
        """Distinct dates of the quarter with a ``<workDay>`` (issue 15 §2: missing days)."""
        return len({info[0] for info in self._dates.values() if info[1] and info[0] is not None})

    def flush(self) -> Tally:
        """The tally, with the entries counted by (job, pay, hours) text added in."""
        tally = self.tally
        for (job, pay, hours), n in self._triples.items():
            cents = self._hours[hours] * n
            tally.cents_by_job[self._jobs[job]] += cents
            tally.cents_by_pay[self._pays[pay]] += cents
        self._triples.clear()
        return tally

    def _entries(self, raw: RawWorkDay, emp: str | None) -> int:
        tally, hours_cache, jobs, pays = self.tally, self._hours, self._jobs, self._pays
        by_job, by_pay = tally.cents_by_job, tally.cents_by_pay
        total = 0
        for i, (hours, job, pay) in enumerate(raw.entries):
            cents = hours_cache.get(hours)
            if cents is None:
                cents, problem = hours_cents(hours)
                if problem is None:
                    if len(hours_cache) < 10_000:
                        hours_cache[hours] = cents
                else:
                    self._entry_problem(raw, i, emp, problem, "hours")
            code = jobs.get(job)
            if code is None:
                code = self._code(raw, i, emp, job, "jobTitleCode")
            pay_code = pays.get(pay)
            if pay_code is None:
                pay_code = self._code(raw, i, emp, pay, "payTypeCode")
            total += cents
            by_job[code] += cents
            by_pay[pay_code] += cents
        tally.entries += len(raw.entries)
        return total

    def _code(self, raw: RawWorkDay, i: int, emp: str | None, text: str | None, name: str) -> int:
        # Slow path for a code text not seen before: 0 when not allowed.
        known = self._jobs if name == "jobTitleCode" else self._pays
        value = code_value(text, frozenset(known.values()))
        if value is not None:
            if len(known) < 1000:
                known[text] = value
            return value
        if text is None:
            problem = ("-4006", f"an hourEntry has no {name}")
        elif name == "jobTitleCode":
            problem = ("CC-10", f"jobTitleCode {text!r} is not 1-40")
        else:
            problem = ("-3676", f"payTypeCode {text!r} is not 1, 2 or 3")
        self._entry_problem(raw, i, emp, problem, name)
        return 0

    def _entry_problem(
        self, raw: RawWorkDay, i: int, emp: str | None, problem: tuple[str, str], name: str
    ) -> None:
        line = raw.line_of(i)
        self.log.add(*problem, line, employee=emp, day=raw.date, field_name=name)

    # -- sections and the end ----------------------------------------------------
    def section_end(self, raw: SectionEnd) -> None:
        """processType of ``<staffingHours>``, and an empty ``replace``."""
        self.sections.add(raw.tag)
        if raw.tag != "staffingHours":
            return
        process = (raw.attributes.get("processType") or "").strip()
        if process not in ("merge", "replace"):
            self.log.add("-4008", f"processType {process!r} is not merge or replace", raw.line)
        elif process == "replace" and raw.children == 0:
            self.log.add(
                "CC-14",
                'processType="replace" with no staffHours deletes every '
                "staffing hour already submitted for the quarter",
                raw.line,
            )

    def finish(self) -> None:
        """File-level edits that need the whole document."""
        if not self.saw_header:
            self.log.add("CC-04", "the file has no <header>", None, field_name="header")
        if not self.sections:
            self.log.add(
                "CC-15", "the file has neither an employees nor a staffingHours section", None
            )
