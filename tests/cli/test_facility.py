"""``carecover facility figures``: every figure of a quarter from the facility's own files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, CliResult
from tests.facility.conftest import write_own_files

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def own_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same files as tests/facility."""
    return write_own_files(tmp_path_factory.mktemp("own-files"))


def _run(cli: Cli, files: dict[str, Path], *extra: str, xml: str = "pbj_xml") -> CliResult:
    return cli(
        "facility", "figures", "--pbj", files[xml], "--mds", files["mds"],
        "--quarter", "2026Q3", "--submitted-on", "2026-10-15", *extra,
    )  # fmt: skip


def test_figures_prints_hprd_case_mix_stars_and_projection(
    cli: Cli, own_files: dict[str, Path]
) -> None:
    result = _run(cli, own_files, "--inspection-stars", "3", "--qm-stars", "4")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("facility 100000 — 2026Q3 — release 2027-01 — method 2024-07")
    for words in (
        "RN HPRD",
        "case-mix ratio:",
        "days without an RN:",
        "staffing rating:",
        "overall: start from the health-inspection rating: 3",
        "projection as of",
    ):
        assert words in out


def test_figures_as_json_match_the_library(cli: Cli, own_files: dict[str, Path]) -> None:
    from carecover.facility import load_own_files, own_figures
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.store import connect

    result = _run(cli, own_files, "--format", "json", "--release", "2026-07")
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    con = connect(":memory:")
    q = Quarter.parse("2026Q3")
    ccn = load_own_files(con, [own_files["pbj_xml"]], [own_files["mds"]], q)
    library = own_figures(con, ccn, q, release="2026-07")
    assert printed["release"] == "2026-07"
    assert printed["measures"]["total_hprd"] == library.measures["total_hprd"]
    assert printed["card"] == json.loads(json.dumps(library.card, default=str))


def test_figures_warn_of_a_month_without_nurse_hours(cli: Cli, own_files: dict[str, Path]) -> None:
    result = _run(cli, own_files, xml="no_august")
    assert result.exit_code == 0, result.stderr
    assert "warning: 100000 2026Q3: 31 day(s) with residents and no nurse hours" in result.stdout


def test_several_ccns_in_the_mds_are_an_error_not_a_traceback(
    cli: Cli, own_files: dict[str, Path]
) -> None:
    files = {**own_files, "mds": REPO / "tests" / "fixtures" / "mds" / "extract.csv"}
    result = _run(cli, files)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ccn: the MDS files hold several CCNs")


@pytest.mark.parametrize("ratio", ["nan", "inf", "-1", "0", "11"])
def test_a_case_mix_ratio_the_projection_refuses_is_one_line(
    cli: Cli, own_files: dict[str, Path], ratio: str
) -> None:
    result = _run(cli, own_files, "--cmi-ratio", ratio)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: cmi_ratio: ")
    assert len(result.stderr.splitlines()) == 1
