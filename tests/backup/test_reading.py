from __future__ import annotations

import csv
import io
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecover.backup.identity import SECRET_KEY_VARIABLE, hash_ssn
from carecover.backup.reading import COLUMNS, REQUIRED_COLUMNS, check_reports, load_reports
from carecover.backup.report import ReporterKind, ReportStatus
from carecover.errors import ConfigError, InputError, ValidationError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "backup"
VALID = FIXTURES / "reports_valid.csv"
INVALID = FIXTURES / "reports_invalid.csv"
JSONL = FIXTURES / "reports.jsonl"
TODAY = __import__("datetime").date(2026, 11, 23)
KEY = b"k" * 32

#: reports_invalid.csv: each line breaks one rule, reported on this column.
EXPECTED_INVALID = {
    2: "report_id",
    3: "contact_email",
    4: "contact_email",
    5: "contact_phone",
    6: "member_dob",
    7: "member_medicaid_id",
    8: "incident_date",
    9: "service_code",
    10: "service_code",
    11: "hours_without_staff",
    12: "hours_without_staff",
    13: "reason",
    14: "reason_other",
    15: "declined_by",
    16: "declined_reason",
    17: "incident_date",
    18: "scheduled_end",
    19: "reporter_kind",
    20: "member_ssn_last4",
    21: "mco_comment",
    22: "reason",
    23: "hours_without_staff",
    25: "report_id",  # duplicates line 24
    26: "report_id",  # reuses the id of line 24
}


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


@pytest.fixture(autouse=True)
def _no_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_KEY_VARIABLE, raising=False)


def test_it_reads_every_valid_report_with_its_line_number() -> None:
    result = check_reports(VALID, today=TODAY)
    assert result.problems == []
    assert [line for line, _ in result.reports] == list(range(2, 12))
    assert (result.records, result.valid, result.invalid) == (10, 10, 0)
    kinds = {r.reporter_kind for _, r in result.reports}
    assert kinds == {ReporterKind.PROVIDER, ReporterKind.EOR}


def test_it_finds_the_one_broken_rule_of_each_invalid_line() -> None:
    result = check_reports(INVALID, today=TODAY)
    assert {line: p.field for line, p in result.problems} == EXPECTED_INVALID
    assert len(result.problems) == len(EXPECTED_INVALID)
    assert [line for line, _ in result.reports] == [24]
    assert (result.records, result.valid, result.invalid) == (25, 1, 24)


def test_it_names_the_other_line_of_a_duplicate() -> None:
    problems = dict(check_reports(INVALID, today=TODAY).problems)
    assert "duplicates BUS-2026-000224 on line 24" in problems[25].message
    assert "already used on line 24" in problems[26].message


def test_it_loads_reports_from_a_valid_file() -> None:
    reports = load_reports(VALID, today=TODAY)
    assert len(reports) == 10
    assert reports[1].status is ReportStatus.SUBMITTED


def test_it_raises_for_the_first_bad_record_with_file_and_line() -> None:
    with pytest.raises(ValidationError) as caught:
        load_reports(INVALID, today=TODAY)
    assert caught.value.line == 2
    assert caught.value.file == str(INVALID)
    assert [p.field for p in caught.value.problems] == ["report_id"]
    assert str(caught.value).startswith(f"{INVALID}:2: report_id:")


def test_it_reads_json_lines_skipping_blank_lines() -> None:
    result = check_reports(JSONL, today=TODAY, key=KEY)
    assert result.problems == []
    assert [line for line, _ in result.reports] == [1, 2, 3, 4, 6]


def test_it_keeps_only_a_keyed_hash_and_last_four_of_a_clear_ssn() -> None:
    member = check_reports(JSONL, today=TODAY, key=KEY).reports[-1][1].member
    assert member.ssn_hash == hash_ssn("078051120", key=KEY)
    assert member.ssn_last4 == "1120"
    assert "078-05-1120" not in repr(member)
    assert "078051120" not in repr(member)


def test_it_takes_the_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_KEY_VARIABLE, "e" * 40)
    member = check_reports(JSONL, today=TODAY).reports[-1][1].member
    assert member.ssn_hash == hash_ssn("078051120", key=b"e" * 40)


