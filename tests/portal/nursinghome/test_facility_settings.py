"""The facility's rating settings: administrators and chain users set them, audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from carecover.portal.audit.models import AuditEvent
from carecover.portal.nursinghome.models import Facility

SETTINGS = "/nursing-homes/100000/settings/"
VALID = {
    "health_inspection_stars": "4",
    "quality_measure_stars": "5",
    "audit_failed": "on",
    "cmi_ratio": "1.1",
}


@pytest.mark.parametrize("persona", ["administrator", "corporate"])
def test_administrators_and_chain_users_save_the_settings(
    homes: dict[str, Any], as_home_user: Callable[[str], Client], persona: str
) -> None:
    client = as_home_user(persona)
    assert client.get(SETTINGS).status_code == 200
    response = client.post(SETTINGS, VALID)
    assert response.status_code == 302
    assert response["Location"] == "/nursing-homes/100000/"
    oakwood = Facility.objects.get(ccn="100000")
    assert (
        oakwood.health_inspection_stars,
        oakwood.quality_measure_stars,
        oakwood.audit_failed,
        oakwood.cmi_ratio,
    ) == (4, 5, True, 1.1)
    event = AuditEvent.objects.get(object_type="facility", object_id="100000")
    assert (event.before or {})["health_inspection_stars"] == 3
    assert (event.after or {})["audit_failed"] is True


def test_blank_values_clear_the_settings(
    homes: dict[str, Any], as_home_user: Callable[[str], Client]
) -> None:
    as_home_user("administrator").post(SETTINGS, {"health_inspection_stars": ""})
    oakwood = Facility.objects.get(ccn="100000")
    assert oakwood.health_inspection_stars is None
    assert oakwood.quality_measure_stars is None
    assert oakwood.audit_failed is False


@pytest.mark.parametrize("persona", ["don", "mds_coordinator"])
def test_other_facility_staff_are_refused_the_settings(
    homes: dict[str, Any], as_home_user: Callable[[str], Client], persona: str
) -> None:
    client = as_home_user(persona)
    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS, VALID).status_code == 403
    assert Facility.objects.get(ccn="100000").audit_failed is False


def test_another_operator_gets_404_for_the_settings(
    homes: dict[str, Any], as_home_user: Callable[[str], Client]
) -> None:
    assert as_home_user("other_home").post(SETTINGS, VALID).status_code == 404


def test_stars_outside_one_to_five_are_refused_next_to_the_field(
    homes: dict[str, Any], as_home_user: Callable[[str], Client]
) -> None:
    response = as_home_user("administrator").post(SETTINGS, VALID | {"quality_measure_stars": "6"})
    assert response.status_code == 400
    assert "quality_measure_stars" in response.context["form"].errors
    assert Facility.objects.get(ccn="100000").quality_measure_stars == 4


def test_the_settings_form_needs_a_csrf_token(
    homes: dict[str, Any], as_home_user: Callable[[str], Client]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(homes["users"]["administrator"])
    assert client.post(SETTINGS, VALID).status_code == 403
