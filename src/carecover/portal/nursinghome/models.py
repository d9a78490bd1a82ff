"""Nursing facilities and the files uploaded for them.

A facility belongs to an operator organisation (kind ``facility``) and
optionally to a chain (kind ``chain``). The figures themselves (hours,
census, assessments) are not here: they live in the facility's DuckDB store
(``stores``), where the domain packages compute on them.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from carecover.portal.accounts.models import Organisation, User

CCN_VALIDATOR = RegexValidator(r"^[0-9A-Z]{6}$", "A CCN is six letters or digits.")
STARS = [MinValueValidator(1), MaxValueValidator(5)]


class Facility(models.Model):
    """A Medicare/Medicaid nursing home, known by its CMS Certification Number."""

    ccn = models.CharField("CCN", max_length=6, unique=True, validators=[CCN_VALIDATOR])
    name = models.CharField(max_length=200)
    state = models.CharField(max_length=2)
    #: The PBJ header's ``facilityId`` (the submission id, not the CCN).
    pbj_facility_id = models.CharField("PBJ facility id", max_length=20)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="facilities"
    )
    chain = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="chain_facilities",
        null=True,
        blank=True,
    )
    #: Inputs of the overall rating the staffing domain cannot compute.
    health_inspection_stars = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=STARS
    )
    quality_measure_stars = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=STARS
    )
    #: Set by the facility when a CMS PBJ audit found its data inaccurate (one star).
    audit_failed = models.BooleanField(default=False)
    #: A CMS-published nursing case-mix ratio to use instead of the MDS-derived one.
    cmi_ratio = models.FloatField(
        "case-mix ratio",
        null=True,
        blank=True,
        validators=[MinValueValidator(0.1), MaxValueValidator(5.0)],
    )

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return f"{self.name} ({self.ccn})"


class UploadKind(models.TextChoices):
    """What was uploaded."""

    PBJ_XML = "pbj_xml", "PBJ submission (XML or ZIP)"
    TIMECLOCK = "timeclock", "Time-clock or payroll export (CSV)"
    MDS = "mds", "MDS assessments (extract CSV, XML or ZIP)"
    PUBLIC_FILE = "public_file", "CMS PBJ Daily Nurse Staffing file (CSV)"


class UploadStatus(models.TextChoices):
    """Whether the file was stored; ``processing`` until its load has finished."""

    PROCESSING = "processing", "Processing"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Upload(models.Model):
    """One uploaded file and its validation report; rejected files store nothing else."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(max_length=20, choices=UploadKind.choices)
    #: The name the user's file had; shown back to them, never used as a path.
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=UploadStatus.choices)
    #: Calendar quarters the file touched, e.g. ``["2026Q3"]``.
    quarters = models.JSONField(default=list)
    #: Counts shown on the upload list (records read, loaded, warnings ...).
    summary = models.JSONField(default=dict)
    #: The validation report (status, counts per edit, findings with line).
    report = models.JSONField(default=dict)
    #: What the load needs besides the file (the day, a time-clock export's quarter ...),
    #: and the folder of its working copy: so an interrupted load can be finished.
    work = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} ({self.status})"
