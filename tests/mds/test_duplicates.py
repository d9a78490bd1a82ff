"""Probable duplicate residents: the same person under two resident keys (Splink on DuckDB)."""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.mds import connect, load_files
from carecover.mds.duplicate_model import load_duplicate_model
from carecover.mds.duplicates import probable_duplicates
from carecover.mds.residents import Identity, resident_key
from carecover.mds.synth import synth_mds
from tests.mds.factories import raw, write_extract

JOHN = {"A0500A": "John", "A0500C": "Smith", "A0900": "19400305", "A0800": "1"}
# Each case: the resident's usual record, then the same person keyed differently.
CASES = {
    "a typo in the last name": (
        JOHN | {"A0600A": "111-22-3331"},
        JOHN | {"A0600A": "111-22-3331", "A0500C": "Smyth"},
        ("last_name",),
    ),
    "day and month swapped in the birth date": (
        JOHN | {"A0600A": "111-22-3332"},
        JOHN | {"A0600A": "111-22-3332", "A0900": "19400503"},
        ("birth_day_month_swapped",),
    ),
    "first and last name swapped": (
        JOHN | {"A0600A": "111-22-3333"},
        JOHN | {"A0600A": "111-22-3333", "A0500A": "Smith", "A0500C": "John"},
        ("names_swapped",),
    ),
    "the SSN missing on one record": (
        JOHN | {"A0600A": "111-22-3334"},
        JOHN | {"A0600A": ""},
        ("ssn_missing_on_one",),
    ),
}


def _store(tmp_path: Path, rows: list[dict[str, str]]) -> Any:
    con = connect(None)
    load_files(con, [write_extract(tmp_path / "extract.csv", [raw(**r) for r in rows])])
    return con


@pytest.mark.parametrize("case", list(CASES))
def test_it_finds_the_same_person_under_two_keys(tmp_path: Path, case: str) -> None:
    usual, other, differing = CASES[case]
    con = _store(tmp_path, [usual, other])
    (pair,) = probable_duplicates(con)
    assert pair.probability > 0.8
    assert pair.differing_fields == differing
    assert pair.facility == "055001"
    assert {pair.first_name_a, pair.first_name_b} <= {"John", "Smith"}


def test_it_does_not_flag_different_people_with_the_same_surname_and_close_birth_dates(
    tmp_path: Path,
) -> None:
    con = _store(
        tmp_path,
        [
            JOHN | {"A0600A": "111-22-3335"},
            JOHN | {"A0600A": "222-33-4445", "A0500A": "James", "A0900": "19400315"},
            JOHN | {"A0600A": "333-44-5556", "A0500A": "Mary", "A0800": "2"},
            JOHN | {"A0600A": "444-55-6667", "A0500A": "Joan", "A0900": "19410305", "A0800": "2"},
        ],
    )
    # They are compared (same facility, same birth date or year and initials), just unlikely.
    compared = probable_duplicates(con, threshold=0.0)
    assert len(compared) >= 2
    assert all(p.probability < 0.8 for p in compared)


def test_it_finds_every_case_in_one_store_the_same_way_each_run(tmp_path: Path) -> None:
    rows = []
    for n, (usual, other, _) in enumerate(CASES.values()):
        # One facility per case, so the four Johns do not pair with each other.
        fac = {"FAC_ID": f"F{n}", "A0100B": f"05500{n}"}
        rows += [usual | fac, other | fac]
    con = _store(tmp_path, rows)
    pairs = probable_duplicates(con)
    assert pairs == probable_duplicates(con), "two runs, the same pairs"
    assert len(pairs) == 4
    assert [p.probability for p in pairs] == sorted((p.probability for p in pairs), reverse=True)
    assert all(p.key_a < p.key_b for p in pairs)
    assert {p.differing_fields for p in pairs} == {c[2] for c in CASES.values()}


def test_it_reports_only_the_facility_asked_for(tmp_path: Path) -> None:
    usual, other, _ = CASES["a typo in the last name"]
    elsewhere = {"FAC_ID": "F9", "A0100B": "055009"}
    con = _store(tmp_path, [usual, other, usual | elsewhere, other | elsewhere])
    assert [p.facility for p in probable_duplicates(con)] == ["055001", "055009"]
    assert [p.facility for p in probable_duplicates(con, facility="055009")] == ["055009"]


