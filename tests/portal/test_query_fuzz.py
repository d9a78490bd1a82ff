"""No server error on edge input: every GET view, as every persona, with hostile query strings.

Issue 11 §5 found four 500s from a query parameter (a 23-digit member number,
roll-up periods in the year 9999). Every query parameter is now parsed by
``carecover.portal.queryparams`` within bounds; these tests drive every URL
of the URL conf (``urlwalk``) with extreme values of every parameter the
portal reads, and hypothesis with random ones. The test client re-raises a
view's exception, so a 500 fails the test with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.portal.api_helpers import ApiClient, api_as, tokens
from tests.portal.nursinghome.conftest import (
    as_home_user,
    homes,
    loaded_facility,
    synthetic_files,
)
from tests.portal.urlwalk import World, paths, world

__all__ = [  # fixtures
    "api_as",
    "as_home_user",
    "homes",
    "loaded_facility",
    "synthetic_files",
    "tokens",
    "world",
]

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]

#: Every query parameter a page or endpoint reads.
PARAMETERS = (
    "period", "quarter", "member", "provider", "service", "reason", "report_type", "status",
    "incident_from", "incident_to", "after", "before", "page", "backup_status", "service_code",
    "actor", "action", "object_type", "object_id", "via", "date_from", "date_to", "whatif",
    "submitted_on", "audit_failed", "extra_rn_hours", "cmi_ratio", "member_id", "page_size",
    "provider_id", "period_start", "first", "last",
)  # fmt: skip
#: Values that broke, or could break, a parser: overflow, dates out of range, not numbers.
EXTREMES = (
    "99999999999999999999999", "-1", "9223372036854775808", "1e400", "nan", "-inf",
    "9999-12", "9999Q4", "0001-01", "9999-12-31", "0001-01-01.1", "2026Q5", "x" * 5000,
    "\x00", "２０２６-１０",
)  # fmt: skip
#: The sweep's values, each given to every parameter of every page at once: the four
#: 500s of issue 11 §5 and their kin (a cost: one request per page per value).
SWEEP_VALUES = (
    "99999999999999999999999", "9999-12", "9999Q4", "0001-01", "9999-12-31", "nan",
    "x" * 5000, "\x00",
)  # fmt: skip
STATUS_IN_RANGE = range(200, 500)
#: Between them these open every page: a filer, the MCO's administrator, a nursing home.
SWEEP_PERSONAS = ("submitter", "mco_admin", "don")


def _get(world: World, persona: str, path: str, query: dict[str, str]) -> int:
    response = world.client(persona).get(f"{path}?{urlencode(query)}")
    return int(response.status_code)


def _opened(world: World, walked: list[str]) -> dict[str, str]:
    """Each path that answers a plain GET with 200, and a persona it answers so for.

    A refused request (403, 404, 405, a redirect to the login page) never
    reaches a query parser, so sweeping it would only cost time.
    """
    opened = {}
    for path in walked:
        for persona in SWEEP_PERSONAS:
            if _get(world, persona, path, {}) == 200:
                opened[path] = persona
                break
    return opened


_query = st.dictionaries(
    st.sampled_from(PARAMETERS) | st.text(max_size=10),
    st.sampled_from(EXTREMES)
    | st.text(max_size=30)
    | st.integers(min_value=-(10**30), max_value=10**30).map(str)
    | st.dates().map(str)
    | st.floats().map(str),
    max_size=6,
)

#: Derandomized, no example database: the same examples every run (CI: under a minute in all).
_SETTINGS = settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_every_get_view_as_every_persona_answers_edge_query_strings_without_a_server_error(
    world: World,
) -> None:
    walked = paths(world)
    opened = _opened(world, walked)
    # Pages, downloads, the roll-ups, the facility page and the API's reads.
    assert len(opened) > 30
    for value in SWEEP_VALUES:
        query = dict.fromkeys(PARAMETERS, value)
        for path, persona in opened.items():
            status = _get(world, persona, path, query)
            assert status in STATUS_IN_RANGE, (persona, path, value[:20], status)

    @_SETTINGS
    @given(
        persona=st.sampled_from(["anonymous", *world.personas]),
        path=st.sampled_from(walked),
        query=_query,
    )
    def random_queries(persona: str, path: str, query: dict[str, Any]) -> None:
        status = _get(world, persona, path, query)
        assert status in STATUS_IN_RANGE, (persona, path, status)

    random_queries()


@pytest.mark.parametrize(
    ("path", "persona", "message"),
    [
        ("/reports/?member=99999999999999999999999", "mco_analyst", "Enter a record number"),
        ("/compliance/reports/monthly/?period=9999-12", "mco_analyst", "from 1900 to 2999"),
        ("/compliance/reports/quarterly-state/?period=9999Q4", "mco_analyst", "from 1900 to 2999"),
        (
            "/compliance/reports/quarterly-hrc/download.xlsx?period=9999-12",
            "mco_admin",
            "from 1900 to 2999",
        ),
        ("/audit/?date_from=9999-12-31", "mco_admin", "from 1900 to 2999"),
    ],
)
def test_the_inputs_that_were_server_errors_are_answered_400_with_a_message(
    as_persona: Login, path: str, persona: str, message: str
) -> None:
    response = as_persona(persona).get(path)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_facility_page_for_the_year_9999_is_answered_400_with_a_message(
    as_home_user: Login, loaded_facility: object
) -> None:
    response = as_home_user("don").get("/nursing-homes/100000/", {"quarter": "9999Q4"})
    assert response.status_code == 400
    assert "from 1900 to 2999" in response.content.decode()


def test_a_refusal_is_logged_as_one_line_without_a_traceback(
    as_persona: Login, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="django.request")
    response = as_persona("submitter").get("/audit/")
    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    assert refusals[0].exc_info is None
    assert refusals[0].getMessage() == "Forbidden (Permission denied): /audit/"
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("persona", ["eor", "mco_admin"])
def test_api_periods_of_the_year_9999_are_refused_as_invalid_not_a_server_error(
    as_persona: Login, persona: str
) -> None:
    response = as_persona(persona).get("/api/periods?first=9999-12-31&last=9999-12-31")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"first", "last"}


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_attesting_a_period_of_the_year_9999_is_refused_as_invalid_not_a_server_error(
    api_as: ApiClient, day: str
) -> None:
    response = api_as("eor").post(f"/api/periods/{day}/attest")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "period_start"
