"""Every new page renders with the demo world's realistic content."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from carecover.portal.accounts.models import User
from carecover.portal.compliance.models import Attestation, PlanOfCorrection
from carecover.portal.demo import load_demo
from carecover.portal.incidents.models import Member, ServiceBreak

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_fills_every_workspace_page() -> None:
    load_demo(today=date.today(), password="demo password for tests")
    # One record per organisation and member it reported (members per organisation).
    assert (
        Member.objects.values("organisation", "medicaid_id").distinct().count()
        == Member.objects.count()
        > 0
    )
    assert Attestation.objects.exists()
    assert ServiceBreak.objects.exists()
    assert set(PlanOfCorrection.objects.values_list("status", flat=True)) >= {"requested"}
    mco = _client("mco-analyst")
    for url in [
        "/compliance/",
        "/compliance/providers/",
        "/compliance/plans/",
        "/compliance/reports/monthly/",
        "/compliance/reports/quarterly-hrc/",
        "/compliance/reports/quarterly-state/print/",
        "/reports/",
        "/reports/service-breaks/",
    ]:
        response = mco.get(url)
        assert response.status_code == 200, url
    assert "missing" in mco.get("/compliance/providers/").content.decode()
    provider = _client("prv001-submitter")
    for url in ["/compliance/", "/compliance/periods/", "/compliance/plans/"]:
        assert provider.get(url).status_code == 200, url
