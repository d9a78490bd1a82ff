"""What Splink links: one row per resident key, names as the resident key holds them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import ibis

from carecover.engines.duckdb import rows_of, table_of
from carecover.mds import connect, load_files
from carecover.mds.duplicate_rule import linkage_input
from carecover.mds.residents import normalise_name
from tests.mds.factories import raw, write_extract

# Unicode whitespace, ß and a ligature, ASCII noise, and names left empty by it.
NAMES = ["Strauß", "Mary\u00a0Ann", "Jo\u2009Anne", "\ufb01nn", "O'Neil-Smith", "Ann", "-", "."]


def _input(tmp_path: Path, rows: list[dict[str, str]], facility: str | None = None) -> Any:
    con = connect(None)
    load_files(con, [write_extract(tmp_path / "extract.csv", [raw(**r) for r in rows])])
    records = table_of(con, "mds_assessments")
    return rows_of(con, linkage_input(records, ibis.literal(facility, "string")))


def test_each_name_is_normalised_as_in_the_resident_key_and_an_empty_one_is_null(
    tmp_path: Path,
) -> None:
    # A different SSN each: one resident key per name. An internal ID lets "-" be a name.
    rows = [
        {
            "A0500A": name,
            "A0500C": name,
            "A0600A": f"111-22-{3000 + n}",
            "RESIDENT_INTERNAL_ID": str(n),
        }
        for n, name in enumerate(NAMES)
    ]
    found = {r["first_name_shown"]: r for r in _input(tmp_path, rows)}
    assert set(found) == set(NAMES)
    for name, row in found.items():
        expected = normalise_name(name) or None
        assert (row["first_name"], row["last_name"]) == (expected, expected), name
        assert row["first_initial"] == (expected[0] if expected else None)
    assert found["Strauß"]["last_name"] == "STRAUSS"
    assert found["Mary\u00a0Ann"]["first_name"] == "MARYANN"
    assert found["-"]["first_name"] is None


def test_a_key_holds_its_latest_record_and_counts_all_of_them(tmp_path: Path) -> None:
    # One internal ID: one key whatever the names. Only an earlier record has an SSN.
    usual = {"RESIDENT_INTERNAL_ID": "R1", "A0500C": "Strauß", "A0900": "19400305", "A0600A": ""}
    rows = [
        usual | {"A2300": "20260301", "A0500A": "Ann", "A0600A": "111-22-3333"},
        usual | {"A2300": "20260601", "A0500A": "Anne"},
        usual | {"A2300": "20260401", "A0500A": "Annie"},
    ]
    (key,) = _input(tmp_path, rows)
    assert (key["first_name"], key["first_name_shown"], key["last_name"]) == (
        "ANNE",
        "Anne",
        "STRAUSS",
    )
    assert (key["records"], key["birth_date"], key["birth_year"]) == (3, "19400305", "1940")
    assert key["ssn_present"] is True
    assert key["last_seen"] == date(2026, 6, 1)


def test_only_the_facility_asked_for_is_read(tmp_path: Path) -> None:
    rows = [{"A0600A": "111-22-3331"}, {"A0600A": "111-22-3332", "A0100B": "055009"}]
    assert [r["ccn"] for r in _input(tmp_path, rows, "055009")] == ["055009"]
    assert sorted(r["ccn"] for r in _input(tmp_path, rows)) == ["055001", "055009"]
