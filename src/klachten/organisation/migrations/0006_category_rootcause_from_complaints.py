"""Category and RootCause move from complaints to organisation (#12): state only, the tables keep
their names."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0005_ruling_consequence_term_steps"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Category",
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
                        (
                            "name",
                            models.CharField(max_length=100, unique=True, verbose_name="naam"),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="in gebruik")),
                    ],
                    options={
                        "verbose_name": "categorie",
                        "verbose_name_plural": "categorieën",
                        "db_table": "complaints_category",
                        "ordering": ("name",),
                    },
                ),
                migrations.CreateModel(
                    name="RootCause",
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
                        (
                            "name",
                            models.CharField(max_length=100, unique=True, verbose_name="naam"),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="in gebruik")),
                    ],
                    options={
                        "verbose_name": "oorzaak",
                        "verbose_name_plural": "oorzaken",
                        "db_table": "complaints_rootcause",
                        "ordering": ("name",),
                    },
                ),
            ],
        ),
    ]
