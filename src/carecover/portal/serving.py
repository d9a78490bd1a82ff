"""Run the portal under gunicorn (a production WSGI server, not ``runserver``).

``demo_portal`` prepares a throwaway SQLite database filled with the demo
data; ``run_server`` serves whatever the environment configures.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.errors import ConfigError

if TYPE_CHECKING:
    from carecover.portal.demo import DemoLogin

__all__ = ["check_address", "demo_portal", "pending_migrations", "run_server", "setup_portal"]


def setup_portal() -> None:
    """Load the settings (ConfigError if the environment is wrong) and Django's apps."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecover.portal.settings")
    import django

    django.setup()


def pending_migrations() -> bool:
    """Whether the portal database lacks migrations (a server must not start on it)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@contextmanager
def demo_portal(host: str) -> Iterator[list[DemoLogin]]:
    """A migrated temporary SQLite database with the demo data; yields the demo logins.

    The database (and a random key, unless ``CARECOVER_SECRET_KEY`` is set) last
    only as long as the ``with`` block.
    """
    directory = tempfile.mkdtemp(prefix="carecover-demo-")
    owner = os.getpid()
    try:
        os.environ["CARECOVER_DATABASE_URL"] = f"sqlite:///{Path(directory) / 'demo.sqlite3'}"
        os.environ["CARECOVER_FACILITY_STORES"] = str(Path(directory) / "facilities")
        os.environ.setdefault("CARECOVER_SECRET_KEY", secrets.token_urlsafe(48))
        # The demo is served over plain http on this machine.
        os.environ["CARECOVER_HTTPS"] = "false"
        os.environ["CARECOVER_ALLOWED_HOSTS"] = ",".join(sorted({host, "localhost", "127.0.0.1"}))
        setup_portal()
        from django.core.management import call_command
        from django.utils import timezone

        from carecover.portal.demo import load_demo

        call_command("migrate", verbosity=0, interactive=False)
        yield load_demo(today=timezone.localdate())
    finally:
        # gunicorn workers are forks that unwind this block when they exit;
        # only the process that made the database may delete it.
        if os.getpid() == owner:
            shutil.rmtree(directory, ignore_errors=True)


def _warm(worker: Any) -> None:
    """Import every view module and compile the analyst pages' rules (a gunicorn hook)."""
    from django.urls import get_resolver

    from carecover.portal.analysts.store import prepare_history

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
    prepare_history()


def check_address(host: str, port: int) -> None:
    """``ConfigError`` in one line when nothing can listen on ``host:port`` now.

    gunicorn finds a port in use, or a host that is not this machine's, only
    after five tries a second apart, logging each; this asks once, first.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            probe.bind(address)
    except OSError as error:  # socket.gaierror is one
        reason = error.strerror or str(error)
        raise ConfigError(f"cannot listen on {host}:{port}: {reason}") from None


def run_server(*, host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Serve the portal with gunicorn until interrupted; ConfigError if not migrated."""
    check_address(host, port)
    setup_portal()
    if pending_migrations():
        raise ConfigError(
            "the portal database is not up to date: run `python -m carecover.portal migrate`"
        )
    from gunicorn.app.base import BaseApplication

    from carecover.portal.nursinghome.upload_recovery import sweep_uploads
    from carecover.portal.wsgi import application

    # Uploads a killed worker left half done are finished (or rolled back) before
    # anyone can see them, and stray copies of uploaded files are removed.
    sweep_uploads()
    from django.db import connections

    # gunicorn forks its workers from this process: none may inherit its connection.
    connections.close_all()

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",
        # Paths hold ids only, never member data (issue 3: no PHI in logs or URLs).
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        # gunicorn's control socket defaults to one path per user account
        # (~/.gunicorn/gunicorn.ctl): a second instance would take the first one's.
        # Nothing here uses gunicornc, so no instance opens one.
        "control_socket_disable": True,
        # Each worker imports every view and compiles the analyst pages' rules before
        # its first request: that request (often a facility page) then costs what any
        # other does.
        "post_worker_init": _warm,
    }

    class _Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    _Gunicorn().run()
