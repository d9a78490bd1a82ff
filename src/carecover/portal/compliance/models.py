"""Attestations of no incidents and plans of correction, as ``carecover.backup`` decides them.

A reporting period's status is never stored: ``services.periods_for``
computes it from reports and attestations with ``carecover.backup.compliance``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from carecover.portal.accounts.models import Organisation, User


class Attestation(models.Model):
    """An Attestation of No Backup Staffing Incidents: one organisation, one period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="attestations"
    )
    #: The period's first day (``ReportingPeriod.start``).
    period_start = models.DateField()
    attested_at = models.DateTimeField()
    attested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["-period_start"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "period_start"], name="one_attestation_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"attestation {self.organisation_id} {self.period_start}"


class AttestationWithdrawal(models.Model):
    """An attestation withdrawn because a report was submitted into its period.

    The attestation itself is removed (the period now has a filing); this row
    is the note the MCO reads, with who attested and which report withdrew it.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="attestation_withdrawals"
    )
    period_start = models.DateField()
    attested_at = models.DateTimeField()
    attested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    #: The BUS id of the report whose submission withdrew the attestation.
    report_id = models.CharField(max_length=20)

    class Meta:
        ordering: ClassVar = ["-withdrawn_at", "-id"]

    def __str__(self) -> str:
        return f"withdrawn attestation {self.organisation_id} {self.period_start}"


class PlanStatus(models.TextChoices):
    """Where a plan of correction stands."""

    REQUESTED = "requested", "Requested"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class PlanOfCorrection(models.Model):
    """A plan requested by the MCO for a late or missing period (``correction.issue_plan``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans")
    period_start = models.DateField()
    period_end = models.DateField()
    period_due = models.DateField()
    #: ``late`` or ``missing`` when the plan was issued.
    period_status = models.CharField(max_length=20)
    issued_on = models.DateField()
    due_on = models.DateField()
    corrections_due_on = models.DateField()
    area_out_of_compliance = models.TextField()
    status = models.CharField(
        max_length=10, choices=PlanStatus.choices, default=PlanStatus.REQUESTED, db_index=True
    )
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    #: The provider's answer: ``[{"how", "by_when", "responsible"}, ...]``.
    corrections = models.JSONField(default=list, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering: ClassVar = ["-issued_on", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "period_start"], name="one_plan_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"plan {self.pk}"
