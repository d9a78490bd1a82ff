"""Portal benchmark (issue 3 "Performance"): 1,000,000 reports in PostgreSQL.

Targets, measured over HTTP against gunicorn (``carecover serve``, 2 workers)
on loopback, on a separate database ``carecover_bench`` (never the test one):
- the MCO's filtered report list: p95 under 150 ms over many requests;
- the quarterly report (Human Rights Committee and State): under 2 s;
- report filing and submission throughput under load from wrk.

Run alone with ``python -m benchmarks.portal_bench [--reports N] [--reuse]
[--only list|load|quarterly]`` or as the ``portal`` suite of ``make bench``.
``--reuse`` (or ``CARECOVER_BENCH_REUSE=1``) keeps an already loaded
database; ``--only`` (repeatable) runs just the named steps.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import psycopg

from benchmarks.portal_load import LoadResult, run_wrk, wrk_available

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "carecover_bench"
REPORTS = 1_000_000
LIST_REQUESTS = 60  # per filter scenario
LOAD_SECONDS = 10
LIST_TARGET_MS = 150
QUARTERLY_TARGET_S = 2.0
QUARTERLY_TIMEOUT_S = 300
ENV = {
    "CARECOVER_DATABASE_URL": f"{SERVER}/{DATABASE}",
    "CARECOVER_SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnop",
    "CARECOVER_HTTPS": "false",
    "CARECOVER_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SETTINGS_MODULE": "carecover.portal.settings",
}


def _prepare_database(*, reuse: bool) -> bool:
    """Create ``carecover_bench`` (dropping an old one unless reusing); True if it is new."""
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        if exists.fetchone() and reuse:
            return False
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    return True


def _setup_django() -> None:
    os.environ.update(ENV)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(port: int) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "carecover", "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(
        argv, env={**os.environ, **ENV}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(100):
        try:
            if _get(port, "/healthz", "")[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start for the portal benchmark")


def _get(port: int, path: str, cookie: str, timeout: float = 45) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _session_cookie(user: Any) -> str:
    """A signed-in session for ``user``, stored in the benchmark database."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _csrf(port: int) -> tuple[str, str]:
    """A CSRF cookie and a matching form token, as the login page hands them out."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    conn.close()
    if cookie is None or token is None:
        raise RuntimeError("no CSRF token on the login page")
    return f"csrftoken={cookie.group(1)}", token.group(1)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _deep_cursor(depth: int) -> str:
    """The list's ``after`` cursor ``depth`` reports from the newest (keyset pages)."""
    from carecover.portal.incidents.models import Report

    row = Report.objects.order_by("-incident_date", "-id").values("incident_date", "id")[depth]
    return f"{row['incident_date'].isoformat()}.{row['id']}"


