"""The demo world: organisations, a user per role, members and reports, all usable."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date

import pytest
from django.test import Client

from carecover.portal.accounts.models import Organisation, User
from carecover.portal.demo import load_demo
from carecover.portal.incidents.models import Report, ReportVersion

pytestmark = pytest.mark.django_db


def test_the_demo_creates_a_login_for_every_role() -> None:
    logins = load_demo(today=date(2026, 6, 30), password="demo password for tests")
    roles = {login.role for login in logins}
    assert roles == {
        "Provider submitter",
        "Provider manager",
        "Employer of Record",
        "MCO analyst",
        "MCO administrator",
        "Nursing-home administrator",
        "Director of nursing",
        "MDS coordinator",
        "Chain (corporate) user",
    }
    assert Organisation.objects.filter(kind="mco").count() == 1


def test_the_demo_chain_has_two_facilities_and_one_of_them_has_weekend_rn_gaps() -> None:
    from carecover.pbj.measures.staffing import quarterly_measures, to_rows
    from carecover.pbj.store import ibis_table
    from carecover.pbj.submission.days import TABLE
    from carecover.portal.nursinghome.access import visible_facilities
    from carecover.portal.nursinghome.stores import facility_store

    load_demo(today=date(2026, 11, 23), password="demo password for tests")
    corporate = User.objects.get(username="carolina-corporate")
    facilities = {f.ccn: f for f in visible_facilities(corporate)}
    assert sorted(facilities) == ["100000", "100001"]
    zero_rn = {}
    for ccn, facility in facilities.items():
        with facility_store(facility) as con:
            rows = to_rows(quarterly_measures(ibis_table(con, TABLE)))
        assert [r["quarter"] for r in rows] == ["2026Q2", "2026Q3"]
        assert all(r["days_reported"] > 85 and r["resident_days"] > 0 for r in rows)
        zero_rn[ccn] = max(r["zero_rn_days"] for r in rows)
    assert zero_rn["100000"] == 0
    assert zero_rn["100001"] >= 4


def test_the_demo_fills_reports_with_their_versions() -> None:
    load_demo(today=date(2026, 6, 30), password="demo password for tests")
    assert Report.objects.count() > 10
    assert ReportVersion.objects.count() == Report.objects.count()
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {"accepted", "submitted"} <= statuses


def test_a_demo_user_signs_in_and_sees_only_their_reports() -> None:
    load_demo(today=date(2026, 6, 30), password="demo password for tests")
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "prv001-submitter", "password": "demo password for tests"}
    )
    assert response.status_code == 302
    page = client.get("/reports/").context["page"]
    user = User.objects.get(username="prv001-submitter")
    assert page.count == Report.objects.filter(organisation=user.organisation).count()


def test_new_demo_drafts_continue_after_the_demo_ids() -> None:
    load_demo(today=date(2026, 6, 30), password="demo password for tests")
    from carecover.backup.ids import ReportIdIssuer
    from carecover.portal.incidents.ledger import DjangoIdLedger

    issued = ReportIdIssuer(DjangoIdLedger()).issue(date(2026, 7, 1))
    assert not Report.objects.filter(report_id=issued).exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVE = (
    "import sys, typer\n"
    "from carecover.cli.edge import run\n"
    "from carecover.cli.serve import register\n"
    "app = typer.Typer()\n"
    "register(app)\n"
    "@app.callback()\n"
    "def _root() -> None: pass\n"
    "sys.exit(run(app, sys.argv[1:]))\n"
)


@pytest.mark.slow
def test_serve_demo_answers_the_health_check_under_gunicorn() -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARECOVER_", "DJANGO_"))}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = ""
        for _ in range(120):
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    body = response.read().decode()
                    break
            except OSError:
                if proc.poll() is not None:
                    break
        assert '"status": "ok"' in body
    finally:
        proc.terminate()
        out, _err = proc.communicate(timeout=30)
    assert "mco-analyst" in out


def test_serve_without_a_secret_key_prints_one_error_line() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARECOVER_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-c", SERVE, "serve", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: CARECOVER_SECRET_KEY is not set: the portal cannot start without it"
    )
