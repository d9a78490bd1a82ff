"""The database switch, the migrations, and filing under a storm of concurrent users."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from carecover.portal.config import database_from_url
from tests.portal.conftest import TEST_SECRET_KEY, report_form

pytestmark = pytest.mark.django_db

#: Filings in a storm, and how many are in flight at once (issue 12 §6: 8 gave 122 of 200 500s).
STORM_FILINGS = 64
STORM_CONCURRENCY = 8

#: Run in a child process over the storm's database: migrate, a provider and its filer,
#: a signed-in session; prints the session cookie. ``ids`` prints the BUS ids instead.
_WORLD = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connections
if sys.argv[1] == "ids":
    from carecover.portal.incidents.models import Report
    print(json.dumps(sorted(Report.objects.values_list("report_id", flat=True))))
    sys.exit(0)
call_command("migrate", verbosity=0, interactive=False)
from django.conf import settings
from django.test import Client
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, Site, User
org = Organisation.objects.create(
    name="Piedmont Community Supports", kind=OrganisationKind.PROVIDER, code="PRV001",
    contact_name="Jordan Reyes", contact_phone="919-555-0142",
    contact_email="quality@prv001.example",
)
Site.objects.create(organisation=org, code="S1", name="Durham office")
user = User.objects.create_user("storm", password=None, organisation=org, role=Role.SUBMITTER)
client = Client()
client.force_login(user)
print(json.dumps({"cookie": client.cookies[settings.SESSION_COOKIE_NAME].value}))
connections.close_all()
"""


def test_the_suite_runs_on_the_database_it_was_given() -> None:
    url = os.environ.get("CARECOVER_TEST_DATABASE_URL") or ""
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_the_migrations_match_the_models() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_sqlite_is_opened_in_wal_mode_with_immediate_transactions_and_a_busy_timeout() -> None:
    options = database_from_url("sqlite:////srv/portal.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(database_url: str, stores: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("CARECOVER_", "DJANGO_"))}
    return {
        **kept,
        "CARECOVER_SECRET_KEY": TEST_SECRET_KEY,
        "CARECOVER_DATABASE_URL": database_url,
        "CARECOVER_FACILITY_STORES": str(stores),
        "CARECOVER_HTTPS": "false",
        "CARECOVER_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "carecover.portal.settings",
        "HOME": str(stores),
    }


def _world(env: dict[str, str], what: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", _WORLD, what],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def _served(env: dict[str, str]) -> Iterator[int]:
    """``carecover serve`` (gunicorn, 2 workers x 4 threads) on a free port, stopped after."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "carecover", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(240):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.25)
            finally:
                conn.close()
        else:
            pytest.fail("carecover serve did not answer")
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        yield port
    finally:
        proc.terminate()
        proc.communicate(timeout=60)


def _csrf(port: int, cookie: str) -> tuple[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/reports/new/", headers={"Cookie": cookie})
        response = conn.getresponse()
        page = response.read().decode()
    finally:
        conn.close()
    found = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, response.status
    assert token, response.status
    return f"{cookie}; csrftoken={found.group(1)}", token.group(1)


def _file(port: int, cookie: str, token: str, n: int) -> int:
    """POST one new report (its own member and day, so no duplicate guard applies); the status."""
    day = timezone.localdate() - timedelta(days=1 + n % 28)
    form = report_form(
        csrfmiddlewaretoken=token,
        member_medicaid_id=f"{900_100_000 + n:09d}A",
        member_last_name=f"Storm{n}",
        incident_date=day.isoformat(),
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(
            "POST",
            "/reports/new/",
            body=urlencode(form),
            headers={
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}/reports/new/",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _storm(env: dict[str, str]) -> tuple[list[int], list[str]]:
    """File STORM_FILINGS reports, STORM_CONCURRENCY at a time; the statuses and the BUS ids."""
    world = _world(env, "world")
    assert isinstance(world, dict)
    with _served(env) as port:
        cookie, token = _csrf(port, f"sessionid={world['cookie']}")
        with ThreadPoolExecutor(STORM_CONCURRENCY) as pool:
            statuses = list(pool.map(lambda n: _file(port, cookie, token, n), range(STORM_FILINGS)))
    ids = _world(env, "ids")
    assert isinstance(ids, list)
    return statuses, ids


def _assert_weathered(statuses: list[int], ids: list[str]) -> None:
    failed = [s for s in statuses if s >= 500]
    assert not failed, f"{len(failed)} of {len(statuses)} filings answered 5xx"
    assert all(s < 500 for s in statuses)
    filed = sum(1 for s in statuses if s == 302)
    assert len(ids) == filed
    numbers = sorted(int(i.rsplit("-", 1)[1]) for i in ids)
    assert numbers == list(range(1, len(numbers) + 1)), "BUS ids must be gap-free"


@pytest.mark.slow
def test_a_storm_of_concurrent_filings_on_sqlite_never_answers_database_is_locked(
    tmp_path: Path,
) -> None:
    env = _environment(f"sqlite:///{tmp_path / 'storm.sqlite3'}", tmp_path)
    statuses, ids = _storm(env)
    _assert_weathered(statuses, ids)
    assert statuses.count(302) == STORM_FILINGS


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_storm_of_concurrent_filings_on_postgresql_answers_no_5xx_and_keeps_bus_ids_gap_free(
    tmp_path: Path,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs when CARECOVER_TEST_DATABASE_URL names a PostgreSQL server")
    settings = connection.settings_dict
    # The server works on the suite's own (flushed after the test) PostgreSQL test database.
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    statuses, ids = _storm(_environment(url, tmp_path))
    _assert_weathered(statuses, ids)
    assert statuses.count(302) == STORM_FILINGS
