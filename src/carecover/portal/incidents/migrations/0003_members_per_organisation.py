# ruff: noqa: RUF012
"""Members per organisation, the member as filed on each report, one filed report per incident.

Existing data: a member row linked to several organisations is split into one
record per organisation (its reports and service breaks follow their
organisation's record). Each report takes the member as its latest version
recorded it. ``filed_incident`` is set on filed reports; where earlier
duplicates were already filed, only the first (lowest id) takes the key, so
the migration never fails and never changes a report's status: the MCO's list
shows the rest as duplicates to review.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

FILED = ("submitted", "accepted", "returned")


def _key(report: Any) -> str:
    from carecover.backup.catalogue import normalise_code

    return "|".join(
        [
            report.provider_id.strip().upper(),
            report.member_medicaid_id.strip().upper(),
            report.incident_date.isoformat(),
            normalise_code(report.service_code),
        ]
    )


def forwards(apps: Any, schema_editor: Any) -> None:
    from datetime import date

    member_model = apps.get_model("incidents", "Member")
    report_model = apps.get_model("incidents", "Report")
    version_model = apps.get_model("incidents", "ReportVersion")
    break_model = apps.get_model("incidents", "ServiceBreak")
    for member in member_model.objects.all().order_by("pk"):
        org_ids = set(member.organisations.values_list("pk", flat=True))
        org_ids |= set(member.reports.values_list("organisation_id", flat=True))
        org_ids |= set(member.service_breaks.values_list("organisation_id", flat=True))
        ordered = sorted(org_ids)
        if not ordered:
            member.delete()  # nobody serves or reported this member
            continue
        member.organisation_id = ordered[0]
        member.save(update_fields=["organisation"])
        for org_id in ordered[1:]:
            copy = member_model.objects.create(
                organisation_id=org_id,
                first_name=member.first_name,
                last_name=member.last_name,
                date_of_birth=member.date_of_birth,
                medicaid_id=member.medicaid_id,
                ssn_hash=member.ssn_hash,
                ssn_last4=member.ssn_last4,
            )
            report_model.objects.filter(member=member, organisation_id=org_id).update(member=copy)
            break_model.objects.filter(member=member, organisation_id=org_id).update(member=copy)
    keys: set[str] = set()
    for report in report_model.objects.select_related("member").order_by("pk"):
        latest = version_model.objects.filter(report=report).order_by("-version").first()
        filed = (latest.snapshot or {}).get("member") if latest is not None else None
        member = report.member
        if filed:
            report.member_first_name = filed.get("first_name") or member.first_name
            report.member_last_name = filed.get("last_name") or member.last_name
            birth = filed.get("date_of_birth")
            report.member_date_of_birth = (
                date.fromisoformat(birth) if birth else member.date_of_birth
            )
            report.member_ssn_hash = filed.get("ssn_hash")
            report.member_ssn_last4 = filed.get("ssn_last4")
        else:
            report.member_first_name = member.first_name
            report.member_last_name = member.last_name
            report.member_date_of_birth = member.date_of_birth
            report.member_ssn_hash = member.ssn_hash
            report.member_ssn_last4 = member.ssn_last4
        report.member_medicaid_id = member.medicaid_id
        report.filed_incident = None
        if report.status in FILED:
            key = _key(report)
            if key not in keys:
                keys.add(key)
                report.filed_incident = key
        report.save(
            update_fields=[
                "member_first_name",
                "member_last_name",
                "member_date_of_birth",
                "member_medicaid_id",
                "member_ssn_hash",
                "member_ssn_last4",
                "filed_incident",
            ]
        )
    if schema_editor.connection.vendor == "postgresql":
        # The rows just written leave deferred foreign-key checks pending, and
        # PostgreSQL refuses the ALTER TABLEs that follow until they have run.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("incidents", "0002_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="medicaid_id",
            field=models.CharField(db_index=True, max_length=20),
        ),
        migrations.AddField(
            model_name="report",
            name="member_first_name",
            field=models.CharField(default="", max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="report",
            name="member_last_name",
            field=models.CharField(default="", max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="report",
            name="member_date_of_birth",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="report",
            name="member_medicaid_id",
            field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="report",
            name="member_ssn_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="report",
            name="member_ssn_last4",
            field=models.CharField(blank=True, max_length=4, null=True),
        ),
        migrations.AddField(
            model_name="report",
            name="filed_incident",
            field=models.CharField(blank=True, max_length=120, null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="member", name="organisations"),
        migrations.AlterField(
            model_name="member",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="accounts.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="member_date_of_birth",
            field=models.DateField(),
        ),
        migrations.AlterField(
            model_name="report",
            name="filed_incident",
            field=models.CharField(blank=True, max_length=120, null=True, unique=True),
        ),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(
                fields=("organisation", "medicaid_id"), name="one_member_record_per_organisation"
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["member_medicaid_id", "incident_date"], name="report_member_day"
            ),
        ),
    ]
