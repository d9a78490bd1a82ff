"""The shipped service and reason catalogues and how they are searched."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.catalogue import (
    ServiceUnit,
    find_reason,
    find_service,
    load_reasons,
    load_services,
    parse_reasons_csv,
    parse_services_csv,
    search_services,
)
from carecover.errors import ConfigError, InputError, NotFoundError

SERVICE_HEADER = "code,name,unit,effective_from,effective_to,source,verified\n"
REASON_HEADER = (
    "code,label,description,requires_explanation,effective_from,effective_to,source,verified\n"
)
CANDIDATE_REASONS = {
    "backup_staff_unavailable",
    "backup_staff_not_trained",
    "short_notice",
    "no_staff_in_area",
    "backup_staff_declined_shift",
    "eor_no_backup_employee",
    "other",
}


def test_the_seed_service_codes_are_in_the_catalogue() -> None:
    assert find_service("T2013TF").code == "T2013TF"
    assert find_service("H2015").code == "H2015"


def test_it_finds_a_service_whatever_the_case_and_spacing() -> None:
    assert find_service(" t2013 tf ").code == "T2013TF"


def test_an_unknown_service_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="unknown service 'X9999'"):
        find_service("X9999")


def test_every_service_has_a_source_and_a_known_unit() -> None:
    services = load_services()
    assert services
    assert all(s.source and s.name and isinstance(s.unit, ServiceUnit) for s in services)
    assert len({(s.code, s.effective_from) for s in services}) == len(services)


def test_innovations_codes_not_confirmed_by_a_source_are_marked_unverified() -> None:
    assert not find_service("T2013TF").verified
    assert not find_service("H2015").verified
    assert find_service("T2013U4").verified


def test_a_code_prefix_search_lists_every_t2013_service_first() -> None:
    found = [s.code for s in search_services("T2013")]
    assert found[:2] == ["T2013TF", "T2013TFHQ"]
    assert {"T2013TF", "T2013U4", "T2013TFU4"} <= set(found)
    assert all(code.startswith("T2013") for code in found)


def test_a_prefix_search_ignores_spaces_and_case() -> None:
    assert search_services("t2013 tf")[0].code == "T2013TF"


def test_a_word_search_finds_services_by_name() -> None:
    found = search_services("community")
    assert {"T2013TF", "H2015"} <= {s.code for s in found}
    assert all("community" in s.name.lower() for s in found)


def test_a_word_search_needs_every_word() -> None:
    found = search_services("respite child")
    assert found
    assert all("respite" in s.name.lower() and "child" in s.name.lower() for s in found)


def test_code_prefix_matches_come_before_name_matches() -> None:
    # "H2015" matches codes only; "h" matches codes starting with H before names with an "h".
    found = search_services("h", limit=50)
    codes = [s.code.startswith("H") for s in found]
    assert codes == sorted(codes, reverse=True)


def test_search_respects_the_limit() -> None:
    assert len(search_services("t", limit=2)) == 2


def test_a_blank_search_finds_nothing() -> None:
    assert search_services("   ") == []


def test_a_limit_below_one_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        search_services("T2013", limit=0)
    assert caught.value.field == "limit"


def test_a_code_replaced_on_1_july_2023_is_only_effective_before() -> None:
    before, after = date(2023, 6, 30), date(2023, 7, 1)
    assert find_service("H0045U4HA", on=before).code == "H0045U4HA"
    with pytest.raises(NotFoundError, match="not in effect on 2023-07-01"):
        find_service("H0045U4HA", on=after)
    assert find_service("H0045HA", on=after).code == "H0045HA"
    codes_before = {s.code for s in load_services(on=before)}
    codes_after = {s.code for s in load_services(on=after)}
    assert "H0045HA" not in codes_before
    assert "H0045U4HA" not in codes_after
    assert "H0045U4HA" not in {s.code for s in search_services("H0045", on=after)}


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_services_loaded_for_a_day_are_exactly_those_effective_that_day(day: date) -> None:
    on_day = load_services(on=day)
    assert on_day == [s for s in load_services() if s.effective_on(day)]
    assert len({s.code for s in on_day}) == len(on_day)


def test_the_candidate_reasons_are_shipped_unverified() -> None:
    reasons = load_reasons()
    assert {r.code for r in reasons} == CANDIDATE_REASONS
    assert not any(r.verified for r in reasons)


def test_only_the_other_reason_requires_an_explanation() -> None:
    assert find_reason("other").requires_explanation
    assert [r.code for r in load_reasons() if r.requires_explanation] == ["other"]


def test_an_unknown_reason_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="unknown reason"):
        find_reason("bad_luck")


def test_reasons_are_found_whatever_the_case() -> None:
    assert find_reason(" Short_Notice ").code == "short_notice"


def test_a_bad_unit_names_the_file_line_and_column() -> None:
    text = (
        SERVICE_HEADER
        + "T2013TF,CLS,15min,2017-07-03,,src,no\nH2015,CN,minutes,2017-07-03,,src,no\n"
    )
    with pytest.raises(ConfigError, match=r"services\.csv:3: column unit: 'minutes'"):
        parse_services_csv(text)


def test_a_bad_date_names_the_file_line_and_column() -> None:
    text = SERVICE_HEADER + "T2013TF,CLS,15min,3 July 2017,,src,no\n"
    with pytest.raises(ConfigError, match=r"mine\.csv:2: column effective_from"):
        parse_services_csv(text, file="mine.csv")


def test_an_end_before_the_start_is_a_config_error() -> None:
    text = SERVICE_HEADER + "T2013TF,CLS,15min,2017-07-03,2016-01-01,src,no\n"
    with pytest.raises(ConfigError, match="column effective_to: is before effective_from"):
        parse_services_csv(text)


def test_overlapping_rows_for_one_code_are_a_config_error() -> None:
    text = (
        SERVICE_HEADER
        + "T2013TF,CLS,15min,2017-07-03,,src,no\n"
        + "t2013 tf,CLS,15min,2020-01-01,,src,no\n"
    )
    with pytest.raises(ConfigError, match=r":3: column code: T2013TF has overlapping"):
        parse_services_csv(text)


def test_a_missing_column_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"services\.csv:1: missing column\(s\) verified"):
        parse_services_csv("code,name,unit,effective_from,effective_to,source\n")


def test_a_short_row_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r":2: column \*: wrong number of fields"):
        parse_services_csv(SERVICE_HEADER + "T2013TF,CLS\n")


def test_a_bad_yes_no_in_the_reason_list_is_a_config_error() -> None:
    text = REASON_HEADER + "other,Other,Explain,maybe,2017-07-03,,src,no\n"
    with pytest.raises(ConfigError, match=r"reasons\.csv:2: column requires_explanation"):
        parse_reasons_csv(text)
