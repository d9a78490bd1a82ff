# ruff: noqa: RUF012
"""Tokens get a scope and an expiry; users can be service accounts (issue 11 §6).

Tokens issued before this get the ``file`` scope they had in effect and
expire 90 days after they were created (at once if that has passed).
"""

from datetime import timedelta
from typing import Any

from django.db import migrations, models

#: The default lifetime of a token (``accounts.tokens.DEFAULT_LIFETIME``).
LIFETIME = timedelta(days=90)


def _expire_existing_tokens(apps: Any, schema_editor: Any) -> None:
    token_model = apps.get_model("accounts", "ApiToken")
    for token in token_model.objects.all():
        token.expires_at = token.created_at + LIFETIME
        token.scope = "file"
        token.save(update_fields=["expires_at", "scope"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_nursing_home_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_service_account",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read"), ("file", "Read and file")],
                default="read",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(_expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
