"""The roll-up's arithmetic over a table of report columns, in DuckDB.

``carecover.backup.rollup`` owns what a roll-up shows; this module owns how
its counts are taken. Both entry points go through it: ``build_rollup``
turns ``BackupReport`` objects into a table with ``report_table``, and
``rollup_from_table`` takes a table built straight from a database cursor
(the portal, where 130,000 report objects would cost seconds). So each rule
below (which reports count, what "late" and "reason" mean) is written once.

A report table has the columns of ``REPORT_SCHEMA``: only what the roll-up
reads. ``submitted_on`` is the calendar day the report was filed, in the
MCO's time zone (the caller converts: the domain compares days, not instants).
Rounding is left to the caller, in Python, so the figures round the same way
whatever engine summed them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from carecover.backup.compliance import FILED_STATUSES, Attestation
from carecover.backup.periods import PeriodScheme
from carecover.backup.report import BackupReport, BackupStatus, Contact, Member, ReporterKind

__all__ = ["REPORT_SCHEMA", "GroupCounts", "ReportFrame", "report_table"]

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
    ]
)

#: Per group: key, reports, not available, hours (unrounded), members, late reports.
GroupCounts = tuple[str, int, int, float, int, int]


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
    }
    return pa.table(columns, schema=REPORT_SCHEMA)


_NOBODY = Contact("", "", "")
_NO_MEMBER = Member("", "", date(1900, 1, 1), "")

# Declined reports have no reason code; who declined is their "why".
_REASON = """CASE WHEN coalesce(reason, '') <> '' THEN reason
    WHEN coalesce(declined_by, '') <> '' THEN 'declined_by_' || declined_by
    ELSE '(not given)' END"""
# A report is late when it was filed after its reporting period's due date.
_LATE = "(submitted_on IS NOT NULL AND submitted_on > due)"
_COUNTS = f"""count(*), count(*) FILTER (backup_status = '{BackupStatus.NOT_AVAILABLE}'),
    coalesce(sum(hours_without_staff), 0), count(DISTINCT medicaid_id),
    count(*) FILTER (late)"""


class ReportFrame:
    """A report table in DuckDB, with each report's period and the derived rule columns."""

    def __init__(self, table: pa.Table, scheme: PeriodScheme, counted: Collection[str]) -> None:
        """Register ``table``; ``counted`` are the statuses whose reports enter a roll-up."""
        self._con = duckdb.connect()
        self._counted = sorted(counted)
        given = table.select(REPORT_SCHEMA.names).cast(REPORT_SCHEMA)
        # Input order decides which name a provider is shown under (the last one).
        # ``from_arrow``, not ``register``: ``register`` imports pandas (half a
        # second on a worker's first roll-up) only to check the argument's type.
        seq = given.append_column("seq", pa.array(range(len(given)), pa.int64()))
        self._con.from_arrow(seq).create_view("given")
        days = [
            d for (d,) in self._con.execute("SELECT DISTINCT incident_date FROM given").fetchall()
        ]
        periods = [scheme.period_for(d) for d in days]
        dues = pa.table(
            {
                "day": days,
                "period_start": [p.start for p in periods],
                "due": [p.due for p in periods],
            },
            schema=pa.schema([("day", pa.date32()), ("period_start", pa.date32()),
                              ("due", pa.date32())]),
        )  # fmt: skip
        self._con.from_arrow(dues).create_view("dues")
        self._con.execute(
            # A table, not a view: a roll-up asks a dozen questions of it.
            f"""CREATE TEMP TABLE reports AS
            SELECT g.*, d.period_start, {_LATE} AS late, {_REASON} AS reason_key
            FROM given g JOIN dues d ON d.day = g.incident_date"""
        )

    def _rows(self, sql: str, start: date, end: date) -> list[tuple[Any, ...]]:
        where = "list_contains(?, status) AND incident_date BETWEEN ? AND ?"
        query = sql.format(where=where)
        rows: list[tuple[Any, ...]] = self._con.execute(
            query, [self._counted, start, end]
        ).fetchall()
        return rows

    def figures(self, start: date, end: date) -> dict[str, Any]:
        """Unrounded headline counts of the counted reports with an incident in the dates."""
        (row,) = self._rows(
            f"""SELECT {_COUNTS}, quantile_cont(hours_without_staff, 0.5),
            count(*) FILTER (backup_status = '{BackupStatus.OFFERED_DECLINED}')
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
            )
            for pid, name, period_start, day in self.filings([s.value for s in FILED_STATUSES])
        ]

    def filings(self, filed: Collection[str]) -> list[tuple[str, str, date, date | None]]:
        """Distinct (provider, name, period start, filing day) of the reports in ``filed`` statuses.

        One row stands for every report of a provider and period filed on the
        same day: the status of a provider-period depends only on those
        (``compliance.period_compliance``). The name is the provider's first.
        """
        rows = self._con.execute(
            """SELECT provider_id, arg_min(provider_name, seq), period_start, submitted_on
            FROM reports WHERE list_contains(?, status)
            GROUP BY provider_id, period_start, submitted_on ORDER BY min(seq)""",
            [sorted(filed)],
        ).fetchall()
        return [(str(p), str(n), s, on) for p, n, s, on in rows]
