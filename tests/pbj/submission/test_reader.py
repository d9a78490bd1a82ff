"""Streaming reader: typed records, source lines, malformed input."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.pbj.submission.reader import (
    RawStaffHours,
    RawWorkDay,
    XmlFormError,
    iter_hour_entries,
    iter_raw,
    read_submission,
)
from carecover.pbj.submission.xmlsafe import XmlSource, open_sources, pbj_schema
from tests.pbj.submission.test_validation import _document

XML = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "xml"


def test_it_reads_the_header_employees_and_hour_entries_of_a_small_file() -> None:
    sub = read_submission(XML / "valid.xml")
    assert sub.header.facility_id == "NY0001"
    assert (sub.header.report_quarter, sub.header.federal_fiscal_year) == (3, 2026)
    assert str(sub.header.quarter) == "2026Q2"
    assert sub.header.file_spec_version == "4.10.0"
    assert [e.employee_id for e in sub.employees] == ["RN-001", "CNA 002"]
    assert sub.employees[1].hire_date == date(2025, 11, 3)
    assert sub.process_type == "merge"
    assert len(sub.hour_entries) == 5
    assert sub.total_hours == Decimal("54.25")


def test_it_keeps_the_source_line_of_each_hour_entry() -> None:
    entries = list(iter_hour_entries(XML / "valid.xml"))
    first = entries[0]
    assert (first.employee_id, first.day, first.job_title_code, first.pay_type_code) == (
        "RN-001",
        date(2026, 4, 1),
        7,
        2,
    )
    assert first.hours == Decimal("8.00")
    lines = (XML / "valid.xml").read_text().splitlines()
    assert all("<hourEntry>" in lines[e.line - 1] for e in entries if e.line)


def test_it_reads_the_same_entries_with_and_without_the_schema() -> None:
    source = open_sources(XML / "valid.xml")[0]
    assert _days(source, schema=True) == _days(source, schema=False)


def test_it_refuses_a_value_that_breaks_the_item_dictionary_with_its_line() -> None:
    with pytest.raises(InputError, match=r"date_malformed.xml:\d+: date: not a YYYY-MM-DD"):
        read_submission(XML / "date_malformed.xml")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.xml", "StartTag|Premature|Couldn't|attribute"),
        ("wrong_encoding.xml", "UTF-8"),
        ("billion_laughs.xml", "DOCTYPE"),
        ("external_entity.xml", "DOCTYPE"),
    ],
)
def test_it_reports_malformed_xml_as_a_form_error(name: str, message: str) -> None:
    with pytest.raises(XmlFormError, match=message):
        read_submission(XML / name)


def test_it_refuses_a_single_element_too_large_to_hold_in_memory(tmp_path: Path) -> None:
    day = (
        "<workDay><date>2026-04-01</date><hourEntries><hourEntry><hours>1</hours>"
        "<jobTitleCode>7</jobTitleCode><payTypeCode>2</payTypeCode></hourEntry>"
        "</hourEntries></workDay>"
    )
    path = tmp_path / "long.xml"
    path.write_text(
        '<nursingHomeData><header fileSpecVersion="4.10.0"><facilityId>F</facilityId>'
        "<stateCode>NY</stateCode><reportQuarter>3</reportQuarter>"
        "<federalFiscalYear>2026</federalFiscalYear></header>"
        '<staffingHours processType="merge"><staffHours><employeeId>E1</employeeId>'
        f"<workDays>{day * 2000}</workDays></staffHours></staffingHours></nursingHomeData>"
    )
    source = open_sources(path)[0]
    with pytest.raises(InputError, match="keep memory bounded"):
        list(iter_raw(source, max_element_bytes=100_000))
    assert len(list(iter_hour_entries(path))) == 2000  # fine under the default limit


def _days(source: XmlSource, schema: bool) -> list[tuple[str | None, str | None, list[object]]]:
    out: list[tuple[str | None, str | None, list[object]]] = []
    for item in iter_raw(source, schema=pbj_schema() if schema else None):
        if isinstance(item, RawStaffHours):
            out += [(d.employee_id, d.date, list(d.entries)) for d in item.days()]
        elif isinstance(item, RawWorkDay):
            out.append((item.employee_id, item.date, list(item.entries)))
    return out


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.integers(min_value=1, max_value=30),
        st.lists(st.integers(min_value=0, max_value=2250), min_size=1, max_size=4),
        min_size=1,
        max_size=6,
    )
)
def test_its_fast_path_reads_what_the_element_walk_reads(days: dict[int, list[int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gen.xml"
        path.write_text(_document(days))
        source = open_sources(path)[0]
        fast, slow = _days(source, schema=True), _days(source, schema=False)
    assert fast == slow
    assert len(fast) == len(days)
