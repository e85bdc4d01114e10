"""The lists and the audit log leave complaints (#12): state only, every table keeps its name;
the content types follow, so nothing that points at them is lost."""

import django.db.models.deletion
from django.db import migrations, models


MOVED = {"auditentry": "audit", "category": "organisation", "rootcause": "organisation"}


def content_types_follow(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        if not content_type.objects.filter(app_label=app_label, model=model).exists():
            content_type.objects.filter(app_label="complaints", model=model).update(
                app_label=app_label
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("audit", "0001_auditentry_from_complaints"),
        ("complaints", "0011_status_code"),
        ("organisation", "0006_category_rootcause_from_complaints"),
        ("reports", "0002_root_causes_in_organisation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="complaint",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="organisation.category",
                        verbose_name="categorie",
                    ),
                ),
                migrations.AlterField(
                    model_name="complaint",
                    name="root_cause",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="organisation.rootcause",
                        verbose_name="oorzaak",
                    ),
                ),
                migrations.DeleteModel(
                    name="AuditEntry",
                ),
                migrations.DeleteModel(
                    name="Category",
                ),
                migrations.DeleteModel(
                    name="RootCause",
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, migrations.RunPython.noop),
    ]
