"""The scheduled scan, on django-tasks' database queue (SQLite and PostgreSQL alike).

``scan_reminders`` delivers what is due, then enqueues its own next run
``CARECOVER_REMINDER_MINUTES`` later: the queue always holds one pending scan,
which ``ensure_scheduled`` restores when a worker starts.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from carecover.portal.notifications.scanning import scan

__all__ = ["ensure_scheduled", "scan_reminders"]


@task()
def scan_reminders() -> dict[str, int]:
    """Deliver the reminders due now, and schedule the next scan."""
    now = timezone.now()
    # The next run is queued first, so a scan that fails does not stop the schedule.
    _schedule(now + timedelta(minutes=settings.CARECOVER_REMINDER_MINUTES))
    result = scan(today=timezone.localdate(now), now=now)
    return {
        "notifications": result.notifications,
        "emails": result.emails,
        "failed_emails": result.failed_emails,
    }


def _schedule(when: object) -> None:
    scan_reminders.using(run_after=when).enqueue()  # type: ignore[arg-type]


def ensure_scheduled() -> bool:
    """Enqueue a scan now unless one is already waiting; True when one was added."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=scan_reminders.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    scan_reminders.enqueue()
    return True