def test_it_never_pairs_residents_of_two_facilities(tmp_path: Path) -> None:
    usual, other, _ = CASES["the SSN missing on one record"]
    con = _store(tmp_path, [usual, other | {"FAC_ID": "F9", "A0100B": "055009"}])
    assert probable_duplicates(con, threshold=0.0) == []


def test_an_ssn_is_never_shown_and_inferred_only_when_it_alone_can_differ(
    tmp_path: Path,
) -> None:
    con = _store(tmp_path, [JOHN | {"A0600A": "987-65-4321"}, JOHN | {"A0600A": "987-65-4329"}])
    (pair,) = probable_duplicates(con)
    assert pair.differing_fields == ("ssn",)
    assert "4321" not in repr(pair)
    assert "4329" not in repr(pair)


def test_each_key_is_one_candidate_whatever_its_number_of_records(tmp_path: Path) -> None:
    usual, other, _ = CASES["a typo in the last name"]
    later = {"A2300": "20260601"}
    con = _store(tmp_path, [usual, usual | later, other, other | later, other])
    (pair,) = probable_duplicates(con)
    assert sorted([pair.records_a, pair.records_b]) == [2, 3]
    assert {pair.last_seen_a, pair.last_seen_b} == {date(2026, 6, 1)}
    assert {pair.birth_date_a, pair.birth_date_b} == {date(1940, 3, 5)}


