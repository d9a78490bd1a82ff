"""The report list: every filter, keyset pages, scoping, and a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.portal.accounts.models import User
from carecover.portal.incidents import filing
from carecover.portal.incidents.conversion import to_domain
from carecover.portal.incidents.listing import PAGE_SIZE
from carecover.portal.incidents.models import Report
from tests.portal.compliance.conftest import FileReport, at, file_report, today  # noqa: F401

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


@pytest.fixture
def reports(personas: dict[str, User], file_report: FileReport) -> list[Report]:  # noqa: F811
    """Five reports of PRV001, one of PRV002 and one of the EOR, on different days."""
    day = timezone.localdate() - timedelta(days=2)
    sub, other, eor = personas["submitter"], personas["other_provider"], personas["eor"]
    return [
        file_report(sub, day, submitted=at(day)),
        file_report(sub, day - timedelta(days=1), service_code="H2015"),
        file_report(sub, day - timedelta(days=2), submitted=at(day), reason="other",
                    reason_other="Van broke down"),
        file_report(sub, day - timedelta(days=3), submitted=at(day),
                    backup_status="offered_declined",
                    reason="", declined_by="member", declined_reason="Wanted a familiar worker"),
        file_report(sub, day - timedelta(days=4), member_medicaid_id="900007777C"),
        file_report(other, day, submitted=at(day), member_medicaid_id="900005555B"),
        file_report(eor, day - timedelta(days=1), submitted=at(day)),
    ]  # fmt: skip


def _ids(client: Client, **params: str) -> set[str]:
    page = client.get("/reports/", params).context["page"]
    return {r.report_id for r in page}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 7),
        ({"provider": "prv001"}, 5),
        ({"status": "draft"}, 2),
        ({"service": "h2015"}, 1),
        ({"reason": "other"}, 1),
        ({"report_type": "offered_declined"}, 1),
        ({"incident_to": (timezone.localdate() - timedelta(days=6)).isoformat()}, 1),
        ({"provider": "PRV001", "status": "submitted", "report_type": "not_available"}, 2),
    ],
)
def test_the_mco_filters_all_reports(
    as_persona: Login, reports: list[Report], params: dict[str, str], expected: int
) -> None:
    assert len(_ids(as_persona("mco_analyst"), **params)) == expected


def test_the_member_filter_uses_the_member_record_number(
    as_persona: Login, reports: list[Report]
) -> None:
    member = reports[4].member_id
    assert _ids(as_persona("mco_admin"), member=str(member)) == {reports[4].report_id}


@pytest.mark.parametrize(
    ("persona", "count"), [("submitter", 5), ("manager", 5), ("other_provider", 1), ("eor", 1)]
)
def test_filers_list_only_their_own_organisations_reports(
    as_persona: Login, reports: list[Report], persona: str, count: int
) -> None:
    client = as_persona(persona)
    assert len(_ids(client)) == count
    # Filtering on another organisation's provider number finds nothing.
    assert _ids(client, provider="PRV002" if persona != "other_provider" else "PRV001") == set()


def test_keyset_pages_walk_every_report_once_both_ways(
    as_persona: Login, personas: dict[str, User], reports: list[Report]
) -> None:
    # Enough reports for three pages: copies of one draft on many days.
    sub = personas["submitter"]
    template = to_domain(reports[1])
    now = timezone.localdate()
    start = now - timedelta(days=60)
    filing.create_range(sub, replace(template, incident_date=start), start + timedelta(days=30),
                        today=now)  # fmt: skip
    early = start - timedelta(days=40)
    filing.create_range(sub, replace(template, incident_date=early), early + timedelta(days=30),
                        today=now)  # fmt: skip
    total = Report.objects.count()
    assert total > 2 * PAGE_SIZE
    client = as_persona("mco_analyst")
    seen, pages, params = [], [], {}
    while True:
        page = client.get("/reports/", params).context["page"]
        seen += [r.report_id for r in page]
        pages.append(page)
        if not page.next_cursor:
            break
        params = {"after": page.next_cursor}
    assert len(seen) == len(set(seen)) == total
    expected = list(
        Report.objects.order_by("-incident_date", "-id").values_list("report_id", flat=True)
    )
    assert seen == expected
    back = client.get("/reports/", {"before": pages[-1].previous_cursor}).context["page"]
    assert [r.report_id for r in back] == [r.report_id for r in pages[-2]]
    assert pages[0].previous_cursor is None
    assert pages[0].count == total


def test_the_list_reads_a_constant_number_of_queries(
    as_persona: Login, reports: list[Report], django_assert_max_num_queries: Callable[..., object]
) -> None:
    client = as_persona("mco_analyst")
    client.get("/reports/")  # session and user warm-up
    # 8, the unread-notifications badge, and the MCO's probable duplicates (one query).
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        client.get("/reports/", {"status": "submitted"})


def test_a_mangled_cursor_starts_from_the_newest(as_persona: Login, reports: list[Report]) -> None:
    page = as_persona("mco_analyst").get("/reports/", {"after": "yesterday.x"}).context["page"]
    assert len(list(page)) == 7


def test_the_list_shows_no_member_names(as_persona: Login, reports: list[Report]) -> None:
    page = as_persona("mco_analyst").get("/reports/").content.decode()
    assert "Dixon" not in page
    assert "900001234A" not in page
