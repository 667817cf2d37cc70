# The stored answers of creating requests sent with an Idempotency-Key (issue 16), so that
# a repeated request creates once (conversion_db.api.idempotency).
# - idempotency_key_unique (user, key, operation): the lookup of a repeat, and what makes a
#   concurrent repeat wait for the first request's transaction;
# - idempotency_key_created: expire_idempotency_keys deletes the keys past the retention.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("conversion_db", "0001_search_extensions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IdempotencyKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200, verbose_name="key")),
                ("operation", models.CharField(max_length=200, verbose_name="operation")),
                (
                    "fingerprint",
                    models.CharField(max_length=64, verbose_name="request fingerprint"),
                ),
                ("status_code", models.PositiveSmallIntegerField(null=True, verbose_name="status")),
                ("body", models.JSONField(null=True, verbose_name="answer")),
                ("headers", models.JSONField(default=dict, verbose_name="answer headers")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "idempotency key",
                "verbose_name_plural": "idempotency keys",
                "ordering": ["id"],
                "indexes": [models.Index(fields=["created_at"], name="idempotency_key_created")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "key", "operation"),
                        name="idempotency_key_unique",
                        violation_error_message="This key was already used for this operation.",
                    )
                ],
            },
        ),
    ]
