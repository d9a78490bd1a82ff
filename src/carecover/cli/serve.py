"""``carecover serve``: run the backup-staffing web portal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from carecover.portal.serving import check_address, demo_portal, run_server

#: One demo login: user name, password, role, organisation.
Login = tuple[str, str, str, str]


def print_logins(logins: Iterable[Login], console: Console) -> None:
    """The demo's logins: a table on a terminal, every user name whole whatever its
    width (the organisation wraps instead); a plain tab-separated list otherwise."""
    rows = list(logins)
    if not console.is_terminal:
        # Piped or redirected: one login a line, nothing cut, easy to grep.
        for row in [("user name", "password", "role", "organisation"), *rows]:
            console.file.write("\t".join(row) + "\n")
        return
    table = Table(title="Demo logins (one password for all)")
    longest = max((len(row[0]) for row in rows), default=9)
    table.add_column("user name", no_wrap=True, min_width=longest)
    table.add_column("password", no_wrap=True)
    table.add_column("role", overflow="fold")
    table.add_column("organisation", overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)


@contextmanager
def _demo_worker() -> Iterator[None]:
    """``carecover worker`` beside the demo server, on the same database, while it runs."""
    worker = subprocess.Popen([sys.executable, "-m", "carecover", "worker", "--interval", "2"])
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command("serve")
    def serve(
        demo: Annotated[
            bool,
            typer.Option("--demo", help="Serve a throwaway SQLite database filled with demo data."),
        ] = False,
        host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[
            int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
        ] = 8000,
        workers: Annotated[
            int, typer.Option("--workers", min=1, max=32, help="gunicorn worker processes.")
        ] = 2,
    ) -> None:
        """Run the web portal under gunicorn (settings from CARECOVER_* variables)."""
        if not demo:
            run_server(host=host, port=port, workers=workers)
            return
        check_address(host, port)  # before the demo data, not after
        # The demo's reminder e-mails are printed by the worker, never sent.
        os.environ.setdefault("CARECOVER_EMAIL_BACKEND", "console")
        os.environ.setdefault("CARECOVER_SITE_URL", f"http://{host}:{port}")
        with demo_portal(host) as logins, _demo_worker():
            console = Console()
            print_logins(
                [(x.username, x.password, x.role, x.organisation) for x in logins], console
            )
            console.print(f"Portal: http://{host}:{port}/accounts/login/")
            # One worker: the demo database is a single SQLite file.
            run_server(host=host, port=port, workers=1)
