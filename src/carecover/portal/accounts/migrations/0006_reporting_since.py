# ruff: noqa: RUF012
"""An organisation's first reporting day: earlier periods are not due from it (issue 13)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_analyst_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="reporting_since",
            field=models.DateField(blank=True, null=True),
        ),
    ]
