from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from carecover.backup.mco import Channel, ExportFormat, parse_mco_profile, resolve_mco_profile
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


def test_each_shipped_profile_says_how_its_mco_takes_the_reports_in() -> None:
    found = {
        name: (p.channel, p.layout, p.export_format)
        for name in ("partners", "alliance", "vaya")
        for p in [resolve_mco_profile(name)]
    }
    assert found == {
        "partners": (Channel.PORTAL_FORM, "partners", ExportFormat.CSV),
        "alliance": (Channel.SPREADSHEET, "alliance", ExportFormat.XLSX),
        "vaya": (Channel.ON_FILE, "vaya", ExportFormat.HTML),
    }


def _without_export(text: str) -> str:
    keep = ("channel =", "layout =", "format =")
    return "\n".join(line for line in text.splitlines() if not line.startswith(keep))


def test_a_profile_without_a_layout_takes_the_portal_form() -> None:
    shipped = resolve_mco_profile("alliance")
    text = _without_export(_alliance_text())
    profile = parse_mco_profile(text)
    assert (profile.channel, profile.layout, profile.export_format) == (
        Channel.PORTAL_FORM,
        None,
        None,
    )
    assert profile.scheme_kind is shipped.scheme_kind


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('channel = "spreadsheet"', "needs a layout and a format"),
        ('layout = "alliance"', "give both or neither"),
        ('channel = "fax"', "channel must be one of"),
        ('layout = "../x"\nformat = "csv"', "layout must be a layout name"),
    ],
)
def test_a_profile_with_an_incomplete_export_is_refused(extra: str, message: str) -> None:
    text = _without_export(_alliance_text()).replace("[mco]", f"[mco]\n{extra}")
    with pytest.raises(ConfigError, match=message):
        parse_mco_profile(text)


def _alliance_text() -> str:
    path = resources.files("carecover").joinpath("data", "backup", "mcos", "alliance.toml")
    return path.read_text("utf-8")