def test_it_keeps_only_the_last_four_digits_without_a_key() -> None:
    member = check_reports(JSONL, today=TODAY).reports[-1][1].member
    assert (member.ssn_hash, member.ssn_last4) == (None, "1120")


def test_it_refuses_a_key_too_short_when_an_ssn_needs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_KEY_VARIABLE, "short")
    with pytest.raises(ConfigError, match=SECRET_KEY_VARIABLE):
        check_reports(JSONL, today=TODAY)


def test_it_flags_a_bad_ssn_and_a_last4_that_does_not_match(tmp_path: Path) -> None:
    rows = rows_of(VALID)[:2]
    rows[0]["member_ssn"] = "12-34"
    rows[1]["member_ssn"], rows[1]["member_ssn_last4"] = "078-05-1120", "1111"
    result = check_reports(write_csv(tmp_path / "r.csv", rows), today=TODAY, key=KEY)
    assert [(line, p.field) for line, p in result.problems] == [
        (2, "member_ssn"),
        (3, "member_ssn_last4"),
    ]
    assert "12-34" not in str(result.problems)


def test_it_tolerates_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.read_bytes())
    assert check_reports(path, today=TODAY).valid == 10


def test_it_counts_physical_lines_when_a_value_spans_lines(tmp_path: Path) -> None:
    rows = rows_of(VALID)[:3]
    rows[0]["provider_name"] = "Piedmont\nCommunity Supports"
    rows[2]["contact_email"] = "broken"
    result = check_reports(write_csv(tmp_path / "r.csv", rows), today=TODAY)
    assert [line for line, _ in result.reports] == [2, 4]
    assert [(line, p.field) for line, p in result.problems] == [(5, "contact_email")]


def test_it_reads_a_file_that_leaves_out_optional_columns(tmp_path: Path) -> None:
    rows = rows_of(VALID)[:1]
    path = write_csv(tmp_path / "r.csv", rows, (*REQUIRED_COLUMNS, "reason"))
    [report] = load_reports(path, today=TODAY)
    assert report.status is ReportStatus.DRAFT
    assert report.version == 1


def test_it_names_unknown_and_missing_columns_on_the_header_line(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    columns = tuple(c if c != "member_dob" else "member_birthday" for c in COLUMNS)
    write_csv(path, [], columns)
    result = check_reports(path, today=TODAY)
    assert [(line, p.field, p.message) for line, p in result.problems] == [
        (1, "member_birthday", "is not a known column"),
        (1, "member_dob", "column is missing"),
    ]


def test_it_names_a_missing_key_in_a_json_line(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    lines = JSONL.read_text(encoding="utf-8").splitlines()
    path.write_text(lines[0].replace('"member_dob"', '"dob"') + "\n[1]\n{oops\n", "utf-8")
    result = check_reports(path, today=TODAY)
    assert [(line, p.field) for line, p in result.problems] == [
        (1, "dob"),
        (1, "member_dob"),
        (2, "record"),
        (3, "record"),
    ]
    assert result.records == 3


def test_it_reports_a_row_with_the_wrong_number_of_values(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    lines = VALID.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[1], lines[2] + ",extra"]) + "\n", "utf-8")
    result = check_reports(path, today=TODAY)
    assert [(line, p.field) for line, p in result.problems] == [(3, "columns")]
    assert (result.records, result.valid) == (2, 1)


def test_it_names_the_file_and_line_of_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    text = VALID.read_text(encoding="utf-8").replace("Renee", "Ren\u00e9e", 1)
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8") as caught:
        check_reports(path, today=TODAY)
    assert (caught.value.file, caught.value.line) == (str(path), 2)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "is empty"),
        ("blank.jsonl", "\n  \n", "is empty"),
        ("reports.xlsx", "x", "use a .csv, .jsonl or .ndjson file"),
    ],
)
def test_it_refuses_a_file_it_cannot_read_naming_it(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        check_reports(path, today=TODAY)
    assert caught.value.file == str(path)


def test_it_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as caught:
        load_reports(tmp_path / "nope.csv", today=TODAY)
    assert caught.value.file == str(tmp_path / "nope.csv")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(COLUMNS),
    # A NUL byte refuses the whole file (test below), so it is not a value here.
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
        max_size=30,
    ),
)
def test_it_never_crashes_on_any_value_in_any_column(column: str, value: str) -> None:
    row = rows_of(VALID)[0] | {column: value}
    with tempfile.TemporaryDirectory() as folder:
        result = check_reports(write_csv(Path(folder) / "r.csv", [row]), today=TODAY, key=KEY)
    assert result.records == 1
    assert result.valid + result.invalid == 1


