"""What each committee reads: the HRC's rights and safety tables, the State's de-identified
copy (small cells suppressed), and each provider's compliance rate."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, time

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
    assert names[:4] == ["harm", "repeated_members", "member_trend", "repeated_declines"]


def test_the_hrc_report_lists_every_incident_with_harm_or_escalation_in_words() -> None:
    reports = [
        report(medicaid_id="111111111A", incident_date=date(2026, 10, 2), harm=True),
        report(medicaid_id="222222222B", incident_date=date(2026, 10, 5)),
        report(medicaid_id="333333333C", incident_date=date(2026, 9, 30), harm=True),  # Q3
    ]
    rollup = quarterly_hrc(reports, OCT)
    (row,) = rows_of(rollup.table("harm"))
    assert row["report_id"] == reports[0].report_id
    assert (row["medicaid_id"], row["incident_date"]) == ("111111111A", date(2026, 10, 2))
    assert (row["service_name"], row["status_label"]) != ("T2013TF", "submitted")
    assert row["reason_label"] != row["reason"]
    assert (rollup.figure("harm").value, rollup.figure("harm").previous) == (1, 1)


def test_the_state_report_counts_harm_but_names_no_member() -> None:
    reports = [report(medicaid_id="111111111A", incident_date=date(2026, 10, 2), harm=True)]
    rollup = quarterly_state(reports, OCT)
    assert rollup.figure("harm").value == 1
    assert "harm" not in [t.name for t in rollup.tables]
    assert "111111111A" not in repr(asdict(rollup))


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


def on_time_and_late(provider_id: str, on_time: int, late: int) -> list[BackupReport]:
    """Reports of October 2-6, first filed the same day or a month later (after the due date)."""
    made = []
    for n in range(on_time + late):
        day = date(2026, 10, 2)
        filed = datetime.combine(day, time(17)) if n < on_time else datetime(2026, 11, 20, 9)
        made.append(
            report(
                provider_id=provider_id,
                provider_name=f"Name of {provider_id}",
                medicaid_id=f"{provider_id}-{n:03d}",
                incident_date=day,
                submitted_at=filed,
            )
        )
    return made


def test_the_state_report_measures_each_providers_timeliness_against_the_standard() -> None:
    reports = [*on_time_and_late("GOOD", 19, 1), *on_time_and_late("SLOW", 10, 5)]
    rollup = quarterly_state(reports, OCT, timeliness_standard_pct=90)
    rows = {r["provider_name"]: r for r in rows_of(rollup.table("timeliness"))}
    good, slow = rows["Name of GOOD"], rows["Name of SLOW"]
    assert (good["reports"], good["on_time_reports"], good["on_time_pct"]) == (20, 19, 95.0)
    assert (good["standard_pct"], good["meets_standard"]) == (90, "yes")
    assert (slow["reports"], slow["on_time_reports"], slow["on_time_pct"]) == (15, 10, 66.7)
    assert slow["meets_standard"] == "no"
    total = rows["All providers and Employers of Record"]
    assert (total["reports"], total["on_time_reports"], total["on_time_pct"]) == (35, 29, 82.9)
    assert rollup.figure("on_time_pct").value == 82.9


def test_timeliness_folds_small_providers_and_employers_of_record_like_the_provider_table() -> None:
    reports = [
        *on_time_and_late("BIG", 11, 1),
        *on_time_and_late("SMALL", 2, 1),
        *many("EOR1", 3, ReporterKind.EOR),
    ]
    rollup = quarterly_state(reports, OCT, timeliness_standard_pct=90)
    names = [r["provider_name"] for r in rows_of(rollup.table("timeliness"))]
    assert names[0] == "Name of BIG"
    assert "Name of SMALL" not in names
    assert "Name of EOR1" not in repr(asdict(rollup))
    folded = [r for r in rows_of(rollup.table("timeliness")) if r["provider_id"] == ""]
    # Fewer than 11 members: the counts, the share and the verdict are all suppressed.
    assert all(r["on_time_pct"] == "<11" for r in folded if r["provider_name"] != names[-1])


def test_the_timeliness_standard_is_the_mco_profiles_data() -> None:
    reports = on_time_and_late("GOOD", 17, 3)  # 85 %
    strict = quarterly_state(reports, OCT, timeliness_standard_pct=90).table("timeliness")
    lenient = quarterly_state(reports, OCT, timeliness_standard_pct=80).table("timeliness")
    assert rows_of(strict)[0]["meets_standard"] == "no"
    assert rows_of(lenient)[0]["meets_standard"] == "yes"
    shipped = quarterly_state(reports, OCT).table("timeliness")
    assert rows_of(shipped)[0]["standard_pct"] == 90.0
