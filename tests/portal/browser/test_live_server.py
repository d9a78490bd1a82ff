"""The test portal answers overlapping requests as the real one does.

A person typing in the report form fires a member search while the form is
being saved; both must succeed on every test database (see ``live_server``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from carecover.portal.demo import load_demo
from tests.portal.browser.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

OVERLAPPING_REQUESTS = """async () => {
  const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const search = () => fetch("/reports/members/", {
    method: "POST",
    headers: {"X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded"},
    body: "member_last_name=O",
  });
  const list = () => fetch("/reports/");
  const answers = await Promise.all(
    Array.from({length: 24}, (_, i) => (i % 2 ? search() : list()))
  );
  return answers.map((answer) => answer.status);
}"""


def test_overlapping_requests_from_one_signed_in_page_all_succeed(
    new_page: Callable[[], Page],
) -> None:
    load_demo(today=timezone.localdate(), password=PASSWORD)
    page = new_page()
    sign_in(page, "prv001-submitter")
    page.goto("/reports/new/")

    statuses = page.evaluate(OVERLAPPING_REQUESTS)

    assert statuses == [200] * 24
