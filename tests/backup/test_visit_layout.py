"""Reading visit files through the generic layout, vendor mappings and users' own mappings."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from carecover.backup.classify import Backup, Cause
from carecover.backup.visit_layout import FIELDS, load_mapping, mapping_names, read_visits
from carecover.errors import ConfigError, InputError, NotFoundError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "backup" / "visits"
HEADER = ",".join(FIELDS)
ROW = "PRV001,900000001A,Jones,Ada,1990-04-02,t2013tf,2026-10-06,08:00,12:00,{a},{b},W1,{c},{k}"


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "visits.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_it_reads_the_generic_layout_with_codes_and_times() -> None:
    visits = read_visits(FIXTURES / "month.csv")
    assert len(visits) == 9
    missed = visits[1]
    assert (missed.cause, missed.backup) == (Cause.STAFF_ILLNESS, Backup.UNAVAILABLE)
    assert missed.actual_start is None
    assert missed.line == 3
    overnight = visits[5]
    assert overnight.scheduled_end == datetime(2026, 10, 11, 6, 0)


def test_it_places_an_overnight_clock_in_after_midnight_on_the_next_day(tmp_path: Path) -> None:
    row = ROW.format(a="01:00", b="06:00", c="staff_no_show", k="unavailable")
    path = write(tmp_path, row.replace("08:00,12:00", "22:00,06:00"))
    [v] = read_visits(path)
    assert v.actual_start == datetime(2026, 10, 7, 1, 0)
    assert v.actual_end == datetime(2026, 10, 7, 6, 0)


def test_service_codes_are_read_in_capitals(tmp_path: Path) -> None:
    [v] = read_visits(write(tmp_path, ROW.format(a="", b="", c="", k="")))
    assert v.service_code == "T2013TF"
    assert v.member_date_of_birth == date(1990, 4, 2)


@pytest.mark.parametrize(
    ("row", "where"),
    [
        (ROW.format(a="08:00", b="", c="", k=""), "visits.csv:2: actual_end: is empty"),
        (ROW.format(a="8 am", b="12:00", c="", k=""), "visits.csv:2: actual_start: '8 am'"),
        (ROW.format(a="", b="", c="sick", k=""), "visits.csv:2: cause: unknown code 'sick'"),
        (ROW.format(a="", b="", c="staff_quit", k="maybe"), "visits.csv:2: backup: unknown"),
        (ROW.format(a="", b="", c="", k="").replace("2026-10-06", "06/10/26"), "visit_date"),
        (ROW.format(a="", b="", c="", k="").replace("900000001A", ""), "member_medicaid_id: is"),
        (ROW.format(a="", b="", c="", k="") + ",extra", "visits.csv:2: has 15 fields"),
    ],
)
def test_a_bad_record_is_named_by_file_line_and_field(tmp_path: Path, row: str, where: str) -> None:
    with pytest.raises(InputError) as caught:
        read_visits(write(tmp_path, ROW.format(a="", b="", c="", k=""), row))
    assert where.replace(":2:", ":3:") in str(caught.value)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    header = HEADER.replace("actual_end,", "")
    with pytest.raises(InputError, match=r"visits.csv:1: missing column\(s\) actual_end"):
        read_visits(write(tmp_path, header=header))


def test_nul_bytes_and_unterminated_quotes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(HEADER.encode() + b"\nPRV\x00001\n")
    with pytest.raises(InputError, match=r"nul\.csv:2: holds a NUL byte"):
        read_visits(path)
    broken = write(tmp_path, ROW.format(a="", b="", c="", k="").replace("Jones", '"Jones'))
    with pytest.raises(InputError, match="broken CSV"):
        read_visits(broken)


def test_a_wide_header_fails_fast(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="more than 500 columns"):
        read_visits(path)


def test_a_visit_longer_than_25_hours_is_refused(tmp_path: Path) -> None:
    header = HEADER
    row = ROW.format(a="", b="", c="", k="").replace(
        "08:00,12:00", "2026-10-06 08:00,2026-10-07 12:00"
    )
    with pytest.raises(
        InputError, match="scheduled_end: the visit is scheduled for more than 25 h"
    ):
        read_visits(write(tmp_path, row, header=header))


def test_the_hhaexchange_mapping_reads_its_export_and_reason_codes() -> None:
    visits = read_visits(FIXTURES / "hhaexchange_sample.csv", load_mapping("hhaexchange"))
    assert [v.cause for v in visits] == [
        None,
        Cause.STAFF_NO_SHOW,
        Cause.STAFF_NO_SHOW,
        Cause.MEMBER_REQUESTED_BREAK,
    ]
    assert [v.backup for v in visits] == [None, None, Backup.UNAVAILABLE, None]
    assert visits[2].actual_start == datetime(2026, 10, 8, 1, 0)
    assert visits[0].provider_id == "561234567"


def test_a_vendor_file_names_its_own_column_in_errors(tmp_path: Path) -> None:
    text = (FIXTURES / "hhaexchange_sample.csv").read_text().replace("2026-10-06 08:00", "soon")
    path = tmp_path / "hhax.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=r"hhax.csv:3: Schedule Start \(scheduled_start\)"):
        read_visits(path, load_mapping("hhaexchange"))


def test_unconfirmed_rows_of_a_vendor_mapping_are_marked() -> None:
    mapping = load_mapping("hhaexchange")
    unconfirmed = {r.name for r in mapping.unconfirmed}
    assert {"member_medicaid_id", "cause", "214"} <= unconfirmed
    assert "scheduled_start" not in unconfirmed
    assert load_mapping("generic").unconfirmed == []


def test_a_user_mapping_file_is_read_like_a_shipped_one(tmp_path: Path) -> None:
    mapping = tmp_path / "ours.csv"
    rows = ["section,name,value,verified,source"]
    rows += [f"column,{f},{f.upper()},yes,ours" for f in FIELDS]
    rows += ["format,date,%m/%d/%Y,yes,ours", "format,date,%Y-%m-%d,yes,ours"]
    rows += ["cause,NS,staff_no_show,yes,ours"]
    mapping.write_text("\n".join(rows) + "\n")
    visits = write(
        tmp_path,
        ROW.format(a="", b="", c="NS", k="").replace("2026-10-06", "10/06/2026"),
        header=HEADER.upper(),
    )
    [v] = read_visits(visits, load_mapping(str(mapping)))
    assert v.visit_date == date(2026, 10, 6)
    assert v.cause is Cause.STAFF_NO_SHOW


def test_a_broken_mapping_file_is_a_config_error_with_its_line(tmp_path: Path) -> None:
    mapping = tmp_path / "bad.csv"
    mapping.write_text("section,name,value,verified,source\ncolumn,shoe_size,S,yes,x\n")
    with pytest.raises(ConfigError, match=r"bad.csv:2: column: unknown field 'shoe_size'"):
        load_mapping(str(mapping))


def test_an_unknown_mapping_name_lists_the_shipped_ones() -> None:
    with pytest.raises(NotFoundError, match="shipped: generic, hhaexchange"):
        load_mapping("sandata")
    assert mapping_names()[0] == "generic"
