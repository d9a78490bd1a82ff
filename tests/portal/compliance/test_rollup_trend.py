"""The trend over periods shows on the roll-up page, the print page and in both downloads."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from carecover.backup.rollup import RollupKind
from carecover.portal.accounts.models import User
from carecover.portal.compliance import reporting
from carecover.portal.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def mco() -> Client:
    """The MCO analyst of the demo world, loaded as of today."""
    load_demo(today=timezone.localdate(), password="demo password for tests")
    client = Client()
    client.force_login(User.objects.get(username="mco-analyst"))
    return client


def _trend_rows(html: str) -> list[str]:
    body = re.search(r'<table id="table-trend">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body is not None
    return re.findall(r"<tr><td>([^<]*)</td>", body.group(1))


def test_the_quarterly_pages_and_downloads_show_the_last_four_quarters(mco: Client) -> None:
    today = timezone.localdate()
    period = reporting.default_period(RollupKind.QUARTERLY_HRC, today)
    expected = reporting.rollup_for(RollupKind.QUARTERLY_HRC, period, as_of=today).trend
    periods = [str(row[0]) for row in expected.rows]
    assert len(periods) == 4
    assert periods[-1] == period

    for url in ["/compliance/reports/quarterly-hrc/", "/compliance/reports/quarterly-hrc/print/"]:
        html = mco.get(url, {"period": period}).content.decode()
        assert _trend_rows(html) == periods, url
        chart = html[html.index('id="chart-trend"') :]
        chart = chart[: chart.index("</figure>")]
        assert chart.count('<rect class="bar"') == 4
        assert "Reports per period (last 4)" in chart

    text = mco.get("/compliance/reports/quarterly-hrc/download.csv", {"period": period})
    lines = list(csv.reader(io.StringIO(text.content.decode())))
    start = lines.index(["# Trend over the last 4 quarters"])
    assert lines[start + 1] == list(expected.headers)
    assert [line[0] for line in lines[start + 2 : start + 6]] == periods
    assert lines[start + 6] == []

    book = mco.get("/compliance/reports/quarterly-hrc/download.xlsx", {"period": period})
    sheet = load_workbook(io.BytesIO(book.content))["trend"]
    values = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in values] == periods
    assert [row[1] for row in values] == [row[1] for row in expected.rows]


def test_the_monthly_page_follows_the_trend_setting(mco: Client, settings: Any) -> None:
    period = reporting.default_period(RollupKind.MONTHLY, timezone.localdate())
    html = mco.get("/compliance/reports/monthly/", {"period": period}).content.decode()
    assert len(_trend_rows(html)) == 6
    assert "Trend over the last 6 months" in html

    settings.ROLLUP_TREND_MONTHS = 3
    html = mco.get("/compliance/reports/monthly/", {"period": period}).content.decode()
    rows = _trend_rows(html)
    assert len(rows) == 3
    assert rows[-1] == period
    assert date.fromisoformat(f"{rows[0]}-01") < date.fromisoformat(f"{period}-01")