def test_it_names_the_file_and_line_of_csv_it_cannot_parse(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    lines = VALID.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[1], '"' + "x" * 200_000]) + "\n", "utf-8")
    with pytest.raises(InputError, match="not readable CSV") as caught:
        check_reports(path, today=TODAY)
    assert (caught.value.file, caught.value.line) == (str(path), 3)


def test_a_nul_byte_refuses_the_file_naming_its_line(tmp_path: Path) -> None:
    lines = VALID.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "r.csv"
    path.write_text("\n".join([*lines[:2], lines[2].replace(",", ",\x00", 1), *lines[3:]]) + "\n")
    with pytest.raises(InputError, match=r"r\.csv:3: a NUL byte") as caught:
        check_reports(path, today=TODAY)
    assert caught.value.line == 3


def test_an_unterminated_quote_is_named_where_it_opens_not_at_the_end(tmp_path: Path) -> None:
    lines = VALID.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "r.csv"
    path.write_text("\n".join([lines[0], '"' + lines[1], *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"r\.csv:2: not readable CSV.*unterminated"):
        check_reports(path, today=TODAY)


def test_a_header_of_100000_columns_is_refused_at_once(tmp_path: Path) -> None:
    # Before: more than 120 s (every column counted against every other).
    header = VALID.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "wide.csv"
    path.write_text(header + "".join(f",x{i}" for i in range(100_000)) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wide\.csv:1: the header has 100,0\d\d columns"):
        check_reports(path, today=TODAY)


def test_a_utf16_report_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(VALID.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        check_reports(path, today=TODAY)


def test_it_flags_a_members_date_over_24_hours_naming_the_other_line(tmp_path: Path) -> None:
    first = rows_of(VALID)[0]
    second = {
        **first,
        "report_id": "BUS-2026-000999",
        "service_code": "H2015",
        "scheduled_start": "00:00",
        "scheduled_end": "23:00",
        "hours_without_staff": "20",
    }
    result = check_reports(write_csv(tmp_path / "r.csv", [first, second]), today=TODAY)
    assert [(line, p.field) for line, p in result.problems] == [(3, "hours_without_staff")]
    message = result.problems[0][1].message
    assert "28 hours" in message
    assert "(line 2)" in message
    assert [line for line, _ in result.reports] == [2]


def _with_columns(tmp_path: Path, **values: str) -> Path:
    """reports_valid.csv's first two reports with extra columns set on the second."""
    rows = list(csv.DictReader(VALID.read_text(encoding="utf-8").splitlines()))[:2]
    rows[1].update(values)
    path = tmp_path / "reports.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0].keys(), *values])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_it_reads_the_learned_on_date_and_the_first_submission(tmp_path: Path) -> None:
    first = load_reports(VALID, today=TODAY)[1]
    assert first.submitted_at is not None
    path = _with_columns(
        tmp_path,
        learned_on=(first.incident_date + timedelta(days=2)).isoformat(),
        first_submitted_at=first.submitted_at.isoformat(),
    )
    report = load_reports(path, today=TODAY)[1]
    assert report.learned_on == first.incident_date + timedelta(days=2)
    assert report.first_submitted_at == first.submitted_at
    # Without the column, the one submission on file was the first.
    assert load_reports(VALID, today=TODAY)[1].first_submitted_at == first.submitted_at


def test_it_refuses_a_learned_on_date_before_the_incident_naming_line_and_field(
    tmp_path: Path,
) -> None:
    first = load_reports(VALID, today=TODAY)[1]
    before = first.incident_date - timedelta(days=1)
    result = check_reports(_with_columns(tmp_path, learned_on=before.isoformat()), today=TODAY)
    assert [(line, p.field) for line, p in result.problems] == [(3, "learned_on")]
    assert "cannot be before the incident date" in result.problems[0][1].message
    bad = check_reports(_with_columns(tmp_path, learned_on="soon"), today=TODAY)
    assert [(line, p.field) for line, p in bad.problems] == [(3, "learned_on")]
