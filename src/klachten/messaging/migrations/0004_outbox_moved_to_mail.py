"""The outbox leaves messaging for the mail app (#12): state only, the tables keep their names;
the content types follow."""

import django.db.models.deletion
from django.db import migrations, models


MOVED = ("outboxmessage", "outboxattachment")


def content_types_follow(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label="mail", model=model).exists():
            content_type.objects.filter(app_label="messaging", model=model).update(app_label="mail")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("mail", "0001_outbox_from_messaging"),
        ("messaging", "0003_outbox_failures_and_leases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="outboxmessage",
                    name="complaint",
                ),
                migrations.AlterField(
                    model_name="customermessage",
                    name="outbox",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="mail.outboxmessage",
                    ),
                ),
                migrations.DeleteModel(
                    name="OutboxAttachment",
                ),
                migrations.DeleteModel(
                    name="OutboxMessage",
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, migrations.RunPython.noop),
    ]
