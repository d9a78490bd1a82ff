"""The audit trail cannot be rewritten: no update, no delete, one row or many."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from carecover.errors import RuleError
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action, AuditEvent
from carecover.portal.audit.recording import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas: dict[str, User]) -> AuditEvent:
    """One recorded change."""
    return record(
        personas["submitter"],
        Action.CHANGE,
        object_type="report",
        object_id="BUS-2026-000001",
        before={"hours_without_staff": 6.0},
        after={"hours_without_staff": 5.0},
    )


def test_it_records_who_did_what_to_which_object(event: AuditEvent) -> None:
    stored = AuditEvent.objects.get()
    assert (stored.actor_username, stored.action, stored.object_id) == (
        "sam",
        "change",
        "BUS-2026-000001",
    )
    assert stored.organisation_id is not None
    assert stored.at is not None


def test_it_refuses_to_change_an_event(event: AuditEvent) -> None:
    event.action = Action.VIEW_IDENTITY
    with pytest.raises(RuleError):
        event.save()


def test_it_refuses_to_delete_an_event(event: AuditEvent) -> None:
    with pytest.raises(RuleError):
        event.delete()
    with pytest.raises(RuleError):
        AuditEvent.objects.all().delete()
    with pytest.raises(RuleError):
        AuditEvent.objects.filter(pk=event.pk).update(action="create")
    assert AuditEvent.objects.get().action == "change"


def test_the_database_refuses_raw_sql_that_rewrites_the_trail(event: AuditEvent) -> None:
    for sql in ("UPDATE audit_auditevent SET action = 'create'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.get().action == "change"
