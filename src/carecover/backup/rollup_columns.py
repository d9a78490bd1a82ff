"""The roll-up's arithmetic over a table of report columns, in DuckDB.

``carecover.backup.rollup`` owns what a roll-up shows; this module owns how
its counts are taken. Both entry points go through it: ``build_rollup``
turns ``BackupReport`` objects into a table with ``report_table``, and
``rollup_from_table`` takes a table built straight from a database cursor
(the portal, where 130,000 report objects would cost seconds). So each rule
below (which reports count, what "late" and "reason" mean) is written once.

A report table has the columns of ``REPORT_SCHEMA``: only what the roll-up
reads. ``submitted_on`` is the calendar day the report was (last) filed and
``first_submitted_on`` the day it was first filed, in the MCO's time zone (the
caller converts: the domain compares days, not instants); the first filing
decides lateness (``compliance.filed_on``). ``report_id``, ``learned_on`` and
``first_submitted_on`` may be left out of a table (read as empty), and
``harm`` (the member was harmed or put at risk; read as no).
Rounding is left to the caller, in Python, so the figures round the same way
whatever engine summed them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from carecover.backup.compliance import FILED_STATUSES, Attestation, deadline
from carecover.backup.periods import PeriodScheme
from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    DeclinedBy,
    Member,
    ReporterKind,
)

__all__ = ["REPORT_SCHEMA", "Detail", "GroupCounts", "Harmed", "ReportFrame", "report_table"]

#: The columns a report table holds (any order; extra columns are ignored).
REPORT_SCHEMA = pa.schema(
    [
        ("provider_id", pa.string()),
        ("provider_name", pa.string()),
        ("reporter_kind", pa.string()),
        ("medicaid_id", pa.string()),
        ("incident_date", pa.date32()),
        ("service_code", pa.string()),
        ("hours_without_staff", pa.float64()),
        ("backup_status", pa.string()),
        ("reason", pa.string()),
        ("declined_by", pa.string()),
        ("status", pa.string()),
        ("submitted_on", pa.date32()),
        ("report_id", pa.string()),
        ("learned_on", pa.date32()),
        ("first_submitted_on", pa.date32()),
        ("harm", pa.bool_()),
    ]
)
#: Columns a table may leave out: older callers' tables still roll up.
_OPTIONAL = ("report_id", "learned_on", "first_submitted_on", "harm")

#: Per group: key, reports, not available, hours (unrounded), members, late reports.
GroupCounts = tuple[str, int, int, float, int, int]
#: One report of the detail list: id, provider id and name, service, incident date,
#: hours, status, backup status, reason key (as ``groups("reason")``), learned on.
Detail = tuple[str, str, str, str, date, float, str, str, str, date | None]
#: One report with harm or escalation: id, provider id and name, service, incident
#: date, hours, status, backup status, reason key, the member's Medicaid id.
Harmed = tuple[str, str, str, str, date, float, str, str, str, str]


def report_table(reports: Iterable[BackupReport]) -> pa.Table:
    """The report table of ``reports`` (the object API's way into the columnar roll-up)."""
    items = list(reports)
    columns: dict[str, list[Any]] = {
        "provider_id": [r.provider_id for r in items],
        "provider_name": [r.provider_name for r in items],
        "reporter_kind": [str(r.reporter_kind) for r in items],
        "medicaid_id": [r.member.medicaid_id for r in items],
        "incident_date": [r.incident_date for r in items],
        "service_code": [r.service_code for r in items],
        "hours_without_staff": [float(r.hours_without_staff) for r in items],
        "backup_status": [str(r.backup_status) for r in items],
        "reason": [r.reason for r in items],
        "declined_by": [str(r.declined_by) if r.declined_by else None for r in items],
        "status": [str(r.status) for r in items],
        "submitted_on": [r.submitted_at.date() if r.submitted_at else None for r in items],
        "report_id": [r.report_id for r in items],
        "learned_on": [r.learned_on for r in items],
        "first_submitted_on": [_day(r.first_submitted_at or r.submitted_at) for r in items],
        "harm": [r.harm for r in items],
    }
    return pa.table(columns, schema=REPORT_SCHEMA)


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment else None


_NOBODY = Contact("", "", "")
_NO_MEMBER = Member("", "", date(1900, 1, 1), "")

# Declined reports have no reason code; who declined is their "why".
_REASON = """CASE WHEN coalesce(reason, '') <> '' THEN reason
    WHEN coalesce(declined_by, '') <> '' THEN 'declined_by_' || declined_by
    ELSE '(not given)' END"""
# A report is late when it was first filed after its deadline: its reporting
# period's due date, or the due date of the period in which the provider
# learned of the incident when that is later (``compliance.deadline``).
_FILED = "coalesce(first_submitted_on, submitted_on)"
_LATE = f"({_FILED} IS NOT NULL AND {_FILED} > deadline)"
_COUNTS = f"""count(*), count(*) FILTER (backup_status = '{BackupStatus.NOT_AVAILABLE}'),
    coalesce(sum(hours_without_staff), 0), count(DISTINCT medicaid_id),
    count(*) FILTER (late)"""


class ReportFrame:
    """A report table in DuckDB, with each report's period and the derived rule columns."""

    def __init__(self, table: pa.Table, scheme: PeriodScheme, counted: Collection[str]) -> None:
        """Register ``table``; ``counted`` are the statuses whose reports enter a roll-up."""
        self._con = duckdb.connect()
        self._counted = sorted(counted)
        for name in _OPTIONAL:
            if name not in table.column_names:
                field = REPORT_SCHEMA.field(name)
                table = table.append_column(field, pa.nulls(len(table), field.type))
        given = table.select(REPORT_SCHEMA.names).cast(REPORT_SCHEMA)
        # Input order decides which name a provider is shown under (the last one).
        # ``from_arrow``, not ``register``: ``register`` imports pandas (half a
        # second on a worker's first roll-up) only to check the argument's type.
        seq = given.append_column("seq", pa.array(range(len(given)), pa.int64()))
        self._con.from_arrow(seq).create_view("given")
        pairs = self._con.execute("SELECT DISTINCT incident_date, learned_on FROM given").fetchall()
        periods = [scheme.period_for(d) for d, _ in pairs]
        dues = pa.table(
            {
                "day": [d for d, _ in pairs],
                "learned": [learned for _, learned in pairs],
                "period_start": [p.start for p in periods],
                "period_due": [p.due for p in periods],
                "deadline": [
                    deadline(d, learned, scheme) if learned else p.due
                    for (d, learned), p in zip(pairs, periods, strict=True)
                ],
            },
            schema=pa.schema([("day", pa.date32()), ("learned", pa.date32()),
                              ("period_start", pa.date32()), ("period_due", pa.date32()),
                              ("deadline", pa.date32())]),
        )  # fmt: skip
        self._con.from_arrow(dues).create_view("dues")
        self._con.execute(
            # A table, not a view: a roll-up asks a dozen questions of it.
            f"""CREATE TEMP TABLE reports AS
            SELECT g.*, d.period_start, d.period_due, d.deadline, {_LATE} AS late,
            {_REASON} AS reason_key,
            coalesce(g.learned_on > g.incident_date, false) AS discovered_late
            FROM given g JOIN dues d ON d.day = g.incident_date
            AND d.learned IS NOT DISTINCT FROM g.learned_on"""
        )

    def _rows(self, sql: str, start: date, end: date) -> list[tuple[Any, ...]]:
        where = "list_contains(?, status) AND incident_date BETWEEN ? AND ?"
        query = sql.format(where=where)
        params = [self._counted, start, end] * sql.count("{where}")
        rows: list[tuple[Any, ...]] = self._con.execute(query, params).fetchall()
        return rows

    def figures(self, start: date, end: date) -> dict[str, Any]:
        """Unrounded headline counts of the counted reports with an incident in the dates."""
        (row,) = self._rows(
            f"""SELECT {_COUNTS}, quantile_cont(hours_without_staff, 0.5),
            count(*) FILTER (backup_status = '{BackupStatus.OFFERED_DECLINED}'),
            count(*) FILTER (discovered_late), count(*) FILTER (status = 'returned'),
            count(*) FILTER (coalesce(harm, false))
            FROM reports WHERE {{where}}""",
            start,
            end,
        )
        (members,) = self._rows(
            """SELECT count(*) FILTER (n >= 2), coalesce(max(n), 0) FROM
            (SELECT count(*) AS n FROM reports WHERE {where} GROUP BY medicaid_id)""",
            start,
            end,
        )
        return {
            "reports": row[0],
            "not_available": row[1],
            "hours_total": row[2],
            "members_affected": row[3],
            "late_reports": row[4],
            "hours_median": row[5],
            "offered_declined": row[6],
            "discovered_late": row[7],
            "returned": row[8],
            "harm": row[9],
            "members_with_repeated_failures": members[0],
            "highest_reports_one_member": members[1],
        }

    def groups(self, key: str, start: date, end: date) -> list[GroupCounts]:
        """Counts per value of ``key`` (``provider_id``, ``service_code``, ``reason``)."""
        expr = "backup_status || '|' || reason_key" if key == "reason" else key
        rows = self._rows(
            f"SELECT {expr}, {_COUNTS} FROM reports WHERE {{where}} GROUP BY 1", start, end
        )
        # Python's order, not the engine's collation: keys sort as plain strings.
        return sorted((str(r[0]), r[1], r[2], float(r[3]), r[4], r[5]) for r in rows)

    def totals(self, start: date, end: date) -> GroupCounts:
        """The counts of every counted report in ``start``..``end`` (one trend bucket)."""
        (row,) = self._rows(f"SELECT '', {_COUNTS} FROM reports WHERE {{where}}", start, end)
        return (str(row[0]), row[1], row[2], float(row[3]), row[4], row[5])

    def provider_names(self, start: date, end: date) -> dict[str, tuple[str, str]]:
        """Each provider's name and reporter kind, as its last report in the dates gives them."""
        rows = self._rows(
            """SELECT provider_id, arg_max(provider_name, seq), arg_max(reporter_kind, seq)
            FROM reports WHERE {where} GROUP BY 1""",
            start,
            end,
        )
        return {str(pid): (str(name), str(kind)) for pid, name, kind in rows}

    def repeated(self, start: date, end: date) -> list[tuple[str, int, float, int, date, date]]:
        """Members with 2+ counted reports: reports, hours, providers, first and last incident."""
        rows = self._rows(
            """SELECT medicaid_id, count(*), sum(hours_without_staff), count(DISTINCT provider_id),
            min(incident_date), max(incident_date) FROM reports WHERE {where}
            GROUP BY 1 HAVING count(*) >= 2""",
            start,
            end,
        )
        return [(str(m), n, float(h), p, lo, hi) for m, n, h, p, lo, hi in rows]

    def monthly_by_member(
        self, start: date, end: date, months: Sequence[date]
    ) -> list[tuple[Any, ...]]:
        """Members with 2+ counted reports: Medicaid id, reports in each of ``months``
        (first days), total; most reports first."""
        counts = ", ".join(
            f"count(*) FILTER (date_trunc('month', incident_date) = DATE '{m.isoformat()}')"
            for m in months
        )
        return self._rows(
            f"""SELECT medicaid_id, {counts}, count(*) FROM reports WHERE {{where}}
            GROUP BY 1 HAVING count(*) >= 2 ORDER BY count(*) DESC, medicaid_id""",
            start,
            end,
        )

    def repeated_declines(self, start: date, end: date) -> list[tuple[str, int, float, date, date]]:
        """Members whose legally responsible person declined offered backup staff 2+ times:
        declines, hours, first and last incident (a rights question for the HRC)."""
        rows = self._rows(
            f"""SELECT medicaid_id, count(*), sum(hours_without_staff), min(incident_date),
            max(incident_date) FROM reports WHERE {{where}}
            AND backup_status = '{BackupStatus.OFFERED_DECLINED}'
            AND declined_by = '{DeclinedBy.LEGALLY_RESPONSIBLE_PERSON}'
            GROUP BY 1 HAVING count(*) >= 2""",
            start,
            end,
        )
        return [(str(m), n, float(h), lo, hi) for m, n, h, lo, hi in rows]

    def details(self, start: date, end: date) -> list[Detail]:
        """Every counted report with an incident in the dates, oldest incident first."""
        rows = self._rows(
            """SELECT coalesce(report_id, ''), provider_id, provider_name, service_code,
            incident_date, hours_without_staff, status, backup_status, reason_key, learned_on
            FROM reports WHERE {where} ORDER BY incident_date, report_id, seq""",
            start,
            end,
        )
        return [
            (str(i), str(p), str(n), str(s), d, float(h), str(st), str(b), str(r), learned)
            for i, p, n, s, d, h, st, b, r, learned in rows
        ]

    def harmed(self, start: date, end: date) -> list[Harmed]:
        """Counted reports with harm or escalation in the dates, oldest incident first."""
        rows = self._rows(
            """SELECT coalesce(report_id, ''), provider_id, provider_name, service_code,
            incident_date, hours_without_staff, status, backup_status, reason_key, medicaid_id
            FROM reports WHERE {where} AND coalesce(harm, false)
            ORDER BY incident_date, report_id, seq""",
            start,
            end,
        )
        return [
            (str(i), str(p), str(n), str(s), d, float(h), str(st), str(b), str(r), str(m))
            for i, p, n, s, d, h, st, b, r, m in rows
        ]

    def provider_ids(self) -> list[str]:
        """Every provider in the table (counted or not)."""
        rows = self._con.execute("SELECT DISTINCT provider_id FROM given").fetchall()
        return [str(pid) for (pid,) in rows]

    def filing_reports(self, attestations: Sequence[Attestation]) -> list[BackupReport]:
        """Placeholder reports standing for the table's filings, for ``period_compliance``.

        Compliance reads only who filed, for which period and when. One
        placeholder stands for all of a provider's reports for a period filed
        the same day (``filings``), so of the rows ``period_compliance`` makes
        from them only the statuses are exact (not the report counts), which
        is all a roll-up reads. They are filed at noon, in the attestations'
        time zone so the two compare.
        """
        zone = next((a.attested_at.tzinfo for a in attestations), None)
        status = min(FILED_STATUSES)  # any filed status: they all count alike
        return [
            BackupReport(
                report_id="",
                reporter_kind=ReporterKind.PROVIDER,
                provider_id=pid,
                provider_name=name,
                contact=_NOBODY,
                member=_NO_MEMBER,
                incident_date=period_start,
                service_code="",
                scheduled_start=time(0),
                scheduled_end=time(0),
                hours_without_staff=0.0,
                backup_status=BackupStatus.NOT_AVAILABLE,
                status=status,
                submitted_at=datetime.combine(day, time(12), tzinfo=zone) if day else None,
                learned_on=learned,
            )
            for pid, name, period_start, day, learned in self.filings(
                [s.value for s in FILED_STATUSES]
            )
        ]

    def filings(
        self, filed: Collection[str]
    ) -> list[tuple[str, str, date, date | None, date | None]]:
        """Distinct (provider, name, period start, first filing day, learned on) of the
        reports in ``filed`` statuses.

        One row stands for every report of a provider and period first filed on
        the same day and learned of on the same day: the status of a
        provider-period depends only on those (``compliance.period_compliance``).
        The name is the provider's first.
        """
        # Every report of a group shares its deadline; when that is later than the
        # period's own due date, any of their learned-on days gives it back.
        rows = self._con.execute(
            f"""SELECT provider_id, arg_min(provider_name, seq), period_start, {_FILED},
            CASE WHEN deadline > period_due THEN max(learned_on) END
            FROM reports WHERE list_contains(?, status)
            GROUP BY provider_id, period_start, {_FILED}, deadline, period_due
            ORDER BY min(seq)""",
            [sorted(filed)],
        ).fetchall()
        return [(str(p), str(n), s, on, learned) for p, n, s, on, learned in rows]
