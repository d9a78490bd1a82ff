"""The demo is dated as of today (issue 13 §1): nothing submitted or attested after now."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from carecover.portal.compliance.models import Attestation
from carecover.portal.demo import load_demo
from carecover.portal.incidents.models import Report

pytestmark = pytest.mark.django_db

PASSWORD = "demo password for tests"


@pytest.mark.parametrize("today", [date(2026, 6, 30), None])
def test_nothing_in_the_demo_is_dated_after_today(today: date | None) -> None:
    day = today or timezone.localdate()
    load_demo(today=day, password=PASSWORD)
    end = timezone.make_aware(datetime.combine(day, time(23, 59, 59)))
    cutoff = min(end, timezone.now())
    assert not Report.objects.filter(submitted_at__gt=cutoff).exists()
    assert not Report.objects.filter(first_submitted_at__gt=cutoff).exists()
    assert not Report.objects.filter(incident_date__gt=day).exists()
    assert not Attestation.objects.filter(attested_at__gt=cutoff).exists()
    assert Attestation.objects.exists()  # the attestations before today are kept
    # A report whose submission was still to come is a draft, with no submission time.
    assert not Report.objects.filter(status="draft", submitted_at__isnull=False).exists()


def test_agencies_in_the_demo_never_give_an_employer_of_record_reason() -> None:
    load_demo(today=date(2026, 6, 30), password=PASSWORD)
    agency_eor_reasons = Report.objects.filter(reporter_kind="provider", reason__startswith="eor_")
    assert not agency_eor_reasons.exists()
