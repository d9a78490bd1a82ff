from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "backup"
REPORTS = str(FIXTURES / "rollup_reports.csv")
PROVIDERS = str(FIXTURES / "rollup_providers.csv")
ATTESTATIONS = str(FIXTURES / "rollup_attestations.csv")
TODAY = ("--today", "2026-11-23")
EVIL = '=HYPERLINK("http://evil.example","Click")'


def test_summary_prints_the_monthly_snapshot_as_a_table(cli: Cli) -> None:
    result = cli("backup", "summary", REPORTS, "--period", "2026-10", *TODAY)
    assert result.exit_code == 0, result.stderr
    assert "Monthly Quality of Care Committee snapshot: 2026-10-01..2026-10-31" in result.stdout
    assert "By reporting period" in result.stdout
    # Without providers or attestations, late/missing provider-periods are unknown.
    assert "n/a" in result.stdout


def test_summary_json_counts_filed_reports_and_compares_with_last_month(cli: Cli) -> None:
    result = cli("backup", "summary", REPORTS, "--period", "2026-10", "--format", "json", *TODAY)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    figures = {name: f["value"] for name, f in data["figures"].items()}
    # 6 filed October reports (the returned one included); the draft is left out.
    assert figures["reports"] == 6
    assert figures["returned"] == 1
    assert figures["members_affected"] == 4
    assert figures["members_with_repeated_failures"] == 2
    assert figures["hours_without_staff_total"] == 23.5
    assert figures["hours_without_staff_median"] == 3.5
    assert (figures["not_available"], figures["offered_declined"]) == (4, 2)
    assert figures["late_reports"] == 1
    assert data["figures"]["reports"]["previous"] == 2
    assert data["figures"]["reports"]["change"] == 4


def test_summary_counts_late_and_missing_periods_given_providers_and_attestations(
    cli: Cli,
) -> None:
    result = cli(
        "backup", "summary", REPORTS, "--period", "2026-10", "--format", "json", *TODAY,
        "--providers", PROVIDERS, "--attestations", ATTESTATIONS,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)["figures"]
    assert figures["late_submissions"]["value"] == 2
    assert figures["missing_submissions"]["value"] == 3


