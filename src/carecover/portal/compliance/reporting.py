"""The MCO's roll-ups over the database: ``carecover.backup.rollup`` does the work.

This module loads the filed reports of the whole trend span (the roll-up
period and the periods before it, ``ROLLUP_TREND_MONTHS`` or
``ROLLUP_TREND_QUARTERS`` in all) once, as a table of columns
(``load_report_table``), with the attestations and the organisations expected
to report, and hands them to ``rollups_from_table`` (the columnar twin of
``build_rollup``), which rolls up every period of the span in one call; the
trend is those roll-ups' headline figures, one row per period. ``export``
renders the result. No figure is computed here.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# DuckDB imports pandas the first time it scans an Arrow table (about half a
# second): pay that when the portal's URLs load, not inside a roll-up request.
import pandas  # noqa: F401
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]
from django.conf import settings
from django.db import connection
from django.db.models import F, IntegerField, TextField
from django.db.models.functions import Cast, Coalesce, TruncDate

from carecover.backup.compliance import FILED_STATUSES, ProviderRef
from carecover.backup.export import rollup_tables, to_csv, write_xlsx
from carecover.backup.rollup import (
    KINDS,
    Rollup,
    RollupKind,
    Table,
    period_start_for,
    rollups_from_table,
)
from carecover.backup.rollup_columns import REPORT_SCHEMA
from carecover.errors import ConfigError, InputError
from carecover.portal.compliance import services
from carecover.portal.incidents.models import Report

__all__ = [
    "TREND_FIGURES",
    "RollupPage",
    "default_period",
    "load_report_table",
    "rollup_csv",
    "rollup_for",
    "rollup_xlsx",
    "trend_length",
]

#: The headline figures the trend shows for each period (``Rollup.figure`` names).
TREND_FIGURES = (
    "reports",
    "members_affected",
    "hours_without_staff_total",
    "not_available",
    "offered_declined",
    "late_reports",
    "late_submissions",
    "missing_submissions",
)


@dataclass(frozen=True)
class RollupPage:
    """A roll-up, its trend over periods (one row per period, oldest first) and its period."""

    rollup: Rollup
    trend: Table
    period: str

    def tables(self) -> list[Table]:
        """What a download holds: the headline figures, the trend, the roll-up's tables."""
        headline, *rest = rollup_tables(self.rollup)
        return [headline, self.trend, *rest]


