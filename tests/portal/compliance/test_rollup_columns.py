"""The portal's fast roll-up path (columns from the cursor) equals the object path.

Runs on SQLite by default and on PostgreSQL (the COPY path) when
``CARECOVER_TEST_DATABASE_URL`` names one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from carecover.backup.compliance import FILED_STATUSES, ProviderRef
from carecover.backup.rollup import KINDS, Rollup, RollupKind, build_rollup
from carecover.backup.rollup_columns import REPORT_SCHEMA, report_table
from carecover.errors import ConfigError
from carecover.portal.compliance import reporting, services
from carecover.portal.demo import load_demo
from carecover.portal.incidents.conversion import to_domain
from carecover.portal.incidents.models import Report

pytestmark = pytest.mark.django_db


def _object_rollup(kind: RollupKind, period: str, today: date) -> Rollup:
    """The roll-up the slow way: every report as a ``BackupReport``, then ``build_rollup``."""
    reports = [to_domain(r) for r in Report.objects.select_related("member", "site")]
    orgs = list(services.reporting_organisations())
    first = date(2000, 1, 1)
    return build_rollup(
        kind,
        reports,
        period,
        as_of=today,
        attestations=services.domain_attestations(orgs, first, today),
        providers=[ProviderRef(o.code, o.name, o.kind, o.reporting_since) for o in orgs],
        scheme=services.scheme(),
    )


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by([(name, "ascending") for name in REPORT_SCHEMA.names])


@pytest.fixture
def demo_today() -> date:
    """The demo world, loaded as of a fixed day."""
    today = date(2026, 11, 20)
    load_demo(today=today)
    return today


def test_the_report_table_read_from_the_database_equals_the_domain_reports_table(
    demo_today: date,
) -> None:
    filed = [s.value for s in FILED_STATUSES]
    rows = Report.objects.filter(status__in=filed).select_related("member", "site")
    expected = report_table(to_domain(r) for r in rows)
    loaded = reporting.load_report_table(date(2000, 1, 1), demo_today)
    assert loaded.num_rows == expected.num_rows > 0
    # Null and "" reason are the same to the roll-up; the table keeps what the row holds.
    fill = {"reason": "", "declined_by": ""}
    for name in REPORT_SCHEMA.names:
        mine, theirs = _sorted(loaded).column(name), _sorted(expected).column(name)
        if name in fill:
            mine, theirs = mine.fill_null(fill[name]), theirs.fill_null(fill[name])
        assert mine.equals(theirs), name


@pytest.mark.parametrize("kind", list(RollupKind))
def test_the_page_rollup_equals_build_rollup_on_the_demo_data(
    demo_today: date, kind: RollupKind
) -> None:
    period = reporting.default_period(kind, demo_today)
    page = reporting.rollup_for(kind, period, as_of=demo_today)
    expected = _object_rollup(kind, period, demo_today)
    assert page.rollup == expected
    assert page.rollup.figure("reports").value


@pytest.mark.parametrize("kind", list(RollupKind))
def test_each_trend_row_equals_build_rollup_for_its_period_on_the_demo_data(
    demo_today: date, kind: RollupKind
) -> None:
    period = reporting.default_period(kind, demo_today)
    page = reporting.rollup_for(kind, period, as_of=demo_today)
    assert len(page.trend.rows) == (4 if KINDS[kind].quarterly else 6)
    assert page.trend.rows[-1][0] == period
    for row in page.trend.rows:
        expected = _object_rollup(kind, str(row[0]), demo_today)
        figures = dict(zip(page.trend.columns[1:], row[1:], strict=True))
        assert figures == {n: expected.figure(n).value for n in reporting.TREND_FIGURES}, row[0]
    # The demo's six months of reports show up in more than one period of the trend.
    assert sum(1 for row in page.trend.rows if row[1]) >= 2


@pytest.mark.parametrize(
    ("kind", "length"), [(RollupKind.MONTHLY, 3), (RollupKind.QUARTERLY_STATE, 1)]
)
def test_the_trend_covers_as_many_periods_as_the_setting_says(
    demo_today: date, kind: RollupKind, length: int, settings: Any
) -> None:
    settings.ROLLUP_TREND_MONTHS = length
    settings.ROLLUP_TREND_QUARTERS = length
    period = reporting.default_period(kind, demo_today)
    page = reporting.rollup_for(kind, period, as_of=demo_today)
    assert [row[0] for row in page.trend.rows][-1] == period
    assert len(page.trend.rows) == length
    # A one-period trend still compares the roll-up with the period before it.
    assert page.rollup == _object_rollup(kind, period, demo_today)


def test_a_trend_length_below_one_is_a_configuration_error(settings: Any) -> None:
    settings.ROLLUP_TREND_MONTHS = 0
    with pytest.raises(ConfigError, match="ROLLUP_TREND_MONTHS"):
        reporting.trend_length(RollupKind.MONTHLY)
