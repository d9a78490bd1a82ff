"""``carecover worker``: send reminders (the portal's scheduled jobs)."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``worker`` command to ``app``."""

    @app.command("worker")
    def worker(
        interval: Annotated[
            float,
            typer.Option("--interval", min=0.1, max=3600, help="Seconds between queue checks."),
        ] = 5.0,
        once: Annotated[
            bool, typer.Option("--once", help="Run what is due now, then stop (for cron).")
        ] = False,
    ) -> None:
        """Run the portal's scheduled jobs: reminders in the portal and by e-mail."""
        from carecover.portal.worker import run_worker

        run_worker(interval=interval, once=once)
