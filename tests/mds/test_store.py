"""Loading files into the mds_* tables: quarantine, idempotence, one transaction per file."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from carecover.errors import InputError
from carecover.mds import census_from_files, connect, daily_census, load_files
from tests.conftest import REPO
from tests.mds.factories import raw, write_extract

FIX = REPO / "tests" / "fixtures" / "mds"


@pytest.fixture
def con() -> Any:
    c = connect(None)
    yield c
    c.close()


def test_it_loads_a_valid_extract(con: Any) -> None:
    (result,) = load_files(con, [FIX / "extract.csv"])
    assert (result.loaded, result.quarantined) == (7, 0)
    keys = con.execute("SELECT count(DISTINCT resident_key) FROM mds_assessments").fetchone()
    assert keys == (3,)  # Ann's spellings and SSN formats are one resident


def test_it_quarantines_invalid_records_and_loads_the_rest(con: Any) -> None:
    (result,) = load_files(con, [FIX / "mixed.csv"])
    assert (result.loaded, result.quarantined) == (1, 3)
    rows = con.execute(
        "SELECT record, problems, raw FROM mds_quarantine ORDER BY record"
    ).fetchall()
    assert [r[0] for r in rows] == ["line 3", "line 4", "line 5"]
    assert "A0900" in rows[0][1]
    assert "A2000" in rows[1][1]
    assert "A0800" in rows[2][1]
    assert "A0600A" not in json.loads(rows[0][2])


def test_it_never_stores_an_ssn(con: Any) -> None:
    load_files(con, [FIX / "extract.csv", FIX / "mixed.csv"])
    dump = str(con.execute("SELECT * FROM mds_assessments").fetchall())
    dump += str(con.execute("SELECT * FROM mds_quarantine").fetchall())
    assert "6780" not in dump
    assert "3333" not in dump


def test_loading_the_same_content_twice_changes_nothing(con: Any, tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    copy.write_bytes((FIX / "extract.csv").read_bytes())
    first, second = load_files(con, [FIX / "extract.csv", copy])
    assert not first.already_loaded
    assert second.already_loaded
    assert con.execute("SELECT count(*) FROM mds_assessments").fetchone() == (7,)


def test_a_file_that_fails_midway_loads_nothing(con: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    write_extract(bad, [raw()])
    bad.write_text(bad.read_text() + '"unterminated\n', encoding="utf-8")
    bad.write_bytes(bad.read_bytes() + b"\xff\xfe")
    with pytest.raises(InputError):
        load_files(con, [bad])
    assert con.execute("SELECT count(*) FROM mds_assessments").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM mds_loaded_files").fetchone() == (0,)


def test_it_refuses_an_extract_without_the_contract_columns(con: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("STATE_CD,FAC_ID\nCA,F1\n", encoding="utf-8")
    with pytest.raises(InputError, match="A0100B"):
        load_files(con, [bad])


def test_it_loads_xml_assessments_alone_and_zipped(con: Any, tmp_path: Path) -> None:
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(FIX / "assessment.xml", "a1.xml")
        z.writestr("a2.xml", (FIX / "assessment.xml").read_text().replace("Eve", "Flo"))
    results = load_files(con, [FIX / "assessment.xml", archive])
    assert [r.loaded for r in results] == [1, 2]
    row = con.execute("SELECT target_date, a0310f FROM mds_assessments LIMIT 1").fetchone()
    assert row == (date(2026, 1, 5), "01")


def test_it_refuses_xml_with_a_doctype(con: Any) -> None:
    with pytest.raises(InputError, match="DOCTYPE"):
        load_files(con, [FIX / "doctype.xml"])


def test_it_refuses_a_zip_with_an_unsafe_member(con: Any, tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../escape.xml", "<ASSESSMENT/>")
    with pytest.raises(InputError, match="unsafe"):
        load_files(con, [archive])


def test_it_computes_the_census_from_the_fixture(con: Any) -> None:
    load_files(con, [FIX / "extract.csv"])
    rows = daily_census(con, date(2026, 1, 31), date(2026, 2, 2), facility="055001")
    # Ann present; Bob died on Feb 1 (death day not present).
    assert [r.census for r in rows] == [2, 1, 1]
    april = daily_census(con, date(2026, 4, 9), date(2026, 4, 21), facility="055001")
    assert [r.census for r in april] == [1] + [0] * 10 + [1, 1]


def test_it_computes_the_census_straight_from_files() -> None:
    rows = census_from_files([FIX / "extract.csv"], date(2026, 1, 15), date(2026, 1, 15))
    assert {(r.facility, r.census) for r in rows} == {("055001", 2), ("055002", 1)}


def test_it_refuses_a_zip_over_the_member_limit(tmp_path: Path) -> None:
    from carecover.mds import XmlLimits, read_xml_assessments

    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for i in range(3):
            z.writestr(f"a{i}.xml", "<ASSESSMENT/>")
    with pytest.raises(InputError, match="members"):
        list(read_xml_assessments(archive, XmlLimits(max_zip_members=2)))


def test_it_refuses_a_zip_bomb_by_its_compression_ratio(tmp_path: Path) -> None:
    from carecover.mds import read_xml_assessments

    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", "<ASSESSMENT>" + " " * 3_000_000 + "</ASSESSMENT>")
    with pytest.raises(InputError, match="compression ratio"):
        list(read_xml_assessments(archive))


def test_a_load_killed_before_its_census_refresh_is_repaired_by_the_rerun(
    con: Any, tmp_path: Path
) -> None:
    from carecover.mds.census import census_cache_is_fresh
    from carecover.mds.store import load_file

    load_files(con, [FIX / "extract.csv"])
    assert census_cache_is_fresh(con)
    # What a kill between the file's commit and the cache refresh leaves:
    # the records of a second file committed, the cache built before them.
    extra = write_extract(tmp_path / "more.csv", [raw(A0100B="055002", A0500A="Zoe")])
    load_file(con, extra)
    assert not census_cache_is_fresh(con)
    (rerun,) = load_files(con, [extra])
    assert rerun.already_loaded
    assert census_cache_is_fresh(con)  # issue 12 §2: "already loaded" used to leave it stale


def test_a_store_never_refreshed_gets_its_cache_on_the_next_load(con: Any) -> None:
    from carecover.mds.census import census_cache_is_fresh
    from carecover.mds.store import load_file

    load_file(con, FIX / "extract.csv")  # killed before the refresh of the first load
    assert not census_cache_is_fresh(con)
    (rerun,) = load_files(con, [FIX / "extract.csv"])
    assert rerun.already_loaded
    assert census_cache_is_fresh(con)
