"""What each committee reads: the HRC's rights and safety tables, the State's de-identified
copy (small cells suppressed), and each provider's compliance rate."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from carecover.backup.compliance import ProviderRef
from carecover.backup.report import BackupReport, BackupStatus, DeclinedBy, ReporterKind
from carecover.backup.rollup import RollupKind, Table, build_rollup, quarterly_hrc, quarterly_state
from tests.backup.factories import report

OCT = date(2026, 10, 1)
LRP = DeclinedBy.LEGALLY_RESPONSIBLE_PERSON


def rows_of(table: Table) -> list[dict[str, object]]:
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def declined(medicaid_id: str, day: date, by: DeclinedBy = LRP) -> BackupReport:
    return report(
        medicaid_id=medicaid_id,
        incident_date=day,
        backup_status=BackupStatus.OFFERED_DECLINED,
        declined_by=by,
    )


def test_the_hrc_report_lists_members_whose_legally_responsible_person_keeps_declining() -> None:
    reports = [
        declined("111111111A", date(2026, 10, 2)),
        declined("111111111A", date(2026, 11, 9)),
        declined("222222222B", date(2026, 10, 2)),  # once: not repeated
        declined("333333333C", date(2026, 10, 2), DeclinedBy.MEMBER),
        declined("333333333C", date(2026, 10, 9), DeclinedBy.MEMBER),  # the member's own choice
    ]
    table = quarterly_hrc(reports, OCT).table("repeated_declines")
    assert rows_of(table) == [
        {
            "medicaid_id": "111111111A",
            "declines": 2,
            "hours_without_staff": 8.0,
            "first_incident": date(2026, 10, 2),
            "last_incident": date(2026, 11, 9),
        }
    ]


def test_the_hrc_report_trends_each_repeated_member_month_by_month() -> None:
    reports = [
        report(medicaid_id="111111111A", incident_date=date(2026, 10, 2)),
        report(medicaid_id="111111111A", incident_date=date(2026, 12, 9)),
        report(medicaid_id="111111111A", incident_date=date(2026, 12, 10)),
        report(medicaid_id="222222222B", incident_date=date(2026, 10, 2)),
    ]
    table = quarterly_hrc(reports, OCT).table("member_trend")
    assert table.columns == ("medicaid_id", "2026-10", "2026-11", "2026-12", "reports")
    assert table.rows == (("111111111A", 1, 0, 2, 3),)


def test_the_hrc_report_leads_with_rights_and_safety_not_the_state_tables() -> None:
    names = [t.name for t in quarterly_hrc([], OCT).tables]
    assert names[:3] == ["repeated_members", "member_trend", "repeated_declines"]


def many(
    provider_id: str, members: int, kind: ReporterKind = ReporterKind.PROVIDER
) -> list[BackupReport]:
    return [
        report(
            provider_id=provider_id,
            medicaid_id=f"{provider_id}-{n:03d}",
            incident_date=date(2026, 10, 2),
            reporter_kind=kind,
            provider_name=f"Name of {provider_id}",
        )
        for n in range(members)
    ]


def test_the_state_report_suppresses_cells_of_fewer_than_eleven_members() -> None:
    reports = [*many("BIG", 12), *many("SMALL", 3), *many("TINY", 1)]
    rollup = quarterly_state(reports, OCT)
    providers = rows_of(rollup.table("by_provider"))
    names = [p["provider_name"] for p in providers]
    assert names == ["Name of BIG", "Other providers (each under 11 members) (2)"]
    big, other = providers
    assert (big["reports"], big["members_affected"]) == (12, 12)
    # The two small providers together still serve fewer than 11 members.
    assert other["reports"] == "<11"
    assert other["members_affected"] == "<11"
    assert other["provider_id"] == ""
    services = rows_of(rollup.table("by_service"))
    assert services[0]["reports"] == 16
    text = repr(asdict(rollup))
    assert "Name of SMALL" not in text
    assert "Name of TINY" not in text


def test_the_state_report_never_names_an_employer_of_record() -> None:
    reports = [*many("EOR1", 11, ReporterKind.EOR), *many("EOR2", 1, ReporterKind.EOR)]
    rollup = quarterly_state(reports, OCT)
    (row,) = rows_of(rollup.table("by_provider"))
    assert row["provider_name"] == "Employers of Record (2)"
    assert row["reporter_kind_label"] == "Employer of Record"
    assert row["reports"] == 12
    assert "Name of EOR1" not in repr(asdict(rollup))


def test_the_suppression_threshold_is_data_the_caller_can_change() -> None:
    reports = many("SMALL", 3)
    shown = quarterly_state(reports, OCT, min_cell_members=3).table("by_reason")
    hidden = quarterly_state(reports, OCT, min_cell_members=4).table("by_reason")
    assert rows_of(shown)[0]["reports"] == 3
    assert rows_of(hidden)[0]["reports"] == "<4"


def test_providers_with_no_reports_keep_their_reporter_kind_and_get_a_compliance_rate() -> None:
    rollup = build_rollup(
        RollupKind.MONTHLY,
        [report(provider_id="P1", incident_date=date(2026, 10, 3))],
        "2026-10",
        as_of=date(2026, 11, 23),
        providers=[ProviderRef("P1", "One", "provider"), ProviderRef("E1", "Family", "eor")],
    )
    providers = {p["provider_id"]: p for p in rows_of(rollup.table("by_provider"))}
    assert providers["E1"]["reporter_kind"] == "eor"
    assert providers["E1"]["reporter_kind_label"] == "Employer of Record"
    assert (providers["E1"]["periods_due"], providers["E1"]["compliance_rate_pct"]) == (2, 0.0)
    # P1 reported the first half on time and nothing for the second half.
    assert providers["P1"]["periods_on_time"] == 1
    assert providers["P1"]["compliance_rate_pct"] == 50.0
