"""The outbox moves from messaging to the mail app (#12): state only, the tables keep their names."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables exist, in their last form, before this app takes them over.
        ("messaging", "0003_outbox_failures_and_leases"),
        ("complaints", "0012_lists_and_audit_moved_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.CharField(max_length=200, unique=True)),
                        ("to", models.EmailField(max_length=254)),
                        ("reply_to", models.EmailField(blank=True, max_length=254)),
                        ("subject", models.CharField(max_length=300)),
                        ("body", models.TextField()),
                        ("created_at", models.DateTimeField()),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("claimed_by", models.CharField(blank=True, max_length=64)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        ("next_attempt_at", models.DateTimeField()),
                        ("failing_since", models.DateTimeField(blank=True, null=True)),
                        ("failed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "purpose",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("alert", "melding aan de directie"),
                                    ("staff", "bericht aan een medewerker"),
                                    ("customer", "bericht aan de klant"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "complaint",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="outbox_messages",
                                to="complaints.complaint",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "uitgaand bericht",
                        "verbose_name_plural": "uitgaande berichten",
                        "db_table": "messaging_outboxmessage",
                    },
                ),
                migrations.CreateModel(
                    name="OutboxAttachment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("filename", models.CharField(max_length=200)),
                        ("content_type", models.CharField(max_length=100)),
                        ("content", models.BinaryField()),
                        (
                            "message",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="mail.outboxmessage",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "bijlage bij uitgaand bericht",
                        "verbose_name_plural": "bijlagen bij uitgaande berichten",
                        "db_table": "messaging_outboxattachment",
                    },
                ),
                migrations.AddIndex(
                    model_name="outboxmessage",
                    index=models.Index(
                        condition=models.Q(("failed_at__isnull", True), ("sent_at__isnull", True)),
                        fields=["next_attempt_at"],
                        name="outbox_pending",
                    ),
                ),
                migrations.AddIndex(
                    model_name="outboxmessage",
                    index=models.Index(
                        condition=models.Q(("failed_at__isnull", False)),
                        fields=["failed_at"],
                        name="outbox_failed",
                    ),
                ),
            ],
        ),
    ]
