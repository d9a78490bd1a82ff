"""``carecover worker``: run queued tasks (the reminder scan) until interrupted.

django-tasks' database backend keeps the queue in the portal's own database,
so the worker needs nothing beyond it (SQLite or PostgreSQL). On start it
makes sure one reminder scan is queued; each scan queues the next.
"""

from __future__ import annotations

from carecover.errors import ConfigError
from carecover.portal.serving import pending_migrations, setup_portal

__all__ = ["run_worker"]


def run_worker(*, interval: float = 5.0, once: bool = False) -> None:
    """Process the task queue every ``interval`` seconds; ``once``: drain it and stop."""
    setup_portal()
    if pending_migrations():
        raise ConfigError(
            "the portal database is not up to date: run `python -m carecover.portal migrate`"
        )
    from django.core.management import call_command

    from carecover.portal.notifications.tasks import ensure_scheduled

    ensure_scheduled()
    options: dict[str, object] = {"interval": interval, "reload": False, "startup_delay": False}
    if once:
        options["batch"] = True
    call_command("db_worker", **options)
