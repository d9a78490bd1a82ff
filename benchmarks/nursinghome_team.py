"""The facility page under a team's load (issue 11 §7), over loopback against gunicorn.

``carecover serve`` (gunicorn, 2 workers x 4 threads, SQLite) serves the
benchmark facility of ``nursinghome_bench``; ten users, each in its own
thread with its own signed-in session, ask for the facility page one after
another, ``ROUNDS`` times each. The first request of the freshly started
server is the cold one. While an upload of the facility's PBJ file runs in
another process, the same ten users ask again: an upload must not block them.

Targets (issue 11 §7): p95 under 1 s at 10 concurrent users, cold under 1 s.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

USERS = 10
ROUNDS = 10
P95_TARGET_S = 1.0
COLD_TARGET_S = 1.0
#: What this benchmark measured before the page stopped queueing on the store's lock.
BEFORE = [
    "Before (every request computed the figures under the store's exclusive lock), this"
    " benchmark on 2026-12-03 08:15 UTC, load average 9.3 on the 2 shared cores: cold"
    " 4.76 s; 10 users p50 13.65 s, p95 23.59 s; while an upload runs p50 17.72 s,"
    " p95 26.94 s. Issue 11 found p50 6.8 s, p95 8.1 s, cold 1.7 s on a quieter machine.",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, cookie: str) -> tuple[int, float]:
    """GET ``path`` as the user of ``cookie``: the status and the seconds to the last byte."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    argv = [sys.executable, "-m", "carecover", "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(400):
        try:
            if _get(port, "/healthz", "")[0] == 200:
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("carecover serve did not start for the team benchmark")


def _team(port: int, page: str, cookies: list[str]) -> list[float]:
    """Each user asks for ``page`` ROUNDS times in a row; every answer's seconds."""

    def user(cookie: str) -> list[float]:
        seconds = []
        for _ in range(ROUNDS):
            status, elapsed = _get(port, page, cookie)
            if status != 200:
                raise RuntimeError(f"the facility page answered {status}")
            seconds.append(elapsed)
        return seconds

    with ThreadPoolExecutor(len(cookies)) as pool:
        return [s for one in pool.map(user, cookies) for s in one]


def _while(work: Callable[[], Any], during: Callable[[], list[float]]) -> tuple[list[float], float]:
    """Run ``during`` while ``work`` runs in a thread: its timings and ``work``'s seconds."""
    took: list[float] = []

    def timed() -> None:
        started = time.perf_counter()
        work()
        took.append(time.perf_counter() - started)

    thread = threading.Thread(target=timed)
    thread.start()
    seconds = during()
    thread.join()
    return seconds, took[0]


def measure(
    folder: Path, env: dict[str, str], page: str, cookies: list[str], upload: Callable[[], Any]
) -> dict[str, Any]:
    """Start gunicorn over the prepared ``folder``; the cold, team and during-upload timings."""
    proc, port = _serve({**os.environ, **env})
    try:
        status, cold = _get(port, page, cookies[0])
        if status != 200:
            raise RuntimeError(f"the facility page answered {status}")
        team = _team(port, page, cookies)
        during, upload_s = _while(upload, lambda: _team(port, page, cookies))
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {"cold": cold, "team": team, "during_upload": during, "upload_s": upload_s}


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _row(label: str, values: list[float]) -> str:
    p95 = _p(values, 0.95)
    met = "met" if p95 < P95_TARGET_S else "missed"
    return (
        f"| {label} | {len(values)} | {_p(values, 0.5):.3f} s | {p95:.3f} s "
        f"| {max(values):.3f} s | {met} |"
    )


def section(served: dict[str, Any]) -> list[str]:
    """The Markdown lines of the team's figures."""
    cold = served["cold"]
    return [
        "### The facility page under a team's load (issue 11 §7)",
        "",
        f"`carecover serve` (gunicorn, 2 workers x 4 threads, SQLite) over loopback; {USERS} "
        f"users, each with its own session, ask for the facility page {ROUNDS} times in a row, "
        "all at once. The upload is a second PBJ XML of the quarter, loaded by another process "
        f"while the users ask again (it took {served['upload_s']:.2f} s).",
        "",
        f"First request of the freshly started server (cold): **{cold:.2f} s** "
        f"(target < {COLD_TARGET_S:.0f} s: {'met' if cold < COLD_TARGET_S else 'missed'}).",
        "",
        f"| {USERS} concurrent users | requests | p50 | p95 | max "
        f"| target p95 < {P95_TARGET_S:.0f} s |",
        "|---|---|---|---|---|---|",
        _row("facility page", served["team"]),
        _row("facility page while an upload runs", served["during_upload"]),
        "",
        *BEFORE,
    ]
