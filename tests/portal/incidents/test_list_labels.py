"""The report list and form speak in labels, not codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.backup.catalogue import find_reason
from carecover.portal.accounts.models import User
from carecover.portal.incidents.forms import ReportForm
from tests.portal.compliance.conftest import FileReport, at, file_report, today  # noqa: F401

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def test_the_list_shows_the_reason_lists_label_not_its_code(
    as_persona: Login,
    personas: dict[str, User],
    file_report: FileReport,  # noqa: F811
) -> None:
    day = timezone.localdate() - timedelta(days=2)
    file_report(personas["submitter"], day, submitted=at(day), reason="backup_staff_unavailable")
    page = as_persona("mco_analyst").get("/reports/").content.decode()
    assert find_reason("backup_staff_unavailable").label in page
    assert "backup_staff_unavailable" not in page.split('id="report-table"')[1]


def test_the_lists_date_cells_do_not_wrap(
    as_persona: Login,
    personas: dict[str, User],
    file_report: FileReport,  # noqa: F811
) -> None:
    day = timezone.localdate() - timedelta(days=2)
    file_report(personas["submitter"], day, submitted=at(day))
    page = as_persona("mco_analyst").get("/reports/").content.decode()
    assert f'<td class="date">{day.isoformat()}</td>' in page


def test_the_member_identifier_fields_are_labelled_in_plain_words() -> None:
    form = ReportForm.base_fields
    assert form["member_ssn"].label == "Member SSN (for look-up only)"
    assert form["member_medicaid_id"].label == "Member Medicaid ID"
