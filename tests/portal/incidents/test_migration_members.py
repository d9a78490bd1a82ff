"""Migration 0003 on data of the old shape: shared members split per organisation, nothing lost.

Before it, one member row per Medicaid id was shared by every organisation
and each filing overwrote it; duplicates of one incident could be filed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest

from tests.portal.incidents.migrating import migrate_incidents, restore_schema

BEFORE = "0002_list_indexes"
AFTER = "0003_members_per_organisation"


@pytest.fixture
def old_apps(transactional_db: None) -> Iterator[Any]:
    """The models as they were before migration 0003; the schema is restored afterwards."""
    yield migrate_incidents(BEFORE)
    restore_schema()


def _report(apps: Any, org: Any, member: Any, user: Any, number: int, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "report_id": f"BUS-2026-{number:06d}",
        "organisation": org,
        "member": member,
        "reporter_kind": "provider",
        "provider_id": org.code,
        "provider_name": org.name,
        "contact_name": "C",
        "contact_phone": "1",
        "contact_email": "c@example.org",
        "incident_date": date(2026, 10, 1),
        "service_code": "T2013TF",
        "scheduled_start": time(8),
        "scheduled_end": time(14),
        "hours_without_staff": 6.0,
        "backup_status": "not_available",
        "status": "submitted",
        "created_by": user,
    }
    fields.update(changes)
    row = apps.get_model("incidents", "Report").objects.create(**fields)
    snapshot = {"member": {"first_name": "Robin", "last_name": "Ellis", "ssn_last4": "6789"}}
    apps.get_model("incidents", "ReportVersion").objects.create(
        report=row, version=1, status=row.status, snapshot=snapshot, recorded_by=user
    )
    return row


def test_a_shared_member_is_split_per_organisation_and_reports_keep_the_member_as_filed(
    old_apps: Any,
) -> None:
    organisation = old_apps.get_model("accounts", "Organisation")
    one = organisation.objects.create(name="One", kind="provider", code="PRV001")
    two = organisation.objects.create(name="Two", kind="provider", code="PRV002")
    user = old_apps.get_model("accounts", "User").objects.create(
        username="u", organisation=one, role="submitter"
    )
    member_model = old_apps.get_model("incidents", "Member")
    # The shared row, as the last filing overwrote it.
    shared = member_model.objects.create(
        first_name="Mallory", last_name="Intruder", date_of_birth=date(1990, 1, 1),
        medicaid_id="900009999B", ssn_last4="0000",
    )  # fmt: skip
    shared.organisations.add(one, two)
    first = _report(old_apps, one, shared, user, 1)
    twin = _report(old_apps, one, shared, user, 2)  # a duplicate filed before the guard
    theirs = _report(old_apps, two, shared, user, 3)

    apps = migrate_incidents(AFTER)

    members = apps.get_model("incidents", "Member").objects
    report = apps.get_model("incidents", "Report").objects
    assert sorted(members.values_list("organisation__code", flat=True)) == ["PRV001", "PRV002"]
    for row in report.all():
        assert row.member.organisation_id == row.organisation_id
        assert (row.member_first_name, row.member_last_name) == ("Robin", "Ellis")
        assert row.member_ssn_last4 == "6789"
        assert row.member_medicaid_id == "900009999B"
    keys = dict(report.values_list("report_id", "filed_incident"))
    assert keys[first.report_id] == "PRV001|900009999B|2026-10-01|T2013TF"
    assert keys[twin.report_id] is None  # kept, for the MCO to review: not silently dropped
    assert keys[theirs.report_id] == "PRV002|900009999B|2026-10-01|T2013TF"
    assert report.filter(status="submitted").count() == 3
