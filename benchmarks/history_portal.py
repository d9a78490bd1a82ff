"""The analyst pages under 10 concurrent users, over loopback against gunicorn (issue 16 §4).

``carecover serve`` (gunicorn, 2 workers) with ``CARECOVER_HISTORY_STORE`` on
the suite's history store; ten analysts, each in its own thread with its own
signed-in session, ask ``ROUNDS`` times in a row for a random facility's page
(measures, peer percentiles, state minimum rows, trend charts) and for the
largest state's page. Target: p95 under 1 s.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.harness import ROOT

USERS = 10
ROUNDS = 10


def environment(folder: Path, store: Path) -> dict[str, str]:
    """The benchmark portal's settings: its own SQLite file, the history store."""
    return {
        "CARECOVER_SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
        "CARECOVER_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "CARECOVER_FACILITY_STORES": str(folder / "stores"),
        "CARECOVER_HISTORY_STORE": str(store),
        "CARECOVER_HTTPS": "false",
        "CARECOVER_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "carecover.portal.settings",
    }


def _cookies(folder: Path, store: Path) -> list[str]:
    """Runs in a child process: migrate, create the analysts, return their session cookies."""
    os.environ.update(environment(folder, store))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from carecover.portal.accounts.models import Role, User

    call_command("migrate", verbosity=0, interactive=False)
    cookies = []
    for i in range(USERS):
        user = User.objects.create_user(f"analyst{i}", password=None, role=Role.ANALYST)
        client = Client()
        client.force_login(user)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")
    return cookies


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, cookie: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def _team(port: int, pages: list[str], cookies: list[str]) -> list[float]:
    def user(i: int) -> list[float]:
        seconds = []
        for r in range(ROUNDS):
            page = pages[(i * ROUNDS + r) % len(pages)]
            status, elapsed = _get(port, page, cookies[i])
            if status != 200:
                raise RuntimeError(f"{page} answered {status}")
            seconds.append(elapsed)
        return seconds

    with ThreadPoolExecutor(len(cookies)) as pool:
        return [s for one in pool.map(user, range(len(cookies))) for s in one]


def measure(folder: Path, store: Path, ccns: list[str], state: str) -> dict[str, Any]:
    """Serve the portal over ``store``; cold and 10-user timings of facility and state pages."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench.sqlite3").unlink(missing_ok=True)
    code = (
        "import json, sys; from pathlib import Path; "
        "from benchmarks.history_portal import _cookies; "
        "print(json.dumps(_cookies(Path(sys.argv[1]), Path(sys.argv[2]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    cookies = json.loads(done.stdout.strip().splitlines()[-1])
    env = {**os.environ, **environment(folder, store)}
    port = _free_port()
    argv = [sys.executable, "-m", "carecover", "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                if _get(port, "/healthz", "")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        picks = random.Random(16).sample(ccns, min(len(ccns), USERS * ROUNDS))
        facility_pages = [f"/analysts/facility/{c}/" for c in picks]
        status, cold = _get(port, facility_pages[0], cookies[0])
        if status != 200:
            raise RuntimeError(f"the facility page answered {status}")
        facility = _team(port, facility_pages, cookies)
        state_page = _team(port, [f"/analysts/state/{state}/"], cookies)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {"cold": cold, "facility": facility, "state": state_page}
