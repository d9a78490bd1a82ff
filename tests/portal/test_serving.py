"""``carecover serve`` under gunicorn: instances on one machine stay out of each other's way."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from carecover.errors import ConfigError
from carecover.portal.serving import check_address
from tests.portal.conftest import TEST_SECRET_KEY


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(port: int, proc: subprocess.Popen[bytes]) -> bool:
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                return bool(answer.status == 200)
        except OSError:
            if proc.poll() is not None:
                return False
            time.sleep(0.25)
    return False


@pytest.mark.slow
def test_two_serve_instances_of_one_user_run_side_by_side_without_a_shared_control_socket(
    tmp_path: Path,
) -> None:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("CARECOVER_", "DJANGO_"))}
    kept.pop("XDG_RUNTIME_DIR", None)
    env = {
        **kept,
        "HOME": str(tmp_path),
        "CARECOVER_SECRET_KEY": TEST_SECRET_KEY,
        "CARECOVER_DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "CARECOVER_FACILITY_STORES": str(tmp_path / "stores"),
        "CARECOVER_HTTPS": "false",
    }
    migrate = [sys.executable, "-m", "carecover.portal", "migrate", "--verbosity", "0"]
    subprocess.run(migrate, env=env, check=True, timeout=180)
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "carecover", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        assert [_healthy(port, proc) for port, proc in zip(ports, servers, strict=True)] == [
            True,
            True,
        ]
        # gunicorn's default would be one ~/.gunicorn/gunicorn.ctl for both (removed on exit).
        assert not list(tmp_path.rglob("*.ctl")), "no control socket in the user's home"
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            proc.wait(timeout=60)


def test_a_port_in_use_is_one_line_before_any_work() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError) as caught:
            check_address("127.0.0.1", port)
    assert str(caught.value) == f"cannot listen on 127.0.0.1:{port}: Address already in use"


def test_a_host_that_is_no_address_is_one_line() -> None:
    with pytest.raises(ConfigError, match=r"cannot listen on 999\.1\.1\.1:8000: "):
        check_address("999.1.1.1", 8000)


def test_a_free_address_passes_the_check() -> None:
    check_address("127.0.0.1", _free_port())


def test_serve_demo_on_a_port_in_use_says_so_in_one_line_and_builds_nothing(
    tmp_path: Path,
) -> None:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("CARECOVER_", "DJANGO_"))}
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "carecover", "serve", "--demo", "--port", str(port)],
            env={**kept, "TMPDIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert done.stderr == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []  # no demo database was made
