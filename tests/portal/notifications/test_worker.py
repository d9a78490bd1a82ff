"""The worker runs the queued scan on the portal's own database and keeps it scheduled."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from carecover.portal.accounts.models import User
from carecover.portal.notifications.models import Notification
from carecover.portal.notifications.tasks import ensure_scheduled, scan_reminders
from carecover.portal.worker import run_worker


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_scan_and_queues_the_next_one(personas: dict[str, User]) -> None:
    run_worker(interval=0.1, once=True)
    assert Notification.objects.filter(user=personas["submitter"]).exists()
    done = DBTaskResult.objects.filter(task_path=scan_reminders.module_path)
    assert done.filter(status="SUCCESSFUL").count() == 1
    # The next scan waits in the queue for its time.
    [waiting] = done.filter(status="READY")
    assert waiting.run_after is not None


@pytest.mark.django_db(transaction=True)
def test_starting_twice_queues_one_scan(personas: dict[str, User]) -> None:
    assert ensure_scheduled() is True
    assert ensure_scheduled() is False
    assert DBTaskResult.objects.filter(status="READY").count() == 1
