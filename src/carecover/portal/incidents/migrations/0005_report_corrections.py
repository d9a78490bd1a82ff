# ruff: noqa: RUF012
"""Corrections after submission and the harm outcome on reports (issue 13 §4).

A withdrawn status, the provider's pending request to withdraw or amend and
its reason, and whether the member was harmed or put at risk.
"""

from django.db import migrations, models

import carecover.backup.report


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_report_clock"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="correction_reason",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="report",
            name="correction_requested",
            field=models.CharField(
                blank=True,
                choices=[("withdraw", "withdraw"), ("amend", "amend")],
                max_length=10,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="harm",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="report",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "draft"),
                    ("submitted", "submitted"),
                    ("accepted", "accepted"),
                    ("returned", "returned"),
                    ("withdrawn", "withdrawn"),
                ],
                db_index=True,
                default=carecover.backup.report.ReportStatus["DRAFT"],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="reportversion",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "draft"),
                    ("submitted", "submitted"),
                    ("accepted", "accepted"),
                    ("returned", "returned"),
                    ("withdrawn", "withdrawn"),
                ],
                max_length=10,
            ),
        ),
    ]
