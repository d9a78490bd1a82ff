"""Methodologies are versioned data files; a loader picks one by name or date."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from carecover.errors import ConfigError, NotFoundError
from carecover.rating.methods import data_text, load_method, method, method_on, methods


def test_it_ships_exactly_the_four_versions_of_the_issue() -> None:
    assert [m.name for m in methods()] == ["2018-04", "2019-04", "2022-07", "2024-07"]


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2018, 7, 1), "2018-04"),
        (date(2019, 4, 24), "2019-04"),
        (date(2021, 8, 1), "2019-04"),
        (date(2022, 7, 27), "2022-07"),
        (date(2024, 7, 30), "2022-07"),
        (date(2024, 7, 31), "2024-07"),
        (date(2026, 11, 23), "2024-07"),
    ],
)
def test_it_picks_the_method_in_force_on_a_date(day: date, name: str) -> None:
    assert method_on(day).name == name


def test_versions_follow_each_other_without_gap_or_overlap() -> None:
    ms = methods()
    for before, after in itertools.pairwise(ms):
        assert before.effective_until == after.effective_from


def test_there_is_no_pbj_method_before_april_2018() -> None:
    with pytest.raises(NotFoundError, match="2018-04-25"):
        method_on(date(2017, 12, 31))


def test_an_unknown_version_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="known: 2018-04"):
        method("2020-01")


def test_the_zero_rn_rule_is_seven_days_in_2018_and_four_from_2019() -> None:
    assert method("2018-04").zero_rn_days_one_star == 7
    assert method("2019-04").zero_rn_days_one_star == 4
    assert method("2024-07").zero_rn_days_one_star == 4


def test_only_the_two_measure_methods_have_an_rn_staffing_rating() -> None:
    assert [m.rn_staffing_rating for m in methods()] == [True, True, False, False]


def test_the_points_methods_use_six_measures_on_380_points() -> None:
    rule = method("2022-07").points
    assert rule is not None
    assert rule.maximum == 380
    assert rule.star_bands == (155, 205, 255, 320)
    assert sum(rule.max_points(m) for m in rule.bands) == 380


def test_missing_turnover_is_dropped_in_2022_and_gets_lowest_points_in_2024() -> None:
    old, new = method("2022-07").points, method("2024-07").points
    assert old is not None
    assert new is not None
    assert (old.missing_total_turnover, old.missing_admin) == ("drop", "drop")
    assert (new.missing_total_turnover, new.missing_admin) == ("lowest", "lowest")
    assert new.missing_rn_turnover == "drop"


def test_the_2024_method_uses_pdpm_and_the_90_day_leave_rule() -> None:
    m = method("2024-07")
    assert m.casemix.system == "pdpm"
    assert m.turnover is not None
    assert m.turnover.departure_gap_days == 91
    assert m.turnover.admin_exclusion_days == 4
    assert m.turnover.admin_exclusion_scope == "quarter"


def test_unconfirmed_values_are_flagged_in_the_files() -> None:
    keys = {f.key for f in method("2018-04").unconfirmed}
    assert {"levels.rn_cut_points", "levels.total_cut_points", "levels.combine"} <= keys
    assert all(f.source for m in methods() for f in m.facts)


def test_the_shipped_tables_are_the_shared_reference_tables(shared: Path) -> None:
    for ours, theirs in (
        ("points_2022.csv", "fivestar_staffing_points_2022.csv"),
        ("boundaries_2019-2022.csv", "staffing_rating_boundaries_2019-2022.csv"),
    ):
        assert data_text(ours) == (shared / "data/reference" / theirs).read_text(encoding="utf-8")


def test_a_users_method_file_is_read_and_checked(tmp_path: Path) -> None:
    text = data_text("methods/2019-04.toml").replace('name = "2019-04"', 'name = "mine"')
    good = tmp_path / "mine.toml"
    good.write_text(text, encoding="utf-8")
    assert load_method(good).name == "mine"
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('kind = "levels"', 'kind = "guess"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="kind must be"):
        load_method(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[method\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_method(broken)


def test_a_revision_may_only_change_known_keys_in_date_order(tmp_path: Path) -> None:
    text = data_text("methods/2022-07.toml")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(
        text.replace("admin_exclusion_days = 4,", "admin_exclusion_weeks = 4,"), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"cannot change turnover.admin_exclusion_weeks"):
        load_method(unknown)
    swapped = tmp_path / "swapped.toml"
    swapped.write_text(text.replace("from = 2023-07-26", "from = 2024-12-01"), encoding="utf-8")
    with pytest.raises(ConfigError, match="revisions must be in date order"):
        load_method(swapped)


def test_the_method_in_force_carries_its_revisions_of_that_day() -> None:
    assert method_on(date(2023, 7, 25)).revised == ()
    revised = method_on(date(2023, 7, 26))
    assert revised.name == "2022-07"
    assert revised.turnover is not None
    assert revised.turnover.admin_exclusion_days == 4
    assert revised.revised[0].startswith("2023-07-26: administrator exclusion")


def test_a_method_with_an_unknown_exclusion_operator_is_refused_naming_the_file(
    tmp_path: Path,
) -> None:
    text = data_text("methods/2022-07.toml").replace('operator = "gt"', 'operator = "ge"', 1)
    odd = tmp_path / "odd.toml"
    odd.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"odd.toml: \[\[rules.exclusions\]\] 2: operator must"):
        load_method(odd)
