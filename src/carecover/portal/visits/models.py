"""Visit uploads and the interruptions found in them, with what became of each."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from carecover.portal.accounts.models import Organisation, User
from carecover.portal.incidents.models import Member, Report, ServiceBreak


class VisitUpload(models.Model):
    """One visit file of one organisation (the same bytes are stored once)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    #: SHA-256 of the file: re-uploading the same file finds this upload again.
    sha256 = models.CharField(max_length=64)
    mapping = models.CharField(max_length=40)
    visits = models.PositiveIntegerField()

    class Meta:
        ordering: ClassVar = ["-uploaded_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "sha256"], name="one_upload_per_file")
        ]

    def __str__(self) -> str:
        return f"visit upload {self.pk}"


class Outcome(models.TextChoices):
    """What became of an interruption."""

    PENDING = "pending", "To create"
    DRAFTED = "drafted", "Draft created"
    LOGGED = "logged", "Service break logged"
    UNMATCHED = "unmatched", "Member to resolve"
    EXPLAIN = "explain", "Cause to record"
    REFUSED = "refused", "Refused"


class DetectedInterruption(models.Model):
    """One interruption found in an upload (``carecover.backup.visits.Interruption``)."""

    upload = models.ForeignKey(VisitUpload, on_delete=models.CASCADE, related_name="rows")
    #: The uploader's own member record, when the visit's member is one of theirs.
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, related_name="+")
    #: As the visit file gave them, shown only to the uploading organisation.
    member_medicaid_id = models.CharField(max_length=20)
    member_name = models.CharField(max_length=200, blank=True)
    provider_id = models.CharField(max_length=40)
    incident_date = models.DateField()
    service_code = models.CharField(max_length=20)
    hours_without_staff = models.FloatField()
    kind = models.CharField(max_length=40)
    report_required = models.BooleanField(null=True)
    rule = models.CharField(max_length=200)
    cause = models.CharField(max_length=40, blank=True)
    backup = models.CharField(max_length=20, blank=True)
    scheduled = models.CharField(max_length=200)
    gaps = models.CharField(max_length=400)
    lines = models.CharField(max_length=200)
    #: The row as ``interruption_row`` gave it (times as datetimes for the draft).
    windows = models.JSONField(default=list)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    problem = models.TextField(blank=True)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, related_name="+")
    service_break = models.ForeignKey(
        ServiceBreak, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["incident_date", "member_medicaid_id", "id"]

    def __str__(self) -> str:
        return f"interruption {self.pk}"
