from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

import pytest

from carecover.backup.compliance import Attestation, ProviderRef, period_compliance
from carecover.backup.report import BackupReport, BackupStatus, ReportStatus
from carecover.backup.rollup import (
    Cell,
    RollupKind,
    Table,
    build_rollup,
    monthly_snapshot,
    quarterly_hrc,
    quarterly_state,
)
from tests.backup.factories import report

OCT = date(2026, 10, 1)
ANN = "111111111A"


def october() -> list[BackupReport]:
    return [
        report(provider_id="P1", medicaid_id=ANN, hours=2.0, incident_date=date(2026, 10, 2)),
        report(provider_id="P1", medicaid_id=ANN, hours=4.0, incident_date=date(2026, 10, 20)),
        report(
            provider_id="P2",
            medicaid_id="222222222B",
            hours=6.0,
            incident_date=date(2026, 10, 3),
            backup_status=BackupStatus.OFFERED_DECLINED,
            service_code="H2015",
        ),
        report(
            provider_id="P2",
            medicaid_id="333333333C",
            hours=8.0,
            incident_date=date(2026, 10, 4),
            reason="other",
            reason_other="car broke down",
            # filed 2026-10-25, after the 2026-10-20 due date
            submitted_at=datetime(2026, 10, 25, 9, 0),
        ),
        # Counted: a returned report was filed (the MCO asked for a correction).
        report(
            provider_id="P1",
            medicaid_id="444444444D",
            status=ReportStatus.RETURNED,
            incident_date=date(2026, 10, 6),
            mco_comment="fix the time",
        ),
        # Not counted: a draft, one from another month.
        report(provider_id="P1", status=ReportStatus.DRAFT, incident_date=date(2026, 10, 5)),
        report(provider_id="P1", medicaid_id=ANN, incident_date=date(2026, 9, 20)),
    ]


def rows_by(table: Table, key: str) -> dict[Cell, dict[str, Cell]]:
    """A table's rows as dicts by column code, keyed by column ``key``."""
    at = table.columns.index(key)
    return {row[at]: dict(zip(table.columns, row, strict=True)) for row in table.rows}


def test_the_monthly_snapshot_counts_every_filed_report_of_the_month_returned_included() -> None:
    rollup = monthly_snapshot(october(), OCT)
    figures = {f.name: f.value for f in rollup.figures}
    assert figures["reports"] == 5
    assert figures["returned"] == 1
    assert figures["members_affected"] == 4
    assert figures["members_with_repeated_failures"] == 1
    assert figures["highest_reports_one_member"] == 2
    assert figures["hours_without_staff_total"] == 24.0
    assert figures["hours_without_staff_median"] == 4.0
    assert (figures["not_available"], figures["offered_declined"]) == (4, 1)
    assert figures["late_reports"] == 1
    assert figures["late_submissions"] is None
    assert figures["missing_submissions"] is None


def test_it_compares_each_figure_with_the_previous_month() -> None:
    rollup = monthly_snapshot(october(), OCT)
    assert (rollup.previous_start, rollup.previous_end) == (date(2026, 9, 1), date(2026, 9, 30))
    reports = rollup.figure("reports")
    assert (reports.value, reports.previous, reports.change) == (5, 1, 4)
    median = rollup.figure("hours_without_staff_median")
    assert (median.previous, median.change) == (4.0, 0.0)


def test_an_empty_month_has_no_median_and_no_change_for_it() -> None:
    rollup = monthly_snapshot([], OCT)
    assert rollup.figure("reports").value == 0
    assert rollup.figure("hours_without_staff_median").value is None
    assert rollup.figure("hours_without_staff_median").change is None
    assert rollup.table("by_provider").rows == ()


def test_it_breaks_the_month_down_by_provider_reason_service_and_period() -> None:
    rollup = monthly_snapshot(october(), OCT)
    p2 = rows_by(rollup.table("by_provider"), "provider_id")["P2"]
    counts = ("reports", "not_available", "offered_declined", "hours_without_staff")
    assert [p2[c] for c in (*counts, "members_affected", "late_reports")] == [2, 1, 1, 14.0, 2, 1]
    reasons = {(row[0], row[2]): row[4] for row in rollup.table("by_reason").rows}
    assert reasons == {
        ("not_available", "backup_staff_unavailable"): 3,
        ("not_available", "other"): 1,
        ("offered_declined", "declined_by_member"): 1,
    }
    services = {row[0]: row[2] for row in rollup.table("by_service").rows}
    assert services == {"H2015": 1, "T2013TF": 4}
    periods = [(row[0], row[1]) for row in rollup.table("by_period").rows]
    assert periods == [("2026-10-01..2026-10-15", 4), ("2026-10-16..2026-10-31", 1)]


