"""The audit log page and its CSV export: MCO administrators only, filtered, safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action, AuditEvent
from carecover.portal.audit.recording import record

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


@pytest.fixture
def events(personas: dict[str, User]) -> list[AuditEvent]:
    """A change by the submitter, and a view of identity by the analyst."""
    return [
        record(
            personas["submitter"],
            Action.CHANGE,
            object_type="report",
            object_id="BUS-2026-000001",
            before={"reason_other": "late"},
            after={"reason_other": '=HYPERLINK("http://evil.example")'},
        ),
        record(personas["mco_analyst"], Action.VIEW_IDENTITY, object_type="member", object_id="7"),
    ]


def _csv(response: object) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize(
    ("persona", "status"),
    {"submitter": 403, "manager": 403, "other_provider": 403, "eor": 403}.items()
    | {"mco_analyst": 403, "mco_admin": 200}.items(),
)
@pytest.mark.parametrize("path", ["/audit/", "/audit/export.csv"])
def test_only_mco_administrators_see_the_audit_log(
    as_persona: Login, events: list[AuditEvent], persona: str, status: int, path: str
) -> None:
    response = as_persona(persona).get(path)
    assert response.status_code == status


@pytest.mark.parametrize("path", ["/audit/", "/audit/export.csv"])
def test_anonymous_visitors_are_sent_to_the_login_page(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_shows_who_did_what_and_filters_it(
    as_persona: Login, events: list[AuditEvent]
) -> None:
    admin = as_persona("mco_admin")
    page = admin.get("/audit/").content.decode()
    assert "BUS-2026-000001" in page
    assert "member 7" in page
    filtered = admin.get("/audit/", {"action": "view_identity", "actor": "ana"}).content.decode()
    assert "member 7" in filtered
    assert "BUS-2026-000001" not in filtered


def test_the_csv_export_neutralises_formulas_and_is_itself_audited(
    as_persona: Login, events: list[AuditEvent]
) -> None:
    response = as_persona("mco_admin").get("/audit/export.csv", {"object_type": "report"})
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = _csv(response)
    assert [r["action"] for r in rows] == ["change"]
    assert rows[0]["actor_username"] == "sam"
    assert rows[0]["via"] == "web"
    assert '"reason_other": "=HYPERLINK' in rows[0]["after"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    export = AuditEvent.objects.get(action="export")
    assert export.after == {"filters": {"object_type": "report"}, "rows": 1}


def test_a_formula_in_a_user_name_is_neutralised(
    as_persona: Login, orgs: dict[str, object]
) -> None:
    evil = User.objects.create_user("=cmd|' /C calc'!A0", password=None)
    record(evil, Action.CREATE, object_type="report", object_id="BUS-2026-000002")
    rows = _csv(as_persona("mco_admin").get("/audit/export.csv", {"object_type": "report"}))
    assert rows[0]["actor_username"] == "'=cmd|' /C calc'!A0"
