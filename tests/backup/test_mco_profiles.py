from __future__ import annotations

from datetime import date

import pytest

from carecover.backup.mco import resolve_mco_profile
from carecover.backup.periods import SchemeKind
from carecover.errors import ConfigError


def test_each_shipped_mco_profile_is_found_by_name_with_its_own_scheme() -> None:
    assert resolve_mco_profile("partners").scheme_kind is SchemeKind.SEMI_MONTHLY
    alliance = resolve_mco_profile("Alliance")
    assert alliance.scheme_kind is SchemeKind.CYCLES
    assert alliance.name == "Alliance Health"
    assert resolve_mco_profile("vaya").name == "Vaya Health"


def test_alliance_periods_are_14_day_cycles_from_its_anchor() -> None:
    period = resolve_mco_profile("alliance").scheme(5).period_for(date(2022, 7, 15))
    assert (period.start, period.end) == (date(2022, 7, 15), date(2022, 7, 28))


def test_an_unknown_profile_name_is_read_as_a_missing_file() -> None:
    with pytest.raises(ConfigError, match="cannot read the MCO profile nosuch"):
        resolve_mco_profile("nosuch")