def test_the_state_report_takes_a_quarter_and_has_no_member_ids(cli: Cli) -> None:
    result = cli(
        "backup", "summary", REPORTS, "--period", "2026Q4", "--kind", "quarterly-state",
        "--format", "json", *TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "Quarterly report to the State (Division)"
    assert data["period"] == {"start": "2026-10-01", "end": "2026-12-31"}
    assert "repeated_members" not in data["tables"]
    assert "123456789A" not in result.stdout
    assert data["figures"]["reports"]["value"] == 7
    # Every provider serves fewer than 11 members: folded (EORs apart), counts suppressed.
    rows = data["tables"]["by_provider"]["rows"]
    assert [r["provider_name"] for r in rows] == [
        "Employers of Record (1)",
        "Other providers (each under 11 members) (3)",
    ]
    assert {r["reports"] for r in rows} == {"<11"}
    assert "Blue Ridge Care" not in result.stdout


def test_the_hrc_report_accepts_a_month_inside_the_quarter(cli: Cli) -> None:
    by_month = cli(
        "backup", "summary", REPORTS, "--period", "2026-11", "--kind", "quarterly-hrc", *TODAY
    )
    by_quarter = cli(
        "backup", "summary", REPORTS, "--period", "2026Q4", "--kind", "quarterly-hrc", *TODAY
    )
    assert by_month.exit_code == 0, by_month.stderr
    assert by_month.stdout == by_quarter.stdout
    assert "123456789A" in by_month.stdout
    assert "Avery" not in by_month.stdout


def test_summary_csv_neutralises_a_formula_in_a_provider_name(cli: Cli) -> None:
    result = cli("backup", "summary", REPORTS, "--period", "2026-10", "--format", "csv", *TODAY)
    assert result.exit_code == 0, result.stderr
    cells = [c for row in csv.reader(io.StringIO(result.stdout)) for c in row]
    assert "'" + EVIL in cells
    assert EVIL not in cells


def test_summary_writes_an_xlsx_workbook_with_one_sheet_per_table(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "hrc.xlsx"
    result = cli(
        "backup", "summary", REPORTS, "--period", "2026Q4", "--kind", "quarterly-hrc",
        "--format", "xlsx", "-o", str(out), *TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames[0] == "headline"
    assert "repeated_members" in book.sheetnames
    names = [c.value for c in book["by_provider"]["B"]]
    assert "'" + EVIL in names


def test_summary_writes_csv_to_a_file_when_given_output(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "snapshot.csv"
    result = cli(
        "backup", "summary", REPORTS, "--period", "2026-10", "--format", "csv", "-o", str(out),
        *TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text().startswith("# Monthly Quality of Care Committee snapshot")


def test_xlsx_without_an_output_file_is_a_usage_error(cli: Cli) -> None:
    result = cli("backup", "summary", REPORTS, "--period", "2026-10", "--format", "xlsx")
    assert result.exit_code == 2
    assert "--output" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "October"), "error: --period: expected a month like 2026-10"),
        (("--period", "2026Q4"), "error: --period: expected a month like 2026-10"),
        (("--period", "2026-10", "--providers", "nope.csv"), "error: No such file"),
    ],
)
def test_summary_reports_a_bad_input_in_one_line(
    cli: Cli, args: tuple[str, ...], message: str
) -> None:
    result = cli("backup", "summary", REPORTS, *args, *TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr


def test_a_bad_today_is_a_usage_error(cli: Cli) -> None:
    result = cli("backup", "summary", REPORTS, "--period", "2026-10", "--today", "soon")
    assert result.exit_code == 2


def test_periods_shows_compliance_per_provider_and_period(cli: Cli) -> None:
    result = cli(
        "backup", "periods", REPORTS, "--from", "2026-10-01", "--to", "2026-10-31",
        "--as-of", "2026-11-23", "--providers", PROVIDERS, "--attestations", ATTESTATIONS,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    got = {(r["provider_id"], r["period_start"]): r["status"] for r in json.loads(result.stdout)}
    assert got == {
        ("E300", "2026-10-01"): "attested_none",
        ("E300", "2026-10-16"): "reported",
        ("P100", "2026-10-01"): "reported",
        ("P100", "2026-10-16"): "missing",  # only a draft
        ("P200", "2026-10-01"): "reported",  # a returned report was still filed
        ("P200", "2026-10-16"): "late",
        ("P400", "2026-10-01"): "reported",
        ("P400", "2026-10-16"): "late",  # attestation after the due date
        ("P500", "2026-10-01"): "missing",
        ("P500", "2026-10-16"): "missing",
    }


def test_periods_defaults_to_the_providers_in_the_reports_file(cli: Cli) -> None:
    result = cli(
        "backup", "periods", REPORTS, "--from", "2026-11-01", "--to", "2026-11-30",
        "--as-of", "2026-11-23", "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted({r["provider_id"] for r in rows}) == ["E300", "P100", "P200", "P400"]
    statuses = {(r["provider_id"], r["period_start"]): r["status"] for r in rows}
    assert statuses[("P100", "2026-11-01")] == "reported"
    assert statuses[("P200", "2026-11-01")] == "missing"
    assert statuses[("P200", "2026-11-16")] == "due"
    assert rows[0]["provider_name"] == "Jordan Family EOR"


def test_periods_can_use_14_day_cycles_from_an_anchor(cli: Cli) -> None:
    result = cli(
        "backup", "periods", REPORTS, "--from", "2026-10-05", "--to", "2026-10-18",
        "--as-of", "2026-11-23", "--scheme", "14-day", "--anchor", "2026-09-21",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # One 14-day cycle (5-18 Oct), due 5 days later, for each of the 4 providers.
    assert len(re.findall(r"2026-10-05\s+2026-10-18\s+2026-10-23", result.stdout)) == 4


def test_14_day_cycles_without_an_anchor_are_a_usage_error(cli: Cli) -> None:
    result = cli(
        "backup", "periods", REPORTS, "--from", "2026-10-01", "--to", "2026-10-31",
        "--scheme", "14-day",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--anchor" in result.stderr


def test_periods_refuses_a_range_that_ends_before_it_starts(cli: Cli) -> None:
    result = cli("backup", "periods", REPORTS, "--from", "2026-10-31", "--to", "2026-10-01")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the range ends")


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("summary", ["--period", "--kind", "--format", "--output", "--today", "--attestations",
                     "--providers", "monthly", "quarterly-hrc", "quarterly-state", "xlsx",
                     "--mco-profile"]),
        ("periods", ["--from", "--to", "--as-of", "--scheme", "--anchor", "--attestations",
                     "--providers", "semi-monthly", "14-day", "--mco-profile"]),
    ],
)  # fmt: skip
def test_every_option_is_documented(command: str, options: list[str]) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "backup-compliance.md").read_text()
    assert f"carecover backup {command}" in docs
    for option in options:
        assert f"`{option}`" in docs or f"{option}|" in docs or f"|{option}" in docs, option


SHIPPED_PROFILE = Path(__file__).resolve().parents[2] / "src/carecover/data/backup/mco.toml"


def _profile(tmp_path: Path, **replacements: str) -> str:
    text = SHIPPED_PROFILE.read_text("utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "mco.toml"
    path.write_text(text, "utf-8")
    return str(path)


def test_periods_follow_the_mco_profiles_scheme_and_effective_date(
    cli: Cli, tmp_path: Path
) -> None:
    profile = _profile(
        tmp_path,
        **{
            'scheme = "semi-monthly"': 'scheme = "14-day"\nanchor = 2026-09-21',
            "effective = 2022-07-01": "effective = 2026-10-10",
        },
    )
    result = cli(
        "backup", "periods", REPORTS, "--from", "2026-09-01", "--to", "2026-10-31",
        "--as-of", "2026-11-23", "--format", "json", "--mco-profile", profile,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    starts = sorted({row["period_start"] for row in json.loads(result.stdout)})
    # 14-day cycles from 21 Sep; the cycle of 21 Sep-4 Oct ended before 10 Oct: not due.
    assert starts == ["2026-10-05", "2026-10-19"]


def test_the_state_report_suppresses_cells_below_the_profiles_threshold(
    cli: Cli, tmp_path: Path
) -> None:
    profile = _profile(tmp_path, **{"min_cell_members = 11": "min_cell_members = 1"})
    result = cli(
        "backup", "summary", REPORTS, "--period", "2026Q4", "--kind", "quarterly-state",
        "--format", "json", *TODAY, "--mco-profile", profile,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["tables"]["by_provider"]["rows"]
    assert "Blue Ridge Care" in {r["provider_name"] for r in rows}
    assert "<" not in json.dumps([r["reports"] for r in rows])


def test_a_malformed_mco_profile_is_one_error_line(cli: Cli, tmp_path: Path) -> None:
    profile = _profile(tmp_path, **{'scheme = "semi-monthly"': 'scheme = "weekly"'})
    result = cli("backup", "summary", REPORTS, "--period", "2026-10", *TODAY,
                 "--mco-profile", profile)  # fmt: skip
    assert result.exit_code == 1
    assert "[periods] scheme must be" in result.stderr
    assert "Traceback" not in result.stderr


def test_periods_take_a_shipped_mco_profile_by_name(cli: Cli) -> None:
    result = cli(
        "backup", "periods", REPORTS, "--from", "2026-10-01", "--to", "2026-10-31",
        "--as-of", "2026-11-23", "--format", "json", "--mco-profile", "alliance",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    starts = sorted({row["period_start"] for row in json.loads(result.stdout)})
    # Alliance: 14-day cycles from 1 Jul 2022 (anchor UNCONFIRMED), not semi-monthly halves.
    assert starts == ["2026-09-18", "2026-10-02", "2026-10-16", "2026-10-30"]
