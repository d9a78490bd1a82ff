"""A time-clock CSV with a broken structure is refused, naming the line; nothing is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.pbj.timeclock.export import parse_timeclock

DAILY = (
    "employee_id,hire_date,termination_date,job_title_code,job_title,pay_type_code,"
    "work_date,hours\n"
)
ROW = "E{n},2026-01-01,,7,,1,2026-07-0{n},8\n"


def clock(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "tc.csv"
    path.write_text(DAILY + "".join(rows), encoding="utf-8")
    return path


def good(n: int) -> str:
    return ROW.format(n=n)


def test_an_extra_field_is_never_dropped_silently(tmp_path: Path) -> None:
    # Before: zip(..., strict=False) dropped it and the row loaded.
    path = clock(tmp_path, good(1), good(2).rstrip("\n") + ",99\n", good(3))
    with pytest.raises(InputError, match=r"tc\.csv:3: 9 fields, more than the header's 8"):
        parse_timeclock(path)


def test_an_unterminated_quote_is_named_where_it_opens(tmp_path: Path) -> None:
    path = clock(tmp_path, good(1), '"' + good(2), good(3), good(4))
    with pytest.raises(InputError, match=r"tc\.csv:3: .*unterminated"):
        parse_timeclock(path)


def test_a_nul_byte_is_refused_with_its_line(tmp_path: Path) -> None:
    path = clock(tmp_path, good(1), good(2), good(3).replace("E3", "E\x003"))
    with pytest.raises(InputError, match=r"tc\.csv:4: a NUL byte"):
        parse_timeclock(path)


def test_a_utf16_export_says_so(tmp_path: Path) -> None:
    path = tmp_path / "tc.csv"
    path.write_bytes((DAILY + good(1)).encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        parse_timeclock(path)
