"""Members, reports mirroring ``BackupReport``, their versions, ids and service breaks.

The rules live in ``carecover.backup``; these tables only hold what it
decides. A member's SSN is never stored: only its keyed hash and last four
digits (``carecover.backup.identity``).

A member record belongs to one organisation: two organisations serving the
same person each keep their own record under the same Medicaid id, and no
filing of one ever reads or writes the other's. A report keeps the member's
identity as it was filed (``member_*`` columns and each version's snapshot),
so correcting a member record never rewrites a filed report.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from django.db import models

from carecover.backup.report import (
    BackupStatus,
    CorrectionKind,
    DeclinedBy,
    ReporterKind,
    ReportStatus,
)
from carecover.errors import RuleError
from carecover.portal.accounts.models import Organisation, Site, User


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]


class Member(models.Model):
    """One organisation's record of a member of NC Innovations it serves."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, db_index=True)
    date_of_birth = models.DateField()
    medicaid_id = models.CharField(max_length=20, db_index=True)
    ssn_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    ssn_last4 = models.CharField(max_length=4, null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["last_name", "first_name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "medicaid_id"], name="one_member_record_per_organisation"
            )
        ]

    def __str__(self) -> str:
        # Ids only: a member's name must not reach logs through repr/str.
        return f"member {self.pk}"


class Report(models.Model):
    """The current version of one Failure to Provide Backup Staffing report."""

    report_id = models.CharField(max_length=20, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reports")
    # The member as filed on this report: a later correction of the member
    # record does not change what was reported.
    member_first_name = models.CharField(max_length=100)
    member_last_name = models.CharField(max_length=100)
    member_date_of_birth = models.DateField()
    member_medicaid_id = models.CharField(max_length=20)
    member_ssn_hash = models.CharField(max_length=64, null=True, blank=True)
    member_ssn_last4 = models.CharField(max_length=4, null=True, blank=True)
    #: ``duplicates.incident_key`` while the report is filed (submitted, accepted,
    #: returned), else null: unique, so two concurrent submissions of one
    #: incident cannot both be stored.
    filed_incident = models.CharField(max_length=120, null=True, blank=True, unique=True)
    reporter_kind = models.CharField(max_length=10, choices=_choices(ReporterKind))
    provider_id = models.CharField(max_length=40)
    provider_name = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=200)
    contact_phone = models.CharField(max_length=40)
    contact_email = models.CharField(max_length=254)
    incident_date = models.DateField(db_index=True)
    service_code = models.CharField(max_length=20)
    scheduled_start = models.TimeField()
    scheduled_end = models.TimeField()
    hours_without_staff = models.FloatField()
    backup_status = models.CharField(max_length=20, choices=_choices(BackupStatus))
    reason = models.CharField(max_length=60, null=True, blank=True)
    reason_other = models.TextField(null=True, blank=True)
    declined_by = models.CharField(
        max_length=40, choices=_choices(DeclinedBy), null=True, blank=True
    )
    declined_reason = models.TextField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=_choices(ReportStatus), default=ReportStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    #: The first submission (a correction after a return keeps it): the
    #: compliance clock's filing time (``compliance.filed_on``).
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    #: The day the provider learned of the incident, when later (seed row 6).
    learned_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    mco_comment = models.TextField(null=True, blank=True)
    #: The member was harmed or put at risk: escalated, shown to the MCO.
    harm = models.BooleanField(default=False)
    #: The provider's pending request to withdraw or amend the filed report, and why.
    correction_requested = models.CharField(
        max_length=10, choices=_choices(CorrectionKind), null=True, blank=True
    )
    correction_reason = models.TextField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-incident_date", "-id"]
        # The list pages walk (incident_date, id) newest first by keyset, alone
        # or after one equality filter: one index per filter keeps them fast.
        indexes: ClassVar = [
            models.Index(fields=["-incident_date", "-id"], name="report_newest"),
            models.Index(
                fields=["organisation", "-incident_date", "-id"], name="report_org_newest"
            ),
            models.Index(fields=["status", "-incident_date", "-id"], name="report_status_newest"),
            models.Index(fields=["provider_id", "-incident_date"], name="report_provider_newest"),
            models.Index(fields=["member", "-incident_date"], name="report_member_newest"),
            models.Index(fields=["service_code", "-incident_date"], name="report_service_newest"),
            models.Index(fields=["reason", "-incident_date"], name="report_reason_newest"),
            models.Index(fields=["backup_status", "-incident_date"], name="report_type_newest"),
            # One member's reports for one date: the duplicate and 24-hour guards,
            # and the MCO's probable duplicates across providers.
            models.Index(fields=["member_medicaid_id", "incident_date"], name="report_member_day"),
        ]

    def __str__(self) -> str:
        return self.report_id


class ReportVersion(models.Model):
    """One version of a report as ``carecover.backup`` produced it; append-only."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=_choices(ReportStatus))
    snapshot = models.JSONField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["report", "version"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["report", "version"], name="unique_report_version")
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: history is never rewritten (lifecycle: every version kept)."""
        if self.pk is not None:
            raise RuleError("report versions are append-only: they cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refused: report versions are never deleted."""
        raise RuleError("report versions are append-only: they cannot be deleted")


class ReportIdCounter(models.Model):
    """The last BUS number issued in a year (``ids.IdLedger`` over the database)."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)


class ServiceBreak(models.Model):
    """An interruption that is not a reportable incident, logged per member.

    ``classify`` sends service breaks here instead of to the MCO.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="service_breaks")
    date = models.DateField()
    cause = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-date", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["organisation", "member", "-date"], name="break_org_member_newest")
        ]


class IncompleteDraft(models.Model):
    """A draft saved before it is complete: what the filer typed, under its BUS id.

    The seed's *Save* keeps a report to finish later; only a complete, valid
    draft becomes a ``Report`` (same BUS id), so every ``Report`` row still
    holds a whole report. ``values`` are the form's fields as typed (text),
    never the SSN (``incomplete.KEPT_FIELDS``).
    """

    report_id = models.CharField(max_length=20, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="incomplete_drafts"
    )
    values = models.JSONField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.report_id
