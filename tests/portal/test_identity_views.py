"""Every page that shows a member's or a resident's identity records the view (issue 11 §4).

The walk opens every URL of the URL conf (``urlwalk``) as every persona; a
response showing a member's name, Medicaid id or birth date, or a resident's
name, must have written an audit event by that user (a view of identity, or
an export) while it was answered.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.audit.models import Action, AuditEvent
from carecover.portal.incidents.models import Report
from tests.portal.conftest import report_form
from tests.portal.nursinghome.conftest import (
    QUARTER,
    as_home_user,
    homes,
    loaded_facility,
    synthetic_files,
)
from tests.portal.urlwalk import World, body_text, paths, world

__all__ = ["as_home_user", "homes", "loaded_facility", "synthetic_files", "world"]  # fixtures

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
RECORDING = (Action.VIEW_IDENTITY, Action.EXPORT)


def _recorded(username: str) -> int:
    return AuditEvent.objects.filter(actor_username=username, action__in=RECORDING).count()


def test_every_page_showing_a_members_or_residents_identity_records_the_view(
    world: World,
) -> None:
    walked = paths(world)
    showing = []
    for persona, user in world.personas.items():
        client = world.client(persona)
        for path in walked:
            before = _recorded(user.username)
            response = client.get(path)
            text = body_text(response)
            shown = [value for value in world.identities if value in text]
            if shown:
                showing.append((persona, path))
                assert _recorded(user.username) > before, (persona, path, shown[:2])
    # The walk did reach identifying pages: the member's and the residents'.
    assert ("submitter", f"/reports/{world.values['report_id'][0]}/edit/") in showing
    assert ("don", f"/nursing-homes/{world.values['ccn'][0]}/") in showing
    assert ("mco_analyst", f"/reports/{world.values['report_id'][0]}/") in showing


def test_opening_the_edit_form_records_a_view_of_the_members_identity(as_persona: Login) -> None:
    client = as_persona("submitter")
    client.post("/reports/new/", report_form())
    report = Report.objects.get()
    before = AuditEvent.objects.filter(action=Action.VIEW_IDENTITY).count()
    response = client.get(f"/reports/{report.report_id}/edit/")
    assert "900001234A" in response.content.decode()
    views = AuditEvent.objects.filter(action=Action.VIEW_IDENTITY).order_by("id")
    assert views.count() == before + 1
    last = views.last()
    assert last is not None
    assert (last.actor_username, last.object_type, last.object_id) == (
        "sam",
        "member",
        str(report.member_id),
    )


def test_the_facility_page_records_which_residents_it_listed(
    as_home_user: Login, loaded_facility: object
) -> None:
    response = as_home_user("don").get("/nursing-homes/100000/", {"quarter": str(QUARTER)})
    figures = response.context["figures"]
    listed = {r.resident_key for r in figures.census_risk} | {
        r.resident_key for r in figures.missing
    }
    assert listed, "the synthetic store has residents on the lists"
    event = AuditEvent.objects.get(action=Action.VIEW_IDENTITY, object_type="residents")
    assert (event.actor_username, event.object_id) == ("dora", "100000")
    assert event.after is not None
    recorded = {key for keys in event.after["lists"].values() for key in keys}
    assert recorded == listed
    # Keys only: no resident's name is copied into the audit trail.
    names = {r.last_name for r in figures.census_risk} | {r.last_name for r in figures.missing}
    assert not any(name in str(event.after) for name in names)
