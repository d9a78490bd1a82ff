"""Migration 0004 on existing reports: each filed report's first submission from its history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from tests.portal.incidents.migrating import migrate_incidents, restore_schema

BEFORE = "0003_members_per_organisation"
AFTER = "0004_report_clock"


@pytest.fixture
def old_apps(transactional_db: None) -> Iterator[Any]:
    """The models before migration 0004; the schema is restored afterwards."""
    yield migrate_incidents(BEFORE)
    restore_schema()


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=UTC)


def test_filed_reports_take_their_first_submission_from_their_versions(old_apps: Any) -> None:
    org = old_apps.get_model("accounts", "Organisation").objects.create(
        name="One", kind="provider", code="PRV001"
    )
    user = old_apps.get_model("accounts", "User").objects.create(
        username="u", organisation=org, role="submitter"
    )
    member = old_apps.get_model("incidents", "Member").objects.create(
        organisation=org, first_name="A", last_name="B", date_of_birth=date(1990, 1, 1),
        medicaid_id="900000001A",
    )  # fmt: skip
    report_model = old_apps.get_model("incidents", "Report")
    version_model = old_apps.get_model("incidents", "ReportVersion")

    def report(number: int, status: str, submitted: datetime | None) -> Any:
        return report_model.objects.create(
            report_id=f"BUS-2026-{number:06d}", organisation=org, member=member,
            member_first_name="A", member_last_name="B", member_date_of_birth=date(1990, 1, 1),
            member_medicaid_id="900000001A", reporter_kind="provider", provider_id="PRV001",
            provider_name="One", contact_name="C", contact_phone="1",
            contact_email="c@example.org", incident_date=date(2026, 10, 1),
            service_code="T2013TF", scheduled_start=time(8), scheduled_end=time(14),
            hours_without_staff=6.0, backup_status="not_available", status=status,
            submitted_at=submitted, created_by=user,
        )  # fmt: skip

    def version(row: Any, number: int, status: str, recorded: datetime) -> None:
        made = version_model.objects.create(
            report=row, version=number, status=status, snapshot={}, recorded_by=user
        )
        version_model.objects.filter(pk=made.pk).update(recorded_at=recorded)

    corrected = report(1, "submitted", at(25))  # filed 5 Oct, returned, corrected 25 Oct
    version(corrected, 1, "draft", at(4))
    version(corrected, 2, "submitted", at(5))
    version(corrected, 3, "returned", at(8))
    version(corrected, 4, "submitted", at(25))
    bulk = report(2, "accepted", at(6))  # loaded without a history
    draft = report(3, "draft", None)

    apps = migrate_incidents(AFTER)
    first = dict(
        apps.get_model("incidents", "Report").objects.values_list("report_id", "first_submitted_at")
    )
    assert first[corrected.report_id] == at(5)
    assert first[bulk.report_id] == at(6)
    assert first[draft.report_id] is None
