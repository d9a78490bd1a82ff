"""MDS record sequencing: entry → assessments → discharge → entry, and A1700 against it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.mds.census import daily_census
from carecover.mds.sequencing import sequence_checks, sequence_errors
from carecover.mds.store import connect, load_files
from tests.mds.factories import raw, write_extract


def entry(day: str, a1700: str = "1") -> dict[str, str]:
    return raw(A0310A="99", A0310F="01", A1600=day, A1700=a1700, A2300="")


def quarterly(day: str, since: str = "20260101") -> dict[str, str]:
    return raw(A0310A="02", A0310F="99", A1600=since, A2300=day)


def discharge(day: str, a0310f: str = "11", since: str = "20260101") -> dict[str, str]:
    return raw(A0310A="99", A0310F=a0310f, A1600=since, A2000=day, A2100="03", A2300="")


@pytest.fixture
def load(tmp_path: Path) -> Any:
    def run(rows: list[dict[str, str]]) -> Any:
        con = connect(None)
        load_files(con, [write_extract(tmp_path / "mds.csv", rows)])
        return con

    return run


def problems(con: Any) -> list[tuple[str, str, str]]:
    return [(e.record, e.item, e.error) for e in sequence_errors(con)]


def test_a_well_ordered_history_has_no_sequence_errors(load: Any) -> None:
    con = load(
        [
            entry("20260101"),
            quarterly("20260301"),
            discharge("20260310", "11"),
            entry("20260320", "2"),
            discharge("20260401", "10", since="20260320"),
            entry("20260601", "1"),
        ]
    )
    assert problems(con) == []


def test_a_quarterly_after_a_discharge_with_no_entry_is_reported(load: Any) -> None:
    con = load([entry("20260101"), discharge("20260201", "10"), quarterly("20260401")])
    found = sequence_errors(con)
    assert [(e.record, e.item, e.error) for e in found] == [
        ("line 4", "A0310F", "ours: assessment_after_discharge")
    ]
    assert "no entry record" in found[0].problem
    assert "2026-02-01" in found[0].problem


def test_a_reentry_47_days_after_a_return_not_anticipated_discharge_is_reported(
    load: Any,
) -> None:
    con = load([entry("20260101"), discharge("20260201", "10"), entry("20260320", "2")])
    found = sequence_errors(con)
    assert [(e.record, e.item) for e in found] == [("line 4", "A1700")]
    assert "return not anticipated" in found[0].problem


def test_a_reentry_more_than_30_days_after_a_return_anticipated_discharge_is_reported(
    load: Any,
) -> None:
    con = load([entry("20260101"), discharge("20260201", "11"), entry("20260320", "2")])
    found = sequence_errors(con)
    assert [(e.record, e.error) for e in found] == [("line 4", "ours: reentry_after_30_days")]
    assert "47 days" in found[0].problem


def test_an_admission_14_days_after_a_return_anticipated_discharge_is_reported(
    load: Any,
) -> None:
    con = load([entry("20260101"), discharge("20260201", "11"), entry("20260215", "1")])
    found = sequence_errors(con)
    assert [(e.record, e.error) for e in found] == [("line 4", "ours: admission_within_30_days")]
    assert "14 days" in found[0].problem


@pytest.mark.parametrize(("days", "flagged"), [(30, False), (31, True)])
def test_the_reentry_window_is_30_days(load: Any, days: int, flagged: bool) -> None:
    back = date.fromordinal(date(2026, 2, 1).toordinal() + days).strftime("%Y%m%d")
    con = load([entry("20260101"), discharge("20260201", "11"), entry(back, "2")])
    assert bool(problems(con)) is flagged


def test_an_entry_while_a_stay_is_open_and_records_after_a_death_are_reported(
    load: Any,
) -> None:
    con = load(
        [
            entry("20260101"),
            entry("20260201"),
            discharge("20260301", "12", since="20260201"),
            quarterly("20260401", since="20260201"),
        ]
    )
    assert [(r, e) for r, _, e in problems(con)] == [
        ("line 3", "ours: entry_during_stay"),
        ("line 5", "ours: record_after_death"),
    ]


def test_a_residents_first_record_is_not_checked_against_an_unseen_past(load: Any) -> None:
    con = load([quarterly("20260301"), discharge("20260401", "10")])
    assert problems(con) == []


def test_the_census_still_counts_by_cmss_rules(load: Any) -> None:
    # The quarterly after the discharge is reported, yet the census keeps CMS's reading:
    # a resident whose latest record is not a discharge is present (reference §4.1).
    con = load([entry("20260101"), discharge("20260201", "10"), quarterly("20260401")])
    assert problems(con) != []
    census = {c.date: c.census for c in daily_census(con, date(2026, 3, 31), date(2026, 4, 1))}
    assert census == {date(2026, 3, 31): 0, date(2026, 4, 1): 1}


def test_every_check_is_data_with_a_source_and_a_number_or_ours() -> None:
    checks = sequence_checks()
    assert set(checks) == {
        "assessment_after_discharge",
        "discharge_after_discharge",
        "entry_during_stay",
        "record_after_death",
        "reentry_not_after_return_anticipated",
        "reentry_after_30_days",
        "admission_within_30_days",
    }
    for check in checks.values():
        assert check.source
        assert check.error == (check.cms_edit or f"ours: {check.check}")


@settings(max_examples=60, deadline=None)
@given(
    gap=st.integers(0, 120),
    discharge_type=st.sampled_from(["10", "11"]),
    entry_type=st.sampled_from(["1", "2"]),
)
def test_an_entrys_type_is_flagged_exactly_when_it_contradicts_the_discharge_before(
    gap: int, discharge_type: str, entry_type: str
) -> None:
    con = connect(None)
    left, back = date(2026, 2, 1), date(2026, 2, 1) + timedelta(days=gap)
    for n, (a0310f, a1700, target, entry_day, gone) in enumerate(
        [
            ("01", "1", date(2026, 1, 1), date(2026, 1, 1), None),
            (discharge_type, "", left, date(2026, 1, 1), left),
            ("01", entry_type, back, back, None),
        ]
    ):
        con.execute(
            "INSERT INTO mds_assessments (ccn, resident_key, a0310f, entry_type, target_date,"
            " entry_date, discharge_date, source_file, sha256, record)"
            " VALUES ('055001', 'R1', ?, ?, ?, ?, ?, 't', 't', ?)",
            [a0310f, a1700, target, entry_day, gone, f"line {n + 2}"],
        )
    # A reentry exactly when the resident left with return anticipated and is back within 30 days.
    reentry_due = discharge_type == "11" and gap <= 30
    assert bool(sequence_errors(con)) is ((entry_type == "2") != reentry_due)


KINDS = st.sampled_from(
    [
        ("entry", "1"),
        ("entry", "2"),
        ("assessment", ""),
        ("discharge", "10"),
        ("discharge", "11"),
        ("death", "12"),
    ]
)


def walked(spec: list[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """The record order checked by hand, one record after another (the rule as the seed says)."""
    out: list[tuple[str, str]] = []
    state, before = "", None
    for i, (kind, code, day) in enumerate(spec):
        line = f"line {i + 2}"
        if state == "dead":
            out.append((line, "record_after_death"))
        elif kind == "entry":
            if state == "in":
                out.append((line, "entry_during_stay"))
            after_discharge = before is not None and before[0] in ("discharge", "death")
            gap = day - before[2] if before is not None and after_discharge else None
            if code == "2":
                if before is None or before[1] != "11":
                    out.append((line, "reentry_not_after_return_anticipated"))
                elif gap is not None and gap > 30:
                    out.append((line, "reentry_after_30_days"))
            elif before is not None and before[1] == "11" and gap is not None and gap <= 30:
                out.append((line, "admission_within_30_days"))
        elif state == "out":
            check = "assessment" if kind == "assessment" else "discharge"
            out.append((line, f"{check}_after_discharge"))
        state = {"entry": "in", "assessment": "in", "discharge": "out", "death": "dead"}[kind]
        before = (kind, code, day)
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(KINDS, st.integers(1, 40)), min_size=1, max_size=9))
def test_any_history_is_flagged_as_a_record_by_record_walk_flags_it(
    tmp_path_factory: pytest.TempPathFactory, history: list[tuple[tuple[str, str], int]]
) -> None:
    start, day, spec, rows = date(2026, 1, 1), 0, [], []
    for (kind, code), step in history:
        day += step  # one record a day at most: the same-day order is tested above
        text = (start + timedelta(days=day)).strftime("%Y%m%d")
        spec.append((kind, code, day))
        if kind == "entry":
            rows.append(entry(text, code))
        elif kind == "assessment":
            rows.append(quarterly(text))
        else:
            rows.append(discharge(text, code))
    con = connect(None)
    load_files(con, [write_extract(tmp_path_factory.mktemp("seq") / "mds.csv", rows)])
    found = [(e.record, e.error.removeprefix("ours: ")) for e in sequence_errors(con)]
    assert found == walked(spec)
