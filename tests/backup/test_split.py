from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.ids import ReportIdIssuer
from carecover.backup.report import (
    ReportStatus,
)
from carecover.backup.split import MAX_RANGE_DAYS, reports_for_range
from carecover.errors import InputError, RuleError
from tests.backup.factories import draft

TODAY = date(2026, 11, 23)
TEMPLATE = draft(
    report_id="BUS-2026-000001",
    incident_date=date(2026, 10, 1),
    reason="other",
    reason_other="Both backup workers were snowed in",
)


class CountingLedger:
    def __init__(self) -> None:
        self.last: dict[int, int] = {}

    def reserve(self, year: int) -> int:
        self.last[year] = self.last.get(year, 0) + 1
        return self.last[year]


def issuer() -> ReportIdIssuer:
    return ReportIdIssuer(CountingLedger())


def test_it_makes_one_draft_per_date_each_with_its_own_id() -> None:
    drafts = reports_for_range(
        TEMPLATE, date(2026, 11, 1), date(2026, 11, 3), issuer=issuer(), today=TODAY
    )
    assert [d.incident_date.day for d in drafts] == [1, 2, 3]
    assert [d.report_id for d in drafts] == [
        "BUS-2026-000001",
        "BUS-2026-000002",
        "BUS-2026-000003",
    ]
    assert all(d.status is ReportStatus.DRAFT and d.version == 1 for d in drafts)
    assert all(d.member == TEMPLATE.member and d.reason == "other" for d in drafts)


def test_it_makes_one_draft_for_a_single_day() -> None:
    drafts = reports_for_range(TEMPLATE, TODAY, TODAY, issuer=issuer(), today=TODAY)
    assert len(drafts) == 1


def test_it_refuses_a_range_that_ends_before_it_starts() -> None:
    with pytest.raises(InputError) as caught:
        reports_for_range(
            TEMPLATE, date(2026, 11, 5), date(2026, 11, 4), issuer=issuer(), today=TODAY
        )
    assert caught.value.field == "last_date"


def test_it_refuses_a_range_reaching_into_the_future() -> None:
    with pytest.raises(InputError, match="after today") as caught:
        reports_for_range(
            TEMPLATE, date(2026, 11, 20), date(2026, 11, 24), issuer=issuer(), today=TODAY
        )
    assert caught.value.field == "last_date"


def test_it_refuses_a_range_of_more_than_31_days() -> None:
    with pytest.raises(RuleError, match="32 days"):
        reports_for_range(
            TEMPLATE, date(2026, 10, 1), date(2026, 11, 1), issuer=issuer(), today=TODAY
        )


def test_it_does_not_use_an_id_when_it_refuses_a_range() -> None:
    ledger = CountingLedger()
    with pytest.raises(RuleError):
        reports_for_range(
            TEMPLATE,
            date(2026, 1, 1),
            date(2026, 3, 1),
            issuer=ReportIdIssuer(ledger),
            today=TODAY,
        )
    assert ledger.last == {}


@given(
    st.dates(min_value=date(2025, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=MAX_RANGE_DAYS - 1),
)
def test_it_covers_every_date_of_the_range_exactly_once(first: date, extra: int) -> None:
    last = min(first + timedelta(days=extra), TODAY)
    drafts = reports_for_range(TEMPLATE, first, last, issuer=issuer(), today=TODAY)
    dates = [d.incident_date for d in drafts]
    assert dates == [first + timedelta(days=i) for i in range((last - first).days + 1)]
    assert len({d.report_id for d in drafts}) == len(drafts)
