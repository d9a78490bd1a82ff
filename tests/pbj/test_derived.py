"""Derived tables catch up after a load commits; until then nobody reads them (issue 14 §1)."""

from __future__ import annotations

from pathlib import Path

from carecover.pbj import derived
from carecover.pbj.changes import pending_quarters
from carecover.pbj.ingest import load_files
from carecover.pbj.measures.compiled import SUMMARY, quarterly_rows, summary_is_current
from carecover.pbj.measures.staffing import quarterly_measures, to_rows
from carecover.pbj.publicfile import loading
from carecover.pbj.store import connect
from tests.pbj.measures.test_compiled import _stored

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pbj"
PLAIN = FIXTURES / "nurse_2024Q2_plain.csv"
OTHER = FIXTURES / "lowercase_2017Q1.csv"


def _republished(tmp_path: Path) -> Path:
    """CMS re-publishes the quarter with more RN hours: the same facility-days, replaced."""
    out = tmp_path / "republished.csv"
    out.write_text(
        PLAIN.read_text(encoding="utf-8").replace(",24,24,0,", ",32,32,0,"), encoding="utf-8"
    )
    return out


def test_a_load_marks_its_quarters_and_the_refresh_after_it_clears_them(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    loading.load_files(con, [PLAIN])
    assert pending_quarters(con) == ("2024Q2",)
    assert not summary_is_current(con)
    derived.refresh(con)
    assert pending_quarters(con) == ()
    assert summary_is_current(con)
    con.close()


def test_the_stored_measures_are_not_read_while_a_quarter_is_pending(tmp_path: Path) -> None:
    # A load committed and its refresh never ran (a killed process, or a
    # library caller of the loader alone): the summary still holds the old
    # figures and must not be read.
    db = tmp_path / "s.duckdb"
    con = connect(db)
    load_files(con, [PLAIN])
    con.close()
    before, figures = _stored(db), quarterly_rows(db)
    con = connect(db)
    loading.load_files(con, [_republished(tmp_path)])
    con.close()
    assert _stored(db) == before, "not refreshed"
    assert quarterly_rows(db) != figures, "the republished hours count"
    assert quarterly_rows(db) == to_rows(quarterly_measures(db)), "computed from the daily rows"
    con = connect(db)
    derived.refresh(con)
    con.close()
    assert _stored(db) != before
    assert quarterly_rows(db) == to_rows(quarterly_measures(db))


def test_the_next_load_catches_up_on_every_quarter_an_earlier_one_left_pending(
    tmp_path: Path,
) -> None:
    db = tmp_path / "s.duckdb"
    con = connect(db)
    load_files(con, [PLAIN])
    loading.load_files(con, [_republished(tmp_path)])  # no refresh: 2024Q2 pending
    load_files(con, [OTHER])  # refreshes 2017Q1 and the pending 2024Q2
    assert pending_quarters(con) == ()
    con.close()
    stored = _stored(db)
    assert {r[1] for r in stored} == {"2017Q1", "2024Q2"}
    assert quarterly_rows(db) == to_rows(quarterly_measures(db))


def test_a_refresh_with_nothing_pending_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    con = connect(db)
    load_files(con, [PLAIN])
    before = con.execute(f"SELECT * FROM {SUMMARY}").fetchall()
    derived.refresh(con)
    assert con.execute(f"SELECT * FROM {SUMMARY}").fetchall() == before
    con.close()