def test_it_only_reads_the_store(tmp_path: Path) -> None:
    usual, other, _ = CASES["first and last name swapped"]
    db = tmp_path / "store.duckdb"
    con = connect(db)
    load_files(con, [write_extract(tmp_path / "x.csv", [raw(**usual), raw(**other)])])
    con.close()
    read_only = connect(db, read_only=True)
    assert len(probable_duplicates(read_only)) == 1
    tables = {
        r[0]
        for r in read_only.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert not any("splink" in t for t in tables)


# Names the resident key already holds as one name: Unicode whitespace (a
# no-break space, an ideographic space) is dropped and ß or a ligature is
# spelled out, as Python's str.upper() does. An ASCII-only rule would report
# the name as differing.
ONE_NAME = {
    "a sharp s spelled out": ("A0500C", "Strauß", "STRAUSS"),
    "a no-break space": ("A0500A", "Mary\u00a0Ann", "MARYANN"),
    "an ideographic space": ("A0500A", "Mary\u3000Ann", "Mary-Ann"),
    "a ligature": ("A0500A", "\ufb01nn", "Finn"),
}


@pytest.mark.parametrize("case", list(ONE_NAME))
def test_a_name_the_resident_key_holds_as_one_is_not_a_differing_name(
    tmp_path: Path, case: str
) -> None:
    item, usual, other = ONE_NAME[case]
    con = _store(
        tmp_path,
        [JOHN | {"A0600A": "111-22-3337", item: usual}, JOHN | {"A0600A": "", item: other}],
    )
    (pair,) = probable_duplicates(con)
    assert pair.differing_fields == ("ssn_missing_on_one",)
    assert {pair.first_name_a, pair.last_name_a, pair.first_name_b, pair.last_name_b} >= {
        usual,
        other,
    }, "names are shown as recorded"


def test_a_store_with_fewer_than_two_residents_has_no_duplicates(tmp_path: Path) -> None:
    assert probable_duplicates(connect(None)) == []
    assert probable_duplicates(_store(tmp_path, [JOHN])) == []


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_a_threshold_outside_0_to_1_is_an_input_error(threshold: float) -> None:
    with pytest.raises(InputError, match="threshold"):
        probable_duplicates(connect(None), threshold=threshold)


def _truth(path: Path) -> set[tuple[str, str]]:
    """Key pairs that are one synthetic resident: the SSN is the person (synth draws
    one per resident); a record without one has its other items right (one error per
    record), so the resident with the same items and an SSN is the person."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    def items(r: dict[str, str]) -> tuple[str, ...]:
        return (r["FAC_ID"], r["A0500A"], r["A0500C"], r["A0900"], r["A0800"])

    ssn_of = {items(r): r["A0600A"] for r in rows if r["A0600A"]}
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        birth = f"{r['A0900'][:4]}-{r['A0900'][4:6]}-{r['A0900'][6:]}"
        key = resident_key(
            Identity(
                r["STATE_CD"], r["FAC_ID"], r["A0600A"], r["A0500C"], r["A0500A"], birth, r["A0800"]
            )
        )
        person = r["A0600A"] or ssn_of.get(items(r), key)
        keys[(r["FAC_ID"], person)].add(key)
    return {pair for ks in keys.values() for pair in itertools.combinations(sorted(ks), 2)}


def test_it_finds_synthetic_duplicates_with_recall_and_precision_of_at_least_0_9(
    tmp_path: Path,
) -> None:
    out = tmp_path / "mds.csv"
    summary = synth_mds(
        out,
        facilities=12,
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        seed=3,
        duplicate_rate=0.03,
    )
    assert summary.residents > 2000
    con = connect(None)
    load_files(con, [out])
    truth = _truth(out)
    found = {(p.key_a, p.key_b) for p in probable_duplicates(con, train=False)}
    hits = len(found & truth)
    assert len(truth) > 100
    assert hits / len(truth) >= 0.9, "recall"
    assert hits / len(found) >= 0.9, "precision"


def test_training_on_the_data_is_reproducible_and_keeps_recall_and_precision(
    tmp_path: Path,
) -> None:
    out = tmp_path / "mds.csv"
    synth_mds(
        out,
        facilities=6,
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        seed=4,
        duplicate_rate=0.03,
    )
    con = connect(None)
    load_files(con, [out])
    packaged = load_duplicate_model()
    # Few EM iterations and sampled pairs: this checks the training path, fast.
    settings = packaged.settings() | {"max_iterations": 3}
    quick = replace(
        packaged,
        splink_settings=settings,
        training=replace(packaged.training, u_max_pairs=100_000),
    )
    first = probable_duplicates(con, train=True, model=quick)
    assert first == probable_duplicates(con, train=True, model=quick)
    truth = _truth(out)
    hits = len({(p.key_a, p.key_b) for p in first} & truth)
    assert hits / len(truth) >= 0.9, "recall"
    assert hits / len(first) >= 0.9, "precision"


_NAMES = ["Dorothy", "Margaret", "Walter", "Helen", "Eugene", "Beatrice", "Harold", "Agnes"]


@st.composite
def _one_error(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, str], str]:
    """A resident's usual record, the same person with one identity error, the expected
    differing field."""
    first, last = draw(st.lists(st.sampled_from(_NAMES), min_size=2, max_size=2, unique=True))
    day = draw(st.integers(1, 28))
    month = draw(st.integers(1, 12).filter(lambda m: m != day))
    birth = date(draw(st.integers(1925, 1962)), month, day)
    usual = {
        "A0500A": first,
        "A0500C": last,
        "A0900": birth.strftime("%Y%m%d"),
        "A0800": draw(st.sampled_from(["1", "2"])),
        "A0600A": "123-45-6781",
    }
    kinds = ["typo", "ssn", "names"] + (["birth"] if day <= 12 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "typo":
        at = draw(st.integers(1, len(last) - 1))
        letter = draw(st.sampled_from("BKXZ").filter(lambda c: c != last[at].upper()))
        return usual, usual | {"A0500C": last[:at] + letter + last[at + 1 :]}, "last_name"
    if kind == "ssn":
        return usual, usual | {"A0600A": ""}, "ssn_missing_on_one"
    if kind == "names":
        return usual, usual | {"A0500A": last, "A0500C": first}, "names_swapped"
    swapped = birth.replace(month=day, day=month).strftime("%Y%m%d")
    return usual, usual | {"A0900": swapped}, "birth_day_month_swapped"


# Each example is a store and a Splink run (~1 s): a few examples of up to six cases each.
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(_one_error(), min_size=1, max_size=6))
def test_any_single_identity_error_is_found_with_its_field(
    tmp_path: Path, cases: list[tuple[dict[str, str], dict[str, str], str]]
) -> None:
    rows = []
    for n, (usual, other, _) in enumerate(cases):
        fac = {"FAC_ID": f"F{n}", "A0100B": f"{100000 + n}"}
        rows += [usual | fac, other | fac]
    con = connect(None)
    extract = tmp_path / f"x{len(list(tmp_path.iterdir()))}.csv"  # one file per example
    load_files(con, [write_extract(extract, [raw(**r) for r in rows])])
    found = {p.facility: p.differing_fields for p in probable_duplicates(con)}
    assert found == {f"{100000 + n}": (field,) for n, (_, _, field) in enumerate(cases)}