def trend_length(kind: RollupKind) -> int:
    """How many periods the trend covers, this one included (a Django setting).

    ``ROLLUP_TREND_MONTHS`` (default 6) for the monthly snapshot,
    ``ROLLUP_TREND_QUARTERS`` (default 4) for the quarterly reports.
    """
    name, default = (
        ("ROLLUP_TREND_QUARTERS", 4) if KINDS[kind].quarterly else ("ROLLUP_TREND_MONTHS", 6)
    )
    value = getattr(settings, name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{name} must be a whole number of periods, at least 1, not {value!r}")
    return value


def default_period(kind: RollupKind, today: date) -> str:
    """The last finished month (``2026-10``) or quarter (``2026Q3``) before ``today``."""
    spec = KINDS[kind]
    start, _ = spec.bounds(today)
    last_start, _ = spec.bounds(start - timedelta(days=1))
    if spec.quarterly:
        return f"{last_start.year}Q{(last_start.month - 1) // 3 + 1}"
    return last_start.strftime("%Y-%m")


# The report table's columns, as the ORM names them. Dates come as ISO text
# and Arrow parses them in bulk: the driver's per-value parsing was most of the
# page's time. A filing's day is taken in the MCO's time zone (``TIME_ZONE``).
_COLUMNS = {
    "provider_id": F("provider_id"),
    "provider_name": F("provider_name"),
    "reporter_kind": F("reporter_kind"),
    "medicaid_id": F("member__medicaid_id"),
    "incident_date": Cast("incident_date", TextField()),
    "service_code": F("service_code"),
    "hours_without_staff": F("hours_without_staff"),
    "backup_status": F("backup_status"),
    "reason": F("reason"),
    "declined_by": F("declined_by"),
    "status": F("status"),
    "submitted_on": Cast(TruncDate("submitted_at"), TextField()),
    "report_id": F("report_id"),
    "learned_on": Cast("learned_on", TextField()),
    # Rows stored without it (bulk loads) were first filed when they were filed.
    "first_submitted_on": Cast(
        TruncDate(Coalesce("first_submitted_at", "submitted_at")), TextField()
    ),
    # 0/1 on both databases (PostgreSQL's COPY would write t/f, which Arrow does not read).
    "harm": Cast("harm", IntegerField()),
}


def load_report_table(first: date, last: date) -> pa.Table:
    """Filed reports with an incident date in ``first``..``last``, as a report table.

    The columns of ``carecover.backup.rollup_columns.REPORT_SCHEMA``, read
    straight from the cursor: no model instances, no ``BackupReport`` objects.
    """
    rows = (
        Report.objects.filter(
            incident_date__range=(first, last), status__in=[s.value for s in FILED_STATUSES]
        )
        # No order: sorting 130,000 rows cost PostgreSQL half a second, and a
        # provider's name is the same on all its reports (the organisation's).
        .order_by()
        .annotate(**{f"c_{name}": expr for name, expr in _COLUMNS.items()})
        .values_list(*(f"c_{name}" for name in _COLUMNS))
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _copy_table(cursor.cursor, sql, params)
        cursor.execute(sql, params)
        data = cursor.fetchall()
    columns = list(zip(*data, strict=True)) if data else [() for _ in _COLUMNS]
    text = pa.table(
        {name: pa.array(values) for name, values in zip(_COLUMNS, columns, strict=True)}
    )
    return text.cast(_schema_from_text(text.schema))


def _copy_table(cursor: Any, sql: str, params: Sequence[Any]) -> pa.Table:
    """PostgreSQL: the query's rows as CSV through COPY, parsed by Arrow (no Python rows).

    COPY streams while the server still scans, so reading overlaps the scan.
    Tried and measured slower or barely faster on a year of the benchmark's
    reports: one ``string_agg`` value (2.3 s against 1.5 s), reading libpq's
    rows in a loop of our own (about 10 % faster: not worth leaving psycopg's API).
    """
    data = io.BytesIO()
    with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
        for block in copy:
            data.write(block)
    if not data.tell():
        return REPORT_SCHEMA.empty_table()
    data.seek(0)
    return pa_csv.read_csv(
        data,
        read_options=pa_csv.ReadOptions(column_names=list(_COLUMNS)),
        # COPY writes NULL unquoted and an empty string quoted: keep them apart.
        convert_options=pa_csv.ConvertOptions(
            column_types=REPORT_SCHEMA, strings_can_be_null=True, quoted_strings_can_be_null=False
        ),
    )


def _schema_from_text(schema: pa.Schema) -> pa.Schema:
    # Empty columns come back as nulls; every column takes the report table's type.
    return pa.schema([REPORT_SCHEMA.field(name) for name in schema.names])


def _period_text(start: date, quarterly: bool) -> str:
    return f"{start.year}Q{(start.month - 1) // 3 + 1}" if quarterly else start.strftime("%Y-%m")


def rollup_for(kind: RollupKind, period: str, *, as_of: date) -> RollupPage:
    """The roll-up of ``kind`` for ``period`` (``2026-10`` or ``2026Q4``) as known on ``as_of``.

    With it the trend: the headline figures of ``trend_length(kind)`` periods
    ending with this one, each equal to that period's own roll-up. Raises
    ``InputError`` for a period that cannot be read.
    """
    spec = KINDS[kind]
    length = trend_length(kind)
    start, end = spec.bounds(_parse(kind, period))
    # Oldest last. At least two periods: the roll-up compares with the one before.
    starts = [start]
    while len(starts) < max(length, 2):
        starts.append(spec.bounds(starts[-1] - timedelta(days=1))[0])
    starts.reverse()
    # One load and one call for the whole span. The oldest roll-up's own
    # "previous" figures would need the period before the span; they are not
    # shown, so that period is not read.
    reports = load_report_table(starts[0], end)
    orgs = list(services.reporting_organisations())
    providers = [ProviderRef(org.code, org.name, org.kind, org.reporting_since) for org in orgs]
    attestations = services.domain_attestations(orgs, starts[0], end)
    rollups = rollups_from_table(
        kind,
        reports,
        [_period_text(s, spec.quarterly) for s in starts],
        as_of=as_of,
        attestations=attestations,
        providers=providers,
        scheme=services.scheme(),
        tables_for_last_only=True,  # the trend shows only the earlier periods' figures
        required_from=services.profile().required_from,
        min_cell_members=services.profile().min_cell_members,
        timeliness_standard_pct=services.profile().timeliness_standard_pct,
    )
    shown = rollups[-length:]
    unit = "quarters" if spec.quarterly else "months"
    title = f"Trend over the last {length} {unit}" if length > 1 else "Trend (this period only)"
    trend = Table(
        "trend",
        title,
        ("period", *TREND_FIGURES),
        tuple(
            (_period_text(r.start, spec.quarterly), *(r.figure(n).value for n in TREND_FIGURES))
            for r in shown
        ),
    )
    return RollupPage(rollups[-1], trend, _period_text(start, spec.quarterly))


def _parse(kind: RollupKind, period: str) -> date:
    try:
        return period_start_for(kind, period)
    except InputError as exc:
        raise InputError(exc.reason, field="period") from None


def rollup_csv(page: RollupPage) -> str:
    """The roll-up and its trend as CSV (``export.to_csv``: formula injection neutralised)."""
    return to_csv(page.tables())


def rollup_xlsx(page: RollupPage) -> bytes:
    """The roll-up and its trend as XLSX (``export.write_xlsx``: formula injection neutralised)."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(page.tables(), Path(folder) / "rollup.xlsx")
        return path.read_bytes()
