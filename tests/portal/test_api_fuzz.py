"""Schemathesis drives every ``/api`` operation with inputs drawn from
``/api/openapi.json``: no 500, and every answer matches the schema it documents.

Small and deterministic (``derandomize``, a few examples per operation); it
calls the portal's WSGI application in-process, as the submitter's token.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tests.portal.api_helpers import report_payload, tokens
from tests.portal.conftest import personas

__all__ = ["personas", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(tokens: dict[str, str]) -> Iterator[Any]:
    """The schema, loaded from the running application; one draft exists already."""
    from django.test import Client

    bearer = {"Authorization": f"Bearer {tokens['submitter']}"}
    Client(headers=bearer).post("/api/reports", report_payload(), content_type="application/json")
    # The WSGI handler closes "old" connections when a request starts and ends,
    # which would close the test's own transaction; Django's test client does
    # the same dance.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


#: Few examples, the same ones each run: a check of the contract, not a soak.
_SETTINGS = settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_every_operation_answers_as_its_schema_says(
    api_schema: Any, tokens: dict[str, str]
) -> None:
    bearer = {"Authorization": f"Bearer {tokens['submitter']}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 17
    # Revoking would end the run early (the token is the one revoked): tested elsewhere.
    operations = [op for op in operations if not op.path.endswith("/revoke")]
    for operation in operations:

        @_SETTINGS
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            # Schema-valid is not rule-valid: the domain refuses most random
            # reports (422 with its problems), which is the point of it.
            case.call_and_validate(
                headers=bearer, excluded_checks=[schemathesis.checks.positive_data_acceptance]
            )

        run()
