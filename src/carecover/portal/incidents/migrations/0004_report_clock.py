# ruff: noqa: RUF012
"""The compliance clock's fields on reports: first submission and the learned-on date.

Existing filed reports take their first submission from their version history
(the earliest ``submitted`` version), else their current submission time.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce


def first_submissions(apps: Any, schema_editor: Any) -> None:
    """Backfill ``first_submitted_at`` from the versions recorded as submitted."""
    report = apps.get_model("incidents", "Report")
    version = apps.get_model("incidents", "ReportVersion")
    earliest = (
        version.objects.filter(report=OuterRef("pk"), status="submitted")
        .values("report")
        .annotate(first=Min("recorded_at"))
        .values("first")
    )
    report.objects.filter(submitted_at__isnull=False).update(
        first_submitted_at=Coalesce(Subquery(earliest), "submitted_at")
    )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_members_per_organisation")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="first_submitted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="report",
            name="learned_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(first_submissions, migrations.RunPython.noop),
    ]