def _list_latency(port: int, cookie: str, today: date) -> list[str]:
    """Time the MCO's list page with each filter, sequentially over one server."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=92)
    month = today - timedelta(days=60)
    scenarios = {
        "no filter, newest": "",
        "no filter, 10,000 reports deep": f"after={_deep_cursor(10_000)}",
        "status = submitted": "status=submitted",
        "provider PRV007": "provider=PRV007",
        "provider PRV007, one quarter": (
            f"provider=PRV007&incident_from={quarter_start}"
            f"&incident_to={quarter_start + timedelta(days=90)}"
        ),
        "service T2013TF, reason short notice": "service=T2013TF&reason=short_notice",
        "status = accepted, one month": (
            f"status=accepted&incident_from={month}&incident_to={month + timedelta(days=30)}"
        ),
    }
    rows, every = [], []
    for label, query in scenarios.items():
        path = f"/reports/?{query}" if query else "/reports/"
        status, _ = _get(port, path, cookie)  # warm-up
        if status != 200:
            raise RuntimeError(f"list page answered {status} for {path}")
        times = []
        for _ in range(LIST_REQUESTS):
            start = time.perf_counter()
            _get(port, path, cookie)
            times.append((time.perf_counter() - start) * 1000)
        every.extend(times)
        rows.append(
            f"| {label} | {statistics.median(times):.0f} ms | {_p(times, 0.95):.0f} ms | "
            f"{max(times):.0f} ms |"
        )
    p95 = _p(every, 0.95)
    verdict = "met" if p95 < LIST_TARGET_MS else "NOT met"
    return [
        "### MCO report list (`/reports/`, 25 per page)",
        "",
        f"{LIST_REQUESTS} sequential requests per filter after one warm-up.",
        "",
        "| filter | median | p95 | max |",
        "|---|---:|---:|---:|",
        *rows,
        f"| **all {len(every)} requests** | {statistics.median(every):.0f} ms | "
        f"**{p95:.0f} ms** | {max(every):.0f} ms |",
        "",
        f"Target p95 < {LIST_TARGET_MS} ms: **{verdict}**.",
        "",
    ]


def _last_quarter(today: date) -> str:
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    return f"{start.year}Q{(start.month - 1) // 3 + 1}"


def _quarterly(port: int, cookie: str, today: date) -> list[str]:
    """Time the quarterly report pages and their CSV download (a first request, then 3 runs).

    The first request is shown apart: a gunicorn worker's first roll-up also
    imports pandas (DuckDB's Python scanner does), about half a second once.
    A page far over its target is timed once, and its CSV (the same roll-up
    computed again) is then skipped: repeating it would only cost minutes.
    """
    period = _last_quarter(today)
    rows = []
    worst = 0.0
    for kind in ("quarterly-hrc", "quarterly-state"):
        for suffix in ("", "download.csv"):
            path = f"/compliance/reports/{kind}/{suffix}?period={period}"
            times: list[float] = []
            status = 0
            for _ in range(4):
                start = time.perf_counter()
                try:
                    status, _ = _get(port, path, cookie, timeout=QUARTERLY_TIMEOUT_S)
                except (TimeoutError, ConnectionError):
                    status = 0
                times.append(time.perf_counter() - start)
                if status != 200 or times[-1] > 5 * QUARTERLY_TARGET_S:
                    break
            first, timed = times[0], times[1:] or times
            worst = max(worst, max(timed))
            if status != 200:
                why = f"HTTP {status}" if status else f"no answer within {QUARTERLY_TIMEOUT_S} s"
                rows.append(f"| `{path}` | {first:.2f} s | {why} | {times[-1]:.1f} s |")
            else:
                rows.append(
                    f"| `{path}` | {first:.2f} s | {min(timed):.2f} s | {max(timed):.2f} s |"
                )
            if times[-1] > 5 * QUARTERLY_TARGET_S:
                break
    verdict = "met" if worst < QUARTERLY_TARGET_S else "NOT met"
    return [
        f"### Quarterly reports ({period})",
        "",
        "| page | first request | best of 3 after it | worst of 3 |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        f"Target < {QUARTERLY_TARGET_S:.0f} s (worst of the 3 after the first request): "
        f"**{verdict}**.",
        "",
    ]


def _report_form(today: date) -> dict[str, str]:
    from carecover.portal.incidents.models import Member

    member = Member.objects.filter(organisations__code="PRV001").order_by("id").first()
    assert member is not None
    return {
        "site": "MAIN",
        "contact_name": "Jordan Reyes",
        "contact_phone": "919-555-0142",
        "contact_email": "quality@prv001.example",
        "member_first_name": member.first_name,
        "member_last_name": member.last_name,
        "member_date_of_birth": member.date_of_birth.isoformat(),
        "member_medicaid_id": member.medicaid_id,
        "incident_date": (today - timedelta(days=1)).isoformat(),
        "service_code": "T2013TF",
        "scheduled_start": "08:00",
        "scheduled_end": "14:00",
        "hours_without_staff": "6",
        "backup_status": "not_available",
        "reason": "short_notice",
    }


def _load(port: int, submitter: Any, today: date) -> list[str]:
    """wrk: file new drafts through the form, then submit drafts, each for LOAD_SECONDS."""
    from carecover.portal.incidents.models import Report

    if not wrk_available():
        return ["Load: `wrk` is not installed (`apt-get install -y wrk`): not measured.", ""]
    csrf_cookie, token = _csrf(port)
    cookie = f"{_session_cookie(submitter)}; {csrf_cookie}"
    base = f"http://127.0.0.1:{port}"
    before = Report.objects.filter(organisation=submitter.organisation).count()
    filing = run_wrk(
        "file a new draft (`POST /reports/new/`)",
        base,
        paths=["/reports/new/"],
        form={"csrfmiddlewaretoken": token, **_report_form(today)},
        cookie=cookie,
        seconds=LOAD_SECONDS,
    )
    made = Report.objects.filter(organisation=submitter.organisation).count() - before
    drafts = list(
        Report.objects.filter(organisation=submitter.organisation, status="draft")
        .order_by("-id")
        .values_list("report_id", flat=True)[:50_000]
    )
    submitted_before = Report.objects.filter(status="submitted").count()
    submitting = run_wrk(
        "submit a draft (`POST /reports/<id>/submit/`)",
        base,
        paths=[f"/reports/{rid}/submit/" for rid in drafts],
        form={"csrfmiddlewaretoken": token},
        cookie=cookie,
        seconds=LOAD_SECONDS,
    )
    done = Report.objects.filter(status="submitted").count() - submitted_before
    return [
        "### Filing and submitting under load (wrk)",
        "",
        f"wrk {LOAD_SECONDS} s per scenario, 2 threads, 8 connections, one provider's session; "
        "gunicorn 2 workers x 4 threads on the same 2 cores.",
        "",
        "| scenario | requests/s | p50 | p99 | non-2xx/3xx | rows changed |",
        "|---|---:|---:|---:|---:|---:|",
        _load_row(filing, f"{made:,} drafts created"),
        _load_row(submitting, f"{done:,} of {len(drafts):,} drafts submitted"),
        "",
    ]


def _load_row(r: LoadResult, effect: str) -> str:
    return (
        f"| {r.label} | {r.per_second:.0f} | {r.p50_ms:.0f} ms | {r.p99_ms:.0f} ms | "
        f"{r.bad_responses} | {effect} |"
    )


STEPS = ("list", "load", "quarterly")


def run(reports: int | None = None, reuse: bool | None = None, only: Sequence[str] = STEPS) -> str:
    """Load (or reuse) the benchmark database, measure, and return the RESULTS.md section."""
    reports = reports or int(os.environ.get("CARECOVER_BENCH_REPORTS", REPORTS))
    if reuse is None:
        reuse = os.environ.get("CARECOVER_BENCH_REUSE") == "1"
    new = _prepare_database(reuse=reuse)
    _setup_django()
    from django.utils import timezone

    from benchmarks import portal_data

    today = timezone.localdate()
    world = portal_data.load(reports, today=today) if new else portal_data.existing_world()
    loaded = (
        f"loaded {world.reports:,} reports in {world.seconds:.0f} s (COPY)"
        if new
        else f"reused {world.reports:,} reports"
    )
    port = _free_port()
    server = _start_server(port)
    try:
        mco = _session_cookie(world.mco_analyst)
        lines = [
            "## Portal (PostgreSQL, 1,000,000 reports)",
            "",
            f"Database `{DATABASE}`: {loaded}; {portal_data.AGENCIES} agencies, "
            f"{portal_data.EORS} Employers of Record, {portal_data.MEMBERS:,} members, "
            f"incidents over {portal_data.YEARS} years. gunicorn, 2 workers x 4 threads, "
            "requests over loopback.",
            f"Load average at the start: {_load_average()} (2 cores shared with other work: "
            "figures above ~2 mean the portal had only part of the machine).",
            "",
        ]
        steps: dict[str, Callable[[], list[str]]] = {
            "list": lambda: _list_latency(port, mco, today),
            # Load before the roll-ups: a roll-up the client gave up on keeps a
            # gunicorn thread busy for a while after.
            "load": lambda: _load(port, world.submitter, today),
            "quarterly": lambda: _quarterly(port, mco, today),
        }
        for name, part in steps.items():
            if name not in only:
                continue
            lines.extend(part())
            # Progress on stderr: a long run shows its figures as they come.
            print("\n".join(lines), file=sys.stderr, flush=True)
        lines += [f"Load average at the end: {_load_average()}.", ""]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return "\n".join(lines) + "\n"


def main() -> None:
    """``python -m benchmarks.portal_bench``: print the section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=REPORTS)
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded database")
    parser.add_argument(
        "--only", action="append", choices=STEPS, help="run only this step (repeatable)"
    )
    args = parser.parse_args()
    print(run(args.reports, args.reuse, args.only or STEPS))


if __name__ == "__main__":
    main()
