"""From Electronic Visit Verification records to service interruptions.

Every Innovations visit is scheduled and clocked in EVV. A scheduled visit
that did not happen, or happened only in part, is a service interruption;
``classify`` then says whether it is a *service break* (member-driven:
document it in the member's record) or a *Failure to Provide Backup
Staffing* (staff-driven and not covered: a Level I report). This module
holds the arithmetic:

* a **missed** visit (no clock-in, no clock-out) leaves its whole scheduled
  window without staff;
* a **partly delivered** visit leaves the parts of its scheduled window when
  no staff was clocked in with the member (under this visit or another of
  theirs); time worked outside the window never makes up for time missed
  inside it;
* a visit covered by **backup** staff (``backup=provided``) is no failure;
* hours are split at midnight: each part belongs to its own incident date,
  since a report covers one incident date (seed 000: one report per date);
* one member's hours on one date are never counted twice (two overlapping
  schedules), so they never exceed 24 h per provider, member and date, and a
  row's hours never exceed its scheduled window.

Rows are small (one agency's month of visits), so the rules are plain Python
over intervals; nothing here reads national data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from carecover.backup.classify import Backup, Cause, OutcomeKind, classify

__all__ = [
    "INTERRUPTION_COLUMNS",
    "UNEXPLAINED",
    "Interruption",
    "Visit",
    "VisitSummary",
    "interruption_row",
    "interruptions",
    "summarise",
]

#: Kind of an interruption whose visit record gives no cause: it cannot be
#: classified until someone says why the visit fell short.
UNEXPLAINED = "unexplained"

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Visit:
    """One scheduled visit (or one clock-in/clock-out segment of it) from EVV.

    ``actual_start``/``actual_end`` are ``None`` when the visit did not happen.
    Several rows with the same provider, member, service and scheduled window
    are segments of one visit (the worker clocked out and back in).
    """

    provider_id: str
    member_medicaid_id: str
    member_last_name: str
    member_first_name: str
    member_date_of_birth: date | None
    service_code: str
    visit_date: date
    scheduled_start: datetime
    scheduled_end: datetime
    actual_start: datetime | None
    actual_end: datetime | None
    worker_id: str
    cause: Cause | None
    backup: Backup | None
    line: int = 0

    @property
    def schedule_key(self) -> tuple[str, str, str, datetime, datetime]:
        """What makes rows segments of the same scheduled visit."""
        return (
            self.provider_id,
            self.member_medicaid_id,
            self.service_code,
            self.scheduled_start,
            self.scheduled_end,
        )


@dataclass(frozen=True)
class Interruption:
    """Hours without staff of one provider, member, incident date, service and kind."""

    provider_id: str
    member_medicaid_id: str
    incident_date: date
    service_code: str
    hours_without_staff: float
    kind: str
    report_required: bool | None
    rule: str
    explanation: str
    cause: Cause | None
    backup: Backup | None
    member_last_name: str
    member_first_name: str
    member_date_of_birth: date | None
    scheduled: tuple[Interval, ...]
    delivered: tuple[Interval, ...]
    gaps: tuple[Interval, ...]
    worker_ids: tuple[str, ...]
    lines: tuple[int, ...] = field(default=())


@dataclass
class _Scheduled:
    """The rows of one scheduled visit, merged."""

    first: Visit
    segments: list[Interval]
    cause: Cause | None
    backup: Backup | None
    workers: list[str]
    lines: list[int]


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping union of ``intervals`` (touching ones joined)."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _subtract(window: Interval, covered: Sequence[Interval]) -> list[Interval]:
    """The parts of ``window`` that no interval of ``covered`` (merged) overlaps."""
    start, end = window
    gaps: list[Interval] = []
    cursor = start
    for c_start, c_end in covered:
        if c_end <= cursor or c_start >= end:
            continue
        if c_start > cursor:
            gaps.append((cursor, c_start))
        cursor = max(cursor, c_end)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def _by_date(gaps: Iterable[Interval]) -> dict[date, list[Interval]]:
    """Split intervals at midnight and group the parts by their calendar date."""
    out: dict[date, list[Interval]] = defaultdict(list)
    for start, end in gaps:
        cursor = start
        while cursor < end:
            midnight = datetime.combine(cursor.date() + timedelta(days=1), time())
            part_end = min(end, midnight)
            out[cursor.date()].append((cursor, part_end))
            cursor = part_end
    return out


def _hours(intervals: Iterable[Interval]) -> float:
    return sum((e - s).total_seconds() for s, e in intervals) / 3600


def _group(visits: Iterable[Visit]) -> list[_Scheduled]:
    groups: dict[tuple[str, str, str, datetime, datetime], _Scheduled] = {}
    for v in visits:
        g = groups.get(v.schedule_key)
        if g is None:
            g = groups[v.schedule_key] = _Scheduled(v, [], v.cause, v.backup, [], [])
        else:
            g.cause = g.cause or v.cause
            g.backup = g.backup or v.backup
        if v.actual_start is not None and v.actual_end is not None:
            g.segments.append((v.actual_start, v.actual_end))
        if v.worker_id and v.worker_id not in g.workers:
            g.workers.append(v.worker_id)
        g.lines.append(v.line)
    return list(groups.values())


def _outcome(cause: Cause | None, backup: Backup | None) -> tuple[str, bool | None, str, str]:
    """(kind, report_required, rule, explanation) of one shortfall."""
    if cause is None:
        return (
            UNEXPLAINED,
            None,
            "no cause recorded",
            "The visit fell short of its schedule and the visit record gives no cause. Record"
            " why (the cause code, and what happened with backup staff) so it can be classified"
            " as a service break or a failure to provide backup staffing.",
        )
    outcome = classify(cause, backup or Backup.NOT_OFFERED)
    return (str(outcome.kind), outcome.report_required, outcome.rule, outcome.explanation)


@dataclass
class _Row:
    """One interruption being gathered from the visits that make it up."""

    first: Visit
    kind: str
    required: bool | None
    rule: str
    explanation: str
    cause: Cause | None
    backup: Backup | None
    weight: float = 0.0
    scheduled: list[Interval] = field(default_factory=list)
    delivered: list[Interval] = field(default_factory=list)
    gaps: list[Interval] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def interruptions(visits: Iterable[Visit], *, min_gap_minutes: float = 0) -> list[Interruption]:
    """The service interruptions in ``visits``: one per provider, member, date, service and kind.

    A gap shorter than ``min_gap_minutes`` (a few minutes' late clock-in, if
    the user chooses to ignore those) is not counted. A staff-driven visit
    with no ``backup`` code is read as backup ``not_offered``. Visits covered
    by backup staff, and fully delivered visits, give no row.
    """
    minimum = timedelta(minutes=min_gap_minutes)
    # (provider, member, date) -> intervals already counted, so overlapping
    # schedules never count the same hour twice.
    counted: dict[tuple[str, str, date], list[Interval]] = defaultdict(list)
    rows: dict[tuple[str, str, date, str, str], _Row] = {}
    groups = sorted(_group(visits), key=lambda g: g.first.schedule_key)
    # Staff were with the member while any of their visits was delivered, under
    # whichever schedule: those minutes are never "without staff".
    present: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for g in groups:
        present[(g.first.provider_id, g.first.member_medicaid_id)].extend(g.segments)
    staffed = {key: _merge(segments) for key, segments in present.items()}
    for g in groups:
        v = g.first
        if g.backup is Backup.PROVIDED:
            continue  # backup staff covered the visit: no interruption
        window = (v.scheduled_start, v.scheduled_end)
        delivered = _merge(g.segments)
        covered = staffed[(v.provider_id, v.member_medicaid_id)]
        gaps = [gap for gap in _subtract(window, covered) if gap[1] - gap[0] >= minimum]
        if not gaps:
            continue
        kind, required, rule, explanation = _outcome(g.cause, g.backup)
        if kind == str(OutcomeKind.NO_INTERRUPTION):
            continue
        for day, parts in sorted(_by_date(gaps).items()):
            seen = counted[(v.provider_id, v.member_medicaid_id, day)]
            new = [piece for p in parts for piece in _subtract(p, _merge(seen))]
            if not new:
                continue
            seen.extend(new)
            key = (v.provider_id, v.member_medicaid_id, day, v.service_code, kind)
            row = rows.get(key)
            if row is None:
                row = rows[key] = _Row(v, kind, required, rule, explanation, g.cause, g.backup)
            hours = _hours(new)
            # A row's cause is that of the visit that left the most hours uncovered.
            if hours > row.weight:
                row.cause, row.backup, row.rule, row.explanation = (
                    g.cause,
                    g.backup,
                    rule,
                    explanation,
                )
                row.weight = hours
            row.scheduled.append(window)
            row.delivered.extend(delivered)
            row.gaps.extend(new)
            row.workers.extend(w for w in g.workers if w not in row.workers)
            row.lines.extend(g.lines)
    return [_interruption(key, row) for key, row in sorted(rows.items(), key=lambda kv: kv[0])]


def _interruption(key: tuple[str, str, date, str, str], row: _Row) -> Interruption:
    provider, member, day, service, kind = key
    gaps = _merge(row.gaps)
    return Interruption(
        provider_id=provider,
        member_medicaid_id=member,
        incident_date=day,
        service_code=service,
        hours_without_staff=round(_hours(gaps), 2),
        kind=kind,
        report_required=row.required,
        rule=row.rule,
        explanation=row.explanation,
        cause=row.cause,
        backup=row.backup,
        member_last_name=row.first.member_last_name,
        member_first_name=row.first.member_first_name,
        member_date_of_birth=row.first.member_date_of_birth,
        scheduled=tuple(sorted(set(row.scheduled))),
        delivered=tuple(_merge(row.delivered)),
        gaps=tuple(gaps),
        worker_ids=tuple(row.workers),
        lines=tuple(sorted(set(row.lines))),
    )


#: The columns of ``carecover backup from-visits`` (the first seven are the public contract).
INTERRUPTION_COLUMNS: tuple[str, ...] = (
    "provider_id",
    "member_medicaid_id",
    "incident_date",
    "service_code",
    "hours_without_staff",
    "kind",
    "report_required",
    "rule",
    "explanation",
    "cause",
    "backup",
    "scheduled",
    "delivered",
    "gaps",
    "worker_ids",
    "member_last_name",
    "member_first_name",
    "member_date_of_birth",
    "lines",
)


def _span(interval: Interval, day: date) -> str:
    """``HH:MM-HH:MM`` within ``day`` (``24:00`` for its midnight), else full dates and times."""
    start, end = interval
    midnight = datetime.combine(day + timedelta(days=1), time())
    if start.date() == day and end <= midnight:
        return f"{start:%H:%M}-" + ("24:00" if end == midnight else f"{end:%H:%M}")
    return f"{start:%Y-%m-%d %H:%M}-{end:%Y-%m-%d %H:%M}"


def interruption_row(item: Interruption) -> dict[str, str | float | bool | None]:
    """One interruption as the ``from-visits`` output row (times as HH:MM spans)."""
    day = item.incident_date
    return {
        "provider_id": item.provider_id,
        "member_medicaid_id": item.member_medicaid_id,
        "incident_date": day.isoformat(),
        "service_code": item.service_code,
        "hours_without_staff": item.hours_without_staff,
        "kind": item.kind,
        "report_required": item.report_required,
        "rule": item.rule,
        "explanation": item.explanation,
        "cause": item.cause.value if item.cause else None,
        "backup": item.backup.value if item.backup else None,
        "scheduled": ";".join(_span(i, day) for i in item.scheduled),
        "delivered": ";".join(_span(i, day) for i in item.delivered),
        "gaps": ";".join(_span(i, day) for i in item.gaps),
        "worker_ids": ";".join(item.worker_ids),
        "member_last_name": item.member_last_name,
        "member_first_name": item.member_first_name,
        "member_date_of_birth": (
            item.member_date_of_birth.isoformat() if item.member_date_of_birth else None
        ),
        "lines": ";".join(str(n) for n in item.lines),
    }


@dataclass(frozen=True)
class VisitSummary:
    """Counts over one visit file: what to file, what to log, what to explain."""

    visits: int
    failures: int
    service_breaks: int
    unexplained: int
    hours_failures: float
    hours_breaks: float


def summarise(visits: Sequence[Visit], found: Sequence[Interruption]) -> VisitSummary:
    """How many visits were read and how the interruptions found split by kind."""
    by_kind: dict[str, list[Interruption]] = defaultdict(list)
    for item in found:
        by_kind[item.kind].append(item)
    failures = by_kind[str(OutcomeKind.FAILURE_TO_PROVIDE_BACKUP)]
    breaks = by_kind[str(OutcomeKind.SERVICE_BREAK)]
    return VisitSummary(
        visits=len({v.schedule_key for v in visits}),
        failures=len(failures),
        service_breaks=len(breaks),
        unexplained=len(by_kind[UNEXPLAINED]),
        hours_failures=round(sum(i.hours_without_staff for i in failures), 2),
        hours_breaks=round(sum(i.hours_without_staff for i in breaks), 2),
    )