def test_reasons_services_and_statuses_carry_labels_beside_their_codes() -> None:
    rollup = monthly_snapshot(october(), OCT)
    reasons = rows_by(rollup.table("by_reason"), "reason")
    assert reasons["other"]["reason_label"] == "Other (explain)"
    assert reasons["declined_by_member"]["reason_label"] == "Declined by the member"
    assert reasons["declined_by_member"]["backup_status_label"] == (
        "Backup staff offered but declined"
    )
    services = rows_by(rollup.table("by_service"), "service_code")
    assert services["H2015"]["service_name"] == "Community Networking"
    assert rollup.table("by_reason").headers[:4] == (
        "Backup status (code)",
        "Backup status",
        "Reason (code)",
        "Reason",
    )


def test_the_monthly_snapshot_lists_every_counted_report_of_the_month() -> None:
    reports = october()
    details = monthly_snapshot(reports, OCT).table("details")
    assert details.columns[:2] == ("report_id", "provider_id")
    listed = [dict(zip(details.columns, row, strict=True)) for row in details.rows]
    assert [d["incident_date"] for d in listed] == [date(2026, 10, d) for d in (2, 3, 4, 6, 20)]
    returned = next(d for d in listed if d["status"] == "returned")
    assert returned["status_label"] == "Returned for correction"
    assert returned["report_id"] == reports[4].report_id
    declined = next(d for d in listed if d["service_code"] == "H2015")
    assert (declined["service_name"], declined["hours_without_staff"]) == (
        "Community Networking",
        6.0,
    )
    assert declined["reason_label"] == "Declined by the member"


def test_repeated_failures_list_members_by_medicaid_id_only() -> None:
    rollup = quarterly_hrc(october(), OCT)
    table = rollup.table("repeated_members")
    assert table.columns[0] == "medicaid_id"
    assert table.rows == ((ANN, 2, 6.0, 1, date(2026, 10, 2), date(2026, 10, 20)),)
    text = repr(asdict(rollup))
    for private in ("Ann", "Doe", "1990-01-01", "1234", "car broke down"):
        assert private not in text


def test_the_state_report_carries_no_member_identifiers_at_all() -> None:
    rollup = quarterly_state(october(), date(2026, 11, 15))
    assert (rollup.start, rollup.end) == (date(2026, 10, 1), date(2026, 12, 31))
    names = [t.name for t in rollup.tables]
    assert names == ["by_provider", "timeliness", "by_reason", "by_service", "by_month"]
    assert "111111111A" not in repr(asdict(rollup))
    assert rollup.figure("members_affected").value == 4


def test_the_quarterly_reports_compare_with_the_previous_quarter_and_trend_by_month() -> None:
    rollup = quarterly_hrc(october(), OCT)
    assert (rollup.previous_start, rollup.previous_end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert rollup.figure("reports").previous == 1
    months = [(row[0], row[1]) for row in rollup.table("by_month").rows]
    assert months == [("2026-10", 5), ("2026-11", 0), ("2026-12", 0)]


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        (RollupKind.MONTHLY, "Monthly Quality of Care Committee snapshot"),
        (RollupKind.QUARTERLY_HRC, "Quarterly Human Rights Committee report"),
        (RollupKind.QUARTERLY_STATE, "Quarterly report to the State (Division)"),
    ],
)
def test_each_kind_has_its_own_title(kind: RollupKind, title: str) -> None:
    assert build_rollup(kind, october(), "2026-10", as_of=date(2026, 11, 23)).title == title


def test_it_counts_late_and_missing_provider_periods_from_compliance_rows() -> None:
    reports = october()
    rows = period_compliance(
        reports,
        [],
        ["P1", "P2", "P3"],
        date(2026, 9, 1),
        date(2026, 10, 31),
        as_of=date(2026, 11, 23),
    )
    rollup = monthly_snapshot(reports, OCT, compliance_rows=rows)
    assert rollup.figure("late_submissions").value == 1  # P2, first half of October
    # P1 second half is reported; P2 second half, P3 both halves missing
    assert rollup.figure("missing_submissions").value == 3
    p3 = rows_by(rollup.table("by_provider"), "provider_id")["P3"]
    assert p3["reports"] == 0
    assert (p3["late_periods"], p3["missing_periods"]) == (0, 2)


def test_build_rollup_checks_compliance_when_given_providers_or_attestations() -> None:
    attested = [Attestation("P3", date(2026, 10, 1), datetime(2026, 10, 16, 9, 0))]
    rollup = build_rollup(
        RollupKind.MONTHLY,
        october(),
        "2026-10",
        as_of=date(2026, 11, 23),
        attestations=attested,
        providers=[ProviderRef("P1"), ProviderRef("P2"), ProviderRef("P3", "Third")],
    )
    assert rollup.figure("missing_submissions").value == 2
    # September: P1's 16th-30th half has a report; the other 5 provider-halves are missing.
    assert rollup.figure("missing_submissions").previous == 5
    names = {row[0]: row[1] for row in rollup.table("by_provider").rows}
    assert names["P3"] == "Third"


def test_build_rollup_accepts_a_quarter_or_a_month_inside_it() -> None:
    a = build_rollup(RollupKind.QUARTERLY_HRC, october(), "2026Q4", as_of=date(2026, 11, 23))
    b = build_rollup(RollupKind.QUARTERLY_HRC, october(), "2026-12", as_of=date(2026, 11, 23))
    assert a == b
