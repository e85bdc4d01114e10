"""The root causes of a measure now point at organisation.RootCause (#12): state only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0006_category_rootcause_from_complaints"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="improvementmeasure",
                    name="root_causes",
                    field=models.ManyToManyField(
                        related_name="improvement_measures",
                        to="organisation.rootcause",
                        verbose_name="oorzaken",
                    ),
                ),
            ],
        ),
    ]
