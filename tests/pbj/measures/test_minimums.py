"""State minimum staffing rules applied to hand-made facility-quarters in a real DuckDB store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecover.errors import ConfigError, NotFoundError
from carecover.pbj.codes import job_title
from carecover.pbj.measures.minimum_rules import MinimumRule, read_rule_set, rule_sets
from carecover.pbj.measures.minimums import (
    COLUMNS,
    NOT_COMPUTABLE,
    _expression,
    _rules_table,
    minimum_rows,
    minimum_table,
)
from carecover.pbj.measures.staffing import quarterly_measures, to_rows
from carecover.pbj.store import connect, ibis_table

CENSUS = 100
AT_BELOW_ABOVE = {"below": -0.01, "at": 0.0, "above": 0.01}


class Store:
    """A scratch staffing store whose daily rows tests write one by one."""

    def __init__(self) -> None:
        self.con = connect(":memory:")

    def day(
        self,
        provnum: str,
        state: str,
        day: date,
        *,
        census: int = CENSUS,
        **hours: float | None,
    ) -> None:
        """One facility-day; ``hours`` by bare column name (hrs_rn=...), others empty."""
        quarter = f"{day.year}Q{(day.month - 1) // 3 + 1}"
        columns = ["provnum", "state", "quarter", "workdate", "mdscensus", "source_file"]
        values: list[Any] = [provnum, state, quarter, day, census, "hand-made"]
        columns += list(hours)
        values += list(hours.values())
        marks = ", ".join("?" for _ in values)
        self.con.execute(
            f"INSERT INTO daily_nurse_staffing ({', '.join(columns)}) VALUES ({marks})", values
        )

    def days(self, provnum: str, state: str, first: date, count: int, **kw: Any) -> None:
        """``count`` identical days from ``first``."""
        for offset in range(count):
            self.day(provnum, state, first + timedelta(days=offset), **kw)

    @property
    def table(self) -> Any:
        return ibis_table(self.con, "daily_nurse_staffing")

    def rows(self, **kw: Any) -> dict[str, dict[str, Any]]:
        """The minimum rows by rule id (one facility-quarter expected per rule)."""
        out: dict[str, dict[str, Any]] = {}
        for row in minimum_rows(self.table, **kw):
            assert row["rule"] not in out, f"two rows for {row['rule']}"
            out[row["rule"]] = row
        return out


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()
    yield s
    s.con.close()


def _column(code: int) -> str:
    column = job_title(code).puf_column
    assert column is not None
    return column.lower()


def _rules(*measures: str) -> list[tuple[str, MinimumRule]]:
    return [(s.state, r) for s in rule_sets() for r in s.rules if r.measure in measures]


def _a_day_in_force(rule: MinimumRule) -> date:
    return rule.effective_to or max(rule.effective_from, date(2024, 4, 1))


def _expected(rule: MinimumRule, case: str) -> bool | None:
    """What ``compliant`` must be for a value just below, at or just above the threshold."""
    meets = case != "below"
    if rule.lower_bound or rule.threshold_low is not None:
        return True if meets else None
    return meets


def _ids(value: Any) -> str:
    return str(getattr(value, "id", value))


def _cases(store: Store, state: str, rule: MinimumRule, hours: dict[str, dict[str, Any]]) -> Any:
    """One facility per case (below, at, above), on a day the rule is in force."""
    for number, case in enumerate(AT_BELOW_ABOVE, start=1):
        store.day(f"00000{number}", state, _a_day_in_force(rule), **hours[case])
    rows = minimum_rows(store.table, rules=[rule.id])
    return {case: rows[number] for number, case in enumerate(AT_BELOW_ABOVE)}


@pytest.mark.parametrize(("state", "rule"), _rules("hprd"), ids=_ids)
def test_each_hprd_rule_is_met_at_and_above_its_threshold_and_not_just_below(
    store: Store, state: str, rule: MinimumRule
) -> None:
    # All hours on a counted code of weight 1; one day, so daily, weekly and quarterly agree.
    code = next(c for c in rule.job_codes if rule.weight(c) == 1)
    assert rule.threshold is not None
    hours = {
        case: {_column(code): round(rule.threshold * CENSUS + delta, 6)}
        for case, delta in AT_BELOW_ABOVE.items()
    }
    rows = _cases(store, state, rule, hours)
    for case, row in rows.items():
        assert row["required"] == rule.threshold
        assert row["compliant"] is _expected(rule, case), case
        assert (row["periods_below"], row["days_below"]) == ((1, 1) if case == "below" else (0, 0))
        assert row["shortfall_hours"] == (0.01 if case == "below" else 0.0)
        assert row["actual"] == round(hours[case][_column(code)] / CENSUS, 5)


@pytest.mark.parametrize(("state", "rule"), _rules("share"), ids=_ids)
def test_each_share_rule_is_met_at_and_above_its_share_and_not_just_below(
    store: Store, state: str, rule: MinimumRule
) -> None:
    counted, other = 7, 10  # RN hours counted; CNA hours in the base only
    assert counted in rule.job_codes
    assert other in rule.base_codes
    assert other not in rule.job_codes
    assert rule.threshold is not None
    rest = round((1 - rule.threshold) * 100, 6)
    hours = {
        case: {_column(counted): round(rule.threshold * 100 + delta, 6), "hrs_cna": rest}
        for case, delta in AT_BELOW_ABOVE.items()
    }
    for case, row in _cases(store, state, rule, hours).items():
        assert row["compliant"] is (case != "below"), case
        share = hours[case][_column(counted)]
        assert row["actual"] == round(share / (share + rest), 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3.81, True), (3.79, None), (2.5, None), (2.49, None)],
)
def test_illinois_leaves_a_figure_below_its_skilled_care_level_not_computable(
    store: Store, value: float, expected: bool | None
) -> None:
    store.day("000001", "IL", date(2024, 4, 1), hrs_cna=round(value * CENSUS, 6))
    row = store.rows(rules=["il-direct-care"])["il-direct-care"]
    assert (row["required"], row["required_low"]) == (3.8, 2.5)
    assert row["compliant"] is expected
    assert NOT_COMPUTABLE in row["note"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3.8, True), (3.79, None), (2.5, None), (2.49, False)],
)
def test_a_requirement_with_two_levels_is_failed_only_below_the_lower(
    store: Store, value: float, expected: bool | None
) -> None:
    # Illinois's rule without the staff outside the nurse file: only the resident mix is unknown.
    [illinois] = [s for s in rule_sets() if s.name == "IL"]
    rule = replace(illinois.rules[0], not_counted_codes=())
    store.day("000001", "IL", date(2024, 4, 1), hrs_cna=round(value * CENSUS, 6))
    one = replace(illinois, rules=(rule,))
    [row] = _expression(store.table, _rules_table([(one, True)])).to_pyarrow().to_pylist()
    assert row["compliant"] is expected


def test_illinois_counts_half_of_the_directors_hours(store: Store) -> None:
    # 760 DON hours count as 380: exactly 3.8 per resident day.
    store.day("000001", "IL", date(2024, 4, 1), hrs_rndon=760.0)
    row = store.rows(rules=["il-direct-care"])["il-direct-care"]
    assert row["actual"] == 3.8
    assert row["compliant"] is True


@pytest.mark.parametrize(("rn_hours", "expected"), [(23.99, False), (24.0, None), (30.0, None)])
def test_an_rn_around_the_clock_can_only_be_shown_missing(
    store: Store, rn_hours: float, expected: bool | None
) -> None:
    store.days("000001", "RI", date(2024, 4, 1), 3, hrs_rn=30.0)
    store.day("000001", "RI", date(2024, 4, 4), hrs_rn=rn_hours)
    row = store.rows(rules=["ri-rn-24h"])["ri-rn-24h"]
    assert row["compliant"] is expected
    assert row["actual"] == min(rn_hours, 30.0)
    assert row["days_below"] == (1 if expected is False else 0)
    assert NOT_COMPUTABLE in row["note"]


def test_a_daily_rule_fails_on_one_low_day_that_a_quarterly_average_absorbs(
    store: Store,
) -> None:
    # Nine days at 3.6 HPRD and one at 3.0: the quarter averages 3.54.
    store.days("000001", "CA", date(2024, 4, 1), 9, hrs_rn=100.0, hrs_cna=260.0)
    store.day("000001", "CA", date(2024, 4, 10), hrs_rn=60.0, hrs_cna=240.0)
    daily = store.rows(rules=["ca-total"])["ca-total"]
    assert (daily["compliant"], daily["periods"], daily["periods_below"]) == (False, 10, 1)
    assert daily["actual"] == 3.0
    assert daily["quarter_value"] == pytest.approx(3.54)
    assert daily["shortfall_hours"] == 50.0
    quarterly = store.rows(rules=["federal-2024-total"])["federal-2024-total"]
    assert quarterly["compliant"] is True
    assert quarterly["days_below"] == 1


@pytest.mark.parametrize(
    ("low_day", "high_day", "expected"),
    [
        # Sunday 7 April and Monday 8 April share a week: 3.7 on average.
        (date(2024, 4, 8), date(2024, 4, 7), True),
        # Saturday 6 April closes a week; its partner, Sunday 7 April, opens the next.
        (date(2024, 4, 6), date(2024, 4, 7), None),
    ],
)
def test_florida_averages_each_sunday_to_saturday_week(
    store: Store, low_day: date, high_day: date, expected: bool | None
) -> None:
    store.day("000001", "FL", low_day, hrs_lpn=100.0, hrs_cna=240.0)  # 3.4
    store.day("000001", "FL", high_day, hrs_lpn=100.0, hrs_cna=300.0)  # 4.0
    row = store.rows(rules=["fl-direct-care"])["fl-direct-care"]
    assert row["averaging"] == "weekly"
    assert row["compliant"] is expected  # below a lower bound is not computable
    assert row["periods_below"] == (0 if expected else 1)
    assert row["days_below"] == 1


def test_a_week_cut_by_the_quarters_edge_is_averaged_inside_its_quarter(store: Store) -> None:
    # Sunday 30 June (2024Q2) and Monday 1 July (2024Q3) are one calendar week.
    store.day("000001", "FL", date(2024, 6, 30), hrs_lpn=100.0, hrs_cna=300.0)  # 4.0
    store.day("000001", "FL", date(2024, 7, 1), hrs_lpn=100.0, hrs_cna=240.0)  # 3.4
    rows = {r["period"]: r for r in minimum_rows(store.table, rules=["fl-direct-care"])}
    assert (rows["2024Q2"]["periods_below"], rows["2024Q3"]["periods_below"]) == (0, 1)


def test_each_quarter_is_judged_on_its_own(store: Store) -> None:
    store.days("000001", "NY", date(2024, 3, 30), 2, hrs_rn=120.0, hrs_lpn=0.0, hrs_cna=240.0)
    store.days("000001", "NY", date(2024, 4, 1), 2, hrs_rn=100.0, hrs_lpn=0.0, hrs_cna=240.0)
    rows = {(r["period"], r["rule"]): r for r in minimum_rows(store.table, state="NY")}
    assert rows["2024Q1", "ny-total"]["compliant"] is True
    assert rows["2024Q2", "ny-total"]["compliant"] is False  # 3.4
    assert rows["2024Q2", "ny-total"]["shortfall_hours"] == 20.0


def test_a_rule_judges_only_the_days_it_was_in_force(store: Store) -> None:
    # California's 3.5 began on 1 July 2018: 30 June is not judged, 1 July is.
    store.day("000001", "CA", date(2018, 6, 30), hrs_cna=100.0)
    store.day("000001", "CA", date(2018, 7, 1), hrs_cna=100.0)
    rows = minimum_rows(store.table)
    assert {(r["period"], r["rule"]) for r in rows} == {
        ("2018Q3", "ca-total"),
        ("2018Q3", "ca-cna"),
    }
    assert {r["days"] for r in rows} == {1}


def test_rhode_island_moves_from_3_58_to_3_81_on_new_years_day_2023(store: Store) -> None:
    store.day("000001", "RI", date(2022, 12, 31), hrs_rn=24.0, hrs_cna=336.0)
    store.day("000001", "RI", date(2023, 1, 1), hrs_rn=24.0, hrs_cna=336.0)
    rows = {(r["period"], r["rule"]): r for r in minimum_rows(store.table)}
    assert rows["2022Q4", "ri-total-2022"]["compliant"] is True  # 3.6 >= 3.58
    assert rows["2023Q1", "ri-total"]["compliant"] is None  # 3.6 < 3.81, a lower bound
    assert ("2023Q1", "ri-total-2022") not in rows
    assert ("2022Q4", "ri-total") not in rows


def test_new_york_counts_nurse_aides_in_training_only_until_2023(store: Store) -> None:
    store.day("000001", "NY", date(2022, 12, 31), hrs_cna=200.0, hrs_natrn=20.0)
    store.day("000001", "NY", date(2023, 1, 1), hrs_cna=200.0, hrs_natrn=20.0)
    rows = {(r["period"], r["rule"]): r for r in minimum_rows(store.table)}
    assert rows["2022Q4", "ny-aide"]["compliant"] is True  # 2.2 with trainees
    assert rows["2023Q1", "ny-cna"]["compliant"] is False  # 2.0 certified only


def test_a_day_without_counted_hours_is_missing_not_zero(store: Store) -> None:
    store.day("000001", "NY", date(2024, 4, 1), hrs_rn=150.0, hrs_cna=220.0)
    store.day("000001", "NY", date(2024, 4, 2))  # every hours cell empty
    store.day("000001", "NY", date(2024, 4, 3), census=0, hrs_rn=0.0)  # no residents
    row = store.rows()["ny-total"]
    assert (row["days"], row["days_missing"]) == (1, 1)
    assert row["actual"] == 3.7
    assert row["compliant"] is True


def test_a_quarter_with_only_missing_days_is_not_judged(store: Store) -> None:
    store.day("000001", "NY", date(2024, 4, 2))  # every hours cell empty
    row = store.rows()["ny-total"]
    assert (row["periods"], row["days_missing"], row["compliant"]) == (0, 1, None)


def test_a_shift_ratio_is_stated_not_computable_with_an_hprd_reading(store: Store) -> None:
    store.day("000001", "NJ", date(2024, 4, 1), hrs_rn=50.0, hrs_cna=250.0)
    [row] = minimum_rows(store.table)
    assert (row["rule"], row["required"], row["compliant"]) == ("nj-shift-ratios", None, None)
    assert row["actual"] == 3.0
    assert NOT_COMPUTABLE in row["note"]


def test_the_repealed_federal_rule_appears_only_as_a_what_if_and_at_any_date(
    store: Store,
) -> None:
    store.day("000001", "AL", date(2017, 1, 2), hrs_rn=55.0, hrs_cna=293.0)
    assert minimum_rows(store.table) == []
    rows = store.rows(what_if=True)
    assert set(rows) == {
        "federal-2024-total",
        "federal-2024-rn",
        "federal-2024-aide",
        "federal-2024-rn-24-7",
    }
    assert rows["federal-2024-total"]["compliant"] is True  # 3.48 exactly
    assert rows["federal-2024-rn"]["compliant"] is True  # 0.55 exactly
    assert {r["status"] for r in rows.values()} == {"repealed"}
    assert all("REPEALED (what-if)" in r["note"] for r in rows.values())
    assert store.rows(rules=["federal-2024"]).keys() == rows.keys()


def test_rules_follow_each_facilitys_state_and_the_filters(store: Store) -> None:
    store.day("330001", "NY", date(2024, 4, 1), hrs_rn=150.0, hrs_cna=220.0)
    store.day("050001", "CA", date(2024, 4, 1), hrs_rn=150.0, hrs_cna=240.0)
    store.day("010001", "AL", date(2024, 4, 1), hrs_rn=150.0, hrs_cna=240.0)
    rows = minimum_rows(store.table)
    assert {(r["provnum"], r["rule"].split("-")[0]) for r in rows} == {
        ("330001", "ny"),
        ("050001", "ca"),
    }
    assert {r["provnum"] for r in minimum_rows(store.table, state="ca")} == {"050001"}
    assert {r["provnum"] for r in minimum_rows(store.table, facility="330001")} == {"330001"}
    assert minimum_rows(store.table, quarter="2024Q1") == []
    # --rule NY: what if New York's rules applied to every facility.
    assert {r["provnum"] for r in minimum_rows(store.table, rules=["NY"])} == {
        "330001",
        "050001",
        "010001",
    }


def test_it_has_exactly_the_issues_columns_first(store: Store) -> None:
    assert COLUMNS[:7] == ("provnum", "state", "period", "rule", "required", "actual", "compliant")
    assert tuple(minimum_table(store.table).columns) == COLUMNS


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    days=st.lists(
        st.tuples(st.integers(1, 300), st.floats(0, 2000, allow_nan=False)), min_size=1, max_size=6
    )
)
def test_a_quarterly_rule_compares_summed_hours_over_summed_census(
    days: list[tuple[int, float]],
) -> None:
    store = Store()
    for offset, (census, hours) in enumerate(days):
        store.day(
            "000001", "NY", date(2024, 4, 1) + timedelta(days=offset), census=census, hrs_rn=hours
        )
    row = store.rows(rules=["ny-licensed"])["ny-licensed"]
    value = sum(h for _, h in days) / sum(c for c, _ in days)
    assert row["actual"] == pytest.approx(round(value, 5), abs=1e-5)
    assert row["compliant"] is (value >= 1.1)
    store.con.close()


def test_new_york_total_matches_cms_total_nurse_staffing_for_015009(shared: Path) -> None:
    path = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv"
    rows = {r["rule"]: r for r in minimum_rows([path], rules=["NY"], what_if=True)}
    # CMS's published total nurse HPRD for 015009 in 2024Q2 (test_measures).
    assert rows["ny-total"]["actual"] == 4.29361
    assert rows["federal-2024-total"]["compliant"] is True
    assert rows["federal-2024-rn"]["actual"] == 1.28749
    assert rows["federal-2024-aide"]["actual"] == 2.58352
    assert {r["state"] for r in rows.values()} == {"AL"}
    assert minimum_rows([path]) == []  # Alabama has no state minimum


def test_new_york_rows_agree_with_the_quarterly_measures_for_335513(shared: Path) -> None:
    path = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
    totals = {r["quarter"]: r["total_hprd"] for r in to_rows(quarterly_measures([path]))}
    rows = [r for r in minimum_rows([path]) if r["rule"] == "ny-total"]
    assert rows
    assert rows[0]["period"] == "2022Q2"
    for row in rows:
        assert row["actual"] == round(totals[row["period"]], 5)
        assert row["compliant"] is (totals[row["period"]] >= 3.5)


def test_every_shipped_rule_names_its_source_and_confidence() -> None:
    names = {s.name for s in rule_sets()}
    assert {"NY", "CA", "FL", "IL", "MA", "RI", "CT", "NJ", "PA", "federal-2024"} <= names
    for rule_set in rule_sets():
        for rule in rule_set.rules:
            assert rule.source
            assert rule.url.startswith("http")
            assert rule.confidence in ("primary", "secondary", "UNCONFIRMED")
    [federal] = [s for s in rule_sets() if s.name == "federal-2024"]
    assert federal.status == "repealed"
    assert "Public Law 119-21" in federal.status_note


def _rule_file(tmp_path: Path, **fields: str) -> Path:
    body = {
        "id": '"xx-total"',
        "title": '"test"',
        "measure": '"hprd"',
        "job_codes": "[7]",
        "threshold": "3.5",
        "period": '"daily"',
        "census": '"mds"',
        "effective_from": "2024-01-01",
        "source": '"test"',
        "url": '"https://example.org"',
        "confidence": '"primary"',
    } | fields
    path = tmp_path / "XX.toml"
    lines = ['state = "XX"', 'name = "Test"', 'status = "in force"', "[[rule]]"]
    path.write_text("\n".join(lines + [f"{k} = {v}" for k, v in body.items()]) + "\n")
    return path


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("threshold", "nan", "out of range"),
        ("threshold", "inf", "out of range"),
        ("threshold", "350", "out of range"),
        ("threshold", '"3.5"', "must be a number"),
        ("job_codes", "[17]", "nurse-file codes"),
        ("job_codes", "[99]", "unknown PBJ job title code"),
        ("period", '"monthly"', "'period' must be one of"),
        ("measure", '"reading"', "not computable from this source"),
        ("effective_from", '"soon"', "must be a date"),
    ],
)
def test_a_malformed_rule_file_is_refused_naming_the_rule_and_field(
    tmp_path: Path, field: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        read_rule_set(_rule_file(tmp_path, **{field: value}))
    assert "XX.toml: rule 'xx-total'" in str(caught.value)


def test_the_sample_rule_file_itself_is_accepted(tmp_path: Path) -> None:
    assert read_rule_set(_rule_file(tmp_path)).rules[0].threshold == 3.5


def test_an_unknown_rule_name_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no minimum staffing rule 'XX'"):
        minimum_rows(store.table, rules=["XX"])


def test_docs_list_every_rule_with_its_source_and_confidence() -> None:
    text = (Path(__file__).resolve().parents[3] / "docs" / "minimums.md").read_text("utf-8")
    for rule_set in rule_sets():
        for rule in rule_set.rules:
            [line] = [x for x in text.splitlines() if x.startswith(f"| `{rule.id}` |")]
            assert rule.confidence in line
            assert rule.url in line
